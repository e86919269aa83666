"""Where each operation lives on the client: ``client.<group>.<method>``, from ``generator/naming.yaml``.

Every operation of our own spec is named explicitly in the table, after the method names of Mistral's
published SDK documentation (tests/generator enforce it). An operation the table does not list, which
happens when regenerating from another description, gets a name from ``default_names`` and is reported
as a warning, so regeneration never fails for a missing name.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = [
    "NAMING_FILE",
    "RESERVED_ROOT",
    "FacadeError",
    "FacadeName",
    "default_names",
    "identifier",
    "load_naming",
    "repeats_group",
    "snake",
]

NAMING_FILE = Path(__file__).resolve().parent.parent / "naming.yaml"
# Public attributes of the client classes, which a top-level resource group must not shadow.
RESERVED_ROOT = frozenset(
    {
        "base_url",
        "chat_completion",
        "chat_completion_stream",
        "close",
        "get_model",
        "list_models",
        "max_retries",
        "search_models",
        "timeout",
        "with_options",
        "with_raw_response",
    }
)


class FacadeError(Exception):
    """The spec and the generated package do not fit together (or the naming table is wrong)."""


@dataclass(frozen=True)
class FacadeName:
    """Where one operation lives on the client: ``client.<group>.<method>`` (and its streaming twin)."""

    group: tuple[str, ...]
    method: str
    stream_method: str | None = None
    call: bool = False

    @property
    def methods(self) -> tuple[str, ...]:
        return (self.method,) if self.stream_method is None else (self.method, self.stream_method)


def snake(text: str) -> str:
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    return text or "op"


def identifier(text: str) -> str:
    name = snake(text)
    if name[0].isdigit():
        name = "op_" + name
    if keyword.iskeyword(name) or name in ("self",):
        name += "_"
    return name


def _group_words(group: Sequence[str]) -> set[str]:
    words = {w for part in group for w in part.split("_")}
    return words | {w.rstrip("s") for w in words}


def repeats_group(name: FacadeName) -> str | None:
    """The word of a method name that repeats its group's (``voices.list_voices``), if any.

    Only the group's own segment counts: ``audio.voices.get_sample_audio`` reads well.
    """
    words = _group_words(name.group[-1:])
    for method in name.methods:
        for word in method.split("_"):
            if word in words or word.rstrip("s") in words:
                return word
    return None


def default_names(operation_id: str, tags: Sequence[str]) -> FacadeName:
    """The name an operation gets when the naming table does not list it.

    Group: the first tag, dotted segments becoming nested groups ("beta.conversations"). Method: the
    operationId without its API-version and HTTP noise ("libraries_create_v1" -> "create" in group
    "beta.libraries"), without leading words that repeat the group's name.
    """
    group = tuple(identifier(part) for part in (tags[0] if tags else "default").split(".") if part)
    name = snake(operation_id)
    if "_api_v1_" in name:
        name = name.split("_api_v1_", 1)[1]
    elif "_api_routes_" in name:
        name = name.split("_api_routes_", 1)[1]
    else:
        name = re.split(r"_v\d+(?:_|$)", name, maxsplit=1)[0] or name
    words = name.split("_")
    group_words = _group_words(group)
    while len(words) > 1 and (words[0] in group_words or words[0].rstrip("s") in group_words):
        words = words[1:]
    return FacadeName(group=group, method=identifier("_".join(words)))


def load_naming(path: Path = NAMING_FILE) -> dict[str, FacadeName]:
    """operationId -> its name on the client, as the table lists it."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise FacadeError(f"{path}: expected a mapping operationId -> {{group, method}}")
    table: dict[str, FacadeName] = {}
    for op_id, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("group"), str) or not entry.get("method"):
            raise FacadeError(f"{path}: {op_id}: needs 'group' and 'method'")
        unknown = set(entry) - {"group", "method", "stream", "call"}
        if unknown:
            raise FacadeError(f"{path}: {op_id}: unknown keys {sorted(unknown)}")
        table[str(op_id)] = FacadeName(
            group=tuple(identifier(p) for p in entry["group"].split(".")),
            method=identifier(str(entry["method"])),
            stream_method=identifier(str(entry["stream"])) if entry.get("stream") else None,
            call=bool(entry.get("call", False)),
        )
    return table
