"""Every error the SDK raises, in one place.

The tree mirrors how a caller reacts: ``APIStatusError`` subclasses are the server saying no (retry
or fix the request), ``APIConnectionError`` is the network failing (retry), ``StreamError`` is a
response that started well and broke (keep what arrived, decide whether to resume). Catching
``MistralError`` catches everything the SDK raises on purpose.

No error ever holds the API key: requests are kept with their Authorization header redacted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from ._redact import redact_request

if TYPE_CHECKING:
    # Imported when an error answer is read, not with the SDK: its dataclasses and regular expressions cost
    # ~3.5 ms of import time, and a program that never meets an error never needs them.
    from ._error_body import ErrorBody, ValidationDetail

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingAPIKeyError",
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
    """The server answered with a 4xx or 5xx status.

    ``message`` is what the server said, read from whichever error shape it used (the API's envelope,
    a validation list, a gateway's JSON, text or HTML); ``str(error)`` prefixes it with the status.
    ``type``, ``code`` and ``param`` are the API's own fields when it sent them (else None); ``body``
    is the whole decoded body, untouched.
    """

    status_code: int
    response: httpx.Response
    headers: httpx.Headers
    request_id: str | None
    type: str | None
    code: str | None
    param: str | None
    _error: ErrorBody

    def __init__(self, message: str | None = None, *, response: httpx.Response, body: object | None) -> None:
        from ._error_body import read_error_body

        error = read_error_body(body, response.reason_phrase)
        text = message if message is not None else error.message
        super().__init__(f"Error code: {response.status_code} - {text}", request=response.request, body=body)
        self.message = text
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.request_id = response.headers.get("x-request-id") or response.headers.get("mistral-correlation-id")
        self.type = error.type
        self.code = error.code
        self.param = error.param
        self._error = error


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

    details: list[ValidationDetail]

    def __init__(self, message: str | None = None, *, response: httpx.Response, body: object | None) -> None:
        super().__init__(message, response=response, body=body)
        self.details = list(self._error.details)


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


# --- client core (owner: client-core helper): response validation error and the status -> error factory ---


class APIResponseValidationError(APIError):
    """The server answered 2xx but the body does not match what the API description promises."""

    response: httpx.Response
    status_code: int

    def __init__(self, message: str, *, response: httpx.Response, body: object | None) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class MissingAPIKeyError(MistralError):
    """No API key was given and ``MISTRAL_API_KEY`` is not set."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def decode_error_body(response: httpx.Response) -> object | None:
    """The error body as JSON when it is JSON, else as text, else None; the response must be read."""
    content = response.content
    if not content:
        return None
    try:
        parsed: object = response.json()
    except ValueError:
        return response.text
    return parsed


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The error class for any status code, standard or not (520, 499, 299...)."""
    cls = _STATUS_ERRORS.get(status_code)
    if cls is not None:
        return cls
    if status_code >= 500:
        return InternalServerError
    return APIStatusError


def make_status_error(response: httpx.Response, body: object | None = None) -> APIStatusError:
    """Build the typed error for a non-success response (already read). ``body`` defaults to the decoded body."""
    if body is None:
        body = decode_error_body(response)
    redact_request(response.request)
    # The message is read from the body; httpx's reason_phrase ("" for non-standard codes) is the fallback.
    return status_error_class(response.status_code)(response=response, body=body)


# --- Streaming errors (owner: streaming helper) ---
# A stream that breaks after it started is never reported as a success: each way of breaking has its
# own class, and every one keeps what had arrived (typed chunks and the text of choice 0) so the caller
# can show, log or resume from it.


class StreamError(MistralError):
    """A streamed response started and then broke; ``chunks`` and ``text`` hold what arrived before."""

    message: str
    chunks: list[Any]
    text: str
    response: httpx.Response | None

    def __init__(
        self,
        message: str,
        *,
        chunks: list[Any] | None = None,
        text: str = "",
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.chunks = chunks if chunks is not None else []
        self.text = text
        self.response = response


class StreamDisconnectedError(StreamError):
    """The connection closed in the middle of the response body."""


class StreamResetError(StreamDisconnectedError):
    """The peer reset the TCP connection (RST) in the middle of the stream."""


class StreamIncompleteError(StreamError):
    """The body ended cleanly but without the stream's end marker (``data: [DONE]``): the answer is cut."""

    unterminated: str

    def __init__(self, message: str, *, unterminated: str = "", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.unterminated = unterminated


class StreamDecodeError(StreamError):
    """A ``data:`` field was not valid JSON, or not the shape this stream carries; ``raw_line`` is it verbatim."""

    raw_line: str

    def __init__(self, message: str, *, raw_line: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.raw_line = raw_line


class StreamServerError(StreamError):
    """The server reported an error inside the stream, as an ``error`` event or as an error object in ``data``."""

    raw_line: str
    event: str
    error: object

    def __init__(self, message: str, *, raw_line: str, event: str, error: object, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.raw_line = raw_line
        self.event = event
        self.error = error


class StreamIdleTimeoutError(StreamError, APITimeoutError):
    """No byte arrived for longer than the read timeout while the stream was open.

    It is both a ``StreamError`` (partial data kept) and an ``APITimeoutError`` (code that already
    handles timeouts keeps working).
    """

    def __init__(
        self,
        message: str,
        *,
        chunks: list[Any] | None = None,
        text: str = "",
        response: httpx.Response | None = None,
    ) -> None:
        StreamError.__init__(self, message, chunks=chunks, text=text, response=response)
        self.request = response.request if response is not None else None
        self.body = None


__all__ += [
    "StreamDecodeError",
    "StreamDisconnectedError",
    "StreamError",
    "StreamIdleTimeoutError",
    "StreamIncompleteError",
    "StreamResetError",
    "StreamServerError",
]
