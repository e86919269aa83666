"""Every status code maps to a typed error that keeps status, headers, body and request id, never the key."""

from __future__ import annotations

import pickle

import httpx
import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._error_body import ValidationDetail
from mistral_sdk._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    MistralError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    make_status_error,
)
from mistral_sdk._redact import redact_request, redacted_copy

from ._server import Reply, ScriptedServer

KEY = "sk-secret-errors-0123456789"
GET = {"method": "get", "url": "/v1/models"}

CASES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
    (520, InternalServerError),  # non-standard (Cloudflare): http.HTTPStatus(520) raises ValueError
    (599, InternalServerError),
    (499, APIStatusError),  # non-standard (nginx: client closed request)
    (418, APIStatusError),
    (402, APIStatusError),
    (302, APIStatusError),  # redirects are not followed: a surprise redirect is an error, not a silent re-send
]


@pytest.mark.parametrize(("status", "cls"), CASES)
def test_status_maps_to_error_class(server: ScriptedServer, status: int, cls: type[APIStatusError]) -> None:
    server.default = Reply(status, {"message": "nope", "code": status}, headers={"x-request-id": "req-123"})
    with Mistral(KEY, base_url=server.url, max_retries=0) as client, pytest.raises(cls) as info:
        client._send(GET)
    err = info.value
    assert type(err) is cls
    assert isinstance(err, APIStatusError) and isinstance(err, APIError) and isinstance(err, MistralError)
    assert err.status_code == status
    assert err.request_id == "req-123"
    assert err.headers["x-request-id"] == "req-123"
    assert err.body == {"message": "nope", "code": status}
    assert f"Error code: {status} - nope" == str(err)
    assert len(server.requests) == 1


def test_422_carries_validation_details(server: ScriptedServer) -> None:
    detail = [{"loc": ["body", "model"], "msg": "Field required", "type": "missing"}]
    server.reply(Reply(422, {"detail": detail}))
    with Mistral(KEY, base_url=server.url) as client, pytest.raises(UnprocessableEntityError) as info:
        client._send(GET)
    assert info.value.details == [ValidationDetail(loc=("body", "model"), msg="Field required", type="missing")]
    assert [d.raw for d in info.value.details] == detail
    assert "Field required" in str(info.value)


def test_non_json_error_body_is_kept_as_text(server: ScriptedServer) -> None:
    server.reply(Reply(404, "<html>not here</html>", headers={"Content-Type": "text/html"}))
    with Mistral(KEY, base_url=server.url) as client, pytest.raises(NotFoundError) as info:
        client._send(GET)
    assert info.value.body == "<html>not here</html>"


def test_empty_error_body(server: ScriptedServer) -> None:
    server.reply(Reply(403, b""))
    with Mistral(KEY, base_url=server.url) as client, pytest.raises(PermissionDeniedError) as info:
        client._send(GET)
    assert info.value.body is None
    assert str(info.value) == "Error code: 403 - Forbidden"


def test_factory_on_hand_made_response() -> None:
    request = httpx.Request("GET", "http://127.0.0.1/x", headers={"Authorization": f"Bearer {KEY}"})
    err = make_status_error(httpx.Response(520, request=request, json={"error": {"message": "origin down"}}))
    assert type(err) is InternalServerError
    assert str(err) == "Error code: 520 - origin down"
    assert KEY not in str(err.request.headers if err.request else "")


def _assert_no_key(err: BaseException) -> None:
    texts = [str(err), repr(err), repr(vars(err)), repr(err.args)]
    request = getattr(err, "request", None)
    if request is not None:
        texts.append(repr(request.headers))
        texts.append(str(dict(request.headers)))
    response = getattr(err, "response", None)
    if response is not None:
        texts.append(str(dict(response.request.headers)))
    assert all(KEY not in text for text in texts)
    try:
        texts.append(pickle.dumps(err).decode("latin-1"))
    except Exception:  # responses holding streams may not pickle; that is fine
        return
    assert KEY not in texts[-1]


def test_status_error_never_holds_the_key(server: ScriptedServer) -> None:
    server.reply(Reply(401, {"message": "Unauthorized"}))
    with Mistral(KEY, base_url=server.url) as client, pytest.raises(AuthenticationError) as info:
        client._send(GET)
    _assert_no_key(info.value)
    assert info.value.request is not None
    assert info.value.request.headers["authorization"] == "[redacted]"


def test_connection_error_never_holds_the_key(dead_url: str) -> None:
    with Mistral(KEY, base_url=dead_url, max_retries=0) as client, pytest.raises(APIConnectionError) as info:
        client._send(GET)
    assert type(info.value) is APIConnectionError
    _assert_no_key(info.value)


def test_dropped_connection_is_connection_error(server: ScriptedServer) -> None:
    server.reply(Reply(drop=True))
    with Mistral(KEY, base_url=server.url, max_retries=0) as client, pytest.raises(APIConnectionError):
        client._send(GET)


def test_read_timeout_is_timeout_error(server: ScriptedServer) -> None:
    server.reply(Reply(delay=5))  # far beyond the timeout, and free: nobody waits for the server's thread
    with Mistral(KEY, base_url=server.url, max_retries=0, timeout=0.05) as client:
        with pytest.raises(APITimeoutError) as info:
            client._send(GET)
    _assert_no_key(info.value)


def test_unparsable_success_body_is_a_typed_error(server: ScriptedServer) -> None:
    server.reply(Reply(200, b"not json", headers={"Content-Type": "application/json"}))
    with Mistral(KEY, base_url=server.url) as client, pytest.raises(APIResponseValidationError) as info:
        client.models.list()
    assert info.value.status_code == 200
    assert info.value.body == "not json"
    _assert_no_key(info.value)  # a plain call copies its request without the key only when it fails
    assert info.value.response.request.headers["authorization"] == "[redacted]"


@pytest.mark.parametrize("status", [203, 299])  # 299 is non-standard: http.HTTPStatus(299) raises ValueError
def test_undocumented_success_status_is_a_typed_error(server: ScriptedServer, status: int) -> None:
    server.reply(Reply(status, {"object": "list", "data": []}))
    with (
        Mistral(KEY, base_url=server.url) as client,
        pytest.raises(APIResponseValidationError, match=str(status)) as info,
    ):
        client.models.list()
    _assert_no_key(info.value)


def test_per_call_timeout(server: ScriptedServer) -> None:
    server.reply(Reply(delay=5), Reply(delay=0.3))  # the first beyond the call's timeout, the second within
    with Mistral(KEY, base_url=server.url, max_retries=0, timeout=5.0) as client:
        with pytest.raises(APITimeoutError):
            client.with_options(timeout=0.05).models.list()
        client._send(GET)  # the client itself keeps its 5 s


@pytest.mark.anyio
@pytest.mark.parametrize(("status", "cls"), [(520, InternalServerError), (499, APIStatusError), (429, RateLimitError)])
async def test_async_status_errors(server: ScriptedServer, status: int, cls: type[APIStatusError]) -> None:
    server.default = Reply(status, {"message": "x"})
    async with AsyncMistral(KEY, base_url=server.url, max_retries=0) as client:
        with pytest.raises(cls) as info:
            await client.models.list()
    assert type(info.value) is cls and info.value.status_code == status
    _assert_no_key(info.value)


@pytest.mark.anyio
async def test_async_connection_error(dead_url: str) -> None:
    async with AsyncMistral(KEY, base_url=dead_url, max_retries=0) as client:
        with pytest.raises(APIConnectionError):
            await client._send(GET)


def test_undecodable_body_is_a_typed_error(server: ScriptedServer) -> None:
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    server.reply(Reply(200, b"not gzip at all", headers=headers))
    with Mistral(KEY, base_url=server.url, max_retries=0) as client:
        with pytest.raises(APIConnectionError, match="Decoding"):
            client._send(GET)


def test_redaction_blanks_every_credential_header_whatever_its_case_and_count() -> None:
    request = httpx.Request(
        "POST",
        "https://api.example/v1/x",
        headers=[
            ("Authorization", "Bearer one"),
            ("X-Other", "kept"),
            ("authorization", "Bearer two"),
            ("X-API-Key", "k"),
            ("Proxy-Authorization", "Basic p"),
        ],
    )
    assert redact_request(request) is request
    assert request.headers.get_list("authorization") == ["[redacted]"]
    assert request.headers["x-api-key"] == "[redacted]"
    assert request.headers["proxy-authorization"] == "[redacted]"
    assert request.headers["x-other"] == "kept"
    assert b"one" not in str(request.headers.raw).encode() and b"two" not in str(request.headers.raw).encode()


def test_a_redacted_copy_leaves_the_sent_request_alone_and_keeps_its_body() -> None:
    sent = httpx.Request("POST", "https://api.example/v1/x", headers={"Authorization": "Bearer k1"}, json={"a": 1})
    copy = redacted_copy(sent)
    assert copy is not sent and copy.headers is not sent.headers
    assert sent.headers["authorization"] == "Bearer k1"  # what a transport recorded stays as it was sent
    assert copy.headers["authorization"] == "[redacted]"
    assert (copy.method, copy.url, copy.content, copy.stream) == (sent.method, sent.url, sent.content, sent.stream)
    assert copy.extensions is sent.extensions
    assert [k.lower() for k, _ in copy.headers.raw] == [k.lower() for k, _ in sent.headers.raw]  # same order
