"""Mock servers for the contract suite: one on our openapi.yaml, one on Mistral's reference (when present)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mistral_sdk.testing import MockServer

from .reference_patches import REFERENCE_PATCHES
from .sdk_adapter import Caller, sdk_caller
from .spec_facts import OUR_SPEC, REFERENCE_SPEC


@pytest.fixture(scope="session")
def our_spec_mock() -> Iterator[MockServer]:
    with MockServer(OUR_SPEC) as server:
        yield server


@pytest.fixture(scope="session")
def reference_spec_mock() -> Iterator[MockServer]:
    if not REFERENCE_SPEC.is_file():
        pytest.skip(f"reference spec not present at {REFERENCE_SPEC}")
    with MockServer(REFERENCE_SPEC, patches=REFERENCE_PATCHES) as server:
        yield server


@pytest.fixture
def contract_mock(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """The mock a test names in its ``mock`` parameter ("our-spec" or "reference-spec"), reset around the test.

    The same calls run against both: our SDK's requests must satisfy Mistral's own description too. Both
    mocks live for the whole session, however the tests are ordered.
    """
    which = request.getfixturevalue("mock")
    server: MockServer = request.getfixturevalue(f"{str(which).replace('-', '_')}_mock")
    server.reset()
    yield server
    server.reset()


@pytest.fixture
def sdk(request: pytest.FixtureRequest, contract_mock: MockServer) -> Iterator[Caller]:
    """The SDK through the layer a test names in its ``layer`` parameter ("generated" or "facade")."""
    with sdk_caller(str(request.getfixturevalue("layer")), contract_mock.url) as caller:
        yield caller
