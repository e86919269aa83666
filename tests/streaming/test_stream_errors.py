"""Each way a stream can break, sync and async, raised and in-band: the typed error and the partial data kept."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from mistral_sdk._exceptions import (
    APITimeoutError,
    StreamDecodeError,
    StreamDisconnectedError,
    StreamError,
    StreamIdleTimeoutError,
    StreamIncompleteError,
    StreamResetError,
    StreamServerError,
)

from ._consume import Outcome, consume
from ._server import RawServer, Script, Wire, completion_events, sse_script

MODES = ["sync", "async"]
# Role chunk + two content chunks: what every broken stream below delivers before it breaks.
BEFORE = completion_events(["Hello", " world", "!"], done=False)[:3]
ERROR_OBJECT = {"object": "error", "message": "Service overloaded", "type": "internal_error", "code": "3505"}


def _scripts(delivered: threading.Event) -> dict[str, tuple[Script, type[StreamError]]]:
    """Each failure kind; ``delivered`` is set once the client has handed every chunk of BEFORE to its caller."""
    return {
        "dropped": (sse_script(BEFORE, then="drop"), StreamDisconnectedError),
        "reset": (_reset_after(BEFORE, delivered), StreamResetError),
        "no_done_chunked": (sse_script(BEFORE, then="end"), StreamIncompleteError),
        "no_done_eof": (sse_script(BEFORE, then="eof"), StreamIncompleteError),
        "invalid_json": (sse_script([*BEFORE, b"data: {not json\n\n"]), StreamDecodeError),
        "error_event": (
            sse_script([*BEFORE, b"event: error\ndata: " + json.dumps(ERROR_OBJECT).encode() + b"\n\n"]),
            StreamServerError,
        ),
        "error_data": (
            sse_script([*BEFORE, b"data: " + json.dumps(ERROR_OBJECT).encode() + b"\n\n"]),
            StreamServerError,
        ),
        "error_data_nested": (
            sse_script([*BEFORE, b'data: {"error": {"message": "Service overloaded", "code": 500}}\n\n']),
            StreamServerError,
        ),
        "idle_timeout": (sse_script(BEFORE, then="stall"), StreamIdleTimeoutError),
    }


def _reset_after(pieces: list[bytes], delivered: threading.Event) -> Script:
    def script(w: Wire) -> bool:
        w.head()
        for p in pieces:
            w.chunk(p)
        # A RST discards what the client has not read yet: reset only once it has read every piece (or
        # after a long wait, when the client is broken and the test fails on what it got).
        delivered.wait(10)
        w.reset()
        return False

    return script


KINDS = list(_scripts(threading.Event()))


def _run(server: RawServer, kind: str, mode: str, **options: Any) -> tuple[Outcome, type[StreamError]]:
    """Serve the broken stream of ``kind`` and consume it; the expected error type comes along."""
    delivered = threading.Event()
    script, expected = _scripts(delivered)[kind]
    server.queue(script)

    def on_chunk(received: int) -> None:
        if received == len(BEFORE):
            delivered.set()

    return consume(server.url, mode, read_timeout=_read_timeout(kind), on_chunk=on_chunk, **options), expected


def _read_timeout(kind: str) -> float:
    # Short only where the timeout is the failure under test: elsewhere a loaded machine must not turn
    # a dropped connection into a timeout.
    return 0.3 if kind == "idle_timeout" else 5.0


def _check_partial(err: StreamError) -> None:
    assert [c.text for c in err.chunks] == ["", "Hello", " world"]
    assert err.text == "Hello world"
    assert err.response is not None and err.response.status_code == 200


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", KINDS)
def test_failure_raises_typed_error_with_partial_data(server: RawServer, kind: str, mode: str) -> None:
    out, expected = _run(server, kind, mode)
    assert type(out.error) is expected, repr(out.error)
    assert isinstance(out.error, StreamError)
    _check_partial(out.error)
    assert [c.text for c in out.chunks] == ["", "Hello", " world"]
    assert not any(c.is_last_chunk for c in out.chunks)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", KINDS)
def test_failure_in_band_ends_with_error_chunk(server: RawServer, kind: str, mode: str) -> None:
    out, expected = _run(server, kind, mode, error_mode="in_band", final=True)
    assert out.error is None  # nothing raised while iterating
    *data, last = out.chunks
    assert [c.text for c in data] == ["", "Hello", " world"]
    assert [c.is_last_chunk for c in out.chunks] == [False, False, False, True]
    assert type(last.error) is expected
    assert last.choices == [] and last.text == ""
    _check_partial(last.error)
    # Even in-band, a broken stream never assembles into a "complete" response.
    assert out.final is None and out.final_error is last.error


@pytest.mark.parametrize("mode", MODES)
def test_invalid_json_keeps_raw_line(server: RawServer, mode: str) -> None:
    server.queue(sse_script([*BEFORE, b"data: {not json\n\n"]))
    err = consume(server.url, mode).error
    assert isinstance(err, StreamDecodeError)
    assert err.raw_line == "{not json"


@pytest.mark.parametrize("mode", MODES)
def test_json_that_is_not_a_chunk_is_a_decode_error(server: RawServer, mode: str) -> None:
    server.queue(sse_script([*BEFORE, b'data: {"id": "x", "choices": "nope"}\n\n']))
    err = consume(server.url, mode).error
    assert isinstance(err, StreamDecodeError)
    assert err.raw_line == '{"id": "x", "choices": "nope"}'


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("as_event", [True, False])
def test_server_error_keeps_raw_line_and_parsed_error(server: RawServer, mode: str, as_event: bool) -> None:
    raw = json.dumps(ERROR_OBJECT)
    prefix = b"event: error\n" if as_event else b""
    server.queue(sse_script([*BEFORE, prefix + b"data: " + raw.encode() + b"\n\n"]))
    err = consume(server.url, mode).error
    assert isinstance(err, StreamServerError)
    assert err.raw_line == raw
    assert err.error == ERROR_OBJECT
    assert err.event == ("error" if as_event else "message")
    assert "Service overloaded" in str(err)


@pytest.mark.parametrize("mode", MODES)
def test_idle_timeout_is_also_an_api_timeout(server: RawServer, mode: str) -> None:
    server.queue(sse_script(BEFORE, then="stall"))
    err = consume(server.url, mode, read_timeout=0.2).error
    assert isinstance(err, APITimeoutError) and isinstance(err, StreamError)
    assert err.text == "Hello world"


@pytest.mark.parametrize("mode", MODES)
def test_unterminated_event_is_reported(server: RawServer, mode: str) -> None:
    server.queue(sse_script([*BEFORE, b'data: {"id": "cmpl-1", "cho'], then="end"))
    err = consume(server.url, mode).error
    assert isinstance(err, StreamIncompleteError)
    assert err.unterminated == 'data: {"id": "cmpl-1", "cho'


@pytest.mark.parametrize("mode", MODES)
def test_data_after_a_failure_is_not_delivered(server: RawServer, mode: str) -> None:
    tail = completion_events(["late"])  # a complete, valid stream after the bad line
    server.queue(sse_script([*BEFORE, b"data: oops\n\n", *tail]))
    out = consume(server.url, mode)
    assert isinstance(out.error, StreamDecodeError)
    assert [c.text for c in out.chunks] == ["", "Hello", " world"]


@pytest.mark.parametrize("mode", MODES)
def test_api_key_is_not_kept_in_stream_errors(server: RawServer, mode: str) -> None:
    import asyncio

    from mistral_sdk._client import AsyncMistral, Mistral
    from mistral_sdk._helpers import new_chat_completion_stream_request, new_user_message_from_string

    server.queue(sse_script(BEFORE, then="drop"))
    req = new_chat_completion_stream_request("m", [new_user_message_from_string("x")])
    secret = "sk-very-secret-key"
    err: StreamError | None = None
    if mode == "sync":
        with Mistral(api_key=secret, base_url=server.url) as client, client.chat_completion_stream(req) as stream:
            try:
                list(stream)
            except StreamError as exc:
                err = exc
    else:

        async def run() -> StreamError | None:
            async with AsyncMistral(api_key=secret, base_url=server.url) as client:
                async with await client.chat_completion_stream(req) as stream:
                    try:
                        async for _ in stream:
                            pass
                    except StreamError as exc:
                        return exc
            return None

        err = asyncio.run(run())
    assert isinstance(err, StreamDisconnectedError)
    assert err.response is not None
    headers = err.response.request.headers
    seen = [str(err), repr(err), repr(vars(err)), repr(err.chunks), *(headers.get(h, "") for h in headers)]
    assert not any(secret in s for s in seen)


def test_stream_errors_blank_the_authorization_header(server: RawServer) -> None:
    import httpx

    from mistral_sdk._streaming import Stream

    from ._consume import DECODER

    server.queue(sse_script(BEFORE, then="drop"))
    with httpx.Client(headers={"Authorization": "Bearer sk-very-secret-key"}) as client:
        response = client.send(client.build_request("POST", server.url), stream=True)
        with Stream(response, DECODER) as stream, pytest.raises(StreamDisconnectedError) as caught:
            list(stream)
    assert caught.value.response is not None
    assert "sk-very-secret-key" not in caught.value.response.request.headers["authorization"]
