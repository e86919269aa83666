"""Contract cases derived from the spec: schema-valid arguments for any operation without a hand-written case.

At ~290 operations a hand-written case per operation is neither writable nor reviewable. A derived
case is the smallest request the description calls valid: every required path and query parameter
(values that respect ``format``, ``enum``, ``pattern`` and bounds; ids as deterministic UUIDs or
readable names), the request body's required fields (nested all the way down, built by the mock's
own synthesizer restricted to required properties) and, for ``multipart/form-data``, each required
binary field as a small file part. The streaming call of an operation sets the body's ``stream`` to
true. A case that the description itself refuses is an error naming the operation, never a skip:
a missing case must fail.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from mistral_sdk.testing import Operation
from mistral_sdk.testing._schemas import SchemaTools

from .sdk_adapter import Case

__all__ = ["CaseSynthesisError", "RequiredOnly", "derive_case"]

JSON = "application/json"
FORM = "multipart/form-data"
FILE_BYTES = b"contract-test file content\n"
_NAMESPACE = uuid.UUID("8f1c6e0a-3b52-4d7e-9a14-5c2b7e9d0f63")


class CaseSynthesisError(LookupError):
    """The description of an operation gives no way to build a valid request (unknown media type, bad schema...)."""


class RequiredOnly(SchemaTools):
    """The mock's synthesizer, building only required properties: the smallest valid request, nothing the caller
    would not have to set (a full instance sets every optional switch, which no real call does)."""

    def _synthesize_object(self, s: Mapping[str, Any], depth: int) -> dict[str, Any]:
        return super()._synthesize_object({**s, "properties": _required_properties(s)}, depth)


def _required_properties(s: Mapping[str, Any]) -> dict[str, Any]:
    required = set(s.get("required", []))
    return {k: v for k, v in s.get("properties", {}).items() if k in required}


def derive_case(tools: RequiredOnly, op: Operation, streaming: bool) -> Case:
    """The derived case of one call (``streaming``: the ``#stream`` variant); checked against the description."""
    params = {
        str(param["name"]): _parameter_value(tools, op, param)
        for param in _parameters(tools, op)
        if param.get("required") and param.get("in") in ("path", "query")
    }
    body, files = _body(tools, op, streaming)
    return Case(params=params, body=body, files=files)


def _parameters(tools: SchemaTools, op: Operation) -> list[Mapping[str, Any]]:
    return [tools.resolve(p) for p in op.definition.get("parameters", [])]


def _parameter_value(tools: SchemaTools, op: Operation, param: Mapping[str, Any]) -> Any:
    name = str(param["name"])
    schema = tools.resolve(param.get("schema", {}))
    if _format(tools, schema) == "uuid":
        value: Any = str(uuid.uuid5(_NAMESPACE, f"{op.operation_id}/{name}"))
    else:
        value = tools.synthesize(schema, name)
    if not tools.is_valid(schema, value):
        raise CaseSynthesisError(f"{op.operation_id}: no valid value for parameter {name!r} (built {value!r})")
    return value


def _format(tools: SchemaTools, schema: Mapping[str, Any]) -> str | None:
    """The format of a string schema, also behind a nullable ``anyOf``."""
    if isinstance(schema.get("format"), str):
        return str(schema["format"])
    for union in ("anyOf", "oneOf"):
        for option in schema.get(union, []):
            found = _format(tools, tools.resolve(option))
            if found is not None:
                return found
    return None


def _body(tools: SchemaTools, op: Operation, streaming: bool) -> tuple[Any, dict[str, Any]]:
    request = tools.resolve(op.definition.get("requestBody") or {})
    content: Mapping[str, Any] = request.get("content") or {}
    if not content:
        return None, {}
    media = JSON if JSON in content else FORM if FORM in content else None
    if media is None:
        raise CaseSynthesisError(f"{op.operation_id}: cannot build a body of {sorted(content)}")
    schema = content[media].get("schema", {})
    body = tools.synthesize(schema)
    if isinstance(body, list) and media == JSON:  # an operation taking a JSON array
        return _checked(tools, op, schema, body, body), {}
    if not isinstance(body, dict):
        raise CaseSynthesisError(f"{op.operation_id}: the {media} body is neither an object nor an array ({body!r})")
    if streaming and tools.is_valid(schema, {**body, "stream": True}):  # ``stream`` may sit in an allOf part
        body["stream"] = True
    properties = tools.resolve(schema).get("properties", {})
    files: dict[str, Any] = {}
    if media == FORM:
        for name in list(body):
            if _is_file(tools, properties.get(name, {})):
                body[name] = FILE_BYTES
                files[name] = (f"{name}.txt", "text/plain")
    return _checked(tools, op, schema, body, {k: ("" if k in files else v) for k, v in body.items()}), files


def _checked(tools: SchemaTools, op: Operation, schema: Any, body: Any, as_validated: Any) -> Any:
    """``body`` if ``as_validated`` (the body with file parts as the text a form validator sees) is valid."""
    errors = [e.message for e in tools.errors(schema, as_validated)]
    if errors:
        raise CaseSynthesisError(f"{op.operation_id}: the synthesized body is not valid: {errors[:3]}")
    return body


def _is_file(tools: SchemaTools, schema: Any) -> bool:
    resolved = tools.resolve(schema)
    if resolved.get("format") == "binary" or "contentMediaType" in resolved:
        return True
    return any(_is_file(tools, option) for union in ("anyOf", "oneOf") for option in resolved.get(union, []))
