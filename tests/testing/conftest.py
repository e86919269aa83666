"""A tiny OpenAPI description exercising what the mock must handle generically, independent of Mistral's."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from mistral_sdk.testing import MockServer

_JSON = "application/json"
_VALIDATION = {
    "422": {
        "description": "invalid",
        "content": {_JSON: {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
    }
}

TINY_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "tiny", "version": "1"},
    "servers": [{"url": "https://api.example.invalid"}],
    "security": [{"ApiKey": []}],
    "paths": {
        "/v1/things": {
            "get": {
                "operationId": "list_things",
                "parameters": [
                    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer"}},
                    {"name": "search", "in": "query", "schema": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
                    {
                        "name": "kind",
                        "in": "query",
                        "schema": {
                            "anyOf": [
                                {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
                                {"type": "null"},
                            ]
                        },
                    },
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            _JSON: {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                                "examples": {"bad": {"value": [{"id": 7}]}},
                            }
                        },
                    },
                    **_VALIDATION,
                },
            },
            "post": {
                "operationId": "create_thing",
                "requestBody": {
                    "required": True,
                    "content": {_JSON: {"schema": {"$ref": "#/components/schemas/NewThing"}}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    },
                    **_VALIDATION,
                },
            },
        },
        "/v1/uploads": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "expiry": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                                    "purpose": {"type": "string", "enum": ["fine-tune", "batch"]},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    }
                },
            },
        },
        "/v1/things/{thing_id}": {
            "delete": {
                "operationId": "delete_thing",
                "parameters": [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"204": {"description": "gone"}, **_VALIDATION},
            },
        },
        "/v1/talks": {
            "post": {
                "operationId": "start_talk",
                "requestBody": {
                    "required": True,
                    "content": {_JSON: {"schema": {"$ref": "#/components/schemas/TalkRequest"}}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    },
                    **_VALIDATION,
                },
            },
        },
        "/v1/talks#stream": {
            "post": {
                "operationId": "start_talk_stream",
                "requestBody": {
                    "required": True,
                    "content": {_JSON: {"schema": {"$ref": "#/components/schemas/TalkRequest"}}},
                },
                "responses": {
                    "200": {
                        "description": "events",
                        "content": {"text/event-stream": {"schema": {"$ref": "#/components/schemas/TalkEvents"}}},
                    },
                    **_VALIDATION,
                },
            },
        },
    },
    "components": {
        "securitySchemes": {"ApiKey": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["id", "name", "weight"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "weight": {"type": "number", "minimum": 1e-08},
                },
            },
            "NewThing": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}},
                "additionalProperties": False,
            },
            "TalkRequest": {
                "type": "object",
                "required": ["topic"],
                "properties": {"topic": {"type": "string"}, "stream": {"type": "boolean"}},
            },
            "TalkEvents": {
                "type": "object",
                "required": ["event", "data"],
                "properties": {
                    "event": {"type": "string", "enum": ["talk.started", "talk.output.delta", "talk.done"]},
                    "data": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Started"},
                            {"$ref": "#/components/schemas/Delta"},
                            {"$ref": "#/components/schemas/Done"},
                        ],
                        "discriminator": {
                            "propertyName": "type",
                            "mapping": {
                                "talk.started": "#/components/schemas/Started",
                                "talk.output.delta": "#/components/schemas/Delta",
                                "talk.done": "#/components/schemas/Done",
                            },
                        },
                    },
                },
            },
            "Started": {"type": "object", "required": ["type"], "properties": {"type": {"const": "talk.started"}}},
            "Delta": {
                "type": "object",
                "required": ["type", "content"],
                "properties": {"type": {"const": "talk.output.delta"}, "content": {"type": "string"}},
            },
            "Done": {
                "type": "object",
                "required": ["type", "usage"],
                "properties": {
                    "type": {"const": "talk.done"},
                    "usage": {
                        "type": "object",
                        "required": ["total_tokens"],
                        "properties": {"total_tokens": {"type": "integer"}},
                    },
                },
            },
            "HTTPValidationError": {
                "type": "object",
                "properties": {"detail": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}}},
            },
            "ValidationError": {
                "type": "object",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}


def tiny_spec() -> dict[str, Any]:
    return copy.deepcopy(TINY_SPEC)


@pytest.fixture(scope="module")
def tiny_server() -> Iterator[MockServer]:
    with MockServer(tiny_spec()) as server:
        yield server


@pytest.fixture
def tiny(tiny_server: MockServer) -> Iterator[MockServer]:
    tiny_server.reset()
    yield tiny_server
    tiny_server.reset()
