"""Upload a file (here a small batch-input JSONL made in memory), then list the files you have."""

import io
import json

from _connect import connect

from mistral_sdk import File

questions = ["What is the capital of France?", "Name a French cheese."]
requests = [
    {"custom_id": str(i), "body": {"messages": [{"role": "user", "content": q}]}} for i, q in enumerate(questions)
]
content = "".join(json.dumps(request) + "\n" for request in requests).encode()

with connect() as client:
    upload = client.files.upload(
        file=File(payload=io.BytesIO(content), file_name="questions.jsonl", mime_type="application/jsonl"),
        purpose="batch",
    )
    print(f"uploaded {upload.filename}: id={upload.id}, {upload.bytes_} bytes, purpose={upload.purpose}")

    listing = client.files.list(page_size=10)
    for f in listing.items:  # this page; iterating `listing` itself would walk every page
        print(f"{f.id}  {f.filename:30} {f.bytes_:>9} bytes  {f.purpose}")
    print(f"{listing.total} files in all")
