"""Search your own documents: put a file in a library, then let a conversation use the document-library tool.

The API processes an upload in the background (extracting text, indexing it): check its status before
relying on it. Run with a question as arguments to ask something else.
"""

import io
import sys

from _connect import connect

from mistral_sdk import File
from mistral_sdk.models import MessageOutputEntry, ToolExecutionEntry

NOTES = b"# Office notes\n\nThe office plants are watered on Tuesdays. The coffee machine descales on Fridays.\n"
question = " ".join(sys.argv[1:]) or "When are the office plants watered?"

with connect() as client:
    library = client.beta.libraries.create(name="office-notes", description="Practical notes about the office")
    upload = File(payload=io.BytesIO(NOTES), file_name="office-notes.md", mime_type="text/markdown")
    document = client.beta.libraries.documents.upload(library.id, file=upload)
    status = client.beta.libraries.documents.status(library.id, document.id)
    print(f"library {library.name} ({library.id}): uploaded {document.name}, processing {status.processing_status}")
    for doc in client.beta.libraries.documents.list(library.id, page_size=10).items:
        print(f"  {doc.name}  {doc.size} bytes  {doc.processing_status}")

    tool = {"type": "document_library", "library_ids": [str(library.id)]}
    reply = client.beta.conversations.start(inputs=question, model="mistral-medium-latest", tools=[tool])
    for entry in reply.outputs:
        if isinstance(entry, ToolExecutionEntry):
            print(f"tool {entry.name}: {entry.arguments}")
        elif isinstance(entry, MessageOutputEntry):
            print(f"answer: {entry.content}")
    client.beta.libraries.delete(library.id)  # this example's library is not needed any more
