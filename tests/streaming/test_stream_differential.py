"""Whole streams, split at random points, give identical results through ``Stream`` and ``AsyncStream``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from mistral_sdk._exceptions import StreamError
from mistral_sdk._streaming import AsyncStream, ErrorMode, Stream

from ._consume import DECODER
from ._server import completion_events

TAILS = [b"", b"data: [DONE]\n\n", b"data: {bad\n\n", b'data: {"object": "error", "message": "x"}\n\n', b"data: {"]


def _summary(chunks: list[Any], error: BaseException | None) -> tuple[Any, ...]:
    return (
        [(c.text, c.is_last_chunk, type(c.error).__name__ if c.error else None) for c in chunks],
        type(error).__name__ if error else None,
        error.text if isinstance(error, StreamError) else None,
    )


def _sync(pieces: list[bytes], mode: ErrorMode) -> tuple[Any, ...]:
    response = httpx.Response(200, content=iter(pieces), request=httpx.Request("POST", "http://test"))
    chunks: list[Any] = []
    error: BaseException | None = None
    with Stream(response, DECODER, error_mode=mode) as stream:
        try:
            for c in stream:
                chunks.append(c)
        except StreamError as exc:
            error = exc
    return _summary(chunks, error)


async def _async(pieces: list[bytes], mode: ErrorMode) -> tuple[Any, ...]:
    async def gen() -> AsyncIterator[bytes]:
        for p in pieces:
            yield p

    response = httpx.Response(200, content=gen(), request=httpx.Request("POST", "http://test"))
    chunks: list[Any] = []
    error: BaseException | None = None
    async with AsyncStream(response, DECODER, error_mode=mode) as stream:
        try:
            async for c in stream:
                chunks.append(c)
        except StreamError as exc:
            error = exc
    return _summary(chunks, error)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.text(alphabet="ab é€\n", min_size=1, max_size=4), min_size=1, max_size=5),
    st.sampled_from(TAILS),
    st.lists(st.integers(0, 2000), max_size=8),
    st.sampled_from(["raise", "in_band"]),
)
def test_sync_and_async_streams_agree(words: list[str], tail: bytes, cuts: list[int], mode: ErrorMode) -> None:
    body = b"".join(completion_events(words, done=False)) + tail
    points = sorted({c % (len(body) + 1) for c in cuts})
    pieces = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
    expected = _sync([body], mode)
    assert _sync(pieces, mode) == expected
    assert asyncio.run(_async(pieces, mode)) == expected
    texts, error, _ = expected
    assert sum(1 for _, last, _ in texts if last) == (1 if tail == TAILS[1] or mode == "in_band" else 0)
    assert (error is None) == (tail == TAILS[1] or mode == "in_band")
