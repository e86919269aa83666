"""A minimal loopback server with canned answers, fast enough that it never limits the clients.

Run as a script (``python bench/_server.py``) so its CPU never counts against the client under test;
it prints its port on the first line of stdout and serves until stdin closes. Standard library only.

``POST .../chat/completions`` answers a canned ``ChatCompletionResponse``, or, when the body asks for
``"stream": true``, an SSE stream: a role chunk, content chunks, a final chunk with a finish reason and
usage, then ``data: [DONE]``. Each event is its own HTTP chunk (chunked transfer encoding), as the API
sends them, so clients pay their real per-read cost. The number of events comes from the request
header ``x-bench-chunks`` (default 100). A chat body with a ``response_format`` gets an answer whose
content is a small JSON document (for ``chat.parse``). ``GET .../files/<id>/content`` answers
``x-bench-bytes`` bytes (default 1 MiB) with a ``content-length``, written 1 MiB at a time. Any other
path gets 404.
"""

from __future__ import annotations

import asyncio
import json
import sys

_ID = "cmpl-0123456789abcdef0123456789abcdef"
_MODEL = "mistral-small-latest"
_WORDS = ["The", " hamster", " floated", " past", " the", " window", " of", " the", " station", ","]


def _event(payload: dict[str, object]) -> bytes:
    data = b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"
    return b"%x\r\n%s\r\n" % (len(data), data)


def _chunk(delta: dict[str, object], finish: str | None = None, usage: dict[str, int] | None = None) -> bytes:
    payload: dict[str, object] = {
        "id": _ID,
        "object": "chat.completion.chunk",
        "created": 1732000000,
        "model": _MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    if usage is not None:
        payload["usage"] = usage
    return _event(payload)


_USAGE = {"prompt_tokens": 12, "completion_tokens": 100, "total_tokens": 112}
FIRST = _chunk({"role": "assistant", "content": ""})
MIDDLE = [_chunk({"content": w}) for w in _WORDS]
BLOCK = b"".join(MIDDLE * 100)  # 1000 content events, written at once
LAST = _chunk({"content": "."}, "stop", _USAGE)
DONE = b"%x\r\ndata: [DONE]\n\n\r\n0\r\n\r\n" % len(b"data: [DONE]\n\n")
STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
    b"transfer-encoding: chunked\r\n\r\n"
)

COMPLETION = json.dumps(
    {
        "id": _ID,
        "object": "chat.completion",
        "created": 1732000000,
        "model": _MODEL,
        "usage": _USAGE,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "".join(_WORDS * 10), "tool_calls": None, "prefix": False},
                "finish_reason": "stop",
            }
        ],
    },
    separators=(",", ":"),
).encode()
COMPLETION_ANSWER = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (
    len(COMPLETION),
    COMPLETION,
)
STRUCTURED_CONTENT = '{"title":"The hamster","author":"A. Writer","year":2024,"tags":["space","rodent"]}'
STRUCTURED = COMPLETION.replace(json.dumps("".join(_WORDS * 10)).encode(), json.dumps(STRUCTURED_CONTENT).encode())
STRUCTURED_ANSWER = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (
    len(STRUCTURED),
    STRUCTURED,
)
DOWNLOAD_BLOCK = bytes(range(256)) * 4096  # 1 MiB
NOT_FOUND = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"


def _wants_stream(body: bytes) -> bool:
    if b'"stream"' not in body:
        return False
    try:
        return json.loads(body).get("stream") is True
    except ValueError:
        return False


async def _write_stream(writer: asyncio.StreamWriter, events: int) -> None:
    writer.write(STREAM_HEAD + FIRST)
    left = max(events - 2, 0)
    while left >= 1000:
        writer.write(BLOCK)
        left -= 1000
        await writer.drain()
    writer.write(b"".join(MIDDLE[i % len(MIDDLE)] for i in range(left)) + LAST + DONE)
    await writer.drain()


async def _write_download(writer: asyncio.StreamWriter, size: int) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: %d\r\n\r\n" % size)
    left = size
    while left > 0:
        piece = DOWNLOAD_BLOCK if left >= len(DOWNLOAD_BLOCK) else DOWNLOAD_BLOCK[:left]
        writer.write(piece)
        left -= len(piece)
        await writer.drain()


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1] if " " in lines[0] else ""
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
            route = path.split("?")[0]
            if route.startswith("/v1/files/") and route.endswith("/content"):
                await _write_download(writer, int(headers.get("x-bench-bytes", str(len(DOWNLOAD_BLOCK)))))
            elif not route.endswith("/chat/completions"):
                writer.write(NOT_FOUND)
            elif b'"response_format"' in body:
                writer.write(STRUCTURED_ANSWER)
            elif _wants_stream(body):
                await _write_stream(writer, int(headers.get("x-bench-chunks", "100")))
            else:
                writer.write(COMPLETION_ANSWER)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    except (ConnectionError, asyncio.IncompleteReadError):
        return
    finally:
        writer.close()


async def _main() -> None:
    server = await asyncio.start_server(_serve, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # serve until the parent closes our stdin
    server.close()


if __name__ == "__main__":
    asyncio.run(_main())
