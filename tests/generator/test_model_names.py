"""Public model names: no generator artefacts (``...Type0``), one class per distinct enum.

The committed package is checked as a whole; the two passes that get it there (``name_union_members``,
``share_identical_enums``) are pinned on small specs of our own, including the cases where a rule must
step back (a name already taken, an enum a request sends).
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

import mistral_sdk._generated.models as models
from generator.preprocess import preprocess

ARTEFACT = re.compile(r"Type\d+")


def _public_classes() -> dict[str, type]:
    return {name: getattr(models, name) for name in models.__all__ if isinstance(getattr(models, name), type)}


def test_no_public_model_name_is_a_generator_artefact() -> None:
    classes = _public_classes()
    assert len(classes) > 200
    assert sorted(name for name in classes if ARTEFACT.search(name)) == []


def test_each_distinct_enum_is_one_class() -> None:
    by_values: dict[frozenset[Any], list[str]] = {}
    for name, cls in _public_classes().items():
        if issubclass(cls, Enum):
            by_values.setdefault(frozenset(m.value for m in cls), []).append(name)
    assert len(by_values) > 20
    assert {k: v for k, v in by_values.items() if len(v) > 1} == {}


def test_streamed_chunk_and_full_response_share_finish_reason() -> None:
    from mistral_sdk._generated.models import ChatCompletionChoice, CompletionResponseStreamChoice, FinishReason

    chunk = CompletionResponseStreamChoice.from_dict({"index": 0, "delta": {}, "finish_reason": "stop"})
    full = ChatCompletionChoice.from_dict(
        {"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}
    )
    assert type(chunk.finish_reason) is FinishReason
    assert type(full.finish_reason) is FinishReason
    assert chunk.finish_reason is full.finish_reason is FinishReason.STOP


def _spec(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


def _post(operation_id: str, body: str, answer: str) -> dict[str, Any]:
    return {
        "post": {
            "operationId": operation_id,
            "requestBody": {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}}},
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{answer}"}}},
                }
            },
        }
    }


MODE = {"type": "string", "enum": ["client", "server"]}


def test_nullable_members_are_named_after_their_field() -> None:
    spec = preprocess(
        _spec(
            {
                "Job": {
                    "type": "object",
                    "properties": {
                        "metadata": {"anyOf": [{"type": "object", "additionalProperties": True}, {"type": "null"}]},
                        "outputs": {
                            "anyOf": [
                                {
                                    "type": "array",
                                    "items": {"type": "object", "properties": {"n": {"type": "integer"}}},
                                },
                                {"type": "null"},
                            ]
                        },
                        "input": {
                            "anyOf": [
                                {"type": "object", "additionalProperties": True},
                                {"type": "object", "properties": {}},
                                {"type": "string"},
                            ]
                        },
                    },
                }
            }
        )
    )
    schemas = spec["components"]["schemas"]
    job = schemas["Job"]["properties"]
    assert job["metadata"]["anyOf"] == [{"$ref": "#/components/schemas/JobMetadata"}, {"type": "null"}]
    assert schemas["JobMetadata"] == {"type": "object", "additionalProperties": True}
    assert job["outputs"]["anyOf"][0] == {"type": "array", "items": {"$ref": "#/components/schemas/JobOutputsItem"}}
    # Two spellings of "any object" are one member.
    assert job["input"]["anyOf"] == [{"$ref": "#/components/schemas/JobInput"}, {"type": "string"}]


def test_a_taken_name_is_never_reused() -> None:
    spec = preprocess(
        _spec(
            {
                "JobMetadata": {"type": "object", "properties": {"other": {"type": "string"}}},
                "Job": {"type": "object", "properties": {"metadata": {"anyOf": [MODE, {"type": "null"}]}}},
                "Arguments": {"anyOf": [{"type": "object", "additionalProperties": True}, {"type": "string"}]},
            }
        )
    )
    schemas = spec["components"]["schemas"]
    assert schemas["JobMetadata"] == {"type": "object", "properties": {"other": {"type": "string"}}}
    assert schemas["Job"]["properties"]["metadata"]["anyOf"][0] == {"$ref": "#/components/schemas/JobMetadataEnum"}
    assert schemas["Arguments"]["anyOf"][0] == {"$ref": "#/components/schemas/ArgumentsObject"}


def test_identical_enums_become_one_component_named_after_their_field() -> None:
    with_default = {**MODE, "default": "server", "description": "who runs handoffs"}
    spec = preprocess(
        _spec(
            {
                "Start": {"type": "object", "properties": {"handoff_execution": with_default}},
                "Resume": {"type": "object", "properties": {"handoff_execution": {"anyOf": [MODE, {"type": "null"}]}}},
            },
            {"/start": _post("start", "Start", "Resume")},
        )
    )
    schemas = spec["components"]["schemas"]
    assert schemas["HandoffExecution"] == MODE
    assert schemas["Start"]["properties"]["handoff_execution"] == {
        "anyOf": [{"$ref": "#/components/schemas/HandoffExecution"}],
        "default": "server",
        "description": "who runs handoffs",
    }
    assert schemas["Resume"]["properties"]["handoff_execution"]["anyOf"][0] == {
        "$ref": "#/components/schemas/HandoffExecution"
    }
    assert "ResumeHandoffExecution" not in schemas
    assert "x-mistral-named-by-preprocess" not in str(spec)


def test_an_authored_component_name_wins_and_its_duplicates_are_redirected() -> None:
    spec = preprocess(
        _spec(
            {
                "Visibility": {"type": "string", "enum": ["user", "workspace"], "description": "ours"},
                "Copy": {"type": "string", "enum": ["workspace", "user"]},
                "File": {
                    "type": "object",
                    "properties": {
                        "a": {"$ref": "#/components/schemas/Copy"},
                        "b": {"type": "string", "enum": ["user", "workspace"]},
                    },
                },
            }
        )
    )
    schemas = spec["components"]["schemas"]
    assert "Copy" not in schemas
    assert schemas["Visibility"]["description"] == "ours"
    assert schemas["File"]["properties"] == {
        "a": {"$ref": "#/components/schemas/Visibility"},
        "b": {"$ref": "#/components/schemas/Visibility"},
    }


NARROW = {"type": "string", "enum": ["stop", "length"]}
WIDE = {"type": "string", "enum": ["stop", "length", "model_length"]}


def _finish_reason_spec(request_field: str, request_enum: dict[str, Any]) -> dict[str, Any]:
    return preprocess(
        _spec(
            {
                "Ask": {"type": "object", "properties": {request_field: request_enum}},
                "Chunk": {"type": "object", "properties": {"finish_reason": {"anyOf": [NARROW, {"type": "null"}]}}},
                "Answer": {
                    "type": "object",
                    "properties": {"finish_reason": WIDE, "chunk": {"$ref": "#/components/schemas/Chunk"}},
                },
            },
            {"/ask": _post("ask", "Ask", "Answer")},
        )
    )


def test_response_enums_under_one_field_share_the_widest() -> None:
    schemas = _finish_reason_spec("finish_reason", MODE)["components"]["schemas"]
    assert schemas["FinishReason"] == WIDE
    assert schemas["Answer"]["properties"]["finish_reason"] == {"$ref": "#/components/schemas/FinishReason"}
    assert schemas["Chunk"]["properties"]["finish_reason"]["anyOf"][0] == {"$ref": "#/components/schemas/FinishReason"}
    # Identical values in a request: one class with the chunk's, so no widening for either.
    schemas = _finish_reason_spec("finish_reason", NARROW)["components"]["schemas"]
    ask = schemas["Ask"]["properties"]["finish_reason"]
    assert schemas[ask["$ref"].rsplit("/", 1)[-1]] == NARROW
    assert schemas["Chunk"]["properties"]["finish_reason"]["anyOf"][0] == ask
    assert schemas["Answer"]["properties"]["finish_reason"] == WIDE


def test_boolean_enums_are_left_alone() -> None:
    flag = {"type": "boolean", "enum": [False], "default": False}
    spec = preprocess(
        _spec(
            {
                "A": {"type": "object", "properties": {"stream": flag}},
                "B": {"type": "object", "properties": {"stream": flag}},
            }
        )
    )
    assert spec["components"]["schemas"]["A"]["properties"]["stream"] == flag
