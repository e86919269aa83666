"""Every argument of a facade method carries the description the spec gives it, wherever the spec gives it.

Two places were easy to miss: the properties a request body takes from an ``allOf`` member or from the one schema
of an optional (``anyOf`` with null) body, and parameters the generator renamed because their Python names
collide (``sort.direction`` next to ``sort_direction``; ``last_event_id`` in the query next to a
``Last-Event-ID`` header). Missing, they showed as "(not described by the API)" in the docstrings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from generator.facade import plan
from generator.facade.spec import spec_operations
from tests.generator._probe import generated_package


def _param(name: str, where: str, text: str) -> dict[str, Any]:
    schema = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    return {"name": name, "in": where, "required": False, "description": text, "schema": schema}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


NO_CONTENT = {"204": {"description": "done"}}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "docs probe", "version": "1"},
    "paths": {
        "/v1/things": {
            "get": {
                "operationId": "things_list",
                "tags": ["things"],
                "parameters": [
                    _param("sort.direction", "query", "Dotted order."),
                    _param("sort_direction", "query", "Plain order."),
                    _param("last_event_id", "query", "Resume, from the query."),
                    _param("Last-Event-ID", "header", "Resume, from the header."),
                ],
                "responses": NO_CONTENT,
            },
            "post": {
                "operationId": "things_create",
                "tags": ["things"],
                "requestBody": _body({"$ref": "#/components/schemas/ThingCreate"}),
                "responses": NO_CONTENT,
            },
        },
        "/v1/things/{thing_id}/pause": {
            "post": {
                "operationId": "things_pause",
                "tags": ["things"],
                "parameters": [
                    {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "requestBody": _body({"anyOf": [{"$ref": "#/components/schemas/PauseIn"}, {"type": "null"}]}),
                "responses": NO_CONTENT,
            }
        },
    },
    "components": {
        "schemas": {
            "ThingBase": {
                "type": "object",
                "properties": {"label": {"type": "string", "description": "Label from the base."}},
                "required": ["label"],
            },
            "ThingCreate": {
                "allOf": [
                    {"$ref": "#/components/schemas/ThingBase"},
                    {
                        "type": "object",
                        "properties": {"colour": {"type": "string", "description": "Colour of the extension."}},
                    },
                ]
            },
            "PauseIn": {
                "type": "object",
                "properties": {"note": {"type": "string", "description": "Why it pauses."}},
            },
        }
    },
}


def test_body_docs_follow_all_of_members_and_an_optional_bodys_schema() -> None:
    docs = {op.operation_id: op.body_docs for op in spec_operations(SPEC)}
    assert docs["things_create"] == {"label": "Label from the base.", "colour": "Colour of the extension."}
    assert docs["things_pause"] == {"note": "Why it pauses."}
    assert docs["things_list"] == {}


def test_an_own_property_wins_over_the_one_of_an_all_of_member() -> None:
    spec = json.loads(json.dumps(SPEC))
    extension = spec["components"]["schemas"]["ThingCreate"]["allOf"][1]
    extension["properties"]["label"] = {"type": "string", "description": "Label, narrowed."}
    docs = {op.operation_id: op.body_docs for op in spec_operations(spec)}
    assert docs["things_create"]["label"] == "Label, narrowed."


def test_a_body_of_several_schemas_has_no_field_docs() -> None:
    spec = json.loads(json.dumps(SPEC))
    body = spec["paths"]["/v1/things/{thing_id}/pause"]["post"]["requestBody"]["content"]["application/json"]
    body["schema"] = {"anyOf": [{"$ref": "#/components/schemas/PauseIn"}, {"$ref": "#/components/schemas/ThingBase"}]}
    docs = {op.operation_id: op.body_docs for op in spec_operations(spec)}
    assert docs["things_pause"] == {}


@pytest.fixture(scope="module")
def docs_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], str]]:
    with generated_package(SPEC, tmp_path_factory.mktemp("facade-docs"), "facade_docs_pkg") as probe:
        yield probe


@pytest.mark.integration
def test_every_argument_gets_its_spec_description(docs_package: tuple[dict[str, Any], str]) -> None:
    spec, package = docs_package
    planned = {p.spec.operation_id: p for p in plan(spec, package, naming={}, warnings=[])}
    described = {
        op_id: {a.python: a.description for a in item.arguments if a.location != "plain_body"}
        for op_id, item in planned.items()
    }
    # the Python names are the generator's own; each still finds its parameter's description
    assert described["things_list"] == {
        "sortdirection": "Dotted order.",
        "sort_direction": "Plain order.",
        "last_event_id_query": "Resume, from the query.",
        "last_event_id_header": "Resume, from the header.",
    }
    assert described["things_create"] == {"label": "Label from the base.", "colour": "Colour of the extension."}
    assert described["things_pause"] == {"thing_id": "", "note": "Why it pauses."}
