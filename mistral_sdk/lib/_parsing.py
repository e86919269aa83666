"""Structured outputs: the request's ``response_format`` from a type, and the answer read back as it.

Pure logic, no I/O: ``_chat`` (client methods) and the parsing stream call these. A type becomes a
strict ``json_schema`` response format; each choice of the answer is decoded into the type, and a
choice that cannot be (cut by ``length``, not JSON, not fitting) raises a typed error carrying the
raw text and the whole response, never a partial object.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from mistral_sdk._generated.models.chat_completion_response import ChatCompletionResponse
from mistral_sdk.lib._completion import ParsedChatCompletion, choice_message, parsed_completion
from mistral_sdk.lib._content import content_text
from mistral_sdk.lib._convert import ConversionError, convert
from mistral_sdk.lib._errors import LengthFinishReasonError, StructuredOutputValidationError
from mistral_sdk.lib._schema import json_schema, schema_name
from mistral_sdk.lib._types import is_pydantic_model, is_structured_class

__all__ = ["parse_completion", "response_format_for"]


def response_format_for(tp: Any) -> dict[str, Any]:
    """The ``response_format`` asking the API for JSON of type ``tp`` (strict mode); a fresh dict each call."""
    if not is_structured_class(tp):
        raise TypeError(
            "parse() takes the Python type of the answer as response_format (a pydantic model, a dataclass or "
            f"an attrs class), not {tp!r}; for a hand-written format use complete()"
        )
    return dict(json.loads(_format_text(tp)))


@functools.lru_cache(maxsize=128)
def _format_text(tp: type) -> str:
    # Reading a class's fields costs ~150 µs, more than the rest of a parse: built once per class, kept as
    # text so that every caller gets its own copy of the schema.
    response_format = {
        "type": "json_schema",
        "json_schema": {"name": schema_name(tp), "schema": json_schema(tp, strict=True), "strict": True},
    }
    return json.dumps(response_format)


def parse_completion(response: ChatCompletionResponse, tp: Any) -> ParsedChatCompletion[Any]:
    """``response`` with every choice's content decoded into ``tp`` (see the module docstring)."""
    parsed: dict[int, Any] = {}
    for choice in response.choices:
        message = choice_message(choice)
        raw = content_text(message.content)
        if str(choice.finish_reason) == "length":
            raise LengthFinishReasonError(
                f"choice {choice.index} was cut at max_tokens (finish_reason 'length'): its JSON is incomplete",
                raw=raw,
                response=response,
                choice_index=choice.index,
            )
        if not raw and message.tool_calls:
            parsed[choice.index] = None  # the model called a tool instead of answering
            continue
        parsed[choice.index] = _decode(raw, tp, response, choice.index)
    return parsed_completion(response, parsed)


def _decode(raw: str, tp: Any, response: Any, index: int) -> Any:
    try:
        if is_pydantic_model(tp):
            return _pydantic(tp, raw)
        return convert(tp, json.loads(raw))
    except (ValueError, ConversionError) as exc:
        raise StructuredOutputValidationError(
            f"choice {index} does not fit {getattr(tp, '__name__', tp)}: {exc}",
            raw=raw,
            response=response,
            choice_index=index,
        ) from exc


def _pydantic(tp: Any, raw: str) -> Any:
    import pydantic

    try:
        return tp.model_validate_json(raw)
    except pydantic.ValidationError as exc:
        raise ConversionError(str(exc)) from exc
