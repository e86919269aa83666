"""The streaming layer: SSE decoding, typed chunk iterators, accumulation of the final response.

The client calls it like this (see ``Stream`` for the contract)::

    decoder = decoder_for(CompletionEvent)        # from the operation's text/event-stream schema
    response = http.send(request, stream=True)     # status already checked by the client
    return Stream(response, decoder, started_at=t0, error_mode="raise")
"""

from mistral_sdk._streaming._accumulate import accumulate_completion
from mistral_sdk._streaming._chunks import CompletionStreamChunk, StreamChunk, StreamEvent
from mistral_sdk._streaming._core import ErrorMode
from mistral_sdk._streaming._decoders import COMPLETION_CHUNK_DECODER, ChunkDecoder, decoder_for, event_decoder
from mistral_sdk._streaming._sse import ServerSentEvent, SSEDecoder
from mistral_sdk._streaming._stream import AsyncStream, PendingAsyncStream, Stream

__all__ = [
    "COMPLETION_CHUNK_DECODER",
    "AsyncStream",
    "ChunkDecoder",
    "CompletionStreamChunk",
    "ErrorMode",
    "PendingAsyncStream",
    "SSEDecoder",
    "ServerSentEvent",
    "Stream",
    "StreamChunk",
    "StreamEvent",
    "accumulate_completion",
    "decoder_for",
    "event_decoder",
]
