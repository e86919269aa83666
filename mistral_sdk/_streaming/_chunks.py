"""Typed chunks as the stream hands them out.

A chunk keeps the parsed JSON (``raw``) and builds the generated models from it only when a typed
attribute is first read, then caches them. Streaming costs one ``json.loads`` and one small object
per event; a caller who reads only ``chunk.text`` never pays for model construction, and one who
reads ``chunk.choices`` gets the exact generated classes (``CompletionResponseStreamChoice``,
``DeltaMessage``, ``UsageInfo``), so every field of the API's chunk is there, typed.

The generated models are imported on first use: importing them costs most of a second and a
program that streams text never needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from mistral_sdk._exceptions import StreamError
    from mistral_sdk._generated.models.completion_chunk import CompletionChunk
    from mistral_sdk._generated.models.completion_response_stream_choice import CompletionResponseStreamChoice
    from mistral_sdk._generated.models.delta_message import DeltaMessage
    from mistral_sdk._generated.models.usage_info import UsageInfo

__all__ = ["CompletionStreamChunk", "StreamChunk", "StreamEvent"]

D = TypeVar("D")

_FIND: Any = object()  # "look for choice 0's delta in raw" (the decoder passes the one it found instead)


class StreamChunk:
    """What every streamed item carries besides the API's own fields.

    ``chunk_latency``: seconds since the previous chunk arrived (since the request started, for the
    first one). ``total_latency``: seconds since the request started. ``is_last_chunk``: True on
    exactly one chunk, the final one. ``error``: set only on the closing chunk of a stream run with
    ``error_mode="in_band"`` that broke; that chunk carries no API data.
    """

    __slots__ = ("chunk_latency", "error", "is_last_chunk", "may_end", "total_latency")

    chunk_latency: float
    total_latency: float
    is_last_chunk: bool
    error: StreamError | None
    may_end: bool  # set by the decoder: could this be the final item? Only such items wait for look-ahead.

    def __init__(self) -> None:
        self.chunk_latency = 0.0
        self.total_latency = 0.0
        self.is_last_chunk = False
        self.error = None
        self.may_end = True

    @property
    def text(self) -> str:
        return ""


class CompletionStreamChunk(StreamChunk):
    """One ``CompletionChunk`` of a chat, FIM or agents stream, with streaming extras.

    ``delta_message()`` and ``text`` refer to choice 0, which is the whole answer unless ``n > 1``;
    ``delta_message(i)`` reaches the others. ``to_model()`` returns the generated ``CompletionChunk``.
    """

    __slots__ = ("_choices", "_delta", "_usage", "raw")

    raw: dict[str, Any]

    _choices: list[CompletionResponseStreamChoice]
    _delta: dict[str, Any] | None  # the delta of choice 0, which ``text`` and ``delta_message()`` read
    _usage: UsageInfo | None

    def __init__(self, raw: dict[str, Any], delta: Any = _FIND, may_end: bool = True) -> None:
        # The typed views (_choices, _usage) stay unset until first read: nothing to pay per chunk. The
        # decoder, which walks the choices anyway, passes choice 0's delta so no read has to look for it.
        self.raw = raw
        self._delta = _delta_dict(raw, 0) if delta is _FIND else delta
        self.chunk_latency = 0.0
        self.total_latency = 0.0
        self.is_last_chunk = False
        self.error = None
        self.may_end = may_end

    # -- the API's fields ------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return str(self.raw.get("id", ""))

    @property
    def model(self) -> str:
        return str(self.raw.get("model", ""))

    @property
    def object_(self) -> str | None:
        value = self.raw.get("object")
        return value if isinstance(value, str) else None

    @property
    def created(self) -> int | None:
        value = self.raw.get("created")
        return value if isinstance(value, int) else None

    @property
    def choices(self) -> list[CompletionResponseStreamChoice]:
        try:
            return self._choices
        except AttributeError:
            cls = _models().CompletionResponseStreamChoice
            self._choices = [cls.from_dict(c) for c in self.raw.get("choices", ())]
            return self._choices

    @property
    def usage(self) -> UsageInfo | None:
        """Token counts; the API sends them on the final chunk only."""
        data = self.raw.get("usage")
        if data is None:
            return None  # every chunk but the last: nothing to build or cache (no per-chunk exception either)
        try:
            return self._usage
        except AttributeError:
            self._usage = _models().UsageInfo.from_dict(data) if isinstance(data, dict) else None
            return self._usage

    @property
    def additional_properties(self) -> dict[str, Any]:
        """Fields the API sent that our description does not name (kept, never dropped)."""
        return {k: v for k, v in self.raw.items() if k not in _CHUNK_FIELDS}

    # -- extras ----------------------------------------------------------------------------------

    def delta_message(self, index: int = 0) -> DeltaMessage:
        """The typed delta of choice ``index``; an empty ``DeltaMessage`` when this chunk has none for it."""
        delta = self._delta if index == 0 else _delta_dict(self.raw, index)
        new = _new_delta or _models().delta_message
        if delta is None:
            return new(UNSET, UNSET)
        # The usual deltas, {"content": text} and {"role": text, "content": text}: the constructor directly,
        # without the generated from_dict's union parsing (about 10x faster, same result). ``delta`` itself
        # stands for an absent key: it is never a str.
        size = len(delta)
        if size == 1:
            content = delta.get("content", delta)
            if content.__class__ is str:
                return new(UNSET, content)
        elif size == 2:
            content = delta.get("content", delta)
            role = delta.get("role", delta)
            if content.__class__ is str and role.__class__ is str:
                return new(role, content)
        return _models().DeltaMessage.from_dict(delta)

    @property
    def text(self) -> str:
        """The text this chunk adds to choice 0; ``""`` when it adds none (role-only, tool calls, end)."""
        delta = self._delta
        if delta is None:
            return ""
        content = delta.get("content")
        if content.__class__ is str:
            return content  # type: ignore[no-any-return,unused-ignore]
        if isinstance(content, list):
            return content_text(content)
        return ""

    def finish_reason(self, index: int = 0) -> str | None:
        """The raw finish reason of choice ``index`` in this chunk (``None`` until it finishes)."""
        for choice in self.raw.get("choices", ()):
            if choice.get("index", 0) == index:
                value = choice.get("finish_reason")
                return value if isinstance(value, str) else None
        return None

    def to_model(self) -> CompletionChunk:
        return _models().CompletionChunk.from_dict(self.raw)

    def __repr__(self) -> str:
        if self.error is not None:
            return f"CompletionStreamChunk(error={self.error!r})"
        return (
            f"CompletionStreamChunk(id={self.id!r}, text={self.text!r}, is_last_chunk={self.is_last_chunk}, "
            f"choices={len(self.raw.get('choices', ()))})"
        )


class StreamEvent(StreamChunk, Generic[D]):
    """One event of a typed event stream (conversations, transcriptions...): its type, id and typed data."""

    __slots__ = ("data", "event", "id", "raw")

    def __init__(self, event: str, data: D, raw: Any, id: str = "") -> None:
        super().__init__()
        self.event = event
        self.data = data
        self.raw = raw
        self.id = id

    @property
    def text(self) -> str:
        """The text delta the event carries when it is a text delta event, else ``""``."""
        raw = self.raw
        if isinstance(raw, dict):
            content = raw.get("content", raw.get("text"))
            if isinstance(content, str) and self.event.endswith(".delta"):
                return content
            if isinstance(content, list) and self.event.endswith(".delta"):
                return content_text(content)
        return ""

    def __repr__(self) -> str:
        if self.error is not None:
            return f"StreamEvent(error={self.error!r})"
        return f"StreamEvent(event={self.event!r}, data={self.data!r}, is_last_chunk={self.is_last_chunk})"


_CHUNK_FIELDS = frozenset(("id", "object", "created", "model", "usage", "choices"))


def content_text(parts: list[Any]) -> str:
    """The text of a list of content chunks: the ``text`` chunks joined (thinking and media excluded)."""
    return "".join(
        p["text"] for p in parts if isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)
    )


def _delta_dict(raw: dict[str, Any], index: int) -> dict[str, Any] | None:
    choices = raw.get("choices", ())
    if choices.__class__ is list and choices:
        first = choices[0]  # the usual case: one choice, index 0, checked before the general search
        if first.__class__ is dict and first.get("index", 0) == index:
            delta = first.get("delta")
            if delta.__class__ is dict:
                return delta
    for choice in choices:
        if choice.get("index", 0) == index:
            delta = choice.get("delta")
            return delta if isinstance(delta, dict) else None
    return None


class _Models:
    """The generated classes this module needs, imported once, on first use."""

    def __init__(self) -> None:
        import attrs

        from mistral_sdk._generated.models.completion_chunk import CompletionChunk
        from mistral_sdk._generated.models.completion_response_stream_choice import CompletionResponseStreamChoice
        from mistral_sdk._generated.models.delta_message import DeltaMessage
        from mistral_sdk._generated.models.usage_info import UsageInfo
        from mistral_sdk._generated.types import UNSET

        self.UNSET = UNSET
        self.CompletionChunk = CompletionChunk
        self.CompletionResponseStreamChoice = CompletionResponseStreamChoice
        self.DeltaMessage = DeltaMessage
        self.UsageInfo = UsageInfo
        # ``DeltaMessage(role, content)``: positional arguments cost a third less than keywords (once per
        # chunk), so they are used when the generated class takes role and content first, as it does today.
        first = [field.name for field in attrs.fields(DeltaMessage)[:2]]
        self.delta_message: Callable[[Any, Any], DeltaMessage] = DeltaMessage
        if first != ["role", "content"]:
            self.delta_message = lambda role, content: DeltaMessage(role=role, content=content)


_loaded: list[_Models] = []
# Bound by the first ``_models()``, and read as globals on the per-chunk path, where every lookup counts.
_new_delta: Callable[[Any, Any], DeltaMessage] | None = None
UNSET: Any = None


def _models() -> _Models:
    global _new_delta, UNSET
    if not _loaded:
        models = _Models()
        _loaded.append(models)
        _new_delta, UNSET = models.delta_message, models.UNSET
    return _loaded[0]
