"""Plain-value arguments of the facade: checked against their declared types, decoded, errors naming them.

Facade methods (``mistral_sdk.resources``) take enum members or their strings, models or mappings. This
module decides, for one argument and its declared type, whether the value fits as given, fits once
decoded (a string for an enum, a mapping for a model), or does not fit; and it builds request models
from such arguments through the generated ``from_dict``, so plain values are read exactly as the API's
JSON would be. Every refusal names the argument and the place inside it (``messages[1].content``).

Declared types arrive as data the facade generator wrote (no annotation is parsed at run time):

- a string: ``"any"``, ``"none"``, ``"unset"``, ``"file"``, ``"str"``, ``"int"``, ``"float"``,
  ``"bool"``, ``"bytes"``, ``"date"``, ``"datetime"`` (the object or its ISO 8601 text), ``"uuid"`` (a UUID or
  its string);
- a list: ``["union", T, ...]``, ``["list", T]``, ``["dict", T]`` (string keys), ``["const", v, ...]``
  (``Literal``), ``["enum", "module:Class"]``, ``["model", "module:Class"]``, ``["class", "module:Class"]``.

Nested models are checked against their own fields, which ``register_models`` makes known.
"""

from __future__ import annotations

import collections.abc as _abc
import datetime as _datetime
import enum as _enum
import functools
import importlib
import uuid as _uuid
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from ._closed_models import first_unknown_field
from ._generated.types import File, Unset

__all__ = [
    "BodyField",
    "Descriptor",
    "as_list",
    "as_uuid",
    "check_param",
    "compile_type",
    "register_models",
    "request_body",
    "resolve_class",
]

_T = TypeVar("_T")
Descriptor = str | Sequence[Any]
#: One request-model field of a facade method: (its JSON name, its declared type, whether from_dict needs it).
BodyField = tuple[str, "_Type", bool]


def as_list(value: Any) -> Any:
    """A caller's tuple (or other sequence) becomes the list the generated model serializes.

    Anything else is left to the type check: a mapping or a model where a union also allows one item
    must not be turned into a list of its keys.
    """
    if isinstance(value, _abc.Sequence) and not isinstance(value, list | str | bytes | bytearray):
        return list(value)
    return value


def as_uuid(name: str, value: Any) -> Any:
    """A UUID path argument given as the string the API returned becomes a UUID (a malformed one is an error)."""
    if not isinstance(value, str):
        return value
    try:
        return _uuid.UUID(value)
    except ValueError:
        raise ValueError(f"{name}: not a UUID: {value!r}") from None


_BAD, _KEEP, _DECODE = 0, 1, 2


class _Type:
    """A declared type compiled once: whether a value fits it as is, fits once decoded, or does not fit."""

    label = "any value"
    plain = ""  # the plain value also accepted ("mapping" for a model, "str" for an enum)
    trivial = True

    def accepts(self, value: Any) -> int:
        return _KEEP

    def convert(self, value: Any, path: str) -> Any:
        return value

    def locate(self, value: Any, path: str, state: int = _BAD) -> tuple[str, _Type, Any]:
        """The innermost place where ``value`` is in ``state`` (does not fit, or is still undecoded)."""
        return path, self, value


class _Instance(_Type):
    trivial = False

    def __init__(self, types: tuple[type, ...], label: str) -> None:
        self.types = types
        self.label = label
        self.no_bool = bool not in types and any(issubclass(bool, t) for t in types)

    def accepts(self, value: Any) -> int:
        if isinstance(value, self.types) and not (self.no_bool and isinstance(value, bool)):
            return _KEEP
        return _BAD


class _IsoTime(_Type):
    """A date or a datetime: the object, or the ISO 8601 text the API itself writes (converted on the way in)."""

    trivial = False

    def __init__(self, cls: type[_datetime.date]) -> None:
        self.cls = cls
        self.label = cls.__name__
        self.plain = "str"

    def accepts(self, value: Any) -> int:
        if isinstance(value, self.cls):
            return _KEEP
        if isinstance(value, str):
            try:
                self.cls.fromisoformat(value)
            except ValueError:
                return _BAD
            return _DECODE
        return _BAD

    def convert(self, value: Any, path: str) -> Any:
        return value if isinstance(value, self.cls) else self.cls.fromisoformat(value)


class _Const(_Type):
    trivial = False

    def __init__(self, values: tuple[Any, ...], label: str) -> None:
        self.values = values
        self.label = label

    def accepts(self, value: Any) -> int:
        return _KEEP if any(value is v or (type(value) is type(v) and value == v) for v in self.values) else _BAD


class _Enum(_Type):
    trivial = False

    def __init__(self, cls: type[_enum.Enum]) -> None:
        self.cls = cls
        self.raw: type = int if issubclass(cls, int) else str
        self.label = cls.__name__
        self.plain = self.raw.__name__

    def accepts(self, value: Any) -> int:
        if isinstance(value, self.cls):
            return _KEEP
        return _DECODE if isinstance(value, self.raw) and not isinstance(value, bool) else _BAD

    def convert(self, value: Any, path: str) -> Any:
        # Our enums are open: a value this SDK does not know yet becomes an unnamed member and is sent.
        return value if isinstance(value, self.cls) else self.cls(value)


class _Model(_Type):
    trivial = False

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.label = cls.__name__
        self.plain = "mapping"

    def accepts(self, value: Any) -> int:
        if isinstance(value, self.cls):
            return _KEEP
        return _DECODE if isinstance(value, _abc.Mapping) else _BAD

    def convert(self, value: Any, path: str) -> Any:
        if isinstance(value, self.cls):
            return value
        sent = _jsonable(value)
        decoder: Any = self.cls
        try:
            decoded = decoder.from_dict(sent)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"{path}: cannot be read as {self.cls.__name__}: {type(exc).__name__}: {exc}") from exc
        _verify(self, decoded, path)
        _refuse_dropped(decoded, path)
        return decoded


class _List(_Type):
    trivial = False

    def __init__(self, item: _Type) -> None:
        self.item = item
        self.label = f"list[{_with_plain(item)}]"

    @staticmethod
    def shaped(value: Any) -> bool:
        return isinstance(value, _abc.Sequence) and not isinstance(value, str | bytes | bytearray)

    def accepts(self, value: Any) -> int:
        if not self.shaped(value):
            return _BAD
        if self.item.trivial:
            return _KEEP
        result = _KEEP
        for item in value:
            state = self.item.accepts(item)
            if state == _BAD:
                return _BAD
            result = max(result, state)
        return result

    def convert(self, value: Any, path: str) -> Any:
        return [self.item.convert(item, f"{path}[{index}]") for index, item in enumerate(value)]

    def locate(self, value: Any, path: str, state: int = _BAD) -> tuple[str, _Type, Any]:
        if self.shaped(value):
            for index, item in enumerate(value):
                if self.item.accepts(item) == state:
                    return self.item.locate(item, f"{path}[{index}]", state)
        return path, self, value


class _Dict(_Type):
    trivial = False

    def __init__(self, item: _Type) -> None:
        self.item = item
        self.label = f"mapping of {_with_plain(item)}"

    def accepts(self, value: Any) -> int:
        if not isinstance(value, _abc.Mapping):
            return _BAD
        if self.item.trivial:
            return _KEEP
        result = _KEEP
        for item in value.values():
            state = self.item.accepts(item)
            if state == _BAD:
                return _BAD
            result = max(result, state)
        return result

    def convert(self, value: Any, path: str) -> Any:
        return {key: self.item.convert(item, f"{path}[{key!r}]") for key, item in value.items()}

    def locate(self, value: Any, path: str, state: int = _BAD) -> tuple[str, _Type, Any]:
        if isinstance(value, _abc.Mapping):
            for key, item in value.items():
                if self.item.accepts(item) == state:
                    return self.item.locate(item, f"{path}[{key!r}]", state)
        return path, self, value


class _Union(_Type):
    trivial = False

    def __init__(self, members: list[_Type]) -> None:
        self.members = members
        self.label = " | ".join(m.label for m in members if m.label != "Unset")
        self.plain = " | ".join(dict.fromkeys(m.plain for m in members if m.plain))
        # One isinstance for the common case: a value of one of the member classes.
        self.classes = tuple(m.cls for m in members if isinstance(m, _Model | _Enum))

    def pick(self, value: Any) -> _Type | None:
        """The member a decoded value belongs to, by its class or shape (containers are not walked)."""
        for member in self.members:
            if isinstance(member, _List):
                if _List.shaped(value):
                    return member
            elif isinstance(member, _Dict):
                if isinstance(value, _abc.Mapping):
                    return member
            elif isinstance(member, _Model):
                if isinstance(value, member.cls):
                    return member
            elif member.accepts(value) == _KEEP:
                return member
        return None

    def accepts(self, value: Any) -> int:
        if isinstance(value, self.classes):
            return _KEEP
        result = _BAD
        for member in self.members:
            state = member.accepts(value)
            if state == _KEEP:
                return _KEEP
            result = max(result, state)
        return result

    def convert(self, value: Any, path: str) -> Any:
        decodes = None
        for member in self.members:
            state = member.accepts(value)
            if state == _KEEP:
                return value
            if state == _DECODE and decodes is None:
                decodes = member
        return value if decodes is None else decodes.convert(value, path)

    def locate(self, value: Any, path: str, state: int = _BAD) -> tuple[str, _Type, Any]:
        containers = [
            m
            for m in self.members
            if (isinstance(m, _List) and _List.shaped(value))
            or (isinstance(m, _Dict) and isinstance(value, _abc.Mapping))
        ]
        return containers[0].locate(value, path, state) if len(containers) == 1 else (path, self, value)


def _with_plain(declared: _Type) -> str:
    return f"{declared.label} | {declared.plain}" if declared.plain else declared.label


_SCALARS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (float, int),
    "bool": (bool,),
    "bytes": (bytes,),
    "uuid": (_uuid.UUID, str),
}


def resolve_class(ref: str) -> Any:
    """``"package.module:Class"`` -> the class (imported on first use)."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def compile_type(descriptor: Descriptor) -> _Type:
    """A declared type from its descriptor (data the facade generator wrote; see the module docstring)."""
    if isinstance(descriptor, str):
        if descriptor == "any":
            return _ANY
        if descriptor == "none":
            return _Const((None,), "None")
        if descriptor == "unset":
            return _Instance((Unset,), "Unset")
        if descriptor == "file":
            return _Instance((File,), "File")
        if descriptor in ("date", "datetime"):
            return _IsoTime(_datetime.date if descriptor == "date" else _datetime.datetime)
        if descriptor in _SCALARS:
            return _Instance(_SCALARS[descriptor], "UUID or str" if descriptor == "uuid" else descriptor)
        raise ValueError(f"unknown type descriptor {descriptor!r}")
    kind, *rest = list(descriptor)
    if kind == "union":
        members: list[_Type] = []
        for item in rest:
            compiled = compile_type(item)
            members.extend(compiled.members if isinstance(compiled, _Union) else [compiled])
        return _ANY if any(m.trivial for m in members) else _Union(members)
    if kind == "list":
        return _List(compile_type(rest[0]))
    if kind == "dict":
        return _Dict(compile_type(rest[0]))
    if kind == "const":
        return _Const(tuple(rest), " | ".join(repr(v) for v in rest))
    cls = resolve_class(str(rest[0]))
    if kind == "enum":
        return _Enum(cls)
    if kind == "model":
        return _Model(cls)
    if kind == "class":
        return _Instance((cls,), cls.__name__)
    raise ValueError(f"unknown type descriptor {descriptor!r}")


_ANY = _Type()
#: "module:Class" -> its fields as (attribute, name shown in messages, descriptor); see register_models.
_MODEL_FIELDS: dict[str, Sequence[Sequence[Any]]] = {}


def register_models(table: Mapping[str, Sequence[Sequence[Any]]]) -> None:
    """Make the generated models' field types known (the facade's data file carries them)."""
    _MODEL_FIELDS.update(table)
    _fields_of.cache_clear()


@functools.cache
def _fields_of(cls: type) -> tuple[tuple[str, str, _Type], ...]:
    """A generated model's fields: (attribute, name for messages, declared type), compiled once.

    A model the data file does not describe has nothing to verify (its fields are taken as given).
    """
    rows = _MODEL_FIELDS.get(f"{cls.__module__}:{cls.__qualname__}", ())
    return tuple((str(attribute), str(shown), compile_type(descriptor)) for attribute, shown, descriptor in rows)


def _consts(cls: type) -> list[tuple[str, Any]]:
    """The fields a model pins to one value (its discriminator, e.g. ``role: Literal["user"]``)."""
    pinned: list[tuple[str, Any]] = []
    for _, key, declared in _fields_of(cls):
        members = declared.members if isinstance(declared, _Union) else [declared]
        for member in members:
            if isinstance(member, _Const) and len(member.values) == 1 and member.values[0] is not None:
                pinned.append((key, member.values[0]))
    return pinned


def _verify(declared: _Type, value: Any, path: str) -> None:
    """Walk a decoded argument: every value has its declared type and nothing was left undecoded.

    The generated decoder keeps what it cannot decode as the raw value (its union fallback) or as an
    unknown variant; both would be sent as given. One pass, each value looked at once.
    """
    if declared.trivial:
        return
    if isinstance(declared, _Union):
        if type(value).__name__ == "UnknownVariant":
            _refuse_claimed(declared, value, path)
            return
        member = declared.pick(value)
        if member is None:
            if declared.accepts(value) == _BAD:
                raise _mismatch(path, declared, value)
            raise _undecoded(path, declared, value)
        declared = member
    if isinstance(declared, _List):
        if not _List.shaped(value):
            raise _mismatch(path, declared, value)
        if not declared.item.trivial:
            for index, item in enumerate(value):
                _verify(declared.item, item, f"{path}[{index}]")
    elif isinstance(declared, _Dict):
        if not isinstance(value, _abc.Mapping):
            raise _mismatch(path, declared, value)
        if not declared.item.trivial:
            for key, item in value.items():
                _verify(declared.item, item, f"{path}[{key!r}]")
    elif isinstance(declared, _Model) and isinstance(value, declared.cls):
        for attribute, key, field in _fields_of(declared.cls):
            if not field.trivial:
                _verify(field, getattr(value, attribute), f"{path}.{key}")
    else:
        state = declared.accepts(value)
        if state == _BAD:
            raise _mismatch(path, declared, value)
        if state == _DECODE:
            raise _undecoded(path, declared, value)


def _refuse_claimed(union: _Union, value: Any, path: str) -> None:
    """A mapping kept as an unknown variant is sent as given (a variant newer than this SDK), unless its
    discriminator names a variant this SDK knows: then it is a malformed one, and an error."""
    raw = value.to_dict()
    claimed = [
        m.cls
        for m in union.members
        if isinstance(m, _Model)
        and m.cls is not type(value)
        and (pins := _consts(m.cls))
        and all(raw.get(key, pinned) == pinned for key, pinned in pins)
    ]
    if not claimed:
        return
    decoder: Any = claimed[0]
    try:
        decoder.from_dict(raw)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        reason = f"{type(exc).__name__}: {exc}"
    else:  # the generated decoder would have chosen it: nothing to refuse
        return
    names = " or ".join(cls.__name__ for cls in claimed)
    detail = reason if len(claimed) == 1 else f"{claimed[0].__name__}: {reason}"
    raise ValueError(f"{path}: cannot be read as {names}: {detail}")


def _mismatch(name: str, declared: _Type, value: Any) -> TypeError:
    path, expected, found = declared.locate(value, name)
    shown = repr(found)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return TypeError(f"{path}: expected {_with_plain(expected)}, got {type(found).__name__} {shown}")


def _undecoded(name: str, declared: _Type, value: Any) -> ValueError:
    path, expected, found = declared.locate(value, name, _DECODE)
    members = expected.members if isinstance(expected, _Union) else [expected]
    for member in members:
        if isinstance(member, _Model):
            decoder: Any = member.cls
            try:
                decoder.from_dict(_jsonable(found))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                return ValueError(f"{path}: cannot be read as {member.cls.__name__}: {type(exc).__name__}: {exc}")
    return ValueError(f"{path}: cannot be read as {expected.label}")


def check_param(name: str, value: Any, declared: _Type) -> Any:
    """A path or query argument, checked against its declared type; enum strings and mappings decoded."""
    state = declared.accepts(value)
    if state == _KEEP:
        return value
    if state == _BAD:
        raise _mismatch(name, declared, value)
    return declared.convert(value, name)


def _jsonable(value: Any) -> Any:
    """A caller's value as the API's JSON would carry it (what the generated ``from_dict`` decodes)."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is dict:
        return {key: _jsonable(item) for key, item in value.items()}
    if kind is list:
        return [_jsonable(item) for item in value]
    if isinstance(value, _enum.Enum):
        return value.value
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, _abc.Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    if isinstance(value, _datetime.date):
        return value.isoformat()
    if type(value).__name__ == "UUID":
        return str(value)
    return value


def _refuse_dropped(decoded: Any, path: str) -> None:
    """Decoding keeps keys a closed model does not define (a response keeps what the API sent); in a
    request they are typos the API would reject: refuse them."""
    found = first_unknown_field(decoded, path)
    if found is not None:
        raise ValueError(f"{found[0]}: unknown key {found[1]!r} (the API defines no such field here)")


def _stand_in(declared: _Type, value: Any) -> Any:
    """A cheap value the generated decoder accepts for a required argument that is already typed
    (it is put back as given after decoding, so a long list of messages is not converted twice)."""
    members = declared.members if isinstance(declared, _Union) else [declared]
    for member in members:
        if isinstance(member, _List):
            return []
        if isinstance(member, _Const) and None in member.values:
            return None
        if isinstance(member, _Instance) and member.types in ((str,), (File,)):
            return b"" if isinstance(value, File) else ""
    return _jsonable(value)


def _attrs_default(cls: type, name: str) -> Any:
    import attrs

    default: Any = attrs.fields_dict(cls)[name].default
    if default is attrs.NOTHING:
        return None
    factory = getattr(default, "factory", None)
    return factory() if callable(factory) else default


def request_body(cls: type[_T], fields: Mapping[str, BodyField], values: dict[str, Any]) -> _T:
    """The request model from the caller's arguments, which may be models or mappings, enums or strings.

    Arguments that are all typed build the model directly. When some are plain, the generated ``from_dict``
    decodes them, exactly as it would decode the API's JSON, and the model is built from the decoded values
    and the typed arguments as given.
    Keys the decoding would drop, and mappings it could not decode, are refused.
    """
    plain: list[str] = []
    for name, value in values.items():
        field = fields.get(name)
        if field is None:
            continue
        declared = field[1]
        state = declared.accepts(value)
        if state == _DECODE:
            plain.append(name)
        elif state == _BAD:
            raise _mismatch(name, declared, value)
    decoder: Any = cls
    if not plain:
        built: _T = decoder(**values)
        return built
    sent: dict[str, Any] = {}
    for name, value in values.items():
        key, declared, required = fields.get(name, (name, _ANY, True))
        if name in plain:
            sent[key] = _jsonable(value)
        elif required:
            sent[key] = _stand_in(declared, value)
    for name, (key, declared, required) in fields.items():
        if required and name not in values:
            # Not given, so the model's default applies below; the decoder still wants the property.
            default = _attrs_default(cls, name)
            sent[key] = _stand_in(declared, default)
    try:
        decoded_body = decoder.from_dict(sent)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # The generated decoder refuses a whole union at once: decode each plain argument on its own to
        # name the one that cannot be read (its error says which member and why).
        for name in plain:
            alone = dict(sent)
            for other in plain:
                other_key, other_declared, other_required = fields[other]
                if other != name:
                    del alone[other_key]
                    if other_required:
                        alone[other_key] = _stand_in(other_declared, None)
            try:
                decoder.from_dict(alone)
            except (KeyError, TypeError, ValueError, AttributeError) as culprit:
                raise ValueError(f"{name}: cannot be read: {type(culprit).__name__}: {culprit}") from culprit
        raise ValueError(
            f"{' or '.join(plain)}: cannot be read as {cls.__name__}: {type(exc).__name__}: {exc}"
        ) from exc
    arguments = dict(values)
    for name in plain:
        key, declared, _ = fields[name]
        decoded = getattr(decoded_body, name)
        _verify(declared, decoded, name)
        _refuse_dropped(decoded, name)
        arguments[name] = decoded
    # Built like a typed call, so arguments not given get the model's defaults, not "unset".
    result: _T = decoder(**arguments)
    return result
