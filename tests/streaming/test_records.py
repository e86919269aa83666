"""``ChunkRecords``: the compact history a stream keeps gives back exactly what was recorded."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mistral_sdk._exceptions import StreamIncompleteError
from mistral_sdk._streaming import COMPLETION_CHUNK_DECODER, CompletionStreamChunk, Stream
from mistral_sdk._streaming._records import ChunkRecords
from mistral_sdk.lib import choice_message

from ._server import chunk_json, completion_events

Record = tuple[str, str, float, float]  # what the records give back: text, event and the two latencies

_texts = st.one_of(
    st.text(max_size=60),
    # Shapes that share long openings, as a stream's events do, with values that share starts too.
    st.builds(
        lambda word, event: json.dumps({"id": "cmpl-1", "model": "m", "choices": [{"delta": {event: word}}]}),
        st.text(max_size=8),
        st.sampled_from(["content", "role", "content_x"]),
    ),
    # A text that holds a neighbour's opening further in, or only part of it, must not be cut there.
    st.builds(
        lambda before, word: before + json.dumps({"id": "cmpl-1", "model": "m", "choices": [{"delta": word}]}),
        st.sampled_from(["", "x", '{"id": "cmpl-1", ', '{"id": "cmpl-2", "model": "m", "choices": [{']),
        st.text(max_size=4),
    ),
)
_appended = st.lists(
    st.tuples(_texts, st.sampled_from(["message", "message", "a.delta", "b"]), st.floats()),
    max_size=40,
)


def _same(a: list[Record], b: list[Record]) -> bool:
    # NaN latencies are not equal to themselves; compare their bit patterns' spelling instead.
    return [(t, e, repr(x), repr(y)) for t, e, x, y in a] == [(t, e, repr(x), repr(y)) for t, e, x, y in b]


def _expected(started: float, appended: list[tuple[str, str, float]]) -> list[Record]:
    out: list[Record] = []
    previous = started
    for text, event, arrival in appended:
        out.append((text, event, arrival - previous, arrival - started))
        previous = arrival
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a busy machine
@given(st.floats(), _appended)
def test_gives_back_exactly_what_was_appended(started: float, appended: list[tuple[str, str, float]]) -> None:
    kept = ChunkRecords(started)
    for record in appended:
        kept.append(*record)
    assert len(kept) == len(appended)
    assert _same(list(kept), _expected(started, appended))
    assert _same(list(kept), _expected(started, appended))  # reading twice changes nothing


def test_batches_are_compacted_as_they_fill() -> None:
    texts = _chat_texts([f" w{i}" for i in range(ChunkRecords.BATCH * 2 + 5)])
    kept = ChunkRecords(1.0)
    for i, text in enumerate(texts):
        kept.append(text, "message", 1.0 + i)
    assert len(kept.pending) == len(texts) % ChunkRecords.BATCH  # full batches were compacted on the way
    assert [r[0] for r in kept] == texts and kept.pending == []
    assert {r[2] for r in kept} == {1.0, 0.0}  # the first latency counts from the start, the others 1.0 apart


def test_empty() -> None:
    assert list(ChunkRecords()) == [] and len(ChunkRecords()) == 0


def _chat_texts(words: list[str]) -> list[str]:
    bodies = [chunk_json("", role="assistant")] + [chunk_json(w) for w in words]
    return [json.dumps(b, separators=(",", ":")) for b in bodies]


def test_chat_chunks_share_their_opening() -> None:
    texts = _chat_texts(["Once", " upon", " a", " time", "Once more"])
    kept = ChunkRecords()
    for i, text in enumerate(texts):
        kept.append(text, "message", 0.1 * i)
    assert [r[0] for r in kept] == texts
    # From the second chunk on, only what follows the shared opening is stored: the delta and the rest.
    tails = kept._tails
    assert tails[0] == texts[0]
    for text, tail in zip(texts[2:], tails[2:], strict=True):
        assert text.endswith(tail) and len(tail) < len(text) // 2
        assert tail.startswith('"content":')  # the opening ends between members, never inside a value
    assert len(kept._runs) == 2 and len(kept._heads) == 2  # "" for the first chunk, then one shared head


def test_event_name_changes_start_new_runs() -> None:
    kept = ChunkRecords()
    events = ["message.output.delta", "message.output.delta", "tool.execution.started", "message.output.delta"]
    texts = [
        json.dumps({"type": e, "conversation_id": "conv-0123456789", "content": str(i)}) for i, e in enumerate(events)
    ]
    for i, (text, event) in enumerate(zip(texts, events, strict=True)):
        kept.append(text, event, float(i))
    assert [(r[0], r[1]) for r in kept] == list(zip(texts, events, strict=True))


def test_a_stream_rebuilds_its_chunks_text_and_response_from_the_records() -> None:
    words = [f" word{i}" for i in range(300)]
    response = httpx.Response(200, content=b"".join(completion_events(words)), request=_request())
    with Stream(response, COMPLETION_CHUNK_DECODER) as stream:
        handed = [(c.raw, c.chunk_latency, c.total_latency) for c in stream]
        rebuilt = stream.chunks
        assert [(c.raw, c.chunk_latency, c.total_latency) for c in rebuilt] == handed
        assert [c.is_last_chunk for c in rebuilt].count(True) == 1 and rebuilt[-1].is_last_chunk
        assert stream.text == "".join(words)
        assert choice_message(stream.final_response().choices[0]).content == "".join(words)


def test_partial_data_of_an_error_comes_from_the_records() -> None:
    words = ["Once", " upon", " a", " time"]
    body = b"".join(completion_events(words, done=False)[:-1])  # no final chunk, no end marker
    response = httpx.Response(200, content=body, request=_request())
    with Stream(response, COMPLETION_CHUNK_DECODER) as stream, pytest.raises(StreamIncompleteError) as caught:
        list(stream)
    assert caught.value.text == "".join(words[:-1])
    assert all(isinstance(c, CompletionStreamChunk) for c in caught.value.chunks)
    assert len(caught.value.chunks) == len(words)  # the role chunk and three words


def _request() -> httpx.Request:
    return httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
