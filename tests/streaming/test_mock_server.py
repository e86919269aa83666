"""The streaming layer against the project's mock Mistral server (``mistral_sdk.testing``).

The loopback server of this directory pins exact bytes; this is the same behaviour end to end:
the issue's example through ``Mistral`` / ``AsyncMistral``, and each of the mock's stream faults
arriving as its typed error with the partial answer kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._exceptions import (
    StreamDecodeError,
    StreamDisconnectedError,
    StreamError,
    StreamIdleTimeoutError,
    StreamIncompleteError,
    StreamResetError,
    StreamServerError,
)
from mistral_sdk._generated.models.chat_completion_request import ChatCompletionRequest
from mistral_sdk._helpers import new_chat_completion_stream_request, new_user_message_from_string
from mistral_sdk.testing import Fault, MockServer

MODES = ["sync", "async"]
KEY = "sk-mock-test"


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(api_key=KEY, stream_events=5) as server:
        yield server


def _req() -> ChatCompletionRequest:
    return new_chat_completion_stream_request(
        "mistral-small-latest", [new_user_message_from_string("Tell me a long story about a space hamster")]
    )


def _collect(mock: MockServer, mode: str, idle: float = 5.0) -> tuple[list[tuple[str, bool]], BaseException | None]:
    chunks: list[tuple[str, bool]] = []
    if mode == "sync":
        with Mistral(api_key=KEY, base_url=mock.url, stream_idle_timeout=idle) as client:
            try:
                with client.chat_completion_stream(_req()) as stream:
                    for c in stream:
                        chunks.append((c.text, c.is_last_chunk))
            except StreamError as exc:
                return chunks, exc
        return chunks, None

    async def run() -> BaseException | None:
        async with AsyncMistral(api_key=KEY, base_url=mock.url, stream_idle_timeout=idle) as client:
            try:
                async with await client.chat_completion_stream(_req()) as stream:
                    async for c in stream:
                        chunks.append((c.text, c.is_last_chunk))
            except StreamError as exc:
                return exc
        return None

    return chunks, asyncio.run(run())


@pytest.mark.parametrize("mode", MODES)
def test_example_against_the_mock(mock: MockServer, mode: str) -> None:
    chunks, error = _collect(mock, mode)
    assert error is None
    assert [last for _, last in chunks].count(True) == 1 and chunks[-1][1]
    assert "".join(text for text, _ in chunks)
    mock.assert_no_violations()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.disconnect(2), StreamDisconnectedError),
        (Fault.reset(2), StreamResetError),
        (Fault.no_done(), StreamIncompleteError),
        (Fault.invalid_json(2), StreamDecodeError),
        (Fault.error_event(2), StreamServerError),
        (Fault.stall(2, seconds=2.0), StreamIdleTimeoutError),
    ],
)
def test_mock_faults_arrive_typed(mock: MockServer, mode: str, fault: Fault, error: type[StreamError]) -> None:
    mock.enqueue(fault)
    chunks, caught = _collect(mock, mode, idle=0.3)
    assert type(caught) is error
    assert isinstance(caught, StreamError)
    assert [c.text for c in caught.chunks] == [text for text, _ in chunks]
    assert caught.text == "".join(text for text, _ in chunks) != ""
    assert not any(last for _, last in chunks)
