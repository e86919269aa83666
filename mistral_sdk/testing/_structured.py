"""Answers to structured-output requests: JSON that follows the schema the request sent.

A chat request with ``response_format: {"type": "json_schema", "json_schema": {"schema": ...}}`` asks
for an answer in that shape; the mock synthesizes a deterministic instance of the schema, as it does
for its own bodies, and sends it (as text) as the answer content. A schema with ``$ref`` (resolved
against the caller's document, which the mock does not have) gets the ordinary reply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._schemas import SchemaTools

__all__ = ["structured_answer"]


def structured_answer(tools: SchemaTools, request_json: Mapping[str, Any]) -> str | None:
    """The JSON text answering the request's ``json_schema`` response format, or None when it has none."""
    fmt = request_json.get("response_format")
    if not isinstance(fmt, Mapping) or fmt.get("type") != "json_schema":
        return None
    spec = fmt.get("json_schema")
    schema = spec.get("schema") if isinstance(spec, Mapping) else None
    if not isinstance(schema, Mapping) or '"$ref"' in json.dumps(schema):
        return None
    return json.dumps(tools.synthesize(schema))
