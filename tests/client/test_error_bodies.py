"""Every shape of error answer is read into one ``APIStatusError``: message, type, code, param, details.

The shapes are the ones that reach clients in practice (the API's envelope, its validation envelope
with the list inside ``message``, the spec's ``HTTPValidationError``, gateways' JSON, text and HTML),
tested through a real loopback server, sync and async, for plain calls and for streaming calls whose
answer is an error status before any chunk.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
import pytest

from mistral_sdk import ValidationDetail
from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._error_body import read_error_body
from mistral_sdk._exceptions import (
    APIStatusError,
    BadRequestError,
    InternalServerError,
    UnprocessableEntityError,
    make_status_error,
)
from mistral_sdk._generated.models.chat_completion_request import ChatCompletionRequest
from mistral_sdk._generated.models.user_message import UserMessage

from ._server import Reply, ScriptedServer

KEY = "sk-error-bodies-0123456789"


@dataclass(frozen=True)
class Shape:
    status: int
    body: bytes | str | object
    headers: dict[str, str]
    message: str
    type: str | None = None
    code: str | None = None
    param: str | None = None
    details: list[ValidationDetail] = field(default_factory=list)


API_VALIDATION_LIST = [
    {"loc": ["body", "messages", 0, "role"], "msg": "Input should be 'user'", "type": "literal_error"},
    {"loc": ["body", "model"], "msg": "Field required", "type": "missing", "input": {}},
]
EXPECTED_DETAILS = [
    ValidationDetail(loc=("body", "messages", 0, "role"), msg="Input should be 'user'", type="literal_error"),
    ValidationDetail(loc=("body", "model"), msg="Field required", type="missing"),
]

SHAPES = {
    "api-envelope": Shape(
        400,
        {
            "object": "error",
            "message": "Invalid model: mistral-huge-9000",
            "type": "invalid_model",
            "param": None,
            "code": "1500",
        },
        {},
        "Invalid model: mistral-huge-9000",
        type="invalid_model",
        code="1500",
    ),
    "api-envelope-numeric-code-and-param": Shape(
        400,
        {"object": "error", "message": "bad temperature", "type": "invalid_request", "param": "temperature", "code": 3},
        {},
        "bad temperature",
        type="invalid_request",
        code="3",
        param="temperature",
    ),
    "api-validation-envelope": Shape(
        422,
        {
            "object": "error",
            "message": {"detail": API_VALIDATION_LIST},
            "type": "invalid_request_message_error",
            "param": None,
            "code": None,
        },
        {},
        "body.messages.0.role: Input should be 'user'; body.model: Field required",
        type="invalid_request_message_error",
        details=EXPECTED_DETAILS,
    ),
    "spec-http-validation-error": Shape(
        422,
        {"detail": API_VALIDATION_LIST},
        {},
        "body.messages.0.role: Input should be 'user'; body.model: Field required",
        details=EXPECTED_DETAILS,
    ),
    "gateway-json": Shape(503, {"message": "no healthy upstream"}, {}, "no healthy upstream"),
    "plain-text": Shape(
        502,
        "upstream connect error or disconnect/reset before headers\n",
        {"Content-Type": "text/plain"},
        "upstream connect error or disconnect/reset before headers",
    ),
    "html": Shape(
        504,
        "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway"
        " Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
        {"Content-Type": "text/html"},
        "504 Gateway Time-out",
    ),
    "html-without-title": Shape(
        403,
        "<html><body><h1>Access &amp; denied</h1><p>by policy</p></body></html>",
        {"Content-Type": "text/html"},
        "Access & denied by policy",
    ),
    "empty": Shape(500, b"", {}, "Internal Server Error"),
}


def _check(err: APIStatusError, shape: Shape) -> None:
    assert err.status_code == shape.status
    assert err.message == shape.message
    assert str(err) == f"Error code: {shape.status} - {shape.message}"
    assert (err.type, err.code, err.param) == (shape.type, shape.code, shape.param)
    if isinstance(err, UnprocessableEntityError):
        assert err.details == shape.details
        assert all(isinstance(d, ValidationDetail) for d in err.details)
    else:
        assert not shape.details


def _request() -> ChatCompletionRequest:
    return ChatCompletionRequest(model="m", messages=[UserMessage(content="hi")])


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_sync(server: ScriptedServer, name: str) -> None:
    shape = SHAPES[name]
    server.reply(Reply(shape.status, shape.body, headers=shape.headers))
    with Mistral(KEY, base_url=server.url, max_retries=0) as client, pytest.raises(APIStatusError) as info:
        client.list_models()
    _check(info.value, shape)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_async(server: ScriptedServer, name: str) -> None:
    shape = SHAPES[name]
    server.reply(Reply(shape.status, shape.body, headers=shape.headers))

    async def run() -> None:
        async with AsyncMistral(KEY, base_url=server.url, max_retries=0) as client:
            with pytest.raises(APIStatusError) as info:
                await client.list_models()
            _check(info.value, shape)

    asyncio.run(run())


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_before_the_first_chunk_sync(server: ScriptedServer, name: str) -> None:
    shape = SHAPES[name]
    server.reply(Reply(shape.status, shape.body, headers=shape.headers))
    with Mistral(KEY, base_url=server.url, max_retries=0) as client, pytest.raises(APIStatusError) as info:
        client.chat_completion_stream(_request())
    _check(info.value, shape)
    assert server.requests[0].headers["accept"] == "text/event-stream"


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_before_the_first_chunk_async(server: ScriptedServer, name: str) -> None:
    shape = SHAPES[name]
    server.reply(Reply(shape.status, shape.body, headers=shape.headers))

    async def run() -> None:
        async with AsyncMistral(KEY, base_url=server.url, max_retries=0) as client:
            with pytest.raises(APIStatusError) as info:
                async with client.chat_completion_stream(_request()):
                    pass
            _check(info.value, shape)

    asyncio.run(run())


def test_classes_follow_the_status_not_the_shape() -> None:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    err = make_status_error(httpx.Response(422, request=request, json={"message": {"detail": API_VALIDATION_LIST}}))
    assert type(err) is UnprocessableEntityError
    assert err.details == EXPECTED_DETAILS
    assert type(make_status_error(httpx.Response(400, request=request, json={"detail": "nope"}))) is BadRequestError
    assert type(make_status_error(httpx.Response(529, request=request, text="overloaded"))) is InternalServerError


def test_validation_details_keep_what_the_api_sent() -> None:
    error = read_error_body({"detail": API_VALIDATION_LIST})
    assert [d.raw for d in error.details] == API_VALIDATION_LIST
    assert error.details[1].raw["input"] == {}
    assert error.details[0].path == "body.messages.0.role"
    assert error.details[0].loc[2] == 0  # list indexes stay ints


def test_long_validation_lists_are_summarised_but_kept_whole() -> None:
    many = [{"loc": ["body", f"f{i}"], "msg": "bad", "type": "value_error"} for i in range(8)]
    error = read_error_body({"detail": many})
    assert len(error.details) == 8
    assert error.message.endswith("; and 3 more")
    assert error.message.count("bad") == 5


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": {"message": "origin down", "type": "server_error", "code": "x"}}, "origin down"),
        ({"error": "quota exhausted"}, "quota exhausted"),
        ({"detail": "Not authenticated"}, "Not authenticated"),
        (["first problem", "second problem"], "first problem; second problem"),
        ({"unexpected": True}, "Teapot"),
        ("x" * 600, "x" * 500 + "..."),
    ],
)
def test_other_shapes_still_give_a_message(body: object, message: str) -> None:
    assert read_error_body(body, "Teapot").message == message


def test_a_body_without_words_falls_back_to_the_reason_then_to_no_details() -> None:
    assert read_error_body(None, "Bad Gateway").message == "Bad Gateway"
    assert read_error_body({}, "").message == "no details"
    assert read_error_body("   ", "").message == "no details"
