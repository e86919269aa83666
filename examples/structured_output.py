"""Structured output: describe the answer as a pydantic model and get an instance of it back."""

from _connect import connect, mock_text_reply
from pydantic import BaseModel, Field


class Book(BaseModel):
    title: str
    author: str
    year: int = Field(description="Year of first publication")


# Against the mock: the JSON a model would write (the real API ignores this).
canned = mock_text_reply('{"title": "The Little Prince", "author": "Antoine de Saint-Exupéry", "year": 1943}')

with connect(mock_replies=[canned]) as client:
    response = client.chat.parse(
        model="mistral-small-latest",
        messages=[{"role": "user", "content": "Name one classic French novel."}],
        response_format=Book,  # sent as a strict JSON schema; the answer is decoded into a Book
    )

book = response.choices[0].message.parsed
assert book is not None
print(f"{book.title} by {book.author} ({book.year})")
