"""Each fault the mock injects reaches the application as the SDK's typed error, sync and async alike."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence

import pytest

import mistral_sdk as sdk
from mistral_sdk.models import UserMessage
from mistral_sdk.testing import Fault, FaultKind, MockServer, ScriptedResponse

pytestmark = pytest.mark.contract

MESSAGES = [UserMessage(content="Hello")]


def _wait_limit(fault: Fault | ScriptedResponse) -> float:
    """Short only where the test waits for it to expire: a loaded machine must not turn a fault into a timeout."""
    return 0.3 if isinstance(fault, Fault) and fault.kind is FaultKind.STALL else 30.0


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer() as mock:
        yield mock


@pytest.fixture
def mock(server: MockServer) -> Iterator[MockServer]:
    server.reset()
    yield server
    server.reset()


STREAM_FAULTS = [
    (Fault.error_event(after_events=1), sdk.StreamServerError),
    (Fault.invalid_json(after_events=1), sdk.StreamDecodeError),
    (Fault.no_done(), sdk.StreamIncompleteError),
    (Fault.reset(after_events=1), sdk.StreamResetError),
    (Fault.disconnect(after_events=1), sdk.StreamDisconnectedError),
    (Fault.stall(after_events=1), sdk.StreamIdleTimeoutError),
    (Fault.http_status(503), sdk.InternalServerError),
    (Fault.rate_limited(retry_after=5), sdk.RateLimitError),
]
JSON_FAULTS = [
    (Fault.reset(), sdk.APIConnectionError),
    (Fault.disconnect(), sdk.APIConnectionError),
    (Fault.invalid_json(), sdk.APIResponseValidationError),
    (Fault.stall(), sdk.APITimeoutError),
    (Fault.http_status(500), sdk.InternalServerError),
    (
        ScriptedResponse(status=422, json={"detail": [{"loc": ["body"], "msg": "bad", "type": "x"}]}),
        sdk.UnprocessableEntityError,
    ),
]


def _ids(cases: Sequence[tuple[object, type[Exception]]]) -> list[str]:
    return [f"{getattr(item, 'kind', type(item).__name__)}-{error.__name__}" for item, error in cases]


@pytest.mark.parametrize(("fault", "error"), STREAM_FAULTS, ids=_ids(STREAM_FAULTS))
def test_stream_faults(mock: MockServer, fault: Fault, error: type[Exception]) -> None:
    mock.enqueue(fault)
    with (
        sdk.Mistral(api_key="k", base_url=mock.url, max_retries=0, stream_idle_timeout=_wait_limit(fault)) as client,
        pytest.raises(error),
        client.chat.stream(model="mistral-small-latest", messages=MESSAGES) as stream,
    ):
        list(stream)
    mock.assert_no_violations()


@pytest.mark.parametrize(("fault", "error"), STREAM_FAULTS, ids=_ids(STREAM_FAULTS))
def test_stream_faults_async(mock: MockServer, fault: Fault, error: type[Exception]) -> None:
    async def consume() -> None:
        async with sdk.AsyncMistral(
            api_key="k", base_url=mock.url, max_retries=0, stream_idle_timeout=_wait_limit(fault)
        ) as client:
            stream = await client.chat.stream(model="mistral-small-latest", messages=MESSAGES)
            async with stream:
                async for _ in stream:
                    pass

    mock.enqueue(fault)
    with pytest.raises(error):
        asyncio.run(consume())


@pytest.mark.parametrize(("fault", "error"), JSON_FAULTS, ids=_ids(JSON_FAULTS))
def test_json_faults(mock: MockServer, fault: Fault | ScriptedResponse, error: type[Exception]) -> None:
    mock.enqueue(fault)
    with (
        sdk.Mistral(api_key="k", base_url=mock.url, max_retries=0, timeout=_wait_limit(fault)) as client,
        pytest.raises(error),
    ):
        client.chat.complete(model="mistral-small-latest", messages=MESSAGES)


def test_retried_faults_end_in_success(mock: MockServer) -> None:
    for fault in (Fault.rate_limited(retry_after=0), Fault.http_status(503, retry_after=0), Fault.reset()):
        mock.enqueue(fault)
    with sdk.Mistral(api_key="k", base_url=mock.url, max_retries=3) as client:
        response = client.chat.complete(model="mistral-small-latest", messages=MESSAGES)
    assert response.choices
    assert [(r.status, r.fault) for r in mock.requests] == [
        (429, FaultKind.STATUS),
        (503, FaultKind.STATUS),
        (200, FaultKind.RESET),
        (200, None),
    ]
