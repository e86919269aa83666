"""How each operation's API key is sent, read from its security requirement; what the client cannot send stops.

The facade records a header name for an ``apiKey`` scheme in a header and nothing for an ``http`` bearer scheme;
any other scheme (cookie, query, OAuth, basic, a requirement needing two schemes) is an error naming the
operation and the scheme, never a silently dropped requirement.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.facade.naming import FacadeError
from generator.facade.spec import spec_operations
from tests.generator._paths import REGENERATE

ROOT = Path(__file__).resolve().parents[2]

SCHEMES: dict[str, Any] = {
    "Bearer": {"type": "http", "scheme": "bearer"},
    "HeaderKey": {"type": "apiKey", "in": "header", "name": "x-api-key"},
    "CookieKey": {"type": "apiKey", "in": "cookie", "name": "session"},
    "QueryKey": {"type": "apiKey", "in": "query", "name": "key"},
    "Basic": {"type": "http", "scheme": "basic"},
    "OAuth": {"type": "oauth2", "flows": {}},
}


def _spec(top: Any = None, **operations: Any) -> dict[str, Any]:
    """A spec with one GET operation per keyword; the value is its ``security`` (``...``: none declared)."""
    paths: dict[str, Any] = {}
    for op_id, security in operations.items():
        op: dict[str, Any] = {"operationId": op_id, "responses": {"204": {"description": "done"}}}
        if security is not ...:
            op["security"] = security
        paths[f"/v1/{op_id}"] = {"get": op}
    spec: dict[str, Any] = {"openapi": "3.1.0", "paths": paths, "components": {"securitySchemes": SCHEMES}}
    if top is not None:
        spec["security"] = top
    return spec


def _placements(spec: dict[str, Any]) -> dict[str, str | None]:
    return {op.operation_id: op.key_header for op in spec_operations(spec)}


def test_bearer_sends_nothing_special_and_a_header_key_names_its_header() -> None:
    spec = _spec(
        [{"Bearer": []}], default=..., own_header=[{"HeaderKey": []}], own_bearer=[{"Bearer": []}], anonymous=[]
    )
    assert _placements(spec) == {"default": None, "own_header": "x-api-key", "own_bearer": None, "anonymous": None}


def test_the_top_level_requirement_applies_where_an_operation_declares_none() -> None:
    assert _placements(_spec([{"HeaderKey": []}], inherits=..., overrides=[{"Bearer": []}])) == {
        "inherits": "x-api-key",
        "overrides": None,
    }


def test_no_requirement_anywhere_keeps_the_bearer_token() -> None:
    assert _placements(_spec(None, plain=...)) == {"plain": None}


def test_the_first_alternative_decides() -> None:
    assert _placements(_spec(None, either=[{"HeaderKey": []}, {"Bearer": []}])) == {"either": "x-api-key"}


@pytest.mark.parametrize(
    ("security", "message"),
    [
        ([{"CookieKey": []}], r"get_it \(GET /v1/get_it\): security scheme 'CookieKey' \(type='apiKey', in='cookie'"),
        ([{"QueryKey": []}], r"scheme 'QueryKey' \(type='apiKey', in='query', name='key'\) is not supported"),
        ([{"Basic": []}], r"scheme 'Basic' \(type='http', scheme='basic'\) is not supported"),
        ([{"OAuth": ["read"]}], r"scheme 'OAuth' \(type='oauth2'\) is not supported"),
        ([{"Ghost": []}], r"security scheme 'Ghost' is not defined in components.securitySchemes"),
        ([{"Bearer": [], "HeaderKey": []}], r"needs several schemes at once: \['Bearer', 'HeaderKey'\]"),
        ({"Bearer": []}, r"`security` is not a list of requirement objects"),
    ],
)
def test_a_scheme_the_client_cannot_send_stops_generation(security: Any, message: str) -> None:
    with pytest.raises(FacadeError, match=message):
        spec_operations(_spec(None, get_it=security))


@pytest.mark.integration
def test_the_pipeline_stops_on_an_unsupported_scheme_and_writes_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "cookie.yaml"
    spec.write_text(
        textwrap.dedent("""\
        openapi: 3.1.0
        info: {title: cookie, version: "1"}
        security: [{Session: []}]
        paths:
          /v1/things:
            get:
              operationId: list_things
              responses:
                '204': {description: done}
        components:
          securitySchemes:
            Session: {type: apiKey, in: cookie, name: session}
        """)
    )
    package = tmp_path / "cookie_sdk"
    generated = subprocess.run(
        [str(REGENERATE), "--spec", str(spec), "--output", str(package)], capture_output=True, text=True, check=False
    )
    assert generated.returncode == 0, generated.stderr  # the facade, next, is the step that reads `security`
    resources = tmp_path / "cookie_resources"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "generator.facade", "--spec", str(package / "openapi.json")),
            *("--package", package.name, "--output", str(resources), "--api-md", str(tmp_path / "api.md")),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "facade: list_things (GET /v1/things): security scheme 'Session'" in result.stderr
    assert not resources.exists() and not (tmp_path / "api.md").exists()
