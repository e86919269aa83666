"""``client.chat.parse`` and ``parse_stream`` against the mock server, sync and async."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.lib import (
    ContentDoneEvent,
    LengthFinishReasonError,
    ParsedChatCompletion,
    StructuredOutputValidationError,
)
from mistral_sdk.lib._convert import convert
from mistral_sdk.testing import MockServer, ScriptedResponse, ScriptedStream
from tests.lib._types import Book, City, Genre, Movie

MESSAGES = [{"role": "user", "content": "Recommend one."}]


def _completion(content: Any, finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": "c1",
        "object": "chat.completion",
        "model": "mistral-small-latest",
        "created": 1,
        "usage": {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10},
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
        "extra_field": "kept",
    }


def _sent_format(mock: MockServer) -> dict[str, Any]:
    fmt: dict[str, Any] = mock.requests[-1].json["response_format"]
    return fmt


@pytest.mark.parametrize("tp", [Book, Movie, City])
def test_parse_sends_the_strict_schema_and_returns_the_typed_answer(
    client: Mistral, mistral_mock: MockServer, tp: type
) -> None:
    response: ParsedChatCompletion[Any] = client.chat.parse(
        model="mistral-small-latest", messages=MESSAGES, response_format=tp
    )

    fmt = _sent_format(mistral_mock)
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == tp.__name__
    assert fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["additionalProperties"] is False
    parsed = response.choices[0].message.parsed
    assert isinstance(parsed, tp)
    assert isinstance(response, ParsedChatCompletion)
    # the mock answered with schema-valid JSON: the parsed value is exactly that JSON, typed
    assert parsed == convert(tp, json.loads(response.text))
    mistral_mock.assert_no_violations()


def test_parse_keeps_every_field_and_only_adds_the_response_format(client: Mistral, mistral_mock: MockServer) -> None:
    body = {"title": "Candide", "authors": [{"name": "Voltaire", "born": 1694}], "genre": "novel", "format": "paper"}
    answer = json.dumps({**body, "pages": 120, "rating": None})
    mistral_mock.enqueue(ScriptedResponse(json=_completion(answer)))

    response = client.chat.parse(model="mistral-small-latest", messages=MESSAGES, response_format=Book, temperature=0.2)

    sent = dict(mistral_mock.requests[-1].json)
    assert sent.pop("response_format")["json_schema"]["name"] == "Book"
    mistral_mock.enqueue(ScriptedResponse(json=_completion(answer)))
    client.chat.complete(model="mistral-small-latest", messages=MESSAGES, temperature=0.2)
    assert sent == mistral_mock.requests[-1].json  # exactly what complete() sends for the same arguments
    book = response.choices[0].message.parsed
    assert book is not None and book.authors[0].name == "Voltaire" and book.genre is Genre.NOVEL
    assert response["extra_field"] == "kept"
    assert response.id == "c1" and response.usage.total_tokens == 10
    assert response.text == answer


def test_parse_reads_chunk_list_content_and_skips_thinking(client: Mistral, mistral_mock: MockServer) -> None:
    content = [
        {"type": "thinking", "thinking": [{"type": "text", "text": "A film from 1999..."}]},
        {"type": "text", "text": '{"title": "Matrix", '},
        {"type": "text", "text": '"year": 1999, "tags": ["sf"]}'},
    ]
    mistral_mock.enqueue(ScriptedResponse(json=_completion(content)))

    response = client.chat.parse(model="magistral-small-latest", messages=MESSAGES, response_format=Movie)

    assert response.choices[0].message.parsed == Movie("Matrix", 1999, ["sf"])
    assert response.thinking == "A film from 1999..."
    assert response.choices[0].message.thinking == "A film from 1999..."


def test_a_cut_answer_is_a_length_error_with_the_raw_text(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(ScriptedResponse(json=_completion('{"title": "Mat', "length")))

    with pytest.raises(LengthFinishReasonError) as info:
        client.chat.parse(model="mistral-small-latest", messages=MESSAGES, response_format=Movie, max_tokens=3)

    assert info.value.raw == '{"title": "Mat'
    assert info.value.choice_index == 0
    assert info.value.response.id == "c1"


@pytest.mark.parametrize(
    ("answer", "cause"),
    [("not json", "Expecting value"), ('{"title": "M", "year": "1999", "tags": []}', "year: expected int")],
)
def test_an_answer_that_does_not_fit_is_a_validation_error(
    client: Mistral, mistral_mock: MockServer, answer: str, cause: str
) -> None:
    mistral_mock.enqueue(ScriptedResponse(json=_completion(answer)))

    with pytest.raises(StructuredOutputValidationError, match=cause) as info:
        client.chat.parse(model="mistral-small-latest", messages=MESSAGES, response_format=Movie)

    assert info.value.raw == answer


def test_pydantic_validation_errors_are_wrapped(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(ScriptedResponse(json=_completion('{"name": "Lyon"}')))

    with pytest.raises(StructuredOutputValidationError, match="country") as info:
        client.chat.parse(model="mistral-small-latest", messages=MESSAGES, response_format=City)

    assert info.value.raw == '{"name": "Lyon"}'


def test_parse_refuses_a_format_that_is_not_a_type(client: Mistral) -> None:
    with pytest.raises(TypeError, match="Python type of the answer"):
        client.chat.parse(model="m", messages=MESSAGES, response_format={"type": "json_object"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"not list\[tests.lib._types.Book\]"):
        client.chat.parse(model="m", messages=MESSAGES, response_format=list[Book])


def test_parse_stream_final_response_and_events_carry_parsed(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.stream_events = 7
    with client.chat.parse_stream(model="mistral-small-latest", messages=MESSAGES, response_format=Book) as stream:
        events = list(stream.events())

    assert mistral_mock.requests[-1].json["stream"] is True
    text = "".join(e.delta for e in events if e.type == "content.delta")
    done = [e for e in events if isinstance(e, ContentDoneEvent)]
    assert done[0].text == text
    assert done[0].parsed == convert(Book, json.loads(text))
    final = events[-1]
    assert final.type == "completion.done"
    assert final.response.choices[0].message.parsed == done[0].parsed
    mistral_mock.assert_no_violations()


def test_parse_stream_cut_by_length_raises(client: Mistral, mistral_mock: MockServer) -> None:
    chunk = {"id": "s", "model": "m", "object": "chat.completion.chunk", "created": 1}
    mistral_mock.enqueue(
        ScriptedStream(
            [
                {**chunk, "choices": [{"index": 0, "delta": {"content": '{"title"'}, "finish_reason": None}]},
                {**chunk, "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "length"}]},
            ]
        )
    )
    with client.chat.parse_stream(model="m", messages=MESSAGES, response_format=Movie) as stream:
        with pytest.raises(LengthFinishReasonError) as info:
            stream.final_response()
    assert info.value.raw == '{"title"'


@pytest.mark.anyio
async def test_async_parse(aclient: AsyncMistral, mistral_mock: MockServer) -> None:
    response = await aclient.chat.parse(model="mistral-small-latest", messages=MESSAGES, response_format=City)

    city = response.choices[0].message.parsed
    assert isinstance(city, City)
    assert _sent_format(mistral_mock)["json_schema"]["name"] == "City"
    mistral_mock.enqueue(ScriptedResponse(json=_completion("[]")))
    with pytest.raises(StructuredOutputValidationError):
        await aclient.chat.parse(model="mistral-small-latest", messages=MESSAGES, response_format=City)


@pytest.mark.anyio
async def test_async_parse_stream(aclient: AsyncMistral, mistral_mock: MockServer) -> None:
    async with aclient.chat.parse_stream(model="mistral-small-latest", messages=MESSAGES, response_format=Movie) as s:
        pieces = [text async for text in s.text_stream]
        final = await s.final_response()

    movie = final.choices[0].message.parsed
    assert isinstance(movie, Movie)
    assert movie == convert(Movie, json.loads("".join(pieces)))

    stream = await aclient.chat.parse_stream(model="mistral-small-latest", messages=MESSAGES, response_format=Movie)
    events = [event async for event in stream.events()]
    assert events[-1].type == "completion.done"
    assert isinstance(events[-1].response.choices[0].message.parsed, Movie)


@pytest.mark.parametrize("variant", ["sync", "async"])
def test_parse_methods_show_every_argument_of_complete(variant: str) -> None:
    """Generated, not ``**params``: editors and type checkers see each argument (sync and async)."""
    import inspect

    client: Any = Mistral("k") if variant == "sync" else AsyncMistral("k")
    for group in (client.chat, client.agents):
        complete = inspect.signature(group.complete).parameters
        for name in ("parse", "parse_stream"):
            parameters = inspect.signature(getattr(group, name)).parameters
            assert not any(p.kind is p.VAR_KEYWORD and p.name != "request_options" for p in parameters.values())
            assert set(parameters) == set(complete), (group, name)
            assert parameters["response_format"].annotation == "type[T]"
    assert inspect.iscoroutinefunction(client.chat.parse) is (variant == "async")
    assert not hasattr(Mistral("k").with_raw_response.chat, "parse")


def test_agents_parse(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(
        ScriptedResponse(
            json=_completion('{"name": "Lyon", "country": "France", "population": 500000, "districts": []}')
        )
    )
    response = client.agents.parse(agent_id="ag-1", messages=MESSAGES, response_format=City, max_tokens=50)
    assert isinstance(response.choices[0].message.parsed, City)
    sent = mistral_mock.requests[-1].json
    assert sent["agent_id"] == "ag-1" and sent["max_tokens"] == 50 and sent["stream"] is False
    assert sent["response_format"]["json_schema"]["name"] == "City"
