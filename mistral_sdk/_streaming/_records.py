"""What a stream records of every event it decoded, in little memory.

A stream keeps, by default, enough to rebuild each chunk later (``stream.chunks``, ``text``,
``final_response()`` and the partial data of errors): the event's JSON text, its event name and its
two latencies. Kept as one tuple per event, that cost about 400 bytes a chunk (the text alone about
250). Here:

- the latencies go into two ``array('d')`` (16 bytes a chunk, no float objects);
- consecutive events of one stream repeat the same opening (id, object, created, model, the start
  of the choices) and differ only after it, so each text is stored as a shared *head* plus its own
  *tail*. A head is the common start of two neighbouring texts, cut back to just after a ``{`` or
  ``,`` so it ends between JSON members, never inside a value. It is found again only when a text
  does not start with the current one (a new event name, another stream shape), and equal heads
  are stored once;
- a run list says from which record on which head and event name apply.

A chat chunk then costs its tail (about 45 characters of delta and finish reason, ~100 bytes as a
string), a list slot and the latencies: about 120 bytes. Rebuilding concatenates head and tail, so
the texts are exactly the ones received. Strings and arrays are not tracked by the garbage
collector. The stream's hot path still appends one tuple per chunk; compacting a batch costs about
0.1 µs per chunk more than keeping the tuples did (see docs/decisions.md).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from itertools import repeat
from operator import getitem
from struct import pack as _pack

__all__ = ["ChunkRecords"]

# A shared opening shorter than this is not worth a run of its own.
_MIN_HEAD = 16


class ChunkRecords:
    """An append-only sequence of ``(text, event, chunk_latency, total_latency)``, stored compactly.

    The stream appends plain tuples to ``pending`` (as cheap as a list append on its hot path) and,
    after each network read, calls ``flush()`` once ``pending`` holds at least ``BATCH`` records (what
    ``settle()`` does); ``flush`` compacts a whole batch at a time (one check that every text starts with the current
    head, then C-level slicing), so the history costs almost nothing more per chunk than the tuples.
    """

    __slots__ = ("_event", "_head", "_heads", "_latencies", "_previous", "_runs", "_tails", "_totals", "pending")

    BATCH = 256

    def __init__(self) -> None:
        self.pending: list[tuple[str, str, float, float]] = []  # not yet compacted, in order
        self._tails: list[str] = []
        self._latencies = array("d")
        self._totals = array("d")
        self._runs: list[tuple[int, str, str]] = []  # (first record, head, event) from that record on
        self._heads: dict[str, str] = {}  # each distinct head once
        self._head = ""
        self._event: str | None = None
        self._previous = ""  # the last compacted text, to find a new head from

    def __len__(self) -> int:
        return len(self._tails) + len(self.pending)

    def append(self, text: str, event: str, latency: float, total: float) -> None:
        self.pending.append((text, event, latency, total))
        self.settle()

    def settle(self) -> None:
        """Compact the pending records once there are enough of them."""
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Compact every pending record."""
        batch = self.pending
        if not batch:
            return
        self.pending = []
        texts, events, latencies, totals = zip(*batch, strict=True)
        # One pack per batch: array.extend converts item by item through a slow argument parser.
        self._latencies.frombytes(_pack(f"{len(latencies)}d", *latencies))
        self._totals.frombytes(_pack(f"{len(totals)}d", *totals))
        head, event = self._head, self._event
        # Texts that start with ``head`` are one interval of the sorted order: the first and the last of the
        # batch in that order (two C-level passes) tell whether all of them do.
        if head and events.count(event) == len(events) and min(texts).startswith(head) and max(texts).startswith(head):
            # the usual case: the whole batch shares the current head and event
            self._tails.extend(map(getitem, texts, repeat(slice(len(head), None))))
            self._previous = texts[-1]
            return
        for text, ev in zip(texts, events, strict=True):
            head = self._head
            if not (head and text.startswith(head) and ev == self._event):
                head = self._new_run(text, ev)
            self._tails.append(text[len(head) :])
            self._previous = text

    def __iter__(self) -> Iterator[tuple[str, str, float, float]]:
        self.flush()
        tails, latencies, totals = self._tails, self._latencies, self._totals
        if not tails:
            return
        ends = [start for start, _, _ in self._runs[1:]] + [len(tails)]
        for (start, head, event), end in zip(self._runs, ends, strict=True):
            for i in range(start, end):
                yield head + tails[i], event, latencies[i], totals[i]

    def _new_run(self, text: str, event: str) -> str:
        head = _shared_opening(self._previous, text) if event == self._event else ""
        head = self._heads.setdefault(head, head)
        runs = self._runs
        if not runs or runs[-1][1:] != (head, event):
            if runs and runs[-1][0] == len(self._tails):
                runs.pop()  # the previous run never got a record
            runs.append((len(self._tails), head, event))
        self._head = head
        self._event = event
        return head


def _shared_opening(a: str, b: str) -> str:
    """The longest common start of ``a`` and ``b`` that ends after a ``{`` or ``,`` ("" if short)."""
    low, high = 0, min(len(a), len(b))
    while low < high:  # binary search on the prefix length; startswith compares in C
        mid = (low + high + 1) // 2
        if b.startswith(a[:mid]):
            low = mid
        else:
            high = mid - 1
    cut = max(a.rfind("{", 0, low), a.rfind(",", 0, low)) + 1
    return a[:cut] if cut >= _MIN_HEAD else ""
