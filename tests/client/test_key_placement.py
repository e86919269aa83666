"""Each operation sends the API key where its security scheme says, checked on the wire.

Most operations take ``Authorization: Bearer <key>``; the ones declaring ``DashboardUserContextAuth``
(``beta.users.get_identity`` and its siblings) read the key from ``x-api-key`` and get it there alone.
A key function is read for every attempt whichever the header, and the key never shows in what the SDK
hands back or logs.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Callable, Iterator

import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._exceptions import AuthenticationError

from ._server import FakeClock, Reply, ScriptedServer, Seen

IDENTITY = {"id": "user-1", "email": None, "first_name": None, "last_name": None}
MODELS = {"object": "list", "data": []}
KEYS = ["sk-placement-first-0000000", "sk-placement-second-111111", "sk-placement-third-2222222"]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as scripted:
        yield scripted


def _rotating() -> Callable[[], str]:
    counter = itertools.count()
    return lambda: KEYS[next(counter)]


def _credentials(seen: Seen) -> dict[str, str]:
    return {k: v for k, v in seen.headers.items() if k in ("authorization", "x-api-key")}


def test_a_dashboard_operation_sends_the_key_in_x_api_key_only(server: ScriptedServer) -> None:
    server.reply(Reply(body=IDENTITY))
    with Mistral(KEYS[0], base_url=server.url, max_retries=0) as client:
        identity = client.beta.users.get_identity()
    assert identity.id == "user-1"
    seen = server.requests[0]
    assert (seen.method, seen.path) == ("GET", "/v1/users/me")
    assert _credentials(seen) == {"x-api-key": KEYS[0]}


def test_a_normal_operation_sends_a_bearer_token_only(server: ScriptedServer) -> None:
    server.reply(Reply(body=MODELS))
    with Mistral(KEYS[0], base_url=server.url, max_retries=0) as client:
        client.models.list()
    assert _credentials(server.requests[0]) == {"authorization": f"Bearer {KEYS[0]}"}


def test_an_admin_operation_sends_a_bearer_token(server: ScriptedServer) -> None:
    # AdminApiKey is an http bearer scheme: an admin-scoped key goes where any key goes
    server.reply(Reply(200, {"invalid_emails": [], "email_to_user_id": {}}))
    member = {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}
    with Mistral(KEYS[0], base_url=server.url, max_retries=0) as client:
        client.beta.admin.users.create(body=[member])
    assert _credentials(server.requests[0]) == {"authorization": f"Bearer {KEYS[0]}"}


def test_a_key_function_is_read_for_every_attempt_in_either_header_sync(server: ScriptedServer) -> None:
    server.reply(Reply(503, {"message": "busy"}), Reply(body=IDENTITY), Reply(body=MODELS))
    with Mistral(_rotating(), base_url=server.url, clock=FakeClock()) as client:
        client.beta.users.get_identity()  # one retry: two attempts, two keys
        client.models.list()
    assert [_credentials(seen) for seen in server.requests] == [
        {"x-api-key": KEYS[0]},
        {"x-api-key": KEYS[1]},
        {"authorization": f"Bearer {KEYS[2]}"},
    ]


def test_a_key_function_is_read_for_every_attempt_in_either_header_async(server: ScriptedServer) -> None:
    server.reply(Reply(503, {"message": "busy"}), Reply(body=IDENTITY), Reply(body=MODELS))
    counter = itertools.count()

    async def key() -> str:
        return KEYS[next(counter)]

    async def run() -> None:
        async with AsyncMistral(key, base_url=server.url, clock=FakeClock()) as client:
            await client.beta.users.get_identity()
            await client.models.list()

    asyncio.run(run())
    assert [_credentials(seen) for seen in server.requests] == [
        {"x-api-key": KEYS[0]},
        {"x-api-key": KEYS[1]},
        {"authorization": f"Bearer {KEYS[2]}"},
    ]


def test_query_parameters_and_extra_headers_travel_with_the_x_api_key(server: ScriptedServer) -> None:
    server.reply(Reply(body={"workspaces": []}))
    with Mistral(KEYS[0], base_url=server.url, max_retries=0) as client:
        answer = client.beta.users.list_workspaces(limit=5, extra_headers={"X-Trace": "t-1"})
    assert answer.workspaces == []
    seen = server.requests[0]
    assert seen.path.startswith("/v1/users/me/workspaces?") and "limit=5" in seen.path
    assert seen.headers["x-trace"] == "t-1"
    assert _credentials(seen) == {"x-api-key": KEYS[0]}


def test_the_x_api_key_never_shows_in_errors_logs_or_reprs(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("MISTRAL_LOG", "debug")
    caplog.set_level(logging.DEBUG, logger="mistral_sdk")
    server.reply(Reply(401, {"message": "Unauthorized"}))
    with Mistral(lambda: KEYS[0], base_url=server.url, max_retries=0) as client:
        with pytest.raises(AuthenticationError) as info:
            client.beta.users.get_identity()
        shown = repr(client) + repr(client.beta.users)
    assert server.requests[0].headers["x-api-key"] == KEYS[0]  # it was sent, in that header
    assert "Request: GET" in caplog.text and "x-api-key" in caplog.text.lower()
    assert KEYS[0] not in caplog.text
    error = info.value
    assert KEYS[0] not in str(error) and KEYS[0] not in repr(error) and KEYS[0] not in repr(vars(error))
    assert error.request is not None and error.request.headers["x-api-key"] == "[redacted]"
    assert KEYS[0] not in repr(error.request.headers)
    assert error.response is not None and KEYS[0] not in repr(error.response.request.headers)
    assert KEYS[0] not in shown
    assert KEYS[0] not in json.dumps([list(r) for r in caplog.record_tuples])
