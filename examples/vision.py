"""Send an image with a question: an image URL, or a local file as a ``data:`` URL (``python vision.py photo.jpg``)."""

import base64
import mimetypes
import sys
from pathlib import Path

from _connect import connect

from mistral_sdk.lib import choice_message
from mistral_sdk.models import ImageURLChunk, TextChunk, UserMessage

if len(sys.argv) > 1:  # a local file travels inside the request
    path = Path(sys.argv[1])
    kind = mimetypes.guess_type(path.name)[0] or "image/jpeg"
    image = f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"
else:
    image = "https://upload.wikimedia.org/wikipedia/commons/3/3f/JPEG_example_flower.jpg"

question = UserMessage(
    content=[TextChunk(text="What is in this picture? One sentence."), ImageURLChunk(image_url=image)]
)
with connect() as client:
    response = client.chat.complete(model="mistral-small-latest", messages=[question])  # a model with vision

print(choice_message(response.choices[0]).content)
