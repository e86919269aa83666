"""Request/response logging switched on by ``MISTRAL_LOG=info|debug``.

The client logs from its own request pipeline rather than through httpx event hooks, so a user's
``http_client`` keeps exactly the hooks the user gave it. Headers are always logged through
``redacted_headers``: the API key must never reach a log line.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

__all__ = ["logger", "redacted_headers", "setup_logging"]

logger = logging.getLogger("mistral_sdk")

_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "cookie", "set-cookie"})
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


def setup_logging() -> None:
    """Apply ``MISTRAL_LOG`` (read at each client construction); without it logging is left to the application."""
    level = _LEVELS.get(os.environ.get("MISTRAL_LOG", "").strip().lower())
    if level is None:
        return
    logger.setLevel(level)
    if not any(getattr(h, "_mistral_sdk", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler._mistral_sdk = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
        logger.addHandler(handler)


def redacted_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name: ("[redacted]" if name.lower() in _SECRET_HEADERS else value) for name, value in headers}
