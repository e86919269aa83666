"""``response.text`` / ``response.thinking`` for string and chunk-list content, sync and async."""

from __future__ import annotations

from typing import Any

import pytest

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk._generated.models.chat_completion_response import ChatCompletionResponse
from mistral_sdk.lib import ChatCompletion, with_accessors
from mistral_sdk.testing import MockServer, ScriptedResponse

MESSAGES = [{"role": "user", "content": "Hi"}]


def _reply(*contents: Any) -> ScriptedResponse:
    choices = [
        {"index": i, "message": {"role": "assistant", "content": c}, "finish_reason": "stop"}
        for i, c in enumerate(contents)
    ]
    usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
    body = {"id": "c", "object": "chat.completion", "model": "m", "created": 1, "usage": usage, "choices": choices}
    return ScriptedResponse(json={**body, "unknown": 1})


CHUNKS = [
    {"type": "thinking", "thinking": [{"type": "text", "text": "Hmm, "}, {"type": "text", "text": "easy."}]},
    {"type": "text", "text": "Four"},
    {"type": "image_url", "image_url": "https://example.invalid/x.png"},
    {"type": "text", "text": "."},
]


def test_accessors_on_string_and_chunk_content(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(_reply("Plain answer", CHUNKS))
    response = client.chat.complete(model="m", messages=MESSAGES, n=2)  # a ChatCompletion as it comes

    assert isinstance(response, ChatCompletion) and isinstance(response, ChatCompletionResponse)
    assert (response.text, response.thinking) == ("Plain answer", "")
    assert response.text_of(1) == "Four."
    assert response["unknown"] == 1
    assert response.to_dict()["choices"][1]["message"]["content"][0]["type"] == "thinking"
    with pytest.raises(IndexError, match="no choice 2"):
        response.text_of(2)

    mistral_mock.enqueue(_reply(CHUNKS))
    chunked = client.chat.complete(model="m", messages=MESSAGES)
    assert (chunked.text, chunked.thinking) == ("Four.", "Hmm, easy.")
    assert with_accessors(chunked) is chunked


def test_agents_and_raw_responses_have_the_accessors_too(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(_reply(CHUNKS))
    answer = client.agents.complete(agent_id="ag-1", messages=MESSAGES)
    assert isinstance(answer, ChatCompletion) and answer.text == "Four."

    mistral_mock.enqueue(_reply("raw"))
    raw = client.with_raw_response.chat.complete(model="m", messages=MESSAGES)
    assert raw.status_code == 200 and isinstance(raw.parsed, ChatCompletion) and raw.parsed.text == "raw"


def test_the_answer_is_decoded_straight_into_the_subclass(
    client: Mistral, mistral_mock: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mistral_sdk.lib._completion as completion

    def no_copy(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the answer was decoded as ChatCompletionResponse and then copied")

    monkeypatch.setattr(completion, "_copy_as", no_copy)
    mistral_mock.enqueue(_reply("direct"))
    answer = client.chat.complete(model="m", messages=MESSAGES)
    assert type(answer) is ChatCompletion and answer.text == "direct" and answer["unknown"] == 1
    assert answer == ChatCompletion.from_dict(answer.to_dict())


@pytest.mark.parametrize("status", [201, 203])
def test_other_success_statuses_still_go_through_the_generated_parser(
    client: Mistral, mistral_mock: MockServer, status: int
) -> None:
    from mistral_sdk import APIResponseValidationError

    reply = _reply("x")
    mistral_mock.enqueue(ScriptedResponse(status=status, json=reply.json))
    with pytest.raises(APIResponseValidationError, match=f"answered {status}, a status this operation does not"):
        client.chat.complete(model="m", messages=MESSAGES)


@pytest.mark.anyio
async def test_accessors_async_and_on_streams(aclient: AsyncMistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(_reply(CHUNKS))
    response = await aclient.chat.complete(model="m", messages=MESSAGES)
    assert isinstance(response, ChatCompletion) and response.thinking == "Hmm, easy."
    mistral_mock.enqueue(_reply("agent"))
    assert (await aclient.agents.complete(agent_id="ag-1", messages=MESSAGES)).text == "agent"

    async with aclient.chat.stream(model="m", messages=MESSAGES) as stream:
        pieces = [t async for t in stream.text_stream]
        final = await stream.final_response()
    assert isinstance(final, ChatCompletion)
    assert final.text == "".join(pieces)
