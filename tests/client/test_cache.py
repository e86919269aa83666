"""The on-disk response cache against a real local HTTP server that counts what reaches it."""

from __future__ import annotations

import asyncio
import gzip
import json
import stat
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from mistral_sdk._cache import (
    CACHE_EXTENSION,
    CACHE_HEADER,
    AsyncCacheTransport,
    CacheTransport,
    ResponseCache,
    discard_cached_response,
)
from mistral_sdk._ratelimit import RateLimit, RateLimitTransport

API_KEY = "sk-test-0123456789abcdefSECRET"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
SSE_EVENTS = [
    b'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n',
    b'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"lo"}}]}\n\n',
    b'data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"total_tokens":7}}\n\n',
    b"data: [DONE]\n\n",
]

# Event streams that the server ends cleanly, by path.
SSE_BODIES = {
    "/v1/no-done": SSE_EVENTS[:3],
    "/v1/cut-event": [*SSE_EVENTS[:2], b'data: {"id":"c1","choices":['],
    "/v1/conversations": [
        b'event: conversation.response.started\ndata: {"type":"conversation.response.started"}\n\n',
        b'event: conversation.response.done\ndata: {"type":"conversation.response.done"}\n\n',
    ],
    "/v1/crlf": [e.replace(b"\n", b"\r\n") for e in SSE_EVENTS],
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _json(self, status: int, payload: object, *, compress: bool = False) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Set-Cookie", "session=private-cookie-value")
        self.send_header("x-request-id", "req-123")
        if compress:
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _chunked_sse(self, events: list[bytes], *, finish: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event in events:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
            self.wfile.flush()
        if finish:
            self.wfile.write(b"0\r\n\r\n")
        else:
            # Drop the connection in the middle of the body, as a network failure would.
            self.close_connection = True

    def do_GET(self) -> None:
        self.server.count(self.path)
        self._json(200, {"object": "list", "data": [], "n": self.server.hits[self.path]})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        self.server.count(self.path)
        n = self.server.hits[self.path]
        if self.path == "/v1/broken":
            self._chunked_sse(SSE_EVENTS[:2], finish=False)
            return
        if self.path in SSE_BODIES:
            self._chunked_sse(SSE_BODIES[self.path], finish=True)
            return
        if self.path == "/v1/echo-auth":
            self._json(200, {"auth": self.headers.get("Authorization"), "x-api-key": self.headers.get("x-api-key")})
            return
        status = int(self.headers.get("x-test-status", "200"))
        if status != 200:
            self._json(status, {"message": "no"})
            return
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            self._json(200, {"kind": "upload", "n": n})
            return
        body = json.loads(raw)
        if body.get("stream"):
            self._chunked_sse(SSE_EVENTS, finish=True)
            return
        self._json(200, {"n": n, "echo": body, "usage": {"total_tokens": 3}}, compress=self.path == "/v1/gzip")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()

    def count(self, path: str) -> None:
        with self._lock:
            self.hits[path] += 1

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that stops reading early resets the connection: expected here, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join()


@pytest.fixture
def cache(tmp_path: Path) -> ResponseCache:
    return ResponseCache(tmp_path / "cache")


def _client(server: _Server, cache: ResponseCache, headers: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=server.url, transport=CacheTransport(httpx.HTTPTransport(), cache), headers=headers or AUTH
    )


def _files(cache: ResponseCache) -> list[Path]:
    return sorted(cache.directory.glob("*")) if cache.directory.exists() else []


CHAT = {"model": "mistral-small-latest", "messages": [{"role": "user", "content": "hi"}], "temperature": 0}


def test_second_identical_request_is_a_hit_that_never_reaches_the_server(server: _Server, cache: ResponseCache) -> None:
    with _client(server, cache) as client:
        first = client.post("/v1/chat/completions", json=CHAT)
        second = client.post("/v1/chat/completions", json=CHAT)
    assert server.hits["/v1/chat/completions"] == 1
    assert first.headers[CACHE_HEADER] == "miss"
    assert first.extensions[CACHE_EXTENSION] == "miss"
    assert second.headers[CACHE_HEADER] == "hit"
    assert second.extensions[CACHE_EXTENSION] == "hit"
    assert second.status_code == 200
    assert second.json() == first.json()
    assert second.content == first.content
    assert second.headers["content-type"] == "application/json"
    assert second.headers["x-request-id"] == "req-123"
    assert len(_files(cache)) == 1


def test_key_ignores_json_layout_and_credentials_but_not_content(server: _Server, cache: ResponseCache) -> None:
    reordered = json.dumps(dict(reversed(list(CHAT.items()))), indent=2)
    with _client(server, cache) as client:
        client.post("/v1/chat/completions", json=CHAT)
        layout = client.post("/v1/chat/completions", content=reordered, headers={"Content-Type": "application/json"})
        other_key = client.post("/v1/chat/completions", json=CHAT, headers={"Authorization": "Bearer sk-other"})
        other_body = client.post("/v1/chat/completions", json={**CHAT, "temperature": 1})
        other_accept = client.post("/v1/chat/completions", json=CHAT, headers={"Accept": "text/event-stream"})
    assert layout.headers[CACHE_HEADER] == "hit"
    assert other_key.headers[CACHE_HEADER] == "hit"
    assert other_body.headers[CACHE_HEADER] == "miss"
    assert other_accept.headers[CACHE_HEADER] == "miss"
    assert server.hits["/v1/chat/completions"] == 3


def test_key_depends_on_url(server: _Server, cache: ResponseCache) -> None:
    with _client(server, cache) as client:
        client.post("/v1/chat/completions", json=CHAT)
        elsewhere = client.post("/v1/fim/completions", json=CHAT)
    assert elsewhere.headers[CACHE_HEADER] == "miss"
    assert server.hits["/v1/fim/completions"] == 1


@pytest.mark.parametrize("status", [400, 401, 429, 500, 503])
def test_error_answers_are_never_stored(server: _Server, cache: ResponseCache, status: int) -> None:
    with _client(server, cache) as client:
        for _ in range(2):
            response = client.post("/v1/chat/completions", json=CHAT, headers={"x-test-status": str(status)})
            assert response.status_code == status
            assert response.headers[CACHE_HEADER] == "miss"
    assert server.hits["/v1/chat/completions"] == 2
    assert _files(cache) == []


def test_get_and_non_json_posts_bypass_the_cache(server: _Server, cache: ResponseCache) -> None:
    with _client(server, cache) as client:
        gets = [client.get("/v1/models") for _ in range(2)]
        uploads = [client.post("/v1/files", files={"file": ("a.jsonl", b"{}\n")}) for _ in range(2)]
    assert [r.json()["n"] for r in gets] == [1, 2]
    assert [r.json()["n"] for r in uploads] == [1, 2]
    assert {r.headers[CACHE_HEADER] for r in gets + uploads} == {"bypass"}
    assert _files(cache) == []


def _read_stream(client: httpx.Client, body: dict[str, object]) -> tuple[httpx.Response, list[bytes]]:
    with client.stream("POST", "/v1/chat/completions", json=body) as response:
        return response, list(response.iter_raw())


def test_stream_is_recorded_and_replayed_with_the_same_bytes_and_chunks(server: _Server, cache: ResponseCache) -> None:
    body = {**CHAT, "stream": True}
    with _client(server, cache) as client:
        first, first_chunks = _read_stream(client, body)
        second, second_chunks = _read_stream(client, body)
        with client.stream("POST", "/v1/chat/completions", json=body) as third:
            lines = list(third.iter_lines())
    assert server.hits["/v1/chat/completions"] == 1
    assert first.headers[CACHE_HEADER] == "miss"
    assert second.headers[CACHE_HEADER] == "hit"
    assert b"".join(first_chunks) == b"".join(SSE_EVENTS)
    assert second_chunks == first_chunks
    assert second.headers["content-type"] == third.headers["content-type"] == "text/event-stream"
    assert "transfer-encoding" not in second.headers
    assert [line for line in lines if line] == [e.decode().strip() for e in SSE_EVENTS]


def test_stream_closed_early_by_the_caller_is_not_stored(server: _Server, cache: ResponseCache) -> None:
    body = {**CHAT, "stream": True}
    with _client(server, cache) as client:
        with client.stream("POST", "/v1/chat/completions", json=body) as response:
            next(response.iter_raw())
        assert _files(cache) == []
        again, _ = _read_stream(client, body)
    assert again.headers[CACHE_HEADER] == "miss"
    assert server.hits["/v1/chat/completions"] == 2
    assert len(_files(cache)) == 1


def test_broken_stream_raises_and_is_not_stored(server: _Server, cache: ResponseCache) -> None:
    with _client(server, cache) as client:
        for _ in range(2):
            with client.stream("POST", "/v1/broken", json={**CHAT, "stream": True}) as response:
                assert response.headers[CACHE_HEADER] == "miss"
                with pytest.raises(httpx.RemoteProtocolError):
                    list(response.iter_raw())
    assert server.hits["/v1/broken"] == 2
    assert _files(cache) == []


@pytest.mark.parametrize(
    ("path", "stored"),
    [("/v1/no-done", False), ("/v1/cut-event", False), ("/v1/conversations", True), ("/v1/crlf", True)],
)
def test_event_stream_is_stored_only_when_it_reached_its_end(
    server: _Server, cache: ResponseCache, path: str, stored: bool
) -> None:
    with _client(server, cache) as client:
        for _ in range(2):
            with client.stream("POST", path, json={**CHAT, "stream": True}) as response:
                assert b"".join(response.iter_raw()) == b"".join(SSE_BODIES[path])
    assert len(_files(cache)) == (1 if stored else 0)
    assert server.hits[path] == (1 if stored else 2)


def test_discarded_answer_is_not_stored_or_is_removed(server: _Server, cache: ResponseCache) -> None:
    with _client(server, cache) as client:
        with client.stream("POST", "/v1/chat/completions", json=CHAT) as response:
            response.read()
            discard_cached_response(response)  # judged unusable before the response is closed
        assert _files(cache) == []
        after_close = client.post("/v1/chat/completions", json=CHAT)
        assert len(_files(cache)) == 1
        discard_cached_response(after_close)  # judged unusable after it was stored
        assert _files(cache) == []
        assert client.post("/v1/chat/completions", json=CHAT).headers[CACHE_HEADER] == "miss"
        hit = client.post("/v1/chat/completions", json=CHAT)
        assert hit.headers[CACHE_HEADER] == "hit"
        discard_cached_response(hit)  # a replay judged unusable: its entry goes
        assert _files(cache) == []
        discard_cached_response(hit)
        discard_cached_response(client.get("/v1/models"))  # never cached: nothing to do, and no error
        assert client.post("/v1/chat/completions", json=CHAT).headers[CACHE_HEADER] == "miss"
    assert len(_files(cache)) == 1
    assert server.hits["/v1/chat/completions"] == 4


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: b"not a cache file",
        lambda data: data[:-3],
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),
        lambda data: data.replace(b'"status": 200', b'"status": "200"'),
        lambda data: data.replace(b'"status": 200', b'"status": 500'),
        lambda data: data.split(b"\n", 1)[0] + b"\n{not json\n",
    ],
    ids=["empty", "garbage", "truncated", "flipped-byte", "bad-status-type", "error-status", "bad-meta"],
)
def test_damaged_file_is_a_miss_and_gets_replaced(
    server: _Server, cache: ResponseCache, damage: Callable[[bytes], bytes]
) -> None:
    with _client(server, cache) as client:
        first = client.post("/v1/chat/completions", json=CHAT)
        (file,) = _files(cache)
        file.write_bytes(damage(file.read_bytes()))
        second = client.post("/v1/chat/completions", json=CHAT)
        third = client.post("/v1/chat/completions", json=CHAT)
    assert second.headers[CACHE_HEADER] == "miss"
    assert third.headers[CACHE_HEADER] == "hit"
    assert server.hits["/v1/chat/completions"] == 2
    assert third.json()["n"] == 2 != first.json()["n"]


def test_api_key_and_cookies_never_reach_the_cache_directory(server: _Server, cache: ResponseCache) -> None:
    with _client(server, cache) as client:
        client.post("/v1/chat/completions", json=CHAT)
        _read_stream(client, {**CHAT, "stream": True})
        client.post("/v1/gzip", json=CHAT)
    files = _files(cache)
    assert len(files) == 3
    for file in files:
        assert API_KEY not in file.name
        data = file.read_bytes()
        assert API_KEY.encode() not in data
        assert b"private-cookie-value" not in data
        assert b"set-cookie" not in data.lower()
        assert stat.S_IMODE(file.stat().st_mode) & 0o077 == 0


def test_response_that_echoes_the_key_is_not_stored(server: _Server, cache: ResponseCache) -> None:
    with _client(server, cache) as client:
        response = client.post("/v1/echo-auth", json=CHAT)
    assert API_KEY in response.text
    assert _files(cache) == []


def test_a_key_sent_in_x_api_key_is_kept_out_of_the_cache_like_a_bearer_token(
    server: _Server, cache: ResponseCache
) -> None:
    # the operations whose security scheme is an apiKey header send the key there, alone
    with _client(server, cache, {"x-api-key": API_KEY}) as client:
        client.post("/v1/chat/completions", json=CHAT)
        echoed = client.post("/v1/echo-auth", json=CHAT)
    assert API_KEY in echoed.text  # the echo is not stored: only the first answer is
    (file,) = _files(cache)
    assert API_KEY not in file.name and API_KEY.encode() not in file.read_bytes()


def test_compressed_body_is_stored_raw_and_replayed_decoded(server: _Server, cache: ResponseCache) -> None:
    with _client(server, cache) as client:
        first = client.post("/v1/gzip", json=CHAT)
        second = client.post("/v1/gzip", json=CHAT)
    assert second.headers[CACHE_HEADER] == "hit"
    assert second.headers["content-encoding"] == "gzip"
    assert second.json() == first.json() == {"n": 1, "echo": CHAT, "usage": {"total_tokens": 3}}
    (file,) = _files(cache)
    assert b'"echo"' not in file.read_bytes()  # the stored body is the compressed wire bytes


def test_concurrent_identical_requests_leave_one_valid_entry(server: _Server, cache: ResponseCache) -> None:
    results: list[int] = []
    with _client(server, cache) as client:

        def call() -> None:
            results.append(client.post("/v1/chat/completions", json=CHAT).status_code)

        threads = [threading.Thread(target=call) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        after = client.post("/v1/chat/completions", json=CHAT)
    assert results == [200] * 8
    assert [f.name for f in _files(cache)] == [f"{cache.key_for(after.request)}.cache"]
    assert after.headers[CACHE_HEADER] == "hit"
    assert not list(cache.directory.glob(".tmp-*"))


def test_async_hit_miss_and_stream_replay(server: _Server, cache: ResponseCache) -> None:
    async def run() -> tuple[list[str], bytes, bytes]:
        transport = AsyncCacheTransport(httpx.AsyncHTTPTransport(), cache)
        async with httpx.AsyncClient(base_url=server.url, transport=transport, headers=AUTH) as client:
            outcomes = []
            for _ in range(2):
                response = await client.post("/v1/chat/completions", json=CHAT)
                outcomes.append(response.headers[CACHE_HEADER])
            streamed: list[bytes] = []
            for _ in range(2):
                async with client.stream("POST", "/v1/chat/completions", json={**CHAT, "stream": True}) as response:
                    outcomes.append(response.headers[CACHE_HEADER])
                    streamed.append(b"".join([chunk async for chunk in response.aiter_raw()]))
            return outcomes, streamed[0], streamed[1]

    outcomes, recorded, replayed = asyncio.run(run())
    assert outcomes == ["miss", "hit", "miss", "hit"]
    assert recorded == replayed == b"".join(SSE_EVENTS)
    assert server.hits["/v1/chat/completions"] == 2


def test_sync_and_async_clients_share_one_cache(server: _Server, cache: ResponseCache) -> None:
    with _client(server, cache) as client:
        client.post("/v1/chat/completions", json=CHAT)

    async def run() -> str:
        transport = cache.async_transport(httpx.AsyncHTTPTransport())
        async with httpx.AsyncClient(base_url=server.url, transport=transport, headers=AUTH) as client:
            return (await client.post("/v1/chat/completions", json=CHAT)).headers[CACHE_HEADER]

    assert asyncio.run(run()) == "hit"
    assert server.hits["/v1/chat/completions"] == 1


def test_cache_hits_do_not_spend_the_rate_limit_when_the_cache_is_outermost(
    server: _Server, cache: ResponseCache
) -> None:
    waits: list[float] = []
    limit = RateLimit(requests_per_second=1, clock=lambda: 0.0, sleep=waits.append)
    transport = cache.transport(RateLimitTransport(httpx.HTTPTransport(), limit))
    with httpx.Client(base_url=server.url, transport=transport, headers=AUTH) as client:
        outcomes = [client.post("/v1/chat/completions", json=CHAT).headers[CACHE_HEADER] for _ in range(4)]
        client.post("/v1/chat/completions", json={**CHAT, "temperature": 1})
    assert outcomes == ["miss", "hit", "hit", "hit"]
    assert waits == [1.0]  # only the second network request waited


def test_clear_removes_every_entry(server: _Server, cache: ResponseCache) -> None:
    with _client(server, cache) as client:
        client.post("/v1/chat/completions", json=CHAT)
        client.post("/v1/fim/completions", json=CHAT)
        assert cache.clear() == 2
        assert client.post("/v1/chat/completions", json=CHAT).headers[CACHE_HEADER] == "miss"


def test_from_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    default = ResponseCache.from_option(True)
    assert default is not None and default.directory == tmp_path / "xdg" / "mistral-sdk"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    home = ResponseCache.from_option(True)
    assert home is not None and home.directory == tmp_path / "home" / ".cache" / "mistral-sdk"
    assert ResponseCache.from_option(None) is None
    assert ResponseCache.from_option(False) is None
    given = ResponseCache(tmp_path / "given")
    assert ResponseCache.from_option(given) is given
    by_str = ResponseCache.from_option(str(tmp_path / "s"))
    by_path = ResponseCache.from_option(tmp_path / "p")
    assert by_str is not None and by_str.directory == tmp_path / "s"
    assert by_path is not None and by_path.directory == tmp_path / "p"
    assert "ResponseCache(" in repr(given)
    with pytest.raises(TypeError, match="cache must be"):
        ResponseCache.from_option(1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="empty"):
        ResponseCache("")
    assert not (tmp_path / "xdg").exists()  # nothing is created before something is stored


def test_unwritable_directory_does_not_break_the_request(server: _Server, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_bytes(b"")
    cache = ResponseCache(blocker / "cache")
    with _client(server, cache) as client:
        responses = [client.post("/v1/chat/completions", json=CHAT) for _ in range(2)]
    assert [r.status_code for r in responses] == [200, 200]
    assert server.hits["/v1/chat/completions"] == 2
