"""docs/testing.md must be true: every python block in it runs, as a user's test module, and passes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.timeout(360)]  # above the 300 s of its run of pytest

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "testing.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_every_example_of_the_testing_guide_passes(tmp_path: Path) -> None:
    blocks = python_blocks()
    assert len(blocks) >= 5
    for index, block in enumerate(blocks):
        (tmp_path / f"test_doc_example_{index}.py").write_text(block, encoding="utf-8")
    expected = sum(len(re.findall(r"^def test_", block, flags=re.MULTILINE)) for block in blocks)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert f"{expected} passed" in result.stdout
