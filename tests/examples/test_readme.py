"""The README's code works as printed: the streaming quickstart, every command line it shows, every link."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from mistral_sdk.testing import MockServer
from tests.cli._run import environment, run_cli

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL)


def _command_lines() -> list[list[str]]:
    return [
        shlex.split(line, comments=True)
        for b in _blocks("sh")
        for line in b.splitlines()
        if line.startswith("mistral-sdk ")
    ]


def test_the_quickstart_streams_an_answer(mistral_mock: MockServer) -> None:
    (quickstart,) = _blocks("python")
    assert len(quickstart.strip().splitlines()) <= 12
    env = environment(api_key="test-key", base_url=mistral_mock.url)

    result = subprocess.run([sys.executable, "-c", quickstart], capture_output=True, text=True, env=env, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("This is a")
    assert " stop " in result.stdout  # finish reason, tokens, latency on the last line
    mistral_mock.assert_no_violations()


def test_the_readme_shows_every_command() -> None:
    shown = {argv[1] for argv in _command_lines()}
    assert shown == {"chat", "models", "embed"}
    options = {word for argv in _command_lines() for word in argv if word.startswith("--")}
    assert options >= {"--model", "--system", "--temperature", "--max-tokens", "--json", "--no-stream"}


@pytest.mark.parametrize("argv", _command_lines(), ids=lambda argv: " ".join(argv[1:3]))
def test_each_command_line_in_the_readme_runs(argv: list[str], mistral_mock: MockServer) -> None:
    result = run_cli(*argv[1:], env=environment(api_key="test-key", base_url=mistral_mock.url))

    assert result.returncode == 0, result.stderr
    assert result.stdout
    mistral_mock.assert_no_violations()


def test_links_point_at_files_that_exist() -> None:
    targets = re.findall(r"\]\(((?:docs|examples)/[^)]+)\)", README)
    assert {"docs/streaming.md", "docs/testing.md", "docs/regenerating.md", "docs/decisions.md"} <= set(targets)
    missing = [t for t in targets if not (ROOT / t).is_file()]
    assert not missing
    examples = {p.name for p in (ROOT / "examples").glob("[!_]*.py")}
    assert examples == {Path(t).name for t in targets if t.startswith("examples/")}  # every example is listed
