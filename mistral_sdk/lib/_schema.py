"""JSON Schema from Python types, in the shape the API's strict mode accepts.

``strict=True`` (structured outputs, strict tools): every property is required, objects are closed
(``additionalProperties: false``), a field that may be ``None`` is a union with ``null`` (so "not
given" is spelled ``null``), and defaults are not emitted (strict mode has no optional keys to fill).
``strict=False`` (ordinary tools): only fields without a default are required, and JSON-encodable
defaults are emitted so the model knows them.

Nested classes are written inline, not as ``$ref``: the schema stands alone and every consumer
(the API, the mock server, a validator) reads it without resolving references. A recursive type
therefore cannot be expressed and is refused with a ``TypeError`` naming it, as is any type with no
JSON form: nothing is silently widened to "any value".
"""

from __future__ import annotations

import datetime
import enum
import json
import types
import uuid
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from mistral_sdk.lib._types import MISSING, class_doc, fields_of, is_structured_class

__all__ = ["json_schema", "object_schema", "schema_name"]

_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    type(None): {"type": "null"},
    datetime.datetime: {"type": "string", "format": "date-time"},
    datetime.date: {"type": "string", "format": "date"},
    uuid.UUID: {"type": "string", "format": "uuid"},
}
_JSON_TYPE = {str: "string", int: "integer", float: "number", bool: "boolean"}


def schema_name(tp: Any) -> str:
    """The name the API is told for the schema: the class name, cut to the allowed characters."""
    name = getattr(tp, "__name__", None) or "response"
    return "".join(c if c.isalnum() or c in "_-" else "_" for c in str(name))[:64]


def json_schema(tp: Any, *, strict: bool = True) -> dict[str, Any]:
    """The JSON Schema of values of type ``tp`` (a class, ``list[...]``, a union...)."""
    return _Builder(strict).schema(tp, "")


def object_schema(
    fields: Sequence[tuple[str, Any, Any, str | None]], *, strict: bool, description: str | None = None
) -> dict[str, Any]:
    """An object schema from ``(key, type, default or MISSING, description)`` rows (function parameters)."""
    return _Builder(strict).object(fields, "", description)


class _Builder:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.active: list[type] = []  # classes being expanded: a repeat is a recursive type

    def schema(self, tp: Any, path: str) -> dict[str, Any]:
        description = None
        if get_origin(tp) is Annotated:
            tp, *extras = get_args(tp)
            description = next((e for e in extras if isinstance(e, str)), None)
        out = self._plain(tp, path)
        if description:
            out = {**out, "description": description}
        return out

    def _plain(self, tp: Any, path: str) -> dict[str, Any]:
        where = path or "the type"
        if tp in _SCALARS:
            return dict(_SCALARS[tp])
        origin = get_origin(tp)
        if origin is Literal:
            values = list(get_args(tp))
            out: dict[str, Any] = {"enum": values}
            kinds = {_JSON_TYPE.get(type(v)) for v in values}
            if len(kinds) == 1 and None not in kinds:
                out = {"type": kinds.pop(), **out}
            return out
        if origin is Union or origin is types.UnionType:
            members = [self.schema(arg, path) for arg in get_args(tp)]
            return {"anyOf": members}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            values = [m.value for m in tp]
            out = {"enum": values}
            kinds = {_JSON_TYPE.get(type(v)) for v in values}
            if len(kinds) == 1 and None not in kinds:
                out = {"type": kinds.pop(), **out}
            return out
        if origin in (list, Sequence, set, frozenset) or tp in (list, set):
            args = get_args(tp)
            if not args:
                raise TypeError(f"{where}: a list needs its item type (list[X])")
            return {"type": "array", "items": self.schema(args[0], f"{path}[]")}
        if origin is tuple:
            args = get_args(tp)
            if len(args) == 2 and args[1] is Ellipsis:
                return {"type": "array", "items": self.schema(args[0], f"{path}[]")}
            raise TypeError(f"{where}: only tuple[X, ...] has a JSON form, not {tp!r}")
        if origin in (dict, Mapping) or tp is dict:
            if self.strict:
                raise TypeError(
                    f"{where}: a mapping ({tp!r}) has open keys, which strict mode refuses; use a class with fields"
                )
            args = get_args(tp)
            value_schema = self.schema(args[1], f"{path}{{}}") if len(args) == 2 else {}
            return {"type": "object", "additionalProperties": value_schema}
        if is_structured_class(tp):
            return self._class(tp, path)
        if tp is Any and not self.strict:
            return {}
        raise TypeError(f"{where}: {tp!r} has no JSON Schema form the API accepts")

    def _class(self, tp: type, path: str) -> dict[str, Any]:
        if tp in self.active:
            raise TypeError(f"{path or tp.__name__}: recursive type {tp.__name__} cannot be written as a schema")
        self.active.append(tp)
        try:
            rows = [(f.key, f.annotation, f.default, f.description) for f in fields_of(tp)]
            return self.object(rows, path, class_doc(tp), title=tp.__name__)
        finally:
            self.active.pop()

    def object(
        self,
        rows: Sequence[tuple[str, Any, Any, str | None]],
        path: str,
        description: str | None,
        title: str | None = None,
    ) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        for key, annotation, default, field_doc in rows:
            prop = self.schema(annotation, f"{path}.{key}" if path else key)
            if field_doc:
                prop["description"] = field_doc
            if default is MISSING or self.strict:
                required.append(key)
            elif _encodable(default):
                prop["default"] = default
            properties[key] = prop
        out: dict[str, Any] = {"type": "object"}
        if title:
            out["title"] = title
        if description:
            out["description"] = description
        out["properties"] = properties
        out["required"] = required
        if self.strict:
            out["additionalProperties"] = False
        return out


def _encodable(value: Any) -> bool:
    if isinstance(value, enum.Enum):
        return False
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True
