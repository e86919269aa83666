"""Typed events built from completion chunks (chat and agents streams): ``stream.events()``.

``ChatEventMachine`` is a pure state machine: fed each chunk's parsed JSON, it returns the events that
chunk produces; told the stream finished, it returns the closing events. It performs no I/O, so the
sync and async streams (``iterate_events`` / ``aiterate_events``) share it and differ only in how
they read chunks.

Per chunk and per choice, in the order the parts arrive:

- ``ContentDeltaEvent``: a piece of answer text, with the text so far (``snapshot``);
- ``ThinkingDeltaEvent``: a piece of a reasoning model's thinking, with the thinking so far;
- ``ToolCallArgumentsDeltaEvent``: a piece of a tool call's JSON arguments, per call ``index``, with
  the arguments so far;
- ``ToolCallDoneEvent``: a tool call is complete (the next call started, or the choice finished):
  its id, name, raw arguments and the decoded ``parsed_arguments``.

Then, once the stream has ended: ``ContentDoneEvent`` per choice that produced text (with
``parsed`` when the stream parses into a type) and finally ``CompletionDoneEvent`` with the
assembled response, exactly what ``final_response()`` returns.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from mistral_sdk._streaming._chunks import CompletionStreamChunk
    from mistral_sdk._streaming._stream import AsyncStream, Stream

__all__ = [
    "ChatEventMachine",
    "ChatStreamEvent",
    "CompletionDoneEvent",
    "ContentDeltaEvent",
    "ContentDoneEvent",
    "ThinkingDeltaEvent",
    "ToolCallArgumentsDeltaEvent",
    "ToolCallDoneEvent",
    "aiterate_events",
    "iterate_events",
]

R = TypeVar("R")


@dataclass(frozen=True)
class ContentDeltaEvent:
    delta: str
    snapshot: str
    choice_index: int = 0
    type: Literal["content.delta"] = "content.delta"


@dataclass(frozen=True)
class ThinkingDeltaEvent:
    delta: str
    snapshot: str
    choice_index: int = 0
    type: Literal["thinking.delta"] = "thinking.delta"


@dataclass(frozen=True)
class ToolCallArgumentsDeltaEvent:
    index: int
    name: str
    arguments_delta: str
    arguments: str
    choice_index: int = 0
    type: Literal["tool_call.arguments.delta"] = "tool_call.arguments.delta"


@dataclass(frozen=True)
class ToolCallDoneEvent:
    """A complete tool call; ``parsed_arguments`` is None when ``arguments`` is not valid JSON
    (``arguments`` then keeps exactly what the model wrote)."""

    index: int
    id: str
    name: str
    arguments: str
    parsed_arguments: Any
    choice_index: int = 0
    type: Literal["tool_call.done"] = "tool_call.done"


@dataclass(frozen=True)
class ContentDoneEvent:
    text: str
    parsed: Any = None
    choice_index: int = 0
    type: Literal["content.done"] = "content.done"


@dataclass(frozen=True)
class CompletionDoneEvent(Generic[R]):
    """The last event: the complete response (a ``ParsedChatCompletion`` for a parsing stream)."""

    response: R
    type: Literal["completion.done"] = "completion.done"


ChatStreamEvent = (
    ContentDeltaEvent
    | ThinkingDeltaEvent
    | ToolCallArgumentsDeltaEvent
    | ToolCallDoneEvent
    | ContentDoneEvent
    | CompletionDoneEvent[Any]
)


@dataclass
class _Call:
    id: str = ""
    name: str = ""
    arguments: str = ""
    done: bool = False


@dataclass
class _ChoiceState:
    text: str = ""
    thinking: str = ""
    calls: dict[int, _Call] = field(default_factory=dict)
    open_call: int | None = None
    finished: bool = False


class ChatEventMachine:
    """Chunks in, events out (see the module docstring). One machine per stream."""

    def __init__(self) -> None:
        self._choices: dict[int, _ChoiceState] = {}

    def feed(self, chunk: Mapping[str, Any]) -> list[ChatStreamEvent]:
        events: list[ChatStreamEvent] = []
        for choice in chunk.get("choices", ()):
            if not isinstance(choice, Mapping):
                continue
            index = choice.get("index", 0)
            state = self._choices.setdefault(index, _ChoiceState())
            delta = choice.get("delta")
            if isinstance(delta, Mapping):
                self._content(state, index, delta.get("content"), events)
                calls = delta.get("tool_calls")
                if isinstance(calls, list):
                    for position, call in enumerate(calls):
                        if isinstance(call, Mapping):
                            self._call(state, index, position, call, events)
            if choice.get("finish_reason") is not None:
                self._close_call(state, index, events)
                state.finished = True
        return events

    def finish(self, response: Any, parsed: Callable[[int], Any] | None = None) -> list[ChatStreamEvent]:
        """The closing events once the stream ended; ``parsed(i)`` gives choice i's decoded answer."""
        events: list[ChatStreamEvent] = []
        for index in sorted(self._choices):
            state = self._choices[index]
            self._close_call(state, index, events)
            if state.text:
                events.append(ContentDoneEvent(state.text, parsed(index) if parsed else None, index))
        events.append(CompletionDoneEvent(response))
        return events

    def _content(self, state: _ChoiceState, index: int, content: Any, events: list[ChatStreamEvent]) -> None:
        if isinstance(content, str):
            self._text(state, index, content, events)
            return
        if not isinstance(content, list):
            return
        for part in content:
            if not isinstance(part, Mapping):
                continue
            if part.get("type") == "text" and isinstance(part.get("text"), str):
                self._text(state, index, part["text"], events)
            elif part.get("type") == "thinking":
                pieces = part.get("thinking")
                for piece in pieces if isinstance(pieces, list) else ():
                    if isinstance(piece, Mapping) and isinstance(piece.get("text"), str) and piece["text"]:
                        state.thinking += piece["text"]
                        events.append(ThinkingDeltaEvent(piece["text"], state.thinking, index))

    def _text(self, state: _ChoiceState, index: int, text: str, events: list[ChatStreamEvent]) -> None:
        if text:
            state.text += text
            events.append(ContentDeltaEvent(text, state.text, index))

    def _call(
        self, state: _ChoiceState, index: int, position: int, call: Mapping[str, Any], events: list[ChatStreamEvent]
    ) -> None:
        key = call.get("index")
        key = key if isinstance(key, int) else position
        if state.open_call is not None and state.open_call != key:
            self._close_call(state, index, events)
        known = state.calls.setdefault(key, _Call())
        state.open_call = key
        call_id = call.get("id")
        if isinstance(call_id, str) and call_id not in ("", "null") and not known.id:
            known.id = call_id
        function = call.get("function")
        function = function if isinstance(function, Mapping) else {}
        if isinstance(function.get("name"), str) and function["name"] and not known.name:
            known.name = function["name"]
        arguments = function.get("arguments")
        piece = json.dumps(arguments) if isinstance(arguments, dict) else arguments
        if isinstance(piece, str) and piece:
            known.arguments += piece
            events.append(ToolCallArgumentsDeltaEvent(key, known.name, piece, known.arguments, index))

    def _close_call(self, state: _ChoiceState, index: int, events: list[ChatStreamEvent]) -> None:
        key = state.open_call
        if key is None:
            return
        state.open_call = None
        call = state.calls[key]
        if call.done:
            return
        call.done = True
        try:
            parsed = json.loads(call.arguments) if call.arguments else {}
        except ValueError:
            parsed = None
        events.append(ToolCallDoneEvent(key, call.id, call.name, call.arguments, parsed, index))


# -- the I/O edges -------------------------------------------------------------------------------


def _finish(machine: ChatEventMachine, response: Any) -> list[ChatStreamEvent]:
    parsed = None
    choices = getattr(response, "choices", [])
    if choices and hasattr(choices[0].message, "parsed"):
        by_index = {c.index: c.message.parsed for c in choices}
        parsed = by_index.get
    return machine.finish(response, parsed)


def iterate_events(
    stream: Stream[CompletionStreamChunk], final: Callable[[], Any] | None = None
) -> Iterator[ChatStreamEvent]:
    """The events of a sync stream; ``final`` builds the closing response (default: ``final_response``)."""
    machine = ChatEventMachine()
    for chunk in stream:
        if chunk.error is None:
            yield from machine.feed(chunk.raw)
    yield from _finish(machine, (final or stream.final_response)())


async def aiterate_events(
    stream: AsyncStream[CompletionStreamChunk], final: Callable[[], Any] | None = None
) -> AsyncIterator[ChatStreamEvent]:
    """The events of an async stream; ``final`` is an async callable building the closing response."""
    machine = ChatEventMachine()
    async for chunk in stream:
        if chunk.error is None:
            for event in machine.feed(chunk.raw):
                yield event
    response = await (final or stream.final_response)()
    for event in _finish(machine, response):
        yield event
