"""A deliberately naive event-stream parser written straight from the WHATWG steps, as a test oracle.

It sees the whole body at once, so it has none of the incremental decoder's buffering concerns;
the property tests hold ``SSEDecoder`` (fed in arbitrary splits) to its output.
"""

from __future__ import annotations

import re

from mistral_sdk._streaming import ServerSentEvent


def parse(body: bytes) -> list[ServerSentEvent]:
    text = body.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = re.split(r"\r\n|\r|\n", text)
    lines.pop()  # the text after the last line end is not a line: it is discarded at end of input
    events: list[ServerSentEvent] = []
    data = ""
    event_type = ""
    last_id = ""
    retry: int | None = None
    for line in lines:
        if line == "":
            if data == "":
                event_type = ""
                continue
            if data.endswith("\n"):
                data = data[:-1]
            events.append(ServerSentEvent(data, event_type or "message", last_id, retry))
            data = ""
            event_type = ""
            continue
        if line.startswith(":"):
            continue
        if ":" in line:
            name, value = line.split(":", 1)
            if value.startswith(" "):
                value = value[1:]
        else:
            name, value = line, ""
        if name == "event":
            event_type = value
        elif name == "data":
            data += value + "\n"
        elif name == "id":
            if "\0" not in value:
                last_id = value
        elif name == "retry":
            if value and all(c in "0123456789" for c in value):
                retry = int(value)
    return events
