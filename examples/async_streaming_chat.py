"""Stream a chat answer with the asyncio client: the same chunks, read with ``async for``."""

import asyncio

from _connect import connect_async

from mistral_sdk.models import UserMessage


async def main() -> None:
    async with connect_async() as client:
        # `async with` (no await needed) closes the connection however the block ends.
        async with client.chat.stream(
            model="mistral-small-latest",
            messages=[UserMessage(content="Write a haiku about rain on a tin roof")],
        ) as stream:
            async for chunk in stream:
                print(chunk.text, end="", flush=True)
                if chunk.is_last_chunk and chunk.usage is not None:
                    print(
                        f"\n\n{chunk.finish_reason()}, {chunk.usage.total_tokens} tokens, {chunk.total_latency:.2f} s"
                    )


asyncio.run(main())
