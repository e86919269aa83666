"""How the mock reads requests the 80-operation description made possible: the API's reading, not a library's.

Each test would fail on the mock as it was before the fix it guards (see the mock's docstrings).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mistral_sdk.testing import MockServer
from mistral_sdk.testing._schemas import SchemaTools

from .spec_facts import OUR_SPEC, our_document

pytestmark = pytest.mark.contract

AUTH = {"Authorization": "Bearer k"}
WAV: tuple[str, bytes, str] = ("a.wav", b"RIFF$\x00\x00\x00WAVE", "audio/wav")


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer(OUR_SPEC) as mock:
        yield mock


@pytest.fixture
def mock(server: MockServer) -> Iterator[MockServer]:
    server.reset()
    yield server
    server.reset()


def test_json_query_parameter_that_is_not_json_is_a_named_violation(mock: MockServer) -> None:
    for text in ("not json", ""):
        response = httpx.get(f"{mock.url}/v1/agents", params={"metadata": text}, headers=AUTH)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", "metadata"]
        assert response.json()["detail"][0]["type"] == "json_invalid"
    mock.reset()
    ok = httpx.get(f"{mock.url}/v1/agents", params={"metadata": '{"team": "support"}'}, headers=AUTH)
    assert ok.status_code == 200, ok.text
    mock.assert_no_violations()


def test_allow_names_the_methods_of_the_most_specific_route(mock: MockServer) -> None:
    """``/v1/agents/pages`` also matches ``/v1/agents/{agent_id}``; its Allow must not list that route's methods."""
    response = httpx.options(f"{mock.url}/v1/agents/pages", headers=AUTH)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"


@pytest.mark.parametrize(
    ("text", "media"),
    [("True", "text/event-stream"), ("true", "text/event-stream"), ("False", "application/json"), ("maybe", None)],
)
def test_form_booleans_are_read_case_insensitively(mock: MockServer, text: str, media: str | None) -> None:
    """The generated client sends ``str(bool)``; FastAPI reads it, so ``stream=True`` is the streaming call."""
    files: dict[str, tuple[str | None, bytes] | tuple[str, bytes, str]] = {
        "model": (None, b"voxtral-mini-latest"),
        "stream": (None, text.encode()),
        "file": WAV,
    }
    response = httpx.post(f"{mock.url}/v1/audio/transcriptions", files=files, headers=AUTH)
    if media is None:
        assert response.status_code == 422, response.text
    else:
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith(media)
        mock.assert_no_violations()


def test_a_uri_field_refuses_text_that_is_no_uri() -> None:
    tools = SchemaTools(our_document())
    schema = {"type": "string", "format": "uri"}
    assert tools.is_valid(schema, "https://example.com/talk.mp3")
    assert not tools.is_valid(schema, "{}")
    assert not tools.is_valid(schema, "no scheme here")


def test_form_file_url_that_is_no_uri_is_refused(mock: MockServer) -> None:
    files = {"model": (None, b"voxtral-mini-latest"), "file_url": (None, b"{}")}
    response = httpx.post(f"{mock.url}/v1/audio/transcriptions", files=files, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["body", "file_url"]


def test_named_event_stream_ends_with_the_costed_event_and_carries_text(mock: MockServer) -> None:
    body = {"inputs": "Hello", "model": "mistral-medium-latest", "stream": True}
    with httpx.stream("POST", f"{mock.url}/v1/conversations", json=body, headers=AUTH) as response:
        lines = [line for line in response.iter_lines() if line.startswith("event: ")]
    assert lines[0] == "event: conversation.response.started"
    assert lines[-1] == "event: conversation.response.done"
    assert "event: message.output.delta" in lines
    mock.assert_no_violations()


def test_an_unreadable_object_query_value_says_which_style_failed(mock: MockServer) -> None:
    """What the generated client sends today for the batch ``metadata`` filter: ``str()`` of a dict."""
    response = httpx.get(f"{mock.url}/v1/batch/jobs", params={"metadata": "{'team': 'support'}"}, headers=AUTH)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["query", "metadata"]
    assert "'form' style" in detail["msg"]
