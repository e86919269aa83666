"""Every script in examples/ runs to completion against the embedded mock server (no API key).

The scripts choose the mock through ``examples/_connect.py``, which also fails the script when a request
it sent did not match the API description; so passing here means each example's requests are valid.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mistral_sdk.testing import MockServer
from tests.cli._run import CLIENT_SETTINGS

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
EXAMPLES = sorted(p for p in EXAMPLES_DIR.glob("*.py") if not p.name.startswith("_"))
# Examples running at once: their time is mostly the mock's paced stream, so a few overlap well on two
# cores, while all fifteen interpreters starting together starve the machine.
AT_ONCE = 4
# Seconds one example may take: all fifteen took 93 s, four at a time, on a 2-core machine with a load
# of 12 (about 25 s each); twice that. The module's pytest timeout covers four rounds of it.
EACH = 60
# The first test waits for every round of examples; pytest's timeout stays above them all.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(math.ceil(len(EXAMPLES) / AT_ONCE) * EACH + 60)]
MOCK_NOTICE = "MISTRAL_API_KEY is not set: using the mock Mistral server at http://127.0.0.1:"


def _env(**mistral_env: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLIENT_SETTINGS}
    env.update(mistral_env)
    return env


def _run(script: Path, *args: str, **mistral_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, env=_env(**mistral_env), timeout=EACH
    )


@pytest.fixture(scope="module")
def runs() -> dict[str, subprocess.CompletedProcess[str]]:
    """Every example run once without a key, a few at a time (most of their time is a paced stream)."""
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        return dict(zip((p.name for p in EXAMPLES), pool.map(_run, EXAMPLES), strict=True))


def test_the_examples_are_all_there() -> None:
    names = {p.stem for p in EXAMPLES}
    assert names >= {
        "chat", "streaming_chat", "async_streaming_chat", "tool_calling", "streaming_tool_calls",
        "structured_output", "vision", "embeddings", "models", "fim", "files",
        "conversation_streaming", "transcription", "batch_job", "library_search",
        "tools_runner", "stream_events", "paginated_listing", "streamed_download",
    }  # fmt: skip


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs_against_the_mock(script: Path, runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    lines = script.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 40, f"{script.name} has {len(lines)} lines: examples stay short"

    result = runs[script.name]

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(MOCK_NOTICE)
    assert len(result.stdout.splitlines()) > 2  # the notice, a blank line, then what the example shows


def test_streaming_chat_reports_finish_reason_usage_and_latency(
    runs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    result = runs["streaming_chat.py"]
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "finish_reason=stop" in lines
    assert "tokens: prompt=" in result.stdout and " completion=30 total=" in result.stdout  # the paced stream
    assert any(line.startswith("latency: last chunk ") for line in lines)
    assert "deterministic reply" in result.stdout


def test_tool_calling_runs_the_tool_and_answers_with_its_result(
    runs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    result = runs["tool_calling.py"]
    assert result.returncode == 0, result.stderr
    assert "model called get_weather({'city': 'Paris'}) -> {'city': 'Paris'," in result.stdout
    assert result.stdout.rstrip().endswith("sunny in Paris.")


def test_streamed_tool_call_pieces_are_joined(runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    result = runs["streaming_tool_calls.py"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("piece of a call: ") > 1
    assert 'call: get_weather({"city": "Lyon"})' in result.stdout


def test_structured_output_and_tools_runner_print_typed_results(
    runs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    structured, runner = runs["structured_output.py"], runs["tools_runner.py"]
    assert structured.returncode == 0, structured.stderr
    assert "The Little Prince by Antoine de Saint-Exupéry (1943)" in structured.stdout
    assert runner.returncode == 0, runner.stderr
    assert 'get_weather -> {"city": "Paris", "temperature": 18, "unit": "celsius"' in runner.stdout
    assert runner.stdout.rstrip().endswith("sunny in Paris.")


def test_stream_events_show_arguments_growing_then_the_finished_call(
    runs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    result = runs["stream_events.py"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("search_flights arguments so far: ") > 2
    assert "search_flights(**{'origin': 'CDG', 'destination': 'LIS', 'date': '2026-12-01'})" in result.stdout
    assert result.stdout.rstrip().endswith("finish reason: tool_calls")


def test_listing_and_download_examples_print_what_they_walked_and_wrote(
    runs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    listing, download = runs["paginated_listing.py"], runs["streamed_download.py"]
    assert listing.returncode == 0, listing.stderr
    assert "1 files in all" in listing.stdout and "1. " in listing.stdout
    assert download.returncode == 0, download.stderr
    assert "wrote 18 bytes to download.bin" in download.stdout  # the mock's file content


def test_conversation_streaming_prints_two_streamed_turns_with_usage(
    runs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    result = runs["conversation_streaming.py"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("deterministic reply") >= 2  # the text deltas of both turns
    assert result.stdout.count(" completion=30 total=") == 2  # each turn's usage, from its done event
    assert "conversation mock-conversation_id; a second turn:" in result.stdout


def test_batch_job_polls_until_the_job_is_finished(runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    result = runs["batch_job.py"]
    assert result.returncode == 0, result.stderr
    assert "created from questions.jsonl: QUEUED, 3 requests" in result.stdout
    assert "  RUNNING: 2/3 done, 0 failed" in result.stdout
    assert result.stdout.rstrip().endswith("finished: SUCCESS")


def test_transcription_and_library_search_print_what_came_back(
    runs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    transcription, library = runs["transcription.py"], runs["library_search.py"]
    assert transcription.returncode == 0, transcription.stderr
    assert "tone.wav (8044 bytes)" in transcription.stdout  # a 0.5 s, 8 kHz, 16-bit mono WAV and its header
    assert library.returncode == 0, library.stderr
    assert "answer: " in library.stdout and ": uploaded " in library.stdout


def test_with_a_key_the_examples_use_the_configured_server(mistral_mock: MockServer) -> None:
    result = _run(EXAMPLES_DIR / "chat.py", MISTRAL_API_KEY="test-key", MISTRAL_BASE_URL=mistral_mock.url)

    assert result.returncode == 0, result.stderr
    assert "mock Mistral server" not in result.stdout
    assert [r.path for r in mistral_mock.requests] == ["/v1/chat/completions"]
    assert mistral_mock.requests[0].headers["Authorization"] == "<redacted>"
