"""``python -m mistral_sdk.testing serve --port 0``: run the mock server until interrupted.

The first line printed is the server's base URL, so scripts can read it (``--port 0`` picks a free port).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from ._server import MockServer
from ._spec import SpecError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mistral_sdk.testing", description="Mock Mistral API server.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the mock API until interrupted (Ctrl-C or SIGTERM)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default)")
    serve.add_argument("--spec", default=None, help="OpenAPI description to serve (default: the SDK's own)")
    serve.add_argument("--stream-events", type=int, default=3, help="content events per synthesized stream")
    serve.add_argument("--stream-delay", type=float, default=0.0, help="seconds between stream events")
    serve.add_argument(
        "--api-key", default=None, help="accept only this key, in the header each operation declares (default: any)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    server = MockServer(
        args.spec,
        host=args.host,
        port=args.port,
        stream_events=args.stream_events,
        stream_delay=args.stream_delay,
        api_key=args.api_key,
    )
    try:
        server.start()
    except (SpecError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(server.url, flush=True)
    print(f"serving {len(server.operations)} operations; Ctrl-C to stop", file=sys.stderr, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
