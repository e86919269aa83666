"""Reading descriptions: YAML 1.2 numbers, the JSON cache, and clear errors for what cannot be served."""

from __future__ import annotations

from pathlib import Path

import pytest

from mistral_sdk.testing import MockServer, SpecError, load_spec_document
from mistral_sdk.testing._spec import default_spec_path, operations_of


def test_yaml_is_read_as_yaml_1_2_and_cached_as_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MISTRAL_SDK_MOCK_CACHE", str(cache))
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.1.0\npaths: {}\nx-min: 1e-08\nx-flag: on\n")
    first = load_spec_document(spec)
    assert first["x-min"] == 1e-08  # PyYAML (YAML 1.1) would give the string '1e-08'
    assert first["x-flag"] == "on"  # and True here
    (cached,) = cache.glob("*.json")
    cached.write_text('{"openapi": "3.1.0", "paths": {}, "x-from-cache": true}')
    assert load_spec_document(spec)["x-from-cache"] is True


def test_unwritable_cache_does_not_stop_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv("MISTRAL_SDK_MOCK_CACHE", str(blocker))
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.1.0\npaths: {}\n")
    assert load_spec_document(spec)["paths"] == {}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("spec.yaml", "openapi: 3.1.0\n", "no 'paths' mapping"),
        ("spec.yaml", "paths: [unclosed\n", "not valid YAML"),
        ("spec.json", "{not json", "not valid JSON"),
        ("spec.json", "[]", "no 'paths' mapping"),
    ],
)
def test_unusable_files_raise_spec_error(tmp_path: Path, name: str, content: str, message: str) -> None:
    spec = tmp_path / name
    spec.write_text(content)
    with pytest.raises(SpecError, match=message):
        load_spec_document(spec)


def test_missing_file_raises_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read"):
        MockServer(tmp_path / "absent.yaml").start()


def test_operation_without_id_is_refused() -> None:
    with pytest.raises(SpecError, match="GET /v1/x has no operationId"):
        operations_of({"paths": {"/v1/x": {"get": {"responses": {}}}}})


def test_default_is_the_description_shipped_with_the_generated_client() -> None:
    assert default_spec_path().name in ("openapi.json", "openapi.yaml")
    document = load_spec_document(default_spec_path())
    assert any(op.operation_id.startswith("chat_completion") for op in operations_of(document))
