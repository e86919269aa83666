"""Keeps the mock honest: schemathesis' example and fuzzing phases against every operation, all checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mistral_sdk.testing import MockServer

from .cases import case_for
from .derive import RequiredOnly
from .schemathesis_run import TIMEOUT, CaseExample, run_schemathesis, schemathesis_document
from .spec_facts import OUR_SPEC, call_variants, our_document

pytestmark = pytest.mark.contract

API_KEY = "schemathesis-key"


def contract_examples(document: dict[str, Any]) -> dict[str, list[CaseExample]]:
    """Every call's contract case (a synthesis failure is an error here too), by operation id."""
    tools = RequiredOnly(document)
    examples: dict[str, list[CaseExample]] = {}
    for key, (op, streaming) in sorted(call_variants(document).items()):
        case = case_for(tools, op, key, streaming)
        examples.setdefault(op.operation_id, []).append((dict(case.params), case.body))
    return examples


@pytest.mark.timeout(TIMEOUT + 60)  # above the run's own limit: that one fails first, with its output
def test_schemathesis_examples_and_fuzzing_pass_against_the_mock(tmp_path: Path) -> None:
    document = our_document()
    with MockServer(OUR_SPEC, api_key=API_KEY) as server:
        result = run_schemathesis(document, server.url, API_KEY, tmp_path, cases=contract_examples(document))
        operations = {r.operation_id for r in server.requests}
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "failed" not in output.split("SUMMARY", 1)[-1], output[-3000:]
    skipped = {op.operation_id for op in server.operations} - operations
    assert skipped == set(), "schemathesis made no call of these operations"


def test_derivation_leaves_the_spec_alone_and_reads_sse_data_as_json() -> None:
    document = our_document()
    before = repr(document)
    derived = schemathesis_document(document)
    assert repr(document) == before
    chat = derived["paths"]["/v1/chat/completions"]["post"]["responses"]
    assert {"401", "422"} <= set(chat)
    data = chat["200"]["content"]["text/event-stream"]["schema"]["properties"]["data"]
    assert data["anyOf"][0] == {"const": "[DONE]"}
    assert data["anyOf"][1]["contentMediaType"] == "application/json"


def test_derivation_lets_a_stream_operation_answer_as_its_json_twin() -> None:
    """Same URL, the body's ``stream`` decides: ``#stream`` takes stream false and then answers JSON."""
    derived = schemathesis_document(our_document())
    stream_op = derived["paths"]["/v1/conversations#stream"]["post"]
    body = stream_op["requestBody"]["content"]["application/json"]["schema"]
    streams = [part["properties"]["stream"] for part in body["allOf"] if "stream" in part.get("properties", {})]
    assert {"type": "boolean"} in streams
    assert all(s.get("enum") != [True] for s in streams)
    assert set(stream_op["responses"]["200"]["content"]) == {"application/json", "text/event-stream"}
    form = derived["paths"]["/v1/audio/transcriptions"]["post"]["requestBody"]["content"]["multipart/form-data"]
    granularities = form["schema"]["properties"]["timestamp_granularities"]["anyOf"]
    assert granularities[0]["type"] == "array" and granularities[1] == granularities[0]["items"]


def test_derivation_adds_each_contract_case_as_an_example_and_reads_queries_as_the_api() -> None:
    document = our_document()
    cases = contract_examples(document)
    derived = schemathesis_document(document, cases)
    stream_body = derived["paths"]["/v1/conversations#stream"]["post"]["requestBody"]["content"]["application/json"]
    (stream_case,) = cases["agents_api_v1_conversations_start_stream"]
    assert stream_body["examples"]["contract_case_0"] == {"value": stream_case[1]}
    assert stream_case[1]["stream"] is True
    chat = derived["paths"]["/v1/chat/completions"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    assert {"simple", "contract_case_0", "contract_case_1"} <= set(chat)  # the spec's own examples stay
    params = {p["name"]: p for p in derived["paths"]["/v1/files/{file_id}"]["get"]["parameters"]}
    assert set(params["file_id"]["examples"]) == {"contract_case_0"}
    listing = {p["name"]: p for p in derived["paths"]["/v1/files"]["get"]["parameters"]}
    assert listing["mimetypes"]["schema"] == {"type": "array", "items": {"type": "string"}}
