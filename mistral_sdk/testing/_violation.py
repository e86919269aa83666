"""The record of one way something failed the OpenAPI description (kept apart so importing it is cheap)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Violation", "ViolationKind"]

ViolationKind = Literal["request", "response", "spec", "mock"]


@dataclass(frozen=True)
class Violation:
    """One way a request (or the mock's own answer, or the description) failed the description.

    ``kind`` is ``"request"`` for what the client sent, ``"response"`` for a mock answer that failed its
    schema, ``"spec"`` for a defect of the description itself (an example that fails its own schema) and
    ``"mock"`` for the mock failing (a bug: please report it).
    """

    kind: ViolationKind
    operation_id: str | None
    loc: tuple[str | int, ...]
    msg: str
    type: str

    def as_detail(self) -> dict[str, Any]:
        return {"loc": list(self.loc), "msg": self.msg, "type": self.type}
