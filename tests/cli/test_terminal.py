"""In a real terminal (a pty), ``mistral-sdk chat`` shows the answer piece by piece, not all at the end.

The command runs as a child process attached to a pseudo-terminal, as in a user's shell. The server
sends the next word of the answer only once the test has seen the previous one on the terminal:
a command that held its output back until the end (or until a buffer filled) never shows the first
word, and the test fails on its wait. Nothing depends on how fast a busy machine runs the command.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pexpect  # type: ignore[import-untyped]  # no stubs published for 4.9
import pytest

from mistral_sdk.testing import Fault, MockServer
from tests.cli._run import environment
from tests.streaming._server import USAGE, RawServer, Wire, chunk_json, event, serve

pytestmark = pytest.mark.integration

# Seconds any one wait may take (the command's start-up included) before the test gives up; measured
# at under 3 s on a busy 2-core machine. pytest-timeout's 120 s stays above a whole test's waits.
WAIT = 20


class GatedStream:
    """A chat stream that sends each word only after the test saw the one before it on the terminal."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.shown = [threading.Event() for _ in words]

    def __call__(self, wire: Wire) -> bool:
        wire.head()
        wire.chunk(event(chunk_json("", role="assistant")))
        for word, shown in zip(self.words, self.shown, strict=True):
            wire.chunk(event(chunk_json(word)))
            if not shown.wait(WAIT):
                break  # the test gave up on this word: end the stream, the test has failed anyway
        wire.chunk(event(chunk_json(None, finish="stop", usage=USAGE)))
        wire.chunk(b"data: [DONE]\n\n")
        wire.end()
        return False


@pytest.fixture
def server() -> Iterator[RawServer]:
    yield from serve()


def spawn_chat(url: str) -> pexpect.spawn:
    env = environment(api_key="k", base_url=url)
    return pexpect.spawn(sys.executable, ["-m", "mistral_sdk", "chat", "Hi"], env=env, encoding="utf-8", timeout=WAIT)


def show_word_by_word(server: RawServer, words: list[str]) -> str:
    """Everything the command printed, having checked that each word was on screen before the next was sent."""
    stream = GatedStream(words)
    server.queue(stream)
    child = spawn_chat(server.url)
    printed: str = ""
    try:
        for word, shown in zip(words, stream.shown, strict=True):
            child.expect_exact(word)  # on screen while the server still holds back the rest
            printed += child.before + child.after
            shown.set()
        child.expect(pexpect.EOF)
        printed += child.before
    finally:
        child.close()
    assert child.exitstatus == 0, printed
    return printed.replace("\r\n", "\n")


def test_first_words_appear_while_the_stream_is_still_running(server: RawServer) -> None:
    output = show_word_by_word(server, ["This is", " a reply"])

    assert output.startswith("This is a reply\n\nfinish reason: stop\n")
    assert "latency: first chunk " in output


def test_a_paced_stream_reaches_the_terminal_in_many_pieces(server: RawServer) -> None:
    words = ["Once", " upon", " a", " time", " there", " was", " a", " hamster"]

    output = show_word_by_word(server, words)

    assert output.startswith("Once upon a time there was a hamster\n\nfinish reason: stop\n")
    assert "usage: 5 prompt + 3 completion = 8 tokens\n" in output


def test_ctrl_c_mid_stream_ends_quietly_with_status_130(mistral_mock: MockServer) -> None:
    mistral_mock.stream_events = 6
    mistral_mock.enqueue(Fault.stall(after_events=2))  # holds the stream until the server is reset
    child = spawn_chat(mistral_mock.url)
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
