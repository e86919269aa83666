"""Stream a chat answer as it is generated, then print why it ended, the token usage and the latencies.

Uses the real API when MISTRAL_API_KEY is set; otherwise starts the SDK's mock Mistral server on
127.0.0.1 and talks to that, so it runs anywhere with no account.
"""

import contextlib
import os
import sys

from mistral_sdk import Mistral, new_chat_completion_stream_request, new_user_message_from_string

prompt = " ".join(sys.argv[1:]) or "Tell me a long story about a space hamster"

with contextlib.ExitStack() as stack:
    if os.environ.get("MISTRAL_API_KEY"):
        client = Mistral()
    else:
        from mistral_sdk.testing import DELAY_HEADER, EVENTS_HEADER, MockServer

        mock = stack.enter_context(MockServer())
        print(f"MISTRAL_API_KEY is not set: using the mock Mistral server at {mock.url}\n")
        # Ask the mock for a longer answer, paced like a real model, so the streaming is visible.
        pacing = {EVENTS_HEADER: "30", DELAY_HEADER: "0.04"}
        client = Mistral(api_key="mock-key", base_url=mock.url, default_headers=pacing)
    stack.enter_context(client)

    request = new_chat_completion_stream_request("mistral-small-latest", [new_user_message_from_string(prompt)])
    with client.chat_completion_stream(request) as stream:
        for chunk in stream:
            print(chunk.text, end="", flush=True)
            if chunk.is_last_chunk:
                print(f"\n\nfinish_reason={chunk.choices[0].finish_reason}")
                if (usage := chunk.usage) is not None:
                    print(f"tokens: prompt={usage.prompt_tokens} completion={usage.completion_tokens}", end=" ")
                    print(f"total={usage.total_tokens}")
                print(f"latency: last chunk {chunk.chunk_latency * 1000:.1f} ms, total {chunk.total_latency:.3f} s")
