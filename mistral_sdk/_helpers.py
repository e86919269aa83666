"""Helper constructors with the Go client's names (snake_case), returning the generated models.

They exist so the common case reads like the Go streaming guide: a model name, a list of messages
and a few typed keyword options. Each option maps to the request field of the same name; an option
left at ``None`` is not sent, so the API default applies. The results are ordinary generated
models: everything that accepts a helper's result accepts a hand-built model, and the reverse.

Options that are not plain scalars (response format, tool choice, metadata, prediction...) are
built through the generated ``from_dict`` from their JSON shape, so these helpers depend only on
schema and field names, which are facts of the API, never on the generator's internal classes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from mistral_sdk._generated.models.assistant_message import AssistantMessage
    from mistral_sdk._generated.models.chat_completion_request import ChatCompletionRequest
    from mistral_sdk._generated.models.fim_completion_request import FIMCompletionRequest
    from mistral_sdk._generated.models.response_format import ResponseFormat
    from mistral_sdk._generated.models.system_message import SystemMessage
    from mistral_sdk._generated.models.tool import Tool
    from mistral_sdk._generated.models.tool_choice import ToolChoice
    from mistral_sdk._generated.models.tool_message import ToolMessage
    from mistral_sdk._generated.models.user_message import UserMessage

    Message = AssistantMessage | SystemMessage | ToolMessage | UserMessage

__all__ = [
    "new_assistant_message_from_string",
    "new_chat_completion_request",
    "new_chat_completion_stream_request",
    "new_fim_completion_request",
    "new_fim_completion_stream_request",
    "new_json_schema_response_format",
    "new_system_message_from_string",
    "new_tool",
    "new_tool_choice",
    "new_tool_message",
    "new_user_message_from_string",
]

ToolChoiceMode = Literal["auto", "none", "any", "required"]
ResponseFormatType = Literal["text", "json_object"]


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    return value


def new_user_message_from_string(content: str) -> UserMessage:
    from mistral_sdk._generated.models.user_message import UserMessage

    return UserMessage.from_dict({"role": "user", "content": _text(content, "content")})


def new_system_message_from_string(content: str) -> SystemMessage:
    from mistral_sdk._generated.models.system_message import SystemMessage

    return SystemMessage.from_dict({"role": "system", "content": _text(content, "content")})


def new_assistant_message_from_string(content: str, *, prefix: bool | None = None) -> AssistantMessage:
    """An assistant turn; ``prefix=True`` makes the model continue from this text."""
    from mistral_sdk._generated.models.assistant_message import AssistantMessage

    body: dict[str, Any] = {"role": "assistant", "content": _text(content, "content")}
    if prefix is not None:
        body["prefix"] = bool(prefix)
    return AssistantMessage.from_dict(body)


def new_tool_message(content: str, *, tool_call_id: str, name: str | None = None) -> ToolMessage:
    """The result of a tool call, answered to the call ``tool_call_id`` (from the assistant's tool call)."""
    from mistral_sdk._generated.models.tool_message import ToolMessage

    body: dict[str, Any] = {
        "role": "tool",
        "content": _text(content, "content"),
        "tool_call_id": _text(tool_call_id, "tool_call_id"),
    }
    if name is not None:
        body["name"] = _text(name, "name")
    return ToolMessage.from_dict(body)


def new_tool(name: str, description: str, parameters: Mapping[str, Any], *, strict: bool | None = None) -> Tool:
    """A function tool; ``parameters`` is the JSON schema of its arguments."""
    from mistral_sdk._generated.models.tool import Tool

    if not isinstance(parameters, Mapping):
        raise TypeError(f"parameters must be a JSON-schema mapping, not {type(parameters).__name__}")
    function: dict[str, Any] = {
        "name": _text(name, "name"),
        "description": _text(description, "description"),
        "parameters": dict(parameters),
    }
    if strict is not None:
        function["strict"] = bool(strict)
    return Tool.from_dict({"type": "function", "function": function})


def new_tool_choice(function_name: str) -> ToolChoice:
    """Force the model to call this one function."""
    from mistral_sdk._generated.models.tool_choice import ToolChoice

    return ToolChoice.from_dict({"type": "function", "function": {"name": _text(function_name, "function_name")}})


def new_json_schema_response_format(
    name: str, schema: Mapping[str, Any], *, description: str | None = None, strict: bool | None = None
) -> ResponseFormat:
    """Structured output: the answer is JSON valid against ``schema``."""
    from mistral_sdk._generated.models.response_format import ResponseFormat

    if not isinstance(schema, Mapping):
        raise TypeError(f"schema must be a JSON-schema mapping, not {type(schema).__name__}")
    json_schema: dict[str, Any] = {"name": _text(name, "name"), "schema": dict(schema)}
    if description is not None:
        json_schema["description"] = _text(description, "description")
    if strict is not None:
        json_schema["strict"] = bool(strict)
    return ResponseFormat.from_dict({"type": "json_schema", "json_schema": json_schema})


def _response_format(value: ResponseFormatType | ResponseFormat) -> ResponseFormat:
    from mistral_sdk._generated.models.response_format import ResponseFormat

    if isinstance(value, ResponseFormat):
        return value
    if value in ("text", "json_object"):
        return ResponseFormat.from_dict({"type": value})
    raise ValueError(
        f"response_format must be 'text', 'json_object' or a ResponseFormat "
        f"(see new_json_schema_response_format), not {value!r}"
    )


def _tool_choice(value: ToolChoiceMode | ToolChoice) -> Any:
    from mistral_sdk._generated.models.tool_choice import ToolChoice
    from mistral_sdk._generated.models.tool_choice_enum import ToolChoiceEnum

    if isinstance(value, ToolChoice):
        return value
    if value in ("auto", "none", "any", "required"):
        return ToolChoiceEnum(value)
    raise ValueError(
        f"tool_choice must be 'auto', 'none', 'any', 'required' or a ToolChoice (see new_tool_choice), not {value!r}"
    )


def _common(
    body: dict[str, Any],
    *,
    temperature: float | None,
    top_p: float | None,
    max_tokens: int | None,
    stop: str | Sequence[str] | None,
    random_seed: int | None,
    metadata: Mapping[str, Any] | None,
    prompt_cache_key: str | None,
) -> None:
    if temperature is not None:
        body["temperature"] = float(temperature)
    if top_p is not None:
        body["top_p"] = float(top_p)
    if max_tokens is not None:
        body["max_tokens"] = int(max_tokens)
    if stop is not None:
        body["stop"] = stop if isinstance(stop, str) else [_text(s, "stop item") for s in stop]
    if random_seed is not None:
        body["random_seed"] = int(random_seed)
    if metadata is not None:
        body["metadata"] = dict(metadata)
    if prompt_cache_key is not None:
        body["prompt_cache_key"] = _text(prompt_cache_key, "prompt_cache_key")


def new_chat_completion_request(
    model: str,
    messages: Sequence[Message],
    *,
    temperature: float | None = None,
    top_p: float | None = None,
    max_tokens: int | None = None,
    stop: str | Sequence[str] | None = None,
    random_seed: int | None = None,
    tools: Sequence[Tool] | None = None,
    tool_choice: ToolChoiceMode | ToolChoice | None = None,
    parallel_tool_calls: bool | None = None,
    response_format: ResponseFormatType | ResponseFormat | None = None,
    presence_penalty: float | None = None,
    frequency_penalty: float | None = None,
    n: int | None = None,
    prediction: str | None = None,
    prompt_mode: Literal["reasoning"] | None = None,
    reasoning_effort: str | None = None,
    safe_prompt: bool | None = None,
    metadata: Mapping[str, Any] | None = None,
    prompt_cache_key: str | None = None,
    stream: bool | None = None,
) -> ChatCompletionRequest:
    """A chat completion request. ``prediction`` is the expected output text (predicted outputs)."""
    from mistral_sdk._generated.models.assistant_message import AssistantMessage
    from mistral_sdk._generated.models.chat_completion_request import ChatCompletionRequest
    from mistral_sdk._generated.models.system_message import SystemMessage
    from mistral_sdk._generated.models.tool import Tool
    from mistral_sdk._generated.models.tool_message import ToolMessage
    from mistral_sdk._generated.models.user_message import UserMessage

    message_types = (AssistantMessage, SystemMessage, ToolMessage, UserMessage)
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise TypeError("messages must be a list of message models (see new_user_message_from_string)")
    for i, m in enumerate(messages):
        if not isinstance(m, message_types):
            raise TypeError(f"messages[{i}] is a {type(m).__name__}, not a message model")
    if tools is not None:
        for i, t in enumerate(tools):
            if not isinstance(t, Tool):
                raise TypeError(f"tools[{i}] is a {type(t).__name__}, not a Tool (see new_tool)")
    body: dict[str, Any] = {"model": _text(model, "model"), "messages": []}
    _common(
        body,
        temperature=temperature,
        top_p=top_p,
        max_tokens=max_tokens,
        stop=stop,
        random_seed=random_seed,
        metadata=metadata,
        prompt_cache_key=prompt_cache_key,
    )
    if presence_penalty is not None:
        body["presence_penalty"] = float(presence_penalty)
    if frequency_penalty is not None:
        body["frequency_penalty"] = float(frequency_penalty)
    if n is not None:
        body["n"] = int(n)
    if prediction is not None:
        body["prediction"] = {"type": "content", "content": _text(prediction, "prediction")}
    if prompt_mode is not None:
        body["prompt_mode"] = prompt_mode
    if reasoning_effort is not None:
        body["reasoning_effort"] = reasoning_effort
    if safe_prompt is not None:
        body["safe_prompt"] = bool(safe_prompt)
    if parallel_tool_calls is not None:
        body["parallel_tool_calls"] = bool(parallel_tool_calls)
    if stream is not None:
        body["stream"] = bool(stream)
    request = ChatCompletionRequest.from_dict(body)
    # The caller's own model objects are kept as given (not copied through JSON).
    request.messages = list(messages)
    if tools is not None:
        request.tools = list(tools)
    if tool_choice is not None:
        request.tool_choice = _tool_choice(tool_choice)
    if response_format is not None:
        request.response_format = _response_format(response_format)
    return request


def new_chat_completion_stream_request(
    model: str,
    messages: Sequence[Message],
    *,
    temperature: float | None = None,
    top_p: float | None = None,
    max_tokens: int | None = None,
    stop: str | Sequence[str] | None = None,
    random_seed: int | None = None,
    tools: Sequence[Tool] | None = None,
    tool_choice: ToolChoiceMode | ToolChoice | None = None,
    parallel_tool_calls: bool | None = None,
    response_format: ResponseFormatType | ResponseFormat | None = None,
    presence_penalty: float | None = None,
    frequency_penalty: float | None = None,
    n: int | None = None,
    prediction: str | None = None,
    prompt_mode: Literal["reasoning"] | None = None,
    reasoning_effort: str | None = None,
    safe_prompt: bool | None = None,
    metadata: Mapping[str, Any] | None = None,
    prompt_cache_key: str | None = None,
) -> ChatCompletionRequest:
    """``new_chat_completion_request`` with ``stream=True``."""
    return new_chat_completion_request(
        model,
        messages,
        temperature=temperature,
        top_p=top_p,
        max_tokens=max_tokens,
        stop=stop,
        random_seed=random_seed,
        tools=tools,
        tool_choice=tool_choice,
        parallel_tool_calls=parallel_tool_calls,
        response_format=response_format,
        presence_penalty=presence_penalty,
        frequency_penalty=frequency_penalty,
        n=n,
        prediction=prediction,
        prompt_mode=prompt_mode,
        reasoning_effort=reasoning_effort,
        safe_prompt=safe_prompt,
        metadata=metadata,
        prompt_cache_key=prompt_cache_key,
        stream=True,
    )


def new_fim_completion_request(
    model: str,
    prompt: str,
    *,
    suffix: str | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    max_tokens: int | None = None,
    min_tokens: int | None = None,
    stop: str | Sequence[str] | None = None,
    random_seed: int | None = None,
    metadata: Mapping[str, Any] | None = None,
    prompt_cache_key: str | None = None,
    stream: bool | None = None,
) -> FIMCompletionRequest:
    """A fill-in-the-middle request: the model writes what goes between ``prompt`` and ``suffix``."""
    from mistral_sdk._generated.models.fim_completion_request import FIMCompletionRequest

    body: dict[str, Any] = {"model": _text(model, "model"), "prompt": _text(prompt, "prompt")}
    if suffix is not None:
        body["suffix"] = _text(suffix, "suffix")
    if min_tokens is not None:
        body["min_tokens"] = int(min_tokens)
    if stream is not None:
        body["stream"] = bool(stream)
    _common(
        body,
        temperature=temperature,
        top_p=top_p,
        max_tokens=max_tokens,
        stop=stop,
        random_seed=random_seed,
        metadata=metadata,
        prompt_cache_key=prompt_cache_key,
    )
    return FIMCompletionRequest.from_dict(body)


def new_fim_completion_stream_request(
    model: str,
    prompt: str,
    *,
    suffix: str | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    max_tokens: int | None = None,
    min_tokens: int | None = None,
    stop: str | Sequence[str] | None = None,
    random_seed: int | None = None,
    metadata: Mapping[str, Any] | None = None,
    prompt_cache_key: str | None = None,
) -> FIMCompletionRequest:
    """``new_fim_completion_request`` with ``stream=True``."""
    return new_fim_completion_request(
        model,
        prompt,
        suffix=suffix,
        temperature=temperature,
        top_p=top_p,
        max_tokens=max_tokens,
        min_tokens=min_tokens,
        stop=stop,
        random_seed=random_seed,
        metadata=metadata,
        prompt_cache_key=prompt_cache_key,
        stream=True,
    )
