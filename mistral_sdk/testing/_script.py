"""What a test can make the mock do instead of its normal answer: faults and scripted responses.

A fault comes from the scripting API (``MockServer.enqueue``) or, for clients that cannot reach the
server object (another process, the CLI), from the ``X-Mock-Fault`` request header, e.g.
``X-Mock-Fault: stall; after=2; seconds=0.5`` or ``X-Mock-Fault: status; code=429; retry_after=1``.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FAULT_HEADER",
    "Fault",
    "FaultKind",
    "RawChunk",
    "SSEEvent",
    "ScriptedResponse",
    "ScriptedStream",
    "parse_fault_header",
]

FAULT_HEADER = "X-Mock-Fault"


class FaultKind(enum.StrEnum):
    DISCONNECT = "disconnect"
    """Close the connection cleanly (FIN) in the middle of the body."""
    RESET = "reset"
    """Abort the connection with a TCP reset (SO_LINGER 0) in the middle of the body."""
    NO_DONE = "no_done"
    """End a stream properly at the HTTP level but without its ``[DONE]`` terminator (or its final event)."""
    INVALID_JSON = "invalid_json"
    """Send an event whose data is not JSON, then finish the stream."""
    ERROR_EVENT = "error_event"
    """Send an ``error`` event carrying the API's error body and end the stream."""
    STATUS = "status"
    """Answer with an error status (429 with ``Retry-After``, 500, 503, ...) and the API's error body."""
    SLOW_FIRST_BYTE = "slow_first_byte"
    """Wait before sending anything, then answer normally."""
    STALL = "stall"
    """Stop sending in the middle of the body, for ``seconds`` (or until the server stops), then go on."""


_STREAM_ONLY = frozenset({FaultKind.NO_DONE, FaultKind.ERROR_EVENT})


@dataclass(frozen=True)
class Fault:
    """A failure to inject into one response; build it with the class methods."""

    kind: FaultKind
    after_events: int = 1
    status: int = 500
    retry_after: float | None = None
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.after_events < 0:
            raise ValueError("after_events must be >= 0")
        if self.kind is FaultKind.STATUS and not 400 <= self.status <= 599:
            raise ValueError(f"a status fault needs a 4xx or 5xx status, got {self.status}")
        if self.seconds is not None and self.seconds < 0:
            raise ValueError("seconds must be >= 0")

    @property
    def stream_only(self) -> bool:
        return self.kind in _STREAM_ONLY

    @classmethod
    def disconnect(cls, after_events: int = 1) -> Fault:
        return cls(FaultKind.DISCONNECT, after_events=after_events)

    @classmethod
    def reset(cls, after_events: int = 1) -> Fault:
        return cls(FaultKind.RESET, after_events=after_events)

    @classmethod
    def no_done(cls) -> Fault:
        return cls(FaultKind.NO_DONE)

    @classmethod
    def invalid_json(cls, after_events: int = 1) -> Fault:
        return cls(FaultKind.INVALID_JSON, after_events=after_events)

    @classmethod
    def error_event(cls, after_events: int = 1) -> Fault:
        return cls(FaultKind.ERROR_EVENT, after_events=after_events)

    @classmethod
    def http_status(cls, status: int, retry_after: float | None = None) -> Fault:
        return cls(FaultKind.STATUS, status=status, retry_after=retry_after)

    @classmethod
    def rate_limited(cls, retry_after: float = 1) -> Fault:
        return cls(FaultKind.STATUS, status=429, retry_after=retry_after)

    @classmethod
    def slow_first_byte(cls, seconds: float) -> Fault:
        return cls(FaultKind.SLOW_FIRST_BYTE, seconds=seconds)

    @classmethod
    def stall(cls, after_events: int = 1, seconds: float | None = None) -> Fault:
        return cls(FaultKind.STALL, after_events=after_events, seconds=seconds)


def parse_fault_header(value: str) -> Fault:
    """``kind; key=value; ...`` → Fault; a bare status code (``429``) is a status fault. Bad input raises ValueError."""
    head, *params = [part.strip() for part in value.split(";") if part.strip()]
    options: dict[str, str] = {}
    for param in params:
        key, sep, raw = param.partition("=")
        if not sep:
            raise ValueError(f"fault parameter {param!r} is not key=value")
        options[key.strip().lower()] = raw.strip()
    if head.isdigit():
        options.setdefault("code", head)
        head = FaultKind.STATUS.value
    try:
        kind = FaultKind(head.lower())
    except ValueError:
        known = ", ".join(k.value for k in FaultKind)
        raise ValueError(f"unknown fault {head!r}; known: {known}") from None
    unknown = set(options) - {"after", "code", "retry_after", "seconds"}
    if unknown:
        raise ValueError(f"unknown fault parameters: {', '.join(sorted(unknown))}")
    retry_after = float(options["retry_after"]) if "retry_after" in options else None
    if kind is FaultKind.STATUS and "code" in options and int(options["code"]) == 429 and retry_after is None:
        retry_after = 1
    return Fault(
        kind,
        after_events=int(options.get("after", "1")),
        status=int(options.get("code", "500")),
        retry_after=retry_after,
        seconds=float(options["seconds"]) if "seconds" in options else None,
    )


@dataclass(frozen=True)
class SSEEvent:
    """One server-sent event: ``data`` is JSON-encoded unless it is already a string."""

    data: Any
    event: str | None = None

    def encode(self) -> bytes:
        lines = []
        if self.event is not None:
            lines.append(f"event: {self.event}")
        payload = self.data if isinstance(self.data, str) else json.dumps(self.data, separators=(",", ":"))
        lines.extend(f"data: {line}" for line in payload.split("\n"))
        return ("\n".join(lines) + "\n\n").encode("utf-8")


@dataclass(frozen=True)
class RawChunk:
    """Bytes written as one HTTP chunk, exactly: half an event, CRLF line ends, ``: comments``, a BOM..."""

    data: bytes

    def encode(self) -> bytes:
        return self.data


@dataclass(frozen=True)
class ScriptedResponse:
    """A literal answer for the next matching request; sent as given, not checked against the description."""

    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    fault: Fault | None = None

    def encoded(self) -> tuple[bytes, str]:
        if self.body is not None:
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        return json.dumps(self.json).encode("utf-8"), "application/json"


@dataclass(frozen=True)
class ScriptedStream:
    """A literal event stream for the next matching request; ``done`` appends ``data: [DONE]``.

    Each item is one HTTP chunk: an ``SSEEvent``, a JSON body (``data:``), a string (sent as ``data:``
    verbatim) or ``bytes``/``RawChunk`` (sent as they are, for testing SSE parsing edge cases).
    """

    events: Sequence[SSEEvent | RawChunk | Mapping[str, Any] | str | bytes]
    done: bool = True
    delay: float = 0.0
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    fault: Fault | None = None

    def chunks(self) -> list[SSEEvent | RawChunk]:
        return [
            e if isinstance(e, SSEEvent | RawChunk) else RawChunk(e) if isinstance(e, bytes) else SSEEvent(e)
            for e in self.events
        ]


ScriptItem = Fault | ScriptedResponse | ScriptedStream
