"""Hand-written conveniences over the generated API: structured outputs, tools from Python functions,
typed stream events, response accessors, file inputs, pages and streamed downloads.

Nothing here is generated, and nothing here imports pydantic: a pydantic model is recognised only when
the caller's own code has imported pydantic. Names load on first use.

The generated facade uses them by rule from the spec (pages, streamed downloads, file inputs,
``ChatCompletion`` answers, ``parse``/``parse_stream``): see ``generator/facade/hooks.py`` and
``docs/decisions.md``.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mistral_sdk.lib._binary import AsyncBinaryResponse, BinaryResponse, PendingBinaryResponse
    from mistral_sdk.lib._chat import AsyncParsedStream, ParsedStream
    from mistral_sdk.lib._completion import (
        ChatCompletion,
        ParsedAssistantMessage,
        ParsedChatCompletion,
        ParsedChoice,
        choice_message,
        with_accessors,
    )
    from mistral_sdk.lib._content import content_text, content_thinking
    from mistral_sdk.lib._errors import (
        LengthFinishReasonError,
        StructuredOutputError,
        StructuredOutputValidationError,
    )
    from mistral_sdk.lib._events import (
        ChatStreamEvent,
        CompletionDoneEvent,
        ContentDeltaEvent,
        ContentDoneEvent,
        ThinkingDeltaEvent,
        ToolCallArgumentsDeltaEvent,
        ToolCallDoneEvent,
    )
    from mistral_sdk.lib._files import FileInput, open_file, to_file
    from mistral_sdk.lib._pagination import AsyncPage, AsyncPaginator, SyncPage
    from mistral_sdk.lib._parsing import response_format_for
    from mistral_sdk.lib._schema import json_schema
    from mistral_sdk.lib._tools import function_tool, pydantic_tool, run_tool_calls, run_tool_calls_async
else:
    import importlib

    _MODULE_OF = {
        "AsyncBinaryResponse": "_binary",
        "BinaryResponse": "_binary",
        "PendingBinaryResponse": "_binary",
        "FileInput": "_files",
        "open_file": "_files",
        "to_file": "_files",
        "AsyncPage": "_pagination",
        "AsyncPaginator": "_pagination",
        "SyncPage": "_pagination",
        "AsyncParsedStream": "_chat",
        "ParsedStream": "_chat",
        "ChatCompletion": "_completion",
        "ParsedAssistantMessage": "_completion",
        "ParsedChatCompletion": "_completion",
        "ParsedChoice": "_completion",
        "with_accessors": "_completion",
        "choice_message": "_completion",
        "content_text": "_content",
        "content_thinking": "_content",
        "LengthFinishReasonError": "_errors",
        "StructuredOutputError": "_errors",
        "StructuredOutputValidationError": "_errors",
        "ChatStreamEvent": "_events",
        "CompletionDoneEvent": "_events",
        "ContentDeltaEvent": "_events",
        "ContentDoneEvent": "_events",
        "ThinkingDeltaEvent": "_events",
        "ToolCallArgumentsDeltaEvent": "_events",
        "ToolCallDoneEvent": "_events",
        "response_format_for": "_parsing",
        "json_schema": "_schema",
        "function_tool": "_tools",
        "pydantic_tool": "_tools",
        "run_tool_calls": "_tools",
        "run_tool_calls_async": "_tools",
    }

    def __getattr__(name):
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value

    def __dir__():
        return sorted([*globals(), *_MODULE_OF])


__all__ = [
    "AsyncBinaryResponse",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncParsedStream",
    "BinaryResponse",
    "ChatCompletion",
    "ChatStreamEvent",
    "CompletionDoneEvent",
    "ContentDeltaEvent",
    "ContentDoneEvent",
    "FileInput",
    "LengthFinishReasonError",
    "ParsedAssistantMessage",
    "ParsedChatCompletion",
    "ParsedChoice",
    "ParsedStream",
    "PendingBinaryResponse",
    "StructuredOutputError",
    "StructuredOutputValidationError",
    "SyncPage",
    "ThinkingDeltaEvent",
    "ToolCallArgumentsDeltaEvent",
    "ToolCallDoneEvent",
    "choice_message",
    "content_text",
    "content_thinking",
    "function_tool",
    "json_schema",
    "open_file",
    "pydantic_tool",
    "response_format_for",
    "run_tool_calls",
    "run_tool_calls_async",
    "to_file",
    "with_accessors",
]
