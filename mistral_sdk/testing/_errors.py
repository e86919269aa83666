"""Error answers shaped by the operation's own description of that error.

The mock refuses a request with the API's usual bodies: ``{"detail": [{loc, msg, type}, ...]}`` for
invalid input (422), ``{"message": ..., "request_id": ...}`` for a missing key (401). Some operations
describe their errors otherwise (the observability API: ``{"detail": {"message", "error_code"}}``); for
those, the answer is built from the documented schema instead, carrying the same text in its
message-like fields and, where the schema offers a list of codes, the code that names the status.
Nothing here knows an operation: the schema alone decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._schemas import SchemaTools
from ._spec import Operation
from ._violation import Violation

__all__ = ["error_answer", "error_schema", "violations_message"]

#: Property names whose text is the error's explanation for people.
_MESSAGE_FIELDS = frozenset({"message", "msg", "detail", "error", "error_message", "reason"})
#: Words that an error code for a status contains, in order of preference (matched ignoring case).
_CODE_WORDS: Mapping[int, tuple[str, ...]] = {
    400: ("bad_request", "invalid"),
    401: ("unauthorized", "unauthenticated", "auth"),
    403: ("forbidden",),
    404: ("not_found",),
    409: ("conflict", "already_exists"),
    422: ("validation", "invalid", "unprocessable"),
    429: ("rate_limit", "too_many"),
}


def error_schema(op: Operation, status: int) -> Mapping[str, Any] | None:
    """The JSON schema the operation documents for ``status`` (exact code, then ``4XX``, then ``default``)."""
    responses: Mapping[str, Any] = op.definition.get("responses", {})
    for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
        response = responses.get(key)
        if isinstance(response, Mapping):
            content = response.get("content") or {}
            media = content.get("application/json") if isinstance(content, Mapping) else None
            if isinstance(media, Mapping) and isinstance(media.get("schema"), Mapping):
                return dict(media["schema"])
            return None
    return None


def error_answer(
    tools: SchemaTools, op: Operation, status: int, usual: Any, message: str
) -> tuple[Any, list[Violation]]:
    """The body to send: ``usual`` when the documented schema (if any) allows it, else one built from that schema.

    A built body that still fails the schema is returned with a ``response`` violation (a mock bug to report).
    """
    schema = error_schema(op, status)
    if schema is None or tools.is_valid(schema, usual):
        return usual, []
    plain = tools.synthesize(schema)
    shaped = _shaped(tools, schema, plain, message, _CODE_WORDS.get(status, ()), "")
    for body in (shaped, plain):
        if tools.is_valid(schema, body):
            return body, []
    from ._validation import detail_from_schema_errors

    found = detail_from_schema_errors("response", op.operation_id, ("response",), tools.errors(schema, plain))
    return plain, found


def violations_message(violations: Sequence[Violation]) -> str:
    """One line naming every problem, for an error schema that has room for text only."""
    return "; ".join(f"{'.'.join(map(str, v.loc))}: {v.msg}" for v in violations)


def _shaped(tools: SchemaTools, schema: Any, value: Any, message: str, words: tuple[str, ...], name: str) -> Any:
    """``value`` (valid for ``schema``) with the message in its message-like texts and a code naming the status."""
    s = tools.resolve(schema)
    for union in ("anyOf", "oneOf"):
        if isinstance(s.get(union), list):
            option = next((o for o in s[union] if tools.is_valid(o, value)), None)
            return value if option is None else _shaped(tools, option, value, message, words, name)
    if isinstance(s.get("allOf"), list):
        for part in s["allOf"]:
            value = _shaped(tools, part, value, message, words, name)
        return value
    if isinstance(value, dict):
        properties: Mapping[str, Any] = s.get("properties", {})
        return {k: _shaped(tools, properties.get(k, {}), v, message, words, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shaped(tools, s.get("items", {}), v, message, words, name) for v in value]
    if isinstance(value, str) and isinstance(s.get("enum"), list):
        return _code_for(s["enum"], words, value)
    if isinstance(value, str) and name in _MESSAGE_FIELDS and tools.is_valid(s, message):
        return message
    return value


def _code_for(codes: Sequence[Any], words: tuple[str, ...], fallback: str) -> str:
    texts = [c for c in codes if isinstance(c, str)]
    for word in words:
        for code in texts:
            if word in code.lower():
                return code
    return fallback
