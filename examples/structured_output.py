"""Structured output: ask for JSON that follows a schema, and get exactly that shape back."""

import json

from _connect import connect, mock_text_reply

from mistral_sdk import new_json_schema_response_format
from mistral_sdk.models import UserMessage

book_schema = {
    "type": "object",
    "properties": {"title": {"type": "string"}, "author": {"type": "string"}, "year": {"type": "integer"}},
    "required": ["title", "author", "year"],
    "additionalProperties": False,
}
answer_format = new_json_schema_response_format("book", book_schema, strict=True)
# Against the mock: the JSON a model would write (the real API ignores this).
canned = mock_text_reply('{"title": "The Little Prince", "author": "Antoine de Saint-Exupéry", "year": 1943}')

with connect(mock_replies=[canned]) as client:
    response = client.chat.complete(
        model="mistral-small-latest",
        messages=[UserMessage(content="Name one classic French novel.")],
        response_format=answer_format,
    )

book = json.loads(str(response.choices[0].message.content))
print(f"{book['title']} by {book['author']} ({book['year']})")
