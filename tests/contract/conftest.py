"""Mock servers for the contract suite: one on our openapi.yaml, one on Mistral's reference (when present)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mistral_sdk.testing import MockServer

from .reference_patches import REFERENCE_PATCHES
from .sdk_adapter import make_client
from .spec_facts import OUR_SPEC, REFERENCE_SPEC


@pytest.fixture(scope="session", params=["our-spec", "reference-spec"])
def contract_server(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """The same suite runs against both: our SDK's requests must satisfy Mistral's own description too."""
    if request.param == "reference-spec":
        if not REFERENCE_SPEC.is_file():
            pytest.skip(f"reference spec not present at {REFERENCE_SPEC}")
        server = MockServer(REFERENCE_SPEC, patches=REFERENCE_PATCHES)
    else:
        server = MockServer(OUR_SPEC)
    with server:
        yield server


@pytest.fixture
def contract_mock(contract_server: MockServer) -> Iterator[MockServer]:
    contract_server.reset()
    yield contract_server
    contract_server.reset()


@pytest.fixture
def sdk_client(contract_mock: MockServer) -> Iterator[Any]:
    client = make_client(contract_mock.url)
    with client:
        yield client
