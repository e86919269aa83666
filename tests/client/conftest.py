from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from ._server import FakeClock, ScriptedServer, serve


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from serve()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MISTRAL_API_KEY", "MISTRAL_BASE_URL", "MISTRAL_LOG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def dead_url() -> str:
    """A 127.0.0.1 URL where nothing listens (a port just released): connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
