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

__all__ = ["ecma_pattern", "pattern_keyword"]

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
