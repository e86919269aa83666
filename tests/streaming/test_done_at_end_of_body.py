"""``data: [DONE]`` followed by the end of the body completes a stream, even without its final blank line.

The SSE rules dispatch an event only on a blank line, so strictly a body ending ``data: [DONE]\\n`` never
delivered its end marker. Streams stored or relayed by other tools often lose that last line, and the
marker itself arrived whole, so the SDK accepts exactly that case. Every other event cut by the end of
the body is still a ``StreamIncompleteError``: the rule is about the end marker, not about cut events.
"""

from __future__ import annotations

import pytest

from mistral_sdk._exceptions import StreamIncompleteError
from mistral_sdk._streaming import SSEDecoder

from ._consume import consume
from ._server import RawServer, completion_events, sse_script

MODES = ["sync", "async"]
WORDS = ["Hello", " world", "!"]
BODY = completion_events(WORDS, done=False)

COMPLETE_ENDINGS: dict[str, bytes | list[bytes]] = {
    "done-lf": b"data: [DONE]\n",
    "done-crlf": b"data: [DONE]\r\n",
    "done-no-newline": b"data: [DONE]",
    "done-no-space": b"data:[DONE]",
    "done-split-across-reads": [b"data: [DO", b"NE]"],
}
INCOMPLETE_ENDINGS: dict[str, bytes | list[bytes]] = {
    "done-cut": b"data: [DON",
    "chunk-cut-without-blank-line": b'data: {"id": "x", "model": "m", "choices": []}\n',
    "done-joined-to-previous-data": b"data: {}\ndata: [DONE]\n",
    "done-as-named-event": b"event: end\ndata: [DONE]\n",
    "nothing": b"",
}


def _pieces(ending: bytes | list[bytes]) -> list[bytes]:
    tail = ending if isinstance(ending, list) else [ending]
    return [*BODY, *[t for t in tail if t]]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("then", ["end", "eof"])  # chunked body ended cleanly / close-delimited body
@pytest.mark.parametrize("name", sorted(COMPLETE_ENDINGS))
def test_done_then_end_of_body_completes(server: RawServer, name: str, then: str, mode: str) -> None:
    server.queue(sse_script(_pieces(COMPLETE_ENDINGS[name]), then=then))
    out = consume(server.url, mode, final=True)
    assert out.error is None and out.final_error is None
    assert [c.text for c in out.chunks] == ["", *WORDS]
    assert out.chunks[-1].is_last_chunk
    assert out.final.choices[0].message.content == "Hello world!"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(INCOMPLETE_ENDINGS))
def test_any_other_cut_ending_is_incomplete(server: RawServer, name: str, mode: str) -> None:
    server.queue(sse_script(_pieces(INCOMPLETE_ENDINGS[name]), then="end"))
    out = consume(server.url, mode, final=True)
    assert type(out.error) is StreamIncompleteError
    assert [c.text for c in out.chunks] == ["", *WORDS]
    assert not any(c.is_last_chunk for c in out.chunks)
    assert out.final is None and isinstance(out.final_error, StreamIncompleteError)


def test_decoder_reports_the_cut_event_and_its_text() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\nevent: x\ndata: [DONE]\n") != []
    cut, raw = decoder.end()
    assert cut is not None and (cut.event, cut.data) == ("x", "[DONE]")
    assert raw == "event: x\ndata: [DONE]"


def test_decoder_end_without_pending_event() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\n\n")
    assert decoder.end() == (None, "")
    decoder = SSEDecoder()
    decoder.feed(b": comment only\n")
    assert decoder.end() == (None, "")
