"""Rate-limiter pacing with a fake clock (no real sleeping), against a real local HTTP server.

The server stamps each request with the fake clock's time when it arrives, so the tests assert the exact
schedule the limiter produced, not just that it waited.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import math
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from mistral_sdk._ratelimit import AsyncRateLimitTransport, RateLimit, RateLimitTransport, estimate_tokens


class FakeClock:
    """Time stands still except when the limiter sleeps, and every sleep is recorded."""

    def __init__(self, *, advance: bool = True) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._advance = advance
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            if self._advance:
                self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)  # let the other tasks run, as a real wait would


def _forbidden_sleep(seconds: float) -> None:
    raise AssertionError("the async path must not block the thread")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        self.server.arrived(self.server.clock())
        status = int(self.headers.get("x-test-status", "200"))
        usage = body.get("reply_usage")
        if body.get("stream"):
            events = [b'data: {"choices":[{"delta":{"content":"a"}}]}\n\n']
            events.append(b'data: {"choices":[],"usage":{"total_tokens":%d}}\n\n' % usage)
            events.append(b"data: [DONE]\n\n")
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for event in events:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            return
        payload = json.dumps({"id": "x"} if usage is None else {"id": "x", "usage": {"total_tokens": usage}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if self.headers.get("x-test-gzip"):
            payload = gzip.compress(payload)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.clock: FakeClock = FakeClock()
        self.arrivals: list[float] = []
        self._lock = threading.Lock()

    def arrived(self, at: float) -> None:
        with self._lock:
            self.arrivals.append(at)

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


def _limit(clock: FakeClock, **config: float) -> RateLimit:
    return RateLimit(**config, clock=clock, sleep=clock.sleep, async_sleep=clock.async_sleep)  # type: ignore[arg-type]


def _client(server: _Server, limit: RateLimit) -> httpx.Client:
    return httpx.Client(base_url=server.url, transport=limit.transport(httpx.HTTPTransport()))


# 400 characters of string values: estimated at 100 tokens.
PROMPT_100 = {"prompt": "x" * 400}


# --- configuration -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ({}, ValueError),
        ({"requests_per_second": 0}, ValueError),
        ({"requests_per_second": -1.5}, ValueError),
        ({"requests_per_second": math.inf}, ValueError),
        ({"requests_per_second": math.nan}, ValueError),
        ({"tokens_per_minute": 0}, ValueError),
        ({"tokens_per_minute": -100}, ValueError),
        ({"requests_per_second": 1, "burst": 0}, ValueError),
        ({"tokens_per_minute": 1.5}, TypeError),
        ({"requests_per_second": "2"}, TypeError),
        ({"requests_per_second": True}, TypeError),
        ({"requests_per_second": 1, "burst": 2.0}, TypeError),
    ],
)
def test_bad_configuration_is_a_clear_error(config: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error, match=r"requests_per_second|tokens_per_minute|burst"):
        RateLimit(**config)  # type: ignore[arg-type]


def test_transport_helpers_wrap_the_given_transport() -> None:
    limit = RateLimit(1)
    inner, ainner = httpx.HTTPTransport(), httpx.AsyncHTTPTransport()
    assert isinstance(limit.transport(inner), RateLimitTransport)
    assert isinstance(limit.async_transport(ainner), AsyncRateLimitTransport)
    assert limit.transport(inner)._inner is inner


def test_repr_shows_the_configuration() -> None:
    assert repr(RateLimit(2.5, 1000)) == "RateLimit(requests_per_second=2.5, tokens_per_minute=1000, burst=1)"


# --- the token estimate ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"prompt": "x" * 400}, 100),
        ({"prompt": "x" * 401}, 101),  # rounded up
        ({"model": "abcd", "messages": [{"role": "user", "content": "12345678"}], "max_tokens": 50}, 4 + 50),
        ({"inputs": "abcdefgh", "completion_args": {"max_tokens": 10, "temperature": 0.5}}, 2 + 10),
        ({"input": ["abcd", "efgh", "ij"]}, 3),
        ({"messages": [{"content": [{"type": "text", "text": "abcdefgh"}]}]}, 3),  # "text" + 8 chars: 12 chars
        ({"max_tokens": True, "n": 3}, 0),
        ({}, 0),
    ],
)
def test_estimate_from_a_json_body(body: dict[str, object], expected: int) -> None:
    assert estimate_tokens(httpx.Request("POST", "http://h/v1/x", json=body)) == expected


def test_estimate_of_bodies_that_are_not_json_is_zero() -> None:
    assert estimate_tokens(httpx.Request("GET", "http://h/v1/models")) == 0
    assert estimate_tokens(httpx.Request("POST", "http://h/v1/files", files={"file": ("a", b"x" * 4000)})) == 0
    bad = httpx.Request("POST", "http://h/v1/x", content=b"{not json", headers={"Content-Type": "application/json"})
    assert estimate_tokens(bad) == 0


# --- requests per second ---------------------------------------------------------------------------------------


def test_requests_per_second_spaces_requests_evenly(server: _Server) -> None:
    limit = _limit(server.clock, requests_per_second=2)
    with _client(server, limit) as client:
        for _ in range(5):
            client.post("/v1/chat/completions", json={})
    assert server.arrivals == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert server.clock.sleeps == [0.5] * 4


def test_fractional_rate_and_quiet_periods(server: _Server) -> None:
    limit = _limit(server.clock, requests_per_second=0.25)
    with _client(server, limit) as client:
        client.post("/v1/x", json={})
        client.post("/v1/x", json={})
        server.clock.now = 100.0  # a long pause: no waiting afterwards, and no saved-up burst either
        client.post("/v1/x", json={})
        client.post("/v1/x", json={})
    assert server.arrivals == [0.0, 4.0, 100.0, 104.0]


def test_burst_lets_the_first_requests_through_back_to_back(server: _Server) -> None:
    limit = _limit(server.clock, requests_per_second=1, burst=3)
    with _client(server, limit) as client:
        for _ in range(6):
            client.post("/v1/x", json={})
    assert server.arrivals == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0]


# --- tokens per minute -----------------------------------------------------------------------------------------


def test_tokens_per_minute_when_the_estimate_was_right(server: _Server) -> None:
    # 600 tokens a minute = 10 a second; each request is estimated and billed at 100.
    limit = _limit(server.clock, tokens_per_minute=600)
    with _client(server, limit) as client:
        for _ in range(8):
            client.post("/v1/chat/completions", json={**PROMPT_100, "reply_usage": 100})
    assert server.arrivals == [0.0] * 6 + [10.0, 20.0]


def test_reported_usage_above_the_estimate_slows_the_next_requests(server: _Server) -> None:
    limit = _limit(server.clock, tokens_per_minute=600)
    with _client(server, limit) as client:
        for _ in range(5):
            client.post("/v1/chat/completions", json={**PROMPT_100, "reply_usage": 300})
    assert server.arrivals == [0.0, 0.0, 10.0, 40.0, 70.0]


def test_reported_usage_below_the_estimate_gives_tokens_back(server: _Server) -> None:
    limit = _limit(server.clock, tokens_per_minute=600)
    with _client(server, limit) as client:
        for _ in range(12):
            client.post("/v1/chat/completions", json={**PROMPT_100, "reply_usage": 20})
    # Without the refund the 7th request would wait 10 s; 12 x 20 = 240 tokens fit in the budget.
    assert server.arrivals == [0.0] * 12


def test_answer_without_usage_keeps_the_estimate(server: _Server) -> None:
    limit = _limit(server.clock, tokens_per_minute=600)
    with _client(server, limit) as client:
        for _ in range(7):
            client.post("/v1/chat/completions", json=PROMPT_100)
    assert server.arrivals == [0.0] * 6 + [10.0]


def test_error_answers_are_refunded(server: _Server) -> None:
    limit = _limit(server.clock, tokens_per_minute=600)
    with _client(server, limit) as client:
        for _ in range(10):
            response = client.post("/v1/chat/completions", json=PROMPT_100, headers={"x-test-status": "429"})
            assert response.status_code == 429
    assert server.arrivals == [0.0] * 10


def test_usage_of_a_compressed_answer_is_read(server: _Server) -> None:
    limit = _limit(server.clock, tokens_per_minute=600)
    with _client(server, limit) as client:
        for _ in range(5):
            response = client.post(
                "/v1/chat/completions", json={**PROMPT_100, "reply_usage": 300}, headers={"x-test-gzip": "1"}
            )
            assert response.json()["usage"] == {"total_tokens": 300}
    assert server.arrivals == [0.0, 0.0, 10.0, 40.0, 70.0]


def test_stream_usage_corrects_the_estimate_once_the_stream_is_read(server: _Server) -> None:
    limit = _limit(server.clock, tokens_per_minute=600)
    with _client(server, limit) as client:
        for _ in range(5):
            with client.stream(
                "POST", "/v1/chat/completions", json={**PROMPT_100, "stream": True, "reply_usage": 300}
            ) as r:
                assert b"[DONE]" in r.read()
    assert server.arrivals == [0.0, 0.0, 10.0, 40.0, 70.0]


def test_stream_closed_early_keeps_the_estimate(server: _Server) -> None:
    limit = _limit(server.clock, tokens_per_minute=600)
    with _client(server, limit) as client:
        for _ in range(7):
            with client.stream(
                "POST", "/v1/chat/completions", json={**PROMPT_100, "stream": True, "reply_usage": 1}
            ) as r:
                next(r.iter_raw())
    assert server.arrivals == [0.0] * 6 + [10.0]


def test_request_above_the_whole_budget_waits_for_a_full_bucket(server: _Server) -> None:
    limit = _limit(server.clock, tokens_per_minute=600)
    with _client(server, limit) as client:
        client.post("/v1/x", json=PROMPT_100)  # 100 tokens
        client.post("/v1/x", json={"prompt": "x" * 4000})  # 1000 tokens > 600: waits until 600 are free
        client.post("/v1/x", json=PROMPT_100)  # the 400-token overdraft is paid back first: 100 free at 60 s
    assert server.arrivals == [0.0, 10.0, 60.0]


def test_both_limits_together_use_the_later_start(server: _Server) -> None:
    limit = _limit(server.clock, requests_per_second=1, tokens_per_minute=600)
    with _client(server, limit) as client:
        for _ in range(4):
            client.post("/v1/x", json={"prompt": "x" * 1200})  # 300 tokens each
    # requests/s alone: 0, 1, 2, 3. tokens alone: 0, 0, 30, 60. Together: the later of the two, and each
    # token-delayed start still keeps a second from the one before.
    assert server.arrivals == [0.0, 1.0, 30.0, 60.0]


def test_a_token_delayed_start_still_counts_for_requests_per_second(server: _Server) -> None:
    limit = _limit(server.clock, requests_per_second=1, tokens_per_minute=600)
    with _client(server, limit) as client:
        client.post("/v1/x", json={"prompt": "x" * 2400, "reply_usage": 600})  # the whole minute's budget
        client.post("/v1/x", json={**PROMPT_100, "reply_usage": 0})  # waits for tokens until 10 s, then refunded
        client.post("/v1/x", json={**PROMPT_100, "reply_usage": 0})  # tokens free at 10 s, but a second must pass
    assert server.arrivals == [0.0, 10.0, 11.0]


# --- sharing between threads, tasks and clients ------------------------------------------------------------------


def test_threads_and_clients_sharing_one_limiter_get_distinct_slots(server: _Server) -> None:
    clock = FakeClock(advance=False)
    server.clock = clock
    limit = _limit(clock, requests_per_second=2)
    clients = [_client(server, limit), _client(server, limit)]
    barrier = threading.Barrier(8)

    def call(client: httpx.Client) -> None:
        barrier.wait()
        client.post("/v1/x", json={})

    threads = [threading.Thread(target=call, args=(clients[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()
    assert len(server.arrivals) == 8
    assert sorted([0.0, *clock.sleeps]) == [i * 0.5 for i in range(8)]


def test_many_threads_reserving_at_once_never_share_a_slot() -> None:
    clock = FakeClock(advance=False)
    limit = _limit(clock, requests_per_second=4, tokens_per_minute=240)
    barrier = threading.Barrier(16)

    def work() -> None:
        barrier.wait()
        for _ in range(200):
            limit.acquire(1)

    threads = [threading.Thread(target=work) for _ in range(16)]
    previous = sys.getswitchinterval()
    # Switch threads as often as the interpreter allows, so that an unguarded read-then-charge would interleave.
    sys.setswitchinterval(1e-6)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(previous)
    # 3200 requests at 4/s: every start from 0 to 799.75 s handed out once. 1 token each at 4 tokens/s: never slower.
    assert sorted([0.0, *clock.sleeps]) == pytest.approx([i * 0.25 for i in range(3200)])


def test_async_tasks_share_the_limiter_without_blocking_the_thread(server: _Server) -> None:
    clock = FakeClock(advance=False)
    server.clock = clock
    limit = RateLimit(requests_per_second=2, clock=clock, sleep=_forbidden_sleep, async_sleep=clock.async_sleep)

    async def run() -> None:
        transport = AsyncRateLimitTransport(httpx.AsyncHTTPTransport(), limit)
        async with httpx.AsyncClient(base_url=server.url, transport=transport) as client:
            await asyncio.gather(*(client.post("/v1/x", json={}) for _ in range(8)))

    asyncio.run(run())
    assert len(server.arrivals) == 8
    assert sorted([0.0, *clock.sleeps]) == [i * 0.5 for i in range(8)]


def test_async_pacing_and_stream_correction(server: _Server) -> None:
    limit = RateLimit(
        tokens_per_minute=600, clock=server.clock, sleep=_forbidden_sleep, async_sleep=server.clock.async_sleep
    )

    async def run() -> None:
        transport = AsyncRateLimitTransport(httpx.AsyncHTTPTransport(), limit)
        async with httpx.AsyncClient(base_url=server.url, transport=transport) as client:
            for i in range(5):
                body = {**PROMPT_100, "stream": i % 2 == 1, "reply_usage": 300}
                async with client.stream("POST", "/v1/chat/completions", json=body) as response:
                    await response.aread()

    asyncio.run(run())
    assert server.arrivals == [0.0, 0.0, 10.0, 40.0, 70.0]


def test_sync_and_async_clients_share_one_budget(server: _Server) -> None:
    limit = _limit(server.clock, requests_per_second=1)
    with _client(server, limit) as client:
        client.post("/v1/x", json={})

    async def run() -> None:
        transport = limit.async_transport(httpx.AsyncHTTPTransport())
        async with httpx.AsyncClient(base_url=server.url, transport=transport) as aclient:
            await aclient.post("/v1/x", json={})

    asyncio.run(run())
    assert server.arrivals == [0.0, 1.0]


def test_cancelled_wait_gives_its_tokens_back() -> None:
    clock = FakeClock(advance=False)

    async def hang(seconds: float) -> None:
        clock.sleeps.append(seconds)
        await asyncio.Event().wait()

    limit = RateLimit(tokens_per_minute=600, clock=clock, sleep=_forbidden_sleep, async_sleep=hang)

    async def run() -> float:
        await limit.acquire_async(600)  # empties the bucket
        waiting = asyncio.create_task(limit.acquire_async(600))
        await asyncio.sleep(0)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        third = asyncio.create_task(limit.acquire_async(600))
        await asyncio.sleep(0)
        third.cancel()
        return clock.sleeps[-1]

    # The cancelled request never went out: the next one gets its slot (60 s), not the one after it (120 s).
    assert asyncio.run(run()) == 60.0
    assert clock.sleeps == [60.0, 60.0]
