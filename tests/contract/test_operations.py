"""Every call the spec defines, made through the SDK against the mock: valid requests, typed results.

Parametrized from openapi.yaml itself, so an operation added to the spec fails here until it has a case.
"""

from __future__ import annotations

import pytest

from mistral_sdk.testing import MockServer
from mistral_sdk.testing._schemas import SchemaTools

from .cases import CASES, case_for
from .derive import CaseSynthesisError, RequiredOnly
from .sdk_adapter import LAYERS, Caller, generated_model
from .spec_facts import (
    REFERENCE_SPEC,
    call_variants,
    event_model_name,
    expected_event_data_types,
    expected_result_types,
    final_event,
    is_completion_stream,
    operation_ids,
    our_document,
)

pytestmark = pytest.mark.contract

DOCUMENT = our_document()
VARIANTS = call_variants(DOCUMENT)
TOOLS = SchemaTools(DOCUMENT)
SYNTHESIZER = RequiredOnly(DOCUMENT)


def test_every_case_belongs_to_a_call_of_the_spec() -> None:
    assert set(CASES) - set(VARIANTS) == set()


def _calls() -> list[tuple[str, str, str]]:
    """(mock, layer, call): every call through both layers against our spec's mock; through the public client
    against the reference's mock, every call of an operation the reference describes (it no longer lists the
    deprecated fine-tuning jobs we keep). The client builds its requests with the generated layer's code, so
    the generated layer alone adds nothing against the second oracle (and would cost a quarter of the tier)."""
    in_reference = operation_ids(REFERENCE_SPEC)
    triples = [("our-spec", layer, key) for key in sorted(VARIANTS) for layer in LAYERS]
    triples += [
        ("reference-spec", "facade", key)
        for key in sorted(VARIANTS)
        if not in_reference or VARIANTS[key][0].operation_id in in_reference
    ]
    return triples


def test_the_reference_lacks_only_the_operations_we_keep() -> None:
    in_reference = operation_ids(REFERENCE_SPEC)
    if not in_reference:
        pytest.skip(f"reference spec not present at {REFERENCE_SPEC}")
    ours = {op.operation_id for op, _ in VARIANTS.values()}
    missing = sorted(ours - in_reference)
    deprecated = sorted(op.operation_id for op, _ in VARIANTS.values() if op.definition.get("deprecated"))
    assert missing and set(missing) <= set(deprecated), missing
    assert in_reference <= ours


@pytest.mark.parametrize(("mock", "layer", "key"), _calls())
def test_call_through_the_sdk(mock: str, layer: str, key: str, contract_mock: MockServer, sdk: Caller) -> None:
    op, streaming = VARIANTS[key]
    try:
        case = case_for(SYNTHESIZER, op, key, streaming)
    except CaseSynthesisError as exc:
        pytest.fail(f"no contract case for {key}: {exc}; fix the synthesis or add one to tests/contract/cases.py")
    if streaming:
        chunks = sdk.call_stream(op.operation_id, case, generated_model(event_model_name(op)))
        assert chunks, "the stream yielded nothing"
        assert chunks[-1].is_last_chunk
        wanted = expected_event_data_types(TOOLS, op)
        models = [c.to_model() if hasattr(c, "to_model") else c.data for c in chunks]
        assert {type(m).__name__ for m in models} <= wanted
        last = models[-1]
        ending = final_event(TOOLS, op)
        if is_completion_stream(TOOLS, op):  # completion chunks: the last one says why it stopped and its cost
            finish_reason = last.choices[0].finish_reason
            assert getattr(finish_reason, "value", finish_reason) == "stop"
            assert last.usage.total_tokens > 0
        elif ending is not None:  # named events: exactly one closing event, last, after the content events
            tag, model_name = ending
            assert [c.event for c in chunks].count(tag) == 1
            assert chunks[-1].event == tag
            assert type(last).__name__ == model_name
            assert len(chunks) > 1
            assert last.usage.total_tokens > 0
        # else: progress events with no closing one (workflows, logs): typed events, then a clean end
    else:
        result = sdk.call_json(op.operation_id, case)
        assert result.status == int(op.success_status)
        # the facade may answer with the SDK's subclass of the generated type (``ChatCompletion``)
        expected = expected_result_types(TOOLS, op)
        assert any(cls.__name__ in expected for cls in type(result.parsed).__mro__), result.parsed
    contract_mock.assert_no_violations()
    assert [(r.operation_id, r.stream) for r in contract_mock.requests] == [(op.operation_id, streaming)]
