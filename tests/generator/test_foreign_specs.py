"""Specs written by others: unknown media types, legacy dialect, OpenAPI 3.1 forms, keyword property names.

Each case is a small spec of our own carrying one construct Mistral's published descriptions use (or
used); the pipeline must generate working code from it, or stop with a clear message, never drop it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.preprocess import preprocess
from tests.generator._paths import REGENERATE
from tests.generator.conftest import Recorder

MEDIA_TYPES = ("audio/wav", "image/png", "application/pdf", "application/x-ndjson", "text/csv", "text/plain")
#: The generated module of the operation answering each media type.
MODULES = [f"get_{t.replace('/', '_').replace('-', '_')}" for t in MEDIA_TYPES]

# Each test regenerates a small spec through the real pipeline (subprocesses).
pytestmark = pytest.mark.integration


def _media_path(name: str, media_type: str) -> str:
    return textwrap.indent(
        textwrap.dedent(f"""\
        /v1/{name}:
          get:
            operationId: get_{name}
            responses:
              '200':
                description: ok
                content:
                  {media_type}:
                    schema: {{type: string, format: binary}}
        """),
        "  ",
    )


FOREIGN_SPEC = (
    textwrap.dedent("""\
    openapi: 3.1.0
    info: {title: foreign, version: "1"}
    paths:
      /v1/route:
        get:
          operationId: get_route
          parameters:
            - {name: from, in: query, required: true, schema: {type: string}}
            - {name: type, in: query, schema: {type: str, required: false}}
            - {name: limit, in: query, schema: {type: int, required: true}}
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Route'}
                text/plain:
                  schema: {type: string}
    """)
    + "".join(_media_path(t.replace("/", "_").replace("-", "_"), t) for t in MEDIA_TYPES)
    + textwrap.dedent("""\
    components:
      schemas:
        Route:
          type: object
          required: [from, import, class, type]
          properties:
            from: {type: string}
            import: {type: integer}
            class: {type: [string, "null"]}
            type: {const: route}
            list: {type: array, items: [{type: int, required: false}]}
            stops:
              type: array
              items:
                type: object
                properties:
                  name: {type: str, required: true}
                  at: {type: [integer, "null"], exclusiveMinimum: true, minimum: 0}
            pair: {type: array, prefixItems: [{type: integer}, {anyOf: [{type: integer}, {type: number}]}]}
            ended: {const: null}
    """)
)


def _load(text: str) -> dict[str, Any]:
    from ruamel.yaml import YAML

    data: dict[str, Any] = YAML(typ="safe", pure=True).load(text)
    return data


@pytest.fixture(scope="module")
def foreign_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("foreign")
    spec = folder / "foreign.yaml"
    spec.write_text(FOREIGN_SPEC)
    result = subprocess.run(
        [str(REGENERATE), "--spec", str(spec), "--output", str(folder / "foreign_sdk")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return folder


def _python(folder: Path, script: str) -> str:
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], cwd=folder, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_every_non_json_response_becomes_raw_bytes() -> None:
    spec = preprocess(_load(FOREIGN_SPEC))
    raw = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    for media_type in MEDIA_TYPES:
        name = media_type.replace("/", "_").replace("-", "_")
        assert spec["paths"][f"/v1/{name}"]["get"]["responses"]["200"]["content"] == raw, media_type
    # Beside JSON, a text alternative is dropped rather than chosen by the generator's first-wins order.
    route = spec["paths"]["/v1/route"]["get"]["responses"]["200"]["content"]
    assert list(route) == ["application/json"]


def test_unknown_media_types_are_downloaded_as_the_exact_bytes(foreign_sdk: Path, recorder: Recorder) -> None:
    payload = bytes(range(256)) * 3
    recorder.reply = (200, "audio/wav", payload)
    out = _python(
        foreign_sdk,
        f"""
        from foreign_sdk import Client
        from foreign_sdk.api.default import {", ".join(MODULES)}
        client = Client(base_url={recorder.url!r})
        for module in ({", ".join(MODULES)}):
            print(module.sync(client=client).payload.read().hex())
        """,
    )
    assert out.split() == [payload.hex()] * len(MEDIA_TYPES)


def test_legacy_required_flags_are_normalised_wherever_they_occur() -> None:
    spec = preprocess(_load(FOREIGN_SPEC))
    parameters = {p["name"]: p for p in spec["paths"]["/v1/route"]["get"]["parameters"]}
    assert parameters["type"] == {"name": "type", "in": "query", "schema": {"type": "string"}}
    assert parameters["limit"] == {"name": "limit", "in": "query", "required": True, "schema": {"type": "integer"}}
    route = spec["components"]["schemas"]["Route"]["properties"]
    assert route["list"]["items"] == {"type": "integer"}
    stop = route["stops"]["items"]
    assert stop["required"] == ["name"]
    assert stop["properties"]["name"] == {"type": "string"}
    assert stop["properties"]["at"] == {"anyOf": [{"type": "integer", "exclusiveMinimum": 0}, {"type": "null"}]}


def test_openapi_3_1_forms_are_rewritten() -> None:
    route = preprocess(_load(FOREIGN_SPEC))["components"]["schemas"]["Route"]["properties"]
    assert route["class"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert route["pair"] == {"type": "array", "items": {"anyOf": [{"type": "integer"}, {"type": "number"}]}}
    assert route["ended"] == {"type": "null"}
    assert route["type"] == {"const": "route"}


def test_keyword_and_builtin_property_names_round_trip(foreign_sdk: Path) -> None:
    out = _python(
        foreign_sdk,
        """
        from foreign_sdk.models import Route
        wire = {"from": "Lyon", "import": 3, "class": None, "type": "route", "list": [1], "pair": [1, 2.5],
                "stops": [{"name": "Dijon", "at": 5}], "ended": None}
        route = Route.from_dict(wire)
        print(route.from_, route.import_, route.class_, route.type_, route.list_, route.pair)
        assert route.to_dict() == wire, route.to_dict()
        built = Route(from_="Paris", import_=1, class_="x", type_="route")
        print(sorted(built.to_dict()))
        from foreign_sdk.types import DecodeError
        try:
            Route.from_dict({**wire, "type": "other"})
        except DecodeError as exc:
            print("refused:", exc)
        """,
    )
    lines = out.splitlines()
    assert lines[0] == "Lyon 3 None route [1] [1, 2.5]"
    assert lines[1] == "['class', 'from', 'import', 'type']"
    assert lines[2].startswith("refused:") and "route" in lines[2]


def test_keyword_parameters_are_sent_under_their_json_names(foreign_sdk: Path, recorder: Recorder) -> None:
    recorder.reply = (200, "application/json", b'{"from": "a", "import": 1, "class": "c", "type": "route"}')
    out = _python(
        foreign_sdk,
        f"""
        from foreign_sdk import Client
        from foreign_sdk.api.default import get_route
        route = get_route.sync(client=Client(base_url={recorder.url!r}), from_="Lyon", type_="fast", limit=2)
        print(route.class_)
        """,
    )
    assert out.strip() == "c"
    assert recorder.requests[0].path == "/v1/route?from=Lyon&type=fast&limit=2"


def test_foreign_package_is_type_clean(foreign_sdk: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), "foreign_sdk"],
        cwd=foreign_sdk,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_a_construct_the_generator_cannot_handle_still_stops_the_pipeline(tmp_path: Path) -> None:
    spec = tmp_path / "xml.yaml"
    spec.write_text(
        textwrap.dedent("""\
        openapi: 3.1.0
        info: {title: xml, version: "1"}
        paths:
          /v1/things:
            post:
              operationId: create_thing
              requestBody:
                content:
                  application/xml:
                    schema: {type: object}
              responses:
                '204': {description: done}
        """)
    )
    result = subprocess.run(
        [str(REGENERATE), "--spec", str(spec), "--output", str(tmp_path / "xml_sdk")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "application/xml" in result.stderr
    assert not (tmp_path / "xml_sdk").exists()


def test_relative_paths_are_the_callers_and_a_spec_without_schemas_generates(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(
        textwrap.dedent("""\
        openapi: 3.1.0
        info: {title: tiny, version: "1"}
        paths:
        """)
        + _media_path("voice", "audio/wav")
    )
    result = subprocess.run(
        [str(REGENERATE), "--spec", "tiny.yaml", "--output", "tiny_sdk"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _python(tmp_path, "import tiny_sdk.models as m, tiny_sdk.api.default.get_voice as v; print(m.__all__)") == (
        "()\n"
    )
