from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._server import RawServer, serve


@pytest.fixture
def server() -> Iterator[RawServer]:
    yield from serve()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
