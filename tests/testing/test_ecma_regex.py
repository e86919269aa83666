"""The mock reads a schema's ``pattern`` as JSON Schema says: ECMA-262 classes, not Python's Unicode ones."""

from __future__ import annotations

import pytest

from mistral_sdk.testing._ecma_regex import ecma_pattern, example_for
from mistral_sdk.testing._schemas import SchemaTools


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"^[^,\s]+$", "a\x1fb", True),  # U+001F is whitespace to Python, not to ECMA-262
        (r"^[^,\s]+$", "a\x85b", True),
        (r"^[^,\s]+$", "a b", False),
        (r"^[^,\s]+$", "a\u3000b", False),
        (r"^[^,\s]+$", "a,b", False),
        (r"^\d+$", "٣", False),  # an Arabic-Indic digit is a digit to Python only
        (r"^\d+$", "042", True),
        (r"^\w+$", "é", False),
        (r"^\S+$", "a\x1fb", True),
        (r"^[]a]+$", "]a", True),
        (r"^[^]a]+$", "b", True),
        (r"^\.\[x\]$", ".[x]", True),
    ],
)
def test_classes_have_their_ecma_meaning(pattern: str, text: str, matches: bool) -> None:
    assert bool(ecma_pattern(pattern).search(text)) is matches


def test_the_validator_and_the_synthesizer_use_it() -> None:
    tools = SchemaTools({})
    schema = {"type": "string", "pattern": r"^[^,\s]+$"}
    assert tools.is_valid(schema, "bias\x1fword")
    errors = tools.errors(schema, "two words")
    assert [e.message for e in errors] == ["'two words' does not match '^[^,\\\\s]+$'"]


@pytest.mark.parametrize(
    "pattern",
    [r"^[0-9a-f]{32}$", r"^(ag|conv)_[0-9A-Z]{4,}$", r"^\d{4}-\d{2}-\d{2}$", r"^[^,\s]+$", r"^[a-z][a-z0-9-]{2,63}$"],
)
def test_the_synthesizer_builds_strings_that_match_id_patterns(pattern: str) -> None:
    schema = {"type": "string", "pattern": pattern}
    value = SchemaTools({}).synthesize(schema, "trace_id")
    assert SchemaTools({}).is_valid(schema, value), value


def test_a_pattern_beyond_the_walker_gives_none() -> None:
    assert example_for(r"^(a)\1$") is None  # a back-reference
