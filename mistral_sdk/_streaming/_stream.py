"""``Stream`` and ``AsyncStream``: typed chunk iterators over an open ``text/event-stream`` response.

The client opens the response (``send(..., stream=True)``), checks its status (errors before the
first byte are the client's), and hands it over with the decoder that the operation's spec schema
selects. From then on the stream owns the response: it always releases it, whether iteration
ends, breaks, fails or the stream is closed. After the end marker the rest of the body is read
(bounded by ``DRAIN_LIMIT``) so the pooled connection can be reused; a stream abandoned before its
end closes the connection instead, since its body is unfinished.

Only byte movement differs between the two classes; decisions are in ``StreamCore``. The iterating
generator is a module-level function that holds the core, not the stream, so a stream dropped
without ``close()`` releases its connection as soon as it is garbage collected (immediately in
CPython).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Generator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import httpx

from mistral_sdk._exceptions import StreamError, StreamIncompleteError
from mistral_sdk._streaming._chunks import CompletionStreamChunk, StreamChunk
from mistral_sdk._streaming._core import DRAIN_LIMIT, ErrorMode, StreamCore
from mistral_sdk._streaming._decoders import ChunkDecoder

if TYPE_CHECKING:
    from mistral_sdk.lib._completion import ChatCompletion
    from mistral_sdk.lib._events import ChatStreamEvent

__all__ = ["AsyncStream", "PendingAsyncStream", "Stream"]

T = TypeVar("T", bound=StreamChunk)

_READ_ERRORS = (httpx.TransportError, httpx.DecodingError)


class _StreamBase(Generic[T]):
    _core: StreamCore[T]

    def __init__(
        self,
        response: httpx.Response,
        decoder: ChunkDecoder[T],
        *,
        started_at: float | None = None,
        error_mode: ErrorMode = "raise",
    ) -> None:
        self._core = StreamCore(response, decoder, time.monotonic() if started_at is None else started_at, error_mode)

    @property
    def response(self) -> httpx.Response:
        """The HTTP response (status, headers such as rate limits); its body belongs to the stream."""
        return self._core.response

    @property
    def chunks(self) -> list[T]:
        """Every chunk decoded so far, in order (including one still waiting for look-ahead).

        Rebuilt on each access from what the stream recorded (retaining the handed-out objects would
        cost the hot path garbage-collector time), so these are equal chunks, not the same objects.
        """
        return self._core.chunks()

    @property
    def text(self) -> str:
        """The text of choice 0 received so far (rebuilt from the records: O(chunks) per read)."""
        return self._core.text()

    @property
    def keep_chunks(self) -> bool:
        """Whether the stream records what arrives (True by default).

        The records make ``chunks``, ``text``, ``final_response()`` and the partial data of errors
        possible, and grow with the stream (about 120 bytes per chat chunk). Set it to False, before or
        while iterating, to stream in constant memory: what was recorded is dropped, those four then
        raise ``RuntimeError`` (errors carry empty ``chunks`` and ``text``), and it cannot be turned
        back on.
        """
        return self._core.keep

    @keep_chunks.setter
    def keep_chunks(self, keep: bool) -> None:
        if keep is True and not self._core.keep:
            raise ValueError("keep_chunks cannot be turned back on: the stream's records were dropped")
        if keep is not True and keep is not False:
            raise TypeError(f"keep_chunks must be a bool, not {type(keep).__name__}")
        if not keep:
            self._core.drop_records()

    @property
    def error(self) -> StreamError | None:
        """The failure that ended the stream, if any (also in ``error_mode="in_band"``)."""
        return self._core.error

    @property
    def error_mode(self) -> ErrorMode:
        """``"raise"`` (a failure raises its ``StreamError``) or ``"in_band"`` (it arrives as a last chunk
        whose ``.error`` is set); may be changed at any time, it applies to failures from then on."""
        return "in_band" if self._core.in_band else "raise"

    @error_mode.setter
    def error_mode(self, mode: ErrorMode) -> None:
        if mode not in ("raise", "in_band"):
            raise ValueError(f"error_mode must be 'raise' or 'in_band', not {mode!r}")
        self._core.in_band = mode == "in_band"

    @property
    def done(self) -> bool:
        """True once the stream reached its end marker: everything was received."""
        return self._core.done

    def _assemble(self) -> Any:
        core = self._core
        if core.error is not None:
            raise core.error
        if not core.done:
            raise StreamIncompleteError(
                "the stream was closed before its end; no complete response exists",
                **core._so_far(),
            )
        core.require_records()
        accumulate = core.decoder.accumulate
        if accumulate is None:
            raise TypeError(f"{core.decoder.name} streams have no assembled response; iterate the events instead")
        return accumulate(core.chunks())

    def __repr__(self) -> str:
        core = self._core
        state = "done" if core.done else "failed" if core.error else "closed" if core.closed else "open"
        return f"{type(self).__name__}({core.decoder.name}, {state}, chunks={core.count})"


class Stream(_StreamBase[T]):
    """A synchronous stream of typed chunks; iterate it inside ``with``."""

    def __init__(
        self,
        response: httpx.Response,
        decoder: ChunkDecoder[T],
        *,
        started_at: float | None = None,
        error_mode: ErrorMode = "raise",
    ) -> None:
        super().__init__(response, decoder, started_at=started_at, error_mode=error_mode)
        self._bytes = _body(response)
        self._iterator = _iterate(self._core, self._bytes)

    def __iter__(self) -> Iterator[T]:
        # The generator itself, so a ``for`` loop resumes it directly instead of through ``__next__``
        # (one Python call less per chunk); ``next(stream)`` still works, on the same generator.
        return self._iterator

    def __del__(self) -> None:
        # A stream dropped before it was ever iterated has no running generator to release the
        # connection when collected; this does (with everything else, it is already closed).
        core = getattr(self, "_core", None)
        if core is not None and not core.closed:
            with contextlib.suppress(Exception):
                self.close()

    def __next__(self) -> T:
        return next(self._iterator)

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection now (back to the pool if the stream had ended, else closed)."""
        self._iterator.close()
        _release(self._core, self._bytes)

    @overload
    def final_response(self: Stream[CompletionStreamChunk]) -> ChatCompletion: ...
    @overload
    def final_response(self: Stream[T]) -> Any: ...
    def final_response(self) -> Any:
        """Consume what is left and return the complete response assembled from every chunk.

        Raises the stream's ``StreamError`` if it broke (in either error mode): a partial answer is
        never returned as a complete one; the error carries the partial data.
        """
        for _ in self:
            pass
        return self._assemble()

    @property
    def text_stream(self) -> Iterator[str]:
        """Only the text of choice 0, piece by piece; raises the stream's error if it breaks."""
        return _texts(self)

    def events(self: Stream[CompletionStreamChunk]) -> Iterator[ChatStreamEvent]:
        """Typed events instead of chunks: text, thinking and tool-call deltas, finished tool calls, and a
        last event carrying the assembled response (see ``mistral_sdk.lib._events``)."""
        from mistral_sdk.lib._events import iterate_events

        return iterate_events(self)

    def until_done(self) -> Stream[T]:
        """Consume the rest of the stream (raising its error, in either error mode) and return it."""
        for _ in self:
            pass
        if self.error is not None:
            raise self.error
        return self


class AsyncStream(_StreamBase[T]):
    """An asynchronous stream of typed chunks; iterate it inside ``async with``.

    Python does not tell an async iterator that a loop was left with ``break``: use ``async with``
    (or ``await stream.close()``) so the connection is released at once.
    """

    def __init__(
        self,
        response: httpx.Response,
        decoder: ChunkDecoder[T],
        *,
        started_at: float | None = None,
        error_mode: ErrorMode = "raise",
    ) -> None:
        super().__init__(response, decoder, started_at=started_at, error_mode=error_mode)
        self._bytes = _abody(response)
        self._iterator = _aiterate(self._core, self._bytes)

    def __aiter__(self) -> AsyncIterator[T]:
        # The async generator itself: ``async for`` then awaits it directly, without a wrapping
        # ``__anext__`` coroutine per chunk; ``anext(stream)`` still works, on the same generator.
        return self._iterator

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Release the connection now (back to the pool if the stream had ended, else closed)."""
        await self._iterator.aclose()
        await _arelease(self._core, self._bytes)

    @overload
    async def final_response(self: AsyncStream[CompletionStreamChunk]) -> ChatCompletion: ...
    @overload
    async def final_response(self: AsyncStream[T]) -> Any: ...
    async def final_response(self) -> Any:
        """Consume what is left and return the complete response (see ``Stream.final_response``)."""
        async for _ in self:
            pass
        return self._assemble()

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """Only the text of choice 0, piece by piece; raises the stream's error if it breaks."""
        return _atexts(self)

    def events(self: AsyncStream[CompletionStreamChunk]) -> AsyncIterator[ChatStreamEvent]:
        """Typed events instead of chunks (see ``Stream.events``)."""
        from mistral_sdk.lib._events import aiterate_events

        return aiterate_events(self)

    async def until_done(self) -> AsyncStream[T]:
        """Consume the rest of the stream (raising its error, in either error mode) and return it."""
        async for _ in self:
            pass
        if self.error is not None:
            raise self.error
        return self


class PendingAsyncStream(Generic[T]):
    """An async streaming call before its response has started.

    Lets an async client method be a plain ``def`` so every spelling works, and the request is sent
    on first use by any of them:

    * ``stream = await client.chat_completion_stream(req)``;
    * ``async with client.chat_completion_stream(req) as stream: async for chunk in stream``;
    * ``async with pending: async for chunk in pending`` (the pending object stands for its stream);
    * ``async for chunk in client.chat_completion_stream(req)`` (the stream releases its connection
      when the loop ends; after a ``break``, prefer ``async with`` so that happens at once).
    """

    def __init__(self, opener: Awaitable[AsyncStream[T]]) -> None:
        self._opener = opener
        self._stream: AsyncStream[T] | None = None

    async def _open(self) -> AsyncStream[T]:
        if self._stream is None:
            self._stream = await self._opener
        return self._stream

    def __await__(self) -> Generator[Any, None, AsyncStream[T]]:
        return self._open().__await__()

    async def __aenter__(self) -> AsyncStream[T]:
        return await self._open()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            await self._stream.close()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        stream = await self._open()
        return await stream.__anext__()

    async def close(self) -> None:
        """Release the stream's connection (nothing to do if the request was never sent)."""
        if self._stream is not None:
            await self._stream.close()


# -- the byte loops ------------------------------------------------------------------------------


def _body(response: httpx.Response) -> Iterator[bytes]:
    """The body's bytes as they arrive: straight from the transport's stream when nothing needs decoding.

    ``iter_bytes`` runs every read through a content decoder and a re-chunker and ``iter_raw`` through a
    re-chunker and a counter, two generator levels that for an unencoded body hand on what they were given
    (measured: ~2 us of a chunk's ~53 us). The stream reads ``response.stream`` itself instead and does what
    they would: it marks the body consumed, counts the bytes (``StreamCore.received``, published as the
    response's ``num_bytes_downloaded`` on release), attaches the request to transport errors and closes
    the response at the end. An encoded body (gzip...) or one already read goes through ``iter_bytes``.
    """
    stream = response.stream
    if not _raw_is_body(response) or not isinstance(stream, httpx.SyncByteStream):
        return response.iter_bytes()
    response.is_stream_consumed = True
    return iter(stream)


def _abody(response: httpx.Response) -> AsyncIterator[bytes]:
    """``_body`` for an async response."""
    stream = response.stream
    if not _raw_is_body(response) or not isinstance(stream, httpx.AsyncByteStream):
        return response.aiter_bytes()
    response.is_stream_consumed = True
    return stream.__aiter__()


def _raw_is_body(response: httpx.Response) -> bool:
    """The body is still to be read, and has no content coding: its raw bytes are its bytes."""
    if response.is_stream_consumed or response.is_closed:
        return False  # iter_bytes replays a body already read, or raises what httpx raises
    codings = response.headers.get_list("content-encoding", split_commas=True)
    return all(coding.strip().lower() == "identity" for coding in codings)


def _published_count(core: StreamCore[Any]) -> None:
    """Keep httpx's ``response.num_bytes_downloaded`` right for a body read from its stream directly."""
    response = core.response
    if core.received and response.num_bytes_downloaded == 0 and hasattr(response, "_num_bytes_downloaded"):
        response._num_bytes_downloaded = core.received


def _iterate(core: StreamCore[T], source: Iterator[bytes]) -> Generator[T, None, None]:
    try:
        if core.closed:
            return
        try:
            for data in source:
                ready = core.feed(data)
                if not isinstance(ready, list):
                    yield ready  # the usual read's one chunk: the stream goes on
                    continue
                if ready:
                    yield from ready
                if core.stopped:
                    break
            else:
                yield from core.finish()
        except _READ_ERRORS as exc:
            yield from core.fail(exc)
        if core.error is not None and not core.in_band:
            raise core.error
    finally:
        _release(core, source)


async def _aiterate(core: StreamCore[T], source: AsyncIterator[bytes]) -> AsyncGenerator[T, None]:
    try:
        if core.closed:
            return
        try:
            async for data in source:
                ready = core.feed(data)
                if not isinstance(ready, list):
                    yield ready  # the usual read's one chunk: the stream goes on
                    continue
                for chunk in ready:
                    yield chunk
                if core.stopped:
                    break
            else:
                for chunk in core.finish():
                    yield chunk
        except _READ_ERRORS as exc:
            for chunk in core.fail(exc):
                yield chunk
        if core.error is not None and not core.in_band:
            raise core.error
    finally:
        await _arelease(core, source)


def _release(core: StreamCore[Any], source: Iterator[bytes]) -> None:
    if core.closed:
        return
    core.closed = True
    try:
        if core.done and core.error is None:
            drained = 0
            for data in source:  # normally just the end of the chunked body
                drained += len(data)
                core.received += len(data)
                if drained > DRAIN_LIMIT:
                    break
    except (*_READ_ERRORS, httpx.StreamError):
        pass  # the answer was complete; the connection just will not be reused
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()
        core.response.close()
        _published_count(core)


async def _arelease(core: StreamCore[Any], source: AsyncIterator[bytes]) -> None:
    if core.closed:
        return
    core.closed = True
    try:
        if core.done and core.error is None:
            drained = 0
            async for data in source:
                drained += len(data)
                core.received += len(data)
                if drained > DRAIN_LIMIT:
                    break
    except (*_READ_ERRORS, httpx.StreamError):
        pass
    finally:
        aclose = getattr(source, "aclose", None)
        if aclose is not None:
            await aclose()
        await core.response.aclose()
        _published_count(core)


def _texts(stream: Stream[Any]) -> Iterator[str]:
    for chunk in stream:
        text = chunk.text
        if text:
            yield text
    if stream.error is not None:
        raise stream.error


async def _atexts(stream: AsyncStream[Any]) -> AsyncIterator[str]:
    async for chunk in stream:
        text = chunk.text
        if text:
            yield text
    if stream.error is not None:
        raise stream.error
