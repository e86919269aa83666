"""Streams the mock synthesizes, and every fault it can inject, as an HTTP client observes them."""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from mistral_sdk.testing import (
    DELAY_HEADER,
    EVENTS_HEADER,
    FAULT_HEADER,
    Fault,
    FaultKind,
    MockServer,
    RawChunk,
    ScriptedResponse,
    ScriptedStream,
    SSEEvent,
)
from mistral_sdk.testing._script import parse_fault_header

AUTH = {"Authorization": "Bearer test-key"}
CHAT = {"model": "mistral-small-latest", "messages": [{"role": "user", "content": "Hi"}], "stream": True}


def sse_blocks(raw: bytes) -> list[dict[str, str]]:
    """Split an SSE body into events ({field: value}); a test-side parser, independent of the SDK's."""
    events = []
    for block in raw.decode().split("\n\n"):
        if not block.strip():
            continue
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            name, _, value = line.partition(": ")
            fields[name] = fields[name] + "\n" + value if name in fields else value
        events.append(fields)
    return events


def stream_chat(server: MockServer, headers: dict[str, str] | None = None, timeout: float = 5) -> tuple[int, bytes]:
    with (
        httpx.Client(base_url=server.url, headers=AUTH, timeout=timeout) as http,
        http.stream("POST", "/v1/chat/completions", json=CHAT, headers=headers or {}) as response,
    ):
        return response.status_code, b"".join(response.iter_raw())


def test_chat_stream_is_chunked_sse_with_final_chunk_usage_and_done(mistral_mock: MockServer) -> None:
    with (
        httpx.Client(base_url=mistral_mock.url, headers=AUTH) as http,
        http.stream("POST", "/v1/chat/completions", json=CHAT) as response,
    ):
        assert response.headers["content-type"] == "text/event-stream"
        assert response.headers["transfer-encoding"] == "chunked"
        events = sse_blocks(b"".join(response.iter_raw()))
    assert events[-1] == {"data": "[DONE]"}
    chunks = [json.loads(e["data"]) for e in events[:-1]]
    assert len(chunks) == 4  # 3 content chunks (the default) + the final one
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert "".join(c["choices"][0]["delta"]["content"] for c in chunks) == "This is a"
    assert [c["choices"][0]["finish_reason"] for c in chunks] == [None, None, None, "stop"]
    assert "usage" not in chunks[0]
    usage = chunks[-1]["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert {c["model"] for c in chunks} == {"mistral-small-latest"}
    assert mistral_mock.requests[0].stream is True
    mistral_mock.assert_no_violations()


def test_event_count_is_configurable_per_server_and_per_request(mistral_mock: MockServer) -> None:
    mistral_mock.stream_events = 6
    assert len(sse_blocks(stream_chat(mistral_mock)[1])) == 6 + 2
    assert len(sse_blocks(stream_chat(mistral_mock, {EVENTS_HEADER: "1", DELAY_HEADER: "0.001"})[1])) == 1 + 2


def test_stream_false_gets_json(mistral_mock: MockServer) -> None:
    response = httpx.post(f"{mistral_mock.url}/v1/chat/completions", json={**CHAT, "stream": False}, headers=AUTH)
    assert response.headers["content-type"] == "application/json"
    assert response.json()["model"] == "mistral-small-latest"


def test_named_event_stream_from_a_discriminated_union(tiny: MockServer) -> None:
    """A ``#stream`` variant is chosen by ``stream: true``; its events follow started → deltas → done, no [DONE]."""
    with httpx.Client(base_url=tiny.url, headers=AUTH) as http:
        plain = http.post("/v1/talks", json={"topic": "t"})
        with http.stream("POST", "/v1/talks", json={"topic": "t", "stream": True}) as response:
            events = sse_blocks(b"".join(response.iter_raw()))
    assert plain.json()["id"] == "mock-id"
    assert [e["event"] for e in events] == ["talk.started"] + ["talk.output.delta"] * 3 + ["talk.done"]
    assert [json.loads(e["data"])["type"] for e in events] == [e["event"] for e in events]
    assert json.loads(events[1]["data"])["content"] == "This"
    assert [r.operation_id for r in tiny.requests] == ["start_talk", "start_talk_stream"]
    tiny.assert_no_violations()


def test_disconnect_mid_stream_leaves_an_incomplete_chunked_body(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(Fault.disconnect(after_events=2))
    with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
        stream_chat(mistral_mock)


def test_disconnect_of_a_json_body_truncates_it(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(Fault.disconnect())
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.post(f"{mistral_mock.url}/v1/chat/completions", json={**CHAT, "stream": False}, headers=AUTH)


@pytest.mark.parametrize("stream", [True, False])
def test_reset_is_a_tcp_reset(mistral_mock: MockServer, stream: bool) -> None:
    mistral_mock.enqueue(Fault.reset(after_events=1))
    with pytest.raises(httpx.ReadError, match="reset"):
        httpx.post(f"{mistral_mock.url}/v1/chat/completions", json={**CHAT, "stream": stream}, headers=AUTH)


def test_no_done_ends_the_body_cleanly_without_the_terminator(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(Fault.no_done())
    status, raw = stream_chat(mistral_mock)
    events = sse_blocks(raw)
    assert status == 200
    assert json.loads(events[-1]["data"])["choices"][0]["finish_reason"] == "stop"
    assert b"[DONE]" not in raw


def test_invalid_json_event(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(Fault.invalid_json(after_events=1))
    events = sse_blocks(stream_chat(mistral_mock)[1])
    with pytest.raises(json.JSONDecodeError):
        json.loads(events[1]["data"])
    json.loads(events[0]["data"])


def test_error_event_carries_the_api_error_body_and_ends_the_stream(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(Fault.error_event(after_events=2))
    events = sse_blocks(stream_chat(mistral_mock)[1])
    assert len(events) == 3
    assert events[-1]["event"] == "error"
    assert json.loads(events[-1]["data"])["object"] == "error"


@pytest.mark.parametrize(
    ("fault", "status", "retry_after"),
    [
        (Fault.rate_limited(retry_after=2), 429, "2"),
        (Fault.http_status(500), 500, None),
        (Fault.http_status(503, retry_after=0.5), 503, "0.5"),
    ],
)
def test_error_statuses(mistral_mock: MockServer, fault: Fault, status: int, retry_after: str | None) -> None:
    mistral_mock.enqueue(fault)
    response = httpx.post(f"{mistral_mock.url}/v1/chat/completions", json=CHAT, headers=AUTH)
    assert response.status_code == status
    assert response.headers.get("Retry-After") == retry_after
    body = response.json()
    assert body["object"] == "error"
    assert body["code"] == str(status)
    assert response.headers["x-request-id"].startswith("mock-")


def test_slow_first_byte_trips_a_short_read_timeout(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(Fault.slow_first_byte(30))
    with pytest.raises(httpx.ReadTimeout):
        stream_chat(mistral_mock, timeout=0.2)


def test_slow_first_byte_then_a_normal_answer(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(Fault.slow_first_byte(0.05))
    assert sse_blocks(stream_chat(mistral_mock)[1])[-1] == {"data": "[DONE]"}


def test_stall_mid_stream_trips_a_read_timeout_after_the_first_events(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(Fault.stall(after_events=2))
    received: list[bytes] = []
    with (
        httpx.Client(base_url=mistral_mock.url, headers=AUTH, timeout=httpx.Timeout(5, read=0.5)) as http,
        http.stream("POST", "/v1/chat/completions", json=CHAT) as response,
        pytest.raises(httpx.ReadTimeout),
    ):
        for chunk in response.iter_raw():
            received.append(chunk)
    assert len(sse_blocks(b"".join(received))) == 2


def test_bounded_stall_resumes_the_stream(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(Fault.stall(after_events=1, seconds=0.05))
    assert sse_blocks(stream_chat(mistral_mock)[1])[-1] == {"data": "[DONE]"}


def test_stopping_the_server_ends_an_endless_stall() -> None:
    from .conftest import tiny_spec

    server = MockServer(tiny_spec()).start()
    server.enqueue(Fault.stall(after_events=0))
    errors: list[BaseException] = []

    def consume() -> None:
        try:
            with httpx.stream("POST", f"{server.url}/v1/things", json={"name": "x"}, headers=AUTH, timeout=30) as r:
                r.read()
        except httpx.HTTPError as exc:
            errors.append(exc)

    worker = threading.Thread(target=consume)
    worker.start()
    while not server.requests:
        threading.Event().wait(0.01)
    server.stop()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert errors and isinstance(errors[0], httpx.RemoteProtocolError | httpx.ReadError)


def test_reset_between_tests_ends_a_stall_left_by_the_previous_test(tiny: MockServer) -> None:
    tiny.enqueue(Fault.stall(after_events=0))
    errors: list[BaseException] = []

    def consume() -> None:
        try:
            with httpx.stream("POST", f"{tiny.url}/v1/things", json={"name": "x"}, headers=AUTH, timeout=30) as r:
                r.read()
        except httpx.HTTPError as exc:
            errors.append(exc)

    worker = threading.Thread(target=consume)
    worker.start()
    while not tiny.requests:
        threading.Event().wait(0.01)
    tiny.reset()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert errors
    assert httpx.post(f"{tiny.url}/v1/things", json={"name": "x"}, headers=AUTH).status_code == 200


def test_fault_header_for_clients_without_the_server_object(mistral_mock: MockServer) -> None:
    response = httpx.post(
        f"{mistral_mock.url}/v1/chat/completions",
        json=CHAT,
        headers={**AUTH, FAULT_HEADER: "status; code=429; retry_after=3"},
    )
    assert (response.status_code, response.headers["Retry-After"]) == (429, "3")
    with pytest.raises(httpx.RemoteProtocolError):
        stream_chat(mistral_mock, {FAULT_HEADER: "disconnect; after=1"})


def test_bad_fault_header_is_a_400_and_a_mock_violation(mistral_mock: MockServer) -> None:
    response = httpx.post(
        f"{mistral_mock.url}/v1/chat/completions", json=CHAT, headers={**AUTH, FAULT_HEADER: "explode"}
    )
    assert response.status_code == 400
    assert "unknown fault 'explode'" in response.json()["message"]
    assert [v.kind for v in mistral_mock.violations] == ["mock"]
    for header in ({EVENTS_HEADER: "many"}, {DELAY_HEADER: "-1"}):
        response = httpx.post(f"{mistral_mock.url}/v1/chat/completions", json=CHAT, headers={**AUTH, **header})
        assert response.status_code == 400, header


def test_stream_only_fault_on_a_json_request_is_reported_not_ignored(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(Fault.no_done())
    response = httpx.post(f"{mistral_mock.url}/v1/chat/completions", json={**CHAT, "stream": False}, headers=AUTH)
    assert response.status_code == 500
    assert mistral_mock.violations[0].type == "fault_misuse"


def test_scripted_stream_with_a_fault(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(ScriptedStream([{"n": 1}, SSEEvent({"n": 2}, event="tick"), "plain"], done=True))
    events = sse_blocks(stream_chat(mistral_mock)[1])
    assert events == [{"data": '{"n":1}'}, {"event": "tick", "data": '{"n":2}'}, {"data": "plain"}, {"data": "[DONE]"}]
    mistral_mock.enqueue(ScriptedStream([{"n": 1}, {"n": 2}], fault=Fault.disconnect(after_events=1)))
    with pytest.raises(httpx.RemoteProtocolError):
        stream_chat(mistral_mock)


def test_scripted_stream_raw_chunks_are_sent_exactly(mistral_mock: MockServer) -> None:
    parts: list[bytes | RawChunk] = [
        b"\xef\xbb\xbf: comment\r\n",
        b'data: {"n"',
        b": 1}\r\n\r\n",
        RawChunk(b"data: tail\n\n"),
    ]
    mistral_mock.enqueue(ScriptedStream(parts, done=False))
    with (
        httpx.Client(base_url=mistral_mock.url, headers=AUTH) as http,
        http.stream("POST", "/v1/chat/completions", json=CHAT) as response,
    ):
        received = list(response.iter_raw())
    assert b"".join(received) == b'\xef\xbb\xbf: comment\r\ndata: {"n": 1}\r\n\r\ndata: tail\n\n'


def test_scripted_response_with_raw_body_and_headers(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(
        ScriptedResponse(status=200, body=b"not json", headers={"Content-Type": "text/plain", "X-A": "1"})
    )
    response = httpx.post(f"{mistral_mock.url}/v1/chat/completions", json=CHAT, headers=AUTH)
    assert (response.text, response.headers["content-type"], response.headers["x-a"]) == ("not json", "text/plain", "1")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("429", Fault(FaultKind.STATUS, status=429, retry_after=1)),
        ("status; code=503", Fault(FaultKind.STATUS, status=503)),
        ("reset; after=0", Fault(FaultKind.RESET, after_events=0)),
        ("STALL; after=2; seconds=0.5", Fault(FaultKind.STALL, after_events=2, seconds=0.5)),
        ("slow_first_byte; seconds=1", Fault(FaultKind.SLOW_FIRST_BYTE, seconds=1)),
    ],
)
def test_parse_fault_header(header: str, expected: Fault) -> None:
    assert parse_fault_header(header) == expected


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("boom", "unknown fault"),
        ("stall; after", "not key=value"),
        ("stall; when=1", "unknown fault parameters: when"),
        ("status; code=200", "4xx or 5xx"),
        ("stall; after=-1", ">= 0"),
    ],
)
def test_parse_fault_header_rejects_bad_input(header: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_fault_header(header)
