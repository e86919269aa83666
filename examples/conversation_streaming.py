"""Start a conversation as a stream: print the text as it arrives, then the usage; then stream a second turn.

Each event is its own typed class (``MessageOutputEvent``, ``ResponseDoneEvent``...); a kind of event this
SDK does not know yet arrives as ``UnknownVariant`` with the fields the server sent, rather than an error.
"""

import sys
from typing import Any

from _connect import connect

from mistral_sdk import Stream, StreamEvent
from mistral_sdk.models import MessageOutputEvent, ResponseDoneEvent, ResponseStartedEvent, UnknownVariant

prompt = " ".join(sys.argv[1:]) or "Tell me a short story about a lighthouse keeper"


def show(stream: Stream[StreamEvent[Any]]) -> str:
    """Print one streamed turn; return the conversation's id."""
    conversation_id = ""
    with stream:
        for event in stream:
            if isinstance(event.data, ResponseStartedEvent):
                conversation_id = event.data.conversation_id
            elif isinstance(event.data, MessageOutputEvent):
                print(event.text, end="", flush=True)
            elif isinstance(event.data, ResponseDoneEvent):
                usage = event.data.usage
                print(f"\n\ntokens: prompt={usage.prompt_tokens} completion={usage.completion_tokens}", end=" ")
                print(f"total={usage.total_tokens}")
            elif isinstance(event.data, UnknownVariant):
                print(f"\n(an event this SDK does not know: {event.event} {event.data.additional_properties})")
    return conversation_id


with connect() as client:
    conversation_id = show(client.beta.conversations.start_stream(inputs=prompt, model="mistral-small-latest"))
    print(f"conversation {conversation_id}; a second turn:\n")
    show(client.beta.conversations.append_stream(conversation_id, inputs="Now make it rhyme."))
