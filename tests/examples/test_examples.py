"""Every script in examples/ runs to completion against the embedded mock server (no API key)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.py"))


def _run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MISTRAL_API_KEY", "MISTRAL_BASE_URL")}
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs_against_the_mock(script: Path) -> None:
    result = _run(script)
    assert result.returncode == 0, result.stderr
    assert "using the mock Mistral server" in result.stdout


def test_streaming_chat_reports_finish_reason_usage_and_latency() -> None:
    result = _run(EXAMPLES[0].with_name("streaming_chat.py"), "Say hello")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "finish_reason=stop" in lines
    assert any(line.startswith("tokens: prompt=") and " total=" in line for line in lines)
    assert any(line.startswith("latency: last chunk ") for line in lines)
    assert "deterministic reply" in result.stdout
