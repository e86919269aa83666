"""The stream's JSON parsing of event data: the scanner called directly must act exactly as ``json.loads``."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mistral_sdk._streaming._core import _loads

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)
_pad = st.sampled_from(["", " ", "\n", "\t ", "x", ",", "}", "]", "{"])


def _outcome(parse: Callable[[str], Any], text: str) -> tuple[str, Any]:
    try:
        value = parse(text)
    except json.JSONDecodeError as exc:
        return "error", (exc.msg, exc.pos)
    return "value", repr(value) if _has_nan(value) else json.dumps(value, sort_keys=True)


def _has_nan(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, list):
        return any(_has_nan(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nan(v) for v in value.values())
    return False


@settings(max_examples=300, deadline=None)
@given(_json, _pad, _pad, st.integers(0, 40))
def test_valid_json_with_any_padding_or_cut_acts_as_json_loads(value: Any, before: str, after: str, cut: int) -> None:
    text = before + json.dumps(value) + after
    assert _outcome(_loads, text) == _outcome(json.loads, text)
    assert _outcome(_loads, text[:cut]) == _outcome(json.loads, text[:cut])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[]":,0123456789.eE+-tfnrulase \\x', max_size=20))
def test_arbitrary_text_acts_as_json_loads(text: str) -> None:
    assert _outcome(_loads, text) == _outcome(json.loads, text)


def test_the_wire_chunk_parses_to_the_same_dict() -> None:
    text = '{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"é\\u00e9"}}]}'
    assert _loads(text) == json.loads(text)
    assert _loads(text + "  ") == json.loads(text)
