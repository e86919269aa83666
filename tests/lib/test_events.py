"""``stream.events()``, ``text_stream`` and ``until_done()`` on chat and agents streams, sync and async."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mistral_sdk import AsyncMistral, Mistral, StreamError
from mistral_sdk.lib import (
    ChatCompletion,
    CompletionDoneEvent,
    ContentDeltaEvent,
    ContentDoneEvent,
    ThinkingDeltaEvent,
    ToolCallArgumentsDeltaEvent,
    ToolCallDoneEvent,
    choice_message,
)
from mistral_sdk.lib._events import ChatEventMachine
from mistral_sdk.testing import Fault, MockServer, ScriptedStream

MESSAGES = [{"role": "user", "content": "Hi"}]
HEAD = {"id": "s1", "object": "chat.completion.chunk", "model": "magistral-small-latest", "created": 1}
USAGE = {"prompt_tokens": 3, "completion_tokens": 9, "total_tokens": 12}


def _chunk(delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> dict[str, Any]:
    return {**HEAD, "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}], **extra}


def _call(index: int, arguments: str, name: str | None = None, call_id: str | None = None) -> dict[str, Any]:
    call: dict[str, Any] = {"index": index, "function": {"name": name or "", "arguments": arguments}}
    if call_id:
        call["id"] = call_id
    return call


THINK_THEN_ANSWER = [
    _chunk({"role": "assistant", "content": [{"type": "thinking", "thinking": [{"type": "text", "text": "Let me"}]}]}),
    _chunk({"content": [{"type": "thinking", "thinking": [{"type": "text", "text": " think."}]}]}),
    _chunk({"content": [{"type": "text", "text": "Bon"}]}),
    _chunk({"content": "jour"}),
    _chunk({"content": ""}, "stop", usage=USAGE),
]

TWO_TOOL_CALLS = [
    _chunk({"role": "assistant", "content": "", "tool_calls": [_call(0, '{"city": ', "weather", "call_a")]}),
    _chunk({"tool_calls": [_call(0, '"Paris"}', "weather")]}),
    _chunk({"tool_calls": [_call(1, '{"a": 1, ', "add", "call_b")]}),
    _chunk({"tool_calls": [_call(1, '"b": 2}', "add")]}),
    _chunk({}, "tool_calls", usage=USAGE),
]


def _check_thinking_events(events: list[Any]) -> None:
    thinking = [e for e in events if isinstance(e, ThinkingDeltaEvent)]
    assert [(e.delta, e.snapshot) for e in thinking] == [("Let me", "Let me"), (" think.", "Let me think.")]
    text = [e for e in events if isinstance(e, ContentDeltaEvent)]
    assert [(e.delta, e.snapshot) for e in text] == [("Bon", "Bon"), ("jour", "Bonjour")]
    assert isinstance(events[-2], ContentDoneEvent) and events[-2].text == "Bonjour"
    final = events[-1]
    assert isinstance(final, CompletionDoneEvent)
    assert isinstance(final.response, ChatCompletion)
    assert final.response.text == "Bonjour"
    assert final.response.thinking == "Let me think."
    assert final.response.usage.total_tokens == 12


def _check_tool_events(events: list[Any]) -> None:
    deltas = [e for e in events if isinstance(e, ToolCallArgumentsDeltaEvent)]
    assert [(e.index, e.name, e.arguments) for e in deltas] == [
        (0, "weather", '{"city": '),
        (0, "weather", '{"city": "Paris"}'),
        (1, "add", '{"a": 1, '),
        (1, "add", '{"a": 1, "b": 2}'),
    ]
    done = [e for e in events if isinstance(e, ToolCallDoneEvent)]
    assert [(e.index, e.id, e.name, e.parsed_arguments) for e in done] == [
        (0, "call_a", "weather", {"city": "Paris"}),
        (1, "call_b", "add", {"a": 1, "b": 2}),
    ]
    # the first call is done as soon as the second starts, before the second's arguments arrive
    assert events.index(done[0]) < events.index(deltas[2])
    assert not any(isinstance(e, ContentDoneEvent) for e in events)
    final = events[-1]
    assert isinstance(final, CompletionDoneEvent)
    calls = final.response.choices[0].message.tool_calls
    assert [c.function.arguments for c in calls] == ['{"city": "Paris"}', '{"a": 1, "b": 2}']


@pytest.mark.parametrize(
    ("chunks", "check"), [(THINK_THEN_ANSWER, _check_thinking_events), (TWO_TOOL_CALLS, _check_tool_events)]
)
def test_chat_stream_events(client: Mistral, mistral_mock: MockServer, chunks: list[Any], check: Any) -> None:
    mistral_mock.enqueue(ScriptedStream(chunks))
    with client.chat.stream(model="magistral-small-latest", messages=MESSAGES) as stream:
        check(list(stream.events()))


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("chunks", "check"), [(THINK_THEN_ANSWER, _check_thinking_events), (TWO_TOOL_CALLS, _check_tool_events)]
)
async def test_async_chat_stream_events(
    aclient: AsyncMistral, mistral_mock: MockServer, chunks: list[Any], check: Any
) -> None:
    mistral_mock.enqueue(ScriptedStream(chunks))
    async with aclient.chat.stream(model="magistral-small-latest", messages=MESSAGES) as stream:
        check([event async for event in stream.events()])


def test_agents_stream_events_and_text_stream(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.stream_events = 4
    with client.agents.stream(agent_id="ag-1", messages=MESSAGES) as stream:
        events = list(stream.events())
    text = "".join(e.delta for e in events if isinstance(e, ContentDeltaEvent))
    assert text and events[-1].type == "completion.done"
    assert events[-1].response.text == text

    with client.agents.stream(agent_id="ag-1", messages=MESSAGES) as stream:
        assert "".join(stream.text_stream) == text
    mistral_mock.assert_no_violations()


@pytest.mark.anyio
async def test_async_agents_stream_events(aclient: AsyncMistral, mistral_mock: MockServer) -> None:
    mistral_mock.stream_events = 3
    async with aclient.agents.stream(agent_id="ag-1", messages=MESSAGES) as stream:
        events = [e async for e in stream.events()]
    assert sum(isinstance(e, ContentDeltaEvent) for e in events) == 3
    assert isinstance(events[-1], CompletionDoneEvent)


def test_until_done_consumes_and_returns_the_stream(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(ScriptedStream(THINK_THEN_ANSWER))
    with client.chat.stream(model="m", messages=MESSAGES) as stream:
        assert stream.until_done() is stream
        assert stream.done
        assert stream.final_response().text == "Bonjour"


@pytest.mark.anyio
async def test_async_until_done(aclient: AsyncMistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(ScriptedStream(THINK_THEN_ANSWER))
    async with aclient.chat.stream(model="m", messages=MESSAGES) as stream:
        assert await stream.until_done() is stream
        assert (await stream.final_response()).thinking == "Let me think."


def test_a_cut_stream_raises_from_events_and_until_done(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(ScriptedStream(THINK_THEN_ANSWER[:3], fault=Fault.disconnect(after_events=3)))
    with client.chat.stream(model="m", messages=MESSAGES) as stream:
        seen: list[Any] = []
        with pytest.raises(StreamError):
            for event in stream.events():
                seen.append(event)
    assert [type(e) for e in seen] == [ThinkingDeltaEvent, ThinkingDeltaEvent, ContentDeltaEvent]

    mistral_mock.enqueue(ScriptedStream(THINK_THEN_ANSWER[:3], fault=Fault.disconnect(after_events=3)))
    with client.chat.stream(model="m", messages=MESSAGES) as stream, pytest.raises(StreamError):
        stream.until_done()


def test_machine_reports_invalid_arguments_raw_and_merges_choices() -> None:
    machine = ChatEventMachine()
    two = {
        **HEAD,
        "choices": [
            {"index": 0, "delta": {"content": "A"}, "finish_reason": None},
            {"index": 1, "delta": {"tool_calls": [_call(0, "{oops", "f", "x")]}, "finish_reason": "tool_calls"},
        ],
    }
    events = machine.feed(two)
    assert events[0] == ContentDeltaEvent("A", "A", 0)
    done = events[-1]
    assert isinstance(done, ToolCallDoneEvent)
    assert (done.choice_index, done.arguments, done.parsed_arguments) == (1, "{oops", None)
    closing = machine.finish("response")
    assert closing == [ContentDoneEvent("A", None, 0), CompletionDoneEvent("response")]
    assert json.loads(json.dumps(events[0].__dict__))["type"] == "content.delta"


@settings(deadline=None, max_examples=150)  # a busy machine: timing is not what this checks
@given(
    text=st.text(max_size=40),
    arguments=st.lists(st.text(max_size=30), min_size=0, max_size=3),
    cuts=st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=12),
)
def test_events_agree_with_the_assembled_response(text: str, arguments: list[str], cuts: list[int]) -> None:
    """However the answer is cut into chunks, the events' snapshots equal what final_response() assembles."""
    from mistral_sdk._streaming import CompletionStreamChunk, accumulate_completion

    def pieces(value: str) -> list[str]:
        out, at, i = [], 0, 0
        while at < len(value):
            out.append(value[at : at + cuts[i % len(cuts)]])
            at += cuts[i % len(cuts)]
            i += 1
        return out

    raws = [_chunk({"content": piece}) for piece in pieces(text)]
    for index, args in enumerate(arguments):
        raws += [_chunk({"tool_calls": [_call(index, piece, f"f{index}", f"id{index}")]}) for piece in pieces(args)]
    raws.append(_chunk({}, "tool_calls" if arguments else "stop", usage=USAGE))
    machine = ChatEventMachine()
    events = [event for raw in raws for event in machine.feed(raw)]
    response = accumulate_completion([CompletionStreamChunk(raw) for raw in raws])
    events += machine.finish(response)

    assert "".join(e.delta for e in events if isinstance(e, ContentDeltaEvent)) == response.text == text
    done = [e for e in events if isinstance(e, ToolCallDoneEvent)]
    sent = [args for args in arguments if args]  # a call whose arguments never arrived has no delta
    assert [e.arguments for e in done if e.arguments] == sent
    calls = choice_message(response.choices[0]).tool_calls or []
    assert [c.function.arguments for c in calls if c.function.arguments] == sent
