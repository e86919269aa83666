"""Consume one stream from the test server through the sync or the async path, the same way.

Every behaviour test runs twice, ``mode="sync"`` and ``mode="async"``, through this one function, so
the two paths are held to identical observable results.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from mistral_sdk._exceptions import StreamError
from mistral_sdk._generated.models.completion_event import CompletionEvent
from mistral_sdk._streaming import AsyncStream, CompletionStreamChunk, ErrorMode, Stream, decoder_for

DECODER = decoder_for(CompletionEvent)


@dataclass
class Outcome:
    chunks: list[CompletionStreamChunk] = field(default_factory=list)
    error: BaseException | None = None
    final: Any = None
    final_error: BaseException | None = None


#: Told the number of chunks received so far, after each one (a test's server can wait for it).
OnChunk = Callable[[int], object]


def consume(
    url: str,
    mode: str,
    *,
    error_mode: ErrorMode = "raise",
    read_timeout: float = 5.0,
    final: bool = False,
    on_chunk: OnChunk | None = None,
) -> Outcome:
    if mode == "sync":
        return _consume_sync(url, error_mode, read_timeout, final, on_chunk)
    return asyncio.run(_consume_async(url, error_mode, read_timeout, final, on_chunk))


def _timeout(read: float) -> httpx.Timeout:
    return httpx.Timeout(5.0, read=read)


def _consume_sync(url: str, error_mode: ErrorMode, read: float, final: bool, on_chunk: OnChunk | None) -> Outcome:
    out = Outcome()
    with httpx.Client(timeout=_timeout(read)) as client:
        request = client.build_request("POST", url + "/v1/chat/completions", json={"stream": True})
        started = time.monotonic()
        response = client.send(request, stream=True)
        with Stream(response, DECODER, started_at=started, error_mode=error_mode) as stream:
            try:
                for chunk in stream:
                    out.chunks.append(chunk)
                    if on_chunk is not None:
                        on_chunk(len(out.chunks))
            except StreamError as exc:
                out.error = exc
            if final:
                try:
                    out.final = stream.final_response()
                except StreamError as exc:
                    out.final_error = exc
        assert response.is_closed
    return out


async def _consume_async(
    url: str, error_mode: ErrorMode, read: float, final: bool, on_chunk: OnChunk | None
) -> Outcome:
    out = Outcome()
    async with httpx.AsyncClient(timeout=_timeout(read)) as client:
        request = client.build_request("POST", url + "/v1/chat/completions", json={"stream": True})
        started = time.monotonic()
        response = await client.send(request, stream=True)
        async with AsyncStream(response, DECODER, started_at=started, error_mode=error_mode) as stream:
            try:
                async for chunk in stream:
                    out.chunks.append(chunk)
                    if on_chunk is not None:
                        on_chunk(len(out.chunks))
            except StreamError as exc:
                out.error = exc
            if final:
                try:
                    out.final = await stream.final_response()
                except StreamError as exc:
                    out.final_error = exc
        assert response.is_closed
    return out
