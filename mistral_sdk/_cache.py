"""An opt-in, on-disk response cache for development runs.

Re-running a script during development should not cost money or wait for the model again, so successful answers
are kept on disk and replayed for an identical request. It works as an httpx transport wrapper (the SDK clients put
it around their httpx client's ``send``, so it sees every request whatever that client mounts), below the client's
code paths: a streamed answer is recorded while the caller reads it and replayed as the same bytes, in the same
chunks, with the same content type, so the streaming layer cannot tell a replay from the network.

What is cached: POST requests with a JSON body (chat, FIM, embeddings, agents, conversations, OCR, ...), and only
their 2xx answers. GET is not cached on purpose: polling a batch job or listing files must see the server's current
state, and a replayed "still running" would loop forever. An answer is written when its body has been read to the
end and the response is closed; a body that broke, a response closed early, an event stream that stops without its
end (see ``_event_stream_finished``) and an answer that a layer above rejected (``discard_cached_response``) are
never written, so a failure is not replayed on every later run.

The key is a SHA-256 of the method, the URL, the canonical JSON body (key order and whitespace do not matter) and
the headers that change what the server sends back (``accept``, ``accept-encoding``, ``content-type``). It never
includes the Authorization header, so the cache is shared between keys; before a file is written its bytes are
checked for the request's credentials, and a response that echoes them is not stored at all.

The bytes stored are the raw bytes from the wire (still compressed when the server compressed them), with the
headers minus cookies, credentials and hop-by-hop ones; httpx decodes a replay exactly as it decoded the original.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

__all__ = [
    "CACHE_EXTENSION",
    "CACHE_HEADER",
    "AsyncCacheTransport",
    "CacheTransport",
    "ResponseCache",
    "TapStream",
    "discard_cached_response",
]

logger = logging.getLogger("mistral_sdk.cache")

CACHE_HEADER = "x-mistral-sdk-cache"
"""Response header saying ``hit``, ``miss`` or ``bypass`` (not eligible), so callers and tests can tell."""

CACHE_EXTENSION = "mistral_sdk_cache"
"""The same word in ``response.extensions``, for code that prefers not to look at headers."""

_MAGIC = b"MISTRAL-SDK-CACHE/1\n"
_KEY_VERSION = b"mistral-sdk-cache-key/1"
_KEY_HEADERS = ("accept", "accept-encoding", "content-type")
# Never written to disk: cookies and credentials are private, hop-by-hop headers describe the old connection.
_DROPPED_HEADERS = frozenset(
    {
        "set-cookie",
        "set-cookie2",
        "cookie",
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "proxy-connection",
        "upgrade",
        CACHE_HEADER,
    }
)
_CREDENTIAL_HEADERS = ("authorization", "proxy-authorization", "x-api-key", "api-key")
_DISCARD_EXTENSION = "mistral_sdk_cache_discard"


class TapStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Passes a response body through unchanged while showing every chunk to an observer.

    ``on_complete`` runs only when the inner stream ended normally: a body that broke (connection reset, truncated
    chunked encoding) or that the caller closed early never counts as complete, which is what keeps broken streams
    out of the cache and keeps the rate limiter from trusting a partial usage count. ``on_close`` runs when the
    response is closed, which httpx does right after a full read and the streaming layer does once it has judged
    the stream, so a decision taken there can wait for the caller's verdict. One class serves sync and async so
    the cache and the rate limiter share the same recording logic.
    """

    def __init__(
        self,
        inner: httpx.SyncByteStream | httpx.AsyncByteStream,
        on_chunk: Callable[[bytes], None],
        on_complete: Callable[[], None],
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self._inner = inner
        self._on_chunk = on_chunk
        self._on_complete = on_complete
        self._on_close = on_close

    def __iter__(self) -> Iterator[bytes]:
        if not isinstance(self._inner, httpx.SyncByteStream):
            raise TypeError("an async response body cannot be read synchronously")
        for chunk in self._inner:
            self._on_chunk(chunk)
            yield chunk
        self._on_complete()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if not isinstance(self._inner, httpx.AsyncByteStream):
            raise TypeError("a sync response body cannot be read asynchronously")
        async for chunk in self._inner:
            self._on_chunk(chunk)
            yield chunk
        self._on_complete()

    def close(self) -> None:
        try:
            if isinstance(self._inner, httpx.SyncByteStream):
                self._inner.close()
        finally:
            if self._on_close is not None:
                self._on_close()

    async def aclose(self) -> None:
        try:
            if isinstance(self._inner, httpx.AsyncByteStream):
                await self._inner.aclose()
        finally:
            if self._on_close is not None:
                self._on_close()


class _ReplayStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A stored body handed back in the chunks it arrived in, for sync and async clients alike."""

    def __init__(self, chunks: Sequence[bytes]) -> None:
        self._chunks = tuple(chunks)

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk


@dataclass(frozen=True)
class _Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    chunks: list[bytes]


def _default_directory() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mistral-sdk"


def _canonical_body(body: bytes) -> bytes:
    """The same JSON written with other key order or spacing is the same request."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return body
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _credentials(request: httpx.Request) -> list[bytes]:
    """Every secret the request carries, so a file can be checked for them before it is written."""
    secrets: list[bytes] = []
    for name in _CREDENTIAL_HEADERS:
        for value in request.headers.get_list(name):
            raw = value.encode("latin-1", "replace")
            secrets.append(raw)
            _, _, token = raw.partition(b" ")
            if token.strip():
                secrets.append(token.strip())
    return [s for s in secrets if s]


def _is_success(status: int) -> bool:
    return 200 <= status < 300


def _tagged(
    response: httpx.Response, outcome: str, stream: httpx.SyncByteStream | httpx.AsyncByteStream
) -> httpx.Response:
    """Mark the response in place, so one from an httpx client keeps its request, history and timing."""
    response.headers[CACHE_HEADER] = outcome
    response.stream = stream
    response.extensions = {**response.extensions, CACHE_EXTENSION: outcome}
    return response


class ResponseCache:
    """A directory of recorded answers; one object may serve several clients, sync and async.

    Pass ``cache=True`` to a client for the default directory (``$XDG_CACHE_HOME/mistral-sdk``, else
    ``~/.cache/mistral-sdk``), a path for another one, or a ``ResponseCache``. Entries never expire: delete the
    directory, or call ``clear()``, to record afresh.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        if path is not None and not os.fspath(path):
            raise ValueError("the cache directory path is empty; pass None for the default directory")
        self._directory = Path(path).expanduser() if path is not None else _default_directory()

    @classmethod
    def from_option(cls, option: bool | str | os.PathLike[str] | ResponseCache | None) -> ResponseCache | None:
        """Turn a client's ``cache=`` argument into a cache, or None when caching is off."""
        if option is None or option is False:
            return None
        if option is True:
            return cls()
        if isinstance(option, ResponseCache):
            return option
        if isinstance(option, str | os.PathLike):
            return cls(option)
        raise TypeError(
            f"cache must be True, False, None, a directory path or a ResponseCache, not {type(option).__name__}"
        )

    @property
    def directory(self) -> Path:
        return self._directory

    def __repr__(self) -> str:
        return f"ResponseCache({str(self._directory)!r})"

    def transport(self, inner: httpx.BaseTransport) -> CacheTransport:
        """``inner`` answered from this cache when possible, for an ``httpx.Client(transport=...)``."""
        return CacheTransport(inner, self)

    def async_transport(self, inner: httpx.AsyncBaseTransport) -> AsyncCacheTransport:
        """``inner`` answered from this cache when possible, for an ``httpx.AsyncClient(transport=...)``."""
        return AsyncCacheTransport(inner, self)

    def key_for(self, request: httpx.Request) -> str | None:
        """The request's cache key, or None when the request is not eligible (see the module docstring)."""
        if request.method != "POST":
            return None
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return None
        try:
            body = request.content
        except httpx.RequestNotRead:
            return None
        digest = hashlib.sha256(_KEY_VERSION)
        parts = [request.method.encode(), str(request.url).encode()]
        parts += [",".join(request.headers.get_list(name)).encode("latin-1", "replace") for name in _KEY_HEADERS]
        parts.append(_canonical_body(body))
        for part in parts:
            # Length-prefixed so that no two different requests can produce the same byte sequence.
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self._directory / f"{key}.cache"

    def _load(self, key: str) -> _Entry | None:
        """The stored entry, or None; a file that is damaged in any way is a miss and is removed."""
        file = self._file(key)
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            logger.warning("response cache: cannot read %s (%s); treating it as a miss", file, exc)
            return None
        entry = _decode_entry(data)
        if entry is None:
            logger.warning("response cache: %s is damaged; treating it as a miss", file)
            try:
                file.unlink()
            except OSError:
                pass
        return entry

    def _store(self, key: str, request: httpx.Request, entry: _Entry) -> None:
        data = _encode_entry(request, entry)
        if any(secret in data for secret in _credentials(request)):
            # The answer echoes a credential: keeping it would put the key on disk.
            logger.warning("response cache: the response contains the request's credentials; not stored")
            return
        try:
            self._directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, temporary = tempfile.mkstemp(dir=self._directory, prefix=".tmp-", suffix=".cache")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(temporary, self._file(key))
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError as exc:
            # A development convenience must not break the run it is meant to speed up.
            logger.warning("response cache: could not store an entry in %s (%s)", self._directory, exc)
            return
        logger.debug("response cache: stored %s %s as %s", request.method, request.url.path, key)

    def clear(self) -> int:
        """Remove every entry; returns how many files were removed."""
        removed = 0
        if not self._directory.is_dir():
            return 0
        for file in self._directory.glob("*.cache"):
            file.unlink(missing_ok=True)
            removed += 1
        return removed

    def _lookup(self, request: httpx.Request) -> tuple[str | None, httpx.Response | None]:
        """The cache key and, on a hit, the replayed response. Shared by the sync and async transports."""
        key = self.key_for(request)
        if key is None:
            return None, None
        entry = self._load(key)
        if entry is None:
            return key, None
        logger.debug("response cache: hit for %s %s", request.method, request.url.path)
        headers = [*entry.headers, (CACHE_HEADER.encode(), b"hit")]
        response = httpx.Response(
            status_code=entry.status,
            headers=headers,
            stream=_ReplayStream(entry.chunks),
            request=request,
            extensions={CACHE_EXTENSION: "hit", _DISCARD_EXTENSION: lambda: self._file(key).unlink(missing_ok=True)},
        )
        # No network time; an httpx client replaying it through a transport sets its own on close.
        response.elapsed = timedelta(0)
        return key, response

    def _record(self, key: str | None, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        """Tag the network's answer and, when it is storable, record its body as the caller reads it."""
        if key is None:
            return _tagged(response, "bypass", response.stream)
        if not _is_success(response.status_code):
            return _tagged(response, "miss", response.stream)
        recording = _Recording(self, key, request, response)
        tagged = _tagged(
            response, "miss", TapStream(response.stream, recording.chunks.append, recording.ended, recording.closed)
        )
        tagged.extensions = {**tagged.extensions, _DISCARD_EXTENSION: recording.discard}
        return tagged


class _Recording:
    """One answer on its way to the cache: stored when its body was read to the end and the response closed,
    unless the reader said first that the answer is unusable (``discard_cached_response``)."""

    def __init__(self, cache: ResponseCache, key: str, request: httpx.Request, response: httpx.Response) -> None:
        self._cache = cache
        self._key = key
        self._request = request
        self._status = response.status_code
        self._headers = [(k, v) for k, v in response.headers.raw if k.decode("latin-1").lower() not in _DROPPED_HEADERS]
        self._event_stream = _is_event_stream(response.headers)
        self.chunks: list[bytes] = []
        self._complete = False
        self._discarded = False
        self._stored = False
        self._lock = threading.Lock()

    def ended(self) -> None:
        self._complete = True

    def closed(self) -> None:
        with self._lock:
            if self._stored or self._discarded or not self._complete:
                return
            if self._event_stream and not _event_stream_finished(b"".join(self.chunks)):
                logger.debug("response cache: event stream without its end; not stored")
                return
            self._stored = True
        self._cache._store(self._key, self._request, _Entry(self._status, self._headers, self.chunks))

    def discard(self) -> None:
        with self._lock:
            self._discarded = True
            stored, self._stored = self._stored, False
        if stored:
            self._cache._file(self._key).unlink(missing_ok=True)


def discard_cached_response(response: httpx.Response) -> None:
    """Keep this answer out of the cache (or remove it if it is already stored).

    For the layers above the transport that judge a 2xx answer unusable: a stream that ended without its end
    marker, a body that does not parse. Without this, such an answer would be replayed on every run. On a replayed
    answer it removes the entry. A response that did not pass through a ``ResponseCache`` is left alone.
    """
    discard = response.extensions.get(_DISCARD_EXTENSION)
    if callable(discard):
        discard()


def _is_event_stream(headers: httpx.Headers) -> bool:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    encoding = headers.get("content-encoding", "identity").strip().lower() or "identity"
    return content_type == "text/event-stream" and encoding == "identity"


def _event_stream_finished(body: bytes) -> bool:
    """Whether an event stream reached its end, judged on the bytes alone, by the streaming layer's own parser.

    A stream of bare ``data:`` events (chat, FIM and agents completions) must end with ``data: [DONE]``,
    which may be cut from its final blank line (the streaming layer accepts that too); any other event cut
    by the end of the body is not an end. Streams that name their events (``event:`` lines, the
    conversations API) end with the body, so for them an event boundary at the end is all there is to check.
    """
    from mistral_sdk._streaming._sse import SSEDecoder

    decoder = SSEDecoder()
    events = decoder.feed(body)
    cut, unterminated = decoder.end()
    if cut is not None and cut.event == "message" and cut.data == "[DONE]":
        return True
    if unterminated or not events:
        return False
    if any(event.event != "message" for event in events):
        return True
    return events[-1].data == "[DONE]"


def _encode_entry(request: httpx.Request, entry: _Entry) -> bytes:
    body = b"".join(entry.chunks)
    meta = {
        "status": entry.status,
        # Only the method and path, for a human looking at the directory; query strings can carry secrets.
        "request": f"{request.method} {request.url.path}",
        "stored_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in entry.headers],
        "chunks": [len(chunk) for chunk in entry.chunks],
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    return _MAGIC + json.dumps(meta, ensure_ascii=True).encode() + b"\n" + body


def _decode_entry(data: bytes) -> _Entry | None:
    """Parse a cache file; None unless every part is present and the body matches its recorded checksum."""
    if not data.startswith(_MAGIC):
        return None
    meta_line, newline, body = data[len(_MAGIC) :].partition(b"\n")
    if not newline:
        return None
    try:
        meta = json.loads(meta_line)
    except ValueError:
        return None
    if not isinstance(meta, dict):
        return None
    status, headers, sizes, checksum = meta.get("status"), meta.get("headers"), meta.get("chunks"), meta.get("sha256")
    if not isinstance(status, int) or not _is_success(status) or not isinstance(checksum, str):
        return None
    if not isinstance(sizes, list) or not all(isinstance(n, int) and n >= 0 for n in sizes) or sum(sizes) != len(body):
        return None
    if not isinstance(headers, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair) for pair in headers
    ):
        return None
    if hashlib.sha256(body).hexdigest() != checksum:
        return None
    chunks: list[bytes] = []
    offset = 0
    for size in sizes:
        chunks.append(body[offset : offset + size])
        offset += size
    try:
        raw_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    except UnicodeEncodeError:
        return None
    return _Entry(status, raw_headers, chunks)


class CacheTransport(httpx.BaseTransport):
    """Answers eligible requests from a ``ResponseCache`` and records what the inner transport answers."""

    def __init__(self, inner: httpx.BaseTransport, cache: ResponseCache) -> None:
        self._inner = inner
        self._cache = cache

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        key, hit = self._cache._lookup(request)
        if hit is not None:
            return hit
        return self._cache._record(key, request, self._inner.handle_request(request))

    def close(self) -> None:
        self._inner.close()


class AsyncCacheTransport(httpx.AsyncBaseTransport):
    """The async twin of ``CacheTransport``; same cache logic, only the inner call is awaited.

    File reads and writes are small local operations done in place rather than in a worker thread.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, cache: ResponseCache) -> None:
        self._inner = inner
        self._cache = cache

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key, hit = self._cache._lookup(request)
        if hit is not None:
            return hit
        return self._cache._record(key, request, await self._inner.handle_async_request(request))

    async def aclose(self) -> None:
        await self._inner.aclose()
