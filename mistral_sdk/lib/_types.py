"""Reading Python types: which kind of class a type is and what fields it declares.

Shared by the JSON-schema builder (``_schema``) and the converter (``_convert``) so both see exactly
the same fields. pydantic is never imported here: a class is a pydantic model only if pydantic is
already loaded (the user's own import of it) and the class derives from its ``BaseModel``.
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["MISSING", "FieldInfo", "class_doc", "fields_of", "is_pydantic_model", "is_structured_class"]

MISSING: Any = dataclasses.MISSING


@dataclass(frozen=True)
class FieldInfo:
    """One field: its Python name, its JSON key, its type, its default (``MISSING``) and description."""

    name: str
    key: str
    annotation: Any
    default: Any
    description: str | None


def is_pydantic_model(tp: Any) -> bool:
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(tp, type) and issubclass(tp, pydantic.BaseModel)


def _is_attrs(tp: Any) -> bool:
    attrs = sys.modules.get("attrs")
    return attrs is not None and isinstance(tp, type) and attrs.has(tp)


def is_structured_class(tp: Any) -> bool:
    """A dataclass, an attrs class or a pydantic model: a type whose instances are JSON objects."""
    return (isinstance(tp, type) and dataclasses.is_dataclass(tp)) or _is_attrs(tp) or is_pydantic_model(tp)


def _default_of(default: Any, factory: Any) -> Any:
    if default is not MISSING:
        return default
    if factory is not MISSING:
        return factory()
    return MISSING


def fields_of(tp: type) -> list[FieldInfo]:
    """The fields a JSON object of ``tp`` carries, in declaration order."""
    if is_pydantic_model(tp):
        return _pydantic_fields(tp)
    hints = typing.get_type_hints(tp, include_extras=True)
    if dataclasses.is_dataclass(tp):
        return [
            FieldInfo(
                f.name,
                f.name,
                hints.get(f.name, Any),
                _default_of(f.default, f.default_factory),
                f.metadata.get("description"),
            )
            for f in dataclasses.fields(tp)
            if f.init
        ]
    if _is_attrs(tp):
        import attrs

        out = []
        for a in attrs.fields(tp):
            if not a.init:
                continue
            default = a.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                factory: Callable[[], Any] = default.factory
                default = factory()
            elif default is attrs.NOTHING:
                default = MISSING
            key = a.alias or a.name
            out.append(FieldInfo(key, key, hints.get(a.name, Any), default, a.metadata.get("description")))
        return out
    raise TypeError(f"{tp!r} is not a dataclass, an attrs class or a pydantic model")


def _pydantic_fields(tp: Any) -> list[FieldInfo]:
    from pydantic_core import PydanticUndefined

    out = []
    for name, info in tp.model_fields.items():
        default = info.default
        if default is PydanticUndefined:
            default = info.default_factory() if info.default_factory is not None else MISSING
        key = info.validation_alias if isinstance(info.validation_alias, str) else (info.alias or name)
        out.append(FieldInfo(name, key, info.annotation, default, info.description))
    return out


def class_doc(tp: type) -> str | None:
    """The class's own docstring, or None (dataclasses' generated signature and inherited docs excluded)."""
    doc = tp.__dict__.get("__doc__")
    if not isinstance(doc, str) or not doc.strip() or doc.startswith(f"{tp.__name__}("):
        return None
    import inspect

    return inspect.cleandoc(doc)
