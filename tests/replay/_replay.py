"""Replays a recorded-shape HTTP answer, byte for byte, from a loopback server.

A fixture (``fixtures/<name>.http``) is an HTTP/1.1 response as it crosses the wire: status line,
headers, blank line, body. Its head is written with LF in the file and sent with CRLF; its body is
sent exactly as stored, then the connection is closed, which ends a body without a length. So a
fixture can end anywhere (after ``data: [DONE]`` without its blank line, in the middle of an event)
and the client sees precisely that.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    """The wire bytes of a fixture: its head with CRLF line ends, its body untouched."""
    text = (FIXTURES / f"{name}.http").read_bytes()
    head, separator, body = text.partition(b"\n\n")
    assert separator, f"{name}: no blank line after the head"
    return b"\r\n".join(head.split(b"\n")) + b"\r\n\r\n" + body


def body_of(name: str) -> bytes:
    return fixture(name).partition(b"\r\n\r\n")[2]


@dataclass
class ReplayServer:
    """Answers every request with ``answer`` (the current fixture's bytes) and keeps the raw requests."""

    answer: bytes = b""
    requests: list[bytes] = field(default_factory=list)

    def play(self, name: str) -> None:
        self.answer = fixture(name)

    def _serve(self, listener: socket.socket) -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(10)
                self.requests.append(_read_request(connection))
                connection.sendall(self.answer)
                connection.shutdown(socket.SHUT_WR)


def _read_request(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = connection.recv(65536)
        if not piece:
            return data
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        piece = connection.recv(65536)
        if not piece:
            break
        body += piece
    return head + b"\r\n\r\n" + body


@contextmanager
def replay_server() -> Iterator[tuple[ReplayServer, str]]:
    """A running replay server on 127.0.0.1 and its base URL."""
    listener = socket.create_server(("127.0.0.1", 0))
    server = ReplayServer()
    thread = threading.Thread(target=server._serve, args=(listener,), daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        listener.close()
        thread.join(timeout=5)
