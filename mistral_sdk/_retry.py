"""The one retry policy, shared by the sync and the async client.

Only decisions live here (whether to retry, how long to wait); the loops that send and sleep are in
``_base_client``. Keeping the policy pure makes it testable with a fake clock and guarantees that sync
and async callers see the same behaviour.
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Protocol

import httpx

from ._frozen import Frozen

__all__ = ["RETRYABLE_STATUSES", "Clock", "RetryPolicy", "SystemClock", "parse_retry_after"]

# 408 request timeout, 409 conflict (lock contention on the server), 429 rate limited; every 5xx is added below.
RETRYABLE_STATUSES = frozenset({408, 409, 429})


class Clock(Protocol):
    """Time source and sleeper; tests inject a fake one so no test really sleeps."""

    def now(self) -> float:
        """Seconds since the epoch (wall clock: HTTP dates in ``Retry-After`` are wall-clock times)."""
        ...

    def sleep(self, seconds: float) -> None: ...

    async def asleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        # Imported here: asyncio is heavy and a sync-only program never needs it.
        import asyncio

        await asyncio.sleep(seconds)


def parse_retry_after(headers: httpx.Headers, now: float) -> float | None:
    """Seconds the server asked us to wait, or None when it did not say (or said something unusable).

    ``retry-after-ms`` wins because it is more precise; ``Retry-After`` may be seconds or an HTTP date.
    """
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            value = float(ms) / 1000.0
        except ValueError:
            value = -1.0
        if value >= 0.0 and value == value:  # rejects NaN
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        value = float(raw)
    except ValueError:
        try:
            when = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        return max(0.0, when.timestamp() - now)
    if value < 0.0 or value != value or value == float("inf"):
        return None
    return value


class RetryPolicy(Frozen):
    """When to retry and how long to wait between attempts.

    Backoff is exponential (``initial_delay * 2**n``, capped at ``max_delay``) with up to ``jitter`` of it
    removed at random, so many clients hit by the same outage do not retry in lockstep. A server-sent
    ``Retry-After`` replaces the backoff but is capped at ``max_retry_after``: a server asking for an hour
    should not silently freeze a program; beyond the cap we still wait only the cap.
    """

    # In __init__'s order, which repr follows (hence unsorted).
    __slots__ = ("max_retries", "initial_delay", "max_delay", "max_retry_after", "jitter", "random")  # noqa: RUF023
    _hidden = frozenset({"random"})

    max_retries: int
    initial_delay: float
    max_delay: float
    max_retry_after: float
    jitter: float
    random: Callable[[], float]

    def __init__(
        self,
        max_retries: int = 2,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_retry_after: float = 60.0,
        jitter: float = 0.25,
        random: Callable[[], float] = _random.random,
    ) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {max_retries}")
        self._set(
            max_retries=max_retries,
            initial_delay=initial_delay,
            max_delay=max_delay,
            max_retry_after=max_retry_after,
            jitter=jitter,
            random=random,
        )

    def should_retry_status(self, status_code: int, headers: httpx.Headers | None = None) -> bool:
        if headers is not None:
            # The server may decide explicitly (some gateways send this header).
            hint = headers.get("x-should-retry")
            if hint == "true":
                return True
            if hint == "false":
                return False
        return status_code in RETRYABLE_STATUSES or status_code >= 500

    def delay(self, retries_done: int, headers: httpx.Headers | None, now: float) -> float:
        """Seconds to wait before retry number ``retries_done + 1``."""
        if headers is not None:
            asked = parse_retry_after(headers, now)
            if asked is not None:
                return min(asked, self.max_retry_after)
        base = min(self.initial_delay * (2.0**retries_done), self.max_delay)
        return base * (1.0 - self.jitter * self.random())
