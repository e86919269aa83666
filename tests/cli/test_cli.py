"""``mistral-sdk``: every command and option against the mock server, and every way it can fail.

Most tests run the command in-process through ``run()`` (fast); the error paths and the entry points
run it as a child process, because "one line, no traceback, non-zero exit" is about what a user sees.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import socket
import sys
from pathlib import Path

import pytest

from mistral_sdk._cli import run
from mistral_sdk.testing import Fault, MockServer
from tests.cli._run import assert_one_error_line, environment, run_cli


@pytest.fixture
def mock(mistral_mock: MockServer, monkeypatch: pytest.MonkeyPatch) -> MockServer:
    """The session's mock with the environment of a configured user pointing at it."""
    monkeypatch.setenv("MISTRAL_API_KEY", "test-key")
    monkeypatch.setenv("MISTRAL_BASE_URL", mistral_mock.url)
    mistral_mock.stream_events = 5
    return mistral_mock


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


# -- chat ---------------------------------------------------------------------------------------


def test_chat_streams_the_answer_then_finish_reason_usage_and_latencies(mock: MockServer) -> None:
    status, out, err = cli("chat", "Tell", "me", "a", "story")

    assert (status, err) == (0, "")
    text, summary = out.split("\n\n")
    assert text == "This is a deterministic reply"
    lines = summary.splitlines()
    assert lines[0] == "finish reason: stop"
    usage = re.fullmatch(r"usage: (\d+) prompt \+ 5 completion = (\d+) tokens", lines[1])
    assert usage is not None, lines[1]
    assert int(usage[2]) == int(usage[1]) + 5
    assert re.fullmatch(r"latency: first chunk \d+ ms, total \d+\.\d{3} s, 6 chunks", lines[2]), lines[2]
    (request,) = mock.requests
    assert request.stream
    assert request.json["model"] == "mistral-small-latest"
    assert request.json["messages"] == [{"role": "user", "content": "Tell me a story"}]
    mock.assert_no_violations()


def test_chat_options_reach_the_request(mock: MockServer) -> None:
    status, _, err = cli(
        "chat", "--model", "open-mistral-nemo", "--system", "Answer in French.",
        "--temperature", "0.25", "--max-tokens", "40", "Hello",
    )  # fmt: skip

    assert (status, err) == (0, "")
    body = mock.requests[0].json
    assert body["model"] == "open-mistral-nemo"
    assert body["messages"] == [
        {"role": "system", "content": "Answer in French."},
        {"role": "user", "content": "Hello"},
    ]
    assert (body["temperature"], body["max_tokens"]) == (0.25, 40)
    mock.assert_no_violations()


def test_unset_options_are_not_sent(mock: MockServer) -> None:
    cli("chat", "Hello")

    assert not {"temperature", "max_tokens"} & set(mock.requests[0].json)


def test_chat_json_prints_each_raw_chunk_as_one_line(mock: MockServer) -> None:
    status, out, _ = cli("chat", "--json", "Hello")

    assert status == 0
    chunks = [json.loads(line) for line in out.splitlines()]
    assert len(chunks) == 6
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks) == "This is a deterministic reply"
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["usage"]["completion_tokens"] == 5
    assert "finish reason" not in out  # nothing but JSON on stdout


def test_chat_no_stream_waits_for_the_whole_answer(mock: MockServer) -> None:
    status, out, _ = cli("chat", "--no-stream", "Why do cats purr?")

    assert status == 0
    assert not mock.requests[0].stream
    assert mock.requests[0].json.get("stream") in (None, False)
    text, summary = out.split("\n\n")
    assert text.startswith("Cats purr")
    assert summary.splitlines() == [
        "finish reason: stop",
        "usage: 24 prompt + 19 completion = 43 tokens",
        summary.splitlines()[2],
    ]
    assert summary.splitlines()[2].startswith("latency: total ")
    mock.assert_no_violations()


def test_chat_no_stream_json_prints_the_response(mock: MockServer) -> None:
    status, out, _ = cli("chat", "--no-stream", "--json", "Hi")

    assert status == 0
    (line,) = out.splitlines()
    assert json.loads(line)["choices"][0]["message"]["content"].startswith("Cats purr")


# -- models and embed ---------------------------------------------------------------------------


def test_models_prints_a_table(mock: MockServer) -> None:
    status, out, _ = cli("models")

    assert status == 0
    header, first, second, count = out.splitlines()
    assert header.split() == ["ID", "CONTEXT", "CAPABILITIES", "ALIASES"]
    assert first.split()[0] == "mistral-small-2506" and first.split()[-1] == "mistral-small-latest"
    assert "vision" in first.split()[2]
    assert second.split()[0].startswith("ft:")
    assert count == "2 models"
    columns = [header.index("CONTEXT"), header.index("CAPABILITIES"), header.index("ALIASES")]
    assert [first.index(first.split()[i]) for i in (1, 2, 3)] == columns  # aligned
    assert mock.requests[0].path == "/v1/models"


def test_models_json(mock: MockServer) -> None:
    status, out, _ = cli("models", "--json")

    assert status == 0
    assert json.loads(out)["data"][0]["id"] == "mistral-small-2506"


def test_embed_prints_one_line_per_text_and_the_usage(mock: MockServer) -> None:
    status, out, _ = cli("embed", "first text", "second text")

    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("0  4 dimensions  [-0.0213, ") and lines[0].endswith("'first text'")
    assert lines[1].startswith("1  4 dimensions  ") and lines[1].endswith("'second text'")
    assert lines[2] == "model: mistral-embed, 17 tokens"
    assert mock.requests[0].json == {"model": "mistral-embed", "input": ["first text", "second text"]}
    mock.assert_no_violations()


def test_embed_model_option_and_json(mock: MockServer) -> None:
    status, out, _ = cli("embed", "--model", "my-embed", "--json", "x")

    assert status == 0
    assert len(json.loads(out)["data"]) == 2  # the mock's canned answer, printed as it came
    assert mock.requests[0].json["model"] == "my-embed"


# -- the embedded mock and the entry points -------------------------------------------------------


@pytest.mark.integration
def test_without_a_key_the_embedded_mock_answers_and_says_so_in_one_line() -> None:
    result = run_cli("chat", "Tell me a story", env=environment())

    assert result.returncode == 0, result.stderr
    (notice,) = result.stderr.splitlines()
    assert notice.startswith("MISTRAL_API_KEY is not set: using the embedded mock Mistral server at http://127.0.0.1:")
    assert result.stdout.startswith("This is a deterministic reply")
    assert "finish reason: stop" in result.stdout
    assert " + 30 completion = " in result.stdout  # the paced, longer stream
    assert "latency: first chunk " in result.stdout


@pytest.mark.integration
def test_the_installed_command_runs() -> None:
    script = shutil.which("mistral-sdk", path=str(Path(sys.executable).parent))
    assert script is not None, "mistral-sdk is not installed: run `make setup`"

    result = run_cli("models", env=environment(), command=(script,))

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "2 models"


def test_help_and_version_exit_zero() -> None:
    with pytest.raises(SystemExit) as caught:
        run(["--version"], out=io.StringIO(), err=io.StringIO())
    assert caught.value.code == 0
    with pytest.raises(SystemExit) as caught:
        run(["chat", "--help"], out=io.StringIO(), err=io.StringIO())
    assert caught.value.code == 0


@pytest.mark.integration
def test_starting_the_command_does_not_load_the_sdk() -> None:
    code = (
        "import sys; from mistral_sdk._cli import build_parser; build_parser().parse_args(['chat', 'hi']); "
        "print(sorted(m for m in ('httpx', 'mistral_sdk._client', 'mistral_sdk.testing') if m in sys.modules))"
    )
    result = run_cli("-c", code, env=environment(), command=(sys.executable,))

    assert result.stdout.strip() == "[]", result.stderr


# -- errors: one line, non-zero exit, no traceback ------------------------------------------------


@pytest.mark.integration
def test_refused_key_is_one_line_and_never_shows_the_key(mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(Fault.http_status(401))
    result = run_cli("chat", "Hi", env=environment(api_key="sk-very-secret-123", base_url=mistral_mock.url))

    assert_one_error_line(result, 1, "refused the API key (401)", "MISTRAL_API_KEY")
    assert "sk-very-secret-123" not in result.stdout + result.stderr


@pytest.mark.integration
def test_invalid_request_names_the_field(mistral_mock: MockServer) -> None:
    result = run_cli("chat", "--temperature", "5", "Hi", env=environment(api_key="k", base_url=mistral_mock.url))

    assert_one_error_line(result, 1, "(422)", "body.temperature")


@pytest.mark.integration
def test_server_error_after_retries(mistral_mock: MockServer) -> None:
    for _ in range(3):  # the first attempt and the client's two retries
        mistral_mock.enqueue(Fault.http_status(503, retry_after=0))
    result = run_cli("models", env=environment(api_key="k", base_url=mistral_mock.url))

    assert_one_error_line(result, 1, "503")
    assert len(mistral_mock.requests) == 3


@pytest.mark.integration
def test_broken_stream_keeps_the_partial_answer_and_ends_the_line(mistral_mock: MockServer) -> None:
    mistral_mock.stream_events = 5
    mistral_mock.enqueue(Fault.disconnect(after_events=2))
    result = run_cli("chat", "Hi", env=environment(api_key="k", base_url=mistral_mock.url))

    assert_one_error_line(result, 1, "stream broke after 2 chunks")
    assert result.stdout == "This is\n"  # what arrived, then a newline so the prompt is not glued to it


@pytest.mark.integration
def test_connection_refused() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    result = run_cli("models", env=environment(api_key="k", base_url=url))

    assert_one_error_line(result, 1, f"cannot connect to {url}", "refused")


@pytest.mark.integration
def test_base_url_without_key_is_refused_rather_than_ignored() -> None:
    result = run_cli("models", env=environment(base_url="http://127.0.0.1:9"))

    assert_one_error_line(result, 1, "MISTRAL_BASE_URL is set but MISTRAL_API_KEY is not")


@pytest.mark.integration
@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["chat", "--temperature", "hot", "Hi"], "argument --temperature: expected a number >= 0, got 'hot'"),
        (["chat", "--temperature", "nan", "Hi"], "argument --temperature"),
        (["chat", "--max-tokens", "0", "Hi"], "argument --max-tokens: expected a positive whole number"),
        (["chat", "--bogus", "Hi"], "unrecognized arguments: --bogus"),
        (["chat"], "the following arguments are required: prompt"),
        (["embed"], "the following arguments are required: TEXT"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_bad_command_lines(argv: list[str], fragment: str) -> None:
    result = run_cli(*argv, env=environment())

    line = assert_one_error_line(result, 2, fragment)
    assert line.endswith("--help)")
    assert result.stdout == ""


def test_mock_without_its_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def missing(self: MockServer) -> MockServer:
        raise ImportError("No module named 'openapi_core'")

    monkeypatch.delenv("MISTRAL_API_KEY", raising=False)
    monkeypatch.delenv("MISTRAL_BASE_URL", raising=False)
    monkeypatch.setattr(MockServer, "start", missing)

    status, out, err = cli("models")

    assert (status, out) == (1, "")
    (line,) = err.splitlines()
    assert "pip install 'mistral-sdk[testing]'" in line and "openapi_core" in line
