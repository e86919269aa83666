"""Embed a few sentences and compare them: similar meanings give vectors pointing the same way."""

import math

from _connect import connect

sentences = ["The cat sleeps on the sofa.", "A kitten naps on the couch.", "Stock markets fell sharply today."]

with connect() as client:
    response = client.embeddings.create(model="mistral-embed", input=sentences)

vectors = [item.embedding or [] for item in response.data]  # in the order of the inputs
print(f"{len(vectors)} vectors of {len(vectors[0])} dimensions, {response.usage.prompt_tokens} tokens")


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / (math.hypot(*a) * math.hypot(*b))


for i in range(1, len(vectors)):
    print(f"similarity({sentences[0]!r}, {sentences[i]!r}) = {cosine(vectors[0], vectors[i]):.3f}")
