"""Retries: which outcomes retry, how often, how long we wait (fake clock: nothing really sleeps)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._exceptions import (
    APIConnectionError,
    APIStatusError,
    BadRequestError,
    InternalServerError,
    RateLimitError,
)
from mistral_sdk._retry import RetryPolicy, parse_retry_after

from ._server import FakeClock, Reply, ScriptedServer

KEY = "sk-retry"
GET = {"method": "get", "url": "/v1/models"}
OK = Reply(200, {"ok": True})


def client_for(server: ScriptedServer, clock: FakeClock, **options: object) -> Mistral:
    return Mistral(KEY, base_url=server.url, clock=clock, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 520, 529])
def test_retryable_statuses_retry_then_succeed(server: ScriptedServer, clock: FakeClock, status: int) -> None:
    server.reply(Reply(status, {"message": "busy"}), OK)
    with client_for(server, clock) as client:
        assert client._send(GET).json() == {"ok": True}
    assert len(server.requests) == 2
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422, 499])
def test_client_errors_do_not_retry(server: ScriptedServer, clock: FakeClock, status: int) -> None:
    server.default = Reply(status, {"message": "no"})
    with client_for(server, clock) as client, pytest.raises(APIStatusError):
        client._send(GET)
    assert len(server.requests) == 1 and clock.sleeps == []


def test_default_is_two_retries_then_the_error(server: ScriptedServer, clock: FakeClock) -> None:
    server.default = Reply(503, {"message": "down"})
    with client_for(server, clock) as client, pytest.raises(InternalServerError):
        client._send(GET)
    assert len(server.requests) == 3
    assert len(clock.sleeps) == 2


def test_exponential_backoff_with_jitter(server: ScriptedServer, clock: FakeClock) -> None:
    server.default = Reply(500, {"message": "down"})
    with client_for(server, clock, max_retries=4) as client, pytest.raises(InternalServerError):
        client._send(GET)
    assert len(server.requests) == 5
    # 0.5 * 2**n, minus up to 25 % jitter; never longer than the nominal delay
    for n, slept in enumerate(clock.sleeps):
        nominal = min(0.5 * 2**n, 8.0)
        assert nominal * 0.75 <= slept <= nominal


def test_jitter_bounds_with_fixed_random() -> None:
    low = RetryPolicy(random=lambda: 1.0)
    high = RetryPolicy(random=lambda: 0.0)
    assert low.delay(0, None, 0.0) == 0.375
    assert high.delay(0, None, 0.0) == 0.5
    assert high.delay(10, None, 0.0) == 8.0


def test_retry_after_seconds_is_honoured(server: ScriptedServer, clock: FakeClock) -> None:
    server.reply(Reply(429, {"message": "slow down"}, headers={"Retry-After": "7"}), OK)
    with client_for(server, clock) as client:
        client._send(GET)
    assert clock.sleeps == [7.0]


def test_retry_after_http_date_is_honoured(server: ScriptedServer, clock: FakeClock) -> None:
    when = datetime.fromtimestamp(clock.now() + 12, tz=UTC)
    server.reply(Reply(503, {}, headers={"Retry-After": format_datetime(when, usegmt=True)}), OK)
    with client_for(server, clock) as client:
        client._send(GET)
    assert clock.sleeps == [12.0]


def test_retry_after_ms_wins(server: ScriptedServer, clock: FakeClock) -> None:
    server.reply(Reply(429, {}, headers={"Retry-After": "9", "retry-after-ms": "1500"}), OK)
    with client_for(server, clock) as client:
        client._send(GET)
    assert clock.sleeps == [1.5]


def test_retry_after_is_capped(server: ScriptedServer, clock: FakeClock) -> None:
    server.reply(Reply(429, {}, headers={"Retry-After": "3600"}), OK)
    with client_for(server, clock) as client:
        client._send(GET)
    assert clock.sleeps == [60.0]


def test_rate_limit_error_after_retries_keeps_headers(server: ScriptedServer, clock: FakeClock) -> None:
    server.default = Reply(429, {"message": "Requests rate limit exceeded"}, headers={"Retry-After": "1"})
    with client_for(server, clock) as client, pytest.raises(RateLimitError) as info:
        client._send(GET)
    assert info.value.headers["retry-after"] == "1"
    assert clock.sleeps == [1.0, 1.0]


def test_server_can_forbid_a_retry(server: ScriptedServer, clock: FakeClock) -> None:
    server.reply(Reply(503, {}, headers={"x-should-retry": "false"}))
    with client_for(server, clock) as client, pytest.raises(InternalServerError):
        client._send(GET)
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "2.5"}, 2.5),
        ({"retry-after": " 0 "}, 0.0),
        ({"retry-after": "-1"}, None),
        ({"retry-after": "soon"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after-ms": "abc", "retry-after": "3"}, 3.0),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # in the past: retry now
        ({}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(httpx.Headers(headers), now=1_700_000_000.0) == expected


def test_connection_errors_retry(server: ScriptedServer, clock: FakeClock) -> None:
    server.reply(Reply(drop=True), Reply(drop=True), OK)
    with client_for(server, clock) as client:
        assert client._send(GET).json() == {"ok": True}
    assert len(server.requests) == 3 and len(clock.sleeps) == 2


def test_connection_error_after_all_retries(clock: FakeClock, dead_url: str) -> None:
    with Mistral(KEY, base_url=dead_url, clock=clock, max_retries=3) as client:
        with pytest.raises(APIConnectionError):
            client._send(GET)
    assert len(clock.sleeps) == 3


def test_per_call_override_with_options(server: ScriptedServer, clock: FakeClock) -> None:
    server.default = Reply(500, {})
    with client_for(server, clock, max_retries=5) as client:
        with pytest.raises(InternalServerError):
            client.with_options(max_retries=0)._send(GET)
        assert len(server.requests) == 1
        with pytest.raises(InternalServerError):
            client.with_options(max_retries=1).models.list()
        assert len(server.requests) == 3


def test_no_retry_after_a_stream_started(server: ScriptedServer, clock: FakeClock) -> None:
    """A stream that breaks after its first bytes is not re-sent: the caller gets the stream's own error."""
    server.reply(Reply(chunks=[b'data: {"id": "1"}\n\n'], stall=0.0))
    with client_for(server, clock) as client:
        response = client._send({"method": "post", "url": "/v1/chat/completions", "json": {}}, stream=True)
        assert response.status_code == 200
        response.read()
        response.close()
    assert len(server.requests) == 1 and clock.sleeps == []


def test_error_before_stream_start_is_retried(server: ScriptedServer, clock: FakeClock) -> None:
    server.reply(Reply(503, {}), Reply(chunks=[b"data: [DONE]\n\n"]))
    with client_for(server, clock) as client:
        response = client._send({"method": "post", "url": "/v1/chat/completions", "json": {}}, stream=True)
        assert response.read() == b"data: [DONE]\n\n"
    assert len(server.requests) == 2


def test_bad_request_in_a_stream_call_is_typed(server: ScriptedServer, clock: FakeClock) -> None:
    server.reply(Reply(400, {"message": "bad"}))
    with client_for(server, clock) as client, pytest.raises(BadRequestError):
        client._send({"method": "post", "url": "/v1/chat/completions", "json": {}}, stream=True)


@pytest.mark.anyio
async def test_async_retries_share_the_policy(server: ScriptedServer, clock: FakeClock) -> None:
    server.reply(Reply(429, {}, headers={"Retry-After": "4"}), Reply(drop=True), OK)
    async with AsyncMistral(KEY, base_url=server.url, clock=clock) as client:
        assert (await client._send(GET)).json() == {"ok": True}
    assert len(server.requests) == 3
    assert clock.sleeps[0] == 4.0 and 0.75 <= clock.sleeps[1] <= 1.0


def test_negative_retries_rejected() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        Mistral(KEY, max_retries=-1)
