"""Every example of the structured-outputs, tools and files guides runs against the mock server."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from mistral_sdk.testing import MockServer, ScriptedResponse, ScriptedStream

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDES = ("structured-outputs.md", "tools.md", "files-and-pagination.md")
BLOCK = re.compile(r"(?:<!-- mock: (?P<mock>[\w-]+) -->\n)?```python\n(?P<code>.*?)```", re.S)
USAGE = {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}


def _completion(message: dict[str, Any], finish_reason: str = "stop") -> ScriptedResponse:
    choice = {"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish_reason}
    body = {"id": "d", "object": "chat.completion", "model": "mistral-small-latest", "created": 1, "usage": USAGE}
    return ScriptedResponse(json={**body, "choices": [choice]})


def _call(name: str, arguments: dict[str, Any]) -> ScriptedResponse:
    call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}
    return _completion({"content": "", "tool_calls": [call]}, "tool_calls")


def _call_stream(name: str, arguments: str) -> ScriptedStream:
    head = {"id": "s", "object": "chat.completion.chunk", "model": "mistral-small-latest", "created": 1}
    pieces = [arguments[:9], arguments[9:]]
    calls = [{"id": "call_1", "index": 0, "function": {"name": name, "arguments": p}} for p in pieces]
    events = [{**head, "choices": [{"index": 0, "delta": {"tool_calls": [c]}, "finish_reason": None}]} for c in calls]
    final = {**head, "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}], "usage": USAGE}
    return ScriptedStream([*events, final])


def _files_page(names: list[str], total: int) -> ScriptedResponse:
    data = [
        {
            "id": f"00000000-0000-0000-0000-00000000000{i}",
            "object": "file",
            "bytes": 3,
            "created_at": 1,
            "filename": name,
            "purpose": "batch",
            "sample_type": "batch_request",
            "source": "upload",
        }
        for i, name in enumerate(names)
    ]
    return ScriptedResponse(json={"object": "list", "data": data, "total": total})


THINKING = [
    {"type": "thinking", "thinking": [{"type": "text", "text": "Two and two make four."}]},
    {"type": "text", "text": "4"},
]
RESULTS = b'{"custom_id": "1"}\n{"custom_id": "2"}\n'

MOCKS: dict[str, list[Any]] = {
    "none": [],
    "book": [_completion({"content": '{"title": "Les Misérables", "author": "Victor Hugo", "year": 1862}'})],
    "cut": [_completion({"content": '{"title": "Les Mis'}, "length")],
    "thinking": [_completion({"content": THINKING})],
    "weather-call": [_call("get_weather", {"city": "Lyon"}), _completion({"content": "It is sunny in Lyon."})],
    "weather-call-once": [_call("get_weather", {"city": "Lyon"})],
    "refund-call": [_call("Refund", {"order_id": "A-17", "amount": 12.5})],
    "weather-stream": [_call_stream("get_weather", '{"city": "Lyon"}')],
    "file-pages": [_files_page(["a.jsonl", "b.jsonl"], 3), _files_page(["c.jsonl"], 3)],
    "download": [ScriptedResponse(body=RESULTS), ScriptedResponse(body=RESULTS)],
}

EXPECTED: dict[tuple[str, int], list[str]] = {
    ("structured-outputs.md", 0): ["Les Misérables by Victor Hugo (1862)", "12 mistral-small-latest"],
    ("structured-outputs.md", 1): ["Mood."],
    ("structured-outputs.md", 2): ['cut: {"title": "Les Mis'],
    ("structured-outputs.md", 3): ["City True"],
    ("structured-outputs.md", 4): ["thinking: Two and two make four.", "answer: 4"],
    ("tools.md", 0): ["get_weather -> 18 degrees celsius and sunny in Lyon", "It is sunny in Lyon."],
    ("tools.md", 1): ['{"order_id": "A-17", "refunded": 12.5}'],
    ("tools.md", 2): ["sunny in Lyon"],
    ("tools.md", 3): [
        'call 0 get_weather: {"city": "Lyon"}',
        "done: get_weather {'city': 'Lyon'}",
        "finish: tool_calls",
    ],
    ("files-and-pagination.md", 0): ["-"],
    ("files-and-pagination.md", 1): ["total: 3", "a.jsonl\nb.jsonl\nc.jsonl"],
    ("files-and-pagination.md", 2): ["38 bytes written, b'{\"custom_id\"'", "2 lines"],
}


def _examples() -> list[tuple[str, int, str, str]]:
    found = []
    for guide in GUIDES:
        for index, match in enumerate(BLOCK.finditer((DOCS / guide).read_text(encoding="utf-8"))):
            found.append((guide, index, match["mock"] or "", match["code"]))
    return found


def test_every_example_names_its_mock_answers_and_is_checked() -> None:
    examples = _examples()
    assert all(mock in MOCKS for _, _, mock, _ in examples)
    assert {(guide, index) for guide, index, _, _ in examples} == set(EXPECTED)


@pytest.mark.parametrize(("guide", "index", "mock", "code"), _examples(), ids=lambda v: str(v)[:24])
def test_example_runs(
    guide: str, index: int, mock: str, code: str, mistral_mock: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for answer in MOCKS[mock]:
        mistral_mock.enqueue(answer)
    monkeypatch.setenv("MISTRAL_API_KEY", "sk-docs-test")
    monkeypatch.setenv("MISTRAL_BASE_URL", mistral_mock.url)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        # dont_inherit: the guide runs as written, not under this module's "from __future__ import annotations"
        exec(compile(code, f"{guide}[{index}]", "exec", dont_inherit=True), {"__name__": "__docs__"})
    printed = out.getvalue()
    for line in EXPECTED[(guide, index)]:
        assert line in printed, printed
    assert mistral_mock.pending == 0  # every scripted answer was used
    mistral_mock.assert_no_violations()
