"""Resolve JSON Schema ``$defs`` inside an OpenAPI description, for the generator and the mock alike.

Mistral's 2026-08 description embeds the definitions of its speech event stream in the stream's schema and
refers to them as ``#/$defs/Name``; inside an OpenAPI document that points at the document root, where
nothing is defined, so neither the generator nor a validator can follow it. Read as JSON Schema intends (the
nearest enclosing ``$defs``), each definition moves to the components.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from ._spec import SpecError

__all__ = ["resolve_local_defs"]

JSON = dict[str, Any]
_LOCAL_DEFS = "#/$defs/"
#: Keys whose values are data, never schemas to walk.
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum"})


def resolve_local_defs(spec: JSON) -> None:
    """Move JSON Schema ``$defs`` (referenced as ``#/$defs/Name``) to where the generator can see them.

    Inside an OpenAPI document ``#/$defs/Name`` points at the document root, where nothing is defined, so
    the generator cannot resolve it (measured: the 2026-08 reference's speech event stream embeds its
    definitions this way). A definition whose name is free among the components, or names an identical
    component, becomes (or reuses) that component; one whose name a different component holds is written
    in place of each reference to it, so no name is invented. A reference resolves to the nearest enclosing
    ``$defs`` that defines the name, as in JSON Schema; a self-referring definition cannot be written in
    place, and a reference to nothing is an error.
    """
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    existing = dict(schemas)

    def as_component(name: str, definition: Any) -> bool:
        return name not in existing or existing[name] == definition

    def visit(node: Any, scopes: list[JSON], inlining: frozenset[str]) -> Any:
        if isinstance(node, list):
            return [visit(item, scopes, inlining) for item in node]
        if not isinstance(node, dict):
            return node
        defs = node.get("$defs")
        if isinstance(defs, dict):
            scopes = [*scopes, defs]
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_LOCAL_DEFS):
            name = ref[len(_LOCAL_DEFS) :]
            siblings = {k: visit(v, scopes, inlining) for k, v in node.items() if k not in ("$ref", "$defs")}
            definition = _nearest(name, scopes)
            if as_component(name, definition):
                if name not in existing:
                    existing[name] = definition
                    schemas[name] = visit(definition, scopes, inlining)
                return {"$ref": f"#/components/schemas/{name}", **siblings}
            if name in inlining:
                raise SpecError(f"$defs/{name} refers to itself and its name is taken by another component")
            return {**visit(copy.deepcopy(definition), scopes, inlining | {name}), **siblings}
        result: JSON = {}
        for key, value in node.items():
            if key == "$defs":
                continue
            if key == "mapping" and isinstance(value, dict):
                result[key] = {k: _component_ref(v, scopes) for k, v in value.items()}
            elif key in _DATA_KEYS or str(key).startswith("x-"):
                result[key] = value
            else:
                result[key] = visit(value, scopes, inlining)
        return result

    def _component_ref(ref: Any, scopes: list[JSON]) -> Any:
        if isinstance(ref, str) and ref.startswith(_LOCAL_DEFS):
            name = ref[len(_LOCAL_DEFS) :]
            if as_component(name, _nearest(name, scopes)):
                return f"#/components/schemas/{name}"
        return ref

    if "$defs" not in json.dumps(spec):
        return
    spec["paths"] = visit(spec.get("paths", {}), [], frozenset())
    for name in list(schemas):
        schemas[name] = visit(schemas[name], [], frozenset())


def _nearest(name: str, scopes: list[JSON]) -> Any:
    for scope in reversed(scopes):
        if name in scope:
            return scope[name]
    raise SpecError(f"dangling reference {_LOCAL_DEFS}{name}")
