"""``Frozen``: the base of the SDK's few small immutable records (client options, retry policy, raw response).

They behave as frozen dataclasses do: set once by ``__init__``, compared and hashed by their fields, shown
as ``Name(field=value, ...)``, and ``replace(**changes)`` builds a copy through ``__init__`` (so its checks
run again). They are written by hand because creating a dataclass ``exec``-compiles its generated methods
when the class is defined, about 1.3 ms each: three of them were a third of what ``import mistral_sdk`` plus
``Mistral()`` costs on top of importing httpx.

A subclass lists its fields in ``__slots__`` (in ``__init__``'s order), sets them with ``_set`` and may
leave some out of comparison and display with ``_hidden``.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any, ClassVar, TypeVar

__all__ = ["Frozen"]

_F = TypeVar("_F", bound="Frozen")


class Frozen:
    __slots__ = ()

    #: Fields left out of ``==``, ``hash`` and ``repr`` (a random source, say).
    _hidden: ClassVar[frozenset[str]] = frozenset()

    def _set(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def _fields(self) -> tuple[str, ...]:
        fields: tuple[str, ...] = type(self).__slots__
        return fields

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields() if name not in self._hidden)

    def replace(self: _F, **changes: Any) -> _F:
        """A copy with ``changes`` (built by ``__init__``, which checks them)."""
        unknown = set(changes) - set(self._fields())
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field(s) {sorted(unknown)}")
        values = {name: changes.get(name, getattr(self, name)) for name in self._fields()}
        return type(self)(**values)

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields())

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self._fields(), state, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Frozen)
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields() if name not in self._hidden)
        return f"{type(self).__name__}({shown})"
