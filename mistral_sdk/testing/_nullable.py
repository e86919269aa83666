"""``nullable: true`` in an OpenAPI 3.1 description, read as its authors mean it: the value may also be null.

``nullable`` is an OpenAPI 3.0 keyword; 3.1 dropped it for JSON Schema's ``type: 'null'``, and a 3.1
validator (the mock's, openapi-core's) ignores it. Mistral's 2026-08 description still writes it (the
registry's prompt and skill requests), and every other reader of the description (schemathesis, Prism,
the generator) takes it to allow null: without this rewrite the mock refused ``{"notes": null}``, a
request the description allows.
"""

from __future__ import annotations

from typing import Any

__all__ = ["read_nullable"]

#: Keys whose values are data, never schemas to walk.
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum"})
#: Keywords that say nothing about which values are valid: they stay on the rewritten node.
_ANNOTATIONS = frozenset(
    {"description", "title", "deprecated", "example", "examples", "default", "readOnly", "writeOnly", "externalDocs"}
)
_NULL = {"type": "null"}


def read_nullable(node: Any) -> Any:
    """Rewrite, in place, every schema with ``nullable: true`` as ``anyOf: [<the schema>, {type: 'null'}]``.

    The whole schema (``$ref``, ``enum``, ``type``...) goes into the first option, so an enum or a reference
    needs no ``null`` of its own; annotations stay outside. ``nullable: false`` is dropped: it means nothing
    more than its absence. Returns ``node`` for convenience.
    """
    if isinstance(node, list):
        for item in node:
            read_nullable(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                read_nullable(list(value.values()))  # property names are free: one may be called ``example``
            elif key not in _DATA_KEYS and not key.startswith("x-"):
                read_nullable(value)
        if isinstance(node.get("nullable"), bool):
            _rewrite(node)
    return node


def _rewrite(schema: dict[str, Any]) -> None:
    nullable = schema.pop("nullable")
    constraints = {k: v for k, v in schema.items() if k not in _ANNOTATIONS and not k.startswith("x-")}
    if not nullable or not constraints:
        return  # nothing to widen: without constraints, null is already allowed
    for key in constraints:
        del schema[key]
    schema["anyOf"] = [constraints, dict(_NULL)]
