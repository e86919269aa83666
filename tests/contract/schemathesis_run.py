"""Schemathesis (``--phases examples,coverage``) against the mock, on a derived copy of the spec.

The derivation only restates, in terms schemathesis checks, what the description already means or
what the API does but the description leaves out; each rule is a fact, none hides a mock behaviour:

- every operation may answer 401 (missing or wrong key) and 422 (invalid input): the API does, the
  description declares 422 for most operations and 401 for none;
- a discriminated union's options require the discriminator property: OpenAPI 3.1 says so, the
  mock's validator enforces it, schemathesis ignores discriminators;
- an SSE event's ``data`` is a JSON text (``contentMediaType``/``contentSchema``, the OpenAPI 3.2
  way schemathesis reads events) whose schema is the described one, or the ``[DONE]`` sentinel.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mistral_sdk.testing._spec import HTTP_METHODS, SSE_MEDIA_TYPE

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


def schemathesis_document(document: Mapping[str, Any]) -> dict[str, Any]:
    derived = copy.deepcopy(dict(document))
    for item in derived.get("paths", {}).values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
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
    return derived


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


def run_schemathesis(
    document: Mapping[str, Any], base_url: str, api_key: str, workdir: Path
) -> subprocess.CompletedProcess[str]:
    spec_file = workdir / "schemathesis-openapi.json"
    spec_file.write_text(json.dumps(schemathesis_document(document)), encoding="utf-8")
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        str(spec_file),
        "--url",
        base_url,
        "--phases",
        "examples,coverage",
        "--checks",
        "all",
        "--header",
        f"Authorization: Bearer {api_key}",
        "--seed",
        "1",
        "--no-color",
        "--report-dir",
        str(workdir / "report"),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=workdir, check=False)
