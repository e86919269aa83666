"""Client-side pacing: requests per second and tokens per minute, shared by every client given the same limiter.

Mistral enforces both limits per workspace; waiting on the client side is cheaper than collecting 429s and
retrying. The limiter is an httpx transport wrapper; the SDK clients put it around their httpx client's ``send``
(whatever that client mounts, proxies included), so it paces every request sent (retries included, each attempt
is a request) whatever code path sent it, and streamed answers pass through untouched.

The algorithm is GCRA (the "virtual scheduling" form of a token bucket): each request, under one lock, is given
the earliest start time that both budgets allow and the budgets are charged at that time; the caller then sleeps
until its start. No thread or task holds the lock while waiting, so an async wait never blocks the event loop,
and starts are handed out in the order requests arrived.

Tokens are not known before the answer, so a request is charged an estimate first and corrected afterwards:

* estimate: the characters of every string value in the JSON body, divided by 4 and rounded up, plus every
  ``max_tokens`` the body sets (top level, or nested as in ``completion_args``). Four characters per token is the
  usual rule of thumb for English; the correction below repairs the error for the requests that follow. A body
  that is not JSON (a file upload) and a request without a body are estimated at 0 tokens.
* correction: when a 2xx answer has been read to its end, ``usage.total_tokens`` replaces the estimate. For a JSON
  answer it is read from the body; for an event stream from the last ``data:`` line that carries a ``usage``
  object (Mistral sends it on the final chunk). An answer without usage keeps the estimate; a stream that breaks
  or is closed early keeps the estimate, and so does a request that failed on the network (it may have reached the
  server); a non-2xx answer is refunded, since the server did no work for it.

A request estimated above the whole per-minute budget waits for a full bucket and then goes alone; the overdraft
delays the requests after it, so the average still holds.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import anyio
import httpx

from ._cache import TapStream

__all__ = [
    "AsyncRateLimitTransport",
    "RateLimit",
    "RateLimitTransport",
    "estimate_tokens",
]

_CHARS_PER_TOKEN = 4


class _Gcra:
    """One budget: ``rate`` units per second, at most ``capacity`` units spent at once."""

    def __init__(self, rate: float, capacity: float) -> None:
        self.rate = rate
        self.capacity = capacity
        # The time at which the bucket is full again; in the past (here: never charged) means full now.
        self.tat = -math.inf

    def earliest(self, cost: float) -> float:
        return self.tat + (min(cost, self.capacity) - self.capacity) / self.rate

    def charge(self, cost: float, start: float) -> None:
        self.tat = max(self.tat, start) + cost / self.rate

    def adjust(self, delta: float) -> None:
        self.tat += delta / self.rate


@dataclass
class _Ticket:
    """A granted start: how long to wait, and the token estimate charged for it until the answer corrects it."""

    delay: float
    tokens: int
    settled: bool = field(default=False)


def _positive(name: str, value: float | None, *, integer: bool) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or (integer and not isinstance(value, int)):
        kind = "an int" if integer else "a number"
        raise TypeError(f"{name} must be {kind} or None, not {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")


class RateLimit:
    """A rate limiter to pass to clients as ``rate_limit=``; the same object passed to several clients (sync or
    async, in any threads) makes them share one budget.

    ``requests_per_second`` may be fractional (0.5 = one request every 2 s). ``burst`` is how many requests may
    start back to back after a quiet period (1 = evenly spaced). ``clock``, ``sleep`` and ``async_sleep`` exist
    so tests can drive the limiter with a fake clock; ``clock`` must be monotonic and in seconds.
    """

    def __init__(
        self,
        requests_per_second: float | None = None,
        tokens_per_minute: int | None = None,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        _positive("requests_per_second", requests_per_second, integer=False)
        _positive("tokens_per_minute", tokens_per_minute, integer=True)
        _positive("burst", burst, integer=True)
        if requests_per_second is None and tokens_per_minute is None:
            raise ValueError("RateLimit needs requests_per_second, tokens_per_minute or both")
        self.requests_per_second = requests_per_second
        self.tokens_per_minute = tokens_per_minute
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._async_sleep = async_sleep
        self._lock = threading.Lock()
        self._requests = _Gcra(requests_per_second, burst) if requests_per_second is not None else None
        self._tokens = _Gcra(tokens_per_minute / 60, tokens_per_minute) if tokens_per_minute is not None else None

    def __repr__(self) -> str:
        return (
            f"RateLimit(requests_per_second={self.requests_per_second!r}, "
            f"tokens_per_minute={self.tokens_per_minute!r}, burst={self.burst!r})"
        )

    def transport(self, inner: httpx.BaseTransport) -> RateLimitTransport:
        """``inner`` paced by this limiter, for an ``httpx.Client(transport=...)``."""
        return RateLimitTransport(inner, self)

    def async_transport(self, inner: httpx.AsyncBaseTransport) -> AsyncRateLimitTransport:
        """``inner`` paced by this limiter, for an ``httpx.AsyncClient(transport=...)``."""
        return AsyncRateLimitTransport(inner, self)

    def _reserve(self, tokens: int) -> _Ticket:
        with self._lock:
            now = self._clock()
            start = now
            if self._requests is not None:
                start = max(start, self._requests.earliest(1))
            if self._tokens is not None:
                start = max(start, self._tokens.earliest(tokens))
            if self._requests is not None:
                self._requests.charge(1, start)
            if self._tokens is not None:
                self._tokens.charge(tokens, start)
            return _Ticket(delay=start - now, tokens=tokens if self._tokens is not None else 0)

    def _settle(self, ticket: _Ticket, actual_tokens: int | None) -> None:
        """Replace the ticket's estimate by what the server reported (None: keep the estimate). Once per ticket."""
        with self._lock:
            if ticket.settled:
                return
            ticket.settled = True
            if self._tokens is not None and actual_tokens is not None:
                self._tokens.adjust(actual_tokens - ticket.tokens)

    def acquire(self, tokens: int = 0) -> _Ticket:
        """Wait (blocking the thread) until a request of ``tokens`` estimated tokens may start."""
        ticket = self._reserve(tokens)
        if ticket.delay > 0:
            try:
                self._sleep(ticket.delay)
            except BaseException:
                self._settle(ticket, 0)
                raise
        return ticket

    async def acquire_async(self, tokens: int = 0) -> _Ticket:
        """Wait (suspending only the task) until a request of ``tokens`` estimated tokens may start."""
        ticket = self._reserve(tokens)
        if ticket.delay > 0:
            try:
                await self._async_sleep(ticket.delay)
            except BaseException:
                # Cancelled while waiting: the request never went out, so its tokens go back to the budget.
                self._settle(ticket, 0)
                raise
        return ticket

    def _estimate(self, request: httpx.Request) -> int:
        return estimate_tokens(request) if self._tokens is not None else 0

    def _meter(self, ticket: _Ticket, response: httpx.Response) -> httpx.Response:
        """Arrange for the answer's usage to correct the ticket once its body has been read to the end."""
        if not 200 <= response.status_code < 300:
            self._settle(ticket, 0)
            return response
        if self._tokens is None:
            return response
        meter = _UsageMeter(response.headers)
        # In place: a response from an httpx client keeps its request, history and timing.
        response.stream = TapStream(response.stream, meter.feed, lambda: self._settle(ticket, meter.total()))
        return response


def _count_json(value: object) -> tuple[int, int]:
    """(characters in string values, sum of ``max_tokens`` values) of a parsed JSON document."""
    characters = max_tokens = 0
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            characters += len(item)
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            for key, child in item.items():
                if key == "max_tokens" and isinstance(child, int) and not isinstance(child, bool) and child > 0:
                    max_tokens += child
                else:
                    pending.append(child)
    return characters, max_tokens


def estimate_tokens(request: httpx.Request) -> int:
    """The tokens a request is charged before its answer arrives (see the module docstring for the rule)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        return 0
    try:
        parsed = json.loads(request.content)
    except (httpx.RequestNotRead, ValueError):
        return 0
    characters, max_tokens = _count_json(parsed)
    return -(-characters // _CHARS_PER_TOKEN) + max_tokens


def _usage_total(document: object) -> int | None:
    if not isinstance(document, dict):
        return None
    usage = document.get("usage")
    if not isinstance(usage, dict):
        return None
    total = usage.get("total_tokens")
    if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
        return total
    return None


class _UsageMeter:
    """Finds ``usage.total_tokens`` in a response body fed to it chunk by chunk.

    Event streams are scanned line by line and only the last usage is kept, so a long stream is not held in
    memory; a JSON body is kept whole (the client holds it whole anyway). A compressed body is kept raw and
    decoded once complete, with httpx's own decoders.
    """

    def __init__(self, headers: httpx.Headers) -> None:
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        self._sse = content_type == "text/event-stream"
        self._json = content_type == "application/json" or content_type.endswith("+json")
        self._encoding = headers.get("content-encoding", "identity").strip().lower() or "identity"
        self._raw = bytearray()
        self._line = bytearray()
        self._body = bytearray()
        self._total: int | None = None

    def feed(self, chunk: bytes) -> None:
        if not (self._sse or self._json):
            return
        if self._encoding != "identity":
            self._raw += chunk
        else:
            self._feed_decoded(chunk)

    def _feed_decoded(self, chunk: bytes) -> None:
        if self._json:
            self._body += chunk
            return
        self._line += chunk
        *lines, rest = self._line.split(b"\n")
        self._line = bytearray(rest)
        for line in lines:
            self._scan_line(bytes(line))

    def _scan_line(self, line: bytes) -> None:
        line = line.rstrip(b"\r")
        if not line.startswith(b"data:") or b'"usage"' not in line:
            return
        try:
            total = _usage_total(json.loads(line[5:]))
        except ValueError:
            return
        if total is not None:
            self._total = total

    def total(self) -> int | None:
        """The reported total once the body is complete; None when the answer carries no usage."""
        if self._encoding != "identity" and self._raw:
            decoded = httpx.Response(200, headers={"content-encoding": self._encoding}, content=bytes(self._raw))
            try:
                self._feed_decoded(decoded.read())
            except httpx.DecodingError:
                return None
            self._raw.clear()
        if self._sse and self._line:
            self._scan_line(bytes(self._line))
            self._line.clear()
        if self._json and self._body:
            try:
                self._total = _usage_total(json.loads(self._body))
            except ValueError:
                return None
        return self._total


class RateLimitTransport(httpx.BaseTransport):
    """Waits for the limiter before each request, then lets the answer's usage correct the token estimate."""

    def __init__(self, inner: httpx.BaseTransport, limit: RateLimit) -> None:
        self._inner = inner
        self._limit = limit

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        ticket = self._limit.acquire(self._limit._estimate(request))
        return self._limit._meter(ticket, self._inner.handle_request(request))

    def close(self) -> None:
        self._inner.close()


class AsyncRateLimitTransport(httpx.AsyncBaseTransport):
    """The async twin of ``RateLimitTransport``: the wait suspends the task, never the event loop."""

    def __init__(self, inner: httpx.AsyncBaseTransport, limit: RateLimit) -> None:
        self._inner = inner
        self._limit = limit

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        ticket = await self._limit.acquire_async(self._limit._estimate(request))
        return self._limit._meter(ticket, await self._inner.handle_async_request(request))

    async def aclose(self) -> None:
        await self._inner.aclose()
