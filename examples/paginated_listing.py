"""Walk every uploaded file, page after page: each page is fetched only when the loop reaches it."""

from _connect import connect

from mistral_sdk.lib import SyncPage
from mistral_sdk.models import FileSchema

with connect() as client:
    files: SyncPage[FileSchema] = client.files.list(page_size=100)
    print(f"{files.total} files in all")  # the page's own fields are kept
    for count, file in enumerate(files, start=1):
        print(f"{count}. {file.filename} ({file.purpose}, {file.bytes_} bytes)")
