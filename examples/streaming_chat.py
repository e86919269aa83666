"""Stream a chat answer as it is generated, then print why it ended, the token usage and the latencies.

Uses the real API when MISTRAL_API_KEY is set; otherwise the SDK's mock Mistral server (see _connect.py).
"""

import sys

from _connect import connect

from mistral_sdk import new_chat_completion_stream_request, new_user_message_from_string

prompt = " ".join(sys.argv[1:]) or "Tell me a long story about a space hamster"

with connect() as client:
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
