"""Reading a function's docstring: its description and the text of each parameter.

Three common styles are understood: Google (``Args:`` then ``name (type): text``), NumPy
(``Parameters`` underlined, then ``name : type`` and indented text) and Sphinx (``:param name: text``).
Continuation lines join the parameter's text. The description is everything before the first section.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

__all__ = ["Docstring", "parse_docstring"]

_GOOGLE_SECTIONS = ("args:", "arguments:", "parameters:", "params:", "keyword args:", "keyword arguments:")
_ANY_SECTION = re.compile(
    r"^(args|arguments|parameters|params|keyword args|keyword arguments|returns?|yields?|raises|examples?|notes?"
    r"|attributes|see also|references|warnings?|todo)\s*:?\s*$",
    re.IGNORECASE,
)
_SPHINX = re.compile(r"^:(param|parameter|arg|argument|key|keyword)\s+(?:[^:]*\s)?(\w+)\s*:\s*(.*)$")
_SPHINX_FIELD = re.compile(r"^:\w+")
_GOOGLE_PARAM = re.compile(r"^\*{0,2}(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
_NUMPY_PARAM = re.compile(r"^\*{0,2}(\w+)\s*(?::.*)?$")


@dataclass
class Docstring:
    description: str = ""
    params: dict[str, str] = field(default_factory=dict)


def parse_docstring(doc: str | None) -> Docstring:
    if not doc:
        return Docstring()
    lines = inspect.cleandoc(doc).splitlines()
    out = Docstring()
    description: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        underlined = i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"}
        if underlined or _ANY_SECTION.match(stripped) or _SPHINX_FIELD.match(stripped):
            break
        description.append(line)
        i += 1
    out.description = " ".join(" ".join(description).split()).strip()
    rest = lines[i:]
    _google(rest, out.params)
    _numpy(rest, out.params)
    _sphinx(rest, out.params)
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _google(lines: list[str], params: dict[str, str]) -> None:
    inside = False
    base = param_indent = 0
    current: str | None = None
    for line in lines:
        stripped = line.strip()
        if stripped.lower() in _GOOGLE_SECTIONS:
            inside, base, current = True, _indent(line), None
            continue
        if not inside:
            continue
        if stripped and _indent(line) <= base:
            inside = False  # the next section
            continue
        match = _GOOGLE_PARAM.match(stripped)
        if match and (current is None or _indent(line) <= param_indent):
            current, param_indent = match.group(1), _indent(line)
            params[current] = match.group(2).strip()
        elif current is not None and stripped:
            params[current] = f"{params[current]} {stripped}".strip()


def _numpy(lines: list[str], params: dict[str, str]) -> None:
    i = 0
    while i < len(lines):
        title = lines[i].strip().lower()
        if title in ("parameters", "other parameters") and i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"}:
            i += 2
            current: str | None = None
            while i < len(lines):
                line = lines[i]
                if i + 1 < len(lines) and lines[i].strip() and set(lines[i + 1].strip()) == {"-"}:
                    break  # the next section's title
                if line.strip() and _indent(line) == 0:
                    match = _NUMPY_PARAM.match(line.strip())
                    current = match.group(1) if match else None
                    if current:
                        params[current] = ""
                elif current is not None and line.strip():
                    params[current] = f"{params[current]} {line.strip()}".strip()
                i += 1
            continue
        i += 1


def _sphinx(lines: list[str], params: dict[str, str]) -> None:
    current: str | None = None
    for line in lines:
        stripped = line.strip()
        match = _SPHINX.match(stripped)
        if match:
            current = match.group(2)
            params[current] = match.group(3).strip()
        elif _SPHINX_FIELD.match(stripped):
            current = None
        elif current is not None and stripped:
            params[current] = f"{params[current]} {stripped}"
