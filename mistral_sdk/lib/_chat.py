"""``client.chat`` with structured outputs: ``parse`` and ``parse_stream`` (sync and async).

HOOK (facade): ``Chat``/``AsyncChat`` here subclass the generated groups and add only these methods;
the client builds them for ``client.chat`` (see ``Mistral.chat`` in ``_client.py``). After the facade
rewrite, either keep this subclassing (import the groups from their new module) or let the facade
generator emit the generated group with ``ChatParsing``/``AsyncChatParsing`` as a base class.

The other keyword arguments are ``complete()``'s, passed through unchanged: the request carries
exactly what the caller set, plus the ``response_format`` built from the type.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from mistral_sdk.lib._completion import ParsedChatCompletion
from mistral_sdk.lib._events import ChatStreamEvent, aiterate_events, iterate_events
from mistral_sdk.lib._parsing import parse_completion, response_format_for
from mistral_sdk.resources.chat import AsyncChat as _GeneratedAsyncChat
from mistral_sdk.resources.chat import Chat as _GeneratedChat

if TYPE_CHECKING:
    from mistral_sdk._streaming import AsyncStream, CompletionStreamChunk, PendingAsyncStream, Stream

__all__ = ["AsyncChat", "AsyncChatParsing", "AsyncParsedStream", "Chat", "ChatParsing", "ParsedStream"]

T = TypeVar("T")


def _request(response_format: Any, params: dict[str, Any]) -> dict[str, Any]:
    if "stream" in params:
        raise TypeError("parse() does not take 'stream'; use parse_stream()")
    return {**params, "response_format": response_format_for(response_format)}


class ChatParsing:
    """The structured-output methods, for a class that has ``complete`` and ``stream``."""

    def parse(self, *, response_format: type[T], **params: Any) -> ParsedChatCompletion[T]:
        """``complete()`` asking for JSON of type ``response_format`` (a pydantic model, a dataclass or
        an attrs class); ``choices[i].message.parsed`` is the answer as that type.

        Raises ``LengthFinishReasonError`` when the answer was cut by ``max_tokens`` and
        ``StructuredOutputValidationError`` when it does not fit the type; both carry the raw text.
        """
        response = self.complete(**_request(response_format, params))  # type: ignore[attr-defined]
        return parse_completion(response, response_format)

    def parse_stream(self, *, response_format: type[T], **params: Any) -> ParsedStream[T]:
        """``stream()`` asking for JSON of type ``response_format``; the stream's ``final_response()`` (and
        its events' last one) carry ``.parsed``. Use it as a context manager."""
        stream = self.stream(**_request(response_format, params))  # type: ignore[attr-defined]
        return ParsedStream(stream, response_format)


class AsyncChatParsing:
    """The async structured-output methods, for a class that has ``complete`` and ``stream``."""

    async def parse(self, *, response_format: type[T], **params: Any) -> ParsedChatCompletion[T]:
        """See ``ChatParsing.parse``."""
        response = await self.complete(**_request(response_format, params))  # type: ignore[attr-defined]
        return parse_completion(response, response_format)

    def parse_stream(self, *, response_format: type[T], **params: Any) -> AsyncParsedStream[T]:
        """See ``ChatParsing.parse_stream``: ``async with client.chat.parse_stream(...) as stream``."""
        pending = self.stream(**_request(response_format, params))  # type: ignore[attr-defined]
        return AsyncParsedStream(pending, response_format)


class Chat(ChatParsing, _GeneratedChat):
    """``client.chat``: the generated operations plus ``parse`` and ``parse_stream``."""


class AsyncChat(AsyncChatParsing, _GeneratedAsyncChat):
    """``client.chat`` of ``AsyncMistral``: the generated operations plus ``parse`` and ``parse_stream``."""


class ParsedStream(Generic[T]):
    """A chat stream whose complete answer is decoded into ``T``; chunks and events as usual."""

    def __init__(self, stream: Stream[CompletionStreamChunk], response_format: type[T]) -> None:
        self.stream = stream
        self._type = response_format

    def __enter__(self) -> ParsedStream[T]:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stream.close()

    def __iter__(self) -> Iterator[CompletionStreamChunk]:
        return iter(self.stream)

    def close(self) -> None:
        self.stream.close()

    @property
    def text_stream(self) -> Iterator[str]:
        return self.stream.text_stream

    def events(self) -> Iterator[ChatStreamEvent]:
        """The stream's events; ``ContentDoneEvent.parsed`` and the last event's response carry the answer."""
        return iterate_events(self.stream, self.final_response)

    def until_done(self) -> ParsedStream[T]:
        self.stream.until_done()
        return self

    def final_response(self) -> ParsedChatCompletion[T]:
        """Consume the rest and return the complete response with ``.parsed`` (typed errors as ``parse``)."""
        return parse_completion(self.stream.final_response(), self._type)


class AsyncParsedStream(Generic[T]):
    """The async ``ParsedStream``: ``async with`` it (or ``await`` it), then iterate or ask for the result."""

    def __init__(self, pending: PendingAsyncStream[CompletionStreamChunk], response_format: type[T]) -> None:
        self._pending = pending
        self._stream: AsyncStream[CompletionStreamChunk] | None = None
        self._type = response_format

    async def _open(self) -> AsyncParsedStream[T]:
        if self._stream is None:
            self._stream = await self._pending
        return self

    @property
    def stream(self) -> AsyncStream[CompletionStreamChunk]:
        if self._stream is None:
            raise RuntimeError("the stream is not open yet: use 'async with' or 'await' first")
        return self._stream

    def __await__(self) -> Generator[Any, None, AsyncParsedStream[T]]:
        return self._open().__await__()

    async def __aenter__(self) -> AsyncParsedStream[T]:
        return await self._open()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def __aiter__(self) -> AsyncIterator[CompletionStreamChunk]:
        return self.stream.__aiter__()

    async def close(self) -> None:
        if self._stream is not None:
            await self._stream.close()

    @property
    def text_stream(self) -> AsyncIterator[str]:
        return self.stream.text_stream

    def events(self) -> AsyncIterator[ChatStreamEvent]:
        return aiterate_events(self.stream, self.final_response)

    async def until_done(self) -> AsyncParsedStream[T]:
        await self.stream.until_done()
        return self

    async def final_response(self) -> ParsedChatCompletion[T]:
        return parse_completion(await self.stream.final_response(), self._type)
