"""The mock serves every operation of a description from the description alone (ours and Mistral's).

Requests are synthesized from each operation's own schemas, so nothing here names an operation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from mistral_sdk.testing import MockServer, Operation, load_spec_document
from mistral_sdk.testing._schemas import SchemaTools
from mistral_sdk.testing._spec import default_spec_path, prepare

from .reference_patches import REFERENCE_PATCHES
from .spec_facts import OLDER_REFERENCE_SPEC, REFERENCE_SPEC

pytestmark = pytest.mark.contract


def test_every_operation_of_our_spec_answers_a_valid_request_with_a_valid_body(mistral_mock: MockServer) -> None:
    """Requests built from each operation's own request schema must pass; nothing here knows any operation."""
    _serve_every_operation(mistral_mock, SchemaTools(load_spec_document(default_spec_path())))


@pytest.mark.parametrize(("reference", "at_least"), [(REFERENCE_SPEC, 280), (OLDER_REFERENCE_SPEC, 170)])
def test_every_operation_of_the_references_is_served_too(reference: Path, at_least: int) -> None:
    """Every operation of Mistral's own descriptions (288 and 173), served with no per-operation code
    (given the patch list of the defects both share)."""
    if not reference.is_file():
        pytest.skip(f"reference spec not present at {reference}")
    tools = SchemaTools(prepare(load_spec_document(reference), REFERENCE_PATCHES))
    with MockServer(reference, patches=REFERENCE_PATCHES) as server:
        assert len(server.operations) >= at_least
        _serve_every_operation(server, tools)


def _serve_every_operation(server: MockServer, tools: SchemaTools) -> None:
    with client(server) as http:
        for op in server.operations:
            path = op.path
            for param in op.definition.get("parameters", []):
                if param.get("in") == "path":
                    path = path.replace("{" + param["name"] + "}", str(tools.synthesize(param["schema"])))
            kwargs = _request_kwargs(tools, op.definition, op.stream_only)
            response = http.request(op.method.upper(), path, headers=_credentials(op), **kwargs)
            assert response.status_code == int(op.success_status), (op.operation_id, response.text)
    server.assert_no_violations()
    assert [r.operation_id for r in server.requests] == [op.operation_id for op in server.operations]


def _request_kwargs(tools: SchemaTools, definition: Any, stream: bool) -> dict[str, Any]:
    """httpx arguments for a request synthesized from the operation's own schemas (JSON or multipart)."""
    kwargs: dict[str, Any] = {}
    query = {
        p["name"]: tools.synthesize(p["schema"])
        for p in definition.get("parameters", [])
        if p.get("in") == "query" and p.get("required")
    }
    if query:
        kwargs["params"] = query
    content = (definition.get("requestBody") or {}).get("content", {})
    if "application/json" in content:
        payload = tools.synthesize(content["application/json"]["schema"])
        if isinstance(payload, dict) and "stream" in payload:
            payload["stream"] = stream
        kwargs["json"] = payload
    elif "multipart/form-data" in content:
        schema = tools.resolve(content["multipart/form-data"]["schema"])
        files: dict[str, Any] = {}
        for name, prop in schema.get("properties", {}).items():
            resolved = tools.resolve(prop)
            if resolved.get("format") == "binary":
                files[name] = ("data.jsonl", b'{"a": 1}\n', "application/jsonl")
            elif name == "stream":
                files[name] = (None, b"true" if stream else b"false", "text/plain")
            elif name in schema.get("required", []) or "enum" in resolved:
                files[name] = (None, str(tools.synthesize(prop)).encode(), "text/plain")
        kwargs["files"] = files
    return kwargs


def client(server: MockServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=10)


def _credentials(op: Operation) -> dict[str, str]:
    """The key where the operation's security scheme wants it: a bearer token, or its own header alone."""
    if op.key_header is None:
        return {"Authorization": "Bearer test-key"}
    return {op.key_header: "test-key"}
