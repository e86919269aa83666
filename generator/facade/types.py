"""Annotations of the facade's signatures, and the same types as data for the runtime (``mistral_sdk._arguments``).

Signatures take what the generated model takes, widened where plain values are accepted: an enum also
takes its values as a ``Literal``, a model also takes a ``Mapping[str, Any]``, a top-level ``list`` any
``Sequence``. The runtime gets each declared type as a descriptor (see ``mistral_sdk._arguments``), so it
never parses an annotation.
"""

from __future__ import annotations

import ast
import builtins
import enum
import importlib
from collections.abc import Iterable
from typing import Any

from .naming import FacadeError

__all__ = ["Names", "accept_plain", "descriptor", "none_last", "widen_lists"]

_BUILTIN_TYPES = frozenset(name for name in dir(builtins) if isinstance(getattr(builtins, name), type))
_SIMPLE_NAMES = frozenset({"None", "True", "False"})
_SCALARS = frozenset({"str", "int", "float", "bool", "bytes"})


class Names:
    """The names the facade's annotations use, imported for the type checker only."""

    def __init__(self) -> None:
        self.imports: dict[str, tuple[str, str | None]] = {}

    def add(self, local: str, source: tuple[str, str | None]) -> None:
        known = self.imports.get(local)
        if known is not None and known != source:
            raise FacadeError(f"two different types named {local}: {known} and {source}")
        self.imports[local] = source

    def annotation(self, text: str, imports: dict[str, tuple[str, str | None]], shadowed: Iterable[str]) -> str:
        """Check every name of ``text`` is importable, record it, and qualify builtins a method shadows."""
        tree = ast.parse(text, mode="eval")
        shadow = set(shadowed)

        class Qualify(ast.NodeTransformer):
            def visit_Name(self, node: ast.Name) -> ast.AST:
                if node.id in shadow and node.id in _BUILTIN_TYPES:
                    return ast.copy_location(
                        ast.Attribute(value=ast.Name("builtins", ast.Load()), attr=node.id, ctx=ast.Load()), node
                    )
                return node

        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                if node.id in _SIMPLE_NAMES or node.id in _BUILTIN_TYPES:
                    continue
                if node.id in ("Any", "Unset", "APIResponse", "Sequence", "Literal", "Mapping"):
                    continue
                source = imports.get(node.id)
                if source is None:
                    raise FacadeError(f"cannot resolve the name {node.id!r} in annotation {text!r}")
                self.add(node.id, source)
        return ast.unparse(none_last(Qualify().visit(tree)))


def widen_lists(text: str) -> tuple[str, bool]:
    """``list[X] | None`` -> ``Sequence[X] | None`` (top level only: nested lists stay what the model wants)."""
    tree = ast.parse(text, mode="eval")
    members = _union_members(tree.body)
    changed = False
    for member in members:
        if isinstance(member, ast.Subscript) and isinstance(member.value, ast.Name) and member.value.id == "list":
            member.value.id = "Sequence"
            changed = True
    return (ast.unparse(tree), changed) if changed else (text, False)


def _plain_kind(name: str, imports: dict[str, tuple[str, str | None]]) -> tuple[str, list[Any]] | None:
    """("enum", its values) or ("model", []) for a generated enum or model class named in an annotation."""
    source = imports.get(name)
    if source is None or source[1] is None:
        return None
    cls = getattr(importlib.import_module(source[0]), source[1], None)
    if not isinstance(cls, type):
        return None
    if issubclass(cls, enum.Enum):
        return "enum", [member.value for member in cls]
    if hasattr(cls, "from_dict"):
        return "model", []
    return None


def accept_plain(text: str, imports: dict[str, tuple[str, str | None]]) -> tuple[str, set[str]]:
    """Widen an argument's type so plain values type-check: an enum also takes its values as a ``Literal``,
    models (alone, in a union, or as the items of a top-level ``Sequence``) also take a ``Mapping[str, Any]``.

    Only covariant places are widened (the top-level union and ``Sequence`` items): widening inside an
    invariant ``list`` or ``dict`` would stop accepting the model-typed values callers pass today.
    Returns the new text and the extra names it uses.
    """
    used: set[str] = set()

    def widen(node: ast.expr) -> ast.expr:
        members = _union_members(node)
        out: list[ast.expr] = []
        last_model = -1
        for member in members:
            if (
                isinstance(member, ast.Subscript)
                and isinstance(member.value, ast.Name)
                and member.value.id == "Sequence"
            ):
                member.slice = widen(member.slice)
                out.append(member)
                continue
            kind = _plain_kind(member.id, imports) if isinstance(member, ast.Name) else None
            out.append(member)
            if kind is None:
                continue
            if kind[0] == "model":
                last_model = len(out) - 1
            elif kind[1]:
                values: list[ast.expr] = [ast.Constant(v) for v in kind[1]]
                out.append(
                    ast.Subscript(
                        value=ast.Name("Literal", ast.Load()),
                        slice=ast.Tuple(values, ast.Load()) if len(values) > 1 else values[0],
                        ctx=ast.Load(),
                    )
                )
                used.add("Literal")
        if last_model >= 0:
            mapping = ast.parse("Mapping[str, Any]", mode="eval").body
            out.insert(last_model + 1, mapping)
            used.add("Mapping")
        result = out[0]
        for member in out[1:]:
            result = ast.BinOp(left=result, op=ast.BitOr(), right=member)
        return result

    tree = ast.parse(text, mode="eval")
    tree.body = widen(tree.body)
    return (ast.unparse(tree), used) if used else (text, used)


def _union_members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_members(node.left) + _union_members(node.right)
    return [node]


def none_last(node: ast.AST) -> ast.AST:
    """``None | str`` -> ``str | None`` at every level (the project's lint rule RUF036)."""
    for child in ast.walk(node):
        for name, value in ast.iter_fields(child):
            if isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr):
                setattr(child, name, _reorder(value))
    if isinstance(node, ast.Expression):
        return node
    return _reorder(node) if isinstance(node, ast.BinOp) else node


def _reorder(union: ast.BinOp) -> ast.expr:
    members = _union_members(union)
    is_none = [isinstance(m, ast.Constant) and m.value is None for m in members]
    ordered = [m for m, n in zip(members, is_none, strict=True) if not n] + [
        m for m, n in zip(members, is_none, strict=True) if n
    ]
    result = ordered[0]
    for member in ordered[1:]:
        result = ast.BinOp(left=result, op=ast.BitOr(), right=member)
    return result


def _class_of(name: str, imports: dict[str, tuple[str, str | None]]) -> type | None:
    source = imports.get(name)
    if source is None or source[1] is None:
        return None
    found = getattr(importlib.import_module(source[0]), source[1], None)
    return found if isinstance(found, type) else None


def _ref(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def descriptor(text: str, imports: dict[str, tuple[str, str | None]], models: set[str] | None = None) -> Any:
    """An annotation of the generated code as the runtime's type descriptor (JSON data).

    ``models`` collects the models it names (their own fields are described for the runtime too).
    """
    return _describe(ast.parse(text, mode="eval").body, imports, models if models is not None else set())


def _describe(node: ast.expr, imports: dict[str, tuple[str, str | None]], models: set[str]) -> Any:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members = [_describe(m, imports, models) for m in _union_members(node)]
        return "any" if "any" in members else ["union", *members]
    if isinstance(node, ast.Constant):
        if node.value is None:
            return "none"
        if isinstance(node.value, str):  # a quoted forward reference
            return _describe(ast.parse(node.value, mode="eval").body, imports, models)
    if isinstance(node, ast.Subscript):
        outer = node.value.id if isinstance(node.value, ast.Name) else getattr(node.value, "attr", "")
        if outer in ("list", "Sequence"):
            return ["list", _describe(node.slice, imports, models)]
        if outer in ("dict", "Mapping") and isinstance(node.slice, ast.Tuple):
            return ["dict", _describe(node.slice.elts[1], imports, models)]
        if outer == "Literal":
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            return ["const", *(ast.literal_eval(item) for item in items)]
        return "any"
    if isinstance(node, ast.Attribute):
        dotted = ast.unparse(node)
        return {"datetime.datetime": "datetime", "datetime.date": "date"}.get(dotted, "any")
    if not isinstance(node, ast.Name) or node.id == "Any":
        return "any"
    name = node.id
    if name in _SCALARS:
        return name
    if name in ("Unset", "File"):
        cls = _class_of(name, imports)
        # the runtime knows the SDK's own package's classes; another package's are named in full
        if cls is not None and cls.__module__ != "mistral_sdk._generated.types":
            return ["class", _ref(cls)]
        return name.lower()
    if name == "UUID":
        return "uuid"
    cls = _class_of(name, imports)
    if cls is None:
        return "any"
    if issubclass(cls, enum.Enum):
        return ["enum", _ref(cls)]
    if hasattr(cls, "from_dict"):
        models.add(_ref(cls))
        return ["model", _ref(cls)]
    if cls.__name__ == "UUID":
        return "uuid"
    return ["class", _ref(cls)]
