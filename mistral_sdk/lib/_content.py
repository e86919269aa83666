"""The answer's text and its thinking, whether the content is a string or a list of chunks.

Reasoning models answer with a list: ``thinking`` chunks (themselves lists of text chunks) and
``text`` chunks. Other models answer with a plain string. These functions read both shapes, from
generated models or from plain JSON mappings, so every caller (accessors, ``parse``, stream events)
extracts text the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["content_text", "content_thinking"]


def _as_dict(part: Any) -> Any:
    to_dict = getattr(part, "to_dict", None)
    return to_dict() if callable(to_dict) else part


def _texts(parts: Any, kind: str) -> str:
    if not isinstance(parts, list):
        return ""
    out = []
    for raw in parts:
        part = _as_dict(raw)
        if not isinstance(part, Mapping):
            continue
        if kind == "text" and part.get("type") == "text" and isinstance(part.get("text"), str):
            out.append(part["text"])
        elif kind == "thinking" and part.get("type") == "thinking":
            out.append(_texts(part.get("thinking"), "text"))
    return "".join(out)


def content_text(content: Any) -> str:
    """The answer text: the string itself, or the ``text`` chunks joined (thinking and media left out)."""
    if isinstance(content, str):
        return content
    return _texts(content, "text")


def content_thinking(content: Any) -> str:
    """The reasoning text: the ``thinking`` chunks' text joined; ``""`` for string content."""
    return _texts(content, "thinking")
