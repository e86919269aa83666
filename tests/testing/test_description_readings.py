"""Generic readings of a description the mock must get right, each on a small spec of our own.

Found by schemathesis against Mistral's 2026-08 operations (prompts, observability, workflow logs), but
nothing here is Mistral's: ``nullable: true`` in a 3.1 document, an operation's own error schema, an
SSE schema that names its events, and a scalar query parameter sent twice.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest

from mistral_sdk.testing import MockServer
from mistral_sdk.testing._nullable import read_nullable

AUTH = {"Authorization": "Bearer k"}
_JSON = "application/json"

SCOPE = {"type": "string", "enum": ["private", "workspace"]}
CODE = {"type": "string", "enum": ["UNKNOWN_ERROR", "AUTH_UNAUTHORIZED", "VALIDATION_ERROR", "NOT_FOUND"]}
OWN_ERROR = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "type": "object",
            "required": ["message", "error_code"],
            "properties": {
                "message": {"type": "string"},
                "error_code": {"anyOf": [{"$ref": "#/components/schemas/Code"}, {"type": "null"}]},
            },
        }
    },
}
LOG_EVENT = {
    "type": "object",
    "properties": {
        "event": {"type": "string", "enum": ["log", "error"]},
        "data": {"oneOf": [{"$ref": "#/components/schemas/Line"}, {"$ref": "#/components/schemas/Failure"}]},
    },
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {_JSON: {"schema": schema}}}


def _ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", **_json(schema)}}


def _int_path_op(op_id: str, status: str, error: str) -> dict[str, Any]:
    """A GET taking an integer path parameter ``n`` and documenting ``status`` with the component ``error``."""
    return {
        "get": {
            "operationId": op_id,
            "parameters": [{"name": "n", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {
                **_ok({"type": "object"}),
                status: {"description": "refused", **_json({"$ref": f"#/components/schemas/{error}"})},
            },
        }
    }


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "readings", "version": "1"},
    "security": [{"Bearer": []}],
    "paths": {
        "/v1/notes": {
            "post": {
                "operationId": "create_note",
                "requestBody": {"required": True, **_json({"$ref": "#/components/schemas/NewNote"})},
                "responses": _ok({"$ref": "#/components/schemas/NewNote"}),
            }
        },
        "/v1/reports/{report_id}": {
            "get": {
                "operationId": "get_report",
                "parameters": [
                    {
                        "name": "report_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                    },
                    {"name": "page", "in": "query", "schema": {"type": "integer"}},
                    {"name": "tag", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "filters", "in": "query", "schema": {"$ref": "#/components/schemas/Filters"}},
                ],
                "responses": {
                    **_ok({"type": "object", "properties": {"id": {"type": "string"}}}),
                    "401": {"description": "no key", **_json({"$ref": "#/components/schemas/OwnError"})},
                    "422": {"description": "invalid", **_json({"$ref": "#/components/schemas/OwnError"})},
                },
            }
        },
        "/v1/ranged/{n}": _int_path_op("get_ranged", "4XX", "OwnError"),
        "/v1/usual/{n}": _int_path_op("get_usual", "422", "HTTPValidationError"),
        "/v1/logs/stream": {
            "get": {
                "operationId": "stream_logs",
                "responses": {
                    "200": {"description": "events", "content": {"text/event-stream": {"schema": LOG_EVENT}}}
                },
            }
        },
    },
    "components": {
        "securitySchemes": {"Bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Scope": SCOPE,
            "NewNote": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "notes": {"type": "string", "nullable": True},
                    "scope": {"description": "who sees it", "nullable": True, "$ref": "#/components/schemas/Scope"},
                },
            },
            "Code": CODE,
            "Filters": {
                "type": "object",
                "properties": {
                    "active": {"anyOf": [{"type": "boolean"}, {"type": "null"}]},
                    "limit": {"type": "integer", "minimum": 1},
                },
            },
            "OwnError": OWN_ERROR,
            "HTTPValidationError": {
                "type": "object",
                "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
            },
            "Line": {
                "type": "object",
                "required": ["body"],
                "properties": {"body": {"type": "string"}},
            },
            "Failure": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
            },
        },
    },
}


@pytest.fixture(scope="module")
def server() -> Any:
    with MockServer(copy.deepcopy(SPEC), api_key="k") as mock:
        yield mock


@pytest.fixture
def mock(server: MockServer) -> Any:
    server.reset()
    yield server
    server.reset()


def _errors_of_their_schema(mock: MockServer) -> list[Any]:
    """Violations of the mock's own answers (``response``) or of the mock itself: none may occur."""
    return [v for v in mock.violations if v.kind in ("response", "mock")]


# -- nullable: true -------------------------------------------------------------------------------------------


def test_nullable_fields_take_null_and_keep_their_own_constraints(mock: MockServer) -> None:
    url = f"{mock.url}/v1/notes"
    accepted = httpx.post(url, json={"name": "n", "notes": None, "scope": None}, headers=AUTH)
    assert accepted.status_code == 200, accepted.text
    refused = httpx.post(url, json={"name": "n", "notes": 3, "scope": "everyone"}, headers=AUTH)
    assert refused.status_code == 422
    assert {tuple(d["loc"]) for d in refused.json()["detail"]} == {("body", "notes"), ("body", "scope")}
    answer = accepted.json()  # the synthesized answer prefers real values to null
    assert isinstance(answer["notes"], str) and answer["scope"] == "private"
    assert _errors_of_their_schema(mock) == []


def test_read_nullable_wraps_the_whole_schema_and_leaves_data_alone() -> None:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "a": {"title": "A", "type": "string", "enum": ["x"], "nullable": True},
            "example": {"$ref": "#/components/schemas/S", "nullable": True},
            "b": {"type": "integer", "nullable": False},
            "c": {"description": "anything", "nullable": True},
        },
        "example": {"nullable": True, "type": "string"},
    }
    read_nullable(schema)
    props = schema["properties"]
    assert props["a"] == {"title": "A", "anyOf": [{"type": "string", "enum": ["x"]}, {"type": "null"}]}
    assert props["example"] == {"anyOf": [{"$ref": "#/components/schemas/S"}, {"type": "null"}]}
    assert props["b"] == {"type": "integer"}
    assert props["c"] == {"description": "anything"}
    assert schema["example"] == {"nullable": True, "type": "string"}


# -- errors in the operation's own documented shape ------------------------------------------------------------


def test_a_refusal_follows_the_operation_s_own_422_schema(mock: MockServer) -> None:
    response = httpx.get(f"{mock.url}/v1/reports/not-a-uuid", headers=AUTH)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["error_code"] == "VALIDATION_ERROR"
    assert "path.report_id" in detail["message"] and "uuid" in detail["message"]
    assert [v.loc for v in mock.violations] == [("path", "report_id")]  # the request's, and nothing of the mock's


def test_a_missing_key_follows_the_operation_s_own_401_schema(mock: MockServer) -> None:
    response = httpx.get(f"{mock.url}/v1/reports/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 401
    assert response.json()["detail"]["error_code"] == "AUTH_UNAUTHORIZED"
    assert response.json()["detail"]["message"].startswith("Unauthorized: header.Authorization")
    assert _errors_of_their_schema(mock) == []


def test_a_status_range_documents_the_error_shape_too(mock: MockServer) -> None:
    response = httpx.get(f"{mock.url}/v1/ranged/x", headers=AUTH)
    assert response.status_code == 422
    assert response.json()["detail"]["error_code"] == "VALIDATION_ERROR"


def test_the_usual_validation_error_is_kept_where_the_schema_allows_it(mock: MockServer) -> None:
    response = httpx.get(f"{mock.url}/v1/usual/x", headers=AUTH)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "n"]


# -- SSE streams whose schema names the events -----------------------------------------------------------------


def test_events_are_named_as_the_stream_schema_allows(mock: MockServer) -> None:
    text = httpx.get(f"{mock.url}/v1/logs/stream", headers=AUTH).text
    blocks = [b for b in text.split("\n\n") if b.strip()]
    assert blocks, text
    for block in blocks:  # an unnamed event would be a "message" event, which the schema refuses
        lines = block.split("\n")
        assert lines[0] == "event: log"
        assert json.loads(lines[1].removeprefix("data: ")) == {"body": "mock-body"}
    assert "[DONE]" not in text
    assert _errors_of_their_schema(mock) == []


# -- a query parameter sent more than once ---------------------------------------------------------------------


def test_a_scalar_query_parameter_sent_twice_is_refused_an_array_is_not(mock: MockServer) -> None:
    url = f"{mock.url}/v1/reports/00000000-0000-4000-8000-000000000000"
    twice = httpx.get(f"{url}?page=1&page=2", headers=AUTH)
    assert twice.status_code == 422
    assert "query.page: Field sent more than once" in twice.json()["detail"]["message"]
    tags = httpx.get(f"{url}?tag=a&tag=b&page=1", headers=AUTH)
    assert tags.status_code == 200, tags.text


def test_each_property_of_an_exploded_object_parameter_is_checked(mock: MockServer) -> None:
    """``filters`` (an object, form style, exploded) travels as ``?active=true&limit=2``: each value is checked."""
    url = f"{mock.url}/v1/reports/00000000-0000-4000-8000-000000000000"
    assert httpx.get(f"{url}?active=true&limit=2", headers=AUTH).status_code == 200
    refused = httpx.get(f"{url}?active=maybe&limit=0", headers=AUTH)
    assert refused.status_code == 422
    assert [v.loc for v in mock.violations if v.kind == "request"] == [("query", "active"), ("query", "limit")]
    assert httpx.get(f"{url}?active=null", headers=AUTH).status_code == 200  # read as schemathesis writes null
    assert httpx.get(f"{url}?limit=null", headers=AUTH).status_code == 422
    assert httpx.get(f"{url}?limit=1&limit=2", headers=AUTH).status_code == 422
