"""Writing the issue-14 conveniences an operation's ``hooks`` ask for (see ``hooks``): their methods, types, imports.

Kept apart from ``render`` so the plain methods' writer stays as it is: ``render`` asks this module for
a file argument's annotation, a hooked return type, and the extra methods (``<method>_stream`` for a
download, ``parse``/``parse_stream``); ``templates/facade/hooked.py.jinja`` writes them. Each body is
one call into ``mistral_sdk._resource`` (``_paginate``, ``_download``, ``_parse``, ``_parse_stream``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .plan import Argument, PlannedOperation
    from .render import _MethodWriter

__all__ = ["file_input", "hooked_methods", "hooked_return_type", "hooked_runtime_imports"]

_LIB = "mistral_sdk.lib"
_TYPE_VAR = "T"


def _add(writer: _MethodWriter, module: str, *names: str) -> None:
    for name in names:
        writer.names.add(name, (f"{_LIB}.{module}", name))


def file_input(text: str, writer: _MethodWriter) -> str:
    """A ``File`` argument's annotation with ``FileInput`` (everything ``lib._files.to_file`` takes) in its place."""
    _add(writer, "_files", "FileInput")
    return " | ".join("FileInput" if member == "File" else member for member in text.split(" | "))


def hooked_return_type(item: PlannedOperation, writer: _MethodWriter, returns: str) -> tuple[str, str]:
    """(sync, async) return annotation of a paginated list or of an answer returned as the SDK's subclass."""
    hooks = item.hooks
    if hooks.page_item is not None:
        inner = writer.ann(hooks.page_item, hooks.page_imports)
        _add(writer, "_pagination", "SyncPage", "AsyncPaginator")
        return f"SyncPage[{inner}]", f"AsyncPaginator[{inner}]"
    assert hooks.result is not None
    module, cls = hooks.result
    writer.names.add(cls, (module, cls))
    return cls, cls


def _docstring(item: PlannedOperation, arguments: list[Argument], summary: str, detail: str) -> str:
    """The plain method's docstring under a summary and a paragraph of the convenience's own."""
    import textwrap

    from .render import _docstring as plain

    text = plain(item, arguments, streams=False)
    return '"""' + summary + "\n\n" + "\n".join(textwrap.wrap(detail, 100)) + "\n\n" + text[3:]


def hooked_methods(
    item: PlannedOperation, writer: _MethodWriter, rendered: list[tuple[Argument, str]], http: str
) -> list[dict[str, Any]]:
    """The extra methods of one operation: a download's streamed twin, structured-output parsing."""
    hooks = item.hooks
    out: list[dict[str, Any]] = []
    group = ".".join(item.name.group)
    if hooks.download_method is not None:
        _add(writer, "_binary", "BinaryResponse", "PendingBinaryResponse")
        parts = _signature(rendered)
        signature = ", ".join(parts)
        out.append(
            {
                "is_call": False,
                "name": hooks.download_method,
                "operation_id": item.spec.operation_id,
                "signature": signature,
                "returns": "BinaryResponse",
                "async_returns": "PendingBinaryResponse",
                "streams": False,
                "no_raw": True,
                "hook": {"runner": "_download", "async_def": False},
                "docstring": _docstring(
                    item,
                    [a for a, _ in rendered],
                    f"The answer of ``{item.name.method}``, read piece by piece in constant memory.",
                    "Use it as a context manager; read it with ``iter_bytes()`` or ``write_to_file(path)``.",
                ),
                "doc_summary": f"the body of `{item.name.method}` streamed (`iter_bytes()`, `write_to_file(path)`)",
                "api_signature": f"client.{group}.{hooks.download_method}({', '.join(parts[1:-1])})",
                "http": http,
            }
        )
    if hooks.parse_methods is not None:
        _add(writer, "_completion", "ParsedChatCompletion")
        _add(writer, "_chat", "ParsedStream", "AsyncParsedStream")
        kept = [(a, t) for a, t in rendered if a.keyword != "response_format"]
        parts = _signature(kept, first=f"response_format: type[{_TYPE_VAR}]")
        signature = ", ".join(parts)
        arguments = [a for a, _ in kept]
        parse, parse_stream = hooks.parse_methods
        for name, returns, async_returns, runner, async_def, summary, detail in (
            (
                parse,
                f"ParsedChatCompletion[{_TYPE_VAR}]",
                f"ParsedChatCompletion[{_TYPE_VAR}]",
                "_parse",
                True,
                f"``{item.name.method}``, with the answer parsed as ``response_format``.",
                "``response_format`` is a pydantic model, a dataclass or an attrs class; ``choices[i].message.parsed`` "
                "is the answer as that type.",
            ),
            (
                parse_stream,
                f"ParsedStream[{_TYPE_VAR}]",
                f"AsyncParsedStream[{_TYPE_VAR}]",
                "_parse_stream",
                False,
                f"``{item.name.stream_method}``, with the complete answer parsed as ``response_format``.",
                "The stream's ``final_response()`` carries ``.parsed``. Use it as a context manager.",
            ),
        ):
            out.append(
                {
                    "is_call": False,
                    "name": name,
                    "operation_id": item.spec.operation_id,
                    "signature": signature,
                    "returns": returns,
                    "async_returns": async_returns,
                    "streams": False,
                    "no_raw": True,
                    "hook": {"runner": runner, "async_def": async_def},
                    "docstring": _docstring(
                        item,
                        arguments,
                        summary,
                        detail + " Raises ``LengthFinishReasonError`` or ``StructuredOutputValidationError`` "
                        "(with the raw text) when the answer was cut or does not fit the type.",
                    ),
                    "doc_summary": summary.replace("``", "`").rstrip("."),
                    "api_signature": f"client.{group}.{name}({', '.join(parts[1:-1])})",
                    "http": http,
                }
            )
    return out


def _signature(rendered: list[tuple[Argument, str]], first: str | None = None) -> list[str]:
    """``self, <path>, *, <first>, <required>, <optional>, **request_options``, as ``render._methods`` orders it."""
    path = [f"{a.keyword}: {t}" for a, t in rendered if a.location == "path"]
    required = [f"{a.keyword}: {t}" for a, t in rendered if a.location != "path" and a.required]
    optional = [f"{a.keyword}: {t} = UNSET" for a, t in rendered if a.location != "path" and not a.required]
    keywords = ([first] if first else []) + required + optional
    return ["self", *path, *(["*", *keywords] if keywords else []), "**request_options: Unpack[RequestOptions]"]


def hooked_runtime_imports(lines: list[str], methods: list[dict[str, Any]]) -> list[str]:
    """A group module's runtime imports, with the type variable of ``parse`` where one is written."""
    if not any(m.get("hook", {}).get("runner") == "_parse" for m in methods):
        return lines
    typing_line = next(i for i, line in enumerate(lines) if line.startswith("from typing import "))
    names = sorted({*lines[typing_line].removeprefix("from typing import ").split(", "), "TypeVar"})
    changed = [*lines]
    changed[typing_line] = "from typing import " + ", ".join(names)
    return [*changed, "", f'{_TYPE_VAR} = TypeVar("{_TYPE_VAR}")']
