"""The suite's tiers, and the guard that keeps processes out of the unit tier.

A test without a tier marker is a unit test: it runs in this interpreter, with servers on threads,
and ``make test`` runs it. A test that starts a process (the CLI, an example, the generator, pip,
Node's Prism, schemathesis' CLI) belongs to a slower tier and says so with a marker. The marker is
not left to memory: while an unmarked test runs (setup, call, teardown), every way the standard
library has to start a process raises ``ProcessInUnitTier``, and the test fails even when it
swallowed that error. ``make check`` runs every tier, so a new unmarked test that starts a process
fails there too, not only in ``make test``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

#: Tier markers (registered in pyproject.toml), each with what puts a test in it.
TIERS = {
    "integration": "starts processes: the CLI in a terminal, the examples, the generator, a fresh install",
    "contract": "checks the mock and the SDK with independent validators: Prism (Node) and schemathesis",
}
#: The ``-m`` expression that selects the unit tier.
UNIT_SELECTION = " and ".join(f"not {tier}" for tier in TIERS)

# The audit events (PEP 578) of every standard-library way to start a process or a forked copy.
PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.posix_spawn", "os.spawn", "os.exec", "os.fork", "os.forkpty", "pty.spawn"}
)


class ProcessInUnitTier(RuntimeError):
    """A test without a tier marker tried to start a process."""


class _Refusal:
    """What the audit hook reads: the processes refused so far, or None while processes are allowed."""

    refused: list[str] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    refused = _Refusal.refused
    if refused is None or event not in PROCESS_EVENTS:
        return
    what = f"{event}{args[:2]!r}"
    refused.append(what)
    marks = " or ".join(f"@pytest.mark.{tier}" for tier in TIERS)
    raise ProcessInUnitTier(f"a unit-tier test must stay in-process, it started {what}: mark it {marks}")


# An audit hook cannot be removed: it is added once, when this module is first imported, and the
# ``refuse_processes`` blocks switch it on and off.
sys.addaudithook(_audit)


@contextmanager
def refuse_processes() -> Iterator[list[str]]:
    """Within the block, starting a process raises ``ProcessInUnitTier``; yields what was refused."""
    previous, _Refusal.refused = _Refusal.refused, []
    refused = _Refusal.refused
    try:
        yield refused
    finally:
        _Refusal.refused = previous
