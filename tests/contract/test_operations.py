"""Every call the spec defines, made through the SDK against the mock: valid requests, typed results.

Parametrized from openapi.yaml itself, so an operation added to the spec fails here until it has a case.
"""

from __future__ import annotations

import pytest

from mistral_sdk.testing import MockServer
from mistral_sdk.testing._schemas import SchemaTools

from .cases import CASES, case_for
from .derive import CaseSynthesisError, RequiredOnly
from .sdk_adapter import Caller, generated_model
from .spec_facts import (
    call_variants,
    event_model_name,
    expected_event_data_types,
    expected_result_types,
    final_event,
    our_document,
)

pytestmark = pytest.mark.contract

DOCUMENT = our_document()
VARIANTS = call_variants(DOCUMENT)
TOOLS = SchemaTools(DOCUMENT)
SYNTHESIZER = RequiredOnly(DOCUMENT)


def test_every_case_belongs_to_a_call_of_the_spec() -> None:
    assert set(CASES) - set(VARIANTS) == set()


@pytest.mark.parametrize("key", sorted(VARIANTS))
def test_call_through_the_sdk(key: str, contract_mock: MockServer, sdk: Caller) -> None:
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
        if ending is None:  # completion chunks: the last one says why it stopped and what it cost
            finish_reason = last.choices[0].finish_reason
            assert getattr(finish_reason, "value", finish_reason) == "stop"
        else:  # named events: exactly one closing event, last, after the events that carry the content
            tag, model_name = ending
            assert [c.event for c in chunks].count(tag) == 1
            assert chunks[-1].event == tag
            assert type(last).__name__ == model_name
            assert len(chunks) > 1
        assert last.usage.total_tokens > 0
    else:
        result = sdk.call_json(op.operation_id, case)
        assert result.status == int(op.success_status)
        # the facade may answer with the SDK's subclass of the generated type (``ChatCompletion``)
        expected = expected_result_types(TOOLS, op)
        assert any(cls.__name__ in expected for cls in type(result.parsed).__mro__), result.parsed
    contract_mock.assert_no_violations()
    assert [(r.operation_id, r.stream) for r in contract_mock.requests] == [(op.operation_id, streaming)]
