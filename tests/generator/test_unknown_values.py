"""Responses from a newer API (new enum values, new union members) parse and keep what they carried."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable

import pytest

from mistral_sdk._generated.types import decode_enum
from mistral_sdk.models import (
    AssistantMessage,
    ChatCompletionRequest,
    ChatCompletionResponse,
    SystemMessage,
    TextChunk,
    ToolMessage,
    UnknownVariant,
    UserMessage,
)

RESPONSE = {
    "id": "cmpl-7",
    "object": "chat.completion",
    "model": "mistral-large-latest",
    "created": 1_700_000_000,
    "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
    "choices": [
        {
            "index": 0,
            "finish_reason": "model_got_bored",
            "message": {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": "Here is a hologram:"},
                    {"type": "hologram", "frames": 24, "url": "https://example.invalid/h"},
                ],
            },
        }
    ],
}


def test_unknown_finish_reason_and_chunk_type_are_kept() -> None:
    response = ChatCompletionResponse.from_dict(RESPONSE)

    choice = response.choices[0]
    assert choice.finish_reason == "model_got_bored"
    assert str(choice.finish_reason) == "model_got_bored"
    assert isinstance(choice.message, AssistantMessage)
    content = choice.message.content
    assert isinstance(content, list)
    assert isinstance(content[0], TextChunk) and content[0].text == "Here is a hologram:"
    assert isinstance(content[1], UnknownVariant)
    assert content[1].additional_properties == {"type": "hologram", "frames": 24, "url": "https://example.invalid/h"}


def test_unknown_values_survive_a_round_trip() -> None:
    again = ChatCompletionResponse.from_dict(RESPONSE).to_dict()
    assert again["choices"][0]["finish_reason"] == "model_got_bored"
    assert again["choices"][0]["message"]["content"][1] == RESPONSE["choices"][0]["message"]["content"][1]  # type: ignore[index]


def test_messages_are_decoded_by_their_role() -> None:
    request = ChatCompletionRequest.from_dict(
        {
            "model": "m",
            "messages": [
                {"role": "system", "content": "s"},
                {"role": "user", "content": "u"},
                {"role": "assistant", "content": "a"},
                {"role": "tool", "content": "t", "tool_call_id": "call_1"},
                {"role": "narrator", "content": "n"},
            ],
        }
    )
    kinds = [type(m) for m in request.messages]
    assert kinds == [SystemMessage, UserMessage, AssistantMessage, ToolMessage, UnknownVariant]


def test_data_that_fits_no_union_member_is_refused_not_kept_raw() -> None:
    from mistral_sdk.models import DeltaMessage

    # A tool call without its function name is not a ToolCall: the field must not hold the raw dict.
    no_name = r"^tool_calls: list value fits no member of the union \(DecodeError\('function.name: missing"
    with pytest.raises(TypeError, match=no_name):
        DeltaMessage.from_dict({"tool_calls": [{"index": 0, "function": {"arguments": "{}"}}]})
    with pytest.raises(TypeError, match=r"^content: int value fits no member of the union$"):
        DeltaMessage.from_dict({"content": 5})
    assert DeltaMessage.from_dict({"content": None, "role": "assistant"}).content is None


def test_multipart_text_parts_write_booleans_and_omit_nulls() -> None:
    from mistral_sdk.models import AudioTranscriptionRequest

    parts = AudioTranscriptionRequest(model="voxtral-mini-latest", diarize=True, file_url=None).to_multipart()
    sent = {name: part[1] for name, part in parts}
    assert sent["diarize"] == b"true"
    assert "stream" not in sent  # not given: the server's default applies
    assert "file_url" not in sent  # multipart has no null; str(None) would have sent "None"


def _every_generated_enum() -> list[type[enum.Enum]]:
    import mistral_sdk._generated.models as generated

    found = {getattr(generated, name) for name in generated.__all__}
    return sorted((c for c in found if isinstance(c, type) and issubclass(c, enum.Enum)), key=lambda c: c.__name__)


def _outcome(build: Callable[[], object]) -> tuple[str, object]:
    try:
        value = build()
    except (ValueError, TypeError) as exc:
        return type(exc).__name__, str(exc)
    return type(value).__name__, (getattr(value, "name", None), getattr(value, "value", None))


def test_the_decoders_enum_lookup_acts_exactly_as_calling_the_enum() -> None:
    enums = _every_generated_enum()
    assert len(enums) > 20
    for cls in enums:
        members = [m.value for m in cls]
        wrong = [None, True, 1.5, ["x"], {"a": 1}, 0 if isinstance(members[0], str) else "0"]
        for value in [*members, "a-value-from-a-newer-api", *wrong]:
            assert _outcome(functools.partial(decode_enum, cls, value)) == _outcome(functools.partial(cls, value)), (
                cls,
                value,
            )
        assert decode_enum(cls, members[0]) is cls(members[0])
