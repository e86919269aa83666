"""Every streaming operation of our spec gets its decoder from its ``text/event-stream`` schema."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

from generator.preprocess import inline_event_schema_name
from mistral_sdk._streaming import COMPLETION_CHUNK_DECODER, decoder_for
from mistral_sdk.testing._spec import load_spec_document

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


def _streaming_schemas() -> list[tuple[str, str]]:
    spec: dict[str, Any] = load_spec_document(SPEC)
    found = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            for response in op["responses"].values():
                schema = ((response.get("content") or {}).get("text/event-stream") or {}).get("schema")
                if schema is not None:
                    # an inline event schema gets the component preprocessing makes of it
                    ref = schema.get("$ref", "")
                    name = ref.rsplit("/", 1)[-1] if ref else inline_event_schema_name(op["operationId"], schema)
                    found.append((f"{method.upper()} {path}", name or ""))
    return found


def _model_class(schema_name: str) -> type[Any]:
    module = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", schema_name).lower()
    cls: type[Any] = getattr(importlib.import_module(f"mistral_sdk._generated.models.{module}"), schema_name)
    return cls


def test_the_spec_has_streaming_operations() -> None:
    assert len(_streaming_schemas()) >= 3  # chat, FIM, agents


@pytest.mark.parametrize(("operation", "schema_name"), _streaming_schemas())
def test_streaming_operation_has_a_decoder(operation: str, schema_name: str) -> None:
    assert schema_name, f"{operation}: the event-stream schema must be a named component"
    decoder = decoder_for(_model_class(schema_name))
    if schema_name == "CompletionEvent":
        assert decoder is COMPLETION_CHUNK_DECODER
    else:
        assert decoder.done_sentinel is None and decoder.name == schema_name
