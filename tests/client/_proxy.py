"""A small forward HTTP proxy on 127.0.0.1 for the proxy tests.

It takes plain-HTTP requests in absolute-URI form (``GET http://127.0.0.1:PORT/v1/models HTTP/1.1``),
as clients send them to a proxy, records them, and forwards them to the loopback server they name.
It refuses any other host: tests never leave the machine.
"""

from __future__ import annotations

import http.client
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from ._server import LoopbackServer

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "transfer-encoding", "upgrade"}


class ForwardProxy(LoopbackServer):
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []  # (method, absolute URL)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _forward(self) -> None:
                target = urlsplit(self.path)
                if target.scheme != "http" or target.hostname != "127.0.0.1" or target.port is None:
                    self.send_error(403, "this test proxy only forwards to http://127.0.0.1")
                    return
                outer.seen.append((self.command, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                try:
                    path = target.path + (f"?{target.query}" if target.query else "")
                    upstream.request(self.command, path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                    self.send_response(answer.status, answer.reason)
                    for name, value in answer.getheaders():
                        if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    upstream.close()

            do_GET = do_POST = do_DELETE = do_PATCH = do_PUT = _forward

        super().__init__(Handler)

    def __enter__(self) -> ForwardProxy:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
