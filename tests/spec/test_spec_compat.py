"""Tests for scripts/spec_compat.py and for the soundness of our own openapi.yaml."""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_openapi
from ruamel.yaml import YAML

from mistral_sdk.testing._yaml import load_yaml

pytestmark = pytest.mark.contract

REPO = Path(__file__).resolve().parents[2]
OUR_SPEC = REPO / "openapi.yaml"
REFERENCES = REPO.parent / "shared" / "reference"
REFERENCE = REFERENCES / "mistral-openapi-2026-08.yaml"  # the newest published description: our oracle
OLDER_REFERENCE = REFERENCES / "mistral-openapi.yaml"

# The operations issue 2 puts in scope; our spec must describe every one of them.
SCOPE = {
    ("/v1/models", "get"),
    ("/v1/models/{model_id}", "get"),
    ("/v1/models/{model_id}", "delete"),
    ("/v1/chat/completions", "post"),
    ("/v1/fim/completions", "post"),
    ("/v1/agents/completions", "post"),
    ("/v1/embeddings", "post"),
    ("/v1/moderations", "post"),
    ("/v1/chat/moderations", "post"),
    ("/v1/classifications", "post"),
    ("/v1/chat/classifications", "post"),
    ("/v1/ocr", "post"),
    ("/v1/files", "post"),
    ("/v1/files", "get"),
    ("/v1/files/{file_id}", "get"),
    ("/v1/files/{file_id}", "delete"),
    ("/v1/files/{file_id}/content", "get"),
    ("/v1/files/{file_id}/url", "get"),
}

# The operations issue 6 adds: fine-tuning, batch, audio, conversations, agents and libraries.
SCOPE_REST = {
    ("/v1/fine_tuning/jobs", "get"),
    ("/v1/fine_tuning/jobs", "post"),
    ("/v1/fine_tuning/jobs/{job_id}", "get"),
    ("/v1/fine_tuning/jobs/{job_id}/cancel", "post"),
    ("/v1/fine_tuning/jobs/{job_id}/start", "post"),
    ("/v1/fine_tuning/models/{model_id}", "patch"),
    ("/v1/fine_tuning/models/{model_id}/archive", "post"),
    ("/v1/fine_tuning/models/{model_id}/archive", "delete"),
    ("/v1/batch/jobs", "get"),
    ("/v1/batch/jobs", "post"),
    ("/v1/batch/jobs/{job_id}", "get"),
    ("/v1/batch/jobs/{job_id}/cancel", "post"),
    ("/v1/audio/transcriptions", "post"),
    ("/v1/audio/transcriptions#stream", "post"),
    ("/v1/audio/speech", "post"),
    ("/v1/audio/voices", "get"),
    ("/v1/audio/voices", "post"),
    ("/v1/audio/voices/{voice_id}", "get"),
    ("/v1/audio/voices/{voice_id}", "patch"),
    ("/v1/audio/voices/{voice_id}", "delete"),
    ("/v1/audio/voices/{voice_id}/sample", "get"),
    ("/v1/conversations", "post"),
    ("/v1/conversations", "get"),
    ("/v1/conversations/{conversation_id}", "get"),
    ("/v1/conversations/{conversation_id}", "delete"),
    ("/v1/conversations/{conversation_id}", "post"),
    ("/v1/conversations/{conversation_id}/history", "get"),
    ("/v1/conversations/{conversation_id}/messages", "get"),
    ("/v1/conversations/{conversation_id}/restart", "post"),
    ("/v1/conversations#stream", "post"),
    ("/v1/conversations/{conversation_id}#stream", "post"),
    ("/v1/conversations/{conversation_id}/restart#stream", "post"),
    ("/v1/agents", "post"),
    ("/v1/agents", "get"),
    ("/v1/agents/{agent_id}", "get"),
    ("/v1/agents/{agent_id}", "patch"),
    ("/v1/agents/{agent_id}", "delete"),
    ("/v1/agents/pages", "get"),
    ("/v1/agents/{agent_id}/version", "patch"),
    ("/v1/agents/{agent_id}/versions", "get"),
    ("/v1/agents/{agent_id}/versions/{version}", "get"),
    ("/v1/agents/{agent_id}/aliases", "put"),
    ("/v1/agents/{agent_id}/aliases", "get"),
    ("/v1/agents/{agent_id}/aliases", "delete"),
    ("/v1/libraries", "get"),
    ("/v1/libraries", "post"),
    ("/v1/libraries/{library_id}", "get"),
    ("/v1/libraries/{library_id}", "put"),
    ("/v1/libraries/{library_id}", "delete"),
    ("/v1/libraries/{library_id}/documents", "get"),
    ("/v1/libraries/{library_id}/documents", "post"),
    ("/v1/libraries/{library_id}/documents/{document_id}", "get"),
    ("/v1/libraries/{library_id}/documents/{document_id}", "put"),
    ("/v1/libraries/{library_id}/documents/{document_id}", "delete"),
    ("/v1/libraries/{library_id}/documents/{document_id}/text_content", "get"),
    ("/v1/libraries/{library_id}/documents/{document_id}/status", "get"),
    ("/v1/libraries/{library_id}/documents/{document_id}/signed-url", "get"),
    ("/v1/libraries/{library_id}/documents/{document_id}/extracted-text-signed-url", "get"),
    ("/v1/libraries/{library_id}/documents/{document_id}/reprocess", "post"),
    ("/v1/libraries/{library_id}/share", "get"),
    ("/v1/libraries/{library_id}/share", "put"),
    ("/v1/libraries/{library_id}/share", "delete"),
}

needs_reference = pytest.mark.skipif(not REFERENCE.is_file(), reason="reference spec not available")
needs_older_reference = pytest.mark.skipif(not OLDER_REFERENCE.is_file(), reason="older reference not available")


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("spec_compat", REPO / "scripts" / "spec_compat.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["spec_compat"] = module  # dataclasses resolve their annotations through sys.modules
    spec.loader.exec_module(module)
    return module


compat = _load_script()


@pytest.fixture(scope="module")
def ours() -> dict[str, Any]:
    spec: dict[str, Any] = compat.load_spec(OUR_SPEC)
    return spec


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, list[str], str]:
    status: int = compat.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err


def _write(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(json.dumps(spec), encoding="utf-8")  # JSON is YAML 1.2
    return path


# --- our spec against the reference ------------------------------------------------------------------------------


@needs_reference
def test_our_spec_matches_reference_and_covers_scope(capsys: pytest.CaptureFixture[str], ours: dict[str, Any]) -> None:
    status, lines, _ = _run(capsys, REFERENCE, "--spec", OUR_SPEC)
    mismatches = [line for line in lines if line.startswith("MISMATCH")]
    assert mismatches == []
    assert status == 0
    described = {(p, m) for p, item in ours["paths"].items() for m in item if m in compat.HTTP_METHODS}
    assert described >= SCOPE | SCOPE_REST
    assert len(SCOPE_REST) == 62 and not SCOPE & SCOPE_REST
    reference_ops = set(compat._operations(compat.load_spec(REFERENCE)))
    kept = {(k.path, k.method) for k in compat.KEPT_OPERATIONS}
    assert described == reference_ops | kept, "every operation of the newest reference, plus the kept ones"
    assert len(reference_ops) == 288 and not kept & reference_ops
    assert lines[-1] == (
        "coverage: operations 288/288, schemas 756/756; kept beyond the reference: 5 operations, 22 schemas"
    )


@needs_reference
def test_kept_operations_are_deprecated_and_reported(capsys: pytest.CaptureFixture[str], ours: dict[str, Any]) -> None:
    _, lines, _ = _run(capsys, REFERENCE, "--spec", OUR_SPEC)
    kept = [line for line in lines if line.startswith("KEPT")]
    assert len(kept) == len(compat.KEPT_OPERATIONS) == 5
    for operation in compat.KEPT_OPERATIONS:
        assert ours["paths"][operation.path][operation.method]["deprecated"] is True
    undeprecated = copy.deepcopy(ours)
    del undeprecated["paths"]["/v1/fine_tuning/jobs"]["get"]["deprecated"]
    report = compat.compare(undeprecated, compat.load_spec(REFERENCE))
    assert [str(d) for d in report.mismatches] == [
        "paths[/v1/fine_tuning/jobs].get.deprecated: ours=<missing> reference=true"
    ]


def test_kept_operation_schemas_are_accepted_only_when_nothing_else_uses_them() -> None:
    reference = _synthetic()
    ours = copy.deepcopy(reference)
    ours["paths"]["/v1/old"] = {
        "get": {
            "deprecated": True,
            "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Old"}}}}},
        }
    }
    ours["components"]["schemas"]["Old"] = {"type": "object"}
    kept = [compat.KeptOperation("/v1/old", "get", "still served")]
    report = compat.compare(ours, reference, kept=kept)
    assert (report.mismatches, report.kept_schemas) == ((), ("Old",))
    assert [str(d) for d in compat.compare(ours, reference, kept=()).mismatches] == [
        "paths[/v1/old].get: ours=present reference=<missing>",
        "schemas.Old: ours=present reference=<missing>",
    ]


@needs_reference
def test_tolerated_defects_are_reported_not_copied(capsys: pytest.CaptureFixture[str]) -> None:
    _, lines, _ = _run(capsys, REFERENCE, "--spec", OUR_SPEC)
    tolerated = [line for line in lines if line.startswith("TOLERATED")]
    assert len(tolerated) == len(compat.TOLERATED_DEFECTS)
    assert any("ChatCompletionResponse" in line and "'data'" in line for line in tolerated)
    assert any("SharingDelete" in line and "'level'" in line for line in tolerated)


@needs_reference
def test_streaming_operations_describe_their_events(ours: dict[str, Any]) -> None:
    """Every event stream names a schema whose `data` is a union the client can decode by `type`."""
    schemas = ours["components"]["schemas"]
    streams = {
        (path, method): media["schema"]
        for path, item in ours["paths"].items()
        for method, operation in item.items()
        if method in compat.HTTP_METHODS
        for response in operation["responses"].values()
        for content_type, media in response.get("content", {}).items()
        if content_type == "text/event-stream"
    }
    assert {op for op in SCOPE_REST if "#stream" in op[0]} <= {op for op in streams if "#stream" in op[0]}

    def resolve(schema: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            return name, schemas[name]
        return "inline", schema

    unions = {}
    for op, schema in streams.items():
        name, resolved = resolve(schema)
        data = resolved.get("properties", {}).get("data", {})
        if "discriminator" in data:
            unions[name if name != "inline" else f"inline {op[0]}"] = data
    # The completion chunks of chat/FIM/agents completions are one schema, not a union. The workflow streams
    # are inline in the reference; their unions are checked the same way.
    assert {"ConversationEvents", "TranscriptionStreamEvents", "SpeechStreamEvents"} <= set(unions)
    for schema_name, data in unions.items():
        members = {m["$ref"].rsplit("/", 1)[-1] for m in data["oneOf"]}
        assert data["discriminator"]["propertyName"] == "type"
        assert {t.rsplit("/", 1)[-1] for t in data["discriminator"]["mapping"].values()} == members, schema_name
        for value, target in data["discriminator"]["mapping"].items():
            if target.startswith("#/components/schemas/"):
                assert schemas[target.rsplit("/", 1)[-1]]["properties"]["type"]["const"] == value


def _rename_property(spec: dict[str, Any]) -> str:
    props = spec["components"]["schemas"]["UsageInfo"]["properties"]
    props["prompt_token"] = props.pop("prompt_tokens")
    return "schemas.UsageInfo.properties.prompt_token"


def _change_type(spec: dict[str, Any]) -> str:
    spec["components"]["schemas"]["UsageInfo"]["properties"]["total_tokens"]["type"] = "number"
    return "schemas.UsageInfo.properties.total_tokens.type"


def _drop_enum_value(spec: dict[str, Any]) -> str:
    enum = spec["components"]["schemas"]["FilePurpose"]["enum"]
    enum.remove("ocr")
    return "schemas.FilePurpose.enum['ocr']"


def _change_operation_id(spec: dict[str, Any]) -> str:
    spec["paths"]["/v1/embeddings"]["post"]["operationId"] = "create_embeddings"
    return "paths[/v1/embeddings].post.operationId"


def _make_field_optional(spec: dict[str, Any]) -> str:
    spec["components"]["schemas"]["ChatCompletionRequest"]["required"].remove("messages")
    return "schemas.ChatCompletionRequest.required['messages']"


def _drop_discriminator_mapping(spec: dict[str, Any]) -> str:
    del spec["components"]["schemas"]["OCRPageObject"]["properties"]["blocks"]["anyOf"][0]["items"]["discriminator"]
    return "schemas.OCRPageObject.properties.blocks.anyOf[0].items.discriminator"


def _drop_conversation_event(spec: dict[str, Any]) -> str:
    data = spec["components"]["schemas"]["ConversationEvents"]["properties"]["data"]
    del data["discriminator"]["mapping"]["function.call.delta"]
    return "schemas.ConversationEvents.properties.data.discriminator.mapping.function.call.delta"


def _retag_streaming_operation(spec: dict[str, Any]) -> str:
    spec["paths"]["/v1/conversations#stream"]["post"]["tags"] = ["beta.agents"]
    return "paths[/v1/conversations#stream].post.tags['beta.agents']"


def _loosen_multipart_constant(spec: dict[str, Any]) -> str:
    del spec["components"]["schemas"]["AudioTranscriptionRequestStream"]["properties"]["stream"]["const"]
    return "schemas.AudioTranscriptionRequestStream.properties.stream.const"


def _copy_sharing_defect(spec: dict[str, Any]) -> str:
    spec["components"]["schemas"]["SharingDelete"]["required"].append("level")
    return "schemas.SharingDelete.required['level']"


def _copy_reference_defect(spec: dict[str, Any]) -> str:
    spec["components"]["schemas"]["ChatCompletionResponse"]["allOf"][1]["required"].append("data")
    return "schemas.ChatCompletionResponse.allOf[1].required['data']"


@needs_reference
@pytest.mark.parametrize(
    "mutate",
    [
        _rename_property,
        _change_type,
        _drop_enum_value,
        _change_operation_id,
        _make_field_optional,
        _drop_discriminator_mapping,
        _copy_reference_defect,
        _drop_conversation_event,
        _retag_streaming_operation,
        _loosen_multipart_constant,
        _copy_sharing_defect,
    ],
)
def test_mutated_spec_is_detected(
    mutate: Callable[[dict[str, Any]], str],
    ours: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    mutated = copy.deepcopy(ours)
    location = mutate(mutated)
    status, lines, _ = _run(capsys, REFERENCE, "--spec", _write(tmp_path / "mutated.json", mutated))
    assert status == 1
    assert any(line.startswith(f"MISMATCH {location}") for line in lines), lines
    assert lines[-1].startswith("coverage: ")


# --- the comparison itself, on synthetic specs (no reference needed) ---------------------------------------------


def _synthetic() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com", "description": "Prose is ignored."}],
        "security": [{"Key": []}],
        "paths": {
            "/v1/things/{thing_id}": {
                "get": {
                    "operationId": "get_thing",
                    "security": [{"HeaderKey": []}],
                    "summary": "Prose is ignored.",
                    "parameters": [
                        {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "verbose", "in": "query", "schema": {"type": "boolean", "default": False}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {
                "Key": {"type": "http", "scheme": "bearer", "description": "Prose is ignored."},
                "HeaderKey": {"type": "apiKey", "in": "header", "name": "x-api-key"},
            },
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": "A thing.",
                    "properties": {
                        "kind": {"type": "string", "enum": ["a", "b"]},
                        "title": {"type": "string"},
                        "size": {"anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}]},
                        "part": {
                            "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
                            "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A"}},
                        },
                    },
                    "required": ["kind", "size"],
                },
                "A": {"type": "object"},
                "B": {"type": "object"},
                "Unused": {"type": "string"},
            },
        },
    }


def test_identical_specs_pass_whatever_the_prose(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reference = _synthetic()
    ours = copy.deepcopy(reference)
    del ours["components"]["schemas"]["Unused"]
    ours["components"]["schemas"]["Thing"]["description"] = "Rewritten in our own words."
    ours["components"]["schemas"]["Thing"]["x-internal"] = True
    ours["components"]["schemas"]["Thing"]["properties"]["kind"]["example"] = "a"
    ours["components"]["schemas"]["Thing"]["required"] = ["size", "kind"]  # order is not a fact
    ours["paths"]["/v1/things/{thing_id}"]["get"]["parameters"].reverse()  # nor is parameter order
    status, lines, _ = _run(
        capsys, _write(tmp_path / "ref.json", reference), "--spec", _write(tmp_path / "ours.json", ours)
    )
    assert (status, lines) == (0, ["coverage: operations 1/1, schemas 3/4"])


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda s: s["components"]["schemas"]["Thing"]["properties"]["size"]["anyOf"].pop(),
            'MISMATCH schemas.Thing.properties.size.anyOf: ours=["number"] reference=["number", "null"]',
        ),
        (
            lambda s: s["components"]["schemas"]["Thing"]["properties"]["size"]["anyOf"][0].update(minimum=1),
            "MISMATCH schemas.Thing.properties.size.anyOf[0].minimum: ours=1 reference=0",
        ),
        (
            lambda s: s["components"]["schemas"]["Thing"]["properties"]["part"]["discriminator"]["mapping"].clear(),
            "MISMATCH schemas.Thing.properties.part.discriminator.mapping.a: ours=<missing> "
            'reference="#/components/schemas/A"',
        ),
        (
            lambda s: s["components"]["schemas"]["Thing"]["properties"]["part"]["oneOf"].reverse(),
            "MISMATCH schemas.Thing.properties.part.oneOf: ours=[B, A] reference=[A, B]",
        ),
        (
            lambda s: s["components"]["schemas"]["Thing"]["properties"]["kind"]["enum"].append("c"),
            "MISMATCH schemas.Thing.properties.kind.enum['c']: ours=present reference=<missing>",
        ),
        (
            lambda s: s["paths"]["/v1/things/{thing_id}"]["get"]["parameters"][1]["schema"].update(default=0),
            "MISMATCH paths[/v1/things/{thing_id}].get.parameters[query:verbose].schema.default: "
            "ours=0 reference=false",
        ),
        (
            lambda s: s["paths"]["/v1/things/{thing_id}"]["get"]["responses"]["200"]["content"].update(
                {"text/event-stream": {"schema": {"type": "string"}}}
            ),
            "MISMATCH paths[/v1/things/{thing_id}].get.responses.200.content[text/event-stream]: "
            "ours=present reference=<missing>",
        ),
        (
            lambda s: s["components"]["schemas"]["Thing"]["properties"]["title"].update(type="integer"),
            'MISMATCH schemas.Thing.properties.title.type: ours="integer" reference="string"',
        ),
        (
            lambda s: s["components"]["schemas"]["Thing"]["properties"].pop("title"),
            'MISMATCH schemas.Thing.properties.title: ours=<missing> reference={"type": "string"}',
        ),
        (
            lambda s: s["servers"][0].update(url="https://api.example.org"),
            "MISMATCH servers['https://api.example.org']: ours=present reference=<missing>",
        ),
        (
            lambda s: s["components"]["schemas"].update(Extra={"type": "object"}),
            "MISMATCH schemas.Extra: ours=present reference=<missing>",
        ),
        (
            lambda s: s["components"]["securitySchemes"].pop("HeaderKey"),
            'MISMATCH securitySchemes.HeaderKey: ours=<missing> reference={"in": "header", "name": "x-api-key", '
            '"type": "apiKey"} (a security requirement of ours names it)',
        ),
        (
            lambda s: s["components"]["securitySchemes"].update(Extra={"type": "http", "scheme": "basic"}),
            'MISMATCH securitySchemes.Extra: ours={"scheme": "basic", "type": "http"} reference=<missing>',
        ),
        (
            lambda s: s["components"]["securitySchemes"]["HeaderKey"].update(name="authorization"),
            'MISMATCH securitySchemes.HeaderKey.name: ours="authorization" reference="x-api-key"',
        ),
        (
            lambda s: s["components"]["securitySchemes"]["Key"].update(type="apiKey", scheme=None),
            'MISMATCH securitySchemes.Key.type: ours="apiKey" reference="http"',
        ),
        (
            lambda s: s["paths"]["/v1/things/{thing_id}"]["get"].update(security=[{"Key": []}]),
            "MISMATCH paths[/v1/things/{thing_id}].get.security[0].Key: ours=[] reference=<missing>",
        ),
        (
            lambda s: s["paths"]["/v1/things/{thing_id}"]["get"].pop("security"),
            'MISMATCH paths[/v1/things/{thing_id}].get.security: ours=<missing> reference=[{"HeaderKey": []}]',
        ),
        (
            lambda s: s.update(security=[{"HeaderKey": []}]),
            "MISMATCH security[0].HeaderKey: ours=[] reference=<missing>",
        ),
    ],
)
def test_synthetic_difference_is_reported(
    mutate: Callable[[dict[str, Any]], object], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = _synthetic()
    ours = copy.deepcopy(reference)
    mutate(ours)
    status, lines, _ = _run(
        capsys, _write(tmp_path / "ref.json", reference), "--spec", _write(tmp_path / "ours.json", ours)
    )
    assert status == 1
    assert expected in lines
    assert lines[-1].startswith("coverage: operations 1/1")


def test_a_security_requirement_naming_no_scheme_is_dangling_even_when_the_reference_agrees() -> None:
    reference = _synthetic()
    reference["paths"]["/v1/things/{thing_id}"]["get"]["security"] = [{"Ghost": []}]
    ours = copy.deepcopy(reference)
    report = compat.compare(ours, reference)
    assert [str(d) for d in report.mismatches] == [
        "securitySchemes.Ghost: ours=<missing> reference=<missing> (a security requirement of ours names it)"
    ]


def test_tolerated_defect_is_accepted_but_copying_it_is_not() -> None:
    reference = _synthetic()
    reference["components"]["schemas"]["Thing"]["required"].append("ghost")
    defect = compat.ToleratedDefect(
        compat.Difference("schemas.Thing.required['ghost']", compat.MISSING, compat.PRESENT), "no such property"
    )
    clean = compat.compare(_synthetic(), reference, [defect])
    assert (clean.mismatches, clean.tolerated) == ((), (defect,))
    copied = compat.compare(copy.deepcopy(reference), reference, [defect])
    assert [d.location for d in copied.mismatches] == ["schemas.Thing.required['ghost']"]


def test_unreadable_inputs_exit_2_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path / "good.json", _synthetic())
    status, _, err = _run(capsys, tmp_path / "absent.yaml", "--spec", good)
    assert status == 2 and "cannot read" in err and "absent.yaml" in err
    (tmp_path / "broken.yaml").write_text("paths: [unclosed\n", encoding="utf-8")
    status, _, err = _run(capsys, good, "--spec", tmp_path / "broken.yaml")
    assert status == 2 and "not valid YAML" in err
    (tmp_path / "list.yaml").write_text("- 1\n", encoding="utf-8")
    status, _, err = _run(capsys, good, "--spec", tmp_path / "list.yaml")
    assert status == 2 and "not an OpenAPI document" in err


# --- the YAML loader ---------------------------------------------------------------------------------------------


def test_loader_reads_yaml_1_2_scalars() -> None:
    data = load_yaml(
        "a: 1e-08\nb: on\nc: no\nd: 2024-01-01\ne: 017\nf: 0o17\ng: 0x1F\nh: .inf\ni: ~\nj: True\nk: 1_000\nl: 1:20\n"
    )
    assert data == {
        "a": 1e-08,
        "b": "on",
        "c": "no",
        "d": "2024-01-01",
        "e": 17,
        "f": 15,
        "g": 31,
        "h": float("inf"),
        "i": None,
        "j": True,
        "k": "1_000",
        "l": "1:20",
    }


def test_loader_rejects_duplicate_keys(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("paths: {}\ncomponents: {}\npaths: {}\n", encoding="utf-8")
    with pytest.raises(compat.SpecError, match="duplicate key 'paths'"):
        compat.load_spec(path)


def _ruamel_load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


# (On our spec the agreement is checked by tests/spec/test_spec_sync.py's round trip, which parses it with
# ruamel anyway: a second 10 s parse here bought nothing.)


@needs_reference
@needs_older_reference
@pytest.mark.parametrize("reference", [REFERENCE, OLDER_REFERENCE], ids=["newest", "older"])
def test_loader_agrees_with_ruamel_on_the_references(reference: Path) -> None:
    assert compat.load_spec(reference) == _ruamel_load(reference)


# --- soundness of our spec ---------------------------------------------------------------------------------------


def test_our_spec_is_valid_openapi_3_1(ours: dict[str, Any]) -> None:
    assert ours["openapi"].startswith("3.1.")
    validate_openapi(ours)


def _examples(node: Any, where: str) -> Iterator[tuple[str, Any, Any]]:
    """Yield (location, schema, example value) for every example in the document."""
    if isinstance(node, dict):
        schema = node.get("schema") if isinstance(node.get("schema"), dict) else node
        is_media = "schema" in node
        if "example" in node:
            yield f"{where}.example", schema, node["example"]
        examples = node.get("examples")
        if is_media and isinstance(examples, dict):
            for name, example in examples.items():
                yield f"{where}.examples.{name}", schema, example["value"]
        elif not is_media and isinstance(examples, list):
            for index, value in enumerate(examples):
                yield f"{where}.examples[{index}]", schema, value
        for key, value in node.items():
            if key not in ("example", "examples"):
                yield from _examples(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _examples(value, f"{where}[{index}]")


def test_every_example_validates_against_its_schema(ours: dict[str, Any]) -> None:
    found = list(_examples(ours, ""))
    assert len(found) >= 20, "the main requests and responses carry examples"
    failures = []
    for where, schema, value in found:
        # `#/components/...` references resolve against the root of the schema we hand to the validator.
        root = {"allOf": [schema], "components": ours["components"]}
        validator = OAS31Validator(root, format_checker=OAS31Validator.FORMAT_CHECKER)
        failures += [f"{where}: {error.message}" for error in validator.iter_errors(value)]
    assert failures == []


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/schemas/"):
                yield value.rsplit("/", 1)[-1]
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_schema_is_reachable_from_an_operation(ours: dict[str, Any]) -> None:
    schemas = ours["components"]["schemas"]
    reached: set[str] = set()
    pending = list(_refs(ours["paths"]))
    while pending:
        name = pending.pop()
        if name not in reached:
            reached.add(name)
            pending.extend(_refs(schemas[name]))
    assert sorted(set(schemas) - reached) == []


def _prose(node: Any, names: bool = False) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if not names and key in ("description", "summary") and isinstance(value, str):
                yield " ".join(value.split())
            else:
                yield from _prose(value, names=not names and key in ("properties", "mapping"))
    elif isinstance(node, list):
        for value in node:
            yield from _prose(value)


@needs_reference
def test_descriptions_are_written_in_our_own_words(ours: dict[str, Any]) -> None:
    """No sentence of ours of 60 characters or more appears in either reference's prose."""
    references = [r for r in (REFERENCE, OLDER_REFERENCE) if r.is_file()]
    reference_prose = "\n".join(t for r in references for t in _prose(compat.load_spec(r))).lower()
    our_sentences = {s for text in _prose(ours) for s in re.split(r"(?<=[.!?;:])\s+", text) if len(s) >= 60}
    assert len(our_sentences) > 50
    assert sorted(s for s in our_sentences if s.lower() in reference_prose) == []


@needs_reference
def test_speech_stream_components_state_the_reference_inline_facts(ours: dict[str, Any]) -> None:
    """Our named speech-stream components say exactly what the reference's (unresolvable) inline `$defs` say."""
    reference = compat.load_spec(REFERENCE)
    responses = reference["paths"]["/v1/audio/speech"]["post"]["responses"]
    inline = responses["200"]["content"]["text/event-stream"]["schema"]
    to_ours = {defs: name for name, defs in compat.SPEECH_STREAM_COMPONENTS.items() if defs}

    def as_ours(node: Any) -> Any:
        text = json.dumps(compat._strip_prose(node))
        for defs_name, name in to_ours.items():
            text = text.replace(f'"#/$defs/{defs_name}"', f'"#/components/schemas/{name}"')
        assert "#/$defs/" not in text
        return json.loads(text)

    schemas = ours["components"]["schemas"]
    assert set(to_ours) == set(inline["$defs"])
    expected = {"SpeechStreamEvents": as_ours({k: v for k, v in inline.items() if k != "$defs"})}
    expected |= {name: as_ours(inline["$defs"][defs]) for defs, name in to_ours.items()}
    for name, facts in expected.items():
        assert list(compat.diff(compat._strip_prose(schemas[name]), facts, name)) == [], name
    operation = ours["paths"]["/v1/audio/speech"]["post"]
    media = operation["responses"]["200"]["content"]["text/event-stream"]
    assert media["schema"] == {"$ref": "#/components/schemas/SpeechStreamEvents"}
