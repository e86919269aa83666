"""Known defects of Mistral's published description, corrected before a mock is built on it.

Each patch checks that the defect is still there and raises otherwise, so the list cannot silently
outlive the defects it documents. The defects (measured on the 2026-07-15 version, and all four still
there in the 2026-08-13 one):

1. ``ChatCompletionResponse.required`` lists ``data``, which no real response carries (and which
   ``FIMCompletionResponse`` inherits);
2. eight response examples fail their own schemas: models list and retrieve, files list, upload and
   retrieve (``bytes: null`` for an integer), embeddings (no ``id``), agents completions, OCR.
   The mock reports such examples as ``spec`` violations, so they are removed and the mock
   synthesizes those bodies instead;
3. agents completions declare only a JSON answer, although ``stream: true`` streams there exactly as
   for chat completions (our spec declares it); the chat completions event-stream response is added;
4. ``SharingDelete.required`` lists ``level``, a property it does not define (removing someone's access
   has no level; ``SharingIn`` has it): every valid delete request would be refused, so it is dropped.
"""

from __future__ import annotations

from typing import Any

from mistral_sdk.testing import SpecError

INVALID_EXAMPLES: tuple[tuple[str, str, str, str, str], ...] = (
    ("/v1/models", "get", "200", "application/json", "userExample"),
    ("/v1/models/{model_id}", "get", "200", "application/json", "userExample"),
    ("/v1/files", "get", "200", "application/json", "userExample"),
    ("/v1/files", "post", "200", "application/json", "userExample"),
    ("/v1/files/{file_id}", "get", "200", "application/json", "userExample"),
    ("/v1/embeddings", "post", "200", "application/json", "userExample"),
    ("/v1/agents/completions", "post", "200", "application/json", "userExample"),
    ("/v1/ocr", "post", "200", "application/json", "userExample"),
)


def chat_completion_response_does_not_require_data(document: dict[str, Any]) -> None:
    schema = document["components"]["schemas"]["ChatCompletionResponse"]
    for part in [schema, *schema.get("allOf", [])]:
        required = part.get("required", [])
        if "data" in required:
            required.remove("data")
            return
    raise SpecError("reference patch obsolete: ChatCompletionResponse no longer requires 'data'")


def drop_examples_that_fail_their_schemas(document: dict[str, Any]) -> None:
    for path, method, status, media, name in INVALID_EXAMPLES:
        media_object = document["paths"][path][method]["responses"][status]["content"][media]
        examples = media_object.get("examples", {})
        if name not in examples:
            raise SpecError(f"reference patch obsolete: no example {name!r} at {method.upper()} {path} {status}")
        del examples[name]


def agents_completions_can_stream(document: dict[str, Any]) -> None:
    agents = document["paths"]["/v1/agents/completions"]["post"]["responses"]["200"]["content"]
    if "text/event-stream" in agents:
        raise SpecError("reference patch obsolete: agents completions now declare text/event-stream")
    chat = document["paths"]["/v1/chat/completions"]["post"]["responses"]["200"]["content"]
    agents["text/event-stream"] = chat["text/event-stream"]


def sharing_delete_does_not_require_an_undefined_level(document: dict[str, Any]) -> None:
    schema = document["components"]["schemas"]["SharingDelete"]
    required = schema.get("required", [])
    if "level" not in required or "level" in schema.get("properties", {}):
        raise SpecError("reference patch obsolete: SharingDelete no longer requires an undefined 'level'")
    required.remove("level")


REFERENCE_PATCHES = (
    chat_completion_response_does_not_require_data,
    drop_examples_that_fail_their_schemas,
    agents_completions_can_stream,
    sharing_delete_does_not_require_an_undefined_level,
)
