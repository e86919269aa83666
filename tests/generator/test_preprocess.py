"""Each preprocessing pass, on small specs written for the purpose."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from generator.preprocess import SSE_EXTENSION, UNKNOWN_VARIANT, SpecError, load_spec, preprocess
from tests.generator._paths import REGENERATE

LEGACY_SPEC = """\
openapi: 3.0.2
info: {title: Legacy dialect, version: "2023"}
paths:
  /v1/things:
    post:
      operationId: create_thing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '200':
          description: the thing
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string, required: true}
        count: {type: int}
        tags:
          type: array
          items: [{type: string}]
        note: {type: string, required: false}
"""


def load_spec_text(text: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spec.yaml"
        path.write_text(text)
        return load_spec(path)


def _spec(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


def test_legacy_dialect_is_rewritten() -> None:
    spec = preprocess(load_spec_text(LEGACY_SPEC))
    thing = spec["components"]["schemas"]["Thing"]
    assert thing["required"] == ["name"]
    assert thing["properties"]["count"] == {"type": "integer"}
    assert thing["properties"]["tags"]["items"] == {"type": "string"}
    assert "required" not in thing["properties"]["note"]


@pytest.mark.integration
def test_legacy_dialect_generates_a_working_package(tmp_path: Path) -> None:
    spec_path = tmp_path / "legacy.yaml"
    spec_path.write_text(LEGACY_SPEC)
    raw = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(spec_path),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / "raw"),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert raw.returncode != 0, "the unprocessed dialect should be refused; otherwise this test proves nothing"

    result = subprocess.run(
        [str(REGENERATE), "--spec", str(spec_path), "--output", str(tmp_path / "legacy_sdk")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    script = (
        "from legacy_sdk.models import Thing\n"
        "t = Thing.from_dict({'name': 'n', 'count': 3, 'tags': ['a']})\n"
        "print(t.name, t.count, t.tags)\n"
        "from legacy_sdk.types import DecodeError\n"
        "try:\n    Thing.from_dict({'count': 1})\nexcept DecodeError as e:\n    print(e.path, 'required')\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert run.stdout.split("\n")[:2] == ["n 3 ['a']", "name required"], run.stderr


def test_yaml_1_2_numbers_stay_numbers(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-small: 1e-08\n")
    assert load_spec(path)["x-small"] == pytest.approx(1e-08)


def test_titles_are_removed_so_they_cannot_collide() -> None:
    spec = preprocess(
        _spec(
            {
                "RequestBase": {
                    "type": "object",
                    "title": "Request",
                    "properties": {"a": {"type": "string", "title": "A"}},
                },
                "Request": {"type": "object", "properties": {"b": {"type": "string"}}},
            }
        )
    )
    assert "title" not in json.dumps(spec["components"])


def test_single_member_allof_is_unwrapped_keeping_its_default() -> None:
    spec = preprocess(
        _spec(
            {
                "Body": {
                    "type": "object",
                    "properties": {
                        "visibility": {
                            "allOf": [{"type": "string", "enum": ["workspace", "user"]}],
                            "default": "workspace",
                        },
                    },
                },
            }
        )
    )
    visibility = spec["components"]["schemas"]["Body"]["properties"]["visibility"]
    assert visibility == {"default": "workspace", "type": "string", "enum": ["workspace", "user"]}


def test_allof_with_conflicting_properties_is_flattened() -> None:
    spec = preprocess(
        _spec(
            {
                "Base": {
                    "type": "object",
                    "properties": {"kind": {"type": "string"}, "x": {"type": "integer"}},
                    "required": ["x"],
                },
                "Special": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Base"},
                        {"type": "object", "properties": {"kind": {"type": "string", "enum": ["special"]}}},
                    ]
                },
            }
        )
    )
    special = spec["components"]["schemas"]["Special"]
    assert "allOf" not in special
    assert special["properties"]["kind"] == {"type": "string", "enum": ["special"]}
    assert special["required"] == ["x"]


def test_unions_of_arrays_become_one_array() -> None:
    spec = preprocess(
        _spec(
            {
                "Holder": {
                    "type": "object",
                    "properties": {
                        "tools": {
                            "anyOf": [
                                {"type": "array", "items": {"type": "string"}},
                                {"type": "array", "items": {"type": "integer"}},
                                {"type": "null"},
                            ]
                        }
                    },
                },
            }
        )
    )
    tools = spec["components"]["schemas"]["Holder"]["properties"]["tools"]
    assert tools == {
        "anyOf": [{"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}, {"type": "null"}]
    }


def test_nullable_enum_in_list_form_becomes_one_enum_or_null() -> None:
    spec = preprocess(
        _spec(
            {
                "Choice": {
                    "type": "object",
                    "properties": {
                        "finish_reason": {
                            "type": ["string", "null"],
                            "enum": ["stop", "length", None],
                            "description": "why it ended",
                        }
                    },
                },
            }
        )
    )
    schemas = spec["components"]["schemas"]
    reason = schemas["Choice"]["properties"]["finish_reason"]
    # (The enum member then gets a component of its own, named after the field: see test_model_names.py.)
    assert reason == {
        "description": "why it ended",
        "anyOf": [{"$ref": "#/components/schemas/ChoiceFinishReason"}, {"type": "null"}],
    }
    assert schemas["ChoiceFinishReason"] == {"type": "string", "enum": ["stop", "length"]}


def test_the_3_0_nullable_keyword_allows_null_in_a_3_1_description() -> None:
    spec = preprocess(
        _spec(
            {
                "Scope": {"type": "string", "enum": ["private", "workspace"]},
                "Request": {
                    "type": "object",
                    "properties": {
                        "scope": {"$ref": "#/components/schemas/Scope", "nullable": True, "description": "who sees it"},
                        "name": {"type": "string", "nullable": False},
                    },
                },
            }
        )
    )
    properties = spec["components"]["schemas"]["Request"]["properties"]
    assert properties["scope"] == {
        "description": "who sees it",
        "anyOf": [{"$ref": "#/components/schemas/Scope"}, {"type": "null"}],
    }
    assert properties["name"] == {"type": "string"}  # nullable: false says nothing more than its absence


def test_json_content_parameters_become_strings() -> None:
    paths = {
        "/items": {
            "get": {
                "operationId": "list_items",
                "responses": {"200": {"description": "ok"}},
                "parameters": [
                    {
                        "name": "metadata",
                        "in": "query",
                        "description": "Filter.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                ],
            }
        }
    }
    parameter = preprocess(_spec({}, paths))["paths"]["/items"]["get"]["parameters"][0]
    assert parameter["schema"] == {"type": "string"}
    assert "content" not in parameter
    assert parameter["description"].startswith("Filter. JSON text")


def test_binary_alternative_wins_over_json() -> None:
    paths = {
        "/sample": {
            "get": {
                "operationId": "sample",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "string"}}, "audio/wav": {}},
                    }
                },
            }
        }
    }
    response = preprocess(_spec({}, paths))["paths"]["/sample"]["get"]["responses"]["200"]
    assert response["content"] == {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


def test_event_stream_bodies_are_recorded_for_the_streaming_layer() -> None:
    event = {"$ref": "#/components/schemas/Event"}
    paths = {
        "/both": {
            "post": {
                "operationId": "both",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"type": "object"}},
                            "text/event-stream": {"schema": event},
                        },
                    }
                },
            }
        },
        "/sse": {
            "post": {
                "operationId": "sse",
                "responses": {"200": {"description": "ok", "content": {"text/event-stream": {"schema": event}}}},
            }
        },
    }
    spec = preprocess(_spec({"Event": {"type": "object"}}, paths))
    both, sse = spec["paths"]["/both"]["post"], spec["paths"]["/sse"]["post"]
    assert both[SSE_EXTENSION] == {"status": "200", "schema": event, "also_json": True}
    assert list(both["responses"]["200"]["content"]) == ["application/json"]
    assert sse[SSE_EXTENSION]["also_json"] is False
    assert list(sse["responses"]["200"]["content"]) == ["application/octet-stream"]


def test_discriminated_union_gets_const_members_and_a_catch_all() -> None:
    spec = preprocess(
        _spec(
            {
                "Chunk": {
                    "oneOf": [{"$ref": "#/components/schemas/Text"}, {"$ref": "#/components/schemas/Image"}],
                    "discriminator": {
                        "propertyName": "type",
                        "mapping": {"text": "#/components/schemas/Text", "image": "#/components/schemas/Image"},
                    },
                },
                "Text": {
                    "type": "object",
                    "properties": {"type": {"type": "string", "enum": ["text"], "default": "text"}},
                },
                "Image": {"type": "object", "properties": {"type": {"$ref": "#/components/schemas/ImageType"}}},
                "ImageType": {"type": "string", "enum": ["image"]},
            }
        )
    )
    schemas = spec["components"]["schemas"]
    assert schemas["Text"]["properties"]["type"] == {"type": "string", "const": "text", "default": "text"}
    assert schemas["Image"]["properties"]["type"] == {"type": "string", "const": "image"}
    assert schemas["Chunk"]["oneOf"][-1] == {"$ref": f"#/components/schemas/{UNKNOWN_VARIANT}"}
    assert schemas[UNKNOWN_VARIANT]["additionalProperties"] is True


def test_undeclared_discriminator_is_inferred_from_member_constants() -> None:
    spec = preprocess(
        _spec(
            {
                "Entry": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/Message"},
                        {"$ref": "#/components/schemas/Call"},
                        {"type": "null"},
                    ]
                },
                "Message": {
                    "type": "object",
                    "properties": {"type": {"type": "string", "enum": ["message"]}, "kind": {"const": "x"}},
                },
                "Call": {"type": "object", "properties": {"type": {"const": "call"}, "kind": {"const": "x"}}},
                "Loose": {"anyOf": [{"$ref": "#/components/schemas/Message"}, {"type": "string"}]},
            }
        )
    )
    schemas = spec["components"]["schemas"]
    assert schemas["Message"]["properties"]["type"] == {"type": "string", "const": "message"}
    assert schemas["Entry"]["anyOf"][-1] == {"$ref": f"#/components/schemas/{UNKNOWN_VARIANT}"}
    assert {"$ref": f"#/components/schemas/{UNKNOWN_VARIANT}"} not in schemas["Loose"]["anyOf"]


def test_reserved_catch_all_name_is_refused() -> None:
    schemas = {
        "U": {"oneOf": [{"$ref": "#/components/schemas/A"}], "discriminator": {"propertyName": "t"}},
        "A": {"type": "object", "properties": {"t": {"const": "a"}}},
        UNKNOWN_VARIANT: {"type": "string"},
    }
    with pytest.raises(SpecError, match="reserved"):
        preprocess(_spec(schemas))


def test_input_is_not_modified() -> None:
    original = _spec({"A": {"type": "object", "title": "B", "properties": {"n": {"type": "int"}}}})
    snapshot = json.dumps(original, sort_keys=True)
    preprocess(original)
    assert json.dumps(original, sort_keys=True) == snapshot


def test_inline_event_stream_schema_becomes_a_component_named_after_its_data() -> None:
    """An inline ``{event, data: A | B}`` event schema gets a class (``AEvent``); identical ones share it."""
    from generator.preprocess import inline_event_schema_name

    event = {
        "type": "object",
        "properties": {
            "event": {"type": "string"},
            "data": {"oneOf": [{"$ref": "#/components/schemas/LogRecord"}, {"$ref": "#/components/schemas/Oops"}]},
        },
    }
    record = {"type": "object", "properties": {"body": {"type": "string"}}}
    paths = {
        f"/{name}": {
            "get": {
                "operationId": name,
                "responses": {"200": {"description": "ok", "content": {"text/event-stream": {"schema": event}}}},
            }
        }
        for name in ("logs", "more_logs")
    }
    spec = preprocess(_spec({"LogRecord": record, "Oops": record}, paths))
    assert inline_event_schema_name("logs", event) == "LogRecordEvent"
    assert spec["components"]["schemas"]["LogRecordEvent"]["properties"]["event"] == {"type": "string"}
    for name in ("logs", "more_logs"):
        assert spec["paths"][f"/{name}"]["get"][SSE_EXTENSION]["schema"] == {
            "$ref": "#/components/schemas/LogRecordEvent"
        }
    # without a named member, the operation names it; a $ref is already named
    assert inline_event_schema_name("tail_logs", {"properties": {"data": {"type": "string"}}}) == "TailLogsEvent"
    assert inline_event_schema_name("x", {"$ref": "#/components/schemas/E"}) is None


def test_two_different_event_schemas_wanting_one_name_stop_the_pipeline() -> None:
    first = {"properties": {"data": {"$ref": "#/components/schemas/R"}}}
    second = {"properties": {"data": {"$ref": "#/components/schemas/R"}, "id": {"type": "string"}}}
    paths = {
        f"/{name}": {
            "get": {
                "operationId": name,
                "responses": {"200": {"description": "ok", "content": {"text/event-stream": {"schema": schema}}}},
            }
        }
        for name, schema in (("a", first), ("b", second))
    }
    with pytest.raises(SpecError, match="REvent"):
        preprocess(_spec({"R": {"type": "object"}}, paths))
