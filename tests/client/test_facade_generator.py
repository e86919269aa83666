"""The facade generator: the naming table, default names, and a new operation getting its method by regeneration."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.facade import FacadeError, FacadeName, default_names, load_naming, main, plan, repeats_group, write
from generator.facade.render import render
from mistral_sdk._client import Mistral
from mistral_sdk.testing._spec import load_spec_document
from tests.generator._probe import generated_package

from ._server import Reply, ScriptedServer

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "reference" / "mistral-openapi.yaml"
NEWEST_REFERENCE = REFERENCE.with_name("mistral-openapi-2026-08.yaml")


@pytest.mark.parametrize(
    ("operation_id", "tags", "group", "method"),
    [
        ("libraries_create_v1", ["beta.libraries"], ("beta", "libraries"), "create"),
        ("libraries_documents_get_v1", ["beta.libraries.documents"], ("beta", "libraries", "documents"), "get"),
        ("agents_api_v1_conversations_start_stream", ["beta.conversations"], ("beta", "conversations"), "start_stream"),
        ("jobs_api_routes_batch_get_batch_jobs", ["batch"], ("batch",), "get_batch_jobs"),
        (
            "create_campaign_v1_observability_campaigns_post",
            ["beta.observability.campaigns"],
            ("beta", "observability", "campaigns"),
            "create_campaign",
        ),
        ("connector_call_tool_v1", ["beta.connectors"], ("beta", "connectors"), "call_tool"),
        ("listThings", ["deprecated.fine-tuning"], ("deprecated", "fine_tuning"), "list_things"),
        ("import", [], ("default",), "import_"),
    ],
)
def test_default_names(operation_id: str, tags: list[str], group: tuple[str, ...], method: str) -> None:
    assert default_names(operation_id, tags) == FacadeName(group, method)


def test_naming_table_is_well_formed() -> None:
    table = load_naming()
    assert table["chat_completion_v1_chat_completions_post"] == FacadeName(("chat",), "complete", "stream")
    assert table["list_voices_v1_audio_voices_get"] == FacadeName(("audio", "voices"), "list")
    assert table["embeddings_v1_embeddings_post"].call
    for name in table.values():
        assert all(part.isidentifier() for part in name.group) and name.method.isidentifier()


@pytest.mark.contract  # checked against Mistral's reference description
def test_naming_table_names_real_operations() -> None:
    """A typo in the table would silently fall back to the default name: check every key against Mistral's specs
    (the newest, and the older one for the deprecated fine-tuning job operations we keep)."""
    if not (REFERENCE.exists() and NEWEST_REFERENCE.exists()):
        pytest.skip("reference specs not available")
    ids = set()
    for reference in (REFERENCE, NEWEST_REFERENCE):
        spec = load_spec_document(reference)
        ids |= {
            op.get("operationId") for item in spec["paths"].values() for op in item.values() if isinstance(op, dict)
        }
    assert set(load_naming()) - ids == set()


def test_bad_naming_table(tmp_path: Path) -> None:
    bad = tmp_path / "naming.yaml"
    bad.write_text("op: {group: chat}\n")
    with pytest.raises(FacadeError, match="needs 'group' and 'method'"):
        load_naming(bad)
    bad.write_text("op: {group: chat, method: x, colour: red}\n")
    with pytest.raises(FacadeError, match="unknown keys"):
        load_naming(bad)


def test_every_operation_of_our_spec_is_named_explicitly() -> None:
    """Names come from Mistral's SDK documentation, written down, never from the default rule by accident."""
    spec = load_spec_document(ROOT / "openapi.yaml")
    ids = {op["operationId"] for item in spec["paths"].values() for op in item.values() if isinstance(op, dict)}
    assert sorted(ids - set(load_naming())) == []


def test_no_method_name_repeats_its_group() -> None:
    """``audio.voices.list``, not ``audio.voices.list_voices``."""
    repeated = {op_id: repeats_group(name) for op_id, name in load_naming().items() if repeats_group(name)}
    assert repeated == {}
    assert repeats_group(FacadeName(("audio", "voices"), "list_voices")) == "voices"
    assert repeats_group(FacadeName(("beta", "libraries", "accesses"), "share_list")) is None
    assert repeats_group(FacadeName(("audio", "voices"), "get_sample_audio")) is None


@pytest.mark.integration
def test_committed_facade_is_up_to_date() -> None:
    """The committed resources package and api.md are exactly what the generator writes."""
    argv = ["--spec", str(ROOT / "mistral_sdk/_generated/openapi.json"), "--package", "mistral_sdk._generated"]
    output = ["--output", str(ROOT / "mistral_sdk/resources"), "--api-md", str(ROOT / "api.md")]
    assert main([*argv, *output, "--check"]) == 0


# A tiny API of our own: what a new operation added to the spec looks like.
WIDGET_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "probe", "version": "1"},
    "paths": {
        "/v1/widgets/{widget_id}/parts": {
            "post": {
                "operationId": "widgets_add_part_v1",
                "tags": ["beta.widgets"],
                "parameters": [
                    {"name": "widget_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "dry_run", "in": "query", "required": False, "schema": {"type": "boolean"}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PartIn"}}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Part"}}},
                    }
                },
            },
            "delete": {
                "operationId": "widgets_clear_parts_v1",
                "tags": ["beta.widgets"],
                "parameters": [{"name": "widget_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"204": {"description": "gone"}},
            },
        }
    },
    "components": {
        "schemas": {
            "PartIn": {
                "type": "object",
                "required": ["name", "tags"],
                "properties": {
                    "name": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "weight": {"type": "number"},
                },
            },
            "Part": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
            },
        }
    },
}


@pytest.fixture(scope="module")
def probe_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], str]]:
    with generated_package(WIDGET_SPEC, tmp_path_factory.mktemp("facade-probe"), "facade_probe_pkg") as probe:
        yield probe


def _import_facade(planned: list[Any], package: str, folder: Path, name: str) -> Any:
    write(render(planned, package), folder / name)
    importlib.invalidate_caches()
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(f"{name}.beta.widgets")
    finally:
        sys.path.remove(str(folder))


@pytest.mark.integration
def test_new_operation_gets_a_method_by_regeneration(
    probe_package: tuple[dict[str, Any], str], server: ScriptedServer, tmp_path: Path
) -> None:
    spec, package = probe_package
    warnings: list[str] = []
    planned = plan(spec, package, naming={}, warnings=warnings)
    assert {p.spec.operation_id: p.name for p in planned} == {
        "widgets_add_part_v1": FacadeName(("beta", "widgets"), "add_part"),
        "widgets_clear_parts_v1": FacadeName(("beta", "widgets"), "clear_parts"),
    }
    # names from the default rule are reported, never a failure
    assert len(warnings) == 2 and all("not in generator/naming.yaml" in w for w in warnings)
    module = _import_facade(planned, package, tmp_path, "facade_probe_resources")

    server.reply(Reply(body={"id": "p1", "name": "bolt"}), Reply(204, b""), Reply(body={"id": "p2", "name": "nut"}))
    with Mistral("k", base_url=server.url) as client:
        widgets = module.BetaWidgets(client)
        part = widgets.add_part("w 1", name="bolt", tags=("a", "b"), dry_run=True)
        assert (part.id, part.name) == ("p1", "bolt")
        assert widgets.clear_parts("w1") is None
        raw = module.BetaWidgetsWithRawResponse(module.BetaWidgets(client, raw=True))
        answer = raw.add_part("w2", name="nut", tags=[], extra_body={"colour": "red"}, extra_query={"v": "2"})
        assert (answer.status_code, answer.parsed.name) == (200, "nut")
    sent = server.requests[0]
    assert sent.path == "/v1/widgets/w%201/parts?dry_run=true"
    assert json.loads(sent.body) == {"name": "bolt", "tags": ["a", "b"]}
    assert server.requests[1].method == "DELETE"
    assert server.requests[2].path == "/v1/widgets/w2/parts?v=2"
    assert json.loads(server.requests[2].body) == {"name": "nut", "tags": [], "colour": "red"}


@pytest.mark.integration
def test_operation_without_generated_module_is_an_error(probe_package: tuple[dict[str, Any], str]) -> None:
    spec, package = probe_package
    extra = json.loads(json.dumps(spec))
    extra["paths"]["/v1/gadgets"] = {"get": {"operationId": "gadgets_list", "responses": {"204": {"description": "x"}}}}
    with pytest.raises(FacadeError, match="gadgets_list"):
        plan(extra, package, naming={})


@pytest.mark.integration
def test_naming_conflict_falls_back_to_operation_id(probe_package: tuple[dict[str, Any], str]) -> None:
    spec, package = probe_package
    same = FacadeName(("widgets",), "do")
    planned = plan(spec, package, naming={"widgets_add_part_v1": same, "widgets_clear_parts_v1": same})
    assert sorted(p.name.method for p in planned) == ["do", "widgets_clear_parts_v1"]


@pytest.mark.integration
def test_group_shadowing_a_client_attribute_is_refused(probe_package: tuple[dict[str, Any], str]) -> None:
    spec, package = probe_package
    with pytest.raises(FacadeError, match="shadow"):
        plan(spec, package, naming={"widgets_add_part_v1": FacadeName(("close",), "x")})


@pytest.mark.integration
def test_cli_writes_a_formatted_package(probe_package: tuple[dict[str, Any], str], tmp_path: Path) -> None:
    spec, package = probe_package
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(spec))
    out = tmp_path / "resources"
    api_md = tmp_path / "api.md"
    argv = ["--spec", str(spec_file), "--package", package, "--output", str(out), "--api-md", str(api_md)]
    assert main(argv) == 0
    text = (out / "beta" / "widgets.py").read_text()
    assert text.startswith("# Generated by generator/facade")
    assert "def add_part(" in text and "async def add_part(" in text
    assert "client.beta.widgets.add_part(" in api_md.read_text()
    assert main([*argv, "--check"]) == 0
    (out / "beta" / "widgets.py").write_text(text + "\n# edited\n")
    assert main([*argv, "--check"]) == 1
    importlib.invalidate_caches()


@pytest.mark.integration
def test_generates_from_a_staged_package_not_the_installed_one(
    probe_package: tuple[dict[str, Any], str], tmp_path: Path
) -> None:
    """regenerate.sh runs the facade generator on a new package in a staging folder, before it replaces
    mistral_sdk/_generated: the generator must read that folder (the one holding --spec), not the old package."""
    import subprocess

    staged = Path(sys.modules["facade_probe_pkg"].__path__[0])
    out = tmp_path / "resources"
    argv = ["--spec", str(staged / "openapi.json"), "--package", "mistral_sdk._generated", "--output", str(out)]
    done = subprocess.run(
        [sys.executable, "-m", "generator.facade", *argv], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "widgets_add_part_v1: not in generator/naming.yaml" in done.stderr
    data = json.loads((out / "_operations.json").read_text())
    assert data["operations"]["widgets_add_part_v1"]["methods"] == ["add_part"]
    assert "chat_completion_v1_chat_completions_post" not in data["operations"]
