"""How every example gets its client: the real API when MISTRAL_API_KEY is set, else the SDK's mock server.

Against the mock (no account needed) a one-line notice says so, streams are paced like a model's so you
can watch them arrive, and an example may pass ``mock_replies``: what the mock answers instead of its
generic reply (a tool call, a JSON document), so every step of the example runs. The real API never sees
them. When the example ends, the mock checks that every request it received matched the API description.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from mistral_sdk import AsyncMistral, Mistral

if TYPE_CHECKING:
    from mistral_sdk.testing import ScriptedResponse, ScriptedStream

    MockReply = ScriptedResponse | ScriptedStream

__all__ = ["connect", "connect_async", "mock_text_reply", "mock_tool_call", "mock_tool_call_stream"]


@contextlib.contextmanager
def _client_options(mock_replies: Sequence[MockReply]) -> Iterator[dict[str, Any]]:
    if os.environ.get("MISTRAL_API_KEY"):
        yield {}  # the client reads MISTRAL_API_KEY (and MISTRAL_BASE_URL) itself
        return
    from mistral_sdk.testing import DELAY_HEADER, EVENTS_HEADER, MockServer

    with MockServer() as mock:
        print(f"MISTRAL_API_KEY is not set: using the mock Mistral server at {mock.url}\n")
        for reply in mock_replies:
            mock.enqueue(reply)
        pacing = {EVENTS_HEADER: "30", DELAY_HEADER: "0.04"}  # a longer answer, paced like a real model
        yield {"api_key": "mock-key", "base_url": mock.url, "default_headers": pacing}
        mock.assert_no_violations()


@contextlib.contextmanager
def connect(mock_replies: Sequence[MockReply] = ()) -> Iterator[Mistral]:
    """A ``Mistral`` client, closed at the end of the ``with`` block."""
    with _client_options(mock_replies) as options, Mistral(**options) as client:
        yield client


@contextlib.asynccontextmanager
async def connect_async(mock_replies: Sequence[MockReply] = ()) -> AsyncIterator[AsyncMistral]:
    """An ``AsyncMistral`` client, closed at the end of the ``async with`` block."""
    with _client_options(mock_replies) as options:
        async with AsyncMistral(**options) as client:
            yield client


# -- canned answers for the mock: what a model would send back -----------------------------------------


def _completion(message: dict[str, Any], finish_reason: str) -> dict[str, Any]:
    return {
        "id": "mock-completion",
        "object": "chat.completion",
        "model": "mistral-small-latest",
        "created": 1763904000,
        "usage": {"prompt_tokens": 60, "completion_tokens": 20, "total_tokens": 80},
        "choices": [{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish_reason}],
    }


def mock_text_reply(text: str) -> ScriptedResponse:
    """A finished chat answer whose content is ``text``."""
    from mistral_sdk.testing import ScriptedResponse

    return ScriptedResponse(json=_completion({"content": text}, "stop"))


def _call(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {"id": "call0mock", "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}


def mock_tool_call(name: str, arguments: dict[str, Any]) -> ScriptedResponse:
    """A chat answer in which the model asks for one function call."""
    from mistral_sdk.testing import ScriptedResponse

    return ScriptedResponse(json=_completion({"content": "", "tool_calls": [_call(name, arguments)]}, "tool_calls"))


def mock_tool_call_stream(name: str, arguments: dict[str, Any]) -> ScriptedStream:
    """The same as a stream, with the arguments split over several chunks (each names the function, as the
    API description requires; the stream joins the pieces)."""
    from mistral_sdk.testing import ScriptedStream

    encoded = json.dumps(arguments)
    pieces = [encoded[i : i + 8] for i in range(0, len(encoded), 8)]
    calls = [{**_call(name, {}), "index": 0, "function": {"name": name, "arguments": piece}} for piece in pieces]
    deltas: list[dict[str, Any]] = [{"role": "assistant", "content": "", "tool_calls": calls[:1]}]
    deltas += [{"tool_calls": [call]} for call in calls[1:]]
    chunk = {"id": "mock-stream", "object": "chat.completion.chunk", "model": "mistral-small-latest", "created": 1}
    events = [{**chunk, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]} for delta in deltas]
    usage = {"prompt_tokens": 60, "completion_tokens": len(pieces), "total_tokens": 60 + len(pieces)}
    events.append({**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}], "usage": usage})
    return ScriptedStream(events, delay=0.04)
