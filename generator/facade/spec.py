"""What the facade needs from the (preprocessed) OpenAPI description: one record per operation.

Only the spec knows operationIds, tags, which answers are JSON, SSE, binary or empty, the JSON names of
parameters and body properties, and our own descriptions, which become the methods' docstrings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mistral_sdk.testing._spec import HTTP_METHODS, SpecError, load_spec_document

from .naming import FacadeError

__all__ = ["SpecOperation", "load_spec", "spec_operations"]


@dataclass
class SpecOperation:
    operation_id: str
    method: str
    path: str
    tags: list[str]
    kind: str  # "json", "none", "bytes", "sse" or "json+sse"
    sse_schema: str | None
    # An inline event schema ({event, data: $ref}) has no generated model: its data model is used instead.
    sse_data_schema: str | None = None
    summary: str = ""
    description: str = ""
    # The request body's schema (a $ref resolved), for the JSON names and descriptions of its properties.
    body_schema: dict[str, Any] = field(default_factory=dict)
    body_description: str = ""
    # body property (as the API spells it) -> its description
    body_docs: dict[str, str] = field(default_factory=dict)
    # parameter name (as the API spells it) -> (location, description)
    parameters: dict[str, tuple[str, str]] = field(default_factory=dict)


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
            sse_schema = sse_data = None
            is_json = any(ct == "application/json" or ct.endswith("+json") for ct in content)
            if "text/event-stream" in content:
                schema = (content["text/event-stream"] or {}).get("schema") or {}
                ref = schema.get("$ref", "")
                sse_schema = ref.rsplit("/", 1)[-1] if ref else None
                data_ref = ((schema.get("properties") or {}).get("data") or {}).get("$ref", "")
                sse_data = data_ref.rsplit("/", 1)[-1] if data_ref and not ref else None
                kind = "json+sse" if is_json else "sse"
            elif is_json:
                kind = "json"
            elif content:
                kind = "bytes"
            else:
                kind = "none"
            body, body_description = _body_schema(spec, op)
            body_docs = {
                str(name): _text((prop or {}).get("description") or _resolve(spec, prop or {}).get("description"))
                for name, prop in (body.get("properties") or {}).items()
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
                    sse_data_schema=sse_data,
                    summary=_text(op.get("summary")),
                    description=_text(op.get("description")),
                    body_schema=body,
                    body_description=body_description,
                    body_docs=body_docs,
                    parameters=_parameters(spec, [*(shared or []), *(op.get("parameters") or [])]),
                )
            )
    return found


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


def _body_schema(spec: dict[str, Any], op: dict[str, Any]) -> tuple[dict[str, Any], str]:
    request = _resolve(spec, op.get("requestBody") or {})
    content = (request.get("content") if isinstance(request, dict) else None) or {}
    for media in content.values():
        schema = _resolve(spec, (media or {}).get("schema") or {})
        if not isinstance(schema, dict):
            return {}, ""
        return schema, _text(request.get("description"))
    return {}, ""
