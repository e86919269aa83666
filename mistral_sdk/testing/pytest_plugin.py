"""pytest fixtures for the mock Mistral server (registered through the ``pytest11`` entry point).

One server per test session (loading the description is the slow part); each test gets it through
``mistral_mock`` with an empty request log, no violations and no leftover scripted items.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ._server import MockServer

__all__ = ["mistral_mock", "mistral_mock_server"]

_SPEC_HELP = "OpenAPI description served by the mistral_mock fixture (default: the SDK's own)"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("mistral_mock_spec", _SPEC_HELP, default="")
    parser.getgroup("mistral-mock").addoption(
        "--mistral-mock-spec", dest="mistral_mock_spec", default=None, help=_SPEC_HELP
    )


def _spec_option(config: pytest.Config) -> Path | None:
    raw = config.getoption("mistral_mock_spec") or config.getini("mistral_mock_spec")
    if not raw:
        return None
    path = Path(str(raw))
    return path if path.is_absolute() else config.rootpath / path


@pytest.fixture(scope="session")
def mistral_mock_server(pytestconfig: pytest.Config) -> Iterator[MockServer]:
    """The session's running mock server; prefer ``mistral_mock``, which also clears state between tests."""
    with MockServer(_spec_option(pytestconfig)) as server:
        yield server


@pytest.fixture
def mistral_mock(mistral_mock_server: MockServer) -> Iterator[MockServer]:
    """A running mock server with a clean request log, no violations and nothing scripted.

    Point the SDK at ``mistral_mock.url`` with any API key.
    """
    server = mistral_mock_server
    events, delay = server.stream_events, server.stream_delay
    server.reset()
    try:
        yield server
    finally:
        server.reset()
        server.stream_events, server.stream_delay = events, delay
