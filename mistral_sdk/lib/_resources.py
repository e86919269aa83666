"""``client.files`` with file inputs and streamed downloads: ``upload(file=...)`` takes a path, bytes, a
binary file, a tuple or ``File`` (see ``_files``); ``download_stream(file_id)`` reads the content in
constant memory (see ``_binary``).

HOOK (facade): subclasses of the generated groups, built by the client for ``client.files`` (see
``Mistral.files`` in ``_client.py``). Once the facade generator passes every ``File`` parameter through
``lib._files.open_file``, these subclasses go away.
"""

# No ``from __future__ import annotations``: the signatures hold real objects, so they resolve wherever
# they are inspected (the facade's coverage test evaluates them in the facade's namespace).
import uuid
from typing import Any, Literal, Unpack

from mistral_sdk._generated.models.create_file_response import CreateFileResponse
from mistral_sdk._generated.models.file_purpose import FilePurpose
from mistral_sdk._generated.models.file_visibility import FileVisibility
from mistral_sdk._generated.types import UNSET, Unset
from mistral_sdk._resource import RequestOptions, endpoint_module
from mistral_sdk.lib._binary import BinaryResponse, PendingBinaryResponse
from mistral_sdk.lib._files import FileInput, open_file
from mistral_sdk.resources.files import AsyncFiles as _GeneratedAsyncFiles
from mistral_sdk.resources.files import Files as _GeneratedFiles


def _download_kwargs(file_id: uuid.UUID | str) -> dict[str, Any]:
    try:
        checked = file_id if isinstance(file_id, uuid.UUID) else uuid.UUID(str(file_id))
    except ValueError:
        raise ValueError(f"file_id: {file_id!r} is not a file id (a UUID)") from None
    kwargs: dict[str, Any] = endpoint_module("files_api_routes_download_file")._get_kwargs(file_id=checked)
    return kwargs


__all__ = ["AsyncFiles", "Files"]


class Files(_GeneratedFiles):
    """``client.files``: the generated operations; ``upload`` also takes paths, bytes and tuples."""

    def upload(
        self,
        *,
        file: FileInput,
        expiry: int | Unset | None = UNSET,
        visibility: FileVisibility | Literal["user", "workspace"] | Unset = UNSET,
        purpose: FilePurpose | Literal["batch", "fine-tune", "ocr"] | Unset = UNSET,
        **request_options: Unpack[RequestOptions],
    ) -> CreateFileResponse:
        """Upload a file (``POST /v1/files``); the other arguments are the generated method's."""
        with open_file(file) as opened:
            return super().upload(file=opened, expiry=expiry, visibility=visibility, purpose=purpose, **request_options)

    def download_stream(self, file_id: uuid.UUID | str) -> BinaryResponse:
        """The file's content as a stream (``GET /v1/files/{file_id}/content``), in constant memory:
        ``with client.files.download_stream(id) as body: body.write_to_file(path)``."""
        return BinaryResponse(self._client._send(_download_kwargs(file_id), stream=True))


class AsyncFiles(_GeneratedAsyncFiles):
    """``client.files`` of ``AsyncMistral``; ``upload`` also takes paths, bytes and tuples."""

    async def upload(
        self,
        *,
        file: FileInput,
        expiry: int | Unset | None = UNSET,
        visibility: FileVisibility | Literal["user", "workspace"] | Unset = UNSET,
        purpose: FilePurpose | Literal["batch", "fine-tune", "ocr"] | Unset = UNSET,
        **request_options: Unpack[RequestOptions],
    ) -> CreateFileResponse:
        """Upload a file (``POST /v1/files``); the other arguments are the generated method's."""
        with open_file(file) as opened:
            return await super().upload(
                file=opened, expiry=expiry, visibility=visibility, purpose=purpose, **request_options
            )

    def download_stream(self, file_id: uuid.UUID | str) -> PendingBinaryResponse:
        """``async with client.files.download_stream(id) as body: await body.write_to_file(path)``."""
        return PendingBinaryResponse(self._client._send(_download_kwargs(file_id), stream=True))
