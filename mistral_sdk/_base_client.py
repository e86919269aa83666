"""The request pipeline shared by ``Mistral`` and ``AsyncMistral``.

Everything that decides something (URL, headers, timeouts, whether and how long to retry, which error
to raise, how to parse a body) is written once in ``_BaseClient``; the sync and async subclasses only
send, read and sleep. Requests arrive as the keyword dicts built by the generated endpoint modules'
``_get_kwargs`` so that serialization (JSON, multipart, query encoding) stays the generated code's.
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
import ssl
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

import httpx

from ._frozen import Frozen
from ._logging import logger, redacted_headers, setup_logging
from ._redact import redact_request, redacted_copy
from ._retry import Clock, RetryPolicy, SystemClock

if TYPE_CHECKING:
    import asyncio

    from ._exceptions import APIConnectionError
    from ._streaming import AsyncStream, ErrorMode, Stream

# The error classes (``_exceptions``) are imported where an error is raised: loading them with the client
# would add ~1 ms to ``import mistral_sdk`` + a client, for a program that may never see an error.

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_STREAM_IDLE_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "KEY_HEADER",
    "APIResponse",
    "ApiKey",
    "AsyncAPIClient",
    "AsyncApiKey",
    "ClientOptions",
    "SyncAPIClient",
]

T = TypeVar("T")

DEFAULT_BASE_URL = "https://api.mistral.ai"
# Long generations (big max_tokens, reasoning models) can take minutes before a non-streamed answer starts.
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=600.0, write=60.0, pool=30.0)
# A stream that delivers no byte for this long is considered hung (checked between every two reads).
DEFAULT_STREAM_IDLE_TIMEOUT = 60.0

_RATE_LIMIT_PREFIXES = ("x-ratelimit", "ratelimit")

KEY_HEADER = "mistral_sdk_key_header"
"""The request keyword (set by the resource layer from ``_operations.json``) naming the header that carries the
key for this operation; absent or ``None``: ``Authorization: Bearer``. Never sent: ``_request_args`` takes it out."""

#: An API key, or a function returning the current one (read again for every request attempt, so keys can
#: rotate or come from a secret manager).
ApiKey = str | Callable[[], str]
#: The same for ``AsyncMistral``, whose key function may also be ``async``.
AsyncApiKey = str | Callable[[], str] | Callable[[], Awaitable[str]]

# Wraps the innermost sender (the httpx client's ``send``) in the response cache and the rate limiter.
SendWrapper = Callable[[Any], Any]


class ClientOptions(Frozen):
    """Everything ``with_options`` can change; copies share the HTTP connection pool.

    ``timeout`` None means "not set": requests then use the httpx client's own timeout (a caller's
    ``http_client`` keeps its configuration unless ``timeout=`` is given to the SDK client).
    """

    # In __init__'s order, which repr follows (hence unsorted).
    __slots__ = ("base_url", "timeout", "stream_idle_timeout", "retry", "default_headers", "stream_error_mode")  # noqa: RUF023

    base_url: str
    timeout: httpx.Timeout | None
    stream_idle_timeout: float | None
    retry: RetryPolicy
    default_headers: Mapping[str, str]
    stream_error_mode: ErrorMode

    def __init__(
        self,
        base_url: str,
        timeout: httpx.Timeout | None,
        stream_idle_timeout: float | None,
        retry: RetryPolicy,
        default_headers: Mapping[str, str],
        stream_error_mode: ErrorMode = "raise",
    ) -> None:
        self._set(
            base_url=base_url,
            timeout=timeout,
            stream_idle_timeout=stream_idle_timeout,
            retry=retry,
            default_headers=default_headers,
            stream_error_mode=stream_error_mode,
        )


def _as_timeout(value: float | httpx.Timeout | None) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    return httpx.Timeout(value)


def _resolve_base_url(base_url: str | httpx.URL | None) -> str:
    raw = str(base_url) if base_url is not None else os.environ.get("MISTRAL_BASE_URL") or DEFAULT_BASE_URL
    url = httpx.URL(raw)
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an absolute http(s) URL, got {raw!r}")
    # Keep any path prefix (a gateway mounting the API under /mistral/...), drop a trailing slash.
    return raw.rstrip("/")


class APIResponse(Frozen, Generic[T]):
    """What ``client.with_raw_response`` returns: the HTTP facts of a call next to its parsed result."""

    __slots__ = ("http_response", "parsed")

    http_response: httpx.Response
    parsed: T

    def __init__(self, http_response: httpx.Response, parsed: T) -> None:
        self._set(http_response=http_response, parsed=parsed)

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        value: str | None = self.headers.get("x-request-id") or self.headers.get("mistral-correlation-id")
        return value

    @property
    def rate_limit_headers(self) -> dict[str, str]:
        """The ``x-ratelimit-*`` / ``ratelimit-*`` headers, lower-cased: remaining budget, reset times."""
        return {k.lower(): v for k, v in self.headers.items() if k.lower().startswith(_RATE_LIMIT_PREFIXES)}

    @property
    def elapsed(self) -> float:
        return self.http_response.elapsed.total_seconds()


class _ParseContext:
    """Stand-in for the generated ``Client`` that generated ``_parse_response`` functions expect."""

    raise_on_unexpected_status = False


_PARSE_CONTEXT: Any = _ParseContext()


def parse_generated(
    response: httpx.Response,
    parse_response: Callable[..., object],
    *,
    allow_none: bool,
) -> object:
    """Run a generated ``_parse_response`` on a read 2xx response, turning every failure into a typed error."""
    try:
        parsed = parse_response(client=_PARSE_CONTEXT, response=response)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        from ._exceptions import APIResponseValidationError

        _discard_from_cache(response)
        response.request = redacted_copy(response.request)  # the error keeps the response
        body = response.text if response.content else None
        raise APIResponseValidationError(
            f"Could not parse the {response.status_code} response: {type(exc).__name__}: {exc}",
            response=response,
            body=body,
        ) from exc
    if parsed is None and not allow_none:
        from ._exceptions import APIResponseValidationError

        _discard_from_cache(response)
        response.request = redacted_copy(response.request)  # the error keeps the response
        raise APIResponseValidationError(
            f"The API answered {response.status_code}, a status this operation does not document with a body",
            response=response,
            body=response.text if response.content else None,
        )
    return parsed


def _discard_from_cache(response: httpx.Response) -> None:
    """An answer we cannot use must not be replayed by the response cache on every later run."""
    from ._cache import discard_cached_response

    discard_cached_response(response)


_URLS: dict[str, httpx.URL] = {}
_URLS_KEPT = 512


def _parsed_url(text: str) -> httpx.URL:
    """``httpx.URL(text)``, parsed once per distinct URL.

    httpx parses and validates a URL string on every request it builds, about a third of building a
    request (measured: ~45 us of ~140 us). A client sends to few distinct URLs (one per operation and path
    argument), and ``httpx.URL`` is immutable, so each is parsed once and shared; the table is emptied
    when it reaches ``_URLS_KEPT`` entries (ids in paths make every URL new).
    """
    url = _URLS.get(text)
    if url is None:
        if len(_URLS) >= _URLS_KEPT:
            _URLS.clear()
        url = _URLS[text] = httpx.URL(text)
    return url


def _checked_key(key: object) -> str:
    """The key to send, or a clear error that never quotes it."""
    if not isinstance(key, str):
        raise TypeError(f"the API key must be a str, got {type(key).__name__}")
    # Surrounding whitespace is a copy-paste accident (a trailing newline from a file); anything else
    # unusual would make httpx fail with an error message that quotes the header, i.e. the key.
    key = key.strip()
    if not key:
        from ._exceptions import MissingAPIKeyError

        raise MissingAPIKeyError(
            "No API key: pass api_key=... to the client or set the MISTRAL_API_KEY environment variable."
        )
    if not key.isascii() or not key.isprintable() or any(c.isspace() for c in key):
        raise ValueError("the API key contains spaces, control or non-ASCII characters (not shown here)")
    return key


class _BaseClient:
    """State and decisions shared by the sync and async pipelines."""

    # A checked key, or the caller's function that returns one (called for every attempt).
    _api_key: str | Callable[[], object]
    _options: ClientOptions
    _clock: Clock
    _user_agent: str
    _pool: _LazyHTTP[Any]

    def _init_base(
        self,
        *,
        api_key: str | Callable[[], object] | None,
        base_url: str | httpx.URL | None,
        timeout: float | httpx.Timeout | None,
        stream_idle_timeout: float | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        clock: Clock | None,
        stream_error_mode: ErrorMode = "raise",
        own_timeout: bool = False,
    ) -> None:
        if callable(api_key):
            self._api_key = api_key
        else:
            key = api_key if api_key is not None else os.environ.get("MISTRAL_API_KEY")
            self._api_key = _checked_key(key or "")
        setup_logging()
        self._clock = clock if clock is not None else SystemClock()
        self._user_agent = _client_headers()["User-Agent"]
        if timeout is _KEEP:
            # Not given: a caller's http_client keeps its own timeout; ours gets the SDK's default.
            resolved = None if own_timeout else DEFAULT_TIMEOUT
        else:
            resolved = _as_timeout(timeout)
        self._options = ClientOptions(
            base_url=_resolve_base_url(base_url),
            timeout=resolved,
            stream_idle_timeout=stream_idle_timeout,
            retry=RetryPolicy(max_retries=max_retries),
            default_headers=dict(default_headers or {}),
            stream_error_mode=stream_error_mode,
        )

    @property
    def base_url(self) -> str:
        return self._options.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        """The timeout requests use: the one given to this client, else the httpx client's own."""
        return self._options.timeout if self._options.timeout is not None else self._http_timeout()

    def _http_timeout(self) -> httpx.Timeout:
        raise NotImplementedError

    @property
    def max_retries(self) -> int:
        return self._options.retry.max_retries

    def __repr__(self) -> str:
        # Never the key: reprs end up in logs and tracebacks.
        return f"{type(self).__name__}(base_url={self._options.base_url!r}, max_retries={self.max_retries})"

    def _copy_options(
        self,
        *,
        base_url: str | httpx.URL | None,
        timeout: float | httpx.Timeout | object | None,
        stream_idle_timeout: float | object | None,
        max_retries: int | None,
        default_headers: Mapping[str, str] | None,
        stream_error_mode: ErrorMode | None = None,
    ) -> ClientOptions:
        options = self._options
        if base_url is not None:
            options = options.replace(base_url=_resolve_base_url(base_url))
        if timeout is not _KEEP:
            options = options.replace(timeout=_as_timeout(timeout))  # type: ignore[arg-type]
        if stream_idle_timeout is not _KEEP:
            options = options.replace(stream_idle_timeout=stream_idle_timeout)
        if max_retries is not None:
            options = options.replace(retry=options.retry.replace(max_retries=max_retries))
        if default_headers is not None:
            options = options.replace(default_headers={**options.default_headers, **default_headers})
        if stream_error_mode is not None:
            options = options.replace(stream_error_mode=stream_error_mode)
        return options

    # -- building --------------------------------------------------------------------------------------

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        if self._pool.owned:
            # Our own httpx client already sends these (``_client_headers``); repeating them per request would
            # make httpx replace its copies on every request, which costs more than the rest of our headers.
            headers = dict(self._options.default_headers)
        else:
            headers = {"Accept": "application/json", "User-Agent": self._user_agent, **self._options.default_headers}
        if extra:
            headers.update(extra)
        return headers

    @staticmethod
    def _authorize(request: httpx.Request, key: str, key_header: str | None) -> None:
        """Put the (checked) key of this attempt on the request, once built: nothing else ever holds it.

        Where it goes is the operation's security scheme (``KEY_HEADER``): ``Authorization: Bearer <key>``
        unless the operation declares a header of its own (``x-api-key: <key>``), which then carries the key
        alone, since an API reading that header does not look for a bearer token.
        """
        if key_header is None:
            request.headers["Authorization"] = f"Bearer {key}"
        else:
            request.headers[key_header] = key

    def _started(self, response: httpx.Response, stream: bool, handed_out: bool) -> httpx.Response:
        """Prepare a 2xx response for its reader (a parser, a stream, a raw-response caller).

        A response ``handed_out`` travels on (into raw responses, streams and their errors, the caller's
        logs): it gets a copy of its request without the key. A copy, because transports below (the
        response cache checks what it writes against the request's credentials, a test transport records
        what was sent) still hold the original. A response only parsed is dropped right after, and gets
        the copy only if the parsing fails (``parse_generated``): that spares every plain call the copy.
        """
        if stream:
            self._start_idle_timeout(response)
        if handed_out:
            response.request = redacted_copy(response.request)
        return response

    def _start_idle_timeout(self, response: httpx.Response) -> None:
        """From now on bound each body read of this stream by the idle timeout (headers had the read timeout).

        httpcore reads ``request.extensions["timeout"]["read"]`` when body iteration begins, which is
        after this point; so waiting for the response to start and waiting between two chunks are
        configured separately, with one request.
        """
        idle = self._options.stream_idle_timeout
        timeouts = response.request.extensions.get("timeout")
        if idle is not None and isinstance(timeouts, dict):
            timeouts["read"] = idle

    def _url(self, path: str) -> httpx.URL:
        # Generated paths of streaming variants carry a "#stream" marker: a fragment is never sent anyway.
        path = path.split("#", 1)[0]
        if path.startswith(("http://", "https://")):
            return _parsed_url(path)
        return _parsed_url(self._options.base_url + "/" + path.lstrip("/"))

    def _request_args(self, kwargs: Mapping[str, Any], *, stream: bool) -> tuple[dict[str, Any], str | None]:
        """httpx's ``build_request`` keywords, and the header the operation wants the key in (``KEY_HEADER``)."""
        args = dict(kwargs)
        key_header = args.pop(KEY_HEADER, None)
        method = str(args.pop("method")).upper()
        url = self._url(str(args.pop("url")))
        headers = self._headers(args.pop("headers", None))
        if "files" in args:
            # The generated code pins "boundary=+++" (openapi-python-client PR #1005); a file holding
            # "\r\n--+++" would then end its part early. Without the header httpx picks a random boundary.
            for name in [n for n in headers if n.lower() == "content-type"]:
                del headers[name]
        if stream:
            headers["Accept"] = "text/event-stream"
        built = {"method": method, "url": url, "headers": headers, **args}
        if self._options.timeout is not None:
            built["timeout"] = self._options.timeout
        return built, key_header

    # -- deciding --------------------------------------------------------------------------------------

    def _log_request(self, request: httpx.Request, retries_done: int) -> None:
        if logger.isEnabledFor(logging.INFO):
            suffix = f" (retry {retries_done})" if retries_done else ""
            logger.info("Request: %s %s%s", request.method, request.url, suffix)
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug("Request headers: %s", redacted_headers(request.headers.multi_items()))
                if isinstance(request.stream, httpx.ByteStream) and request.content:
                    logger.debug("Request body: %s", _preview(request.content))

    def _log_response(self, response: httpx.Response, started: float) -> None:
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "Response: %s %s -> %s (%.3f s)",
                response.request.method,
                response.request.url,
                response.status_code,
                time.perf_counter() - started,
            )
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug("Response headers: %s", redacted_headers(response.headers.multi_items()))
                if response.is_stream_consumed:
                    logger.debug("Response body: %s", _preview(response.content))

    def _retry_after_status(self, response: httpx.Response, retries_done: int) -> float:
        """Delay before retrying a read error response, or raise its typed error."""
        retry = self._options.retry
        if retries_done < retry.max_retries and retry.should_retry_status(response.status_code, response.headers):
            delay = retry.delay(retries_done, response.headers, self._clock.now())
            logger.info("Retrying after status %s in %.3f s", response.status_code, delay)
            return delay
        from ._exceptions import make_status_error

        raise make_status_error(response)

    def _retry_after_transport_error(self, exc: httpx.RequestError, request: httpx.Request, retries_done: int) -> float:
        """Delay before retrying a request that got no answer, or raise the connection/timeout error."""
        retry = self._options.retry
        if retries_done < retry.max_retries:
            delay = retry.delay(retries_done, None, self._clock.now())
            logger.info("Retrying after %s in %.3f s", type(exc).__name__, delay)
            return delay
        raise _connection_error(exc, request) from exc


def _preview(content: bytes, limit: int = 2000) -> str:
    text = content[:limit].decode("utf-8", "replace")
    return text + f"... ({len(content)} bytes)" if len(content) > limit else text


def _connection_error(exc: httpx.RequestError, request: httpx.Request) -> APIConnectionError:
    from ._exceptions import APIConnectionError, APITimeoutError

    redact_request(request)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"Request timed out ({type(exc).__name__}).", request=request)
    return APIConnectionError(f"Connection error ({type(exc).__name__}: {exc}).", request=request)


def raise_connection_error(exc: httpx.RequestError, request: httpx.Request) -> NoReturn:
    """For readers of a response body (streams): the same mapping as the pipeline's."""
    raise _connection_error(exc, request) from exc


class _NotGiven:
    """The default of options that mean "leave as it is" (distinct from None, which may be a value)."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


_KEEP: Any = _NotGiven()
_H = TypeVar("_H", httpx.Client, httpx.AsyncClient)


@functools.cache
def _shared_tls() -> ssl.SSLContext:
    """One TLS context for every httpx client the SDK builds, made on the first request of the process.

    httpx makes a context per client, loading the CA bundle each time (measured: 61 ms per client on the
    2-core machine, more than a mock round trip); programs that make a client per task paid that on every
    task. The context is httpx's own default (certifi's bundle, ``SSL_CERT_FILE``/``SSL_CERT_DIR`` read at
    that first request) and is safe to share: each connection wraps its own socket with it.
    """
    return httpx.create_ssl_context()


def _client_headers() -> dict[str, str]:
    """What every request of the SDK sends unless told otherwise; set once on the httpx clients we build."""
    from ._version import __version__

    return {"Accept": "application/json", "User-Agent": f"mistral-sdk-python/{__version__}"}


def _sync_default() -> httpx.Client:
    return httpx.Client(verify=_shared_tls(), headers=_client_headers())


def _async_default() -> httpx.AsyncClient:
    return httpx.AsyncClient(verify=_shared_tls(), headers=_client_headers())


class _LazyHTTP(Generic[_H]):
    """The httpx client, built on first use and shared by ``with_options`` copies.

    Building one costs a few ms (its TLS context is shared, see ``_shared_tls``); deferring it keeps constructing a
    ``Mistral`` cheap for programs that create a client and may never call it. A client we built is a
    plain ``httpx.Client()``/``AsyncClient()`` (with one TLS context shared by all, ``_shared_tls``), so
    httpx's defaults hold: proxies from the environment
    (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``, ``NO_PROXY``) and its certificate settings. A
    caller's client is used exactly as configured (its mounts, ``trust_env``, timeout, hooks).

    An async client's connections belong to the event loop that opened them; ``get(loop)`` rebuilds a
    client we built when it is asked for from another loop (e.g. a second ``asyncio.run()``). The old
    one cannot be closed from the new loop; its sockets are released when it is collected.
    """

    def __init__(self, make: Callable[[], _H], *, given: _H | None) -> None:
        self._make: Callable[[], _H] = make
        self._client: _H | None = given
        self.owned = given is None  # we build (and rebuild) the client: its default headers are ours
        self._loop: weakref.ref[asyncio.AbstractEventLoop] | None = None
        self._closed = False
        self._lock = threading.Lock()

    def get(self, loop: asyncio.AbstractEventLoop | None = None) -> _H:
        client = self._client
        if client is not None and (loop is None or not self.owned or (self._loop is not None and self._loop() is loop)):
            return client
        with self._lock:
            if self._closed:
                raise RuntimeError("Cannot send a request, as the client has been closed.")
            if self._client is None or (
                self.owned and loop is not None and (self._loop is None or self._loop() is not loop)
            ):
                self._client = self._make()
                self._loop = weakref.ref(loop) if loop is not None else None
            return self._client

    def peek(self) -> _H | None:
        return self._client

    def close(self) -> _H | None:
        """Mark closed; return the client to close, if one was built."""
        with self._lock:
            self._closed = True
            return self._client


class _SendThroughClient(httpx.BaseTransport):
    """The httpx client's ``send`` seen as a transport, so the cache and the rate limiter wrap it.

    They sit around the client, not inside it: httpx routes a request to a proxy's transport (a mount)
    instead of the client's default one, so anything wrapped inside would be bypassed, and reaching
    the transport would mean touching the client's private attributes.
    """

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._client.send(request, stream=True)


class _AsyncSendThroughClient(httpx.AsyncBaseTransport):
    """The async twin of ``_SendThroughClient``."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._client.send(request, stream=True)


class SyncAPIClient(_BaseClient):
    """The blocking pipeline."""

    _pool: _LazyHTTP[httpx.Client]
    _wrap_send: SendWrapper | None

    def _init_http(self, http_client: httpx.Client | None, wrap_send: SendWrapper | None) -> None:
        self._pool = _LazyHTTP(_sync_default, given=http_client)
        self._wrap_send = wrap_send

    @property
    def _http(self) -> httpx.Client:
        return self._pool.get()

    def _http_timeout(self) -> httpx.Timeout:
        return self._http.timeout

    def close(self) -> None:
        """Close the connection pool (shared with ``with_options`` copies)."""
        client = self._pool.close()
        if client is not None:
            client.close()

    def _send_once(self, request: httpx.Request) -> httpx.Response:
        """One attempt, through the cache and the rate limiter when configured; the body is not read yet."""
        if self._wrap_send is None:
            return self._http.send(request, stream=True)
        response: httpx.Response = self._wrap_send(_SendThroughClient(self._http)).handle_request(request)
        return response

    def _current_key(self) -> str:
        """The key for this attempt: the fixed one (checked once), or what the caller's function returns now."""
        source = self._api_key
        if isinstance(source, str):
            return source
        key = source()
        if inspect.isawaitable(key):
            if inspect.iscoroutine(key):
                key.close()
            raise TypeError("api_key returned an awaitable: async key functions need AsyncMistral")
        return _checked_key(key)

    def _send(self, kwargs: Mapping[str, Any], *, stream: bool = False, handed_out: bool = True) -> httpx.Response:
        """Send with retries; return a 2xx response (body read unless ``stream``), else raise the typed error.

        ``handed_out=False``: the caller only parses the response and drops it (see ``_started``).
        """
        args, key_header = self._request_args(kwargs, stream=stream)
        retries_done = 0
        while True:
            request = self._http.build_request(**args)
            self._authorize(request, self._current_key(), key_header)
            self._log_request(request, retries_done)
            started = time.perf_counter()
            try:
                response = self._send_once(request)
                if not stream or not response.is_success:
                    try:
                        response.read()
                    finally:
                        response.close()
            except httpx.RequestError as exc:  # transport failures, and bodies that fail to decode
                delay = self._retry_after_transport_error(exc, request, retries_done)
            else:
                self._log_response(response, started)
                if response.is_success:
                    return self._started(response, stream, handed_out)
                delay = self._retry_after_status(response, retries_done)
            self._clock.sleep(delay)
            retries_done += 1

    def _request(self, kwargs: Mapping[str, Any], parse_response: Callable[..., object], *, allow_none: bool) -> Any:
        return parse_generated(self._send(kwargs, handed_out=False), parse_response, allow_none=allow_none)

    def _request_raw(
        self, kwargs: Mapping[str, Any], parse_response: Callable[..., object], *, allow_none: bool
    ) -> APIResponse[Any]:
        response = self._send(kwargs)
        return APIResponse(response, parse_generated(response, parse_response, allow_none=allow_none))

    def _request_bytes(self, kwargs: Mapping[str, Any]) -> bytes:
        return self._send(kwargs, handed_out=False).content

    def _request_stream(self, kwargs: Mapping[str, Any], event_model: type[Any]) -> Stream[Any]:
        """Send with retries (only until the response starts) and hand the body to the streaming layer."""
        from ._streaming import Stream, decoder_for

        started = time.monotonic()
        response = self._send(kwargs, stream=True)
        return Stream(
            response, decoder_for(event_model), started_at=started, error_mode=self._options.stream_error_mode
        )

    def _request_stream_raw(self, kwargs: Mapping[str, Any], event_model: type[Any]) -> APIResponse[Stream[Any]]:
        stream = self._request_stream(kwargs, event_model)
        return APIResponse(stream.response, stream)

    def _request_bytes_raw(self, kwargs: Mapping[str, Any]) -> APIResponse[bytes]:
        response = self._send(kwargs)
        return APIResponse(response, response.content)


class AsyncAPIClient(_BaseClient):
    """The asyncio pipeline; same decisions as ``SyncAPIClient``."""

    _pool: _LazyHTTP[httpx.AsyncClient]
    _wrap_send: SendWrapper | None

    def _init_http(self, http_client: httpx.AsyncClient | None, wrap_send: SendWrapper | None) -> None:
        self._pool = _LazyHTTP(_async_default, given=http_client)
        self._wrap_send = wrap_send

    @property
    def _http(self) -> httpx.AsyncClient:
        import asyncio  # here, not at the top: constructing a client must not import asyncio

        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # outside a loop (building a request, reading options): any client will do
            loop = None
        return self._pool.get(loop)

    def _http_timeout(self) -> httpx.Timeout:
        client = self._pool.peek()
        return (client if client is not None else self._http).timeout

    async def close(self) -> None:
        client = self._pool.close()
        if client is not None:
            await client.aclose()

    async def _send_once(self, http: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
        if self._wrap_send is None:
            return await http.send(request, stream=True)
        response: httpx.Response = await self._wrap_send(_AsyncSendThroughClient(http)).handle_async_request(request)
        return response

    async def _current_key(self) -> str:
        source = self._api_key
        if isinstance(source, str):
            return source
        key = source()
        if inspect.isawaitable(key):
            key = await key
        return _checked_key(key)

    async def _send(
        self, kwargs: Mapping[str, Any], *, stream: bool = False, handed_out: bool = True
    ) -> httpx.Response:
        """See ``SyncAPIClient._send``."""
        args, key_header = self._request_args(kwargs, stream=stream)
        retries_done = 0
        while True:
            http = self._http
            request = http.build_request(**args)
            self._authorize(request, await self._current_key(), key_header)
            self._log_request(request, retries_done)
            started = time.perf_counter()
            try:
                response = await self._send_once(http, request)
                if not stream or not response.is_success:
                    try:
                        await response.aread()
                    finally:
                        await response.aclose()
            except httpx.RequestError as exc:  # transport failures, and bodies that fail to decode
                delay = self._retry_after_transport_error(exc, request, retries_done)
            else:
                self._log_response(response, started)
                if response.is_success:
                    return self._started(response, stream, handed_out)
                delay = self._retry_after_status(response, retries_done)
            await self._clock.asleep(delay)
            retries_done += 1

    async def _request(
        self, kwargs: Mapping[str, Any], parse_response: Callable[..., object], *, allow_none: bool
    ) -> Any:
        return parse_generated(await self._send(kwargs, handed_out=False), parse_response, allow_none=allow_none)

    async def _request_raw(
        self, kwargs: Mapping[str, Any], parse_response: Callable[..., object], *, allow_none: bool
    ) -> APIResponse[Any]:
        response = await self._send(kwargs)
        return APIResponse(response, parse_generated(response, parse_response, allow_none=allow_none))

    async def _request_bytes(self, kwargs: Mapping[str, Any]) -> bytes:
        return (await self._send(kwargs, handed_out=False)).content

    async def _request_stream(self, kwargs: Mapping[str, Any], event_model: type[Any]) -> AsyncStream[Any]:
        from ._streaming import AsyncStream, decoder_for

        started = time.monotonic()
        response = await self._send(kwargs, stream=True)
        return AsyncStream(
            response, decoder_for(event_model), started_at=started, error_mode=self._options.stream_error_mode
        )

    async def _request_stream_raw(
        self, kwargs: Mapping[str, Any], event_model: type[Any]
    ) -> APIResponse[AsyncStream[Any]]:
        stream = await self._request_stream(kwargs, event_model)
        return APIResponse(stream.response, stream)

    async def _request_bytes_raw(self, kwargs: Mapping[str, Any]) -> APIResponse[bytes]:
        response = await self._send(kwargs)
        return APIResponse(response, response.content)
