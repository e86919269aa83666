"""Tests for scripts/spec_sync.py, with small specs of our own."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from mistral_sdk.testing._yaml import load_yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import spec_compat  # noqa: E402
import spec_sync  # noqa: E402

PUBLISHED_PROSE = "WORDS OF THE PUBLISHER"

OURS_TEXT = """\
openapi: 3.1.0
info:
  title: ours
  version: 1.0.0
tags:
  - name: pets
    description: Our pets.
paths:
  # Pets ------------------------------------------------------------------
  /v1/pets:
    get:
      operationId: list_pets
      summary: List pets.
      description: Every pet we keep, newest first.
      tags: [pets]
      responses:
        "200":
          description: The pets.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PetListOut'
  /v1/legacy:
    get:
      operationId: legacy
      summary: Old call.
      description: Still served.
      deprecated: true
      tags: [pets]
      responses:
        "200":
          description: Nothing.
components:
  schemas:
    PetListOut:
      description: A page of pets.
      type: object
      properties:
        data:
          type: array
          items:
            $ref: '#/components/schemas/Pet'
    Pet:
      description: One pet.  # keep this comment
      type: object
      required: [name]
      properties:
        name:
          type: string
          description: What the pet answers to.
        kind:
          type: string
          enum: [cat, dog]
    Unused:
      description: Nothing refers to this one.
      type: string
"""


def _published() -> dict[str, Any]:
    pet = {
        "type": "object",
        "title": "Pet",
        "description": PUBLISHED_PROSE,
        "required": ["name", "kind"],
        "properties": {
            "name": {"type": "string", "description": PUBLISHED_PROSE},
            "kind": {"type": "string", "enum": ["cat", "dog", "bird"]},
            "description": {"type": "string", "description": PUBLISHED_PROSE},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "published", "version": "2"},
        "paths": {
            "/v1/pets": {
                "get": {
                    "operationId": "list_pets",
                    "summary": PUBLISHED_PROSE,
                    "tags": ["pets"],
                    "responses": {
                        "200": {
                            "description": PUBLISHED_PROSE,
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/ListPetsResponse"}}
                            },
                        }
                    },
                },
                "post": {
                    "operationId": "create_pet",
                    "summary": PUBLISHED_PROSE,
                    "tags": ["pets", "pets.admin"],
                    "x-vendor": {"anything": 1},
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PetIn"}}}
                    },
                    "responses": {
                        "200": {
                            "description": PUBLISHED_PROSE,
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
                                "text/event-stream": {"schema": {"type": "string"}},
                            },
                        }
                    },
                },
            }
        },
        "components": {
            "schemas": {
                "ListPetsResponse": {
                    "type": "object",
                    "title": "ListPetsResponse",
                    "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}},
                },
                "Pet": pet,
                "PetIn": {
                    "type": "object",
                    "examples": [{"name": "x"}],
                    "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
                },
                "Orphan": {"type": "string"},
            }
        },
    }


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    ours = tmp_path / "openapi.yaml"
    ours.write_text(OURS_TEXT, encoding="utf-8")
    published = tmp_path / "published.json"
    published.write_text(json.dumps(_published()), encoding="utf-8")
    return ours, published


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, list[str]]:
    status = spec_sync.main([str(a) for a in argv])
    return status, capsys.readouterr().out.splitlines()


def test_report_names_what_is_new_changed_gone_and_renamed(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ours, published = files
    before = ours.read_text(encoding="utf-8")
    status, lines = _run(capsys, published, "--spec", ours)
    assert status == 1
    assert ours.read_text(encoding="utf-8") == before, "without --write nothing is written"
    assert "NEW operation paths[/v1/pets].post" in lines
    assert (
        "GONE operation paths[/v1/legacy].get (kept in ours: remove it by hand if the API no longer serves it)" in lines
    )
    assert "RENAMED schema PetListOut -> ListPetsResponse" in lines
    assert "NEW schema PetIn" in lines
    assert not any("Orphan" in line for line in lines), "schemas no operation uses are not brought in"
    changed = next(line for line in lines if line.startswith("CHANGED schema Pet "))
    assert "enum" in changed and "required" in changed
    assert any("schemas.Pet.properties.kind.enum['bird']: ours=<missing> reference=present" in line for line in lines)
    assert any(line.startswith("CHANGED operation paths[/v1/pets].get [media type]") for line in lines)


def test_write_carries_facts_never_prose_and_keeps_ours(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ours, published = files
    status, _ = _run(capsys, published, "--spec", ours, "--write")
    text = ours.read_text(encoding="utf-8")
    assert PUBLISHED_PROSE not in text and "x-vendor" not in text and "examples" not in text
    assert "# Pets ----" in text and "# keep this comment" in text
    written = spec_compat.load_spec(ours)
    reference = _published()
    # Every fact now matches: spec_compat finds nothing (our prose differs, which it ignores).
    report = spec_compat.compare(written, reference, tolerated=())
    assert [str(d) for d in report.mismatches if "legacy" not in d.location] == []
    schemas = written["components"]["schemas"]
    assert schemas["Pet"]["description"] == "One pet."
    assert schemas["Pet"]["properties"]["name"]["description"] == "What the pet answers to."
    assert schemas["Pet"]["properties"]["description"] == {"type": "string"}, "a property called description is a fact"
    assert schemas["ListPetsResponse"]["description"] == "A page of pets.", "our prose follows the rename"
    assert "PetListOut" not in schemas and "Unused" not in schemas
    assert written["paths"]["/v1/legacy"]["get"]["deprecated"] is True, "gone operations are kept"
    assert written["paths"]["/v1/pets"]["post"]["operationId"] == "create_pet"
    assert {t["name"] for t in written["tags"]} == {"pets", "pets.admin"}
    # What still lacks our words: the new operation and its answer, the new schema, its non-obvious property,
    # the new tag.
    assert status == 1
    missing = spec_sync.undescribed(written)
    assert missing == [
        "paths[/v1/pets].post (summary, description)",
        "paths[/v1/pets].post.responses.200",
        "schemas.PetIn",
        "schemas.PetIn.properties.age",
        "tags[pets.admin]",
    ]


def test_described_and_synced_spec_exits_zero_and_is_left_byte_for_byte(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ours, published = files
    _run(capsys, published, "--spec", ours, "--write")
    document = spec_sync.load_ours(ours)
    post = document["paths"]["/v1/pets"]["post"]
    post["summary"], post["description"] = "Add a pet.", "Creates one pet."
    post["responses"]["200"]["description"] = "The new pet."
    document["components"]["schemas"]["PetIn"]["description"] = "A new pet."
    document["components"]["schemas"]["PetIn"]["properties"]["age"]["description"] = "Age in whole years."
    document["tags"][1]["description"] = "Pet administration."
    ours.write_text(spec_sync.dump_ours(document), encoding="utf-8")
    before = ours.read_text(encoding="utf-8")
    status, lines = _run(capsys, published, "--spec", ours, "--write")
    assert ours.read_text(encoding="utf-8") == before
    assert status == 0
    assert lines[-1] == "summary: 0 new, 0 changed, 1 gone operations; 0 new, 0 changed, 0 gone schemas; 0 undescribed"


def test_round_trip_of_our_real_spec_is_byte_identical() -> None:
    text = (REPO / "openapi.yaml").read_text(encoding="utf-8")
    document = spec_sync.load_ours(REPO / "openapi.yaml")
    assert spec_sync.dump_ours(document) == text
    # and the project's fast loader reads the same data as ruamel (the SDK, mock and tools all use it)
    assert spec_sync.plain(document) == spec_compat.load_spec(REPO / "openapi.yaml")


def test_tolerated_defects_are_not_carried(files: tuple[Path, Path]) -> None:
    ours, _ = files
    published = _published()
    document = spec_sync.load_ours(ours)
    defect = spec_compat.ToleratedDefect(
        spec_compat.Difference("schemas.Pet.required['kind']", "<missing>", "present"), "kind is optional in fact"
    )
    report = spec_sync.compare(spec_compat.load_spec(ours), published, tolerated=(defect,))
    spec_sync.write(document, published, report, tolerated=(defect,))
    written = spec_sync.plain(document)
    assert written["components"]["schemas"]["Pet"]["required"] == ["name"]
    assert written["components"]["schemas"]["Pet"]["properties"]["kind"]["enum"] == ["cat", "dog", "bird"]


def test_changed_media_types_and_parameters_are_carried(tmp_path: Path) -> None:
    ours = load_yaml(OURS_TEXT)
    published = copy.deepcopy(ours)
    get = published["paths"]["/v1/pets"]["get"]
    get["parameters"] = [{"name": "limit", "in": "query", "schema": {"type": "integer"}}]
    get["responses"]["200"]["content"]["text/event-stream"] = {"schema": {"type": "string"}}
    del get["responses"]["200"]["content"]["application/json"]
    report = spec_sync.compare(ours, published)
    kinds = next(line for line in report.lines(written=False) if line.startswith("CHANGED operation"))
    assert "streaming" in kinds and "parameter" in kinds
    path = tmp_path / "ours.yaml"
    path.write_text(OURS_TEXT, encoding="utf-8")
    document = spec_sync.load_ours(path)
    spec_sync.write(document, published, report)
    result = spec_sync.plain(document)["paths"]["/v1/pets"]["get"]
    assert result["parameters"] == get["parameters"]
    assert list(result["responses"]["200"]["content"]) == ["text/event-stream"]
    assert result["responses"]["200"]["description"] == "The pets."


def test_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = spec_sync.main([str(tmp_path / "absent.yaml"), "--spec", str(tmp_path / "absent.yaml")])
    assert status == 2
    assert "cannot read" in capsys.readouterr().err


def test_a_schema_renamed_with_changes_is_found_where_it_is_used(files: tuple[Path, Path]) -> None:
    ours, _ = files
    published = _published()
    schemas = published["components"]["schemas"]
    schemas["Animal"] = schemas.pop("Pet")
    schemas["ListPetsResponse"]["properties"]["data"]["items"]["$ref"] = "#/components/schemas/Animal"
    schemas["ListPetsResponse"]["properties"]["total"] = {"type": "integer"}  # the page changes too
    post = published["paths"]["/v1/pets"]["post"]
    post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] = "#/components/schemas/Animal"
    report = spec_sync.compare(spec_compat.load_spec(ours), published)
    assert report.renamed_schemas == {"PetListOut": "ListPetsResponse", "Pet": "Animal"}
    assert "Animal" not in report.new_schemas and "Pet" not in report.gone_schemas
    document = spec_sync.load_ours(ours)
    spec_sync.write(document, published, report)
    written = spec_sync.plain(document)["components"]["schemas"]
    assert written["Animal"]["description"] == "One pet."
    assert written["Animal"]["properties"]["kind"]["enum"] == ["cat", "dog", "bird"]
    assert written["ListPetsResponse"]["properties"]["total"] == {"type": "integer"}
    assert written["ListPetsResponse"]["properties"]["data"]["items"]["$ref"] == "#/components/schemas/Animal"


NEWEST_REFERENCE = REPO.parent / "shared" / "reference" / "mistral-openapi-2026-08.yaml"


@pytest.mark.skipif(not NEWEST_REFERENCE.is_file(), reason="reference spec not available")
def test_our_spec_is_in_sync_with_the_newest_reference_and_fully_described(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = _run(capsys, NEWEST_REFERENCE, "--spec", REPO / "openapi.yaml")
    assert [line for line in lines if line.startswith(("NEW", "CHANGED", "RENAMED", "UNDESCRIBED"))] == []
    gone_operations = [line for line in lines if line.startswith("GONE operation")]
    assert len(gone_operations) == len(spec_compat.KEPT_OPERATIONS)
    assert status == 0


# --- security schemes: how the key is sent is a fact too ----------------------------------------------------------

SECURED_OURS = """\
openapi: 3.1.0
info:
  title: ours
  version: 1.0.0
security:
  - Key: []
paths:
  /v1/me:
    get:
      operationId: get_me
      summary: Who am I.
      description: The caller's identity.
      responses:
        "204":
          description: Nothing.
components:
  securitySchemes:
    Key:
      type: http
      scheme: basic
      description: Our words about the key.
"""


def _secured_published() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "published", "version": "2"},
        "security": [{"Key": []}],
        "paths": {
            "/v1/me": {
                "get": {
                    "operationId": "get_me",
                    "security": [{"HeaderKey": []}],
                    "responses": {"204": {"description": PUBLISHED_PROSE}},
                }
            }
        },
        "components": {
            "securitySchemes": {
                "Key": {"type": "http", "scheme": "bearer", "description": PUBLISHED_PROSE},
                "HeaderKey": {"type": "apiKey", "in": "header", "name": "x-api-key", "description": PUBLISHED_PROSE},
            }
        },
    }


def test_security_schemes_are_reported_carried_without_prose_and_listed_as_undescribed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours = tmp_path / "openapi.yaml"
    ours.write_text(SECURED_OURS, encoding="utf-8")
    published = tmp_path / "published.json"
    published.write_text(json.dumps(_secured_published()), encoding="utf-8")
    status, lines = _run(capsys, published, "--spec", ours)
    assert status == 1
    assert "NEW security scheme HeaderKey" in lines
    assert any(line.startswith("CHANGED security scheme Key") for line in lines)
    assert '    securitySchemes.Key.scheme: ours="basic" reference="bearer"' in lines
    assert any(line.startswith("CHANGED operation paths[/v1/me].get") for line in lines)

    status, lines = _run(capsys, published, "--spec", ours, "--write")
    written = spec_compat.load_spec(ours)
    assert PUBLISHED_PROSE not in ours.read_text(encoding="utf-8")
    schemes = written["components"]["securitySchemes"]
    assert schemes["Key"] == {"type": "http", "scheme": "bearer", "description": "Our words about the key."}
    assert schemes["HeaderKey"] == {"type": "apiKey", "in": "header", "name": "x-api-key"}
    assert written["paths"]["/v1/me"]["get"]["security"] == [{"HeaderKey": []}]
    assert spec_compat.compare(written, _secured_published(), tolerated=()).mismatches == ()
    assert status == 1 and "UNDESCRIBED securitySchemes.HeaderKey" in lines


# The same head as OURS_TEXT (openapi, info, tags), then inputs of every kind a caller sets.
UNDESCRIBED_INPUTS_TEXT = (
    OURS_TEXT[: OURS_TEXT.index("paths:\n")]
    + """\
paths:
  /v1/pets/{pet_id}:
    parameters:
      - name: pet_id
        in: path
        required: true
        schema:
          type: string
    post:
      operationId: pause_pet
      summary: Pause a pet.
      description: Lets the pet rest.
      tags: [pets]
      parameters:
        - $ref: '#/components/parameters/Trace'
        - name: dry_run
          in: query
          schema:
            type: boolean
            description: Check the request without acting on it.
        - name: reason
          in: query
          description: Why the pet rests.
          schema:
            type: string
        - name: cursor
          in: query
          schema:
            type: string
      requestBody:
        content:
          application/json:
            schema:
              anyOf:
                - $ref: '#/components/schemas/PauseIn'
                - type: 'null'
      responses:
        "204":
          description: Paused.
  /v1/pets:
    post:
      operationId: create_pet
      summary: Add a pet.
      description: Creates one pet.
      tags: [pets]
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/PetIn'
      responses:
        "204":
          description: Created.
components:
  parameters:
    Trace:
      name: X-Trace
      in: header
      schema:
        type: string
  schemas:
    PauseIn:
      description: Why and how long.
      type: object
      properties:
        note:
          type: string
    PetBase:
      description: What every pet has.
      type: object
      properties:
        colour:
          type: string
    PetIn:
      description: A new pet.
      allOf:
        - $ref: '#/components/schemas/PetBase'
        - type: object
          properties:
            age:
              type: integer
            name:
              type: string
"""
)


def test_undescribed_lists_parameters_and_the_fields_of_optional_and_extended_bodies(tmp_path: Path) -> None:
    ours = tmp_path / "openapi.yaml"
    ours.write_text(UNDESCRIBED_INPUTS_TEXT, encoding="utf-8")
    spec = spec_compat.load_spec(ours)
    # A parameter described on itself or on its schema counts as described; one declared on the path or under
    # components.parameters is listed where it is used. The schema behind an optional body, the schema a body
    # extends and the body's own allOf member all hold fields a caller sets. `name` needs no words.
    assert spec_sync.undescribed(spec) == [
        "paths[/v1/pets/{pet_id}].post.parameters[pet_id]",
        "paths[/v1/pets/{pet_id}].post.parameters[X-Trace]",
        "paths[/v1/pets/{pet_id}].post.parameters[cursor]",
        "schemas.PauseIn.properties.note",
        "schemas.PetBase.properties.colour",
        "schemas.PetIn.allOf[1].properties.age",
    ]
    described = UNDESCRIBED_INPUTS_TEXT.replace(
        "          type: string\n    post:", "          type: string\n        description: The pet.\n    post:"
    )
    assert spec_sync.undescribed(_loaded(tmp_path, described))[0] == "paths[/v1/pets/{pet_id}].post.parameters[X-Trace]"


def _loaded(tmp_path: Path, text: str) -> dict[str, Any]:
    path = tmp_path / "changed.yaml"
    path.write_text(text, encoding="utf-8")
    return spec_compat.load_spec(path)
