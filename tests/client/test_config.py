"""Construction: key and base URL from arguments or environment, headers, lifecycle, option copies."""

from __future__ import annotations

import httpx
import pytest

from mistral_sdk import __version__
from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._exceptions import MissingAPIKeyError

from ._server import Reply, ScriptedServer

KEY = "sk-test-0123456789abcdef"
GET = {"method": "get", "url": "/v1/models"}


def test_key_from_env(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", "env-key")
    with Mistral(base_url=server.url) as client:
        client._send(GET)
    assert server.requests[0].headers["authorization"] == "Bearer env-key"


def test_explicit_key_beats_env(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", "env-key")
    with Mistral(KEY, base_url=server.url) as client:
        client._send(GET)
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"


@pytest.mark.parametrize("cls", [Mistral, AsyncMistral])
def test_missing_key_is_a_clear_error(cls: type[Mistral] | type[AsyncMistral]) -> None:
    with pytest.raises(MissingAPIKeyError, match="MISTRAL_API_KEY"):
        cls()


def test_empty_env_key_counts_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", "")
    with pytest.raises(MissingAPIKeyError):
        Mistral()


def test_default_base_url() -> None:
    with Mistral(KEY) as client:
        assert client.base_url == "https://api.mistral.ai"


def test_base_url_from_env_with_path_prefix(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MISTRAL_BASE_URL", server.url + "/gateway/mistral/")
    with Mistral(KEY) as client:
        client._send(GET)
        client._send({"method": "get", "url": "/v1/models/m1", "params": {"q": "a b"}})
    assert [r.path for r in server.requests] == ["/gateway/mistral/v1/models", "/gateway/mistral/v1/models/m1?q=a+b"]


def test_base_url_argument_beats_env(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MISTRAL_BASE_URL", "http://127.0.0.1:9/never")
    with Mistral(KEY, base_url=server.url + "/p") as client:
        client._send(GET)
    assert server.requests[0].path == "/p/v1/models"


def test_stream_marker_fragment_is_not_sent(server: ScriptedServer) -> None:
    with Mistral(KEY, base_url=server.url) as client:
        client._send({"method": "post", "url": "/v1/conversations#stream", "json": {}})
    assert server.requests[0].path == "/v1/conversations"


@pytest.mark.parametrize("bad", ["api.mistral.ai", "ftp://x", "http://"])
def test_bad_base_url(bad: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        Mistral(KEY, base_url=bad)


def test_headers(server: ScriptedServer) -> None:
    with Mistral(KEY, base_url=server.url, default_headers={"X-Team": "a", "User-Agent": "mine/1"}) as client:
        client._send({"method": "post", "url": "/v1/x", "json": {"a": 1}, "headers": {"Content-Type": "text/x"}})
        plain = client.with_options(default_headers={"X-Other": "b"})
        plain._send(GET)
    first, second = server.requests
    assert first.headers["x-team"] == "a"
    assert first.headers["user-agent"] == "mine/1"
    assert first.headers["content-type"] == "text/x"
    assert first.body == b'{"a":1}' or first.body == b'{"a": 1}'
    assert second.headers["x-team"] == "a" and second.headers["x-other"] == "b"


def test_user_agent(server: ScriptedServer) -> None:
    with Mistral(KEY, base_url=server.url) as client:
        client._send(GET)
    assert server.requests[0].headers["user-agent"] == f"mistral-sdk-python/{__version__}"


@pytest.mark.parametrize("own", [True, False], ids=["owned-client", "callers-http-client"])
def test_every_request_says_what_it_accepts_and_who_sends_it(server: ScriptedServer, own: bool) -> None:
    # Our own httpx client carries these two headers; a caller's client gets them per request.
    http = None if own else httpx.Client(headers={"User-Agent": "theirs/1", "Accept": "text/plain"})
    with Mistral(KEY, base_url=server.url, http_client=http) as client:
        client._send(GET)
        client.with_options(default_headers={"Accept": "application/x-ndjson"})._send(GET)
    first, second = server.requests
    assert first.headers["accept"] == "application/json"
    assert first.headers["user-agent"] == f"mistral-sdk-python/{__version__}"
    assert second.headers["accept"] == "application/x-ndjson"
    if http is not None:
        http.close()


def test_a_url_is_parsed_once_and_the_table_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from mistral_sdk import _base_client

    monkeypatch.setattr(_base_client, "_URLS", {})
    monkeypatch.setattr(_base_client, "_URLS_KEPT", 3)
    first = _base_client._parsed_url("https://api.example/v1/models")
    assert _base_client._parsed_url("https://api.example/v1/models") is first
    assert first == httpx.URL("https://api.example/v1/models")
    for i in range(5):
        assert _base_client._parsed_url(f"https://api.example/v1/files/{i}").path == f"/v1/files/{i}"
    assert 1 <= len(_base_client._URLS) <= 3


def test_default_headers_cannot_replace_the_key(server: ScriptedServer) -> None:
    with Mistral(KEY, base_url=server.url, default_headers={"Authorization": "Bearer other"}) as client:
        client._send(GET)
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_repr_never_shows_the_key() -> None:
    client = Mistral(KEY)
    aclient = AsyncMistral(KEY)
    for text in (repr(client), str(client), repr(aclient), repr(client.with_options(max_retries=5))):
        assert KEY not in text
        assert "api.mistral.ai" in text


def test_context_manager_closes_owned_client(server: ScriptedServer) -> None:
    with Mistral(KEY, base_url=server.url) as client:
        client._send(GET)
    assert client._http.is_closed
    with Mistral(KEY) as unused:
        pass
    with pytest.raises(RuntimeError, match="closed"):
        unused._send(GET)


def test_constructing_a_client_is_lazy() -> None:
    """No connection pool (and no TLS context, ~30 ms) until the first request; copies share the pool."""
    client = Mistral(KEY)
    assert client._pool._client is None
    copy = client.with_options(max_retries=0)
    assert copy._http is client._http


def test_user_http_client_is_used_and_hooks_still_fire(server: ScriptedServer) -> None:
    seen: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda r: seen.append(str(r.url))]})
    client = Mistral(KEY, base_url=server.url, http_client=http)
    client._send(GET)
    assert seen == [server.url + "/v1/models"]
    client.close()
    assert http.is_closed


def test_with_options_shares_pool_and_keeps_original(server: ScriptedServer) -> None:
    client = Mistral(KEY, base_url=server.url, max_retries=2, timeout=30.0)
    other = client.with_options(max_retries=0, timeout=httpx.Timeout(5.0, read=7.0))
    assert other._http is client._http
    assert (client.max_retries, other.max_retries) == (2, 0)
    assert client.timeout.read == 30.0 and other.timeout.read == 7.0
    assert other.with_options().timeout.read == 7.0
    client.close()


@pytest.mark.anyio
async def test_async_context_manager_and_send(server: ScriptedServer) -> None:
    server.reply(Reply(body={"ok": True}))
    async with AsyncMistral(KEY, base_url=server.url + "/pre") as client:
        response = await client._send(GET)
        assert response.json() == {"ok": True}
    assert client._http.is_closed
    assert server.requests[0].path == "/pre/v1/models"


@pytest.mark.integration
def test_import_and_construct_load_nothing_heavy() -> None:
    """Import-time budget: the facade, generated models, streaming layer and attrs load on first use only."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "import mistral_sdk as c\n"
        "c.Mistral('k'); c.AsyncMistral('k')\n"
        "print(sorted(m for m in sys.modules if m.startswith(('mistral_sdk.', 'attr', 'asyncio'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2]
    ).stdout
    loaded: list[str] = eval(out)  # a printed list of module names
    assert "mistral_sdk._base_client" in loaded
    heavy = (
        "mistral_sdk.resources.chat",
        "mistral_sdk._resource",
        "mistral_sdk._arguments",
        "mistral_sdk._generated",
        "attr",
        "asyncio",
    )
    assert [m for m in loaded if m.startswith(heavy)] == []


def test_key_is_stripped(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", " env-key\n")
    with Mistral(base_url=server.url) as client:
        client._send(GET)
    assert server.requests[0].headers["authorization"] == "Bearer env-key"


@pytest.mark.parametrize("bad", ["sk one", "sk\x00x", "sk\u00e9x"])
def test_malformed_key_is_refused_without_echoing_it(bad: str) -> None:
    with pytest.raises(ValueError, match="API key") as info:
        Mistral(bad)
    assert bad not in str(info.value)
