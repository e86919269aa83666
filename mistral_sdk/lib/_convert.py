"""Turning decoded JSON into instances of a Python type, checking it on the way.

The counterpart of ``_schema``: what that module describes, this one reads back. A pydantic model is
validated by pydantic itself (its own rules, aliases and validators); dataclasses, attrs classes and
the plain types are checked here, each mismatch reported with the path of the value
(``authors[1].name: expected str, got int``). Nothing is coerced silently: ``"1"`` is not an int.
"""

from __future__ import annotations

import datetime
import enum
import types
import uuid
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from mistral_sdk.lib._types import MISSING, fields_of, is_pydantic_model, is_structured_class

__all__ = ["ConversionError", "convert"]

T = TypeVar("T")


class ConversionError(ValueError):
    """A JSON value does not fit the Python type it should become."""


def convert(tp: Any, value: Any, path: str = "") -> Any:
    """``value`` (decoded JSON) as an instance of ``tp``; ``ConversionError`` when it does not fit."""
    where = path or "the value"
    if get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if tp is Any:
        return value
    if tp is type(None):
        if value is not None:
            raise ConversionError(f"{where}: expected null, got {_kind(value)}")
        return None
    if tp is bool or tp is str:
        if type(value) is not tp:
            raise ConversionError(f"{where}: expected {tp.__name__}, got {_kind(value)}")
        return value
    if tp is int:
        if type(value) is not int:
            raise ConversionError(f"{where}: expected int, got {_kind(value)}")
        return value
    if tp is float:
        if type(value) not in (int, float):
            raise ConversionError(f"{where}: expected number, got {_kind(value)}")
        return float(value)
    if tp in (datetime.datetime, datetime.date, uuid.UUID):
        if not isinstance(value, str):
            raise ConversionError(f"{where}: expected a {tp.__name__} string, got {_kind(value)}")
        try:
            return uuid.UUID(value) if tp is uuid.UUID else tp.fromisoformat(value)
        except ValueError as exc:
            raise ConversionError(f"{where}: {exc}") from None
    origin = get_origin(tp)
    if origin is Literal:
        for option in get_args(tp):
            if value == option and type(value) is type(option):
                return value
        raise ConversionError(f"{where}: expected one of {list(get_args(tp))!r}, got {value!r}")
    if origin is Union or origin is types.UnionType:
        problems = []
        for option in get_args(tp):
            try:
                return convert(option, value, path)
            except ConversionError as exc:
                problems.append(str(exc))
        raise ConversionError(f"{where}: matches no member of {tp!r} ({'; '.join(problems)})")
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(value)
        except ValueError:
            raise ConversionError(f"{where}: {value!r} is not one of {[m.value for m in tp]!r}") from None
    if origin in (list, Sequence, set, frozenset, tuple):
        if not isinstance(value, list):
            raise ConversionError(f"{where}: expected a list, got {_kind(value)}")
        item_type = get_args(tp)[0]
        items = [convert(item_type, item, f"{path}[{i}]") for i, item in enumerate(value)]
        return items if origin in (list, Sequence) else origin(items)
    if origin in (dict, Mapping):
        if not isinstance(value, dict):
            raise ConversionError(f"{where}: expected an object, got {_kind(value)}")
        value_type = get_args(tp)[1]
        return {k: convert(value_type, v, f"{path}.{k}") for k, v in value.items()}
    if is_pydantic_model(tp):
        import pydantic

        try:
            return tp.model_validate(value)
        except pydantic.ValidationError as exc:
            raise ConversionError(f"{where}: {exc}") from exc
    if is_structured_class(tp):
        return _instance(tp, value, path)
    raise ConversionError(f"{where}: cannot build a {tp!r}")


def _instance(tp: type, value: Any, path: str) -> Any:
    where = path or "the value"
    if not isinstance(value, dict):
        raise ConversionError(f"{where}: expected an object for {tp.__name__}, got {_kind(value)}")
    fields = fields_of(tp)
    unknown = sorted(set(value) - {f.key for f in fields})
    if unknown:
        raise ConversionError(f"{where}: {tp.__name__} has no field {', '.join(unknown)}")
    kwargs = {}
    for f in fields:
        sub = f"{path}.{f.key}" if path else f.key
        if f.key in value:
            kwargs[f.name] = convert(f.annotation, value[f.key], sub)
        elif f.default is MISSING:
            raise ConversionError(f"{sub}: missing")
    return tp(**kwargs)


def _kind(value: Any) -> str:
    return {type(None): "null", bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "object"}.get(
        type(value), type(value).__name__
    )
