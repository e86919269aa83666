"""The benchmark harness still runs end to end (tiny sizes, no peer SDK installed or run, loopback only).

It times nothing and asserts no speed: it only proves that every target still produces its row with
its limit, so that the benchmark code cannot rot between ``make bench`` runs.
"""

from __future__ import annotations

import pytest

from bench._run import PEERS, SMOKE, render, run

pytestmark = pytest.mark.integration

# Every target row of a smoke run, in order, with its limit: issue 15's targets, issue 14's (download,
# parse), and the rows reported beside them.
TARGETS = {
    "streamed chunk, fully typed (sync)": "<= 1.4x",
    "streamed chunk, fully typed (async)": "<= 1.4x",
    "non-streamed chat call (sync)": "<= 1.2x",
    "non-streamed chat call (async)": "<= 1.2x",
    "import mistral_sdk + construct a client": "<= import httpx + 10 ms",
    "stream 3,000 chunks (keep_chunks=False): peak RSS growth": "< 10 MB",
    "a stream's default record per kept chunk (keep_chunks=True)": "<= 200 bytes",
    "download 8 MiB (files.download_stream): peak RSS growth": "< 20 MB",
    "chat.parse (pydantic) over chat.complete + json.loads": "<= 1.25x",
    "5 concurrent async streams (MockServer)": "all complete, no leak",
    "MockServer: chat round trips per second (one sync client)": "reported; every call succeeds",
    "regenerate the SDK (package and facade) from mistral-openapi-2026-08.yaml": "< 60 s",
}


def test_every_target_has_a_row() -> None:
    res = run(SMOKE)

    assert [row.target for row in res.rows] == list(TARGETS)
    # The smoke run gives every limit its number, so a target's wording cannot drift from its check.
    assert {row.target: row.limit for row in res.rows} == TARGETS
    assert all(row.status in ("PASS", "FAIL", "SKIP") for row in res.rows)
    assert [row.status for row in res.rows if row.target.startswith("regenerate the SDK")] == ["SKIP"]
    # Every measured row produced a number, and the table shows each target with its verdict.
    assert all(row.measured for row in res.rows)
    table = render(res)
    for row in res.rows:
        assert f"| {row.target} |" in table
    assert {d[0] for d in res.detail} == {"floor", "floor_async", "floor_json", "ours_sync", "ours_async"}
    assert {peer.label: res.facts[peer.label] for peer in PEERS} == {peer.label: "not run" for peer in PEERS}
