"""The mock answers a ``json_schema`` response format with JSON that follows the request's schema."""

from __future__ import annotations

import json
from typing import Any

import httpx

from mistral_sdk.testing import MockServer

SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
        "score": {"anyOf": [{"type": "number"}, {"type": "null"}]},
    },
    "required": ["name", "tags", "score"],
    "additionalProperties": False,
}


def _ask(mock: MockServer, schema: dict[str, Any], stream: bool = False) -> httpx.Response:
    body = {
        "model": "mistral-small-latest",
        "messages": [{"role": "user", "content": "x"}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "t", "schema": schema, "strict": True}},
        "stream": stream,
    }
    return httpx.post(f"{mock.url}/v1/chat/completions", json=body, headers={"Authorization": "Bearer k"})


def test_the_answer_follows_the_schema(mistral_mock: MockServer) -> None:
    content = json.loads(_ask(mistral_mock, SCHEMA).json()["choices"][0]["message"]["content"])
    assert content == {"name": "mock-name", "tags": ["a"], "score": 1.0}
    mistral_mock.assert_no_violations()


def test_the_streamed_answer_joins_into_the_same_json(mistral_mock: MockServer) -> None:
    mistral_mock.stream_events = 5
    text = _ask(mistral_mock, SCHEMA, stream=True).text
    events = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: {")]
    joined = "".join(e["choices"][0]["delta"].get("content") or "" for e in events)
    assert len(events) == 6
    assert json.loads(joined) == {"name": "mock-name", "tags": ["a"], "score": 1.0}
    mistral_mock.assert_no_violations()


def test_a_schema_with_references_gets_the_ordinary_reply(mistral_mock: MockServer) -> None:
    schema = {"$defs": {"X": {"type": "string"}}, "type": "object", "properties": {"x": {"$ref": "#/$defs/X"}}}
    content = _ask(mistral_mock, schema).json()["choices"][0]["message"]["content"]
    plain = httpx.post(
        f"{mistral_mock.url}/v1/chat/completions",
        json={"model": "mistral-small-latest", "messages": [{"role": "user", "content": "x"}]},
        headers={"Authorization": "Bearer k"},
    )
    assert content == plain.json()["choices"][0]["message"]["content"]
