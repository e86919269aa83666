"""``client.files`` with file inputs: ``upload(file=...)`` takes a path, bytes, a binary file, a tuple or
``File`` (see ``_files``).

HOOK (facade): subclasses of the generated groups, built by the client for ``client.files`` (see
``Mistral.files`` in ``_client.py``). Once the facade generator passes every ``File`` parameter through
``lib._files.open_file``, these subclasses go away.
"""

# No ``from __future__ import annotations``: the signatures hold real objects, so they resolve wherever
# they are inspected (the facade's coverage test evaluates them in the facade's namespace).
from typing import Any

from mistral_sdk._generated.models.upload_file_out import UploadFileOut
from mistral_sdk._resources import AsyncFiles as _GeneratedAsyncFiles
from mistral_sdk._resources import Files as _GeneratedFiles
from mistral_sdk.lib._files import FileInput, open_file

__all__ = ["AsyncFiles", "Files"]


class Files(_GeneratedFiles):
    """``client.files``: the generated operations; ``upload`` also takes paths, bytes and tuples."""

    def upload(self, *, file: FileInput, **params: Any) -> UploadFileOut:
        """Upload a file (``POST /v1/files``); ``params`` are ``expiry``, ``visibility`` and ``purpose``."""
        with open_file(file) as opened:
            return super().upload(file=opened, **params)


class AsyncFiles(_GeneratedAsyncFiles):
    """``client.files`` of ``AsyncMistral``; ``upload`` also takes paths, bytes and tuples."""

    async def upload(self, *, file: FileInput, **params: Any) -> UploadFileOut:
        """Upload a file (``POST /v1/files``); ``params`` are ``expiry``, ``visibility`` and ``purpose``."""
        with open_file(file) as opened:
            return await super().upload(file=opened, **params)
