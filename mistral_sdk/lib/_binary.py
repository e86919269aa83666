"""Streamed binary bodies: a download read piece by piece, in constant memory.

``BinaryResponse`` (sync) and ``AsyncBinaryResponse`` wrap an ``httpx.Response`` opened with
``stream=True`` whose status the client already checked. Use them as context managers: the
connection is released when the block ends, whether the body was read or not.

The facade generator gives every operation whose success body is binary a ``<method>_stream`` twin
(``files.download_stream``, ``audio.voices.get_sample_audio_stream``; see ``generator/facade/hooks.py``),
which ``mistral_sdk._resource`` runs: ``client._send(kwargs, stream=True)`` retries until the response
starts, raises the typed error for a non-2xx status, and leaves the body unread for these classes.
The bytes form (``download``) stays as it is.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Generator, Iterator
from types import TracebackType
from typing import Any

import httpx

__all__ = ["AsyncBinaryResponse", "BinaryResponse", "PendingBinaryResponse"]

CHUNK_SIZE = 64 * 1024


class _BinaryBase:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    @property
    def content_type(self) -> str | None:
        value: str | None = self.response.headers.get("content-type")
        return value

    @property
    def content_length(self) -> int | None:
        """The announced size in bytes, when the server sent one."""
        value = self.response.headers.get("content-length")
        return int(value) if value is not None and value.isdigit() else None

    def _check_length(self, received: int) -> None:
        expected = self.content_length
        if expected is not None and received != expected and "content-encoding" not in self.response.headers:
            from mistral_sdk._exceptions import StreamIncompleteError

            raise StreamIncompleteError(
                f"the download ended after {received} of {expected} bytes", response=self.response
            )

    def _broken(self, exc: Exception, received: int) -> Exception:
        """A transport failure mid-body as the SDK's typed error (what arrived is not kept: it was handed out)."""
        from mistral_sdk._exceptions import StreamDisconnectedError

        return StreamDisconnectedError(
            f"the connection failed after {received} bytes of the download: {exc}", response=self.response
        )


class BinaryResponse(_BinaryBase):
    """A binary body being received; read it with ``iter_bytes()`` or ``write_to_file(path)``, once."""

    def __enter__(self) -> BinaryResponse:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.response.close()

    def iter_bytes(self, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
        """The body in pieces of at most ``chunk_size`` bytes (decoded if the server compressed it)."""
        received = 0
        try:
            for piece in self.response.iter_bytes(chunk_size):
                received += len(piece)
                yield piece
        except httpx.TransportError as exc:
            raise self._broken(exc, received) from exc
        self._check_length(received)

    def read(self) -> bytes:
        """The whole body at once (the bytes form: memory grows with the body)."""
        return b"".join(self.iter_bytes())

    def write_to_file(self, path: str | os.PathLike[str], chunk_size: int = CHUNK_SIZE) -> int:
        """Write the body to ``path`` piece by piece; returns the number of bytes written."""
        written = 0
        with open(path, "wb") as out:
            for piece in self.iter_bytes(chunk_size):
                out.write(piece)
                written += len(piece)
        return written


class AsyncBinaryResponse(_BinaryBase):
    """The async ``BinaryResponse``."""

    async def __aenter__(self) -> AsyncBinaryResponse:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        await self.response.aclose()

    async def iter_bytes(self, chunk_size: int = CHUNK_SIZE) -> AsyncIterator[bytes]:
        received = 0
        try:
            async for piece in self.response.aiter_bytes(chunk_size):
                received += len(piece)
                yield piece
        except httpx.TransportError as exc:
            raise self._broken(exc, received) from exc
        self._check_length(received)

    async def read(self) -> bytes:
        return b"".join([piece async for piece in self.iter_bytes()])

    async def write_to_file(self, path: str | os.PathLike[str], chunk_size: int = CHUNK_SIZE) -> int:
        """Write the body to ``path`` piece by piece (file writes are blocking, each one chunk)."""
        written = 0
        with open(path, "wb") as out:
            async for piece in self.iter_bytes(chunk_size):
                out.write(piece)
                written += len(piece)
        return written


class PendingBinaryResponse:
    """An async download before its response started: ``async with`` it, or ``await`` it."""

    def __init__(self, opener: Awaitable[httpx.Response]) -> None:
        self._opener = opener
        self._response: AsyncBinaryResponse | None = None

    async def _open(self) -> AsyncBinaryResponse:
        if self._response is None:
            self._response = AsyncBinaryResponse(await self._opener)
        return self._response

    def __await__(self) -> Generator[Any, None, AsyncBinaryResponse]:
        return self._open().__await__()

    async def __aenter__(self) -> AsyncBinaryResponse:
        return await self._open()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._response is not None:
            await self._response.close()
