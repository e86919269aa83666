"""``#/$defs/Name`` references inside an OpenAPI description, read as JSON Schema intends (nearest ``$defs``).

One pass serves the generator (generator/preprocess.py) and the mock server (``prepare``): Mistral's 2026-08
description embeds its speech event definitions this way, and both must follow them.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from generator.preprocess import SpecError as PipelineError
from generator.preprocess import resolve_local_defs as pipeline_pass
from mistral_sdk.testing import MockServer, SpecError
from mistral_sdk.testing._local_defs import resolve_local_defs


def _spec(answer: dict[str, Any], components: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/v1/tick": {
                "get": {
                    "operationId": "tick",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": answer}}}},
                }
            }
        },
        "components": {"schemas": components or {}},
    }


def _answer(spec: dict[str, Any]) -> Any:
    return spec["paths"]["/v1/tick"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


COUNT = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}


def test_a_free_name_becomes_a_component() -> None:
    spec = _spec({"$ref": "#/$defs/Count", "$defs": {"Count": COUNT}})
    resolve_local_defs(spec)
    assert _answer(spec) == {"$ref": "#/components/schemas/Count"}
    assert spec["components"]["schemas"]["Count"] == COUNT


def test_the_nearest_enclosing_defs_wins() -> None:
    inner = {"type": "string"}
    answer = {
        "type": "object",
        "$defs": {"Item": COUNT},
        "properties": {"a": {"$defs": {"Item": inner}, "items": {"$ref": "#/$defs/Item"}, "type": "array"}},
    }
    spec = _spec(answer, {"Item": {"type": "boolean"}})  # the name is taken by a different component
    resolve_local_defs(spec)
    assert _answer(spec)["properties"]["a"]["items"] == inner  # written in place, no name invented
    assert spec["components"]["schemas"]["Item"] == {"type": "boolean"}


def test_an_identical_component_is_reused_and_discriminator_mappings_follow() -> None:
    answer = {
        "oneOf": [{"$ref": "#/$defs/Count"}],
        "discriminator": {"propertyName": "n", "mapping": {"1": "#/$defs/Count"}},
        "$defs": {"Count": COUNT},
    }
    spec = _spec(answer, {"Count": copy.deepcopy(COUNT)})
    resolve_local_defs(spec)
    assert _answer(spec)["oneOf"] == [{"$ref": "#/components/schemas/Count"}]
    assert _answer(spec)["discriminator"]["mapping"] == {"1": "#/components/schemas/Count"}


def test_a_reference_to_nothing_is_an_error_naming_it() -> None:
    spec = _spec({"$ref": "#/$defs/Missing"})
    with pytest.raises(SpecError, match=r"dangling reference #/\$defs/Missing"):
        resolve_local_defs(spec)


def test_the_pipeline_reports_it_as_its_own_error() -> None:
    with pytest.raises(PipelineError, match="Missing"):
        pipeline_pass(_spec({"$ref": "#/$defs/Missing"}))


def test_the_mock_serves_a_description_with_embedded_defs() -> None:
    spec = _spec({"$ref": "#/$defs/Count", "$defs": {"Count": COUNT}})
    with MockServer(spec) as server:
        answer = httpx.get(f"{server.url}/v1/tick", timeout=10)
    assert answer.status_code == 200
    assert isinstance(answer.json()["n"], int)
    server.assert_no_violations()
