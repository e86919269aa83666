"""An oracle independent of our mock's validator: Prism checks each non-streaming call and its answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mistral_sdk.testing import MockServer, ScriptedResponse

from .cases import case_for
from .derive import CaseSynthesisError, RequiredOnly
from .prism import PRISM_DIR, prism_document, prism_proxy
from .sdk_adapter import sdk_caller
from .spec_facts import OUR_SPEC, call_variants, our_document

pytestmark = pytest.mark.contract

DOCUMENT = our_document()
SYNTHESIZER = RequiredOnly(DOCUMENT)
JSON_CALLS = sorted(key for key, (_, streaming) in call_variants(DOCUMENT).items() if not streaming)


@pytest.fixture(scope="session")
def prism_upstream() -> Iterator[MockServer]:
    with MockServer(OUR_SPEC) as server:
        yield server


@pytest.fixture(scope="session")
def prism_url(prism_upstream: MockServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Started once per session (about 3 s)."""
    with prism_proxy(DOCUMENT, prism_upstream.url, tmp_path_factory.mktemp("prism")) as url:
        yield url


@pytest.mark.parametrize("key", JSON_CALLS)
def test_call_through_prism_has_no_violations(key: str, prism_url: str, prism_upstream: MockServer) -> None:
    """Through the public client, which sends what the generated layer's request code builds."""
    op, _ = call_variants(DOCUMENT)[key]
    try:
        case = case_for(SYNTHESIZER, op, key, streaming=False)
    except CaseSynthesisError as exc:
        pytest.fail(f"no contract case for {key}: {exc}; fix the synthesis or add one to tests/contract/cases.py")
    prism_upstream.reset()
    with sdk_caller("facade", prism_url) as sdk:
        result = sdk.call_json(op.operation_id, case)
    assert result.status == int(op.success_status), result.parsed
    assert "sl-violations" not in result.headers
    assert [r.operation_id for r in prism_upstream.requests] == [op.operation_id]
    prism_upstream.assert_no_violations()


def test_prism_document_merges_stream_paths_and_flattens_sse_bodies() -> None:
    sse = {"text/event-stream": {"schema": {"$ref": "#/components/schemas/Event"}}}
    document: dict[str, Any] = {
        "paths": {
            "/v1/talks": {"post": {"operationId": "talk", "responses": {"200": {"content": {"application/json": {}}}}}},
            "/v1/talks#stream": {"post": {"operationId": "talk_stream", "responses": {"200": {"content": sse}}}},
            "/v1/only#stream": {"get": {"operationId": "only", "responses": {"200": {"content": sse}}}},
        }
    }
    derived = prism_document(document)
    assert set(derived["paths"]) == {"/v1/talks", "/v1/only"}
    content = derived["paths"]["/v1/talks"]["post"]["responses"]["200"]["content"]
    assert content == {"application/json": {}, "text/event-stream": {"schema": {"type": "string"}}}
    assert derived["paths"]["/v1/only"]["get"]["operationId"] == "only"
    assert document["paths"]["/v1/talks#stream"]["post"]["responses"]["200"]["content"] == sse  # input untouched


def test_prism_itself_rejects_a_bad_request_and_a_bad_answer(prism_url: str, prism_upstream: MockServer) -> None:
    """Keeps the oracle honest: with ``--errors`` Prism must refuse what violates the description."""
    prism_upstream.reset()
    headers = {"Authorization": "Bearer k"}
    bad_request = httpx.post(f"{prism_url}/v1/embeddings", json={"model": 5}, headers=headers, timeout=10)
    assert bad_request.status_code == 422, bad_request.text
    prism_upstream.enqueue(ScriptedResponse(json={"object": "list", "data": "not a list"}))
    bad_answer = httpx.post(
        f"{prism_url}/v1/embeddings", json={"model": "m", "input": ["x"]}, headers=headers, timeout=10
    )
    assert bad_answer.status_code == 500, bad_answer.text


def test_the_lockfile_pins_prism_exactly() -> None:
    lock = json.loads((PRISM_DIR / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/@stoplight/prism-cli"]["version"] == "5.16.0"
    manifest = json.loads((PRISM_DIR / "package.json").read_text())
    assert manifest["dependencies"] == {"@stoplight/prism-cli": "5.16.0"}


def test_prism_document_reads_queries_and_forms_as_the_api() -> None:
    derived = prism_document(DOCUMENT)
    sources = next(p for p in derived["paths"]["/v1/agents"]["get"]["parameters"] if p["name"] == "sources")
    assert sources["schema"]["type"] == "array"  # anyOf [array, null] read as the array
    form = derived["paths"]["/v1/audio/transcriptions"]["post"]["requestBody"]["content"]["multipart/form-data"]
    stream = form["schema"]["properties"]["stream"]["anyOf"]
    assert stream[1] == {"type": "string", "enum": ["False"]}  # const false: only "False" is added
    assert "anyOf" in form["schema"]["properties"]["timestamp_granularities"]
