"""The SDK's conveniences (issue 14), decided per operation from the spec by rule, so new operations get them.

- **Pages**: a ``GET`` with an integer ``page`` query parameter and a ``page_size`` one, whose JSON
  answer is an object with a ``data`` array, returns ``SyncPage[Item]`` (``AsyncPaginator[Item]`` on
  the async client), which keeps the page's fields and iterates every item across pages
  (``mistral_sdk.lib._pagination``). ``Item`` is the generated response model's ``data`` item type.
- **Streamed downloads**: an operation whose success body is binary gets a ``<method>_stream`` twin
  returning ``BinaryResponse`` (``PendingBinaryResponse`` on the async client); the bytes form stays.
- **File inputs**: an argument declared ``File`` is declared ``FileInput`` (a path, bytes, a binary
  file, a ``(filename, content[, mime])`` tuple or ``File``) and opened for the duration of the request.
- **Result classes**: an answer whose generated type is listed in ``RESULT_CLASSES`` is returned as the
  SDK's subclass of it (``ChatCompletionResponse`` -> ``ChatCompletion`` with ``.text``/``.thinking``).
- **Structured outputs**: an operation answering ``ChatCompletionResponse`` with a ``response_format``
  body field and an event-stream twin gets ``parse``/``parse_stream`` (method names after
  ``PARSE_METHODS``), with every argument of the call plus ``response_format: type[T]``.

Only decisions live here (``Hooks``); the behaviour is hand-written (``mistral_sdk._resource`` and
``mistral_sdk.lib``), and ``render`` writes the methods (``templates/facade/hooked.py.jinja``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .naming import FacadeError
from .package import model_fields

if TYPE_CHECKING:
    from .plan import PlannedOperation

__all__ = ["PARSE_METHODS", "RESULT_CLASSES", "Hooks", "plan_hooks"]

#: generated response class -> (module, the SDK's subclass of it); the answer is decoded straight into the
#: subclass (its generated ``from_dict`` builds ``cls``), so no copy is made per call
RESULT_CLASSES: dict[str, tuple[str, str]] = {
    "ChatCompletionResponse": ("mistral_sdk.lib._completion", "ChatCompletion"),
}
#: the structured-output methods of an operation whose call is ``complete``: (parse, parse_stream)
PARSE_METHODS = ("parse", "parse_stream")
_PARSE_FIELD = "response_format"
_PAGE_ITEMS = "data"


@dataclass
class Hooks:
    """What one operation gets beyond its plain method."""

    page_item: str | None = None  # the item type of a paginated list (an annotation of ``page_imports``)
    page_imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    download_method: str | None = None  # the streamed twin of a binary download
    file_keywords: list[str] = field(default_factory=list)  # arguments declared ``File``
    result: tuple[str, str] | None = None  # see RESULT_CLASSES
    result_statuses: tuple[int, ...] = ()  # the statuses decoded into ``result``
    parse_methods: tuple[str, str] | None = None

    def data(self) -> dict[str, Any]:
        """The runtime's part (``_operations.json``)."""
        return {
            "paginated": self.page_item is not None,
            "download": self.download_method,
            "files": self.file_keywords,
            "result": f"{self.result[0]}:{self.result[1]}" if self.result else None,
            "result_statuses": list(self.result_statuses),
            "parse": list(self.parse_methods) if self.parse_methods else None,
        }


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    seen = 0
    while isinstance(node, dict) and str(node.get("$ref", "")).startswith("#/") and seen < 32:
        target: Any = spec
        for part in node["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node, seen = target, seen + 1
    return node


def _raw_operation(spec: dict[str, Any], item: PlannedOperation) -> dict[str, Any]:
    path_item = (spec.get("paths") or {}).get(item.spec.path) or {}
    op = path_item.get(item.spec.method) if isinstance(path_item, dict) else None
    return op if isinstance(op, dict) else {}


def _query_types(spec: dict[str, Any], item: PlannedOperation) -> dict[str, Any]:
    path_item = (spec.get("paths") or {}).get(item.spec.path) or {}
    parameters = [*(path_item.get("parameters") or []), *(_raw_operation(spec, item).get("parameters") or [])]
    found: dict[str, Any] = {}
    for parameter in parameters:
        parameter = _resolve(spec, parameter)
        # a deprecated parameter is on its way out (libraries now page by token): no convenience builds on it
        if isinstance(parameter, dict) and parameter.get("in") == "query" and not parameter.get("deprecated"):
            schema = _resolve(spec, parameter.get("schema") or {})
            types = {schema.get("type")} | {
                _resolve(spec, s).get("type") for s in schema.get("anyOf") or [] if isinstance(s, dict)
            }
            found[str(parameter.get("name"))] = types
    return found


def _json_answer(spec: dict[str, Any], item: PlannedOperation) -> dict[str, Any]:
    responses = _raw_operation(spec, item).get("responses") or {}
    codes = sorted(str(c) for c in responses if str(c).startswith("2"))
    if not codes:
        return {}
    response = _resolve(spec, responses.get(codes[0]) or responses.get(int(codes[0])) or {})
    media = ((response or {}).get("content") or {}).get("application/json") or {}
    schema = _resolve(spec, media.get("schema") or {})
    return schema if isinstance(schema, dict) else {}


def _list_item(annotation: str) -> str | None:
    """``list[X] | Unset`` -> ``X``."""
    tree = ast.parse(annotation, mode="eval").body
    members = [tree]
    while members:
        node = members.pop()
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            members += [node.left, node.right]
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "list":
            return ast.unparse(node.slice)
    return None


def _page(spec: dict[str, Any], item: PlannedOperation, hooks: Hooks, notes: list[str]) -> None:
    if item.spec.method != "get" or item.spec.kind != "json":
        return
    query = _query_types(spec, item)
    if "integer" not in query.get("page", set()) or "page_size" not in query:
        return
    schema = _json_answer(spec, item)
    items = _resolve(spec, (schema.get("properties") or {}).get(_PAGE_ITEMS) or {})
    if not (isinstance(items, dict) and items.get("type") == "array"):
        return
    response = item.endpoint.response_type or ""
    source = item.endpoint.imports.get(response)
    loaded = model_fields(source[0], source[1]) if source and source[1] else None
    fields, imports = loaded if loaded is not None else ([], {})
    annotation = next((f.annotation for f in fields if f.alias == _PAGE_ITEMS), None)
    inner = _list_item(annotation) if annotation else None
    if inner is None:
        notes.append(f"{item.spec.operation_id}: looks like a list but {response!r} has no typed {_PAGE_ITEMS} list")
        return
    hooks.page_item, hooks.page_imports = inner, imports


def _parse(spec: dict[str, Any], item: PlannedOperation, hooks: Hooks) -> None:
    if item.name.method != "complete" or item.name.stream_method is None:
        return
    if item.endpoint.response_type != "ChatCompletionResponse":
        return
    if any(a.keyword == _PARSE_FIELD and a.location == "body" for a in item.arguments):
        hooks.parse_methods = PARSE_METHODS


def plan_hooks(planned: list[PlannedOperation], spec: dict[str, Any], notes: list[str]) -> None:
    """Decide every operation's ``hooks`` (see the module docstring); a name already taken is an error.

    A list whose answer the generated package does not type as a list of items stays a plain method,
    with a line in ``notes`` (the generator's warnings).
    """
    taken = {(p.name.group, m) for p in planned for m in p.name.methods}
    for item in planned:
        hooks = Hooks()
        _page(spec, item, hooks, notes)
        if item.spec.kind == "bytes" or (item.spec.kind == "json" and item.endpoint.response_type == "bytes"):
            hooks.download_method = item.name.method + "_stream"
        hooks.file_keywords = [a.keyword for a in item.arguments if "File" in _names(a.annotation)]
        if item.spec.kind in ("json", "json+sse") and item.endpoint.response_type in RESULT_CLASSES:
            hooks.result = RESULT_CLASSES[item.endpoint.response_type]
            hooks.result_statuses = item.endpoint.success_statuses
        _parse(spec, item, hooks)
        extra = [hooks.download_method, *(hooks.parse_methods or ())]
        for method in filter(None, extra):
            if (item.name.group, method) in taken:
                raise FacadeError(f"{item.spec.operation_id}: {'.'.join(item.name.group)}.{method} is already taken")
            taken.add((item.name.group, method))
        item.hooks = hooks


def _names(annotation: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(annotation, mode="eval")) if isinstance(n, ast.Name)}
