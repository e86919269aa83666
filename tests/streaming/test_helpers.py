"""The Go-parity helper constructors: the generated models they return and the JSON those send."""

from __future__ import annotations

from typing import Any

import pytest

from mistral_sdk._generated.models.chat_completion_request import ChatCompletionRequest
from mistral_sdk._generated.models.fim_completion_request import FIMCompletionRequest
from mistral_sdk._generated.models.user_message import UserMessage
from mistral_sdk._helpers import (
    new_assistant_message_from_string,
    new_chat_completion_request,
    new_chat_completion_stream_request,
    new_fim_completion_request,
    new_fim_completion_stream_request,
    new_json_schema_response_format,
    new_system_message_from_string,
    new_tool,
    new_tool_choice,
    new_tool_message,
    new_user_message_from_string,
)

WEATHER = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}


def test_minimal_stream_request() -> None:
    req = new_chat_completion_stream_request("mistral-small-latest", [new_user_message_from_string("Hi")])
    assert isinstance(req, ChatCompletionRequest)
    assert isinstance(req.messages[0], UserMessage)
    body = req.to_dict()
    assert body["model"] == "mistral-small-latest"
    assert body["stream"] is True
    assert body["messages"] == [{"role": "user", "content": "Hi"}]
    assert "temperature" not in body and "tools" not in body


def test_every_message_helper() -> None:
    messages: list[Any] = [
        new_system_message_from_string("Be brief."),
        new_user_message_from_string("Weather?"),
        new_assistant_message_from_string("Let me check.", prefix=True),
        new_tool_message('{"temp": 21}', tool_call_id="call_1", name="get_weather"),
    ]
    body = new_chat_completion_request("m", messages).to_dict()
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Weather?"},
        {"role": "assistant", "content": "Let me check.", "prefix": True},
        {"role": "tool", "content": '{"temp": 21}', "tool_call_id": "call_1", "name": "get_weather"},
    ]
    assert "stream" not in body or body["stream"] is False


def test_keyword_options_map_to_request_fields() -> None:
    tool = new_tool("get_weather", "Current weather for a city", WEATHER)
    req = new_chat_completion_request(
        "m",
        [new_user_message_from_string("x")],
        temperature=0.2,
        top_p=0.9,
        max_tokens=64,
        stop=["\n\n", "END"],
        random_seed=7,
        tools=[tool],
        tool_choice="any",
        parallel_tool_calls=False,
        response_format="json_object",
        presence_penalty=0.1,
        frequency_penalty=0.3,
        n=2,
        prediction="draft",
        safe_prompt=True,
        metadata={"run": "a"},
    )
    body = req.to_dict()
    expected = {
        "temperature": 0.2,
        "top_p": 0.9,
        "max_tokens": 64,
        "stop": ["\n\n", "END"],
        "random_seed": 7,
        "tool_choice": "any",
        "parallel_tool_calls": False,
        "response_format": {"type": "json_object"},
        "presence_penalty": 0.1,
        "frequency_penalty": 0.3,
        "n": 2,
        "prediction": {"type": "content", "content": "draft"},
        "safe_prompt": True,
        "metadata": {"run": "a"},
    }
    assert {k: body[k] for k in expected} == expected
    assert body["tools"] == [
        {
            "type": "function",
            "function": {"name": "get_weather", "description": "Current weather for a city", "parameters": WEATHER},
        }
    ]


def test_tool_choice_for_one_function_and_json_schema_format() -> None:
    fmt = new_json_schema_response_format("weather", WEATHER, strict=True)
    req = new_chat_completion_request(
        "m", [new_user_message_from_string("x")], tool_choice=new_tool_choice("get_weather"), response_format=fmt
    )
    body = req.to_dict()
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "weather", "schema": WEATHER, "strict": True},
    }
    assert new_chat_completion_request("m", [], response_format="text").to_dict()["response_format"] == {"type": "text"}


def test_fim_helpers() -> None:
    req = new_fim_completion_stream_request(
        "codestral-latest", "def add(a, b):", suffix="\n", max_tokens=20, min_tokens=1
    )
    assert isinstance(req, FIMCompletionRequest)
    expected = {
        "model": "codestral-latest",
        "prompt": "def add(a, b):",
        "suffix": "\n",
        "max_tokens": 20,
        "min_tokens": 1,
        "stream": True,
    }
    body = req.to_dict()
    assert {k: body[k] for k in expected} == expected
    assert new_fim_completion_request("c", "p").to_dict().get("stream", False) is False


def _untyped(value: object) -> Any:
    """Hide a deliberately wrong value from mypy (which rejects every call below statically)."""
    return value


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: new_user_message_from_string(_untyped(3)), TypeError),
        (lambda: new_chat_completion_request("m", _untyped("hello")), TypeError),
        (lambda: new_chat_completion_request("m", _untyped([{"role": "user", "content": "x"}])), TypeError),
        (lambda: new_chat_completion_request("m", [], tools=_untyped([{"name": "f"}])), TypeError),
        (lambda: new_chat_completion_request("m", [], tool_choice=_untyped("sometimes")), ValueError),
        (lambda: new_chat_completion_request("m", [], response_format=_untyped("yaml")), ValueError),
        (lambda: new_tool("f", "d", _untyped("not a schema")), TypeError),
        (lambda: new_tool_message("x", tool_call_id=_untyped(None)), TypeError),
    ],
)
def test_bad_input_is_a_clear_error(call: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()


def test_generated_models_and_helpers_mix() -> None:
    hand_built = UserMessage(content="hand built")
    req = new_chat_completion_request("m", [hand_built, new_user_message_from_string("helper")])
    assert req.messages[0] is hand_built
    assert [m.to_dict()["content"] for m in req.messages] == ["hand built", "helper"]
