"""Clients against the mock server (the ``mistral_mock`` fixture comes from the SDK's pytest plugin)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.testing import MockServer


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def client(mistral_mock: MockServer) -> Iterator[Mistral]:
    with Mistral(api_key="test-key", base_url=mistral_mock.url, max_retries=0) as c:
        yield c


@pytest.fixture
async def aclient(mistral_mock: MockServer) -> AsyncIterator[AsyncMistral]:
    async with AsyncMistral(api_key="test-key", base_url=mistral_mock.url, max_retries=0) as c:
        yield c
