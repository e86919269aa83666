"""Resource groups as client attributes: built on first access, from a module imported only then.

The generated ``resources/_root.py`` declares one line per top-level group (``chat: Group[Chat] =
Group("chat", "Chat")``), so importing the SDK compiles and runs almost nothing, and the type checker
sees ``client.chat`` as a ``Chat`` through the descriptor's ``__get__``. The built group is stored in the
instance's ``__dict__``, which wins over this (non-data) descriptor afterwards: later accesses cost a
dict lookup, as with ``functools.cached_property``.
"""

from __future__ import annotations

import importlib
from typing import Any, Generic, Self, TypeVar, overload

__all__ = ["Group", "RawGroup"]

G = TypeVar("G", covariant=True)


class Group(Generic[G]):
    """``client.<attribute>``: the class ``name`` of the resources module ``module``, given the client."""

    def __init__(self, module: str, name: str) -> None:
        self._module = module
        self._name = name
        self._attribute = name
        self._package = ""

    def __set_name__(self, owner: type, attribute: str) -> None:
        self._attribute = attribute
        self._package = owner.__module__.rpartition(".")[0]

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> G: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Self | G:
        if instance is None:
            return self
        value: G = self._build(importlib.import_module(f"{self._package}.{self._module}"), instance)
        instance.__dict__[self._attribute] = value
        return value

    def _build(self, module: Any, instance: Any) -> Any:
        return getattr(module, self._name)(instance)


class RawGroup(Group[G]):
    """``client.with_raw_response.<attribute>``: the group built in raw mode, behind its raw-response view."""

    def _build(self, module: Any, instance: Any) -> Any:
        resource = getattr(module, self._name)(instance._client, raw=True)
        return getattr(module, f"{self._name}WithRawResponse")(resource)
