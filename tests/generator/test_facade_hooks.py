"""The facade generator's issue-14 rules (``generator/facade/hooks.py``), decided from the spec in-process."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from generator.facade import plan
from generator.facade.naming import FacadeError

SPEC = Path(__file__).resolve().parents[2] / "mistral_sdk" / "_generated" / "openapi.json"
PACKAGE = "mistral_sdk._generated"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    return loaded


def _hooks(spec: dict[str, Any]) -> dict[str, Any]:
    return {p.spec.operation_id: p.hooks for p in plan(spec, PACKAGE)}


def test_rules_select_the_operations_of_our_spec(spec: dict[str, Any]) -> None:
    hooks = _hooks(spec)
    paged = {op: h.page_item for op, h in hooks.items() if h.page_item}
    assert paged == {
        "files_api_routes_list_files": "FileSchema",
        "jobs_api_routes_batch_get_batch_jobs": "BatchJob",
        "jobs_api_routes_fine_tuning_get_fine_tuning_jobs": "ClassifierJobOut | CompletionJobOut | UnknownVariant",
        "libraries_documents_list_v1": "Document",
    }  # libraries_list_v1 is not: its ``page`` is deprecated (it pages by token now)
    downloads = {op: h.download_method for op, h in hooks.items() if h.download_method}
    assert downloads == {
        "files_api_routes_download_file": "download_stream",
        "get_voice_sample_audio_v1_audio_voices__voice_id__sample_get": "get_sample_audio_stream",
    }
    files = {op: h.file_keywords for op, h in hooks.items() if h.file_keywords}
    assert files == {
        "audio_api_v1_transcriptions_post": ["file"],
        "audio_api_v1_transcriptions_post_stream": ["file"],
        "files_api_routes_upload_file": ["file"],
        "libraries_documents_upload_v1": ["file"],
    }
    parsing = {op for op, h in hooks.items() if h.parse_methods}
    assert parsing == {"chat_completion_v1_chat_completions_post", "agents_completion_v1_agents_completions_post"}
    assert {op for op, h in hooks.items() if h.result} == parsing


def test_a_new_list_operation_is_paginated_by_regeneration(spec: dict[str, Any]) -> None:
    changed = copy.deepcopy(spec)
    listing = changed["paths"]["/v1/files"]["get"]
    assert _hooks(changed)["files_api_routes_list_files"].page_item == "FileSchema"
    # without page_size the rule does not hold: a page number alone says nothing about the page's size
    listing["parameters"] = [p for p in listing["parameters"] if p.get("name") != "page_size"]
    assert _hooks(changed)["files_api_routes_list_files"].page_item is None


def test_an_answer_without_a_data_array_is_not_paginated(spec: dict[str, Any]) -> None:
    changed = copy.deepcopy(spec)
    response = changed["paths"]["/v1/files"]["get"]["responses"]["200"]["content"]["application/json"]
    response["schema"] = {"type": "object", "properties": {"items": {"type": "array", "items": {}}}}
    assert _hooks(changed)["files_api_routes_list_files"].page_item is None


def test_a_taken_name_is_an_error_not_a_silent_override(spec: dict[str, Any]) -> None:
    from generator.facade.naming import FacadeName, load_naming

    naming = load_naming()
    naming["files_api_routes_get_signed_url"] = FacadeName(("files",), "download_stream")
    with pytest.raises(FacadeError, match=r"files\.download_stream is already taken"):
        plan(spec, PACKAGE, naming=naming)
