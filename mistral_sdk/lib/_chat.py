"""Structured outputs on the client: what ``client.chat.parse`` / ``parse_stream`` (sync and async) run.

The facade generator emits ``parse`` and ``parse_stream`` next to ``complete`` (see
``generator/facade/hooks.py``), with every argument of ``complete()`` plus ``response_format: type[T]``;
their bodies call ``mistral_sdk._resource`` (``_parse``, ``_parse_stream``), which sends the request
built by ``parse_arguments`` and reads the answer with ``_parsing.parse_completion`` or wraps the stream
in ``ParsedStream`` / ``AsyncParsedStream`` here.

The other keyword arguments are ``complete()``'s, passed through unchanged: the request carries
exactly what the caller set, plus the ``response_format`` built from the type.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from mistral_sdk.lib._completion import ParsedChatCompletion
from mistral_sdk.lib._events import ChatStreamEvent, aiterate_events, iterate_events
from mistral_sdk.lib._parsing import parse_completion, response_format_for

if TYPE_CHECKING:
    from mistral_sdk._streaming import AsyncStream, CompletionStreamChunk, PendingAsyncStream, Stream

__all__ = ["AsyncParsedStream", "ParsedStream", "parse_arguments"]

T = TypeVar("T")


def parse_arguments(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """A ``parse`` call's arguments as its plain call's: ``response_format`` the JSON schema built from the type."""
    return {**arguments, "response_format": response_format_for(arguments["response_format"])}


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
