"""Ask one question and wait for the whole answer (no streaming)."""

from _connect import connect

from mistral_sdk.lib import choice_message
from mistral_sdk.models import SystemMessage, UserMessage

with connect() as client:
    response = client.chat.complete(
        model="mistral-small-latest",
        messages=[
            SystemMessage(content="Answer in one sentence."),
            UserMessage(content="Why do cats purr?"),
        ],
        temperature=0.3,
        max_tokens=120,
    )

choice = response.choices[0]
print(choice_message(choice).content)
print(f"finish_reason={choice.finish_reason}, total tokens={response.usage.total_tokens}")
