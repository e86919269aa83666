"""The facade end to end against the mock Mistral server (our openapi.yaml): valid requests, typed answers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._exceptions import RateLimitError, StreamIdleTimeoutError
from mistral_sdk._generated.models.chat_completion_response import ChatCompletionResponse
from mistral_sdk._generated.models.embedding_request import EmbeddingRequest
from mistral_sdk._generated.models.model_list import ModelList
from mistral_sdk._generated.models.user_message import UserMessage
from mistral_sdk.testing import Fault, MockServer

from ._server import FakeClock

KEY = "sk-e2e-0123456789"


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(api_key=KEY) as server:
        yield server


@pytest.fixture(autouse=True)
def _clean(mock: MockServer) -> Iterator[None]:
    mock.reset()
    yield
    mock.assert_no_violations()


def test_core_operations(mock: MockServer) -> None:
    with Mistral(KEY, base_url=mock.url) as client:
        answer = client.chat.complete(model="mistral-small-latest", messages=[UserMessage(content="hi")], max_tokens=5)
        assert isinstance(answer, ChatCompletionResponse) and answer.choices
        with client.chat.stream(model="mistral-small-latest", messages=[UserMessage(content="hi")]) as stream:
            chunks = list(stream)
        assert chunks[-1].is_last_chunk and sum(c.is_last_chunk for c in chunks) == 1
        with client.fim.stream(model="codestral-latest", prompt="def f(", suffix="return 1") as stream:
            assert stream.final_response().choices
        assert isinstance(client.models.list(), ModelList)
        client.models.retrieve("mistral-small-latest")
        assert client.embeddings(EmbeddingRequest(model="mistral-embed", input_=["a", "b"])).data
        client.embeddings.create(model="mistral-embed", input=("a",))
        client.files.list(page_size=2)
        client.files.download(uuid.UUID(int=1))
        assert client.search_models(["completion_chat"]) is not None
    assert len(mock.requests) == 10


def test_wrong_key_is_authentication_error(mock: MockServer) -> None:
    from mistral_sdk._exceptions import AuthenticationError

    with Mistral("sk-wrong", base_url=mock.url) as client, pytest.raises(AuthenticationError) as info:
        client.models.list()
    assert info.value.status_code == 401
    assert "sk-wrong" not in repr(vars(info.value))
    assert len(mock.violations) == 1  # the mock records a wrong key as the client's fault
    mock.reset()


def test_injected_rate_limit_is_retried_then_raised(mock: MockServer) -> None:
    clock = FakeClock()
    mock.enqueue(Fault.rate_limited(retry_after=3))
    mock.enqueue(Fault.rate_limited(retry_after=3))
    mock.enqueue(Fault.rate_limited(retry_after=3))
    with Mistral(KEY, base_url=mock.url, clock=clock) as client, pytest.raises(RateLimitError):
        client.models.list()
    assert clock.sleeps == [3.0, 3.0]
    mock.enqueue(Fault.rate_limited(retry_after=3))
    with Mistral(KEY, base_url=mock.url, clock=clock) as client:
        client.models.list()
    assert clock.sleeps[2:] == [3.0]


def test_stalled_stream_hits_the_idle_timeout(mock: MockServer) -> None:
    mock.enqueue(Fault.stall(after_events=1, seconds=2.0))
    with Mistral(KEY, base_url=mock.url, stream_idle_timeout=0.2) as client:
        with client.chat.stream(model="m", messages=[UserMessage(content="x")]) as stream:
            with pytest.raises(StreamIdleTimeoutError) as info:
                list(stream)
    assert len(info.value.chunks) == 1


@pytest.mark.anyio
async def test_async_core_operations(mock: MockServer) -> None:
    async with AsyncMistral(KEY, base_url=mock.url) as client:
        answer = await client.chat.complete(model="m", messages=[UserMessage(content="hi")])
        assert answer.choices
        async with await client.chat.stream(model="m", messages=[UserMessage(content="hi")]) as stream:
            assert [c async for c in stream][-1].is_last_chunk
        raw = await client.with_raw_response.models.list()
        assert raw.status_code == 200 and isinstance(raw.parsed, ModelList)
