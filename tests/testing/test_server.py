"""The mock server's HTTP behaviour: routing, validation, answers, request log, lifecycle."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from mistral_sdk.testing import MockServer, MockServerError, ScriptedResponse, Violation
from mistral_sdk.testing._spec import SpecError
from mistral_sdk.testing._validation import form_parts

from .conftest import tiny_spec

AUTH = {"Authorization": "Bearer test-key"}


def client(server: MockServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers=AUTH, timeout=5)


def test_an_operation_added_to_the_spec_is_served_without_new_code() -> None:
    spec = tiny_spec()
    spec["paths"]["/v1/brand-new/{item}"] = {
        "get": {
            "operationId": "brand_new",
            "parameters": [{"name": "item", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["item", "count"],
                                "properties": {"item": {"type": "string"}, "count": {"type": "integer", "minimum": 3}},
                            }
                        }
                    },
                }
            },
        }
    }
    with MockServer(spec) as server, client(server) as http:
        response = http.get("/v1/brand-new/abc")
        assert response.status_code == 200
        assert response.json()["count"] == 3
        assert server.requests[0].operation_id == "brand_new"
        server.assert_no_violations()


def test_invalid_body_gets_422_in_the_api_validation_error_shape(tiny: MockServer) -> None:
    with client(tiny) as http:
        response = http.post("/v1/things", json={"name": 5, "colour": "red"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {"loc": ["body", "name"], "msg": "5 is not of type 'string'", "type": "type"} in detail
    assert all(set(item) == {"loc", "msg", "type"} for item in detail)
    assert any(item["type"] == "additionalProperties" for item in detail)
    kinds = {(v.kind, v.operation_id) for v in tiny.violations}
    assert kinds == {("request", "create_thing")}
    with pytest.raises(AssertionError, match=r"create_thing: body\.name"):
        tiny.assert_no_violations()


def test_missing_required_field_is_reported_at_its_location(tiny: MockServer) -> None:
    with client(tiny) as http:
        response = http.post("/v1/things", json={})
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "name"], "msg": "Field required", "type": "missing"}]


def test_missing_token_is_401_and_recorded(tiny: MockServer) -> None:
    response = httpx.get(f"{tiny.url}/v1/things")
    assert response.status_code == 401
    assert tiny.violations == [
        Violation("request", "list_things", ("header", "Authorization"), "Missing bearer token", "security")
    ]


def test_wrong_token_is_401_when_the_mock_requires_a_key() -> None:
    with MockServer(tiny_spec(), api_key="right") as server:
        assert httpx.get(f"{server.url}/v1/things", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert httpx.get(f"{server.url}/v1/things", headers={"Authorization": "Bearer right"}).status_code == 200


@pytest.mark.parametrize("query", ["page=", "page=abc", "page"])
def test_uncastable_or_empty_query_value_is_422_not_500(tiny: MockServer, query: str) -> None:
    with client(tiny) as http:
        response = http.get(f"/v1/things?{query}")
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("kind=a&kind=b", 200),
        ("kind=a", 200),
        ("kind=c", 422),
        ("search=", 200),
        ("kind=", 422),
        ("search=x&page=2", 200),
    ],
)
def test_query_values_are_read_as_the_api_reads_them(tiny: MockServer, query: str, status: int) -> None:
    """Exploded arrays behind ``anyOf [array, null]``, and empty text, are valid; empty enum values are not."""
    with client(tiny) as http:
        response = http.get(f"/v1/things?{query}")
    assert response.status_code == status, response.text


def test_multipart_values_are_typed_by_their_schema(tiny: MockServer) -> None:
    file_part = ("data.jsonl", b"\xff binary \x00", "application/octet-stream")
    with client(tiny) as http:
        ok = http.post("/v1/uploads", files={"file": file_part, "expiry": (None, b"24"), "purpose": (None, b"batch")})
        bad = http.post("/v1/uploads", files={"file": file_part, "expiry": (None, b"soon"), "purpose": (None, b"x")})
        twice = http.post(
            "/v1/uploads", files=[("file", file_part), ("expiry", (None, b"1")), ("expiry", (None, b"2"))]
        )
        missing = http.post("/v1/uploads", files={"purpose": (None, b"batch")})
    assert ok.status_code == 200, ok.text
    assert sorted(tuple(d["loc"]) for d in bad.json()["detail"]) == [("body", "expiry"), ("body", "purpose")]
    assert twice.json()["detail"][0] == {
        "loc": ["body", "expiry"],
        "msg": "Field sent more than once",
        "type": "multiple",
    }
    assert missing.json()["detail"] == [{"loc": ["body", "file"], "msg": "Field required", "type": "missing"}]


def _raw_form(*parts: tuple[bytes, bytes]) -> bytes:
    fields = [b'--B0UND\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % part for part in parts]
    return b"".join(fields) + b"--B0UND--\r\n"


def test_multipart_field_names_stay_distinct_whatever_their_bytes(tiny: MockServer) -> None:
    """Names that are not UTF-8 (or not ASCII) are distinct fields the API ignores, not one field sent twice."""
    form = {"Content-Type": "multipart/form-data; boundary=B0UND"}
    with client(tiny) as http:
        extra = http.post(
            "/v1/uploads",
            content=_raw_form(
                (b'file"; filename="a.jsonl', b"{}"),
                (b"purpose", b"batch"),
                (b"\xff\xfe", b"1"),
                (b"\xfa", b"2"),
                ("é".encode(), b"3"),
                (b"\xc3\xa9\xff", b"4"),
            ),
            headers=form,
        )
        twice = http.post(
            "/v1/uploads",
            content=_raw_form((b'file"; filename="a.jsonl', b"{}"), (b"purpose", b"batch"), (b"purpose", b"batch")),
            headers=form,
        )
        repeated = http.post(
            "/v1/uploads",
            content=_raw_form(
                (b'file"; filename="a.jsonl', b"{}"), (b"purpose", b"batch"), (b"\xfa", b"1"), (b"\xfa", b"2")
            ),
            headers=form,
        )
    assert extra.status_code == 200, extra.text
    assert repeated.status_code == 200, repeated.text  # an undeclared field the API ignores, however often sent
    assert tiny.requests[0].operation_id == "upload"
    assert twice.status_code == 422
    sent_twice = {"loc": ["body", "purpose"], "msg": "Field sent more than once", "type": "multiple"}
    assert twice.json()["detail"] == [sent_twice]


def test_form_parts_reads_names_as_the_api_does() -> None:
    body = _raw_form((b"\xff", b"x"), ("é".encode(), b"y"), (b'q\\"uoted', b"z"))
    assert form_parts(body, "multipart/form-data; boundary=B0UND") == [("ÿ", b"x"), ("é", b"y"), ('q"uoted', b"z")]


def test_non_utf8_body_is_422_not_500(tiny: MockServer) -> None:
    with client(tiny) as http:
        response = http.post("/v1/things", content=b'{"name": "\xff"}', headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_malformed_json_is_422(tiny: MockServer) -> None:
    with client(tiny) as http:
        response = http.post("/v1/things", content=b'{"name": ', headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_unknown_path_is_404_and_wrong_method_405(tiny: MockServer) -> None:
    with client(tiny) as http:
        assert http.get("/v1/nothing").status_code == 404
        response = http.put("/v1/things")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET,POST"
    assert [(v.loc, v.type) for v in tiny.violations] == [(("path",), "not_found"), (("method",), "method_not_allowed")]


def test_example_failing_its_schema_is_a_spec_violation_and_a_valid_body_is_sent(tiny: MockServer) -> None:
    with client(tiny) as http:
        response = http.get("/v1/things")
    assert response.status_code == 200
    body = response.json()
    assert body == [{"id": "mock-id", "name": "mock-name", "weight": 1e-08}]
    assert {(v.kind, v.loc[:2]) for v in tiny.violations} == {("spec", ("example", "bad"))}
    assert {v.loc[2:] for v in tiny.violations} == {(0, "id"), (0, "name"), (0, "weight")}


def test_answers_are_deterministic(tiny: MockServer) -> None:
    with client(tiny) as http:
        first = http.post("/v1/things", json={"name": "a"}).content
        second = http.post("/v1/things", json={"name": "a"}).content
    assert first == second
    assert json.loads(first) == {"id": "mock-id", "name": "mock-name", "weight": 1e-08}


def test_204_has_no_body_and_path_parameters_are_decoded(tiny: MockServer) -> None:
    with client(tiny) as http:
        response = http.delete("/v1/things/a%20b")
    assert response.status_code == 204
    assert response.content == b""
    assert tiny.requests[0].operation_id == "delete_thing"


def test_request_log_redacts_the_key_and_keeps_the_body(tiny: MockServer) -> None:
    with client(tiny) as http:
        http.post("/v1/things", json={"name": "lamp"}, params={"trace": "1"})
    (entry,) = tiny.requests
    assert entry.method == "POST"
    assert entry.path == "/v1/things"
    assert entry.query == (("trace", "1"),)
    assert entry.json == {"name": "lamp"}
    assert entry.headers["Authorization"] == "<redacted>"
    assert "test-key" not in repr(entry)
    assert entry.status == 200


def test_scripted_response_is_used_once_in_order_and_can_target_an_operation(tiny: MockServer) -> None:
    tiny.enqueue(ScriptedResponse(status=200, json={"scripted": 2}), operation_id="create_thing")
    tiny.enqueue(ScriptedResponse(status=201, json={"scripted": 1}))
    assert tiny.pending == 2
    with client(tiny) as http:
        assert http.get("/v1/things").json() == {"scripted": 1}
        assert http.post("/v1/things", json={"name": "a"}).json() == {"scripted": 2}
        assert http.post("/v1/things", json={"name": "a"}).json()["id"] == "mock-id"
    assert tiny.pending == 0


def test_invalid_request_does_not_consume_the_script(tiny: MockServer) -> None:
    tiny.enqueue(ScriptedResponse(json={"scripted": True}))
    with client(tiny) as http:
        assert http.post("/v1/things", json={}).status_code == 422
        assert http.get("/v1/things").json() == {"scripted": True}


def test_enqueue_rejects_unknown_operations_and_types(tiny: MockServer) -> None:
    with pytest.raises(ValueError, match="no operation 'nope'"):
        tiny.enqueue(ScriptedResponse(), operation_id="nope")
    with pytest.raises(TypeError):
        tiny.enqueue({"status": 200})  # type: ignore[arg-type]


def test_lifecycle_errors_are_clear() -> None:
    server = MockServer(tiny_spec())
    with pytest.raises(MockServerError, match="not running"):
        _ = server.url
    with server:
        with pytest.raises(MockServerError, match="already running"):
            server.start()
        assert repr(server).startswith("<MockServer http://127.0.0.1:")
    assert repr(server) == "<MockServer stopped>"
    server.stop()  # stopping twice is harmless


def test_keep_alive_connection_serves_many_requests(tiny: MockServer) -> None:
    with client(tiny) as http:
        for _ in range(20):
            assert http.post("/v1/things", json={"name": "x"}).status_code == 200
    assert len(tiny.requests) == 20


# ---- each operation's security scheme: the key where the operation declares it ----


def _request_violations(server: MockServer) -> list[Violation]:
    """What the client got wrong (the tiny spec's own example defects are reported as ``spec`` violations)."""
    return [v for v in server.violations if v.kind == "request"]


def _header_keyed_spec() -> dict[str, Any]:
    """The tiny spec with ``list_things`` taking its key in ``x-api-key`` (an apiKey scheme), the rest bearer."""
    spec = tiny_spec()
    spec["components"]["securitySchemes"]["UserKey"] = {"type": "apiKey", "in": "header", "name": "x-api-key"}
    spec["paths"]["/v1/things"]["get"]["security"] = [{"UserKey": []}]
    return spec


def test_a_key_in_the_wrong_header_is_a_security_violation() -> None:
    with MockServer(_header_keyed_spec()) as server:
        wrong = httpx.get(f"{server.url}/v1/things", headers=AUTH)  # bearer, where x-api-key is declared
        assert wrong.status_code == 401
        assert _request_violations(server) == [
            Violation(
                "request", "list_things", ("header", "x-api-key"), "Missing API key in header x-api-key", "security"
            )
        ]
        server.reset()
        assert httpx.get(f"{server.url}/v1/things", headers={"x-api-key": "test-key"}).status_code == 200
        # the bearer operations of the same spec still want the bearer token, not x-api-key
        bearer = httpx.post(f"{server.url}/v1/things", json={"name": "lamp"}, headers={"x-api-key": "test-key"})
        assert bearer.status_code == 401
        assert _request_violations(server) == [
            Violation("request", "create_thing", ("header", "Authorization"), "Missing bearer token", "security")
        ]


def test_the_mock_api_key_is_compared_in_the_declared_header() -> None:
    with MockServer(_header_keyed_spec(), api_key="right") as server:
        assert httpx.get(f"{server.url}/v1/things", headers={"x-api-key": "wrong"}).status_code == 401
        assert _request_violations(server) == [
            Violation(
                "request",
                "list_things",
                ("header", "x-api-key"),
                "API key in header x-api-key does not match the mock's api_key",
                "security",
            )
        ]
        server.reset()
        # the right key in Authorization does not count for an x-api-key operation
        assert httpx.get(f"{server.url}/v1/things", headers={"Authorization": "Bearer right"}).status_code == 401
        server.reset()
        assert httpx.get(f"{server.url}/v1/things", headers={"x-api-key": "right"}).status_code == 200
        assert _request_violations(server) == []


def test_the_request_log_redacts_a_key_sent_in_its_own_header() -> None:
    with MockServer(_header_keyed_spec()) as server:
        httpx.get(f"{server.url}/v1/things", headers={"x-api-key": "sk-secret-header-key"})
    (entry,) = server.requests
    assert entry.headers["x-api-key"] == "<redacted>"
    assert "sk-secret-header-key" not in repr(entry)


@pytest.mark.parametrize(
    "scheme",
    [
        {"type": "apiKey", "in": "cookie", "name": "session"},
        {"type": "apiKey", "in": "query", "name": "key"},
        {"type": "oauth2", "flows": {}},
    ],
)
def test_a_scheme_the_client_cannot_send_is_refused_when_loading(scheme: dict[str, Any]) -> None:
    spec = tiny_spec()
    spec["components"]["securitySchemes"]["Odd"] = scheme
    spec["paths"]["/v1/things"]["get"]["security"] = [{"Odd": []}]
    with pytest.raises(SpecError, match=r"list_things \(GET /v1/things\): security scheme 'Odd' .* is not supported"):
        MockServer(spec).load()


def test_many_clients_connecting_at_once_are_all_served(tiny: MockServer) -> None:
    """The listen backlog holds a burst of connections: socketserver's default of 5 reset one of 200."""
    import asyncio

    assert tiny._httpd is not None and tiny._httpd.request_queue_size >= 128

    async def burst() -> list[int]:
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=0)
        async with httpx.AsyncClient(limits=limits, headers={"Authorization": "Bearer k"}, timeout=30) as http:
            answers = await asyncio.gather(*(http.get(f"{tiny.url}/v1/things") for _ in range(200)))
        return [a.status_code for a in answers]

    assert asyncio.run(burst()) == [200] * 200
