"""Streaming through the client: SSE methods, retries only before the first byte, idle timeout, errors."""

from __future__ import annotations

import json

import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._exceptions import (
    APITimeoutError,
    RateLimitError,
    StreamIdleTimeoutError,
    StreamIncompleteError,
    UnprocessableEntityError,
)
from mistral_sdk._generated.models.chat_completion_request import ChatCompletionRequest
from mistral_sdk._generated.models.user_message import UserMessage
from mistral_sdk._generated.types import UNSET
from mistral_sdk.lib import choice_message

from ._server import FakeClock, Reply, ScriptedServer

KEY = "sk-stream-test"


def chunk(text: str, *, last: bool = False) -> bytes:
    data: dict[str, object] = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": "stop" if last else None}],
    }
    if last:
        data["usage"] = {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}
    return b"data: " + json.dumps(data).encode() + b"\n\n"


STORY = [chunk("Once "), chunk("upon"), chunk(" a time", last=True), b"data: [DONE]\n\n"]
MESSAGES = [UserMessage(content="tell me")]


def test_chat_stream_yields_typed_chunks(server: ScriptedServer) -> None:
    server.reply(Reply(chunks=STORY))
    with Mistral(KEY, base_url=server.url) as client, client.chat.stream(model="m", messages=MESSAGES) as stream:
        texts = [c.text for c in stream]
    assert texts == ["Once ", "upon", " a time"]
    sent = json.loads(server.requests[0].body)
    assert sent["stream"] is True and sent["model"] == "m"
    assert server.requests[0].headers["accept"] == "text/event-stream"


def test_complete_sends_stream_false(server: ScriptedServer) -> None:
    server.reply(Reply(400, {"message": "x"}))
    with Mistral(KEY, base_url=server.url) as client, pytest.raises(Exception):  # noqa: B017 - only the body matters
        client.chat.complete(model="m", messages=MESSAGES)
    assert json.loads(server.requests[0].body)["stream"] is False


def test_go_parity_stream_does_not_mutate_the_request(server: ScriptedServer) -> None:
    server.reply(Reply(chunks=STORY))
    req = ChatCompletionRequest(model="m", messages=[UserMessage(content="tell me")])
    with Mistral(KEY, base_url=server.url) as client, client.chat_completion_stream(req) as stream:
        final = stream.final_response()
    assert choice_message(final.choices[0]).content == "Once upon a time"
    assert req.stream is UNSET  # never set by the caller, so never set by the stream call
    assert json.loads(server.requests[0].body)["stream"] is True


def test_http_error_before_stream_is_typed_and_retried(server: ScriptedServer) -> None:
    clock = FakeClock()
    detail = [{"loc": ["body", "messages"], "msg": "bad", "type": "value_error"}]
    server.reply(Reply(429, {"message": "slow"}, headers={"Retry-After": "2"}), Reply(422, {"detail": detail}))
    with Mistral(KEY, base_url=server.url, clock=clock) as client, pytest.raises(UnprocessableEntityError) as info:
        client.chat.stream(model="m", messages=MESSAGES)
    assert [(d.loc, d.msg, d.type) for d in info.value.details] == [(("body", "messages"), "bad", "value_error")]
    assert clock.sleeps == [2.0]


def test_rate_limit_before_stream_after_retries(server: ScriptedServer) -> None:
    server.default = Reply(429, {"message": "slow"})
    with Mistral(KEY, base_url=server.url, clock=FakeClock(), max_retries=1) as client:
        with pytest.raises(RateLimitError):
            client.chat.stream(model="m", messages=MESSAGES)
    assert len(server.requests) == 2


def test_stream_idle_timeout(server: ScriptedServer) -> None:
    """A stream that goes silent between chunks raises a timeout (and keeps what arrived); no retry."""
    server.reply(Reply(chunks=[chunk("Once "), chunk("late")], pause=1.0))
    with Mistral(KEY, base_url=server.url, stream_idle_timeout=0.2, clock=FakeClock()) as client:
        with client.chat.stream(model="m", messages=MESSAGES) as stream, pytest.raises(StreamIdleTimeoutError) as info:
            for _ in stream:
                pass
    assert isinstance(info.value, APITimeoutError)
    assert info.value.text == "Once "
    assert len(server.requests) == 1


def test_idle_timeout_does_not_bound_the_wait_for_the_response(server: ScriptedServer) -> None:
    """Waiting for the response to start uses the read timeout, not the (shorter) idle timeout."""
    server.reply(Reply(chunks=STORY, delay=0.4))
    with Mistral(KEY, base_url=server.url, stream_idle_timeout=0.1, timeout=5.0) as client:
        with client.chat.stream(model="m", messages=MESSAGES) as stream:
            assert [c.text for c in stream][-1] == " a time"


def test_read_timeout_before_the_stream_starts(server: ScriptedServer) -> None:
    server.reply(Reply(chunks=STORY, delay=5))  # far beyond the timeout, and free: nobody waits for it
    with Mistral(KEY, base_url=server.url, timeout=0.1, max_retries=0) as client, pytest.raises(APITimeoutError):
        client.chat.stream(model="m", messages=MESSAGES)


def test_stream_ending_without_done_is_an_error(server: ScriptedServer) -> None:
    server.reply(Reply(chunks=[chunk("cut")]))
    with Mistral(KEY, base_url=server.url) as client, client.chat.stream(model="m", messages=MESSAGES) as stream:
        with pytest.raises(StreamIncompleteError):
            list(stream)


def test_raw_stream_exposes_headers_before_consuming(server: ScriptedServer) -> None:
    server.reply(Reply(chunks=STORY, headers={"x-ratelimit-remaining-requests": "41"}))
    with Mistral(KEY, base_url=server.url) as client:
        raw = client.with_raw_response.chat.stream(model="m", messages=MESSAGES)
        assert raw.status_code == 200
        assert raw.rate_limit_headers == {"x-ratelimit-remaining-requests": "41"}
        with raw.parsed as stream:
            assert "".join(c.text for c in stream) == "Once upon a time"


def test_fim_stream(server: ScriptedServer) -> None:
    server.reply(Reply(chunks=STORY))
    with Mistral(KEY, base_url=server.url) as client, client.fim.stream(model="codestral", prompt="def") as stream:
        assert "".join(c.text for c in stream) == "Once upon a time"
    assert json.loads(server.requests[0].body) | {"stream": True} == json.loads(server.requests[0].body)


@pytest.mark.anyio
async def test_async_stream_and_idle_timeout(server: ScriptedServer) -> None:
    server.reply(Reply(chunks=STORY), Reply(chunks=[chunk("a")], pause=1.0))
    async with AsyncMistral(KEY, base_url=server.url, stream_idle_timeout=0.2) as client:
        async with client.chat.stream(model="m", messages=MESSAGES) as stream:  # no await needed
            texts = [c.text async for c in stream]
        assert texts == ["Once ", "upon", " a time"]
        async with await client.chat_completion_stream(
            ChatCompletionRequest(model="m", messages=[UserMessage(content="tell me")])
        ) as stream:
            with pytest.raises(StreamIdleTimeoutError):
                async for _ in stream:
                    pass


def test_in_band_error_mode(server: ScriptedServer) -> None:
    """Go-style: a broken stream ends with a chunk whose ``error`` is set instead of raising."""
    server.reply(Reply(chunks=[chunk("cut")]))
    with Mistral(KEY, base_url=server.url, stream_error_mode="in_band") as client:
        with client.chat.stream(model="m", messages=MESSAGES) as stream:
            chunks = list(stream)
    assert chunks[0].text == "cut"
    assert isinstance(chunks[-1].error, StreamIncompleteError)
    assert chunks[-1].is_last_chunk


def test_stream_errors_and_raw_responses_never_hold_the_key(server: ScriptedServer) -> None:
    server.reply(Reply(chunks=[chunk("cut")]), Reply(chunks=STORY))
    with Mistral(KEY, base_url=server.url) as client:
        with client.chat.stream(model="m", messages=MESSAGES) as stream, pytest.raises(StreamIncompleteError) as info:
            list(stream)
        raw = client.with_raw_response.chat.stream(model="m", messages=MESSAGES)
        raw.parsed.close()
    assert info.value.response is not None
    for request in (info.value.response.request, raw.http_response.request):
        assert request.headers["authorization"] == "[redacted]"
    assert KEY not in repr(vars(info.value))
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"
