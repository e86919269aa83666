"""Every example of docs/streaming.md runs, against the loopback server, as a user would run it."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from ._server import (
    USAGE,
    RawServer,
    Script,
    chunk_json,
    completion_events,
    endless_script,
    event,
    sse_script,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "streaming.md"
BLOCK = re.compile(r"(?:<!-- server: (?P<server>[\w-]+) -->\n)?```python\n(?P<code>.*?)```", re.S)


def _tool_stream() -> Script:
    call = {"id": "call_1", "index": 0, "function": {"name": "get_weather", "arguments": '{"city": '}}
    rest = {"index": 0, "function": {"arguments": '"Paris"}'}}
    return sse_script(
        [
            event(chunk_json("", role="assistant")),
            event(chunk_json(None, tool_calls=[call])),
            event(chunk_json(None, tool_calls=[rest])),
            event(chunk_json("", finish="tool_calls", usage=USAGE)),
            b"data: [DONE]\n\n",
        ]
    )


def _script(name: str) -> Script:
    if name == "story":
        return sse_script(completion_events(["A hamster", " in", " orbit."]))
    if name == "tools":
        return _tool_stream()
    if name == "drop":
        return sse_script(completion_events(["A hamster", " in", " orbit."], done=False)[:3], then="drop")
    if name == "endless":
        return endless_script()
    raise AssertionError(f"unknown server directive {name!r}")


def _examples() -> list[tuple[str, str]]:
    return [(m["server"] or "", m["code"]) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


def test_every_example_has_a_server_directive() -> None:
    examples = _examples()
    assert len(examples) >= 7
    assert all(server for server, _ in examples)


EXPECTED_OUTPUT = {
    0: ["A hamster in orbit.", "stop 5 3 8"],
    1: ["A hamster in orbit."],
    2: ["A hamster in orbit."],
    3: ["tool_calls", "get_weather {'city': 'Paris'}", "8"],
    4: ["StreamDisconnectedError: kept 3 chunks, text so far: 'A hamster in'"],
    5: ["stream broke: StreamDisconnectedError after 'A hamster in'"],
    6: ["True StreamDisconnectedError 'A hamster in'"],
    7: ["False 6"],
    8: [],
}


@pytest.mark.parametrize("index", range(len(_examples())))
def test_example_runs(index: int, server: RawServer, monkeypatch: pytest.MonkeyPatch) -> None:
    directive, code = _examples()[index]
    server.queue(_script(directive))
    monkeypatch.setenv("MISTRAL_API_KEY", "sk-docs-test")
    monkeypatch.setenv("MISTRAL_BASE_URL", server.url)
    monkeypatch.delenv("MISTRAL_LOG", raising=False)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"{DOC.name}[{index}]", "exec"), {"__name__": "__docs__"})
    printed = out.getvalue()
    for line in EXPECTED_OUTPUT[index]:
        assert line in printed, printed
