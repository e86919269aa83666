"""A raw-socket HTTP/1.1 server on 127.0.0.1 that sends exactly the bytes a test scripts.

A general HTTP server cannot misbehave on purpose; the failure kinds of a stream can only be
tested against one that can: send a body in arbitrary pieces, stop mid-body, reset the connection
(SO_LINGER 0), stall, or keep streaming until the client goes away. Each accepted connection and
each request is recorded, so tests can observe connection reuse and the moment a client hangs up.
"""

from __future__ import annotations

import collections
import json
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Conn:
    """One accepted connection, as the server saw it."""

    number: int
    requests: int = 0
    client_closed: threading.Event = field(default_factory=threading.Event)


class Wire:
    """What a script uses to answer one request."""

    def __init__(self, sock: socket.socket, conn: Conn) -> None:
        self.sock = sock
        self.conn = conn

    def head(self, status: int = 200, content_type: str = "text/event-stream", chunked: bool = True) -> None:
        lines = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}"]
        lines.append("Transfer-Encoding: chunked" if chunked else "Connection: close")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())

    def chunk(self, data: bytes) -> None:
        """One piece of a chunked body, sent at once (one network write)."""
        if data:
            self.sock.sendall(b"%x\r\n%s\r\n" % (len(data), data))

    def end(self) -> None:
        self.sock.sendall(b"0\r\n\r\n")

    def raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def reset(self) -> None:
        """Abort with a TCP RST instead of a FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def wait_client_close(self, timeout: float) -> bool:
        """Block until the client closes its side (True) or ``timeout`` passes (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            readable, _, _ = select.select([self.sock], [], [], 0.02)
            if readable:
                try:
                    if not self.sock.recv(65536):
                        self.conn.client_closed.set()
                        return True
                except OSError:
                    self.conn.client_closed.set()
                    return True
        return False

    def client_gone(self) -> bool:
        readable, _, _ = select.select([self.sock], [], [], 0)
        if not readable:
            return False
        try:
            gone = not self.sock.recv(65536, socket.MSG_PEEK)
        except OSError:
            gone = True
        if gone:
            self.conn.client_closed.set()
        return gone


# A script answers one request; it returns True when the connection may serve another request.
Script = Callable[[Wire], bool]


class RawServer:
    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.scripts: collections.deque[Script] = collections.deque()
        self.connections: list[Conn] = []
        self.bodies: list[bytes] = []
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def queue(self, *scripts: Script) -> None:
        self.scripts.extend(scripts)

    def close(self) -> None:
        self._stop = True
        self.listener.close()

    def _accept(self) -> None:
        while not self._stop:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            conn = Conn(len(self.connections) + 1)
            self.connections.append(conn)
            threading.Thread(target=self._serve, args=(sock, conn), daemon=True).start()

    def _serve(self, sock: socket.socket, conn: Conn) -> None:
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    data = sock.recv(65536)
                    if not data:
                        conn.client_closed.set()
                        return
                    buf += data
                head, _, buf = buf.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                while len(buf) < length:
                    data = sock.recv(65536)
                    if not data:
                        return
                    buf += data
                self.bodies.append(buf[:length])
                buf = buf[length:]
                conn.requests += 1
                script = self.scripts.popleft() if self.scripts else sse_script(completion_events(["ok"]))
                if not script(Wire(sock, conn)):
                    return
        except OSError:
            conn.client_closed.set()
        finally:
            try:
                sock.close()
            except OSError:
                pass


def serve() -> Iterator[RawServer]:
    server = RawServer()
    try:
        yield server
    finally:
        server.close()


# -- bodies ----------------------------------------------------------------------------------------


def chunk_json(
    text: str | None = None,
    *,
    index: int = 0,
    finish: str | None = None,
    usage: dict[str, int] | None = None,
    role: str | None = None,
    tool_calls: list[dict[str, Any]] | None = None,
    extra_choices: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    delta: dict[str, Any] = {}
    if role is not None:
        delta["role"] = role
    if text is not None:
        delta["content"] = text
    if tool_calls is not None:
        delta["tool_calls"] = tool_calls
    body: dict[str, Any] = {
        "id": "cmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "mistral-small-latest",
        "choices": [{"index": index, "delta": delta, "finish_reason": finish}, *(extra_choices or [])],
    }
    if usage is not None:
        body["usage"] = usage
    return body


USAGE = {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}


def event(obj: object, *, event_name: str | None = None) -> bytes:
    prefix = f"event: {event_name}\n".encode() if event_name else b""
    return prefix + b"data: " + json.dumps(obj).encode() + b"\n\n"


def completion_events(words: list[str], *, done: bool = True) -> list[bytes]:
    """A well-formed chat stream: role chunk, one chunk per word, final chunk with usage, [DONE]."""
    out = [event(chunk_json("", role="assistant"))]
    out += [event(chunk_json(w)) for w in words[:-1]]
    out.append(event(chunk_json(words[-1], finish="stop", usage=USAGE)))
    if done:
        out.append(b"data: [DONE]\n\n")
    return out


def sse_script(pieces: list[bytes], *, pause: float = 0.0, then: str = "end") -> Script:
    """Send ``pieces`` as separate chunked writes, then ``end`` the body, ``drop`` the
    connection mid-body, ``reset`` it, ``stall`` until the client leaves, or ``eof`` (close-delimited)."""

    def script(w: Wire) -> bool:
        w.head(chunked=then != "eof")
        for p in pieces:
            if then == "eof":
                w.raw(p)
            else:
                w.chunk(p)
            if pause:
                time.sleep(pause)
        if then == "end":
            w.end()
            return True
        if then == "drop":
            w.raw(b"400\r\npartial")  # a chunk announced and never completed
            return False
        if then == "reset":
            w.reset()
            return False
        if then == "stall":
            w.wait_client_close(10)
            return False
        return False  # eof: closing the connection ends the body

    return script


def endless_script(every: float = 0.01, limit: float = 10.0) -> Script:
    """Stream content chunks until the client hangs up (recorded on the connection)."""

    def script(w: Wire) -> bool:
        w.head()
        w.chunk(event(chunk_json("", role="assistant")))
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if w.client_gone():
                return False
            try:
                w.chunk(event(chunk_json("tick ")))
            except OSError:
                w.conn.client_closed.set()
                return False
            time.sleep(every)
        return False

    return script
