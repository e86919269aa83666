"""A package generated from a small spec of a test's own, importable while the block runs."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def generated_package(spec: dict[str, Any], root: Path, package: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Generates ``package`` from ``spec`` under ``root``; yields the preprocessed spec and the package name, and
    forgets the package's modules afterwards so that nothing of it leaks into other tests."""
    from generator.regenerate import generate_package

    spec_path = root / "spec.json"
    spec_path.write_text(json.dumps(spec))
    generate_package(spec_path, root / package)
    sys.path.insert(0, str(root))
    try:
        yield json.loads((root / package / "openapi.json").read_text()), package
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith(package)]:
            del sys.modules[name]
