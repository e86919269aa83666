"""The case synthesizer on small specs of our own: what it must build, and where it must refuse by name."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
import pytest

from mistral_sdk.testing import MockServer, Operation
from mistral_sdk.testing._spec import operations_of

from .cases import CASES
from .derive import FILE_BYTES, CaseSynthesisError, RequiredOnly, derive_case
from .sdk_adapter import Case
from .spec_facts import call_variants, our_document

pytestmark = pytest.mark.contract

JSON = "application/json"
OK = {"200": {"description": "ok", "content": {JSON: {"schema": {"type": "object"}}}}}
ROBOT_ID = {"name": "robot_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}


def _spec() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "robots", "version": "1"},
        "security": [{"ApiKey": []}],
        "paths": {
            "/v1/robots/{robot_id}": {
                "get": {
                    "operationId": "get_robot",
                    "parameters": [
                        ROBOT_ID,
                        {
                            "name": "unit",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "enum": ["metric", "imperial"]},
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 5, "maximum": 50},
                        },
                        {
                            "name": "since",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "format": "date-time"},
                        },
                        {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                    ],
                    "responses": OK,
                },
                "post": {
                    "operationId": "program_robot",
                    "parameters": [ROBOT_ID],
                    "requestBody": {
                        "required": True,
                        "content": {JSON: {"schema": {"$ref": "#/components/schemas/Program"}}},
                    },
                    "responses": OK,
                },
            },
            "/v1/robots/{robot_id}/manual": {
                "post": {
                    "operationId": "upload_manual",
                    "parameters": [ROBOT_ID],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["file", "language"],
                                    "properties": {
                                        "file": {"anyOf": [{"type": "string", "format": "binary"}, {"type": "null"}]},
                                        "language": {"type": "string", "enum": ["en", "fr"]},
                                        "notes": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                    "responses": OK,
                },
            },
            "/v1/robots/batch": {
                "post": {
                    "operationId": "create_robots",
                    "requestBody": {
                        "required": True,
                        "content": {
                            JSON: {
                                "schema": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": {"$ref": "#/components/schemas/Step"},
                                }
                            }
                        },
                    },
                    "responses": OK,
                },
            },
            "/v1/robots/{robot_id}/talk": {
                "post": {
                    "operationId": "talk",
                    "parameters": [ROBOT_ID],
                    "requestBody": {
                        "content": {JSON: {"schema": {"allOf": [{"$ref": "#/components/schemas/Talk"}]}}},
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {JSON: {"schema": {"type": "object"}}, "text/event-stream": {"schema": {}}},
                        }
                    },
                },
            },
        },
        "components": {
            "securitySchemes": {"ApiKey": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Program": {
                    "type": "object",
                    "required": ["name", "steps"],
                    "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string", "minLength": 3, "maxLength": 20},
                        "comment": {"type": "string"},
                        "steps": {"type": "array", "minItems": 2, "items": {"$ref": "#/components/schemas/Step"}},
                    },
                },
                "Step": {
                    "type": "object",
                    "required": ["move"],
                    "additionalProperties": False,
                    "properties": {
                        "move": {
                            "type": "object",
                            "required": ["direction", "metres"],
                            "properties": {
                                "direction": {"type": "string", "enum": ["north", "south"]},
                                "metres": {"type": "number", "exclusiveMinimum": 0, "maximum": 10},
                            },
                        },
                        "speed": {"type": "integer"},
                    },
                },
                "Talk": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {"text": {"type": "string"}, "stream": {"type": "boolean", "default": False}},
                },
            },
        },
    }


def _derive(spec: dict[str, Any], operation_id: str, streaming: bool = False) -> tuple[Operation, Case]:
    (op,) = [o for o in operations_of(spec) if o.operation_id == operation_id]
    return op, derive_case(RequiredOnly(spec), op, streaming)


def test_required_parameters_respect_format_enum_and_bounds() -> None:
    _, case = _derive(_spec(), "get_robot")
    assert set(case.params) == {"robot_id", "unit", "limit", "since"}  # the optional ``verbose`` is left out
    assert uuid.UUID(case.params["robot_id"]).version == 5  # a deterministic UUID, not a placeholder string
    assert case.params["unit"] in ("metric", "imperial")
    assert 5 <= case.params["limit"] <= 50
    since = datetime.datetime.fromisoformat(case.params["since"])  # an RFC 3339 date-time, with its offset
    assert since.utcoffset() == datetime.timedelta(0)
    assert case.body is None


def test_nested_required_body_is_built_to_the_bottom_and_nothing_optional() -> None:
    _, case = _derive(_spec(), "program_robot")
    assert isinstance(case.body, Mapping)
    assert set(case.body) == {"name", "steps"}
    assert len(case.body["name"]) >= 3
    assert len(case.body["steps"]) == 2
    for step in case.body["steps"]:
        assert set(step) == {"move"}
        assert step["move"]["direction"] in ("north", "south")
        assert 0 < step["move"]["metres"] <= 10


def test_a_json_array_body_is_a_list_of_valid_items() -> None:
    _, case = _derive(_spec(), "create_robots")
    assert isinstance(case.body, list) and len(case.body) == 1
    assert set(case.body[0]) == {"move"}


def test_multipart_file_field_becomes_a_file_part() -> None:
    _, case = _derive(_spec(), "upload_manual")
    assert case.body == {"file": FILE_BYTES, "language": "en"}
    assert case.files == {"file": ("file.txt", "text/plain")}


def test_the_streaming_call_asks_for_a_stream_also_through_an_all_of() -> None:
    _, json_case = _derive(_spec(), "talk")
    _, stream_case = _derive(_spec(), "talk", streaming=True)
    assert isinstance(json_case.body, Mapping) and "stream" not in json_case.body
    assert stream_case.body == {**json_case.body, "stream": True}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda s: s["paths"]["/v1/robots/{robot_id}"]["post"]["requestBody"]["content"].update(
                {"application/xml": s["paths"]["/v1/robots/{robot_id}"]["post"]["requestBody"]["content"].pop(JSON)}
            ),
            "cannot build a body",
        ),
        (lambda s: s["components"]["schemas"]["Program"]["properties"]["name"].update({"minLength": 30}), "not valid"),
    ],
    ids=["unknown-media-type", "unsatisfiable-schema"],
)
def test_a_body_it_cannot_build_is_an_error_naming_the_operation(change: Any, reason: str) -> None:
    spec = _spec()
    change(spec)
    with pytest.raises(CaseSynthesisError, match=rf"program_robot: .*{reason}"):
        _derive(spec, "program_robot")


def test_an_unsatisfiable_parameter_is_an_error_naming_it() -> None:
    spec = _spec()
    spec["paths"]["/v1/robots/{robot_id}"]["get"]["parameters"][2]["schema"] = {
        "type": "integer",
        "minimum": 9,
        "maximum": 3,
    }
    with pytest.raises(CaseSynthesisError, match="get_robot: no valid value for parameter 'limit'"):
        _derive(spec, "get_robot")


def _send(http: httpx.Client, op: Operation, case: Case) -> httpx.Response:
    path = op.path.format(**{k: v for k, v in case.params.items() if "{" + k + "}" in op.path})
    query = {k: v for k, v in case.params.items() if "{" + k + "}" not in op.path}
    if case.files:
        assert isinstance(case.body, Mapping)
        files = {name: (file_name, case.body[name], mime) for name, (file_name, mime) in case.files.items()}
        data = {k: v for k, v in case.body.items() if k not in case.files}
        return http.request(op.method, path, params=query, files=files, data=data)
    return http.request(op.method, path, params=query, json=case.body)


@pytest.mark.parametrize("operation_id", ["get_robot", "program_robot", "create_robots", "upload_manual", "talk"])
def test_the_mock_accepts_every_derived_request(operation_id: str) -> None:
    spec = _spec()
    op, case = _derive(spec, operation_id)
    with MockServer(spec) as server, httpx.Client(base_url=server.url, headers={"Authorization": "Bearer k"}) as http:
        response = _send(http, op, case)
        assert response.status_code == 200, response.text
        server.assert_no_violations()


def test_every_call_of_our_spec_has_a_case() -> None:
    """Cheap and first: a call neither hand-written nor derivable fails here by name, before any server starts."""
    document = our_document()
    tools = RequiredOnly(document)
    missing = {}
    for key, (op, streaming) in call_variants(document).items():
        if key in CASES:
            continue
        try:
            derive_case(tools, op, streaming)
        except CaseSynthesisError as exc:
            missing[key] = str(exc)
    assert missing == {}
