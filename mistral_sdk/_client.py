"""``Mistral`` and ``AsyncMistral``: configuration, lifecycle and the Go-parity shortcuts.

The resource groups (``client.chat``, ``client.models``...) and ``client.with_raw_response`` come
from the generated base classes in ``resources/_root.py``; each group is built on first access, so
importing the SDK and constructing a client never imports a group's module or the generated models.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import httpx

from ._base_client import _KEEP, DEFAULT_STREAM_IDLE_TIMEOUT, ApiKey, AsyncApiKey
from ._retry import Clock
from .resources._root import AsyncResources, SyncResources

if TYPE_CHECKING:
    from ._cache import ResponseCache
    from ._generated.models.base_model_card import BaseModelCard
    from ._generated.models.chat_completion_request import ChatCompletionRequest
    from ._generated.models.chat_completion_response import ChatCompletionResponse
    from ._generated.models.ft_model_card import FTModelCard
    from ._generated.models.model_list import ModelList
    from ._generated.models.unknown_variant import UnknownVariant
    from ._ratelimit import RateLimit
    from ._streaming import CompletionStreamChunk, ErrorMode, PendingAsyncStream, Stream

__all__ = ["AsyncMistral", "Mistral"]


def _send_wrapper(
    rate_limit: RateLimit | None, cache: bool | str | os.PathLike[str] | ResponseCache | None, *, is_async: bool
) -> Callable[[Any], Any] | None:
    """Wrap each attempt's send: the cache outside (a hit costs no rate budget), the rate limiter inside.

    They wrap the httpx client's ``send`` (see ``_SendThroughClient``), not its transport, so they apply
    to every request whatever the client mounts (a proxy from the environment or the caller's own).
    """
    response_cache = None
    if cache is not None and cache is not False:
        from ._cache import ResponseCache

        response_cache = ResponseCache.from_option(cache)
    if rate_limit is None and response_cache is None:
        return None

    def wrap(transport: Any) -> Any:
        if rate_limit is not None:
            transport = rate_limit.async_transport(transport) if is_async else rate_limit.transport(transport)
        if response_cache is not None:
            transport = response_cache.async_transport(transport) if is_async else response_cache.transport(transport)
        return transport

    return wrap


def _require_capabilities(names: Iterable[str]) -> list[str]:
    from ._generated.models.model_capabilities import ModelCapabilities

    wanted = list(names)
    known = {f.name for f in ModelCapabilities.__attrs_attrs__ if f.init}
    unknown = sorted(set(wanted) - known)
    if unknown:
        raise ValueError(f"unknown capabilities {unknown}; known: {sorted(known)}")
    return wanted


def _matching(listing: ModelList, wanted: list[str]) -> list[BaseModelCard | FTModelCard]:
    from ._generated.models.base_model_card import BaseModelCard
    from ._generated.models.ft_model_card import FTModelCard

    cards = listing.data if isinstance(listing.data, list) else []
    return [
        card
        for card in cards
        if isinstance(card, BaseModelCard | FTModelCard)
        and all(getattr(card.capabilities, name, False) is True for name in wanted)
    ]


def _evolve(req: ChatCompletionRequest, *, stream: bool) -> ChatCompletionRequest:
    """A copy with ``stream`` set: the caller's request object is never changed."""
    import attrs

    return attrs.evolve(req, stream=stream)


def _endpoint(operation_id: str) -> Any:
    from ._resource import endpoint_module

    return endpoint_module(operation_id)


def _chat_endpoint() -> Any:
    return _endpoint("chat_completion_v1_chat_completions_post")


def _completion_event() -> type[Any]:
    from ._generated.models.completion_event import CompletionEvent

    return CompletionEvent


class Mistral(SyncResources):
    """The blocking client.

    ``api_key`` and ``base_url`` fall back to ``MISTRAL_API_KEY`` / ``MISTRAL_BASE_URL`` (a base URL may
    carry a path prefix, for gateways); ``api_key`` may also be a function returning the key, called for
    every request attempt (rotating keys, secret managers). ``timeout`` bounds connecting and waiting
    for a response (long by default: big generations take minutes; with ``http_client`` and no
    ``timeout``, that client's own timeout applies); ``stream_idle_timeout`` bounds the silence between
    two chunks of a stream, so a hung stream fails fast without shortening the wait for a long answer.
    ``max_retries`` retries 408/409/429/5xx and connection failures, never a stream that has started.
    ``rate_limit`` (a ``RateLimit``) and ``cache`` (True, a directory, or a ``ResponseCache``) apply to
    every request; ``http_client`` brings your own httpx client (its proxies, mounts and event hooks
    keep working). Without it, proxies come from the environment (``HTTPS_PROXY``, ``NO_PROXY``...).
    ``stream_error_mode="in_band"`` delivers a broken stream as a final chunk with ``.error`` set.
    ``clock`` replaces time and sleeping (for tests). Use as a context manager, or call ``close()``.
    """

    def __init__(
        self,
        api_key: ApiKey | None = None,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = _KEEP,
        stream_idle_timeout: float | None = DEFAULT_STREAM_IDLE_TIMEOUT,
        max_retries: int = 2,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
        rate_limit: RateLimit | None = None,
        cache: bool | str | os.PathLike[str] | ResponseCache | None = None,
        stream_error_mode: ErrorMode = "raise",
        clock: Clock | None = None,
    ) -> None:
        self._init_base(
            stream_error_mode=stream_error_mode,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            stream_idle_timeout=stream_idle_timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            clock=clock,
            own_timeout=http_client is not None,
        )
        self._init_http(http_client, _send_wrapper(rate_limit, cache, is_async=False))

    def with_options(
        self,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = _KEEP,
        stream_idle_timeout: float | None = _KEEP,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        stream_error_mode: ErrorMode | None = None,
    ) -> Self:
        """A client with changed options sharing this one's connection pool (closing either closes both)."""
        new = copy.copy(self)
        new.__dict__ = {k: v for k, v in self.__dict__.items() if k.startswith("_")}
        new._options = self._copy_options(
            base_url=base_url,
            timeout=timeout,
            stream_idle_timeout=stream_idle_timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            stream_error_mode=stream_error_mode,
        )
        return new

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- Go-parity shortcuts (``client.embeddings(req)`` is the generated group's ``__call__``) ------------

    def chat_completion(self, req: ChatCompletionRequest) -> ChatCompletionResponse:
        """Send a prepared request (e.g. from ``new_chat_completion_request``) and wait for the whole answer."""
        ep = _chat_endpoint()
        result: ChatCompletionResponse = self._request(
            ep._get_kwargs(body=_evolve(req, stream=False)), ep._parse_response, allow_none=False
        )
        return result

    def chat_completion_stream(self, req: ChatCompletionRequest) -> Stream[CompletionStreamChunk]:
        """Stream a prepared request; use it as a context manager so the connection is always released."""
        ep = _chat_endpoint()
        return self._request_stream(ep._get_kwargs(body=_evolve(req, stream=True)), _completion_event())

    def list_models(self) -> ModelList:
        ep = _endpoint("list_models_v1_models_get")
        result: ModelList = self._request(ep._get_kwargs(), ep._parse_response, allow_none=False)
        return result

    def get_model(self, model_id: str) -> BaseModelCard | FTModelCard | UnknownVariant:
        ep = _endpoint("retrieve_model_v1_models__model_id__get")
        result: BaseModelCard | FTModelCard | UnknownVariant = self._request(
            ep._get_kwargs(model_id=model_id), ep._parse_response, allow_none=False
        )
        return result

    def search_models(self, capabilities: Iterable[str]) -> list[BaseModelCard | FTModelCard]:
        """Models having every given capability (names of ``ModelCapabilities`` fields, e.g. ``"vision"``)."""
        wanted = _require_capabilities(capabilities)
        return _matching(self.list_models(), wanted)


class AsyncMistral(AsyncResources):
    """The asyncio client; same options and methods as ``Mistral``, awaited.

    ``api_key`` may also be an ``async`` function. One client may be used from successive event loops
    (two ``asyncio.run()`` calls): its own connection pool is rebuilt for a new loop. A caller's
    ``http_client`` is bound to the loop it is used on, as httpx makes it.
    """

    def __init__(
        self,
        api_key: AsyncApiKey | None = None,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = _KEEP,
        stream_idle_timeout: float | None = DEFAULT_STREAM_IDLE_TIMEOUT,
        max_retries: int = 2,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        rate_limit: RateLimit | None = None,
        cache: bool | str | os.PathLike[str] | ResponseCache | None = None,
        stream_error_mode: ErrorMode = "raise",
        clock: Clock | None = None,
    ) -> None:
        self._init_base(
            stream_error_mode=stream_error_mode,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            stream_idle_timeout=stream_idle_timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            clock=clock,
            own_timeout=http_client is not None,
        )
        self._init_http(http_client, _send_wrapper(rate_limit, cache, is_async=True))

    def with_options(
        self,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = _KEEP,
        stream_idle_timeout: float | None = _KEEP,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        stream_error_mode: ErrorMode | None = None,
    ) -> Self:
        new = copy.copy(self)
        new.__dict__ = {k: v for k, v in self.__dict__.items() if k.startswith("_")}
        new._options = self._copy_options(
            base_url=base_url,
            timeout=timeout,
            stream_idle_timeout=stream_idle_timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            stream_error_mode=stream_error_mode,
        )
        return new

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def chat_completion(self, req: ChatCompletionRequest) -> ChatCompletionResponse:
        ep = _chat_endpoint()
        result: ChatCompletionResponse = await self._request(
            ep._get_kwargs(body=_evolve(req, stream=False)), ep._parse_response, allow_none=False
        )
        return result

    def chat_completion_stream(self, req: ChatCompletionRequest) -> PendingAsyncStream[CompletionStreamChunk]:
        """``async with client.chat_completion_stream(req) as stream`` (or ``await`` it); sent on first use."""
        from ._streaming import PendingAsyncStream

        ep = _chat_endpoint()
        return PendingAsyncStream(
            self._request_stream(ep._get_kwargs(body=_evolve(req, stream=True)), _completion_event())
        )

    async def list_models(self) -> ModelList:
        ep = _endpoint("list_models_v1_models_get")
        result: ModelList = await self._request(ep._get_kwargs(), ep._parse_response, allow_none=False)
        return result

    async def get_model(self, model_id: str) -> BaseModelCard | FTModelCard | UnknownVariant:
        ep = _endpoint("retrieve_model_v1_models__model_id__get")
        result: BaseModelCard | FTModelCard | UnknownVariant = await self._request(
            ep._get_kwargs(model_id=model_id), ep._parse_response, allow_none=False
        )
        return result

    async def search_models(self, capabilities: Iterable[str]) -> list[BaseModelCard | FTModelCard]:
        wanted = _require_capabilities(capabilities)
        return _matching(await self.list_models(), wanted)
