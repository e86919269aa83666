"""The SSE decoder: WHATWG rules as properties, and the sync and async paths held to identical events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from mistral_sdk._streaming import ServerSentEvent, SSEDecoder

from ._sse_reference import parse

EOLS = ["\n", "\r", "\r\n"]
BOM = "\ufeff".encode()


def feed_all(pieces: list[bytes]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    out: list[ServerSentEvent] = []
    for p in pieces:
        out.extend(decoder.feed(p))
    decoder.close()
    return out


def sync_path(pieces: list[bytes]) -> list[ServerSentEvent]:
    """Through httpx's sync byte iterator, as ``Stream`` reads."""
    response = httpx.Response(200, content=iter(pieces))
    decoder = SSEDecoder()
    out: list[ServerSentEvent] = []
    for data in response.iter_bytes():
        out.extend(decoder.feed(data))
    decoder.close()
    return out


async def async_path(pieces: list[bytes]) -> list[ServerSentEvent]:
    """Through httpx's async byte iterator, as ``AsyncStream`` reads."""

    async def gen() -> AsyncIterator[bytes]:
        for p in pieces:
            yield p

    response = httpx.Response(200, content=gen())
    decoder = SSEDecoder()
    out: list[ServerSentEvent] = []
    async for data in response.aiter_bytes():
        out.extend(decoder.feed(data))
    decoder.close()
    return out


# -- the corpus ------------------------------------------------------------------------------------

_value = st.text(
    alphabet=st.sampled_from([*list('ab :{}"0123456789'), "é", "€", "𝄞", "\x00", "\u2028", "\x0b", "\x1c"]),
    max_size=12,
)
_line = st.one_of(
    st.builds(lambda v: "data:" + v, _value),
    st.builds(lambda v: "data: " + v, _value),
    st.just("data"),
    st.builds(lambda v: "event: " + v, _value),
    st.builds(lambda v: "id: " + v, _value),
    st.builds(lambda v: "retry: " + v, st.sampled_from(["100", "2x", "", "٣", "7"])),
    st.builds(lambda v: ":" + v, _value),
    st.builds(lambda v: "other: " + v, _value),
    st.just(""),
    st.just(""),
)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(_line, max_size=14))
    text = "".join(line + draw(st.sampled_from(EOLS)) for line in lines)
    if draw(st.booleans()):
        text += draw(_value)  # an unterminated tail
    body = text.encode()
    if draw(st.booleans()):
        body = BOM + body
    if draw(st.integers(0, 5)) == 0:
        body += b"\xff\xe2\x82"  # invalid and truncated UTF-8
    return body


def _splits(body: bytes) -> list[list[bytes]]:
    return [[body[:i], body[i:]] for i in range(len(body) + 1)]


# -- differential and oracle -----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(bodies())
def test_sync_and_async_paths_agree_at_every_split(body: bytes) -> None:
    expected = parse(body)
    splits = [*_splits(body), [body[i : i + 1] for i in range(len(body))]]

    async def run_all() -> list[list[ServerSentEvent]]:
        return [await async_path(p) for p in splits]

    async_results = asyncio.run(run_all())
    for pieces, from_async in zip(splits, async_results, strict=True):
        assert sync_path(pieces) == expected
        assert from_async == expected


@settings(max_examples=200, deadline=None)
@given(bodies(), st.lists(st.integers(0, 400), max_size=6))
def test_matches_the_whatwg_oracle_for_any_split(body: bytes, cuts: list[int]) -> None:
    points = sorted({c % (len(body) + 1) for c in cuts})
    pieces = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
    assert feed_all(pieces) == parse(body)


_raw_value = st.binary(max_size=10).filter(lambda b: 10 not in b and 13 not in b)  # any bytes, invalid UTF-8 too
_whole_event = st.one_of(
    _raw_value.map(lambda v: b"data: " + v + b"\n\n"),  # the fast path's shape
    _raw_value.map(lambda v: b"data:" + v + b"\n\n"),
    _raw_value.map(lambda v: b"data: " + v + b"\ndata: x\n\n"),
    st.sampled_from([b"id: 7\n\n", b"retry: 5\n\n", b": ping\n\n", b"event: e\n", b"data: a\r\n\r\n", b"\n"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_whole_event, min_size=1, max_size=3), max_size=8), st.booleans())
def test_reads_of_whole_events_match_the_oracle(reads: list[list[bytes]], bom: bool) -> None:
    """Reads aligned on event boundaries (where the bytes-level fast path applies) against the oracle."""
    pieces = [b"".join(read) for read in reads]
    if bom and pieces:
        pieces[0] = BOM + pieces[0]
    assert feed_all(pieces) == parse(b"".join(pieces))


# -- the rules, one by one -------------------------------------------------------------------------


@given(st.lists(_line, max_size=10), st.sampled_from(EOLS), st.sampled_from(EOLS))
def test_line_end_kind_does_not_matter(lines: list[str], eol_a: str, eol_b: str) -> None:
    body_a = "".join(line + eol_a for line in lines).encode()
    body_b = "".join(line + eol_b for line in lines).encode()
    assert feed_all([body_a]) == feed_all([body_b])


def test_crlf_split_between_reads_is_one_line_end() -> None:
    assert feed_all([b"data: a\r", b"\n\r", b"\n"]) == [ServerSentEvent("a")]
    # A CR at the end of a read followed by a CR is two line ends: the event is dispatched.
    assert feed_all([b"data: a\r", b"\rdata: b\r\r"]) == [ServerSentEvent("a"), ServerSentEvent("b")]


def test_bom_is_stripped_once_even_when_split() -> None:
    assert feed_all([BOM[:1], BOM[1:2], BOM[2:] + b"data: x\n\n"]) == [ServerSentEvent("x")]
    # A second BOM is not a BOM: the line is then an unknown field and ignored.
    assert feed_all([BOM + BOM + b"data: x\n\n"]) == []


def test_comments_and_unknown_fields_are_ignored() -> None:
    assert feed_all([b": keep-alive\n\n:\ndata: x\nfoo: bar\nfoo\n\n"]) == [ServerSentEvent("x")]


def test_multiline_data_is_joined_with_lf() -> None:
    assert feed_all([b"data: a\ndata:b\ndata\ndata:  c\n\n"]) == [ServerSentEvent("a\nb\n\n c")]


def test_event_id_and_retry_fields() -> None:
    events = feed_all([b"event: delta\nid: 7\nretry: 250\ndata: x\n\ndata: y\n\nid: a\0b\nretry: 1s\ndata: z\n\n"])
    assert events == [
        ServerSentEvent("x", "delta", "7", 250),
        ServerSentEvent("y", "message", "7", 250),  # the id persists; the type does not
        ServerSentEvent("z", "message", "7", 250),  # an id with NUL and a non-numeric retry are ignored
    ]


def test_empty_data_still_dispatches_but_no_data_does_not() -> None:
    assert feed_all([b"data:\n\n"]) == [ServerSentEvent("")]
    assert feed_all([b"event: x\n\n"]) == []


def test_multibyte_characters_split_across_reads() -> None:
    body = "data: héllo €𝄞\n\n".encode()
    for i in range(len(body) + 1):
        assert feed_all([body[:i], body[i:]]) == [ServerSentEvent("héllo €𝄞")]
    assert feed_all([bytes([b]) for b in body]) == [ServerSentEvent("héllo €𝄞")]


def test_only_ascii_line_ends_split_lines() -> None:
    assert feed_all(["data: a\u2028b\x0bc\x1cd\x85e\n\n".encode()]) == [ServerSentEvent("a\u2028b\x0bc\x1cd\x85e")]


def test_invalid_utf8_becomes_replacement_characters() -> None:
    assert feed_all([b"data: a\xffb\n\n"]) == [ServerSentEvent("a\ufffdb")]


def test_very_large_event_in_small_reads() -> None:
    payload = b"x" * 4_000_000
    body = b"data: " + payload + b"\n\n"
    pieces = [body[i : i + 4096] for i in range(0, len(body), 4096)]
    (only,) = feed_all(pieces)
    assert len(only.data) == 4_000_000


def test_unterminated_event_is_discarded_and_reported() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\nevent: e\ndata: b\ndata: c") == [ServerSentEvent("a")]
    assert decoder.close() == "event: e\ndata: b\ndata: c"
    fresh = SSEDecoder()
    fresh.feed(b"data: a\n\n")
    assert fresh.close() == ""
