"""Per-call options on every method, sync and async: extra header, query parameter and body field reach the
wire, the per-call retry count and timeout take effect, and the client's own settings are untouched.

Every operation is called with its contract case (tests/contract/cases.py) against a loopback server that
answers 503: with ``max_retries=1`` each call is sent exactly twice, whatever the client's own setting.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._exceptions import APIStatusError, APITimeoutError
from mistral_sdk._resource import facade_operations
from tests.contract.cases import case_for
from tests.contract.derive import RequiredOnly
from tests.contract.sdk_adapter import Case, FacadeCaller
from tests.contract.spec_facts import call_variants, our_document

from ._server import FakeClock, Reply, ScriptedServer, Seen

OPTIONS = {
    "extra_headers": {"X-Probe": "yes"},
    "extra_query": {"probe": "1"},
    "extra_body": {"probe_field": "here"},
}
DOCUMENT = our_document()
VARIANTS = call_variants(DOCUMENT)
SYNTHESIZER = RequiredOnly(DOCUMENT)
CALLS = sorted(VARIANTS)  # operation ids, with "#stream" for the streaming method of a JSON-or-SSE operation


def _case(call: str) -> Case:
    """The call's contract case: hand-written where a scenario needs one, else derived from the spec."""
    op, streaming = VARIANTS[call]
    return case_for(SYNTHESIZER, op, call, streaming)


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as scripted:
        scripted.default = Reply(503, {"object": "error", "message": "busy"})
        yield scripted


def _method(root: Any, call: str) -> Callable[..., Any]:
    operation_id, _, stream = call.partition("#")
    return FacadeCaller(root)._method(root, operation_id, streaming=bool(stream))


def _body_fields(seen: Seen) -> dict[str, Any]:
    """The body's top-level fields, JSON or multipart."""
    content_type = seen.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + seen.body)
        parts = message.iter_parts()
        return {str(part.get_param("name", header="content-disposition")): part.get_content() for part in parts}
    decoded: dict[str, Any] = json.loads(seen.body)
    return decoded


def _array_body(call: str) -> bool:
    """A JSON array body has no field to add: ``extra_body`` is refused there (see the test below)."""
    return isinstance(_case(call).body, list)


def _options(call: str) -> dict[str, Any]:
    return {k: v for k, v in OPTIONS.items() if not (k == "extra_body" and _array_body(call))}


def _assert_on_the_wire(server: ScriptedServer, call: str) -> None:
    assert len(server.requests) == 2, f"{call}: max_retries=1 means two attempts, saw {len(server.requests)}"
    for seen in server.requests:
        assert seen.headers.get("x-probe") == "yes", call
        assert "probe=1" in seen.path.partition("?")[2].split("&"), (call, seen.path)
        if _array_body(call):
            assert json.loads(seen.body) == _case(call).body, call
        else:
            assert _body_fields(seen).get("probe_field") == "here", call


def test_extra_body_on_an_array_body_is_refused_before_sending(server: ScriptedServer) -> None:
    calls = [call for call in CALLS if _array_body(call)]
    assert calls, "the spec has an operation taking a JSON array"
    server.requests.clear()
    with Mistral("k", base_url=server.url, max_retries=0) as client:
        for call in calls:
            method = _method(client, call)
            with pytest.raises(TypeError, match="extra_body: this operation's body is not a JSON object"):
                method(**FacadeCaller._kwargs(method, _case(call)), extra_body={"probe_field": "here"})
    assert server.requests == []


def test_every_operation_is_called() -> None:
    operations = {call.partition("#")[0] for call in CALLS}
    assert operations == set(facade_operations())


@pytest.mark.parametrize("call", CALLS)
def test_sync_per_call_options_reach_the_wire(server: ScriptedServer, call: str) -> None:
    server.requests.clear()
    with Mistral("k", base_url=server.url, max_retries=5, clock=FakeClock()) as client:
        method = _method(client, call)
        with pytest.raises(APIStatusError):
            method(**FacadeCaller._kwargs(method, _case(call)), max_retries=1, **_options(call))
        assert client.max_retries == 5
    _assert_on_the_wire(server, call)


@pytest.mark.parametrize("call", CALLS)
def test_async_per_call_options_reach_the_wire(server: ScriptedServer, call: str) -> None:
    server.requests.clear()

    async def run() -> None:
        async with AsyncMistral("k", base_url=server.url, max_retries=5, clock=FakeClock()) as client:
            method = _method(client, call)
            with pytest.raises(APIStatusError):
                result = method(**FacadeCaller._kwargs(method, _case(call)), max_retries=1, **_options(call))
                if hasattr(result, "__aenter__"):  # a stream, opened on ``async with``
                    async with result:
                        pass
                else:
                    await result

    asyncio.run(run())
    _assert_on_the_wire(server, call)


def test_extra_body_key_wins_over_the_argument(server: ScriptedServer) -> None:
    server.requests.clear()
    usage = {"prompt_tokens": 1, "completion_tokens": 0, "total_tokens": 1}
    server.reply(Reply(body={"id": "e", "object": "list", "data": [], "model": "other", "usage": usage}))
    with Mistral("k", base_url=server.url, max_retries=0) as client:
        answer = client.embeddings.create(
            model="mistral-embed", input="a", extra_body={"model": "other", "input": ["b"]}
        )
    assert answer.model == "other"
    assert json.loads(server.requests[0].body) == {"model": "other", "input": ["b"]}


def test_unknown_keyword_is_refused_before_sending(server: ScriptedServer) -> None:
    server.requests.clear()
    with Mistral("k", base_url=server.url) as client, pytest.raises(TypeError, match="extra_heders"):
        client.embeddings.create(model="m", input="a", extra_heders={"x": "y"})  # type: ignore[call-arg]
    assert server.requests == []


SLOW = [
    "list_models_v1_models_get",
    "chat_completion_v1_chat_completions_post#stream",
    "files_api_routes_download_file",
]


@pytest.mark.parametrize("call", SLOW)
def test_per_call_timeout_takes_effect(call: str) -> None:
    with ScriptedServer() as slow:
        slow.default = Reply(delay=2.0)
        with Mistral("k", base_url=slow.url, timeout=30, max_retries=0) as client:
            method = _method(client, call)
            with pytest.raises(APITimeoutError):
                method(**FacadeCaller._kwargs(method, _case(call)), timeout=0.2)
            assert client.timeout.read == 30
        assert len(slow.requests) == 1


@pytest.mark.parametrize("call", SLOW)
def test_async_per_call_timeout_takes_effect(call: str) -> None:
    async def run() -> None:
        async with AsyncMistral("k", base_url=slow.url, timeout=30, max_retries=0) as client:
            method = _method(client, call)
            with pytest.raises(APITimeoutError):
                result = method(**FacadeCaller._kwargs(method, _case(call)), timeout=0.2)
                if asyncio.iscoroutine(result):
                    await result
                else:
                    async with result:
                        pass

    with ScriptedServer() as slow:
        slow.default = Reply(delay=2.0)
        asyncio.run(run())
        assert len(slow.requests) == 1
