"""A scripted HTTP server on 127.0.0.1 for the client-core tests.

Each request pops the next scripted reply; every request is recorded (method, path, headers, body) so
tests can assert what the client actually sent.
"""

from __future__ import annotations

import collections
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | object = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    # Raw chunks written one by one (for SSE); ``pause`` seconds between them; ``stall`` after the last one.
    chunks: list[bytes] | None = None
    pause: float = 0.0
    stall: float = 0.0
    # Close the socket without answering (a connection error for the client).
    drop: bool = False
    # Wait this long before sending the status line.
    delay: float = 0.0


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) running ``handler``; a context manager."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class ScriptedServer(LoopbackServer):
    def __init__(self) -> None:
        self.replies: collections.deque[Reply] = collections.deque()
        self.requests: list[Seen] = []
        self.default = Reply()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Buffered: the head and the chunks up to the first scripted pause leave in one write, so a
            # client's short idle timeout measures the script's pauses, never how a busy machine happened
            # to schedule this thread between two writes.
            wbufsize = -1

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append(
                    Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                reply = outer.replies.popleft() if outer.replies else outer.default
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.chunks is not None:
                    self.send_header("Content-Type", reply.headers.get("Content-Type", "text/event-stream"))
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for chunk in reply.chunks:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        if reply.pause:
                            self.wfile.flush()
                            time.sleep(reply.pause)
                    if reply.stall:
                        self.wfile.flush()
                        time.sleep(reply.stall)
                        self.close_connection = True
                        return
                    self.wfile.write(b"0\r\n\r\n")
                    return
                data = reply.body
                if isinstance(data, str):
                    data = data.encode()
                elif not isinstance(data, bytes):
                    data = json.dumps(data).encode()
                    if "Content-Type" not in reply.headers:
                        self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PATCH = do_PUT = _handle

        super().__init__(Handler)

    def reply(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def __enter__(self) -> ScriptedServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


class FakeClock:
    """Records sleeps instead of sleeping; time advances by exactly what was slept."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.t = start
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)
