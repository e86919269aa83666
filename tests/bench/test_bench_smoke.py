"""The benchmark harness still runs end to end (tiny sizes, no peer SDK installed or run, loopback only).

It times nothing and asserts no speed: it only proves that every target still produces its row,
so that the benchmark code cannot rot between ``make bench`` runs.
"""

from __future__ import annotations

from bench._run import PEERS, SMOKE, render, run

TARGETS = [
    "streamed chunk, fully typed (sync)",
    "streamed chunk, fully typed (async)",
    "non-streamed chat call (sync)",
    "non-streamed chat call (async)",
    "import mistral_sdk + construct a client",
    "stream 3,000 chunks (keep_chunks=False): peak RSS growth",
    "a stream's default record per kept chunk (keep_chunks=True)",
    "5 concurrent async streams (MockServer)",
    "MockServer: chat round trips per second (one sync client)",
    "regenerate the SDK (package and facade) from mistral-openapi-2026-08.yaml",
]


def test_every_target_has_a_row() -> None:
    res = run(SMOKE)

    assert [row.target for row in res.rows] == TARGETS
    assert all(row.status in ("PASS", "FAIL", "SKIP") for row in res.rows)
    assert [row.status for row in res.rows if row.target.startswith("regenerate the SDK")] == ["SKIP"]
    # Every measured row produced a number, and the table shows each target with its verdict.
    assert all(row.measured for row in res.rows)
    table = render(res)
    for row in res.rows:
        assert f"| {row.target} |" in table
    assert {d[0] for d in res.detail} == {"floor", "floor_async", "floor_json", "ours_sync", "ours_async"}
    assert {peer.label: res.facts[peer.label] for peer in PEERS} == {peer.label: "not run" for peer in PEERS}
    # The smoke run gives every limit its number, so a target's wording cannot drift from its check.
    limits = {row.target: row.limit for row in res.rows}
    assert limits["streamed chunk, fully typed (sync)"] == "<= 1.4x"
    assert limits["non-streamed chat call (async)"] == "<= 1.2x"
    assert limits["import mistral_sdk + construct a client"] == "<= import httpx + 10 ms"
    assert limits["a stream's default record per kept chunk (keep_chunks=True)"] == "<= 200 bytes"
