"""Fill in the middle: give the code before and after the cursor, get what goes between."""

from _connect import connect

from mistral_sdk.lib import choice_message

before = "def is_leap_year(year: int) -> bool:\n    "
after = "\n\n\nprint(is_leap_year(2024))\n"

with connect() as client:
    response = client.fim.complete(model="codestral-latest", prompt=before, suffix=after, max_tokens=64, temperature=0)

middle = choice_message(response.choices[0]).content
print(before + str(middle) + after, end="")
print(f"# {response.usage.completion_tokens} tokens written")
