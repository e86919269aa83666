"""The issue's example, end to end through ``Mistral`` / ``AsyncMistral`` against the loopback server."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._exceptions import (
    APIStatusError,
    AuthenticationError,
    InternalServerError,
    RateLimitError,
    UnprocessableEntityError,
)
from mistral_sdk._helpers import new_chat_completion_stream_request, new_user_message_from_string
from mistral_sdk._streaming import (
    COMPLETION_CHUNK_DECODER,
    AsyncStream,
    CompletionStreamChunk,
    PendingAsyncStream,
)
from mistral_sdk.lib import choice_message

from ._server import RawServer, Script, Wire, completion_events, sse_script

WORDS = ["Once", " upon", " a", " time"]


def test_sync_example(server: RawServer) -> None:
    server.queue(sse_script(completion_events(WORDS), pause=0.005))
    client = Mistral(api_key="sk-test", base_url=server.url)
    req = new_chat_completion_stream_request(
        "mistral-small-latest", [new_user_message_from_string("Tell me a long story about a space hamster")]
    )
    printed: list[str] = []
    last = None
    with client.chat_completion_stream(req) as stream:
        for chunk in stream:
            chunk.delta_message()
            printed.append(chunk.text)
            if chunk.is_last_chunk:
                assert chunk.usage is not None
                last = (
                    chunk.choices[0].finish_reason,
                    chunk.usage.prompt_tokens,
                    chunk.usage.completion_tokens,
                    chunk.usage.total_tokens,
                )
                assert chunk.total_latency > 0
    client.close()
    assert "".join(printed) == "Once upon a time"
    assert last == ("stop", 5, 3, 8)
    sent = json.loads(server.bodies[0])
    assert sent["stream"] is True and sent["messages"][0]["role"] == "user"


def test_async_example(server: RawServer) -> None:
    server.queue(sse_script(completion_events(WORDS), pause=0.005))

    async def run() -> str:
        client = AsyncMistral(api_key="sk-test", base_url=server.url)
        req = new_chat_completion_stream_request(
            "mistral-small-latest", [new_user_message_from_string("Tell me a long story about a space hamster")]
        )
        out = []
        async with await client.chat_completion_stream(req) as stream:
            async for chunk in stream:
                out.append(chunk.text)
                if chunk.is_last_chunk:
                    assert chunk.choices[0].finish_reason == "stop"
        await client.close()
        return "".join(out)

    assert asyncio.run(run()) == "Once upon a time"


def test_pending_async_stream_works_with_and_without_await(server: RawServer) -> None:
    server.queue(sse_script(completion_events(["a", "b"])), sse_script(completion_events(["c"])))

    async def run() -> list[str]:
        async with httpx.AsyncClient() as http:

            async def open_stream() -> AsyncStream[CompletionStreamChunk]:
                response = await http.send(http.build_request("POST", server.url), stream=True)
                return AsyncStream(response, COMPLETION_CHUNK_DECODER)

            texts = []
            async with PendingAsyncStream(open_stream()) as stream:
                texts.append("".join([c.text async for c in stream]))
            stream2 = await PendingAsyncStream(open_stream())
            async with stream2:
                texts.append(str(choice_message((await stream2.final_response()).choices[0]).content))
            return texts

    assert asyncio.run(run()) == ["ab", "c"]


def _json_error(status: int, body: object) -> Script:
    def script(w: Wire) -> bool:
        w.head(status=status, content_type="application/json", chunked=False)
        w.raw(json.dumps(body).encode())
        return False

    return script


VALIDATION = {"detail": [{"loc": ["body", "model"], "msg": "Field required", "type": "missing"}]}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (401, {"message": "Unauthorized"}, AuthenticationError),
        (422, VALIDATION, UnprocessableEntityError),
        (429, {"message": "Too many requests"}, RateLimitError),
        (503, {"message": "Overloaded"}, InternalServerError),
    ],
)
def test_status_errors_before_the_stream_are_the_clients(
    server: RawServer, mode: str, status: int, body: object, error: type[APIStatusError]
) -> None:
    server.queue(_json_error(status, body))
    req = new_chat_completion_stream_request("m", [new_user_message_from_string("x")])
    caught: BaseException | None = None
    if mode == "sync":
        with Mistral(api_key="sk-test", base_url=server.url, max_retries=0) as client:
            try:
                client.chat_completion_stream(req)
            except APIStatusError as exc:
                caught = exc
    else:

        async def run() -> BaseException | None:
            async with AsyncMistral(api_key="sk-test", base_url=server.url, max_retries=0) as client:
                try:
                    await client.chat_completion_stream(req)
                except APIStatusError as exc:
                    return exc
            return None

        caught = asyncio.run(run())
    assert type(caught) is error
    assert isinstance(caught, APIStatusError) and caught.status_code == status
    if isinstance(caught, UnprocessableEntityError):
        assert [d.raw for d in caught.details] == VALIDATION["detail"]
