"""In a real terminal (a pty), ``mistral-sdk chat`` shows the answer piece by piece, not all at the end.

The command runs as a child process attached to a pseudo-terminal, as in a user's shell; every read
of the terminal is timestamped. Against a stream that the mock holds still in the middle, the
first words must be on screen while the rest is still being waited for.
"""

from __future__ import annotations

import sys
import time

import pexpect  # type: ignore[import-untyped]  # no stubs published for 4.9
import pytest

from mistral_sdk.testing import Fault, MockServer
from tests.cli._run import environment

pytestmark = pytest.mark.integration

STALL = 2.0  # seconds the mock holds the stream after its first two events


def read_terminal(args: list[str], env: dict[str, str]) -> list[tuple[float, str]]:
    """Everything the command printed, as (seconds since start, text) per read of the terminal."""
    child = pexpect.spawn(sys.executable, ["-m", "mistral_sdk", *args], env=env, encoding="utf-8", timeout=20)
    start = time.monotonic()
    reads: list[tuple[float, str]] = []
    try:
        while True:
            try:
                text = child.read_nonblocking(4096, timeout=20)
                reads.append((time.monotonic() - start, text))
            except pexpect.EOF:
                break
    finally:
        child.close()
    assert child.exitstatus == 0, "".join(text for _, text in reads)
    return reads


def first_time_seen(reads: list[tuple[float, str]], text: str) -> float:
    seen = ""
    for when, piece in reads:
        seen += piece
        if text in seen:
            return when
    raise AssertionError(f"{text!r} never appeared in {seen!r}")


def test_first_words_appear_while_the_stream_is_still_running(mistral_mock: MockServer) -> None:
    mistral_mock.stream_events = 6
    mistral_mock.enqueue(Fault.stall(after_events=2, seconds=STALL))

    reads = read_terminal(["chat", "Hello"], environment(api_key="k", base_url=mistral_mock.url))

    first_words = first_time_seen(reads, "This is")
    rest = first_time_seen(reads, "deterministic reply")
    end = first_time_seen(reads, "finish reason: stop")
    assert rest - first_words > STALL / 2, reads  # the first words were on screen during the stall
    assert end >= rest
    output = "".join(text for _, text in reads).replace("\r\n", "\n")
    assert output.startswith("This is a deterministic reply from\n\nfinish reason: stop\n")
    assert "latency: first chunk " in output


def test_a_paced_stream_reaches_the_terminal_in_many_pieces(mistral_mock: MockServer) -> None:
    mistral_mock.stream_events = 8
    mistral_mock.stream_delay = 0.15

    reads = read_terminal(["chat", "Hello"], environment(api_key="k", base_url=mistral_mock.url))

    end = first_time_seen(reads, "finish reason")
    text_reads = [when for when, text in reads if when < end and text.strip()]
    assert len(text_reads) >= 3, reads  # eight events 0.15 s apart: not one burst at the end (margin for load)
    assert end - text_reads[0] > 0.5, reads


def test_ctrl_c_mid_stream_ends_quietly_with_status_130(mistral_mock: MockServer) -> None:
    mistral_mock.stream_events = 6
    mistral_mock.enqueue(Fault.stall(after_events=2))  # holds the stream until the server is reset
    env = environment(api_key="k", base_url=mistral_mock.url)
    child = pexpect.spawn(sys.executable, ["-m", "mistral_sdk", "chat", "Hi"], env=env, encoding="utf-8", timeout=20)
    try:
        child.expect_exact("This is")
        child.sendintr()
        child.expect(pexpect.EOF)
        output = child.before
    finally:
        child.close()

    assert child.exitstatus == 130, output
    assert "Traceback" not in output
    assert output.replace("\r\n", "\n").strip().splitlines()[-1] == "interrupted"
