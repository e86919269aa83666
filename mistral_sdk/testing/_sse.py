"""Building a stream of server-sent events from an operation's ``text/event-stream`` schema.

The schema describes ONE event: ``data`` (and, for named-event streams, ``event``). Two shapes occur
and both are handled from the schema alone, with no per-operation code:

- data-only chunks (chat, FIM): N chunks carrying pieces of text, then a final chunk with
  ``finish_reason`` and ``usage``, then ``data: [DONE]``;
- named events whose ``data`` is a discriminated union (conversations): a ``*started`` event, N
  ``*delta`` events, then a ``*done`` event carrying ``usage``; such streams end without ``[DONE]``
  because the API closes them after the done event.

Any other stream with an ``event`` property (workflow logs: ``event`` one of ``log``, ``error``) gets
data-only chunks named as its ``event`` schema allows, also without ``[DONE]``: an unnamed event is a
``message`` event to every SSE reader, which such a schema refuses.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._schemas import SchemaTools
from ._script import SSEEvent

__all__ = ["StreamPlan", "plan_stream"]

_WORDS = ("This", " is", " a", " deterministic", " reply", " from", " the", " Mistral", " mock", " server.")


@dataclass(frozen=True)
class StreamPlan:
    events: list[SSEEvent]
    done: bool


def piece(i: int) -> str:
    """Word ``i`` of the streamed answer: the sentence repeats, separated by a space."""
    word = _WORDS[i % len(_WORDS)]
    return " " + word if i and not i % len(_WORDS) else word


def plan_stream(
    tools: SchemaTools,
    event_schema: Mapping[str, Any],
    count: int,
    echo: Mapping[str, Any],
    answer: str | None = None,
) -> StreamPlan:
    """The events of a synthesized stream; ``answer``, when given, is the text the chunks carry (in
    ``count`` pieces) instead of the generic sentence."""
    resolved = tools.resolve(event_schema)
    props: Mapping[str, Any] = resolved.get("properties", {})
    data_schema = tools.resolve(props.get("data", {}))
    named = "event" in props
    mapping = (data_schema.get("discriminator") or {}).get("mapping")
    if isinstance(mapping, Mapping) and mapping:
        return StreamPlan(_union_events(tools, data_schema, mapping, count, named, echo), done=not named)
    events = _chunk_events(tools, data_schema, count, echo, answer)
    if named:
        # an event without a name is a "message" event to every SSE reader: name it as the schema allows
        name = tools.synthesize(props["event"], "event")
        events = [SSEEvent(e.data, event=str(name)) for e in events]
    return StreamPlan(events, done=not named)


def _chunk_events(
    tools: SchemaTools, data_schema: Mapping[str, Any], count: int, echo: Mapping[str, Any], answer: str | None
) -> list[SSEEvent]:
    base = tools.synthesize(data_schema)
    if not isinstance(base, dict) or not isinstance(base.get("choices"), list) or not base["choices"]:
        return [SSEEvent(copy.deepcopy(base)) for _ in range(count)] + [SSEEvent(copy.deepcopy(base))]
    for key in ("model", "id"):
        if isinstance(echo.get(key), str) and key in base:
            base[key] = echo[key]
    base.pop("usage", None)
    choice = base["choices"][0]
    base["choices"] = [choice]
    choice["index"] = 0
    events: list[SSEEvent] = []
    for i in range(count):
        chunk = copy.deepcopy(base)
        c = chunk["choices"][0]
        text = piece(i) if answer is None else _share(answer, i, count)
        c["delta"] = {"role": "assistant", "content": text} if i == 0 else {"content": text}
        if "finish_reason" in c:
            c["finish_reason"] = None
        events.append(SSEEvent(_valid_or(tools, data_schema, chunk, base)))
    final = copy.deepcopy(base)
    c = final["choices"][0]
    c["delta"] = {"content": ""}
    c["finish_reason"] = "stop"
    final["usage"] = _usage(echo, count)
    events.append(SSEEvent(_valid_or(tools, data_schema, final, base)))
    return events


def _share(text: str, i: int, count: int) -> str:
    """Piece ``i`` of ``text`` cut into ``count`` nearly equal pieces (they join to exactly ``text``)."""
    return text[len(text) * i // count : len(text) * (i + 1) // count]


def _usage(echo: Mapping[str, Any], count: int) -> dict[str, int]:
    """Token counts of a plausible size: about four characters of the request per prompt token, one per piece."""
    prompt = max(1, len(str(echo.get("messages", echo.get("prompt", echo.get("inputs", ""))))) // 4)
    return {"prompt_tokens": prompt, "completion_tokens": count, "total_tokens": prompt + count}


def _union_events(
    tools: SchemaTools,
    data_schema: Mapping[str, Any],
    mapping: Mapping[str, str],
    count: int,
    named: bool,
    echo: Mapping[str, Any],
) -> list[SSEEvent]:
    prop = str(data_schema["discriminator"]["propertyName"])
    tags = list(mapping)
    # the event that closes the stream reports what the call cost: the one member requiring usage
    costed = [tag for tag in tags if "usage" in tools.resolve({"$ref": mapping[tag]}).get("required", [])]

    def first(*needles: str) -> str | None:
        for needle in needles:
            for tag in tags:
                if needle in tag:
                    return tag
        return None

    started, delta, done = (
        first("response.started", "started"),
        first("output.delta", "delta"),
        costed[0] if len(costed) == 1 else first("response.done", "done", "completed"),
    )

    def build(tag: str, text: str | None) -> SSEEvent:
        member = {"$ref": mapping[tag]}
        body = tools.synthesize(member)
        if isinstance(body, dict):
            body[prop] = tag
            shaped = copy.deepcopy(body)
            for key in ("content", "text"):
                if text is not None and isinstance(shaped.get(key), str):
                    shaped[key] = text
            if isinstance(shaped.get("usage"), dict):
                shaped["usage"] = {**shaped["usage"], **_usage(echo, count)}
            body = _valid_or(tools, member, shaped, body)
        return SSEEvent(body, event=tag if named else None)

    events: list[SSEEvent] = []
    if started is not None:
        events.append(build(started, None))
    for i in range(count):
        events.append(build(delta or tags[0], piece(i)))
    if done is not None:
        events.append(build(done, None))
    return events


def _valid_or(tools: SchemaTools, schema: Mapping[str, Any], candidate: Any, fallback: Any) -> Any:
    """The shaped chunk when the description allows it, else the plain synthesized one (never an invalid event)."""
    return candidate if tools.is_valid(schema, candidate) else copy.deepcopy(fallback)
