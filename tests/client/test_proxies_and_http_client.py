"""Where users run: proxies from the environment, their own httpx client, and our pacing/caching on top.

A real forward proxy on 127.0.0.1 (``_proxy.ForwardProxy``) records what reached it, so every test
can tell a proxied request from a direct one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._exceptions import APITimeoutError
from mistral_sdk._generated.models.chat_completion_request import ChatCompletionRequest
from mistral_sdk._generated.models.user_message import UserMessage
from mistral_sdk._ratelimit import RateLimit
from mistral_sdk.lib import choice_message

from ._proxy import ForwardProxy
from ._server import FakeClock, Reply, ScriptedServer
from .test_client_wiring import COMPLETION

KEY = "sk-proxy-test-0123456789"
MODELS = {"object": "list", "data": []}
MODES = ["sync", "async"]
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with ForwardProxy() as running:
        yield running


@pytest.fixture(autouse=True)
def _clean_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def _list_models(mode: str, make: dict[str, object], times: int = 1) -> None:
    """Call ``list_models`` ``times`` times through a fresh sync or async client built with ``make``."""
    if mode == "sync":
        with Mistral(KEY, **make) as client:  # type: ignore[arg-type]
            for _ in range(times):
                client.list_models()
        return

    async def run() -> None:
        async with AsyncMistral(KEY, **make) as client:  # type: ignore[arg-type]
            for _ in range(times):
                await client.list_models()

    asyncio.run(run())


def _request() -> ChatCompletionRequest:
    return ChatCompletionRequest(model="m", messages=[UserMessage(content="hi")])


@pytest.mark.parametrize("mode", MODES)
def test_http_proxy_from_the_environment_is_used(
    server: ScriptedServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    server.default = Reply(body=MODELS)
    _list_models(mode, {"base_url": server.url})
    assert proxy.seen == [("GET", server.url + "/v1/models")]
    assert len(server.requests) == 1
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"


@pytest.mark.parametrize("mode", MODES)
def test_no_proxy_from_the_environment_is_honoured(
    server: ScriptedServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    server.default = Reply(body=MODELS)
    _list_models(mode, {"base_url": server.url})
    assert proxy.seen == []
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_user_client_with_trust_env_false_ignores_the_environment(
    server: ScriptedServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    server.default = Reply(body=MODELS)
    http = httpx.Client(trust_env=False) if mode == "sync" else httpx.AsyncClient(trust_env=False)
    _list_models(mode, {"base_url": server.url, "http_client": http})
    assert proxy.seen == []
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_rate_limit_applies_through_a_user_clients_proxy_mount(
    server: ScriptedServer, proxy: ForwardProxy, mode: str
) -> None:
    pace = FakeClock()  # advances only by what the limiter sleeps
    limit = RateLimit(requests_per_second=2, clock=pace.now, sleep=pace.sleep, async_sleep=pace.asleep)
    server.default = Reply(body=MODELS)
    http = httpx.Client(proxy=proxy.url) if mode == "sync" else httpx.AsyncClient(proxy=proxy.url)
    transport_before = vars(http).get("_transport")
    _list_models(mode, {"base_url": server.url, "http_client": http, "rate_limit": limit}, times=3)
    assert len(proxy.seen) == 3 and len(server.requests) == 3
    assert sum(pace.sleeps) == pytest.approx(1.0)  # 3 requests at 2/s: two waits of 0.5 s
    assert vars(http).get("_transport") is transport_before  # the client was not rewired


@pytest.mark.parametrize("mode", MODES)
def test_cache_applies_through_a_user_clients_proxy_mount(
    server: ScriptedServer, proxy: ForwardProxy, tmp_path: Path, mode: str
) -> None:
    server.default = Reply(body=COMPLETION)
    contents: list[str | None] = []
    if mode == "sync":
        with Mistral(KEY, base_url=server.url, http_client=httpx.Client(proxy=proxy.url), cache=tmp_path) as client:
            for _ in range(3):
                contents.append(choice_message(client.chat_completion(_request()).choices[0]).content)  # type: ignore[arg-type]
    else:

        async def run() -> None:
            http = httpx.AsyncClient(proxy=proxy.url)
            async with AsyncMistral(KEY, base_url=server.url, http_client=http, cache=tmp_path) as client:
                for _ in range(3):
                    answer = await client.chat_completion(_request())
                    contents.append(choice_message(answer.choices[0]).content)  # type: ignore[arg-type]

        asyncio.run(run())
    assert contents == ["hi", "hi", "hi"]
    assert len(proxy.seen) == 1 and len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_user_client_keeps_its_own_timeout(server: ScriptedServer, mode: str) -> None:
    server.default = Reply(body=MODELS, delay=0.5)
    http = httpx.Client(timeout=0.05) if mode == "sync" else httpx.AsyncClient(timeout=0.05)
    with pytest.raises(APITimeoutError):
        _list_models(mode, {"base_url": server.url, "http_client": http, "max_retries": 0})


@pytest.mark.parametrize("mode", MODES)
def test_timeout_given_to_the_sdk_client_wins_over_the_user_clients(server: ScriptedServer, mode: str) -> None:
    server.default = Reply(body=MODELS, delay=0.3)
    http = httpx.Client(timeout=0.05) if mode == "sync" else httpx.AsyncClient(timeout=0.05)
    _list_models(mode, {"base_url": server.url, "http_client": http, "max_retries": 0, "timeout": 10.0})
    assert len(server.requests) == 1


def test_timeout_property_reports_what_requests_use() -> None:
    own = httpx.Timeout(7.0)
    assert Mistral(KEY, http_client=httpx.Client(timeout=own)).timeout == own
    assert Mistral(KEY, http_client=httpx.Client(timeout=own), timeout=3.0).timeout == httpx.Timeout(3.0)
    assert AsyncMistral(KEY, http_client=httpx.AsyncClient(timeout=own)).timeout == own
    default = Mistral(KEY).timeout
    assert default.read == 600.0 and default.connect == 10.0
    assert Mistral(KEY, timeout=None).timeout == httpx.Timeout(None)
    assert Mistral(KEY, http_client=httpx.Client(timeout=own)).with_options(timeout=2.0).timeout == httpx.Timeout(2.0)


def test_a_cache_hit_is_a_complete_raw_response(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = Reply(body=COMPLETION)
    with Mistral(KEY, base_url=server.url, cache=tmp_path) as client:
        miss = client.with_raw_response.chat.complete(model="m", messages=[UserMessage(content="hi")])
        hit = client.with_raw_response.chat.complete(model="m", messages=[UserMessage(content="hi")])
    assert (miss.headers["x-mistral-sdk-cache"], hit.headers["x-mistral-sdk-cache"]) == ("miss", "hit")
    assert hit.elapsed == 0.0 and miss.elapsed > 0.0
    assert hit.http_response.request.headers["authorization"] == "[redacted]"
    assert choice_message(hit.parsed.choices[0]).content == "hi"
    assert len(server.requests) == 1


# ---- the TLS context of the clients the SDK builds ----


def test_clients_the_sdk_builds_share_one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the CA bundle per client cost more than a round trip: it is loaded once per process."""
    from mistral_sdk import _base_client

    made: list[object] = []
    real = httpx.create_ssl_context

    def counting(*args: object, **kwargs: object) -> object:
        made.append(real())
        return made[-1]

    monkeypatch.setattr(httpx, "create_ssl_context", counting)
    _base_client._shared_tls.cache_clear()
    try:
        with ScriptedServer() as server:
            server.default = Reply(body=COMPLETION)
            for _ in range(3):
                with Mistral("k", base_url=server.url, max_retries=0) as client:
                    client.chat.complete(model="m", messages=[{"role": "user", "content": "hi"}])

            async def run() -> None:
                async with AsyncMistral("k", base_url=server.url, max_retries=0) as client:
                    await client.chat.complete(model="m", messages=[{"role": "user", "content": "hi"}])

            asyncio.run(run())
        assert len(server.requests) == 4
        assert len(made) == 1
    finally:
        _base_client._shared_tls.cache_clear()  # the next client loads the real, unpatched context


def test_a_callers_client_keeps_its_own_tls_settings() -> None:
    mine = httpx.Client(verify=False)
    with Mistral("k", http_client=mine) as client:
        assert client._http is mine
