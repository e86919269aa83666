from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._replay import ReplayServer, replay_server


@pytest.fixture
def replay() -> Iterator[tuple[ReplayServer, str]]:
    with replay_server() as running:
        yield running


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MISTRAL_API_KEY", "MISTRAL_BASE_URL", "MISTRAL_LOG", "HTTP_PROXY", "ALL_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
