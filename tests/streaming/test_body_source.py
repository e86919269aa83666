"""Where a stream reads its bytes: the transport's stream when the body is unencoded, httpx's decoder otherwise.

Reading ``response.stream`` directly skips two generator levels per read; these tests hold the stream to what
httpx's own iterators would have done: the body marked consumed, ``num_bytes_downloaded`` counted, a transport
error carrying its request, an encoded body decoded.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from mistral_sdk._exceptions import StreamDisconnectedError
from mistral_sdk._streaming import COMPLETION_CHUNK_DECODER, AsyncStream, Stream

from ._server import completion_events

PIECES = completion_events(["Once", " upon", " a time"])
BODY = b"".join(PIECES)
TEXT = "Once upon a time"


class Pieces(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body arriving in the given pieces; ``fail_after`` pieces, a read error instead."""

    def __init__(self, pieces: list[bytes], fail_after: int | None = None) -> None:
        self.pieces = pieces
        self.fail_after = fail_after
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for i, piece in enumerate(self.pieces):
            if i == self.fail_after:
                raise httpx.ReadError("connection lost")
            yield piece

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self:
            yield piece

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def _response(body: Pieces, headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request("POST", "https://api.example/v1/chat/completions", headers={"Authorization": "Bearer k"})
    headers = {"content-type": "text/event-stream", **(headers or {})}
    return httpx.Response(200, headers=headers, stream=body, request=request)


def _read(response: httpx.Response, mode: str) -> str:
    if mode == "sync":
        with Stream(response, COMPLETION_CHUNK_DECODER) as stream:
            return "".join(chunk.text for chunk in stream)

    async def run() -> str:
        async with AsyncStream(response, COMPLETION_CHUNK_DECODER) as stream:
            return "".join([chunk.text async for chunk in stream])

    return asyncio.run(run())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_unencoded_body_is_read_whole_counted_consumed_and_closed(mode: str) -> None:
    body = Pieces(PIECES)
    response = _response(body)
    assert _read(response, mode) == TEXT
    assert response.num_bytes_downloaded == len(BODY)
    assert response.is_stream_consumed and response.is_closed and body.closed
    with pytest.raises(httpx.StreamConsumed):
        response.read()


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_encoded_body_is_still_decoded_by_httpx(mode: str) -> None:
    packed = gzip.compress(BODY)
    pieces = [packed[i : i + 7] for i in range(0, len(packed), 7)]  # compressed bytes cut anywhere
    response = _response(Pieces(pieces), {"content-encoding": "gzip"})
    assert _read(response, mode) == TEXT
    assert response.num_bytes_downloaded == len(packed)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_read_error_is_a_stream_error_whose_cause_carries_the_redacted_request(mode: str) -> None:
    response = _response(Pieces(PIECES, fail_after=2))
    with pytest.raises(StreamDisconnectedError) as info:
        _read(response, mode)
    cause = info.value.__cause__
    assert isinstance(cause, httpx.ReadError)
    assert cause.request.url == httpx.URL("https://api.example/v1/chat/completions")
    assert cause.request.headers["authorization"] == "[redacted]"
    assert [c.text for c in info.value.chunks] == ["", "Once"]
