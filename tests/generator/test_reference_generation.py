"""The pipeline generates a complete, importable, type-clean package from Mistral's own published specs.

Both reference descriptions run: the 2026-07-15 one (173 operations) and the newest, 2026-08-13 (288
operations, audio/wav answers, 3.1 type lists, tuples, local $defs). Each costs a regeneration and a strict
mypy run of about 1,300 files. Measured for the newest on the shared 2-core machine: about 25 s of CPU to
regenerate and 30 s for mypy (fresh cache); the whole module about 125 s of CPU for both references (13
minutes of wall time at a load average of 15). The module-scoped fixture generates each once, and the
tests get a longer timeout than the suite's default.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.generator._paths import NEWEST_REFERENCE, REFERENCE, REGENERATE

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
#: Regeneration and mypy of a whole reference take minutes of wall time when the machine is shared.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

REFERENCES = [
    pytest.param(path, id=path.stem, marks=pytest.mark.skipif(not path.exists(), reason=f"{path.name} not present"))
    for path in (REFERENCE, NEWEST_REFERENCE)
]


@pytest.fixture(scope="module", params=REFERENCES)
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    spec: Path = request.param
    package_name = re.sub(r"\W", "_", spec.stem)
    output = tmp_path_factory.mktemp("reference") / package_name
    result = subprocess.run(
        [str(REGENERATE), "--spec", str(spec), "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return spec, output, result.stdout + result.stderr


#: The generated facade's size bound: no resource module over this many lines (issue: about 1,500 at 288 operations).
FACADE_MODULE_LINES = 1500


@pytest.fixture(scope="module")
def facade(generated: tuple[Path, Path, str]) -> tuple[Path, str]:
    """The resources package generated for the reference's package (names by the default rule where needed)."""
    _, package, _ = generated
    output = package.parent / f"{package.name}_resources"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "generator.facade", "--spec", str(package / "openapi.json")),
            *("--package", package.name, "--output", str(output), "--api-md", str(package.parent / "api.md")),
        ],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return output, result.stderr


def _operation_ids(package: Path) -> list[str]:
    # The package's copy of the spec it was generated from: JSON, read in milliseconds (the YAML takes ~20 s).
    data = json.loads((package / "openapi.json").read_text(encoding="utf-8"))
    return [
        op["operationId"] for item in data["paths"].values() for method, op in item.items() if method in HTTP_METHODS
    ]


def test_every_operation_is_generated(generated: tuple[Path, Path, str]) -> None:
    spec, package, _ = generated
    modules = sorted(p for p in (package / "api").rglob("*.py") if p.name != "__init__.py")
    operation_ids = _operation_ids(package)
    assert len(operation_ids) == {"mistral-openapi": 173, "mistral-openapi-2026-08": 288}[spec.stem]
    assert len(set(operation_ids)) == len(operation_ids)
    assert len(modules) == len(operation_ids)
    for module in modules:
        source = module.read_text(encoding="utf-8")
        # (``sync``/``asyncio``, which return the parsed body, exist only where there is a body to parse.)
        assert "\ndef sync_detailed(" in source, module.name
        assert "\nasync def asyncio_detailed(" in source, module.name


def test_generation_prints_no_warning(generated: tuple[Path, Path, str]) -> None:
    _, _, output = generated
    assert "warning" not in output.lower()


def test_each_operation_records_where_its_key_goes(generated: tuple[Path, Path, str], facade: tuple[Path, str]) -> None:
    """An operation whose security scheme is an apiKey header sends its key there, and only those do."""
    spec, package, _ = generated
    folder, _ = facade
    operations = json.loads((folder / "_operations.json").read_text(encoding="utf-8"))["operations"]
    header_keyed = {op_id: op["key_header"] for op_id, op in operations.items() if op["key_header"] is not None}
    assert header_keyed == _header_keyed_operations(package)
    if spec == NEWEST_REFERENCE:
        assert header_keyed["users_api_get_identity"] == "x-api-key"


def _header_keyed_operations(package: Path) -> dict[str, str]:
    """operationId -> header, for the operations whose (own, else top-level) scheme is an apiKey in a header."""
    data = json.loads((package / "openapi.json").read_text(encoding="utf-8"))
    schemes = data.get("components", {}).get("securitySchemes", {})
    found: dict[str, str] = {}
    for item in data["paths"].values():
        for method, op in item.items():
            if method in HTTP_METHODS:
                requirements = op.get("security", data.get("security")) or [{}]
                for name in requirements[0]:
                    if schemes[name]["type"] == "apiKey" and schemes[name]["in"] == "header":
                        found[op["operationId"]] = schemes[name]["name"]
    return found


def test_every_module_imports(generated: tuple[Path, Path, str]) -> None:
    _, package, _ = generated
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


def test_facade_has_every_operation_in_modules_of_bounded_size(
    generated: tuple[Path, Path, str], facade: tuple[Path, str]
) -> None:
    _, package, _ = generated
    folder, warnings = facade
    operations = json.loads((folder / "_operations.json").read_text(encoding="utf-8"))["operations"]
    assert sorted(operations) == sorted(_operation_ids(package))
    sizes = {str(p.relative_to(folder)): len(p.read_text(encoding="utf-8").splitlines()) for p in folder.rglob("*.py")}
    assert max(sizes.values()) <= FACADE_MODULE_LINES, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
    # operations our naming table does not list get the default rule's name, each reported, never a failure
    from generator.facade.naming import load_naming

    unnamed = set(operations) - set(load_naming())
    notes = [line for line in warnings.splitlines() if "not in generator/naming.yaml" in line]
    reported = {line.removeprefix("facade: warning: ").split(":", 1)[0] for line in notes}
    assert reported == unnamed


# On the newest reference only: the current API, whose package holds every construct the older one has;
# checking both cost another minute of CPU in ``make check`` (60 s for the older one, measured). The older
# one is still generated, imported and checked by every other test here.
@pytest.mark.parametrize("generated", REFERENCES[1:], indirect=True)
def test_mypy_strict_is_clean(generated: tuple[Path, Path, str], facade: tuple[Path, str], tmp_path: Path) -> None:
    _, package, _ = generated
    resources, _ = facade
    # A cache of its own: the project's .mypy_cache stays untouched and nothing stale is read.
    result = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy-cache")),
            *(package.name, resources.name),
        ],
        cwd=package.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_model_names_carry_no_generator_artefact(generated: tuple[Path, Path, str]) -> None:
    _, package, _ = generated
    script = (
        "import enum, re\n"
        f"import {package.name}.models as models\n"
        "classes = [getattr(models, n) for n in models.__all__]\n"
        "print([c.__name__ for c in classes if re.search(r'Type\\d+', c.__name__)])\n"
        "groups = {}\n"
        "for c in classes:\n"
        "    if isinstance(c, type) and issubclass(c, enum.Enum):\n"
        "        groups.setdefault(frozenset(m.value for m in c), []).append(c.__name__)\n"
        "print(sorted(names for names in groups.values() if len(names) > 1))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=package.parent, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[]", "[]"]
