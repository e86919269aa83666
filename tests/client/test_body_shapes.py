"""Request bodies that are not one required object: an optional body, a JSON array, a union of models.

Each is checked on the wire (a loopback server records what arrives): the body carries exactly what the
caller set, plain mappings are read as the models they stand for, and a wrong value is refused by name
before anything is sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._generated.models.organization_member_create import OrganizationMemberCreate

from ._server import Reply, ScriptedServer

CREATED = json.dumps({"invalid_emails": [], "email_to_user_id": {}}).encode()
MEMBER = {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as scripted:
        scripted.default = Reply(204, b"")
        yield scripted


def _client(server: ScriptedServer) -> Mistral:
    return Mistral("k", base_url=server.url, max_retries=0)


# ---- an optional body (``anyOf: [model, null]``): its fields are keyword arguments ----


def test_an_optional_body_left_empty_sends_no_body(server: ScriptedServer) -> None:
    with _client(server) as client:
        client.workflows.schedules.pause("sched-1")
    seen = server.requests[0]
    assert (seen.method, seen.path) == ("POST", "/v1/workflows/schedules/sched-1/pause")
    assert seen.body == b""


def test_an_optional_body_with_a_field_sends_that_field(server: ScriptedServer) -> None:
    with _client(server) as client:
        client.workflows.schedules.pause("sched-1", note="maintenance window")
    assert json.loads(server.requests[0].body) == {"note": "maintenance window"}


def test_an_optional_body_field_given_as_null_is_sent_as_null(server: ScriptedServer) -> None:
    # ``note`` is nullable: None is the caller's explicit null, not "not given"
    with _client(server) as client:
        client.workflows.schedules.pause("sched-1", note=None)
    assert json.loads(server.requests[0].body) == {"note": None}


def test_extra_body_on_an_empty_optional_body_is_the_whole_body(server: ScriptedServer) -> None:
    with _client(server) as client:
        client.workflows.schedules.resume("sched-1", extra_body={"probe": 1})
    assert json.loads(server.requests[0].body) == {"probe": 1}


# ---- a JSON array of models: ``body=`` takes models or mappings ----


def test_an_array_body_takes_mappings_and_models_alike(server: ScriptedServer) -> None:
    server.default = Reply(200, CREATED)
    members: list[Any] = [MEMBER, OrganizationMemberCreate(email="b@example.com", first_name="B", last_name="C")]
    with _client(server) as client:
        client.beta.admin.users.create(body=members)
    sent = json.loads(server.requests[0].body)
    assert sent == [MEMBER, {"email": "b@example.com", "first_name": "B", "last_name": "C"}]


def test_an_array_body_as_a_tuple_is_sent_as_an_array(server: ScriptedServer) -> None:
    server.default = Reply(200, CREATED)
    with _client(server) as client:
        client.beta.admin.users.create(body=(MEMBER,))
    assert json.loads(server.requests[0].body) == [MEMBER]


def test_an_array_item_missing_a_required_field_is_refused_by_path(server: ScriptedServer) -> None:
    broken = {k: v for k, v in MEMBER.items() if k != "email"}
    with _client(server) as client, pytest.raises(ValueError, match=r"body\[1\]") as caught:
        client.beta.admin.users.create(body=[MEMBER, broken])
    assert "email" in str(caught.value)
    assert server.requests == []


def test_an_array_item_keeps_a_key_its_open_schema_allows(server: ScriptedServer) -> None:
    # OrganizationMemberCreate does not close its properties (no additionalProperties: false): a key the
    # spec does not list is the caller's to send, and it is sent as given
    server.default = Reply(200, CREATED)
    with _client(server) as client:
        client.beta.admin.users.create(body=[{**MEMBER, "team": "analytics"}])
    assert json.loads(server.requests[0].body) == [{**MEMBER, "team": "analytics"}]


def test_a_body_that_is_not_an_array_is_refused(server: ScriptedServer) -> None:
    with _client(server) as client, pytest.raises(TypeError, match="body"):
        client.beta.admin.users.create(body=MEMBER)  # type: ignore[arg-type]
    assert server.requests == []


# ---- a union of models: ``body=`` picks the member the mapping matches ----

OFFLINE = {"status": "offline", "clear_metrics": True}


def test_a_union_body_mapping_is_sent_as_given(server: ScriptedServer) -> None:
    server.default = Reply(200, b"{}")
    with _client(server) as client:
        client.beta.rag.search_indexes.update_metrics("5b6f6b2e-8d4c-4e55-9a43-0c1f3d2b9e10", body=OFFLINE)
    seen = server.requests[0]
    assert (seen.method, seen.path) == ("PUT", "/v1/rag/deployments/5b6f6b2e-8d4c-4e55-9a43-0c1f3d2b9e10/metrics")
    assert json.loads(seen.body) == OFFLINE


def test_async_bodies_match_the_sync_ones(server: ScriptedServer) -> None:
    async def run() -> None:
        async with AsyncMistral("k", base_url=server.url, max_retries=0) as client:
            await client.workflows.schedules.pause("sched-1")
            await client.workflows.schedules.pause("sched-1", note="n")
            server.default = Reply(200, CREATED)
            await client.beta.admin.users.create(body=[MEMBER])

    asyncio.run(run())
    assert server.requests[0].body == b""
    assert [json.loads(seen.body) for seen in server.requests[1:]] == [{"note": "n"}, [MEMBER]]
