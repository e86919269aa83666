"""Download a file in constant memory: the body goes to disk piece by piece, never whole in memory."""

import pathlib
import tempfile

from _connect import connect

with connect() as client:
    listing = client.files.list(page_size=1)
    if not listing.items:
        raise SystemExit("no file to download: upload one first (see files.py)")
    file_id = listing.items[0].id
    target = pathlib.Path(tempfile.mkdtemp()) / "download.bin"
    with client.files.download_stream(file_id) as body:
        print(f"{file_id}: {body.content_type}, {body.content_length} bytes announced")
        written = body.write_to_file(target)
    print(f"wrote {written} bytes to {target.name}")
