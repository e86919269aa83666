"""File inputs: everything a caller naturally has, turned into the generated ``File`` for upload.

Accepted: a path (``str`` or ``os.PathLike``), ``bytes``/``bytearray``/``memoryview``, a binary file
object, a ``(filename, content)`` or ``(filename, content, mime_type)`` tuple (``content`` being bytes,
a binary file or text, sent UTF-8 encoded) or a ``File`` (returned as it is). The filename comes from
the path, the tuple or the file object's ``name``; raw bytes without one are sent as ``upload``. The
MIME type is the tuple's, else guessed from the filename's extension, else
``application/octet-stream``.

A path is opened, not read: the upload streams from disk. ``open_file`` is the context manager that
closes what it opened; ``to_file`` leaves closing to the caller (``file.payload.close()``).

The facade generator declares every ``File`` parameter as ``FileInput``, and ``mistral_sdk._resource``
passes its value through ``open_file`` for the duration of the request (``generator/facade/hooks.py``).
"""

from __future__ import annotations

import contextlib
import io
import mimetypes
import os
from collections.abc import Iterator
from typing import IO, Any, BinaryIO, TypeAlias

from mistral_sdk._generated.types import File

# Real objects, not strings: signatures using them resolve under any namespace (the facade's tests).
FileContent: TypeAlias = bytes | bytearray | memoryview | IO[bytes] | str
FileInput: TypeAlias = (
    str
    | os.PathLike[str]
    | bytes
    | bytearray
    | memoryview
    | IO[bytes]
    | tuple[str, FileContent]
    | tuple[str, FileContent, str | None]
    | File
)

__all__ = ["FileContent", "FileInput", "open_file", "to_file"]

_DEFAULT_NAME = "upload"
_DEFAULT_MIME = "application/octet-stream"


def _mime(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or _DEFAULT_MIME


def _binary(content: Any, what: str) -> BinaryIO:
    if isinstance(content, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(content))
    if isinstance(content, str):
        return io.BytesIO(content.encode("utf-8"))
    if isinstance(content, io.TextIOBase):
        raise TypeError(f"{what}: the file is open in text mode; open it with 'rb'")
    if hasattr(content, "read"):
        return content  # type: ignore[no-any-return]
    raise TypeError(f"{what}: expected bytes, text or a binary file as the content, got {type(content).__name__}")


def to_file(value: FileInput, *, name: str = "file") -> File:
    """``value`` as a ``File`` (see the module docstring); ``name`` is the parameter, for error messages."""
    if isinstance(value, File):
        return value
    if isinstance(value, str | os.PathLike):
        path = os.fspath(value)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{name}: no file at {path!r}")
        filename = os.path.basename(path)
        return File(payload=open(path, "rb"), file_name=filename, mime_type=_mime(filename))
    if isinstance(value, tuple):
        if len(value) not in (2, 3) or not isinstance(value[0], str):
            raise TypeError(f"{name}: a tuple must be (filename, content) or (filename, content, mime_type)")
        filename = value[0]
        mime = value[2] if len(value) == 3 else None
        if mime is not None and not isinstance(mime, str):
            raise TypeError(f"{name}: the MIME type must be a string, got {type(mime).__name__}")
        return File(payload=_binary(value[1], name), file_name=filename, mime_type=mime or _mime(filename))
    if isinstance(value, bytes | bytearray | memoryview):
        return File(payload=io.BytesIO(bytes(value)), file_name=_DEFAULT_NAME, mime_type=_DEFAULT_MIME)
    if hasattr(value, "read"):
        payload = _binary(value, name)
        file_name = getattr(value, "name", None)
        filename = os.path.basename(file_name) if isinstance(file_name, str) and file_name else _DEFAULT_NAME
        return File(payload=payload, file_name=filename, mime_type=_mime(filename))
    raise TypeError(
        f"{name}: expected a path, bytes, a binary file, a (filename, content[, mime_type]) tuple or File, "
        f"got {type(value).__name__}"
    )


@contextlib.contextmanager
def open_file(value: FileInput, *, name: str = "file") -> Iterator[File]:
    """``to_file(value)``, closing at the end the file it opened for a path (never the caller's own)."""
    file = to_file(value, name=name)
    opened = isinstance(value, str | os.PathLike)
    try:
        yield file
    finally:
        if opened:
            file.payload.close()
