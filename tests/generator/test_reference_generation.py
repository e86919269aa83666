"""The pipeline generates a complete, importable, type-clean SDK from Mistral's own published spec."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.generator._paths import REFERENCE, REGENERATE

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not REFERENCE.exists(), reason="reference spec not present beside the repository"),
]

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    output = tmp_path_factory.mktemp("reference") / "mistral_reference"
    result = subprocess.run(
        [str(REGENERATE), "--spec", str(REFERENCE), "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return output, result.stdout + result.stderr


def _reference_operation_ids() -> list[str]:
    spec = YAML(typ="safe", pure=True).load(REFERENCE.read_text(encoding="utf-8"))
    return [
        op["operationId"] for item in spec["paths"].values() for method, op in item.items() if method in HTTP_METHODS
    ]


def test_every_operation_is_generated(generated: tuple[Path, str]) -> None:
    package, _ = generated
    modules = {p.stem for p in (package / "api").rglob("*.py") if p.name != "__init__.py"}
    operation_ids = _reference_operation_ids()
    assert len(operation_ids) == 173
    assert len(modules) == len(operation_ids)


def test_generation_prints_no_warning(generated: tuple[Path, str]) -> None:
    _, output = generated
    assert "warning" not in output.lower()


def test_every_module_imports(generated: tuple[Path, str]) -> None:
    package, _ = generated
    script = (
        "import importlib, pkgutil, sys\n"
        f"import {package.name} as root\n"
        "names = [m.name for m in pkgutil.walk_packages(root.__path__, root.__name__ + '.')]\n"
        "[importlib.import_module(n) for n in names]\n"
        "print(len(names))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=package.parent, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 700


def test_mypy_strict_is_clean(generated: tuple[Path, str]) -> None:
    package, _ = generated
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package.name],
        cwd=package.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
