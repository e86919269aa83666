"""What a stream records of every event it decoded, in little memory.

A stream keeps, by default, enough to rebuild each chunk later (``stream.chunks``, ``text``,
``final_response()`` and the partial data of errors): the event's JSON text, its event name and when
it arrived. Kept as one tuple per event, that cost about 400 bytes a chunk (the text alone about
250). Here:

- the arrival times go into an ``array('d')`` (8 bytes a chunk, no float objects); a chunk's two
  latencies are differences of them, computed exactly as the stream computed them;
- consecutive events of one stream repeat the same opening (id, object, created, model, the start
  of the choices) and differ only after it, so each text is stored as a shared *head* plus its own
  *tail*. A head is the common start of two neighbouring texts, cut back to just after a ``{`` or
  ``,`` so it ends between JSON members, never inside a value. It is found again only when a text
  does not start with the current one (a new event name, another stream shape), and equal heads
  are stored once;
- a run list says from which record on which head and event name apply.

A chat chunk then costs its tail (about 45 characters of delta and finish reason, ~100 bytes as a
string), a list slot and its arrival time: about 110 bytes. Rebuilding concatenates head and tail, so
the texts are exactly the ones received. Strings and arrays are not tracked by the garbage
collector. The stream's hot path appends one tuple per chunk to ``pending``; compacting a batch costs
about 0.1 µs per chunk more than keeping the tuples did (see docs/decisions.md).
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

    What is appended is ``(text, event, arrival)``: ``arrival`` is the monotonic time at which the
    event arrived, and ``started_at`` the one the first latency counts from. The stream appends plain
    tuples to ``pending`` (one list append on its hot path) and calls ``flush()`` once ``pending`` holds
    ``BATCH`` records; ``flush`` compacts a whole batch at a time (one check that every text starts
    with the current head, then C-level slicing), so the history costs almost nothing more per chunk
    than the tuples.
    """

    __slots__ = ("_arrivals", "_event", "_head", "_heads", "_previous", "_runs", "_tails", "pending", "started_at")

    BATCH = 256

    def __init__(self, started_at: float = 0.0) -> None:
        self.started_at = started_at
        self.pending: list[tuple[str, str, float]] = []  # not yet compacted, in order; the list is never replaced
        self._tails: list[str] = []
        self._arrivals = array("d")
        self._runs: list[tuple[int, str, str]] = []  # (first record, head, event) from that record on
        self._heads: dict[str, str] = {}  # each distinct head once
        self._head = ""
        self._event: str | None = None
        self._previous = ""  # the last compacted text, to find a new head from

    def __len__(self) -> int:
        return len(self._tails) + len(self.pending)

    def append(self, text: str, event: str, arrival: float) -> None:
        pending = self.pending
        pending.append((text, event, arrival))
        if len(pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Compact every pending record."""
        pending = self.pending
        if not pending:
            return
        texts, events, arrivals = zip(*pending, strict=True)
        pending.clear()
        # One pack per batch: array.extend converts item by item through a slow argument parser.
        self._arrivals.frombytes(_pack(f"{len(arrivals)}d", *arrivals))
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
        tails, arrivals, started = self._tails, self._arrivals, self.started_at
        if not tails:
            return
        ends = [start for start, _, _ in self._runs[1:]] + [len(tails)]
        previous = started
        for (start, head, event), end in zip(self._runs, ends, strict=True):
            for i in range(start, end):
                arrival = arrivals[i]
                # The same subtractions as the stream's, on the same floats: the same latencies, bit for bit.
                yield head + tails[i], event, arrival - previous, arrival - started
                previous = arrival

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
