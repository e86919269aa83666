"""Schemathesis (``--phases examples,coverage``) against the mock, on a derived copy of the spec.

The derivation only restates, in terms schemathesis checks, what the description already means or
what the API does but the description leaves out; each rule is a fact, none hides a mock behaviour:

- every operation may answer 401 (missing or wrong key) and 422 (invalid input): the API does, the
  description declares 422 for most operations and 401 for none;
- a discriminated union's options require the discriminator property: OpenAPI 3.1 says so, the
  mock's validator enforces it, schemathesis ignores discriminators;
- an SSE event's ``data`` is a JSON text (``contentMediaType``/``contentSchema``, the OpenAPI 3.2
  way schemathesis reads events) whose schema is the described one, or the ``[DONE]`` sentinel;
- a ``#stream`` operation shares its URL and method with a JSON operation, and the body's ``stream``
  field decides which one a request is: to schemathesis, each ``#stream`` operation also takes
  ``stream: false`` (or no ``stream``) and then answers as the JSON operation does.

- query parameters are text, and an absent one is null: each is read as the API (and the mock, and
  Prism's copy) reads it, ``anyOf [X, null]`` as ``X`` (``normalize_query``); otherwise schemathesis
  sends ``?mimetypes=false`` as a "boolean, not an array" and calls its acceptance a bug, while on the
  wire it is the one-item list ``["false"]``;
- every call's contract case (hand-written or derived from the spec, ``cases.case_for``) is one more
  named example of its request body and parameters, so the examples phase makes at least one valid
  call of every operation, ``#stream`` ones with ``stream: true``, whatever the random budget of the
  fuzzing phase draws.

One kind of test is turned off where it cannot hold, by a config file written next to the derived
spec: other methods than the described one (``unexpected-methods``) for ``#stream`` operations.
Schemathesis takes ``/v1/conversations#stream`` for a resource of its own; on the wire it is
``/v1/conversations``, whose other methods exist and whose ``Allow`` lists them.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mistral_sdk.testing._spec import HTTP_METHODS, SSE_MEDIA_TYPE, normalize_query, operations_of

_ANY_OBJECT = {"application/json": {"schema": {"type": "object"}}}


def _resolve_local(document: Mapping[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


CASE_EXAMPLE = "contract_case"


CaseExample = tuple[Mapping[str, Any], Any]
"""The parameters and the JSON-like body of one contract case."""


def schemathesis_document(
    document: Mapping[str, Any], cases: Mapping[str, list[CaseExample]] | None = None
) -> dict[str, Any]:
    """``cases``: operation id -> its contract cases (the JSON call's and the stream's), added as named examples."""
    derived = copy.deepcopy(dict(document))
    for item in derived.get("paths", {}).values():
        normalize_query(item.get("parameters"))
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            normalize_query(operation.get("parameters"))
            if cases and operation.get("operationId") in cases:
                for number, (params, body) in enumerate(cases[operation["operationId"]]):
                    _with_case_example(operation, f"{CASE_EXAMPLE}_{number}", params, body)
            responses = operation.setdefault("responses", {})
            responses.setdefault("401", {"description": "Missing or wrong API key.", "content": _ANY_OBJECT})
            responses.setdefault("422", {"description": "Invalid request.", "content": _ANY_OBJECT})
            for response in responses.values():
                media = response.get("content", {}).get(SSE_MEDIA_TYPE)
                if media is not None and "schema" in media:
                    media["schema"] = _event_with_json_data(derived, media["schema"])
    for node in list(_walk(derived.get("components", {}))):
        discriminator = node.get("discriminator")
        if not isinstance(discriminator, dict):
            continue
        prop = discriminator["propertyName"]
        for union in ("oneOf", "anyOf"):
            if isinstance(node.get(union), list):
                node[union] = [{"allOf": [option], "required": [prop]} for option in node[union]]
    _streams_share_their_base_url(derived)  # after the components' derivation: it inlines copies of them
    _forms_as_read(derived)
    return derived


def _streams_share_their_base_url(document: dict[str, Any]) -> None:
    paths: dict[str, Any] = document.get("paths", {})
    for key, item in paths.items():
        base = paths.get(key.split("#", 1)[0]) if "#" in key else None
        if not isinstance(base, dict):
            continue
        for method in HTTP_METHODS:
            stream_op, json_op = item.get(method), base.get(method)
            if not isinstance(stream_op, dict) or not isinstance(json_op, dict):
                continue
            for media in (stream_op.get("requestBody") or {}).get("content", {}).values():
                if "schema" in media:
                    media["schema"] = _stream_field_free(document, media["schema"])
            success = _success(stream_op)
            json_content = _success(json_op).get("content", {})
            success.setdefault("content", {}).update({m: v for m, v in json_content.items() if m != SSE_MEDIA_TYPE})


def _with_case_example(operation: dict[str, Any], name: str, params: Mapping[str, Any], body: Any) -> None:
    for param in operation.get("parameters", []):
        if "$ref" not in param and param.get("name") in params and "example" not in param:
            param.setdefault("examples", {})[name] = {"value": params[param["name"]]}
    content = (operation.get("requestBody") or {}).get("content", {})
    for media in content.values():
        if body is None or "schema" not in media:
            continue
        examples = media.setdefault("examples", {})
        if "example" in media:
            examples["spec"] = {"value": media.pop("example")}
        examples[name] = {"value": body}


def _forms_as_read(document: dict[str, Any]) -> None:
    for item in document.get("paths", {}).values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            form = ((operation or {}).get("requestBody") or {}).get("content", {}).get("multipart/form-data")
            if not isinstance(form, dict) or "schema" not in form:
                continue
            schema = form["schema"]
            schema = copy.deepcopy(dict(_resolve_local(document, schema["$ref"]) if "$ref" in schema else schema))
            for name, prop in schema.get("properties", {}).items():
                resolved = _resolve_local(document, prop["$ref"]) if "$ref" in prop else prop
                if resolved.get("type") == "array" and "items" in resolved:
                    schema["properties"][name] = {"anyOf": [prop, resolved["items"]]}
            form["schema"] = schema


def _success(operation: Mapping[str, Any]) -> dict[str, Any]:
    responses: dict[str, Any] = operation.get("responses", {})
    status = min((code for code in responses if str(code).startswith("2")), default="200")
    response: dict[str, Any] = responses.setdefault(status, {"description": "Success."})
    return response


def _stream_field_free(document: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """The schema with ``stream`` any boolean, in itself and in its ``allOf`` parts (inlined copies)."""
    resolved = copy.deepcopy(dict(_resolve_local(document, schema["$ref"]) if "$ref" in schema else schema))
    if "stream" in resolved.get("properties", {}):
        resolved["properties"]["stream"] = {"type": "boolean"}
    if isinstance(resolved.get("allOf"), list):
        resolved["allOf"] = [_stream_field_free(document, part) for part in resolved["allOf"]]
    return resolved


def _event_with_json_data(document: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    event = copy.deepcopy(_resolve_local(document, schema["$ref"]) if "$ref" in schema else dict(schema))
    data_schema = event.get("properties", {}).get("data")
    if data_schema is not None:
        event["properties"]["data"] = {
            "anyOf": [
                {"const": "[DONE]"},
                {"type": "string", "contentMediaType": "application/json", "contentSchema": data_schema},
            ]
        }
    return dict(event)


#: The budget grows with the operation count, not with the schemas: the examples phase (the spec's own
#: examples and every call's contract case), then the fuzzing phase with at most MAX_EXAMPLES cases per
#: operation, both generation modes (valid and invalid data). The coverage phase, whose case count the
#: schema decides and schemathesis refuses to cap, is left out: about 10,000 cases for 80 operations
#: (1,500 to 2,000 for each message-list body), a projected 35,000 for 290. Measured (docs/decisions.md):
#: our 80 operations, about 700 cases, 43 s of CPU, 88 s wall at a load of 7; the 288 operations of the
#: 2026-08 reference, 2,552 cases, 106 s of CPU, 367 s wall at a load of 8 to 9. At our 293 operations,
#: five fuzzed cases per operation took 92 s of the suite's critical path on a quiet machine, two take 54 s:
#: two (one valid, one invalid draw, plus every example) keeps ``make check`` inside its time.
PHASES = "examples,fuzzing"
MAX_EXAMPLES = 2
#: Seconds the whole run may take: 2.5 times the 288-operation run at a load of 8 to 9.
TIMEOUT = 900

CONFIG = """\
[[operations]]
include-path-regex = "#"
phases.coverage.unexpected-methods = []
"""


def _json_bytes(value: object) -> str:
    if isinstance(value, bytes):  # a file part's content, sent as the part's text
        return value.decode("latin-1")
    raise TypeError(f"not JSON: {value!r}")


def _key_headers(document: Mapping[str, Any], api_key: str) -> list[str]:
    """``--header`` options carrying the key in every place an operation of ``document`` may read it.

    schemathesis sends one set of headers to every operation; the mock checks only the one each operation
    declares (a bearer token, or an apiKey header such as ``x-api-key``), so each gets what it wants.
    """
    headers = [f"Authorization: Bearer {api_key}"]
    placements = {op.key_header for op in operations_of(document)} - {None}
    headers += [f"{name}: {api_key}" for name in sorted(str(name) for name in placements)]
    return [option for header in headers for option in ("--header", header)]


def run_schemathesis(
    document: Mapping[str, Any],
    base_url: str,
    api_key: str,
    workdir: Path,
    *extra: str,
    cases: Mapping[str, list[CaseExample]] | None = None,
) -> subprocess.CompletedProcess[str]:
    spec_file = workdir / "schemathesis-openapi.json"
    derived = schemathesis_document(document, cases)
    spec_file.write_text(json.dumps(derived, default=_json_bytes), encoding="utf-8")
    config_file = workdir / "schemathesis.toml"
    config_file.write_text(CONFIG, encoding="utf-8")
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(config_file),
        "run",
        str(spec_file),
        "--url",
        base_url,
        "--phases",
        PHASES,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--checks",
        "all",
        *_key_headers(document, api_key),
        "--seed",
        "1",
        "--workers",  # one per core: schemathesis and the mock then overlap (1.5x faster, measured)
        "2",
        "--no-color",
        "--report-dir",
        str(workdir / "report"),
        *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, cwd=workdir, check=False)
