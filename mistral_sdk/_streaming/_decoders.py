"""Turning one SSE event into one typed chunk, per stream format, chosen from the spec.

The client does not keep a list of streaming endpoints: the facade generator reads each
operation's ``text/event-stream`` schema, takes its generated model class (``CompletionEvent`` for
chat, FIM and agents) and calls ``decoder_for(that_class)``. ``CompletionEvent``'s ``data`` is a
``CompletionChunk``, which gets the fast dict-backed decoder; any other event schema gets the
generic decoder, which builds the generated event model eagerly and wraps it in ``StreamEvent``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from mistral_sdk._streaming._accumulate import accumulate_completion
from mistral_sdk._streaming._chunks import CompletionStreamChunk, StreamChunk, StreamEvent

__all__ = [
    "COMPLETION_CHUNK_DECODER",
    "BadChunk",
    "ChunkDecoder",
    "ErrorInData",
    "decoder_for",
    "event_decoder",
]

T = TypeVar("T", bound=StreamChunk)


class BadChunk(Exception):
    """The event's JSON is valid but is not what this stream carries."""


class ErrorInData(Exception):
    """The event's JSON is an error object sent by the server instead of a chunk."""

    def __init__(self, error: object) -> None:
        super().__init__("error object in stream")
        self.error = error


@dataclass(frozen=True, slots=True)
class ChunkDecoder(Generic[T]):
    """How one stream format decodes events and ends.

    ``decode(data, event)`` receives the parsed JSON of an event's data and its event type and
    returns the chunk, setting ``may_end`` False on chunks that can never be the final one (so they
    are handed out at once instead of waiting for the next event). It raises ``ErrorInData`` or
    ``BadChunk``. ``error_chunk()`` builds the closing chunk of the in-band error mode.
    ``done_sentinel``: the data that ends the stream (``[DONE]``); with ``None`` the end of the body
    ends it. ``accumulate`` assembles the whole response from the chunks (``final_response()``).
    """

    decode: Callable[[Any, str], T]
    error_chunk: Callable[[], T]
    done_sentinel: str | None = "[DONE]"
    #: Without a sentinel: the event types after which the body may end; ending after any other event is
    #: an incomplete stream. ``None``: the end of the body ends the stream, whatever came last.
    final_events: frozenset[str] | None = None
    accumulate: Callable[[list[T]], Any] | None = None
    name: str = "stream"


def _is_error_object(data: Any) -> bool:
    return isinstance(data, dict) and (
        "error" in data or data.get("object") == "error" or ("message" in data and "choices" not in data)
    )


def _decode_completion(data: Any, event: str) -> CompletionStreamChunk:
    if event != "message" and (event == "error" or event.endswith(".error")):
        raise ErrorInData(data)
    if data.__class__ is not dict:
        raise BadChunk(f"expected a JSON object, got {type(data).__name__}")
    choices = data.get("choices")
    if choices.__class__ is not list or "id" not in data or "model" not in data:
        if _is_error_object(data):
            raise ErrorInData(data)
        raise BadChunk("not a CompletionChunk: 'id', 'model' and a 'choices' list are required")
    # Older streams send "usage": null on every chunk but the last: only real usage marks a possible end
    # (else every chunk would wait for the next network read before being handed out).
    may_end = data.get("usage") is not None
    first = None  # the delta of choice 0, handed to the chunk so that its reads need not look for it
    for choice in choices:
        delta = choice.get("delta") if choice.__class__ is dict else None
        if delta.__class__ is not dict:
            raise BadChunk("not a CompletionChunk: each choice needs a 'delta' object")
        if choice.get("finish_reason") is not None:
            may_end = True
        if first is None and choice.get("index", 0) == 0:
            first = delta
    return CompletionStreamChunk(data, first, may_end)


def _completion_error_chunk() -> CompletionStreamChunk:
    return CompletionStreamChunk({"id": "", "model": "", "choices": []})


COMPLETION_CHUNK_DECODER: ChunkDecoder[CompletionStreamChunk] = ChunkDecoder(
    decode=_decode_completion,
    error_chunk=_completion_error_chunk,
    accumulate=accumulate_completion,
    name="CompletionChunk",
)


def final_event_types(event_model: type[Any]) -> frozenset[str] | None:
    """The event types that end a turn, read from the event union of the spec: the members that report
    ``usage`` (an API reports what a call cost once, at its end). ``None`` when the schema names none."""
    import attrs

    from mistral_sdk._generated import models

    data = attrs.fields_dict(event_model).get("data") if attrs.has(event_model) else None
    if data is None or not isinstance(data.type, str):
        return None
    found: set[str] = set()
    for name in data.type.split(" | "):
        member = getattr(models, name.strip(), None)
        if not (isinstance(member, type) and attrs.has(member)):
            continue
        fields = attrs.fields_dict(member)
        usage, kind = fields.get("usage"), fields.get("type_")
        if usage is not None and usage.default is attrs.NOTHING and kind is not None and isinstance(kind.default, str):
            found.add(kind.default)
    return frozenset(found) or None


def event_decoder(event_model: type[Any], *, done_sentinel: str | None = None) -> ChunkDecoder[StreamEvent[Any]]:
    """A decoder for an event schema shaped ``{event, data}``, built with its generated ``from_dict``."""
    from_dict: Callable[[dict[str, Any]], Any] = event_model.from_dict
    final = None if done_sentinel is not None else final_event_types(event_model)

    def decode(data: Any, event: str) -> StreamEvent[Any]:
        if event == "error" or event.endswith(".error") or (event == "message" and _is_error_object(data)):
            raise ErrorInData(data)
        try:
            model = from_dict({"event": event, "data": data})
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadChunk(f"not a {event_model.__name__}: {exc!r}") from exc
        item: StreamEvent[Any] = StreamEvent(event, getattr(model, "data", model), data)
        item.may_end = _event_type(event, data) in final if final else not event.endswith(".delta")
        return item

    def error_chunk() -> StreamEvent[Any]:
        return StreamEvent("error", None, None)

    return ChunkDecoder(
        decode=decode,
        error_chunk=error_chunk,
        done_sentinel=done_sentinel,
        final_events=final,
        name=event_model.__name__,
    )


def _event_type(event: str, data: Any) -> str:
    """The event's type: its ``type`` field, else the SSE ``event:`` name."""
    kind = data.get("type") if isinstance(data, dict) else None
    return kind if isinstance(kind, str) else event


def decoder_for(event_model: type[Any]) -> ChunkDecoder[Any]:
    """The decoder for an operation whose ``text/event-stream`` schema is the generated class ``event_model``.

    Dispatches on the type of the model's ``data`` attribute (a string annotation in generated
    code): ``CompletionChunk`` streams end with ``[DONE]`` and get ``CompletionStreamChunk``; others
    get ``StreamEvent`` and end with the body.
    """
    import attrs

    data_type = ""
    if attrs.has(event_model):
        field = attrs.fields_dict(event_model).get("data")
        if field is not None:
            data_type = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
    if data_type.strip() == "CompletionChunk":
        return COMPLETION_CHUNK_DECODER
    return event_decoder(event_model)
