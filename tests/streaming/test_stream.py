"""Stream behaviour on well-formed streams: typed chunks, the final chunk, timing, assembly, connection handling."""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mistral_sdk._exceptions import StreamIncompleteError
from mistral_sdk._generated.models.chat_completion_response import ChatCompletionResponse
from mistral_sdk._generated.models.completion_chunk import CompletionChunk
from mistral_sdk._generated.models.completion_event import CompletionEvent
from mistral_sdk._generated.models.delta_message import DeltaMessage
from mistral_sdk._generated.models.usage_info import UsageInfo
from mistral_sdk._streaming import (
    COMPLETION_CHUNK_DECODER,
    AsyncStream,
    CompletionStreamChunk,
    Stream,
    StreamEvent,
    decoder_for,
)
from mistral_sdk.lib import choice_message

from ._consume import DECODER, consume
from ._server import USAGE, RawServer, chunk_json, completion_events, endless_script, event, sse_script

MODES = ["sync", "async"]


@pytest.mark.parametrize("mode", MODES)
def test_older_streams_with_null_usage_on_every_chunk_decode(server: RawServer, mode: str) -> None:
    # Older API versions send "usage": null on every chunk but the last; the spec says the field is absent.
    pieces = [
        event(chunk_json("Hi", role="assistant") | {"usage": None}),
        event(chunk_json("!", finish="stop", usage=USAGE)),
        b"data: [DONE]\n\n",
    ]
    server.queue(sse_script(pieces))
    out = consume(server.url, mode)
    assert out.error is None
    first, last = out.chunks
    assert first.usage is None
    model = first.to_model()
    assert isinstance(model, CompletionChunk) and "usage" not in model.to_dict()
    assert isinstance(last.usage, UsageInfo) and last.to_model().usage == last.usage


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("one_write", [True, False])
def test_well_formed_stream(server: RawServer, mode: str, one_write: bool) -> None:
    pieces = completion_events(["Once", " upon", " a time"])
    server.queue(sse_script([b"".join(pieces)] if one_write else pieces, pause=0 if one_write else 0.01))
    out = consume(server.url, mode, final=True)
    assert out.error is None
    assert [c.text for c in out.chunks] == ["", "Once", " upon", " a time"]
    assert [c.is_last_chunk for c in out.chunks] == [False, False, False, True]
    first, last = out.chunks[0], out.chunks[-1]
    assert first.delta_message().role == "assistant"
    assert isinstance(last.delta_message(), DeltaMessage) and last.delta_message().content == " a time"
    assert last.choices[0].finish_reason == "stop" and last.finish_reason() == "stop"
    assert isinstance(last.usage, UsageInfo) and last.usage.total_tokens == 8
    assert first.usage is None
    assert (last.id, last.model, last.object_, last.created) == (
        "cmpl-1",
        "mistral-small-latest",
        "chat.completion.chunk",
        1700000000,
    )
    assert all(c.error is None for c in out.chunks)
    # Latencies: non-negative, consistent with each other.
    assert all(c.chunk_latency >= 0 for c in out.chunks)
    assert last.total_latency >= sum(c.chunk_latency for c in out.chunks) - 1e-6
    if not one_write:
        assert last.total_latency >= 0.02
    assert isinstance(out.final, ChatCompletionResponse)
    assert choice_message(out.final.choices[0]).content == "Once upon a time"
    assert out.final.choices[0].finish_reason == "stop"
    assert out.final.usage.completion_tokens == 3


def _n2_events() -> list[bytes]:
    """Two choices interleaved; choice 1 finishes first, usage arrives on the very last chunk."""
    return [
        event(
            chunk_json(
                "",
                role="assistant",
                extra_choices=[{"index": 1, "delta": {"role": "assistant"}, "finish_reason": None}],
            )
        ),
        event(chunk_json("A1")),
        event(chunk_json("B1", index=1)),
        event(chunk_json("B2", index=1, finish="length")),
        event(chunk_json("A2")),
        event(chunk_json("A3", finish="stop", usage=USAGE)),
        b"data: [DONE]\n\n",
    ]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("one_write", [True, False])
def test_exactly_one_last_chunk_with_two_choices(server: RawServer, mode: str, one_write: bool) -> None:
    pieces = _n2_events()
    server.queue(sse_script([b"".join(pieces)] if one_write else pieces))
    out = consume(server.url, mode, final=True)
    assert [c.is_last_chunk for c in out.chunks] == [False] * 5 + [True]
    assert [c.delta_message(1).to_dict().get("content") for c in out.chunks[:4]] == [None, None, "B1", "B2"]
    final = out.final
    assert isinstance(final, ChatCompletionResponse)
    assert [(c.index, choice_message(c).content, c.finish_reason) for c in final.choices] == [
        (0, "A1A2A3", "stop"),
        (1, "B1B2", "length"),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_last_chunk_without_finish_reason_is_still_marked(server: RawServer, mode: str) -> None:
    # Not what the API sends, but the record must still have exactly one last chunk, and
    # assembling must refuse: the choice never finished.
    pieces = [event(chunk_json("a")), event(chunk_json("b")), b"data: [DONE]\n\n"]
    server.queue(sse_script(pieces, pause=0.02))
    out = consume(server.url, mode, final=True)
    assert [c.is_last_chunk for c in out.chunks] == [False, True]
    assert isinstance(out.final_error, StreamIncompleteError)


@pytest.mark.parametrize("mode", MODES)
def test_tool_call_arguments_merge_by_index(server: RawServer, mode: str) -> None:
    def call(index: int, args: str, name: str | None = None, call_id: str | None = None) -> dict[str, object]:
        fn: dict[str, object] = {"arguments": args}
        if name is not None:
            fn["name"] = name
        out: dict[str, object] = {"index": index, "function": fn}
        if call_id is not None:
            out["id"] = call_id
        return out

    pieces = [
        event(chunk_json("", role="assistant")),
        event(chunk_json(None, tool_calls=[call(0, '{"city": ', "get_weather", "c1")])),
        event(chunk_json(None, tool_calls=[call(1, '{"q": "x"}', "search", "c2")])),
        event(chunk_json(None, tool_calls=[call(0, '"Paris"}')])),
        event(chunk_json("", finish="tool_calls", usage=USAGE)),
        b"data: [DONE]\n\n",
    ]
    server.queue(sse_script(pieces))
    final = consume(server.url, mode, final=True).final
    assert isinstance(final, ChatCompletionResponse)
    choice = final.choices[0]
    assert choice.finish_reason == "tool_calls"
    calls = choice_message(choice).tool_calls
    assert isinstance(calls, list)
    assert [(c.id, c.function.name, c.function.arguments) for c in calls] == [
        ("c1", "get_weather", '{"city": "Paris"}'),
        ("c2", "search", '{"q": "x"}'),
    ]


def test_content_chunk_lists_merge() -> None:
    from mistral_sdk._streaming import accumulate_completion

    def raw(content: object, finish: str | None = None) -> CompletionStreamChunk:
        return CompletionStreamChunk(
            {"id": "i", "model": "m", "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}]}
        )

    think = [{"type": "thinking", "thinking": [{"type": "text", "text": "hm"}]}]
    think2 = [{"type": "thinking", "thinking": [{"type": "text", "text": "m."}]}]
    chunks = [raw(think), raw(think2), raw([{"type": "text", "text": "An"}]), raw("swer", "stop")]
    assert [c.text for c in chunks] == ["", "", "An", "swer"]
    final = accumulate_completion(chunks)
    assert choice_message(final.choices[0]).to_dict()["content"] == [
        {"type": "thinking", "thinking": [{"type": "text", "text": "hmm."}]},
        {"type": "text", "text": "Answer"},
    ]


def test_chunk_carries_every_field_of_the_api_chunk() -> None:
    raw = chunk_json("hi", finish="stop", usage=USAGE)
    raw["p"] = "future field"
    chunk = CompletionStreamChunk(raw)
    model = chunk.to_model()
    assert isinstance(model, CompletionChunk)
    assert model.to_dict() == raw
    assert chunk.additional_properties == {"p": "future field"}
    for name in ("id", "model", "choices", "object_", "created", "usage"):
        assert hasattr(chunk, name)
    assert chunk.choices[0].to_dict() == model.choices[0].to_dict()


@pytest.mark.parametrize("mode", MODES)
def test_text_stream_yields_only_text(server: RawServer, mode: str) -> None:
    server.queue(sse_script(completion_events(["a", "b", "c"])))
    with httpx.Client() as client:
        if mode == "sync":
            response = client.send(client.build_request("POST", server.url), stream=True)
            with Stream(response, DECODER) as stream:
                assert list(stream.text_stream) == ["a", "b", "c"]
            return

    async def run() -> list[str]:
        async with httpx.AsyncClient() as client:
            response = await client.send(client.build_request("POST", server.url), stream=True)
            async with AsyncStream(response, DECODER) as stream:
                return [t async for t in stream.text_stream]

    assert asyncio.run(run()) == ["a", "b", "c"]


def test_text_stream_raises_in_band_errors_too(server: RawServer) -> None:
    server.queue(sse_script(completion_events(["a", "b", "c"], done=False)))
    with httpx.Client() as client:
        response = client.send(client.build_request("POST", server.url), stream=True)
        with Stream(response, DECODER, error_mode="in_band") as stream:
            got: list[str] = []
            with pytest.raises(StreamIncompleteError):
                for text in stream.text_stream:
                    got.append(text)
    assert got == ["a", "b", "c"]


@pytest.mark.parametrize("mode", MODES)
def test_breaking_out_early_closes_the_connection(server: RawServer, mode: str) -> None:
    server.queue(endless_script())

    if mode == "sync":
        with httpx.Client() as client:
            response = client.send(client.build_request("POST", server.url), stream=True)
            with Stream(response, DECODER) as stream:
                for n, _ in enumerate(stream):
                    if n == 3:
                        break
            assert response.is_closed
            assert server.connections[0].client_closed.wait(3)
            assert stream.chunks and not stream.done
    else:

        async def run() -> None:
            async with httpx.AsyncClient() as client:
                response = await client.send(client.build_request("POST", server.url), stream=True)
                async with AsyncStream(response, DECODER) as stream:
                    n = 0
                    async for _ in stream:
                        n += 1
                        if n == 3:
                            break
                assert response.is_closed
                # Observed by the server while the client (and its pool) is still open.
                assert await asyncio.to_thread(server.connections[0].client_closed.wait, 3)

        asyncio.run(run())


def test_dropping_an_unclosed_stream_releases_the_connection(server: RawServer) -> None:
    server.queue(endless_script())
    with httpx.Client() as client:
        for n, _ in enumerate(Stream(client.send(client.build_request("POST", server.url), stream=True), DECODER)):
            if n == 2:
                break
        gc.collect()
        assert server.connections[0].client_closed.wait(3)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("stop_at_last", [False, True])
def test_connection_is_reused_after_done(server: RawServer, mode: str, stop_at_last: bool) -> None:
    # The end of the chunked body comes in a separate write after [DONE]: it must still be read.
    server.queue(sse_script(completion_events(["x", "y"]), pause=0.01), sse_script(completion_events(["z"])))

    def texts_sync(client: httpx.Client) -> list[str]:
        response = client.send(client.build_request("POST", server.url), stream=True)
        got = []
        with Stream(response, DECODER) as stream:
            for chunk in stream:
                got.append(chunk.text)
                if stop_at_last and chunk.is_last_chunk:
                    break
        return got

    async def texts_async(client: httpx.AsyncClient) -> list[str]:
        response = await client.send(client.build_request("POST", server.url), stream=True)
        got = []
        async with AsyncStream(response, DECODER) as stream:
            async for chunk in stream:
                got.append(chunk.text)
                if stop_at_last and chunk.is_last_chunk:
                    break
        return got

    if mode == "sync":
        with httpx.Client() as client:
            results = [texts_sync(client), texts_sync(client)]
    else:

        async def run() -> list[list[str]]:
            async with httpx.AsyncClient() as client:
                return [await texts_async(client), await texts_async(client)]

        results = asyncio.run(run())
    assert results == [["", "x", "y"], ["", "z"]]
    assert len(server.connections) == 1
    assert server.connections[0].requests == 2


def test_close_before_iterating_and_final_response_after_close(server: RawServer) -> None:
    server.queue(endless_script())
    with httpx.Client() as client:
        response = client.send(client.build_request("POST", server.url), stream=True)
        stream = Stream(response, DECODER)
        stream.close()
        assert response.is_closed
        assert list(stream) == []
        with pytest.raises(StreamIncompleteError):
            stream.final_response()
    assert server.connections[0].client_closed.wait(3)


def test_timing_uses_the_request_start(server: RawServer) -> None:
    server.queue(sse_script(completion_events(["a"])))
    with httpx.Client() as client:
        started = time.monotonic() - 10.0  # pretend the request started 10 s ago
        response = client.send(client.build_request("POST", server.url), stream=True)
        with Stream(response, DECODER, started_at=started) as stream:
            chunks = list(stream)
    assert chunks[0].chunk_latency >= 10.0 and chunks[-1].total_latency >= 10.0
    assert chunks[1].chunk_latency < 5.0


def test_invalid_error_mode_is_rejected(server: RawServer) -> None:
    with httpx.Client() as client:
        response = client.send(client.build_request("POST", server.url), stream=True)
        with pytest.raises(ValueError, match="error_mode"):
            Stream(response, DECODER, error_mode="ignore")  # type: ignore[arg-type]
        response.close()


def test_decoder_for_reads_the_event_schema() -> None:
    assert decoder_for(CompletionEvent) is COMPLETION_CHUNK_DECODER
    assert COMPLETION_CHUNK_DECODER.done_sentinel == "[DONE]"


def test_decoder_for_other_event_schemas_gives_typed_events(server: RawServer) -> None:
    import attrs

    @attrs.define
    class Delta:
        type: str
        content: str

        @classmethod
        def from_dict(cls, d: dict[str, object]) -> Delta:
            return cls(type=str(d["type"]), content=str(d["content"]))

    @attrs.define
    class SomeEvents:
        event: str
        data: Delta

        @classmethod
        def from_dict(cls, d: dict[str, object]) -> SomeEvents:
            data = d["data"]
            assert isinstance(data, dict)
            return cls(event=str(d["event"]), data=Delta.from_dict(data))

    decoder = decoder_for(SomeEvents)
    assert decoder is not COMPLETION_CHUNK_DECODER and decoder.done_sentinel is None

    def ev(name: str, content: str) -> bytes:
        return f"event: {name}\ndata: {json.dumps({'type': name, 'content': content})}\n\n".encode()

    server.queue(
        sse_script(
            [ev("message.output.delta", "Hi"), ev("message.output.delta", "!"), ev("conversation.response.done", "")],
            then="eof",
        )
    )
    with httpx.Client() as client:
        response = client.send(client.build_request("POST", server.url), stream=True)
        with Stream(response, decoder) as stream:
            events = list(stream)
            with pytest.raises(TypeError):
                stream.final_response()
    assert all(isinstance(e, StreamEvent) for e in events)
    assert [(e.event, e.text, e.is_last_chunk) for e in events] == [
        ("message.output.delta", "Hi", False),
        ("message.output.delta", "!", False),
        ("conversation.response.done", "", True),
    ]
    assert isinstance(events[0].data, Delta) and events[0].data.content == "Hi"


def _outcome(build: Callable[[], object]) -> object:
    try:
        return build()
    except TypeError as error:
        return type(error)


@given(
    st.dictionaries(
        st.sampled_from(["role", "content", "tool_calls", "other"]),
        st.one_of(st.none(), st.text(max_size=5), st.just([{"type": "text", "text": "t"}])),
    )
)
def test_typed_delta_equals_the_generated_from_dict(delta: dict[str, Any]) -> None:
    if isinstance(delta.get("tool_calls"), (str, list)):
        delta["tool_calls"] = [{"index": 0, "function": {"name": "f", "arguments": "{}"}}]
    chunk = CompletionStreamChunk({"id": "i", "model": "m", "choices": [{"index": 0, "delta": delta}]})
    # Same model for a valid delta, same error for an invalid one (e.g. a list where the role goes).
    assert _outcome(chunk.delta_message) == _outcome(lambda: DeltaMessage.from_dict(delta))
    assert CompletionStreamChunk({"id": "i", "model": "m", "choices": []}).delta_message() == DeltaMessage()


def test_a_stream_never_iterated_releases_its_connection_when_dropped(server: RawServer) -> None:
    server.queue(endless_script())
    with httpx.Client() as client:
        stream = Stream(client.send(client.build_request("POST", server.url), stream=True), DECODER)
        response = stream.response
        del stream
        gc.collect()
        assert response.is_closed
        assert server.connections[0].client_closed.wait(3)
