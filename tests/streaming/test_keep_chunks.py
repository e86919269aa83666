"""``keep_chunks = False``: a stream that records nothing runs in constant memory and says what it cannot do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from mistral_sdk._exceptions import StreamIncompleteError
from mistral_sdk._streaming import COMPLETION_CHUNK_DECODER, AsyncStream, CompletionStreamChunk, Stream
from mistral_sdk.lib import choice_message

from ._server import completion_events

WORDS = ["Once", " upon", " a", " time"]


def _request() -> httpx.Request:
    return httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")


def _sync_stream(pieces: list[bytes]) -> Stream[CompletionStreamChunk]:
    def body() -> Iterator[bytes]:
        yield from pieces

    response = httpx.Response(200, content=body(), request=_request())
    return Stream(response, COMPLETION_CHUNK_DECODER)


def _async_stream(pieces: list[bytes]) -> AsyncStream[CompletionStreamChunk]:
    async def body() -> AsyncIterator[bytes]:
        for piece in pieces:
            yield piece

    response = httpx.Response(200, content=body(), request=_request())
    return AsyncStream(response, COMPLETION_CHUNK_DECODER)


def test_default_keeps_chunks() -> None:
    with _sync_stream(completion_events(WORDS)) as stream:
        assert stream.keep_chunks is True
        assert len(list(stream)) == 5
        assert stream.text == "".join(WORDS)
        assert choice_message(stream.final_response().choices[0]).content == "".join(WORDS)


def test_off_before_iterating_delivers_everything_and_records_nothing() -> None:
    with _sync_stream(completion_events(WORDS * 250)) as stream:
        stream.keep_chunks = False
        chunks = list(stream)
        assert "".join(c.text for c in chunks) == "".join(WORDS * 250)
        assert [c.is_last_chunk for c in chunks].count(True) == 1 and chunks[-1].is_last_chunk
        assert stream.done and stream.error is None
        assert len(stream._core._records) == 0
        assert "chunks=1001" in repr(stream)
        for history in (lambda: stream.chunks, lambda: stream.text, stream.final_response):
            with pytest.raises(RuntimeError, match="does not keep its chunks"):
                history()


def test_off_midway_drops_what_was_recorded_and_cannot_come_back() -> None:
    with _sync_stream([b"".join(completion_events(WORDS))]) as stream:
        it = iter(stream)
        next(it)
        assert stream._core._records
        stream.keep_chunks = False
        assert len(stream._core._records) == 0
        with pytest.raises(ValueError, match="cannot be turned back on"):
            stream.keep_chunks = True
        with pytest.raises(TypeError, match="must be a bool"):
            stream.keep_chunks = 0  # type: ignore[assignment]
        assert len(list(it)) == 4
        stream.keep_chunks = False  # turning it off again is harmless


def test_errors_carry_no_partial_data_when_off() -> None:
    with _sync_stream(completion_events(WORDS, done=False)) as stream:
        stream.keep_chunks = False
        with pytest.raises(StreamIncompleteError) as caught:
            list(stream)
    assert caught.value.chunks == [] and caught.value.text == ""


def test_async_off() -> None:
    async def main() -> None:
        async with _async_stream(completion_events(WORDS)) as stream:
            stream.keep_chunks = False
            texts = [c.text async for c in stream]
            assert "".join(texts) == "".join(WORDS)
            assert stream.done and len(stream._core._records) == 0
            with pytest.raises(RuntimeError, match="does not keep its chunks"):
                await stream.final_response()

    asyncio.run(main())
