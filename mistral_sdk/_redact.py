"""Keeping the API key out of every request object that outlives its sending.

A request goes out with its key. Afterwards it travels on: in the response (``response.request``),
in raw responses, in errors and in the caller's logs. What travels is a request whose credential
headers read ``[redacted]``; the wire is never affected, since redaction happens after sending.

This module is loaded with the client (every successful call uses ``redacted_copy``); the error
classes, which need it too, are loaded only when an error is raised.
"""

from __future__ import annotations

import httpx

__all__ = ["redact_request", "redacted_copy"]

_REDACTED = "[redacted]"

# The credential headers, by the lowercase raw name httpx keeps for each header.
_SECRET_HEADERS = {name.encode(): name for name in ("authorization", "proxy-authorization", "x-api-key")}

_new_object = object.__new__


def redact_request(request: httpx.Request) -> httpx.Request:
    """Blank the credentials of ``request`` in place (it was already sent) and return it."""
    # One pass over the raw names: each ``name in headers`` would scan and decode all of them (~2 us apiece).
    headers = request.headers
    for raw_name, _ in headers.raw:
        name = _SECRET_HEADERS.get(raw_name.lower())
        if name is not None:
            headers[name] = _REDACTED
    return request


def redacted_copy(request: httpx.Request) -> httpx.Request:
    """A copy of a sent ``request`` without its credentials; the original is left as it was.

    The original may still be in use below the client (a transport recording requests, the response
    cache checking what it writes against the request's credentials), so it is not changed. The copy
    shares everything but the headers, its read body included (``copy.content`` works as on the
    original). Copying the attributes costs a third of building a new ``httpx.Request``.
    """
    try:
        state = request.__dict__
    except AttributeError:  # a request class without an instance dict: build the copy through its constructor
        copy = httpx.Request(
            request.method, request.url, headers=request.headers, stream=request.stream, extensions=request.extensions
        )
    else:
        copy = _new_object(type(request))
        copy.__dict__.update(state)
        copy.headers = httpx.Headers(request.headers)
    return redact_request(copy)
