"""JSON Schema ``pattern`` with ECMA-262 character classes, as the JSON Schema specification says.

Python's ``re`` reads ``\\s``, ``\\d`` and ``\\w`` as Unicode classes: ``\\s`` also matches the
separators U+001C-U+001F and U+0085, ``\\d`` every script's digits. ECMA-262 (and every other
validator of the description: schemathesis, Prism) reads ``\\d`` as ``[0-9]``, ``\\w`` as
``[A-Za-z0-9_]`` and ``\\s`` as its own list below. Without this, the mock refused strings the
description allows (``context_bias`` items holding U+001F).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

__all__ = ["ecma_pattern", "example_for", "pattern_keyword"]

_SPACE = re.escape("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") + "\u2000-\u200a"
_INSIDE = {"s": _SPACE, "d": "0-9", "w": "A-Za-z0-9_"}
_OUTSIDE = {**{k: f"[{v}]" for k, v in _INSIDE.items()}, **{k.upper(): f"[^{v}]" for k, v in _INSIDE.items()}}


@functools.lru_cache(maxsize=1024)
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled with the ECMA-262 meaning of its ``\\s \\d \\w`` classes (and their negations)."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            if in_class and escaped in _INSIDE:
                out.append(_INSIDE[escaped])
            elif not in_class and escaped in _OUTSIDE:
                out.append(_OUTSIDE[escaped])
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            if pattern[i + 1 : i + 2] == "^":  # keep a leading ``]`` after ``[^`` literal, as regexes do
                out.append("^")
                i += 1
            if pattern[i + 1 : i + 2] == "]":
                out.append("]")
                i += 1
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        else:
            out.append(char)
        i += 1
    return re.compile("".join(out))


def pattern_keyword(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """jsonschema's ``pattern`` keyword with ECMA-262 classes."""
    if validator.is_type(instance, "string") and not ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def example_for(pattern: str) -> str | None:
    """A short string ``pattern`` matches (ECMA classes), or None where the pattern is beyond this small walker.

    Ids in the newer descriptions carry patterns (``^[0-9a-f]{32}$``) that no fallback word matches;
    the walker takes the first choice of every branch, set and class, each repeat at its minimum.
    """
    from re import _parser  # type: ignore[attr-defined]  # the stdlib's own regex parser (sre_parse)

    try:
        parsed = _parser.parse(ecma_pattern(pattern).pattern)
    except (re.error, RecursionError):
        return None
    try:
        text = "".join(_walk(_parser, list(parsed)))
    except LookupError:
        return None
    return text if ecma_pattern(pattern).search(text) else None


_CATEGORY = {"CATEGORY_DIGIT": "0", "CATEGORY_WORD": "a", "CATEGORY_SPACE": " ", "CATEGORY_NOT_DIGIT": "a"}


def _walk(parser: Any, items: list[tuple[Any, Any]]) -> Iterator[str]:
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            yield chr(arg)
        elif name == "ANY":
            yield "a"
        elif name == "IN":
            yield _first_of_set(arg)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = arg
            for _ in range(max(low, 0)):
                yield from _walk(parser, list(sub))
        elif name == "SUBPATTERN":
            yield from _walk(parser, list(arg[-1]))
        elif name == "BRANCH":
            yield from _walk(parser, list(arg[1][0]))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            raise LookupError(name)


def _first_of_set(members: list[tuple[Any, Any]]) -> str:
    if members and str(members[0][0]) == "NEGATE":
        for candidate in "a0A_-x":
            if not any(_in_member(m, candidate) for m in members[1:]):
                return candidate
        raise LookupError("NEGATE")
    for op, arg in members:
        name = str(op)
        if name == "LITERAL":
            return chr(arg)
        if name == "RANGE":
            return chr(arg[0])
        if name == "CATEGORY" and str(arg) in _CATEGORY:
            return _CATEGORY[str(arg)]
    raise LookupError("IN")


def _in_member(member: tuple[Any, Any], char: str) -> bool:
    op, arg = str(member[0]), member[1]
    if op == "LITERAL":
        return chr(arg) == char
    if op == "RANGE":
        return bool(arg[0] <= ord(char) <= arg[1])
    if op == "CATEGORY":
        return bool(re.fullmatch(_CATEGORY_CLASS.get(str(arg), "(?!)"), char))
    return True


_CATEGORY_CLASS = {"CATEGORY_DIGIT": "[0-9]", "CATEGORY_WORD": "[A-Za-z0-9_]", "CATEGORY_SPACE": "[ \t\n\r\f\v]"}
