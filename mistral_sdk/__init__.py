"""Typed Python SDK for the Mistral AI API.

``mistral_sdk`` exports the clients, the helper constructors, the stream types and every error;
the API's models live in ``mistral_sdk.models``. Names load on first use: ``import mistral_sdk`` and
constructing a client stay cheap, and the streaming layer, helpers and generated models are imported only
when a program touches them.
"""

from typing import TYPE_CHECKING

from mistral_sdk._version import __version__

if TYPE_CHECKING:
    from mistral_sdk._cache import (
        ResponseCache,
    )
    from mistral_sdk._client import (
        AsyncMistral,
        Mistral,
    )
    from mistral_sdk._error_body import ValidationDetail
    from mistral_sdk._exceptions import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConflictError,
        InternalServerError,
        MissingAPIKeyError,
        MistralError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        StreamDecodeError,
        StreamDisconnectedError,
        StreamError,
        StreamIdleTimeoutError,
        StreamIncompleteError,
        StreamResetError,
        StreamServerError,
        UnprocessableEntityError,
    )
    from mistral_sdk._generated.types import File
    from mistral_sdk._helpers import (
        new_assistant_message_from_string,
        new_chat_completion_request,
        new_chat_completion_stream_request,
        new_fim_completion_request,
        new_fim_completion_stream_request,
        new_json_schema_response_format,
        new_system_message_from_string,
        new_tool,
        new_tool_choice,
        new_tool_message,
        new_user_message_from_string,
    )
    from mistral_sdk._ratelimit import (
        RateLimit,
    )
    from mistral_sdk._streaming import (
        AsyncStream,
        CompletionStreamChunk,
        ErrorMode,
        PendingAsyncStream,
        Stream,
        StreamChunk,
        StreamEvent,
    )
else:
    import importlib

    _MODULE_OF = {
        "ResponseCache": "mistral_sdk._cache",
        "File": "mistral_sdk._generated.types",
        "AsyncMistral": "mistral_sdk._client",
        "Mistral": "mistral_sdk._client",
        "APIConnectionError": "mistral_sdk._exceptions",
        "APIError": "mistral_sdk._exceptions",
        "APIResponseValidationError": "mistral_sdk._exceptions",
        "APIStatusError": "mistral_sdk._exceptions",
        "APITimeoutError": "mistral_sdk._exceptions",
        "AuthenticationError": "mistral_sdk._exceptions",
        "BadRequestError": "mistral_sdk._exceptions",
        "ConflictError": "mistral_sdk._exceptions",
        "InternalServerError": "mistral_sdk._exceptions",
        "MissingAPIKeyError": "mistral_sdk._exceptions",
        "MistralError": "mistral_sdk._exceptions",
        "NotFoundError": "mistral_sdk._exceptions",
        "PermissionDeniedError": "mistral_sdk._exceptions",
        "RateLimitError": "mistral_sdk._exceptions",
        "StreamDecodeError": "mistral_sdk._exceptions",
        "StreamDisconnectedError": "mistral_sdk._exceptions",
        "StreamError": "mistral_sdk._exceptions",
        "StreamIdleTimeoutError": "mistral_sdk._exceptions",
        "StreamIncompleteError": "mistral_sdk._exceptions",
        "StreamResetError": "mistral_sdk._exceptions",
        "StreamServerError": "mistral_sdk._exceptions",
        "UnprocessableEntityError": "mistral_sdk._exceptions",
        "ValidationDetail": "mistral_sdk._error_body",
        "new_assistant_message_from_string": "mistral_sdk._helpers",
        "new_chat_completion_request": "mistral_sdk._helpers",
        "new_chat_completion_stream_request": "mistral_sdk._helpers",
        "new_fim_completion_request": "mistral_sdk._helpers",
        "new_fim_completion_stream_request": "mistral_sdk._helpers",
        "new_json_schema_response_format": "mistral_sdk._helpers",
        "new_system_message_from_string": "mistral_sdk._helpers",
        "new_tool": "mistral_sdk._helpers",
        "new_tool_choice": "mistral_sdk._helpers",
        "new_tool_message": "mistral_sdk._helpers",
        "new_user_message_from_string": "mistral_sdk._helpers",
        "RateLimit": "mistral_sdk._ratelimit",
        "AsyncStream": "mistral_sdk._streaming",
        "CompletionStreamChunk": "mistral_sdk._streaming",
        "ErrorMode": "mistral_sdk._streaming",
        "PendingAsyncStream": "mistral_sdk._streaming",
        "Stream": "mistral_sdk._streaming",
        "StreamChunk": "mistral_sdk._streaming",
        "StreamEvent": "mistral_sdk._streaming",
    }

    def __getattr__(name):
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value

    def __dir__():
        return sorted([*globals(), *_MODULE_OF])


__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncMistral",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "CompletionStreamChunk",
    "ConflictError",
    "ErrorMode",
    "File",
    "InternalServerError",
    "MissingAPIKeyError",
    "Mistral",
    "MistralError",
    "NotFoundError",
    "PendingAsyncStream",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "ResponseCache",
    "Stream",
    "StreamChunk",
    "StreamDecodeError",
    "StreamDisconnectedError",
    "StreamError",
    "StreamEvent",
    "StreamIdleTimeoutError",
    "StreamIncompleteError",
    "StreamResetError",
    "StreamServerError",
    "UnprocessableEntityError",
    "ValidationDetail",
    "__version__",
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
