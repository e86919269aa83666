"""Every error the SDK raises, in one place.

The tree mirrors how a caller reacts: ``APIStatusError`` subclasses are the server saying no (retry
or fix the request), ``APIConnectionError`` is the network failing (retry), ``StreamError`` is a
response that started well and broke (keep what arrived, decide whether to resume). Catching
``MistralError`` catches everything the SDK raises on purpose.

No error ever holds the API key: requests are kept with their Authorization header redacted.
"""

from __future__ import annotations

from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MistralError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
]


class MistralError(Exception):
    """Base of every error raised by mistral_sdk."""


class APIError(MistralError):
    """A request to the API did not produce a usable result."""

    message: str
    request: httpx.Request | None
    body: object | None

    def __init__(self, message: str, *, request: httpx.Request | None = None, body: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status."""

    status_code: int
    response: httpx.Response
    headers: httpx.Headers
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, body: object | None) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.request_id = response.headers.get("x-request-id") or response.headers.get("mistral-correlation-id")


class BadRequestError(APIStatusError):
    """400: the request is malformed."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource (or model)."""


class ConflictError(APIStatusError):
    """409: the resource is in a state that forbids this; retried by default."""


class UnprocessableEntityError(APIStatusError):
    """422: the request failed the API's validation; ``details`` says which fields and why."""

    details: list[dict[str, Any]]

    def __init__(self, message: str, *, response: httpx.Response, body: object | None) -> None:
        super().__init__(message, response=response, body=body)
        detail = body.get("detail") if isinstance(body, dict) else None
        self.details = [d for d in detail if isinstance(d, dict)] if isinstance(detail, list) else []


class RateLimitError(APIStatusError):
    """429: too many requests or tokens; retried by default, honouring ``Retry-After``."""


class InternalServerError(APIStatusError):
    """5xx (and any status >= 500, standard or not): the server failed; retried by default."""


class APIConnectionError(APIError):
    """The request never got an answer: DNS, refused connection, reset, TLS failure."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request, body=None)


class APITimeoutError(APIConnectionError):
    """Connecting, or waiting for the next bytes of a response, took longer than the configured timeout."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)
