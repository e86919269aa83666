"""AsyncMistral offers what Mistral offers: Go-parity shortcuts, raw responses, option copies."""

from __future__ import annotations

import json

import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._exceptions import InternalServerError
from mistral_sdk._generated.models.chat_completion_request import ChatCompletionRequest
from mistral_sdk._generated.models.user_message import UserMessage
from mistral_sdk.lib import choice_message

from ._server import FakeClock, Reply, ScriptedServer
from .test_client_wiring import COMPLETION

KEY = "sk-async"
LISTING = {
    "object": "list",
    "data": [
        {"id": "a", "object": "model", "type": "base", "capabilities": {"completion_chat": True, "ocr": True}},
        {"id": "b", "object": "model", "type": "base", "capabilities": {"completion_chat": True}},
    ],
}


def test_sync_chat_completion_keeps_the_request_unchanged(server: ScriptedServer) -> None:
    server.reply(Reply(body=COMPLETION))
    req = ChatCompletionRequest(model="m", messages=[UserMessage(content="hi")], stream=True)
    with Mistral(KEY, base_url=server.url) as client:
        answer = client.chat_completion(req)
    assert choice_message(answer.choices[0]).content == "hi"
    assert json.loads(server.requests[0].body)["stream"] is False
    assert req.stream is True


@pytest.mark.anyio
async def test_async_go_parity(server: ScriptedServer) -> None:
    server.reply(Reply(body=COMPLETION), Reply(body=LISTING), Reply(body=LISTING["data"][0]), Reply(body=LISTING))
    async with AsyncMistral(KEY, base_url=server.url) as client:
        answer = await client.chat_completion(ChatCompletionRequest(model="m", messages=[UserMessage(content="x")]))
        assert answer.id == "r1"
        assert len((await client.list_models()).data) == 2  # type: ignore[arg-type]
        assert (await client.get_model("a")).id == "a"  # type: ignore[union-attr]
        assert [m.id for m in await client.search_models(["ocr"])] == ["a"]


@pytest.mark.anyio
async def test_async_raw_response_and_options(server: ScriptedServer) -> None:
    server.reply(Reply(body=LISTING, headers={"x-ratelimit-remaining-requests": "9"}))
    clock = FakeClock()
    async with AsyncMistral(KEY, base_url=server.url, clock=clock, max_retries=3) as client:
        raw = await client.with_raw_response.models.list()
        assert raw.status_code == 200 and raw.rate_limit_headers == {"x-ratelimit-remaining-requests": "9"}
        assert len(raw.parsed.data) == 2  # type: ignore[arg-type]
        server.default = Reply(500, {"message": "down"})
        with pytest.raises(InternalServerError):
            await client.with_options(max_retries=1).models.list()
    assert len(server.requests) == 3
    assert len(clock.sleeps) == 1
