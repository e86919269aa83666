"""Checking a request against the description and describing each problem the way the API does.

openapi-core does the checking; this module adapts the mock's raw request to it and turns its
exceptions into the API's validation-error items ``{loc, msg, type}``. Two inputs would make
openapi-core raise something other than a validation error (a body that is not UTF-8 JSON, a query
value that cannot be cast); they are caught here so they become 422 answers, never 500s.
"""

from __future__ import annotations

import email.message
import email.parser
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jsonschema.exceptions import ValidationError as SchemaValidationError  # type: ignore[import-untyped]
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.exceptions import (
    InvalidRequestBody,
    MissingRequiredParameter,
    MissingRequiredRequestBody,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from werkzeug.datastructures import Headers, ImmutableMultiDict

from ._schemas import SchemaTools
from ._spec import MOCK_HOST_URL, Operation
from ._violation import Violation, ViolationKind

__all__ = ["RequestCheck", "check_request", "detail_from_schema_errors", "openapi_for"]


@dataclass
class _OpenAPIRequest:
    """The request protocol openapi-core reads; ``path_pattern`` names the operation's exact path key."""

    host_url: str
    path: str
    path_pattern: str
    method: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters = field(repr=False)


@dataclass
class RequestCheck:
    unauthorized: bool
    violations: list[Violation]


def openapi_for(prepared: Mapping[str, Any]) -> OpenAPI:
    """Skip openapi-core's own spec validation: 1.5 s on the reference, and checking the spec is not the mock's job."""
    return OpenAPI.from_dict(dict(prepared), config=Config(spec_validator_cls=None))


def check_request(
    api: OpenAPI,
    tools: SchemaTools,
    op: Operation,
    *,
    path: str,
    path_params: Mapping[str, str],
    query: Sequence[tuple[str, str]],
    headers: Iterable[tuple[str, str]],
    body: bytes,
    content_type: str,
) -> RequestCheck:
    op_id = op.operation_id
    early = _undecodable_json(op_id, body, content_type)
    if early:
        return RequestCheck(False, early)
    empty_violations, query = _empty_query_values(tools, op, query)
    empty_violations.extend(_repeated_query_values(tools, op, query))
    empty_violations.extend(_exploded_object_query_values(tools, op, query))
    json_violations, query = _undecodable_json_query_values(tools, op, query)
    empty_violations.extend(json_violations)
    form_schema = _form_schema(tools, op, content_type)
    request = _OpenAPIRequest(
        host_url=MOCK_HOST_URL,
        path=path,
        path_pattern=op.path_key,
        method=op.method,
        body=body if body and form_schema is None else None,  # a form is checked by _check_form alone
        content_type=content_type.lower(),
        parameters=RequestParameters(
            path=dict(path_params),
            query=ImmutableMultiDict(list(query)),
            header=Headers(list(headers)),
            cookie=ImmutableMultiDict(),
        ),
    )
    violations: list[Violation] = list(empty_violations)
    unauthorized = False
    if form_schema is not None:
        violations.extend(_check_form(tools, op_id, form_schema, body, content_type))
    try:
        for error in api.iter_request_errors(request):
            if form_schema is not None and isinstance(error, RequestBodyValidationError):
                continue  # checked above, with form values typed by their schema
            if isinstance(error, SecurityValidationError):
                unauthorized = True
                header, credential = op.credential
                violations.append(Violation("request", op_id, ("header", header), f"Missing {credential}", "security"))
            else:
                violations.extend(_describe(op_id, error))
    except Exception as exc:  # openapi-core failing on odd input must still be a 422, and stays visible
        violations.append(
            Violation("request", op_id, ("request",), f"request could not be checked: {exc!r}", "invalid")
        )
    return RequestCheck(unauthorized, violations)


def _query_schemas(tools: SchemaTools, op: Operation) -> dict[str, Any]:
    """The schema of each query parameter described by ``schema`` (not ``content``), by name."""
    schemas: dict[str, Any] = {}
    for param in op.definition.get("parameters", []):
        resolved = tools.resolve(param)
        if resolved.get("in") == "query" and "schema" in resolved:
            schemas[str(resolved["name"])] = resolved["schema"]
    return schemas


def _exploded_properties(tools: SchemaTools, op: Operation) -> dict[str, Any]:
    """The properties of each object query parameter in the ``form`` style, exploded: each is a query key of its own.

    ``?active=true`` fills ``query_filters.active`` (the defaults of ``style`` and ``explode`` for a query).
    """
    found: dict[str, Any] = {}
    for param in op.definition.get("parameters", []):
        resolved = tools.resolve(param)
        if resolved.get("in") != "query" or "schema" not in resolved:
            continue
        if resolved.get("style", "form") != "form" or not resolved.get("explode", True):
            continue
        schema = tools.resolve(resolved["schema"])
        if schema.get("type") == "object" or "properties" in schema:
            found.update(schema.get("properties", {}))
    return found


def _exploded_object_query_values(
    tools: SchemaTools, op: Operation, query: Sequence[tuple[str, str]]
) -> list[Violation]:
    """Check each property of an exploded object parameter against its schema: openapi-core lets any value through.

    The text is typed as a form field is (``true`` a boolean, ``3`` a number, ``null`` null): OpenAPI says
    nothing of null in this style, and schemathesis writes a null property as ``active=null``.
    """
    properties = _exploded_properties(tools, op)
    violations: list[Violation] = []
    for name, text in query:
        if name not in properties:
            continue
        schema = tools.resolve(properties[name])
        errors = tools.errors(schema, _typed(tools, schema, text))
        violations.extend(_from_schema_error(op.operation_id, ("query", name), e) for e in errors)
    return violations


def _repeated_query_values(tools: SchemaTools, op: Operation, query: Sequence[tuple[str, str]]) -> list[Violation]:
    """A parameter that is not an array, sent more than once, is refused: which value counts is anyone's guess.

    openapi-core reads the first one and the API (FastAPI) the last; a client sending ``?page=1&page=x``
    has a bug either way, as with a form field sent twice.
    """
    schemas = {**_exploded_properties(tools, op), **_query_schemas(tools, op)}
    counts: dict[str, int] = {}
    for name, _ in query:
        counts[name] = counts.get(name, 0) + 1
    return [
        Violation("request", op.operation_id, ("query", name), "Field sent more than once", "multiple")
        for name, count in counts.items()
        if count > 1 and name in schemas and not _may_repeat(tools, tools.resolve(schemas[name]))
    ]


def _may_repeat(tools: SchemaTools, schema: Mapping[str, Any]) -> bool:
    """An array parameter, or one whose schema says nothing of its type (any value, lists too)."""
    if isinstance(schema.get("allOf"), list):  # normalize_query writes a referenced schema as ``allOf: [$ref]``
        return all(_may_repeat(tools, tools.resolve(part)) for part in schema["allOf"])
    constrained = any(key in schema for key in ("type", "anyOf", "oneOf", "enum", "const"))
    return not constrained or _allows(tools, schema, "array")


def _empty_query_values(
    tools: SchemaTools, op: Operation, query: Sequence[tuple[str, str]]
) -> tuple[list[Violation], list[tuple[str, str]]]:
    """``?search=`` is the empty string to the API (FastAPI); openapi-core refuses every empty value.

    Empty values of parameters that can be text are checked here and kept from openapi-core (its
    ``allowEmptyValue`` switch warns on every request, and fails under ``-W error``); an empty value
    that must be a number or a boolean still reaches it and fails there.
    """
    schemas = _query_schemas(tools, op)
    violations: list[Violation] = []
    kept: list[tuple[str, str]] = []
    for name, value in query:
        schema = schemas.get(name)
        if value == "" and schema is not None:
            resolved = tools.resolve(schema)
            if _allows(tools, resolved, "array"):
                resolved = tools.resolve(resolved.get("items", {}))
            if _allows(tools, resolved, "string"):
                errors = tools.errors(resolved, "")
                violations.extend(_from_schema_error(op.operation_id, ("query", name), e) for e in errors)
                continue
        kept.append((name, value))
    return violations, kept


def _undecodable_json_query_values(
    tools: SchemaTools, op: Operation, query: Sequence[tuple[str, str]]
) -> tuple[list[Violation], list[tuple[str, str]]]:
    """A parameter described by ``content: application/json`` is JSON text; text that is not JSON is a violation.

    openapi-core fails on it with an AttributeError rather than a validation error (``?metadata=`` or
    ``?metadata=x``), which would hide the parameter's name behind "request could not be checked".
    """
    json_params: set[str] = set()
    for param in op.definition.get("parameters", []):
        resolved = tools.resolve(param)
        content = resolved.get("content")
        if resolved.get("in") == "query" and isinstance(content, Mapping):
            if any(_is_json_media_type(str(media)) for media in content):
                json_params.add(str(resolved["name"]))
    violations: list[Violation] = []
    kept: list[tuple[str, str]] = []
    for name, value in query:
        if name in json_params:
            try:
                json.loads(value)
            except ValueError as exc:
                msg = f"Invalid JSON: {exc}"
                violations.append(Violation("request", op.operation_id, ("query", name), msg, "json_invalid"))
                continue
        kept.append((name, value))
    return violations, kept


def _is_json_media_type(media: str) -> bool:
    media = media.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _form_schema(tools: SchemaTools, op: Operation, content_type: str) -> Mapping[str, Any] | None:
    if not content_type.lower().startswith("multipart/form-data"):
        return None
    content = (op.definition.get("requestBody") or {}).get("content") or {}
    schema = (content.get("multipart/form-data") or {}).get("schema")
    return tools.resolve(schema) if schema is not None else None


def _check_form(
    tools: SchemaTools, op_id: str, schema: Mapping[str, Any], body: bytes, content_type: str
) -> list[Violation]:
    """Multipart values are all text on the wire; give each the first type its property schema accepts, then validate.

    openapi-core checks them untyped (``expiry=3`` fails an integer schema) and rejects file parts as bytes.
    """
    try:
        parts = ImmutableMultiDict(form_parts(body, content_type))
    except Exception as exc:
        return [Violation("request", op_id, ("body",), f"multipart body could not be parsed: {exc}", "body_invalid")]
    properties: Mapping[str, Any] = schema.get("properties", {})
    instance: dict[str, Any] = {}
    duplicated: list[Violation] = []
    for name in parts:
        values = [v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else str(v) for v in parts.getlist(name)]
        extra = schema.get("additionalProperties")
        prop = tools.resolve(properties.get(name, extra if isinstance(extra, Mapping) else {}))
        if _allows(tools, prop, "array"):
            items = prop.get("items", {})
            instance[name] = [_typed(tools, items, v) for v in values]
        else:
            instance[name] = _typed(tools, prop, values[-1])
            # a field the form does not declare is one the API ignores, however often it comes
            if len(values) > 1 and name in properties:
                duplicated.append(Violation("request", op_id, ("body", name), "Field sent more than once", "multiple"))
    return duplicated + detail_from_schema_errors("request", op_id, ("body",), tools.errors(schema, instance))


_FORM_NAME = re.compile(rb'(?:^|;)\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))', re.IGNORECASE)


def form_parts(body: bytes, content_type: str) -> list[tuple[str, bytes]]:
    """The (name, content) of each part of a multipart body, field names read as the API (Starlette) reads them.

    A name is UTF-8, or Latin-1 where it is not: every distinct name on the wire stays distinct (the
    API ignores fields it does not know). openapi-core's reader decodes names as ASCII and turns every
    other byte into U+FFFD, so ``\xff`` and ``é`` became one name "sent more than once".
    """
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser().parsebytes(head + body)
    if not message.is_multipart():
        raise ValueError("not a multipart body")
    parts: list[tuple[str, bytes]] = []
    for part in message.get_payload():
        if not isinstance(part, email.message.Message):
            raise ValueError("a part is not a MIME part")
        disposition = next((v for k, v in part.raw_items() if k.lower() == "content-disposition"), "")
        found = _FORM_NAME.search(str(disposition).encode("ascii", "surrogateescape"))
        if found is None:
            raise ValueError("a part has no name in its Content-Disposition")
        raw = re.sub(rb"\\(.)", rb"\1", found.group(1)) if found.group(1) is not None else found.group(2)
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            name = raw.decode("latin-1")
        payload = part.get_payload(decode=True)
        parts.append((name, payload if isinstance(payload, bytes) else b""))
    return parts


def _allows(tools: SchemaTools, schema: Mapping[str, Any], kind: str) -> bool:
    declared = schema.get("type")
    if declared == kind or (isinstance(declared, list) and kind in declared):
        return True
    options = [*schema.get("anyOf", []), *schema.get("oneOf", [])]
    return any(_allows(tools, tools.resolve(o), kind) for o in options)


def _typed(tools: SchemaTools, schema: Mapping[str, Any], text: str) -> Any:
    candidates: list[Any] = [text]
    for convert in (int, float):
        try:
            candidates.append(convert(text))
        except ValueError:
            pass
    # the API (FastAPI) reads form booleans case-insensitively: clients send "true" or Python's "True"
    literals: dict[str, Any] = {"true": True, "false": False, "null": None}
    if text.lower() in literals:
        candidates.append(literals[text.lower()])
    for candidate in candidates:
        if tools.is_valid(schema, candidate):
            return candidate
    return text


def _undecodable_json(op_id: str, body: bytes, content_type: str) -> list[Violation]:
    media = content_type.split(";", 1)[0].strip().lower()
    if not body or not (media == "application/json" or media.endswith("+json")):
        return []
    try:
        json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return [Violation("request", op_id, ("body",), f"body is not UTF-8: {exc.reason}", "json_invalid")]
    except ValueError as exc:
        return [Violation("request", op_id, ("body",), f"JSON decode error: {exc}", "json_invalid")]
    return []


def _describe(op_id: str, error: Exception) -> list[Violation]:
    if isinstance(error, MissingRequiredParameter):
        return [Violation("request", op_id, (error.location, error.name), "Field required", "missing")]
    if isinstance(error, ParameterValidationError):
        loc: tuple[str | int, ...] = (error.location, error.name)
        schema_errors = getattr(error.__cause__, "schema_errors", None)
        if schema_errors:
            return [_from_schema_error(op_id, loc, e) for e in schema_errors]
        return [Violation("request", op_id, loc, _parsing_message(error), "parsing")]
    if isinstance(error, MissingRequiredRequestBody):
        return [Violation("request", op_id, ("body",), "Field required", "missing")]
    if isinstance(error, InvalidRequestBody):
        schema_errors = getattr(error.__cause__, "schema_errors", None)
        if schema_errors:
            return [_from_schema_error(op_id, ("body",), e) for e in schema_errors]
        return [Violation("request", op_id, ("body",), str(error.__cause__ or error), "body_invalid")]
    return [Violation("request", op_id, ("request",), str(error.__cause__ or error), type(error).__name__)]


def _parsing_message(error: ParameterValidationError) -> str:
    """openapi-core's DeserializeError reads ``('form', 'metadata')``; say what could not be read, and why."""
    cause = error.__cause__
    if cause is None:
        return str(error)
    if type(cause).__name__ == "DeserializeError" and len(cause.args) == 2:
        reason = f": {cause.__cause__}" if cause.__cause__ is not None else ""
        return f"value cannot be read as the description's {cause.args[0]!r} style says{reason}"
    return str(cause)


def _from_schema_error(op_id: str | None, prefix: tuple[str | int, ...], error: SchemaValidationError) -> Violation:
    loc = (*prefix, *error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, Mapping):
        # jsonschema yields one error per missing property, naming it only in the message
        missing = [n for n in error.validator_value if n not in error.instance and error.message.startswith(repr(n))]
        if missing:
            return Violation("request", op_id, (*loc, missing[0]), "Field required", "missing")
    return Violation("request", op_id, loc, error.message, str(error.validator))


def detail_from_schema_errors(
    kind: ViolationKind, op_id: str | None, prefix: tuple[str | int, ...], errors: Iterable[SchemaValidationError]
) -> list[Violation]:
    out = []
    for error in errors:
        v = _from_schema_error(op_id, prefix, error)
        out.append(Violation(kind, v.operation_id, v.loc, v.msg, v.type))
    return out
