"""``api_key`` as a string, a function, or (async client) an async function, read for every attempt."""

from __future__ import annotations

import asyncio
import itertools
import logging

import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._exceptions import AuthenticationError, MissingAPIKeyError

from ._server import FakeClock, Reply, ScriptedServer

MODELS = {"object": "list", "data": []}
KEYS = ["sk-rotating-first-000000", "sk-rotating-second-11111", "sk-rotating-third-222222"]


def _rotating() -> tuple[list[int], object]:
    calls: list[int] = []
    counter = itertools.count()

    def key() -> str:
        n = next(counter)
        calls.append(n)
        return KEYS[n]

    return calls, key


def _sent_keys(server: ScriptedServer) -> list[str]:
    return [r.headers["authorization"] for r in server.requests]


def test_a_key_function_is_called_for_every_attempt_sync(server: ScriptedServer) -> None:
    calls, key = _rotating()
    server.reply(Reply(503, {"message": "busy"}), Reply(body=MODELS), Reply(body=MODELS))
    with Mistral(key, base_url=server.url, clock=FakeClock()) as client:  # type: ignore[arg-type]
        client.list_models()  # one retry: two attempts
        client.list_models()
    assert calls == [0, 1, 2]
    assert _sent_keys(server) == [f"Bearer {k}" for k in KEYS]


def test_a_key_function_is_called_for_every_attempt_async(server: ScriptedServer) -> None:
    calls, key = _rotating()
    server.reply(Reply(503, {"message": "busy"}), Reply(body=MODELS), Reply(body=MODELS))

    async def run() -> None:
        async with AsyncMistral(key, base_url=server.url, clock=FakeClock()) as client:  # type: ignore[arg-type]
            await client.list_models()
            await client.list_models()

    asyncio.run(run())
    assert calls == [0, 1, 2]
    assert _sent_keys(server) == [f"Bearer {k}" for k in KEYS]


def test_an_async_key_function_on_the_async_client(server: ScriptedServer) -> None:
    fetched: list[str] = []

    async def key() -> str:
        await asyncio.sleep(0)
        fetched.append(KEYS[len(fetched)])
        return fetched[-1]

    server.reply(Reply(429, {"message": "slow"}), Reply(body=MODELS))

    async def run() -> None:
        async with AsyncMistral(key, base_url=server.url, clock=FakeClock()) as client:
            await client.list_models()

    asyncio.run(run())
    assert fetched == KEYS[:2]
    assert _sent_keys(server) == [f"Bearer {KEYS[0]}", f"Bearer {KEYS[1]}"]


def test_an_async_key_function_on_the_sync_client_is_a_clear_error(server: ScriptedServer) -> None:
    async def key() -> str:
        return KEYS[0]

    with Mistral(key, base_url=server.url) as client, pytest.raises(TypeError, match="AsyncMistral"):  # type: ignore[arg-type]
        client.list_models()
    assert server.requests == []


@pytest.mark.parametrize(
    ("returned", "error", "match"),
    [
        ("", MissingAPIKeyError, "No API key"),
        (None, TypeError, "must be a str, got NoneType"),
        ("sk-with a-space", ValueError, "not shown here"),
    ],
)
def test_a_bad_key_from_a_function_is_refused_before_sending(
    server: ScriptedServer, returned: object, error: type[Exception], match: str
) -> None:
    with Mistral(lambda: returned, base_url=server.url) as client, pytest.raises(error, match=match) as info:  # type: ignore[arg-type]
        client.list_models()
    assert "sk-with" not in str(info.value)
    assert server.requests == []


def test_a_key_function_is_not_called_before_a_request() -> None:
    calls, key = _rotating()
    client = Mistral(key)  # type: ignore[arg-type]
    client.with_options(max_retries=0)
    assert calls == []
    assert "sk-rotating" not in repr(client)


def test_the_key_never_reaches_logs_or_errors(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("MISTRAL_LOG", "debug")
    caplog.set_level(logging.DEBUG, logger="mistral_sdk")
    server.reply(Reply(401, {"message": "Unauthorized"}))
    with Mistral(lambda: KEYS[0], base_url=server.url) as client, pytest.raises(AuthenticationError) as info:
        client.list_models()
    assert "Request: GET" in caplog.text
    assert KEYS[0] not in caplog.text
    assert KEYS[0] not in str(info.value) and KEYS[0] not in repr(vars(info.value))
    assert info.value.request is not None and info.value.request.headers["authorization"] == "[redacted]"
