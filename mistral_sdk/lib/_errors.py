"""Errors of the hand-written conveniences (structured outputs)."""

from __future__ import annotations

from typing import Any

from mistral_sdk._exceptions import MistralError

__all__ = ["LengthFinishReasonError", "StructuredOutputError", "StructuredOutputValidationError"]


class StructuredOutputError(MistralError):
    """The answer could not become the requested type; ``raw`` is the text the model wrote.

    ``response`` is the complete response as received, ``choice_index`` the choice that failed.
    """

    def __init__(self, message: str, *, raw: str, response: Any, choice_index: int) -> None:
        super().__init__(message)
        self.raw = raw
        self.response = response
        self.choice_index = choice_index


class LengthFinishReasonError(StructuredOutputError):
    """The answer was cut by ``max_tokens`` (``finish_reason == "length"``): its JSON is incomplete."""


class StructuredOutputValidationError(StructuredOutputError):
    """The answer is not valid JSON or does not fit the requested type (the cause says where)."""
