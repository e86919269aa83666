"""What the contract suite reads from the spec: which calls exist and which typed results they must give."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mistral_sdk.testing import Operation, load_spec_document
from mistral_sdk.testing._schemas import SchemaTools
from mistral_sdk.testing._spec import SSE_MEDIA_TYPE, operations_of

REPO = Path(__file__).resolve().parents[2]
OUR_SPEC = REPO / "openapi.yaml"
REFERENCES = REPO.parent / "shared" / "reference"
#: Mistral's newest published description: the current API, the contract suite's second oracle.
REFERENCE_SPEC = REFERENCES / "mistral-openapi-2026-08.yaml"
#: The previous one (2026-07-15): the mock must still serve it, as users may point it at any version.
OLDER_REFERENCE_SPEC = REFERENCES / "mistral-openapi.yaml"
STREAM_SUFFIX = "#stream"


def operation_ids(path: Path) -> frozenset[str]:
    """The operationIds of a description (empty when the file is absent: its tests skip)."""
    if not path.is_file():
        return frozenset()
    return frozenset(op.operation_id for op in operations_of(load_spec_document(path)))


def our_document() -> dict[str, Any]:
    return load_spec_document(OUR_SPEC)


def call_variants(document: Mapping[str, Any]) -> dict[str, tuple[Operation, bool]]:
    """Every call the SDK can make: ``operation_id`` for JSON, ``operation_id#stream`` for SSE (both if both exist)."""
    variants: dict[str, tuple[Operation, bool]] = {}
    for op in operations_of(document):
        if not op.stream_only:
            variants[op.operation_id] = (op, False)
        if op.can_stream:
            variants[op.operation_id + STREAM_SUFFIX] = (op, True)
    return variants


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[1]


_PLAIN_TYPES: dict[Any, set[str]] = {
    "array": {"list"},
    "string": {"str"},
    "integer": {"int"},
    "number": {"float", "int"},
    "boolean": {"bool"},
    "null": {"NoneType"},
}


def type_names(tools: SchemaTools, schema: Any) -> set[str]:
    """Names of the Python types a parsed value of ``schema`` may have (generated class names, list, ...)."""
    if isinstance(schema, Mapping) and "$ref" in schema:
        return {_ref_name(str(schema["$ref"]))}
    resolved = tools.resolve(schema)
    names: set[str] = set()
    for union in ("oneOf", "anyOf"):
        for option in resolved.get(union, []):
            names |= type_names(tools, option)
    declared = resolved.get("type")
    for kind in declared if isinstance(declared, list) else [declared]:
        names |= _PLAIN_TYPES.get(kind, set())
    if resolved.get("format") == "binary":
        names |= {"File", "bytes"}  # the generated layer wraps downloads in File, the client returns bytes
    if isinstance(resolved, Mapping) and not set(resolved) - _ANNOTATION_KEYS:
        names |= _ANY_JSON  # ``{}``: any JSON value, returned decoded
    return names


_ANNOTATION_KEYS = frozenset({"description", "title", "example", "examples", "deprecated"})
_ANY_JSON = frozenset({"dict", "list", "str", "int", "float", "bool", "NoneType"})


#: Media types the SDK returns as bytes (the generator's preprocessing prefers them over a JSON alternative).
BINARY_PREFIXES = ("audio/", "image/", "video/", "application/octet-stream", "application/pdf", "application/zip")


def expected_result_types(tools: SchemaTools, op: Operation) -> set[str]:
    content = {m: v for m, v in op.success_content.items() if m != SSE_MEDIA_TYPE}
    if not content:
        return {"NoneType"}
    if any(m.startswith(BINARY_PREFIXES) for m in content):
        # Where the API offers JSON or a binary format (a WAV sample), the SDK returns the bytes.
        return {"File", "bytes"}
    if "application/json" in content:
        schema = content["application/json"].get("schema", {})
        if isinstance(schema, Mapping) and "$ref" not in schema and schema.get("properties"):
            # an inline object answer: the generator names its class after the operation and status
            from openapi_python_client.strings import ClassName

            return {str(ClassName(f"{op.operation_id}_response_{op.success_status}", ""))}
        return type_names(tools, schema)
    return {"File", "bytes"}


def expected_event_data_types(tools: SchemaTools, op: Operation) -> set[str]:
    event_schema = tools.resolve(op.success_content[SSE_MEDIA_TYPE].get("schema", {}))
    return type_names(tools, event_schema.get("properties", {}).get("data", {}))


def event_model_name(op: Operation) -> str:
    schema = op.success_content[SSE_MEDIA_TYPE].get("schema", {})
    if "$ref" not in schema:
        # an inline event schema: the component preprocessing makes of it (generator/preprocess.py)
        from generator.preprocess import inline_event_schema_name

        name = inline_event_schema_name(op.operation_id, schema)
        if name is None:
            raise LookupError(f"{op.operation_id}: the event schema has no name")
        return name
    return _ref_name(str(schema["$ref"]))


def _event_data_schema(tools: SchemaTools, op: Operation) -> Mapping[str, Any]:
    event_schema = tools.resolve(op.success_content[SSE_MEDIA_TYPE].get("schema", {}))
    data: Mapping[str, Any] = tools.resolve(event_schema.get("properties", {}).get("data", {}))
    return data


def is_completion_stream(tools: SchemaTools, op: Operation) -> bool:
    """Whether the stream's events are completion chunks (``choices``, then ``finish_reason`` and ``usage``)."""
    return "choices" in _event_data_schema(tools, op).get("properties", {})


def final_event(tools: SchemaTools, op: Operation) -> tuple[str, str] | None:
    """For a named-event stream (``data`` a discriminated union): the tag and schema name of the event that ends it.

    It is the one member that requires ``usage``: the API reports what a call cost once, at its end
    (``conversation.response.done``, ``transcription.done``...). None for a stream of completion chunks,
    which ends with ``finish_reason`` and ``usage`` on its last chunk instead.
    """
    mapping = (_event_data_schema(tools, op).get("discriminator") or {}).get("mapping")
    if not isinstance(mapping, Mapping) or not mapping:
        return None
    if not any("usage" in tools.resolve({"$ref": ref}).get("required", []) for ref in mapping.values()):
        return None  # events with no closing one (workflow progress): the stream just ends
    ending = [
        (str(tag), _ref_name(str(ref)))
        for tag, ref in mapping.items()
        if "usage" in tools.resolve({"$ref": ref}).get("required", [])
    ]
    if len(ending) != 1:
        raise LookupError(f"{op.operation_id}: expected one event type requiring usage, found {ending}")
    return ending[0]
