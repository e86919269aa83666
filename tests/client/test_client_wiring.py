"""The client's rate_limit= and cache= options, logging, raw responses and the key's absence everywhere."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._generated.models.user_message import UserMessage
from mistral_sdk._ratelimit import RateLimit
from mistral_sdk.lib import choice_message

from ._server import FakeClock, Reply, ScriptedServer
from .test_streams import STORY

KEY = "sk-wiring-SECRET-0123456789"
COMPLETION = {
    "id": "r1",
    "object": "chat.completion",
    "model": "m",
    "created": 1,
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
}
MESSAGES = [UserMessage(content="hello")]


def _files_text(directory: Path) -> str:
    return "".join(p.read_bytes().decode("latin-1") for p in directory.rglob("*") if p.is_file())


def test_cache_hit_and_miss(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = Reply(body=COMPLETION)
    with Mistral(KEY, base_url=server.url, cache=tmp_path) as client:
        first = client.chat.complete(model="m", messages=MESSAGES)
        second = client.chat.complete(model="m", messages=MESSAGES)
        assert len(server.requests) == 1
        assert first.to_dict() == second.to_dict()
        client.chat.complete(model="other", messages=MESSAGES)
        assert len(server.requests) == 2
    text = _files_text(tmp_path)
    assert text and KEY not in text


def test_cache_replays_a_stream_as_a_stream(server: ScriptedServer, tmp_path: Path) -> None:
    server.reply(Reply(chunks=STORY))
    with Mistral(KEY, base_url=server.url, cache=tmp_path) as client:
        for _ in range(2):
            with client.chat.stream(model="m", messages=MESSAGES) as stream:
                chunks = list(stream)
            assert [c.text for c in chunks] == ["Once ", "upon", " a time"]
            assert chunks[-1].is_last_chunk
    assert len(server.requests) == 1
    assert KEY not in _files_text(tmp_path)


def test_cache_is_shared_between_keys(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = Reply(body=COMPLETION)
    with (
        Mistral(KEY, base_url=server.url, cache=tmp_path) as a,
        Mistral("other", base_url=server.url, cache=tmp_path) as b,
    ):
        a.chat.complete(model="m", messages=MESSAGES)
        b.chat.complete(model="m", messages=MESSAGES)
    assert len(server.requests) == 1


@pytest.mark.anyio
async def test_async_cache(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = Reply(body=COMPLETION)
    async with AsyncMistral(KEY, base_url=server.url, cache=tmp_path) as client:
        await client.chat.complete(model="m", messages=MESSAGES)
        await client.chat.complete(model="m", messages=MESSAGES)
    assert len(server.requests) == 1


class MonotonicFake:
    def __init__(self) -> None:
        self.t = 100.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def test_rate_limit_paces_requests(server: ScriptedServer) -> None:
    fake = MonotonicFake()
    limit = RateLimit(requests_per_second=2, clock=fake.now, sleep=fake.sleep)
    server.default = Reply(body={"object": "list", "data": []})
    with Mistral(KEY, base_url=server.url, rate_limit=limit) as client:
        for _ in range(3):
            client.models.list()
    assert len(server.requests) == 3
    assert sum(fake.sleeps) == pytest.approx(1.0)


def test_cache_hits_cost_no_rate_budget(server: ScriptedServer, tmp_path: Path) -> None:
    fake = MonotonicFake()
    limit = RateLimit(requests_per_second=1, clock=fake.now, sleep=fake.sleep)
    server.default = Reply(body=COMPLETION)
    with Mistral(KEY, base_url=server.url, rate_limit=limit, cache=tmp_path) as client:
        for _ in range(4):
            client.chat.complete(model="m", messages=MESSAGES)
    assert len(server.requests) == 1
    assert fake.sleeps == []


def test_rate_limit_and_cache_wrap_a_user_http_client(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = Reply(body=COMPLETION)
    hooks: list[str] = []
    http = httpx.Client(event_hooks={"response": [lambda r: hooks.append(str(r.status_code))]})
    with Mistral(KEY, base_url=server.url, http_client=http, cache=tmp_path) as client:
        client.chat.complete(model="m", messages=MESSAGES)
        client.chat.complete(model="m", messages=MESSAGES)
    assert len(server.requests) == 1
    # The cache sits around the client's send: the client's hooks see the network answer, a replay is
    # answered before the client is asked (and is marked by its header instead).
    assert hooks == ["200"]


def test_logging_redacts_the_key(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("MISTRAL_LOG", "debug")
    server.reply(Reply(503, {}), Reply(body=COMPLETION))
    caplog.set_level(logging.DEBUG, logger="mistral_sdk")
    with Mistral(KEY, base_url=server.url, clock=FakeClock()) as client:
        client.chat.complete(model="m", messages=MESSAGES)
    text = caplog.text
    assert "Request: POST " + server.url + "/v1/chat/completions" in text
    assert "-> 503" in text and "-> 200" in text and "Retrying after status 503" in text
    assert "[redacted]" in text
    assert 'Request body: {"model":"m"' in text
    assert 'Response body: {"id": "r1"' in text
    assert KEY not in text
    assert logging.getLogger("mistral_sdk").level == logging.DEBUG


@pytest.mark.integration
def test_mistral_log_info_from_a_fresh_process(server: ScriptedServer) -> None:
    """MISTRAL_LOG alone (no logging setup by the application) prints requests to stderr, key redacted."""
    code = (
        "from mistral_sdk._client import Mistral\n"
        f"c = Mistral({KEY!r}, base_url={server.url!r})\n"
        "c._send({'method': 'get', 'url': '/v1/models'})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"MISTRAL_LOG": "info", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert "Request: GET " in done.stderr and "-> 200" in done.stderr
    assert KEY not in done.stderr + done.stdout


def test_no_logging_without_mistral_log(server: ScriptedServer, caplog: pytest.LogCaptureFixture) -> None:
    logging.getLogger("mistral_sdk").setLevel(logging.NOTSET)
    caplog.set_level(logging.WARNING)
    with Mistral(KEY, base_url=server.url) as client:
        client._send({"method": "get", "url": "/v1/models"})
    assert "Request:" not in caplog.text


def test_raw_response(server: ScriptedServer) -> None:
    headers = {"x-request-id": "abc", "x-ratelimit-limit-tokens": "1000", "ratelimit-reset": "3"}
    server.reply(Reply(body=COMPLETION, headers=headers))
    with Mistral(KEY, base_url=server.url) as client:
        raw = client.with_raw_response.chat.complete(model="m", messages=MESSAGES)
    assert raw.status_code == 200
    assert raw.request_id == "abc"
    assert raw.rate_limit_headers == {"x-ratelimit-limit-tokens": "1000", "ratelimit-reset": "3"}
    assert choice_message(raw.parsed.choices[0]).content == "hi"
    assert raw.elapsed >= 0


def test_binary_download_returns_bytes(server: ScriptedServer) -> None:
    server.reply(Reply(body=b"\x00\x01binary", headers={"Content-Type": "application/octet-stream"}))
    with Mistral(KEY, base_url=server.url) as client:
        data = client.files.download(uuid.UUID("0b0a0000-0000-4000-8000-000000000000"))
    assert data == b"\x00\x01binary"
    assert server.requests[0].path == "/v1/files/0b0a0000-0000-4000-8000-000000000000/content"


def test_query_parameters_and_path_prefix(server: ScriptedServer) -> None:
    server.reply(Reply(body={"data": [], "object": "list", "total": 0}))
    with Mistral(KEY, base_url=server.url + "/proxy") as client:
        client.files.list(page=2, page_size=5)
    # only what the caller set: the spec's defaults (include_total=true) are the API's to apply
    assert server.requests[0].path == "/proxy/v1/files?page=2&page_size=5"


def test_multipart_upload(server: ScriptedServer) -> None:
    from mistral_sdk._generated.types import File

    server.reply(
        Reply(
            body={
                "id": "0b0a0000-0000-4000-8000-000000000000",
                "object": "file",
                "bytes": 3,
                "created_at": 1,
                "filename": "a.jsonl",
                "purpose": "fine-tune",
                "sample_type": "instruct",
                "source": "upload",
            }
        )
    )
    with Mistral(KEY, base_url=server.url) as client:
        out = client.files.upload(file=File(payload=io.BytesIO(b"{}\n"), file_name="a.jsonl"))
    assert out.filename == "a.jsonl"
    sent = server.requests[0]
    assert sent.headers["content-type"].startswith("multipart/form-data")
    assert b'filename="a.jsonl"' in sent.body


def test_multipart_boundary_cannot_collide_with_file_content(server: ScriptedServer) -> None:
    from email import message_from_bytes

    from mistral_sdk._generated.types import File
    from mistral_sdk.models import FilePurpose

    # "--+++" is the boundary the generated code pins; a file containing it must still arrive whole.
    content = b'{"a": 1}\r\n--+++\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nevil\r\n--+++--\r\n'
    server.reply(
        Reply(
            body={
                "id": "0b0a0000-0000-4000-8000-000000000000",
                "object": "file",
                "bytes": len(content),
                "created_at": 1,
                "filename": "tricky.jsonl",
                "purpose": "batch",
                "sample_type": "batch_request",
                "source": "upload",
            }
        )
    )
    with Mistral(KEY, base_url=server.url) as client:
        client.files.upload(file=File(payload=io.BytesIO(content), file_name="tricky.jsonl"), purpose=FilePurpose.BATCH)
    sent = server.requests[0]
    assert "boundary=+++" not in sent.headers["content-type"]
    message = message_from_bytes(b"Content-Type: " + sent.headers["content-type"].encode() + b"\r\n\r\n" + sent.body)
    parts = {p.get_param("name", header="content-disposition"): p for p in message.get_payload()}  # type: ignore[union-attr]
    assert parts["file"].get_payload(decode=True) == content  # type: ignore[union-attr]
    assert parts["purpose"].get_payload(decode=True) == b"batch"  # type: ignore[union-attr]


def test_go_parity_models(server: ScriptedServer) -> None:
    def card(name: str, vision: bool) -> dict[str, object]:
        return {
            "id": name,
            "object": "model",
            "type": "base",
            "capabilities": {"completion_chat": True, "function_calling": True, "vision": vision},
        }

    listing = {"object": "list", "data": [card("small", False), card("pixtral", True)]}
    server.reply(Reply(body=listing), Reply(body=listing), Reply(body=card("small", False)))
    with Mistral(KEY, base_url=server.url) as client:
        assert [m.id for m in client.list_models().data] == ["small", "pixtral"]  # type: ignore[union-attr]
        found = client.search_models(["vision", "function_calling"])
        assert [m.id for m in found] == ["pixtral"]
        assert client.get_model("small").id == "small"  # type: ignore[union-attr]
        with pytest.raises(ValueError, match="unknown capabilities"):
            client.search_models(["telepathy"])
    assert server.requests[2].path == "/v1/models/small"


def test_go_parity_embeddings_call(server: ScriptedServer) -> None:
    from mistral_sdk._generated.models.embedding_request import EmbeddingRequest

    body = {
        "id": "e",
        "object": "list",
        "model": "mistral-embed",
        "usage": {"prompt_tokens": 1, "completion_tokens": 0, "total_tokens": 1},
        "data": [{"object": "embedding", "embedding": [0.5, 0.25], "index": 0}],
    }
    server.reply(Reply(body=body), Reply(body=body))
    with Mistral(KEY, base_url=server.url) as client:
        via_call = client.embeddings(EmbeddingRequest(model="mistral-embed", input_="hi"))
        via_create = client.embeddings.create(model="mistral-embed", input="hi")
    assert via_call.to_dict() == via_create.to_dict()
    assert json.loads(server.requests[0].body) == json.loads(server.requests[1].body)


def test_cache_refuses_an_answer_echoing_the_key_through_the_client(server: ScriptedServer, tmp_path: Path) -> None:
    """The client hands the caller a redacted request; the cache below must still see the real key to refuse it.

    A stream is stored when the caller has read it, i.e. after the client redacted what it hands out.
    """
    from .test_streams import chunk

    server.default = Reply(chunks=[chunk(f"echo {KEY}", last=True), b"data: [DONE]\n\n"])
    with Mistral(KEY, base_url=server.url, cache=tmp_path) as client:
        for _ in range(2):
            raw = client.with_raw_response.chat.stream(model="m", messages=MESSAGES)
            with raw.parsed as stream:
                assert KEY in "".join(c.text for c in stream)
    assert raw.http_response.request.headers["authorization"] == "[redacted]"
    assert len(server.requests) == 2
    assert KEY not in _files_text(tmp_path)
