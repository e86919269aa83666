"""The one Server-Sent Events decoder, shared by the sync and the async stream.

It is push-based (``feed(bytes)`` returns the events completed by those bytes) so the same object
serves ``iter_bytes()`` and ``aiter_bytes()``: sync and async cannot drift apart because there is
only one parser. It follows the WHATWG event-stream rules: UTF-8 with replacement and one leading
BOM stripped, LF / CR / CRLF line ends (also mixed, and split between reads), ``:`` comments,
``data`` lines joined with LF, ``event``, ``id`` (ignored when it contains NUL; persists across
events), ``retry`` (ASCII digits only), unknown fields ignored, and an unterminated event at end of
input discarded (reported by ``close()``/``end()`` so the caller can say what was cut, or accept a
cut ``[DONE]``).

Hot-path notes: a read that is whole ``data: ...`` events of one line each, arriving with nothing
carried over from the previous read (the API's usual read: one event), takes a bytes-level fast
path: a memchr for CR and LF, and each value decoded alone, which gives the same text since no UTF-8
sequence spans an ASCII LF. Any other read takes the general path: bytes are decoded once per
network read (C), lines are split with ``str.split`` (C), and a line is only scanned for ``:``
once; a partial line is kept as a list of pieces so a very large event arriving in many reads
costs linear, not quadratic, time.
"""

from __future__ import annotations

import codecs

__all__ = ["SSEDecoder", "ServerSentEvent"]

# Bytes searched as ints: ``13 in data`` is a memchr, ``b"\r" in data`` a general substring search (~5x slower).
_CR = 13
_LF = 10


class ServerSentEvent:
    """One dispatched event. ``event`` is ``"message"`` when the stream named no type."""

    __slots__ = ("data", "event", "id", "retry")

    def __init__(self, data: str, event: str = "message", id: str = "", retry: int | None = None) -> None:
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return (self.data, self.event, self.id, self.retry) == (other.data, other.event, other.id, other.retry)

    def __hash__(self) -> int:
        return hash((self.data, self.event, self.id, self.retry))

    def __repr__(self) -> str:
        return f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r}, retry={self.retry!r})"


class SSEDecoder:
    """Incremental event-stream parser: feed it bytes as they arrive, in any split."""

    __slots__ = ("_clean", "_data", "_event", "_last_id", "_partial", "_pending_cr", "_retry", "_utf8")

    def __init__(self) -> None:
        # utf-8-sig strips one BOM at the very start, even when its three bytes arrive in separate reads.
        self._utf8 = codecs.getincrementaldecoder("utf-8-sig")("replace")
        self._partial: list[str] = []  # pieces of the current, not yet terminated, line
        self._pending_cr = False  # the previous text ended with CR: a LF starting the next text is its pair
        self._data: list[str] = []
        self._event = ""
        self._last_id = ""
        self._retry: int | None = None
        # Nothing is carried over from earlier reads (no partial line, CR, field, undecoded byte or
        # undecided BOM): the next read may take the whole-event fast path. Set by the general path.
        self._clean = False

    def feed_one(self, chunk: bytes) -> str | None:
        """The data of ``chunk`` if it is exactly one whole one-line ``data: ...`` event, else ``None``.

        That is the API's usual read. Such a chunk is consumed as ``feed`` would consume it, and ``feed``
        would return ``[ServerSentEvent(data, "message", id, retry)]``; a caller that needs only the data
        (the stream's hot path) skips building that list and object. Any other chunk is left untouched
        for ``feed``.
        """
        # Fast path (module docstring): the clean state means no byte of an earlier read is pending
        # and the BOM was settled, so decoding each value alone equals decoding the whole stream.
        if self._clean and _CR not in chunk and chunk.startswith(b"data: "):
            first_lf = chunk.find(_LF)
            if first_lf == len(chunk) - 2 and chunk[-1] == _LF:
                return chunk[6:first_lf].decode("utf-8", "replace")
        return None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Consume ``chunk``; return the events it completed (often none or one)."""
        data = self.feed_one(chunk)
        if data is not None:
            return [ServerSentEvent(data, "message", self._last_id, self._retry)]
        if self._clean and _CR not in chunk and chunk.startswith(b"data: "):
            events = self._whole_events(chunk)
            if events is not None:
                return events
        events = self._feed_text(chunk)
        self._clean = (
            not self._partial
            and not self._pending_cr
            and not self._data
            and not self._event
            and self._utf8.getstate() == (b"", 0)
        )
        return events

    def _whole_events(self, chunk: bytes) -> list[ServerSentEvent] | None:
        """A read of several ``data: ...`` events, each one line, the last one terminated: its events
        without per-line text work; ``None`` when the read is anything else (nothing consumed).
        """
        if not chunk.endswith(b"\n\n"):
            return None
        events: list[ServerSentEvent] = []
        for part in chunk[:-2].split(b"\n\n"):
            if not part.startswith(b"data: ") or _LF in part:
                return None
            events.append(ServerSentEvent(part[6:].decode("utf-8", "replace"), "message", self._last_id, self._retry))
        return events

    def _feed_text(self, chunk: bytes) -> list[ServerSentEvent]:
        text = self._utf8.decode(chunk)
        if not text:
            return []
        if self._pending_cr:
            self._pending_cr = False
            if text[0] == "\n":
                text = text[1:]
                if not text:
                    return []
        if "\r" in text:
            self._pending_cr = text[-1] == "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" not in text:
            self._partial.append(text)
            return []
        if self._partial:
            self._partial.append(text)
            text = "".join(self._partial)
            self._partial = []
        lines = text.split("\n")
        tail = lines.pop()
        if tail:
            self._partial.append(tail)
        return self._lines(lines)

    def close(self) -> str:
        """End of input: return the raw text of an unterminated event, which the rules discard."""
        return self.end()[1]

    def end(self) -> tuple[ServerSentEvent | None, str]:
        """End of input: the unterminated event as it would have been dispatched (or None), and its raw text.

        The rules discard that event; the caller decides whether a cut event may still count, which
        only the end marker ``data: [DONE]`` does (see ``StreamCore.finish``).
        """
        rest = self._utf8.decode(b"", True)
        if rest:
            self._partial.append(rest.replace("\r\n", "\n").replace("\r", "\n"))
        pending = "".join(self._partial)
        had_fields = bool(self._data or self._event or pending)
        unterminated = ""
        event: ServerSentEvent | None = None
        if had_fields:
            parts = [f"event: {self._event}"] if self._event else []
            parts.extend(f"data: {d}" for d in self._data)
            if pending:
                parts.append(pending)
            unterminated = "\n".join(parts)
            # What a blank line would have dispatched: the pending line completed, then the event.
            self._partial = []
            if pending:
                self._lines([pending])
            dispatched = self._lines([""])
            event = dispatched[0] if dispatched else None
        self._partial = []
        self._data = []
        self._event = ""
        return event, unterminated

    def _lines(self, lines: list[str]) -> list[ServerSentEvent]:
        events: list[ServerSentEvent] = []
        data = self._data
        for line in lines:
            if not line:
                if data:
                    events.append(
                        ServerSentEvent("\n".join(data), self._event or "message", self._last_id, self._retry)
                    )
                    data = self._data = []
                self._event = ""
                continue
            if line[0] == "d" and line.startswith("data: "):  # the common case, without a field scan
                data.append(line[6:])
                continue
            colon = line.find(":")
            if colon == 0:
                continue  # comment
            if colon < 0:
                field, value = line, ""
            else:
                field = line[:colon]
                value = line[colon + 2 :] if line.startswith(" ", colon + 1) else line[colon + 1 :]
            if field == "data":
                data.append(value)
            elif field == "event":
                self._event = value
            elif field == "id":
                if "\0" not in value:
                    self._last_id = value
            elif field == "retry":
                if value and value.isascii() and value.isdigit():
                    self._retry = int(value)
        return events
