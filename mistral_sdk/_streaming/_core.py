"""The stream's state machine, shared by ``Stream`` and ``AsyncStream``.

Both wrappers only move bytes: they pass each network read to ``StreamCore.feed`` and hand out
what it returns, and they report the end of the body (``finish``) or a transport failure
(``fail``). Every decision (look-ahead for the final chunk, the end marker, errors and what they
keep, timing) lives here once, so the sync and the async stream cannot behave differently.

Look-ahead: ``is_last_chunk`` needs to know that ``[DONE]`` follows. Within one network read
every chunk waits for the next event of that read, which costs nothing. At the end of a read, a
chunk that cannot be the final one (the decoder says so: no finish reason, no usage) is handed out
at once; only a chunk that may be final waits for the next read. The API's final chunk carries
both and ``[DONE]`` follows it immediately, so no chunk is ever delayed by generation time.

Memory: what arrived is recorded as ``(data, event, arrival time)`` in a compact ``ChunkRecords``
rather than by keeping the chunk objects; errors, ``chunks`` and ``final_response()`` rebuild chunks
from them. Retained chunk objects and their parsed dicts would be scanned by the garbage collector
again and again (measured: ~2 us per chunk, a third of the whole per-chunk cost). Still, the records
grow with the stream (about 120 bytes per chat chunk: 120 MB for a million); a caller that needs neither
``chunks``, ``text``, ``final_response()`` nor partial data on errors turns them off with
``keep = False`` (``Stream.keep_chunks``), and the stream then runs in constant memory.
"""

from __future__ import annotations

import json
import json.scanner
import time
from collections.abc import Callable
from typing import Any, Generic, Literal, TypeVar

import httpx

from mistral_sdk._error_body import read_error_body
from mistral_sdk._exceptions import (
    StreamDecodeError,
    StreamDisconnectedError,
    StreamError,
    StreamIdleTimeoutError,
    StreamIncompleteError,
    StreamResetError,
    StreamServerError,
)
from mistral_sdk._redact import redact_request
from mistral_sdk._streaming._chunks import StreamChunk
from mistral_sdk._streaming._decoders import BadChunk, ChunkDecoder, ErrorInData
from mistral_sdk._streaming._records import ChunkRecords
from mistral_sdk._streaming._sse import SSEDecoder

__all__ = ["DRAIN_LIMIT", "ErrorMode", "StreamCore"]

ErrorMode = Literal["raise", "in_band"]
T = TypeVar("T", bound=StreamChunk)

_RECORD_BATCH = ChunkRecords.BATCH

# After the end marker, at most this many further bytes are read so the connection can go back to
# the pool; a server that keeps sending past it gets its connection closed instead.
DRAIN_LIMIT = 65536

_monotonic = time.monotonic
# The JSON scanner behind ``json.loads`` (C when available), called directly: ``json.loads`` adds
# two Python calls and two whitespace regex matches per event (~10 % of a chunk's cost).
# typeshed types make_scanner's argument as the scanner itself; at run time it is the decoder.
_scan_once: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def _loads(text: str) -> Any:
    """``json.loads(text)``, same result and same errors, faster for the usual event data.

    The scanner parses one value from position 0. Anything it does not take whole (leading or
    trailing whitespace, trailing garbage, no value at all) goes to ``json.loads``, which then
    decides exactly as it always does; errors inside the value are the ones ``json.loads`` raises.
    """
    try:
        value, end = _scan_once(text, 0)
    except StopIteration:
        return json.loads(text)
    if end != len(text):
        return json.loads(text)
    return value


class StreamCore(Generic[T]):
    __slots__ = (
        "_error_chunk",
        "_final_events",
        "_held",
        "_last",
        "_last_at",
        "_pending",
        "_records",
        "_sentinel",
        "closed",
        "count",
        "decode",
        "decoder",
        "done",
        "error",
        "in_band",
        "keep",
        "received",
        "response",
        "sse",
        "started_at",
        "stopped",
    )

    def __init__(
        self, response: httpx.Response, decoder: ChunkDecoder[T], started_at: float, error_mode: ErrorMode
    ) -> None:
        if error_mode not in ("raise", "in_band"):
            raise ValueError(f"error_mode must be 'raise' or 'in_band', not {error_mode!r}")
        self.response = response
        self.decoder = decoder
        self.decode = decoder.decode
        self._sentinel = decoder.done_sentinel
        self._final_events = decoder.final_events
        self._error_chunk = decoder.error_chunk
        self.started_at = started_at
        self.in_band = error_mode == "in_band"
        self.sse = SSEDecoder()
        # What arrived, kept as (data, event, arrival time) in strings and an array, which
        # the garbage collector does not track, while retained chunk objects (and their parsed dicts)
        # would be, at ~2 us per chunk. ``chunks()`` rebuilds the chunk objects when needed.
        self._records = ChunkRecords(started_at)
        self._pending: list[tuple[str, str, float]] | None = self._records.pending  # None: nothing is recorded
        self.keep = True  # record what arrives (see the module docstring); False is final
        self.count = 0  # chunks decoded, recorded or not
        self.received = 0  # body bytes fed, drained ones included
        self._last: T | None = None  # the chunk handed out last (marked if the end marker comes late)
        self._held: T | None = None
        self._last_at = started_at
        self.done = False  # the end marker (or, without one, the end of the body) was seen
        self.stopped = False  # done, or failed: nothing more is read (one check per read for the byte loops)
        self.error: StreamError | None = None
        self.closed = False  # the response was released; iteration is over

    # -- input -----------------------------------------------------------------------------------

    def feed(self, data: bytes) -> T | list[T]:
        """What is ready after these bytes: the chunk of the usual read, else a list of chunks (often empty).

        The usual read is one whole event that is a chunk; handing that chunk out alone, not in a list,
        spares the byte loops a list and its iteration per chunk. On failure ``self.error`` is set (see
        ``_failed``).
        """
        self.received += len(data)
        text = self.sse.feed_one(data)
        if text is None or self._held is not None or text == self._sentinel:
            return self._feed_events(data, text)
        # The usual read, and no chunk waiting for look-ahead: what ``_feed_events`` does for it, without its
        # loop and list. In the bench loop every step here costs several times what it costs alone, so this
        # path is kept to the fewest steps (see docs/decisions.md, "Third pass").
        try:
            chunk = self.decode(_loads(text), "message")
        except (ValueError, BadChunk, ErrorInData):
            return self._feed_events(data, text)  # decodes it again, to report the failure in one place
        now = _monotonic()
        chunk.chunk_latency = now - self._last_at
        chunk.total_latency = now - self.started_at
        self._last_at = now
        self.count += 1
        pending = self._pending
        if pending is not None:  # ``ChunkRecords.append``, inlined
            pending.append((text, "message", now))
            if len(pending) >= _RECORD_BATCH:
                self._records.flush()  # compacts the history a batch at a time
        if chunk.may_end:
            self._held = chunk  # it may be the final chunk: it waits for the next read
            return []
        self._last = chunk
        return chunk

    def _feed_events(self, data: bytes, text: str | None) -> list[T]:
        """``feed`` for any read: ``text`` is the data of its one whole event, or ``None`` (not parsed yet)."""
        events: tuple[tuple[str, str], ...] | list[tuple[str, str]]
        if text is not None:
            events = ((text, "message"),)
        else:
            events = [(ev.data, ev.event) for ev in self.sse.feed(data)]
            if not events:
                return []
        now = _monotonic()
        ready: list[T] = []
        held = self._held
        sentinel = self._sentinel
        decode = self.decode
        for text, event in events:
            if text == sentinel:
                self._held = held
                self._end(ready)
                return ready
            try:
                chunk = decode(_loads(text), event)
            except ValueError as exc:  # JSONDecodeError; BadChunk is not a ValueError
                self._held = held
                return self._failed(
                    ready,
                    StreamDecodeError(f"invalid JSON in stream data: {exc}", raw_line=text, **self._so_far()),
                )
            except BadChunk as exc:
                self._held = held
                return self._failed(ready, StreamDecodeError(str(exc), raw_line=text, **self._so_far()))
            except ErrorInData as exc:
                self._held = held
                return self._failed(ready, _server_error(event, text, exc.error, self._so_far()))
            chunk.chunk_latency = now - self._last_at
            chunk.total_latency = now - self.started_at
            self._last_at = now
            self.count += 1
            if self._pending is not None:
                self._records.append(text, event, now)
            if held is not None:
                ready.append(held)
            held = chunk  # every chunk waits for the next event of the same read: free look-ahead
        if held is not None and not held.may_end:
            ready.append(held)  # it cannot be the final chunk: hand it out now, do not wait for the network
            held = None
        self._held = held
        if ready:
            self._last = ready[-1]
        return ready

    def finish(self) -> list[T]:
        """The body ended (cleanly, as far as HTTP is concerned)."""
        ready: list[T] = []
        cut, unterminated = self.sse.end()
        if self.done:
            return ready
        if cut is not None and self._sentinel is not None and cut.data == self._sentinel and cut.event == "message":
            # ``data: [DONE]`` and then the end of the body, without the blank line that would dispatch it:
            # stores and relays of streams often drop that last line. The marker itself arrived whole,
            # so nothing is missing. Any other cut event is still an incomplete stream (below).
            self._end(ready)
            return ready
        if self._sentinel is None and not unterminated:
            last = self._held if self._held is not None else self._last
            if self._final_events is None or (last is not None and last.may_end):
                self._end(ready)
                return ready
            expected = ", ".join(sorted(self._final_events))
            return self._failed(
                ready,
                StreamIncompleteError(f"the stream ended before its final event ({expected})", **self._so_far()),
            )
        what = self._sentinel
        msg = f"the stream ended without its end marker {what}" if what else "the stream ended inside an event"
        if unterminated:
            msg += f"; unterminated event: {unterminated[:200]!r}"
        return self._failed(ready, StreamIncompleteError(msg, unterminated=unterminated, **self._so_far()))

    def fail(self, exc: BaseException) -> list[T]:
        """A transport error while reading the body: map it to its ``StreamError`` subclass."""
        ready: list[T] = []
        if isinstance(exc, httpx.RequestError):
            # What httpx's own body iterators do (the stream may read the transport's stream directly).
            try:
                exc.request  # noqa: B018 - raises when httpx did not attach one
            except RuntimeError:
                exc.request = self.response.request
        so_far = self._so_far()
        err: StreamError
        if isinstance(exc, httpx.TimeoutException):
            err = StreamIdleTimeoutError(f"no data for longer than the stream's idle (read) timeout: {exc}", **so_far)
        elif _is_reset(exc):
            err = StreamResetError(f"the connection was reset during the stream: {exc}", **so_far)
        elif isinstance(exc, httpx.DecodingError):
            err = StreamDecodeError(f"the body could not be decoded: {exc}", raw_line="", **so_far)
        else:
            err = StreamDisconnectedError(f"the connection closed during the stream: {exc}", **so_far)
        err.__cause__ = exc
        return self._failed(ready, err)

    # -- output ----------------------------------------------------------------------------------

    def drop_records(self) -> None:
        """Stop recording and forget what was recorded: constant memory, no history from now on."""
        self.keep = False
        self._pending = None
        self._records = ChunkRecords(self.started_at)

    def require_records(self) -> None:
        if not self.keep:
            raise RuntimeError(
                "this stream does not keep its chunks (keep_chunks was set to False): "
                "chunks, text and final_response() are not available"
            )

    def chunks(self) -> list[T]:
        """Every chunk decoded so far, rebuilt from the records (fresh objects, same content and extras)."""
        self.require_records()
        decode = self.decode
        out: list[T] = []
        for text, event, latency, total in self._records:
            chunk = decode(_loads(text), event)
            chunk.chunk_latency = latency
            chunk.total_latency = total
            out.append(chunk)
        if out and self.done:
            out[-1].is_last_chunk = True
        return out

    def text(self) -> str:
        return "".join([c.text for c in self.chunks()])

    def _so_far(self) -> dict[str, Any]:
        """The partial data an error carries (nothing when the stream keeps no records)."""
        if not self.keep:
            return {"chunks": [], "text": "", "response": self.response}
        chunks = self.chunks()
        return {"chunks": chunks, "text": "".join([c.text for c in chunks]), "response": self.response}

    def _end(self, ready: list[T]) -> None:
        self.done = True
        self.stopped = True
        held = self._held
        self._held = None
        if held is not None:
            held.is_last_chunk = True
            ready.append(held)
        elif self._last is not None:
            # The final chunk carried neither a finish reason nor usage, so it was handed out before
            # the end marker arrived; mark it anyway, for a caller who kept it.
            self._last.is_last_chunk = True

    def _failed(self, ready: list[T], err: StreamError) -> list[T]:
        _redact(self.response)
        held = self._held
        self._held = None
        if held is not None:
            ready.append(held)
            self._last = held
        self.error = err
        self.stopped = True
        if self.in_band:
            closing = self._error_chunk()
            closing.error = err
            closing.is_last_chunk = True
            now = _monotonic()
            closing.chunk_latency = now - self._last_at
            closing.total_latency = now - self.started_at
            ready.append(closing)
        return ready


def _redact(response: httpx.Response) -> None:
    """The error keeps the response, whose request holds the API key: blank it (the request was sent)."""
    try:
        request = response.request
    except RuntimeError:  # a response built without a request
        return
    redact_request(request)


def _server_error(event: str, raw: str, error: object, so_far: dict[str, Any]) -> StreamServerError:
    # The same reader as for error answers: an error inside a stream comes in the same shapes.
    detail = read_error_body(error, raw[:200]).message
    return StreamServerError(
        f"the server sent an error in the stream: {detail}", raw_line=raw, event=event, error=error, **so_far
    )


def _is_reset(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ConnectionResetError):
            return True
        text = str(cur).lower()
        if "connection reset" in text or "errno 104" in text or "econnreset" in text:
            return True
        cur = cur.__cause__ or cur.__context__
    return False
