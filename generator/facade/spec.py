"""What the facade needs from the (preprocessed) OpenAPI description: one record per operation.

Only the spec knows operationIds, tags, which answers are JSON, SSE, binary or empty, the JSON names of
parameters and body properties, and our own descriptions, which become the methods' docstrings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mistral_sdk.testing._spec import HTTP_METHODS, SpecError, UnsupportedSecurity, key_header, load_spec_document

from generator.preprocess import inline_event_schema_name

from .naming import FacadeError

__all__ = ["SpecOperation", "load_spec", "spec_operations"]


@dataclass
class SpecOperation:
    operation_id: str
    method: str
    path: str
    tags: list[str]
    kind: str  # "json", "none", "bytes", "sse" or "json+sse"
    # The event schema's model: its component, or the one preprocessing makes of an inline schema.
    sse_schema: str | None
    # The JSON answer's schema is ``{}``: any JSON value, returned as decoded (the generated parser drops it).
    any_json: bool = False
    summary: str = ""
    description: str = ""
    # The request body's schema (a $ref resolved), for the JSON names and descriptions of its properties.
    body_schema: dict[str, Any] = field(default_factory=dict)
    body_description: str = ""
    # body property (as the API spells it) -> its description
    body_docs: dict[str, str] = field(default_factory=dict)
    # parameter name (as the API spells it) -> (location, description)
    parameters: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Where the API key goes: None for ``Authorization: Bearer``, else the header that carries it (``x-api-key``).
    key_header: str | None = None


def load_spec(path: Path) -> dict[str, Any]:
    """The description through the project's one spec loader (YAML 1.2 or JSON)."""
    try:
        return load_spec_document(path)
    except SpecError as exc:
        raise FacadeError(str(exc)) from exc


def _success(responses: dict[str, Any]) -> dict[str, Any] | None:
    codes = sorted(c for c in responses if str(c).startswith("2"))
    if not codes:
        return None
    response = responses[codes[0]]
    return response if isinstance(response, dict) else None


def _is_json_type(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


#: Keys that say nothing about a value's type: a schema of only these accepts any JSON value.
_ANNOTATION_KEYS = frozenset({"description", "title", "example", "examples", "deprecated"})


def _is_any(media: Any) -> bool:
    schema = (media or {}).get("schema") if isinstance(media, dict) else None
    return isinstance(schema, dict) and not (set(schema) - _ANNOTATION_KEYS)


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def spec_operations(spec: dict[str, Any]) -> list[SpecOperation]:
    found: list[SpecOperation] = []
    for path, item in (spec.get("paths") or {}).items():
        shared = item.get("parameters") if isinstance(item, dict) else None
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if not isinstance(op, dict):
                continue
            op_id = op.get("operationId")
            if not op_id:
                raise FacadeError(f"{method.upper()} {path} has no operationId")
            response = _success(op.get("responses") or {})
            content = (response or {}).get("content") or {}
            sse_schema = None
            any_json = False
            is_json = any(_is_json_type(ct) for ct in content)
            if "text/event-stream" in content:
                schema = (content["text/event-stream"] or {}).get("schema") or {}
                ref = schema.get("$ref", "")
                sse_schema = ref.rsplit("/", 1)[-1] if ref else inline_event_schema_name(str(op_id), schema)
                kind = "json+sse" if is_json else "sse"
            elif is_json:
                kind = "json"
                any_json = all(_is_any(media) for ct, media in content.items() if _is_json_type(ct))
            elif content:
                kind = "bytes"
            else:
                kind = "none"
            body, body_description = _body_schema(spec, op)
            body_docs = {
                str(name): _text((prop or {}).get("description") or _resolve(spec, prop or {}).get("description"))
                for name, prop in _documented_properties(spec, body).items()
                if isinstance(prop, dict)
            }
            found.append(
                SpecOperation(
                    operation_id=str(op_id),
                    method=method,
                    path=path,
                    tags=list(op.get("tags") or []),
                    kind=kind,
                    sse_schema=sse_schema,
                    any_json=any_json,
                    summary=_text(op.get("summary")),
                    description=_text(op.get("description")),
                    body_schema=body,
                    body_description=body_description,
                    body_docs=body_docs,
                    parameters=_parameters(spec, [*(shared or []), *(op.get("parameters") or [])]),
                    key_header=_key_header(spec, op, f"{op_id} ({method.upper()} {path})"),
                )
            )
    return found


def _key_header(spec: dict[str, Any], op: dict[str, Any], where: str) -> str | None:
    """The operation's key placement; a scheme the client cannot honour stops generation (never dropped)."""
    try:
        return key_header(spec, op, where)
    except UnsupportedSecurity as exc:
        raise FacadeError(str(exc)) from exc


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    ref = node.get("$ref", "") if isinstance(node, dict) else ""
    if not ref.startswith("#/"):
        return node
    target: Any = spec
    for part in ref[2:].split("/"):
        target = target.get(part, {}) if isinstance(target, dict) else {}
    return target


def _parameters(spec: dict[str, Any], parameters: list[Any]) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for parameter in parameters:
        parameter = _resolve(spec, parameter)
        if isinstance(parameter, dict) and parameter.get("name"):
            description = parameter.get("description") or (parameter.get("schema") or {}).get("description")
            found[str(parameter["name"])] = (str(parameter.get("in", "")), _text(description))
    return found


def _documented_properties(spec: dict[str, Any], schema: Any, seen: frozenset[int] = frozenset()) -> dict[str, Any]:
    """The properties a body's fields come from, for their descriptions: the schema's own, those of its `allOf`
    members (a request that extends a base schema) and, for an optional body (`anyOf` of one schema and null),
    those of that schema. The generated model has all of these as fields."""
    if not isinstance(schema, dict) or id(schema) in seen:
        return {}
    seen = seen | {id(schema)}
    found: dict[str, Any] = {}
    for member in schema.get("allOf") or []:
        found.update(_documented_properties(spec, _resolve(spec, member), seen))
    branches = [_resolve(spec, b) for b in schema.get("anyOf") or schema.get("oneOf") or []]
    values = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
    if len(values) == 1 and len(branches) == 2:
        found.update(_documented_properties(spec, values[0], seen))
    found.update(schema.get("properties") or {})
    return found


def _body_schema(spec: dict[str, Any], op: dict[str, Any]) -> tuple[dict[str, Any], str]:
    request = _resolve(spec, op.get("requestBody") or {})
    content = (request.get("content") if isinstance(request, dict) else None) or {}
    for media in content.values():
        schema = _resolve(spec, (media or {}).get("schema") or {})
        if not isinstance(schema, dict):
            return {}, ""
        return schema, _text(request.get("description"))
    return {}, ""
