"""Reading an error answer, whatever shape it came in.

The API's own error bodies are not the spec's ``HTTPValidationError``; several shapes reach a client:

* the API: ``{"object": "error", "message": "...", "type": "...", "param": null, "code": "..."}``;
* the API's validation errors, the same envelope with ``message`` an object holding the list:
  ``{"object": "error", "message": {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}, ...}``;
* the spec's ``HTTPValidationError``: ``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}``
  (and ``{"detail": "..."}``, the same framework's plain refusals);
* gateways and proxies in front of the API: ``{"message": "..."}``, ``{"error": {"message": ...}}``,
  plain text or an HTML page.

``read_error_body`` turns any of them into one ``ErrorBody``: a human message (never empty), the
API's ``type``/``code``/``param`` when it sent them, and the validation entries as typed
``ValidationDetail`` objects. It never raises: an error answer we cannot make sense of is still
reported, with its raw body kept on the exception.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ErrorBody", "ValidationDetail", "read_error_body"]

# Longest message taken from a text or HTML body: enough for any real explanation, short enough for a log line.
_TEXT_LIMIT = 500
# Validation entries quoted in the one-line message; all of them stay in ``details``.
_QUOTED_DETAILS = 5

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_INVISIBLE = re.compile(r"<(script|style|head)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ValidationDetail:
    """One field the API refused: where (``loc``, e.g. ``("body", "messages", 0, "role")``), why, and the kind."""

    loc: tuple[str | int, ...]
    msg: str
    type: str
    #: The entry as the API sent it, with any member not listed above (``input``, ``ctx``, ``url``...).
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def path(self) -> str:
        """``loc`` as a dotted path, e.g. ``body.messages.0.role``."""
        return ".".join(str(part) for part in self.loc)

    def __str__(self) -> str:
        return f"{self.path}: {self.msg}" if self.loc else self.msg


@dataclass(frozen=True)
class ErrorBody:
    """What an error answer says, in one shape."""

    message: str
    type: str | None = None
    code: str | None = None
    param: str | None = None
    details: tuple[ValidationDetail, ...] = ()


def read_error_body(body: object, reason: str = "") -> ErrorBody:
    """Read a decoded error body (JSON value, text, or None); ``reason`` is the status line's phrase."""
    if isinstance(body, dict):
        return _from_object(body, reason)
    if isinstance(body, list):
        details = _details(body)
        return ErrorBody(_joined(details) or reason or "no details", details=details)
    if isinstance(body, str) and body.strip():
        return ErrorBody(_from_text(body) or reason or "no details")
    return ErrorBody(reason or "no details")


def _from_object(body: dict[str, Any], reason: str) -> ErrorBody:
    # {"error": {...}} (OpenAI-style gateways) and {"error": "..."}: the same reading one level down.
    inner = body.get("error")
    if isinstance(inner, dict) and "message" not in body and "detail" not in body:
        return _from_object(inner, reason)
    message_field = body.get("message")
    details: tuple[ValidationDetail, ...] = ()
    message = ""
    if isinstance(message_field, str):
        message = message_field.strip()
    elif isinstance(message_field, dict):
        # The API's validation errors: the list sits inside the message.
        details = _details(message_field.get("detail"))
        nested = message_field.get("message")
        message = nested.strip() if isinstance(nested, str) else _detail_text(message_field.get("detail"))
    elif isinstance(message_field, list):
        details = _details(message_field)
        message = _joined(details)
    if not details:
        details = _details(body.get("detail"))
    if not message:
        message = _joined(details) or _detail_text(body.get("detail"))
    if not message and isinstance(inner, str):
        message = inner.strip()
    return ErrorBody(
        message=message or reason or "no details",
        type=_text(body.get("type")),
        code=_text(body.get("code")),
        param=_text(body.get("param")),
        details=details,
    )


def _details(value: object) -> tuple[ValidationDetail, ...]:
    """The validation entries of a ``detail`` list; a bare string entry becomes a message without location."""
    if not isinstance(value, list):
        return ()
    entries: list[ValidationDetail] = []
    for item in value:
        if isinstance(item, dict):
            msg, kind = _text(item.get("msg")) or "", _text(item.get("type")) or ""
            entries.append(ValidationDetail(loc=_location(item.get("loc")), msg=msg, type=kind, raw=item))
        elif isinstance(item, str):
            entries.append(ValidationDetail(loc=(), msg=item, type="", raw={"msg": item}))
    return tuple(entries)


def _location(loc: object) -> tuple[str | int, ...]:
    """``loc`` with list indexes kept as ints and every other part as text."""
    if not isinstance(loc, list | tuple):
        return ()
    return tuple(part if isinstance(part, int) and not isinstance(part, bool) else str(part) for part in loc)


def _joined(details: tuple[ValidationDetail, ...]) -> str:
    text = "; ".join(str(d) for d in details[:_QUOTED_DETAILS])
    if len(details) > _QUOTED_DETAILS:
        text += f"; and {len(details) - _QUOTED_DETAILS} more"
    return text


def _detail_text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _text(value: object) -> str | None:
    """A scalar member as text (``code`` is sometimes a number); None when absent or not a scalar."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _from_text(text: str) -> str:
    stripped = text.strip()
    if stripped.startswith("<") and ">" in stripped:
        title = _TITLE.search(stripped)
        if title and title.group(1).strip():
            stripped = title.group(1)
        else:
            stripped = _TAG.sub(" ", _INVISIBLE.sub(" ", stripped))
        stripped = html.unescape(stripped)
    stripped = _SPACE.sub(" ", stripped).strip()
    return stripped if len(stripped) <= _TEXT_LIMIT else stripped[:_TEXT_LIMIT] + "..."
