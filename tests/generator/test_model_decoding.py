"""Generated models over every schema of our spec: requests carry only what was given; decoding is
lossless and tolerant of what the real API sends (nulls for absent fields, fields newer than the spec),
and fails only on a missing required field or a wrong type, naming the field's path."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mistral_sdk.models as models
from mistral_sdk._generated.types import UNSET, DecodeError
from mistral_sdk.testing._schemas import SchemaTools

SPEC_PATH = Path(models.__file__).parent / "_generated" / "openapi.json"
_REF = "#/components/schemas/"
_METHODS = ("get", "put", "post", "delete", "patch")


@cache
def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


@cache
def _tools() -> SchemaTools:
    return SchemaTools(_spec())


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@cache
def _classes() -> dict[str, type]:
    """Generated model classes by squashed name (the generator's class names are the components' names)."""
    found: dict[str, type] = {}
    for name in models.__all__:
        value = getattr(models, name)
        if isinstance(value, type) and hasattr(value, "from_dict") and hasattr(value, "closed_schema"):
            found[_squash(name)] = value
    return found


def _model_of(component: str) -> type | None:
    return _classes().get(_squash(component))


def _merged(schema: dict[str, Any]) -> dict[str, Any]:
    """``allOf`` parts merged into one object schema (properties and required lists joined)."""
    schema = _tools().resolve(schema)
    if "allOf" not in schema:
        return schema
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    properties = dict(merged.get("properties", {}))
    required = list(merged.get("required", []))
    for part in schema["allOf"]:
        resolved = _merged(part)
        properties.update(resolved.get("properties", {}))
        required += [key for key in resolved.get("required", []) if key not in required]
        for key, value in resolved.items():
            merged.setdefault(key, value)
    return {**merged, "type": "object", "properties": properties, "required": required}


def _object_schema(component: str) -> dict[str, Any] | None:
    schema = _merged({"$ref": _REF + component})
    if schema.get("type") == "object" and "properties" in schema and not any(k in schema for k in ("oneOf", "anyOf")):
        return schema
    return None


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF):
            yield ref[len(_REF) :]
        for key, value in node.items():
            if key not in ("example", "examples", "default", "const", "enum"):
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _closure(roots: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    schemas = _spec()["components"]["schemas"]
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo.extend(_refs(schemas[name]))
    return seen


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in _spec()["paths"].items():
        for method in _METHODS:
            if isinstance(item.get(method), dict):
                yield path, method, item[method]


@cache
def response_models() -> list[tuple[str, type, dict[str, Any]]]:
    """(component, class, schema) for every object schema a response (JSON or a stream's events) can hold."""
    roots: set[str] = set()
    for _, _, operation in _operations():
        for status, response in operation.get("responses", {}).items():
            if str(status).startswith("2"):
                roots.update(_refs(response.get("content", {})))
    found = []
    for component in sorted(_closure(roots)):
        schema = _object_schema(component)
        cls = _model_of(component)
        if schema is not None and cls is not None:
            found.append((component, cls, schema))
    return found


@cache
def request_models() -> list[tuple[str, type, dict[str, Any]]]:
    """(operation, class, schema) for every operation with a JSON request body that is a model."""
    found = []
    for path, method, operation in _operations():
        content = operation.get("requestBody", {}).get("content", {})
        ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
        if not ref.startswith(_REF):
            continue
        component = ref[len(_REF) :]
        schema = _object_schema(component)
        cls = _model_of(component)
        if schema is not None and cls is not None:
            found.append((f"{method.upper()} {path}", cls, schema))
    return found


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    body = _tools().synthesize(schema)
    assert isinstance(body, dict)
    return body


def _comparable(value: Any) -> Any:
    """JSON as the API means it: ISO times written ``Z`` or ``+00:00`` are the same instant."""
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)", value):
        return value.replace("Z", "+00:00")
    return value


def test_the_spec_reaches_the_models() -> None:
    # Guards the two tables below against silently shrinking (a renamed class, a moved spec).
    assert len(response_models()) >= 100
    assert len(request_models()) >= 20
    names = {component for component, _, _ in response_models()}
    assert {"ChatCompletionResponse", "CompletionChunk", "UsageInfo", "EmbeddingResponse"} <= names


# ---- requests: exactly what the caller said ----


@pytest.mark.parametrize(("operation", "cls", "schema"), request_models(), ids=[o for o, _, _ in request_models()])
def test_request_with_only_required_fields_sends_only_them(operation: str, cls: Any, schema: dict[str, Any]) -> None:
    required = set(schema.get("required", []))
    full = _body(schema)
    given = {key: value for key, value in full.items() if key in required}
    assert cls.from_dict(given).to_dict().keys() == required, operation


def test_chat_request_sends_no_spec_defaults() -> None:
    from mistral_sdk.models import ChatCompletionRequest, UserMessage

    request = ChatCompletionRequest(model="mistral-small-latest", messages=[UserMessage(content="hi")])
    assert request.to_dict() == {"model": "mistral-small-latest", "messages": [{"role": "user", "content": "hi"}]}
    assert request.parallel_tool_calls is UNSET  # the spec's default (true) is the server's business
    assert request.tool_choice is UNSET  # the spec's default ("auto") too
    assert "Default: True" in (ChatCompletionRequest.__doc__ or "")


def test_helper_request_sends_only_what_was_given() -> None:
    from mistral_sdk._helpers import new_chat_completion_request
    from mistral_sdk.models import UserMessage

    request = new_chat_completion_request("mistral-small-latest", [UserMessage(content="hi")], temperature=0.2)
    assert request.to_dict().keys() == {"model", "messages", "temperature"}


def test_none_means_not_given_unless_the_field_is_nullable() -> None:
    from mistral_sdk.models import ChatCompletionRequest, UserMessage

    fields: Any = {"parallel_tool_calls": None, "response_format": None, "tool_choice": None, "max_tokens": None}
    request = ChatCompletionRequest(model="m", messages=[UserMessage(content="hi")], **fields)
    body = request.to_dict()
    # parallel_tool_calls, response_format and tool_choice do not allow null: None is "not given";
    # max_tokens is nullable: sent as null.
    assert body == {"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": None}


# ---- responses: lossless and tolerant ----


@pytest.mark.parametrize(("component", "cls", "schema"), response_models(), ids=[c for c, _, _ in response_models()])
def test_valid_body_round_trips_unchanged(component: str, cls: Any, schema: dict[str, Any]) -> None:
    body = _body(schema)
    assert _comparable(cls.from_dict(body).to_dict()) == _comparable(body), component


def _optional_keys(schema: dict[str, Any], body: dict[str, Any]) -> list[str]:
    required = set(schema.get("required", []))
    return sorted(key for key in body if key not in required)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_decoding_tolerates_nulls_drops_and_extras(data: st.DataObject) -> None:
    component, cls, schema = data.draw(st.sampled_from(response_models()), label="schema")
    body = _body(schema)
    required = sorted(set(schema.get("required", [])) & body.keys())
    optional = _optional_keys(schema, body)
    extra = data.draw(st.sampled_from([1, "x", None, [1, {"a": None}], {"nested": True}]), label="extra value")
    actions = ["extra"] + (["null", "drop"] if optional else []) + (["drop required"] if required else [])
    action = data.draw(st.sampled_from(actions), label="action")
    if action == "drop required":
        key = data.draw(st.sampled_from(required), label="key")
        del body[key]
        with pytest.raises(DecodeError) as caught:
            cls.from_dict(body)
        assert caught.value.path == key, (component, str(caught.value))
        return
    if action == "extra":
        body["x_field_newer_than_the_spec"] = extra
        decoded = cls.from_dict(body)
        assert decoded.additional_properties["x_field_newer_than_the_spec"] == extra
        assert decoded.to_dict()["x_field_newer_than_the_spec"] == extra
        return
    key = data.draw(st.sampled_from(optional), label="key")
    if action == "null":
        body[key] = None
    else:
        del body[key]
    decoded = cls.from_dict(body)  # never raises
    written = decoded.to_dict()
    if action == "drop":
        assert key not in written, (component, key)
    else:
        # a null the spec allows is kept; one it does not allow reads as absent
        assert written.get(key, "absent") in (None, "absent"), (component, key)


def test_null_usage_on_a_streamed_chunk_reads_as_absent() -> None:
    from mistral_sdk.models import CompletionChunk

    chunk = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "model": "m",
        "created": 1,
        "usage": None,
        "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": None}],
    }
    decoded = CompletionChunk.from_dict(chunk)
    assert decoded.usage is UNSET
    assert "usage" not in decoded.to_dict()


def test_unknown_fields_survive_a_closed_model_and_a_round_trip() -> None:
    from mistral_sdk.models import UsageInfo

    usage = UsageInfo.from_dict({"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3, "request_count": 4})
    assert usage.additional_properties == {"request_count": 4}
    assert usage.to_dict()["request_count"] == 4
    closed = [cls for _, cls, _ in response_models() if getattr(cls, "closed_schema", False)]
    assert closed, "the spec has closed response schemas"


CHAT_REPLY = {
    "id": "cmpl-1",
    "object": "chat.completion",
    "model": "m",
    "created": 1,
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hi"}}],
}


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (lambda b: b["choices"][0]["message"].update(content=5), "choices[0].message.content", "fits no member"),
        (lambda b: b["choices"][0].pop("index"), "choices[0].index", "missing"),
        (lambda b: b["usage"].update(total_tokens="2"), "usage.total_tokens", "expected an integer, got str"),
        (lambda b: b.update(created=None), "created", "expected an integer, got NoneType"),
        (lambda b: b.update(choices={}), "choices", "expected an array, got dict"),
        (lambda b: b.update(usage=[]), "usage", "expected an object, got list"),
    ],
)
def test_decode_errors_name_the_field_path(change: Any, path: str, reason: str) -> None:
    from mistral_sdk.models import ChatCompletionResponse

    body = json.loads(json.dumps(CHAT_REPLY))
    change(body)
    with pytest.raises(DecodeError) as caught:
        ChatCompletionResponse.from_dict(body)
    assert caught.value.path == path
    assert reason in caught.value.reason
    assert str(caught.value).startswith(path + ": ")
