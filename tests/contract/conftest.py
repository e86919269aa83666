"""Mock servers for the contract suite: one on our openapi.yaml, one on Mistral's reference (when present)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mistral_sdk.testing import MockServer

from .reference_patches import REFERENCE_PATCHES
from .sdk_adapter import LAYERS, Caller, sdk_caller
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


@pytest.fixture(params=LAYERS)
def sdk(request: pytest.FixtureRequest, contract_mock: MockServer) -> Iterator[Caller]:
    """The SDK, through its generated layer and through the public client."""
    with sdk_caller(request.param, contract_mock.url) as caller:
        yield caller
