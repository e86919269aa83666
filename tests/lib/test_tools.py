"""Tools from Python functions and classes, and running a response's tool calls (sync and async)."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Literal

import pytest

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.lib import choice_message, function_tool, pydantic_tool, run_tool_calls, run_tool_calls_async
from mistral_sdk.lib._docstrings import parse_docstring
from mistral_sdk.testing import MockServer, ScriptedResponse
from tests.lib._types import Author, City, Genre


def get_weather(city: str, unit: Literal["celsius", "fahrenheit"] = "celsius", days: int | None = None) -> str:
    """Current weather for a city.

    Looks the city up by name.

    Args:
        city: The city's name, for example
            "Paris".
        unit (str): Temperature unit.
        days: How many days of forecast.

    Returns:
        A short report.
    """
    return f"{city}: 21 {unit}"


def numpy_style(x: float, tags: list[str]) -> float:
    """Scale a value.

    Parameters
    ----------
    x : float
        The value
        to scale.
    tags : list of str
        Labels.

    Returns
    -------
    float
    """
    return x * 2


def sphinx_style(genre: Genre, author: Author) -> str:
    """Describe a book.

    :param genre: The book's genre.
    :param Author author: Who wrote it.
    :returns: a sentence
    """
    return f"{genre.value} by {author.name}"


def test_function_tool_from_google_docstring() -> None:
    tool = function_tool(get_weather).to_dict()
    assert tool["type"] == "function"
    fn = tool["function"]
    assert fn["name"] == "get_weather"
    assert fn["description"] == "Current weather for a city. Looks the city up by name."
    params = fn["parameters"]
    assert params["required"] == ["city"]
    assert params["properties"]["city"] == {"type": "string", "description": 'The city\'s name, for example "Paris".'}
    assert params["properties"]["unit"] == {
        "type": "string",
        "enum": ["celsius", "fahrenheit"],
        "description": "Temperature unit.",
        "default": "celsius",
    }
    assert params["properties"]["days"]["anyOf"] == [{"type": "integer"}, {"type": "null"}]


def test_numpy_and_sphinx_docstrings() -> None:
    params = function_tool(numpy_style).to_dict()["function"]["parameters"]["properties"]
    assert params["x"]["description"] == "The value to scale."
    assert params["tags"] == {"type": "array", "items": {"type": "string"}, "description": "Labels."}
    sphinx = function_tool(sphinx_style, strict=True).to_dict()["function"]
    assert sphinx["description"] == "Describe a book."
    assert sphinx["strict"] is True
    assert sphinx["parameters"]["properties"]["author"]["description"] == "Who wrote it."
    assert sphinx["parameters"]["properties"]["author"]["properties"]["name"] == {"type": "string"}
    assert sphinx["parameters"]["additionalProperties"] is False


def test_docstring_without_sections() -> None:
    assert parse_docstring("One line.").description == "One line."
    assert parse_docstring(None).params == {}


def test_function_tool_refuses_unannotated_and_variadic_parameters() -> None:
    def untyped(x):  # type: ignore[no-untyped-def]
        return x

    def variadic(*args: int) -> int:
        return 0

    with pytest.raises(TypeError, match="'x' needs a type annotation"):
        function_tool(untyped)
    with pytest.raises(TypeError, match=r"\*args"):
        function_tool(variadic)


def test_pydantic_tool() -> None:
    fn = pydantic_tool(City).to_dict()["function"]
    assert fn["name"] == "City"
    assert fn["description"] == "A city and its country."
    assert fn["parameters"]["required"] == ["name", "country"]
    assert "title" not in fn["parameters"]


def _tool_calls(*calls: tuple[str, str, Any]) -> ScriptedResponse:
    tool_calls = [
        {"id": call_id, "type": "function", "function": {"name": name, "arguments": args}}
        for call_id, name, args in calls
    ]
    return ScriptedResponse(
        json={
            "id": "c",
            "object": "chat.completion",
            "model": "m",
            "created": 1,
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "", "tool_calls": tool_calls},
                    "finish_reason": "tool_calls",
                }
            ],
        }
    )


def fail(reason: str) -> str:
    raise RuntimeError(f"cannot: {reason}")


CALLS = (
    ("c1", "get_weather", json.dumps({"city": "Lyon", "unit": "fahrenheit"})),
    ("c2", "sphinx_style", json.dumps({"genre": "essay", "author": {"name": "Camus", "born": 1913}})),
    ("c3", "fail", '{"reason": "offline"}'),
    ("c4", "missing", "{}"),
    ("c5", "get_weather", "{not json"),
    ("c6", "get_weather", '{"city": 3}'),
    ("c7", "City", '{"name": "Nice", "country": "FR"}'),
)
EXPECTED = [
    "Lyon: 21 fahrenheit",
    "essay by Camus",
    "Error: RuntimeError: cannot: offline",
    "Error: LookupError: no tool named 'missing'",
    "Error: JSONDecodeError:",
    "Error: ConversionError: city: expected str, got int",
    '{"name":"Nice","country":"FR","population":null,"districts":[]}',
]
TOOLS: dict[str, Any] = {"get_weather": get_weather, "sphinx_style": sphinx_style, "fail": fail, "City": City}


def _check(messages: list[Any]) -> None:
    assert [m.tool_call_id for m in messages] == [c[0] for c in CALLS]
    assert [m.name for m in messages] == [c[1] for c in CALLS]
    for message, expected in zip(messages, EXPECTED, strict=True):
        assert str(message.content).startswith(expected)


def test_run_tool_calls_against_the_mock(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(_tool_calls(*CALLS))
    tools = [function_tool(get_weather), function_tool(sphinx_style), function_tool(fail), pydantic_tool(City)]
    messages: list[Any] = [{"role": "user", "content": "Weather?"}]
    response = client.chat.complete(model="m", messages=messages, tools=tools)

    results = run_tool_calls(response, TOOLS)

    _check(results)
    messages += [response.choices[0].message, *results]
    client.chat.complete(model="m", messages=messages, tools=tools)  # the mock checks the tool messages
    sent = mistral_mock.requests[-1].json["messages"]
    assert sent[-1]["role"] == "tool" and sent[-1]["tool_call_id"] == "c7"
    mistral_mock.assert_no_violations()


def test_sync_runner_reports_async_tools_as_errors(client: Mistral, mistral_mock: MockServer) -> None:
    async def slow(city: str) -> str:
        return city

    mistral_mock.enqueue(_tool_calls(("c1", "slow", '{"city": "x"}')))
    response = client.chat.complete(model="m", messages=[{"role": "user", "content": "x"}])
    (message,) = run_tool_calls(choice_message(response.choices[0]), {"slow": slow})
    assert str(message.content).startswith("Error: TypeError: tool 'slow' is async")


@pytest.mark.anyio
async def test_run_tool_calls_async(aclient: AsyncMistral, mistral_mock: MockServer) -> None:
    async def get_weather_async(city: str, unit: str = "celsius") -> str:
        await asyncio.sleep(0)
        return get_weather(city, "fahrenheit" if unit == "fahrenheit" else "celsius")

    async def fail_async(reason: str) -> str:
        raise RuntimeError(f"cannot: {reason}")

    mistral_mock.enqueue(_tool_calls(*CALLS))
    response = await aclient.chat.complete(model="m", messages=[{"role": "user", "content": "x"}])
    tools = {**TOOLS, "get_weather": get_weather_async, "fail": fail_async}

    _check(await run_tool_calls_async(response, tools))
