"""first_unknown_field: where request builders find keys a closed schema does not define."""

from __future__ import annotations

from mistral_sdk._closed_models import first_unknown_field
from mistral_sdk.models import ChatCompletionRequest, DeltaMessage, ResponseFormat


def test_a_closed_model_with_an_extra_key_is_found_with_its_path() -> None:
    request = ChatCompletionRequest.from_dict(
        {"model": "m", "messages": [{"role": "user", "content": "hi"}], "response_format": {"type": "text", "x": 1}}
    )
    assert ResponseFormat.closed_schema
    assert first_unknown_field(request) == ("response_format", "x")
    assert first_unknown_field(request.response_format, "arg") == ("arg", "x")


def test_items_of_lists_are_named_by_index() -> None:
    formats = [ResponseFormat.from_dict({"type": "text"}), ResponseFormat.from_dict({"type": "text", "y": 2})]
    assert first_unknown_field(formats, "formats") == ("formats[1]", "y")


def test_open_models_and_clean_closed_ones_pass() -> None:
    delta = DeltaMessage.from_dict({"content": "x", "newer_field": 1})
    assert not DeltaMessage.closed_schema
    assert first_unknown_field(delta) is None  # an open schema's extras are the API's business
    assert first_unknown_field(ResponseFormat.from_dict({"type": "text"})) is None
    assert first_unknown_field({"a": [1, "x", None]}) is None
