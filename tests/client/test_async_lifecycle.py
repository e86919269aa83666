"""Every way of using an async streaming call, and one ``AsyncMistral`` across successive event loops."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from mistral_sdk._client import AsyncMistral
from mistral_sdk._generated.models.chat_completion_request import ChatCompletionRequest
from mistral_sdk._generated.models.user_message import UserMessage
from mistral_sdk._streaming import CompletionStreamChunk, PendingAsyncStream

from ._server import Reply, ScriptedServer
from .test_streams import STORY

KEY = "sk-async-lifecycle"
MODELS = {"object": "list", "data": []}


REQUEST = ChatCompletionRequest(model="m", messages=[UserMessage(content="tell me")])

Usage = Callable[[PendingAsyncStream[CompletionStreamChunk]], Awaitable[list[str]]]


async def _await_it(pending: PendingAsyncStream[CompletionStreamChunk]) -> list[str]:
    stream = await pending
    async with stream:
        return [c.text async for c in stream]


async def _async_with_as(pending: PendingAsyncStream[CompletionStreamChunk]) -> list[str]:
    async with pending as stream:
        return [c.text async for c in stream]


async def _async_with_without_as(pending: PendingAsyncStream[CompletionStreamChunk]) -> list[str]:
    async with pending:
        return [c.text async for c in pending]


async def _bare_async_for(pending: PendingAsyncStream[CompletionStreamChunk]) -> list[str]:
    return [c.text async for c in pending]


USAGES: dict[str, Usage] = {
    "await": _await_it,
    "async-with-as": _async_with_as,
    "async-with-without-as": _async_with_without_as,
    "bare-async-for": _bare_async_for,
}


@pytest.mark.parametrize("usage", sorted(USAGES))
def test_pending_stream_spellings(server: ScriptedServer, usage: str) -> None:
    server.reply(Reply(chunks=STORY))

    async def run() -> tuple[list[str], bool]:
        async with AsyncMistral(KEY, base_url=server.url) as client:
            pending = client.chat_completion_stream(REQUEST)
            texts = await USAGES[usage](pending)
            stream = await pending  # the same stream, already finished: nothing is sent again
            return texts, stream.response.is_closed

    texts, closed = asyncio.run(run())
    assert texts == ["Once ", "upon", " a time"]
    assert closed
    assert len(server.requests) == 1


def test_bare_async_for_with_break_then_close_releases(server: ScriptedServer) -> None:
    server.reply(Reply(chunks=STORY))

    async def run() -> bool:
        async with AsyncMistral(KEY, base_url=server.url) as client:
            pending = client.chat_completion_stream(REQUEST)
            async for _ in pending:
                break
            await pending.close()
            return (await pending).response.is_closed

    assert asyncio.run(run())


def test_one_client_across_two_event_loops(server: ScriptedServer) -> None:
    server.default = Reply(body=MODELS)
    client = AsyncMistral(KEY, base_url=server.url)

    async def call() -> str:
        models = await client.list_models()
        return models.object_ if isinstance(models.object_, str) else ""

    assert asyncio.run(call()) == "list"
    assert asyncio.run(call()) == "list"  # the pool of the first (now closed) loop is not reused

    async def stream_and_close() -> list[str]:
        server.reply(Reply(chunks=STORY))
        async with client.chat_completion_stream(REQUEST) as stream:
            texts = [c.text async for c in stream]
        await client.close()
        return texts

    assert asyncio.run(stream_and_close()) == ["Once ", "upon", " a time"]
    assert len(server.requests) == 3


def test_the_same_loop_keeps_its_connection_pool(server: ScriptedServer) -> None:
    server.default = Reply(body=MODELS)

    async def run() -> bool:
        async with AsyncMistral(KEY, base_url=server.url) as client:
            await client.list_models()
            first = client._http
            await client.list_models()
            return client._http is first

    assert asyncio.run(run())
