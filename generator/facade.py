"""Generate ``mistral_sdk/_resources.py``: one typed method per operation of the spec, sync and async.

    python -m generator.facade --spec mistral_sdk/_generated/openapi.json \
        --package mistral_sdk._generated --output mistral_sdk/_resources.py

Why generated: an operation added to the spec must get its method by regeneration, never by hand.
Inputs are the (preprocessed) spec, for what only it knows (operationIds, tags, which responses are
JSON, SSE, binary or empty), and the generated package, for what only it knows (Python names and types
of parameters, bodies and responses; read from its source with ``ast`` and from its attrs models).
Requests are still built by each generated endpoint's ``_get_kwargs`` and parsed by its
``_parse_response``; the facade only adds names, typed signatures, plain-value inputs (see the
runtime helpers it emits: ``_request_body``, ``_param``) and the client's pipeline.

Naming: ``generator/naming.yaml`` (operationId -> group, method, stream method); operations not in the
table get ``default_names``. The output is deterministic and ruff-formatted.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import enum
import importlib
import json
import keyword
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import attrs
import yaml

__all__ = ["FacadeName", "default_names", "facade_names", "generate", "main", "plan"]

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
NAMING_FILE = Path(__file__).with_name("naming.yaml")
CONFIG_FILE = Path(__file__).with_name("config.yaml")
# Attributes of the client classes that a root resource group must not shadow.
RESERVED_ROOT = frozenset(
    {
        "base_url",
        "chat_completion",
        "chat_completion_stream",
        "close",
        "get_model",
        "list_models",
        "max_retries",
        "request",
        "request_bytes",
        "request_bytes_raw",
        "request_raw",
        "request_stream",
        "request_stream_raw",
        "search_models",
        "send",
        "timeout",
        "with_options",
        "with_raw_response",
    }
)
_BUILTIN_TYPES = frozenset(name for name in dir(builtins) if isinstance(getattr(builtins, name), type))
_SIMPLE_NAMES = frozenset({"None", "True", "False"})


class FacadeError(Exception):
    """The spec and the generated package do not fit together (or the naming table is wrong)."""


@dataclass(frozen=True)
class FacadeName:
    """Where one operation lives on the client: ``client.<group>.<method>`` (and its streaming twin)."""

    group: tuple[str, ...]
    method: str
    stream_method: str | None = None
    call: bool = False

    @property
    def methods(self) -> tuple[str, ...]:
        return (self.method,) if self.stream_method is None else (self.method, self.stream_method)


# -- naming ----------------------------------------------------------------------------------------------


def _snake(text: str) -> str:
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    return text or "op"


def _identifier(text: str) -> str:
    name = _snake(text)
    if name[0].isdigit():
        name = "op_" + name
    if keyword.iskeyword(name) or name in ("self",):
        name += "_"
    return name


def default_names(operation_id: str, tags: Sequence[str]) -> FacadeName:
    """The name an operation gets when the naming table does not list it.

    Group: the first tag, dotted segments becoming nested groups ("beta.conversations"). Method: the
    operationId without its API-version and HTTP noise ("libraries_create_v1" -> "create" in group
    "beta.libraries"), without leading words that repeat the group's name.
    """
    group = tuple(_identifier(part) for part in (tags[0] if tags else "default").split(".") if part)
    name = _snake(operation_id)
    if "_api_v1_" in name:
        name = name.split("_api_v1_", 1)[1]
    elif "_api_routes_" in name:
        name = name.split("_api_routes_", 1)[1]
    else:
        name = re.split(r"_v\d+(?:_|$)", name, maxsplit=1)[0] or name
    words = name.split("_")
    group_words = {w for part in group for w in part.split("_")}
    group_words |= {w.rstrip("s") for w in group_words}
    while len(words) > 1 and (words[0] in group_words or words[0].rstrip("s") in group_words):
        words = words[1:]
    return FacadeName(group=group, method=_identifier("_".join(words)))


def load_naming(path: Path = NAMING_FILE) -> dict[str, FacadeName]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise FacadeError(f"{path}: expected a mapping operationId -> {{group, method}}")
    table: dict[str, FacadeName] = {}
    for op_id, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("group"), str) or not entry.get("method"):
            raise FacadeError(f"{path}: {op_id}: needs 'group' and 'method'")
        unknown = set(entry) - {"group", "method", "stream", "call"}
        if unknown:
            raise FacadeError(f"{path}: {op_id}: unknown keys {sorted(unknown)}")
        table[str(op_id)] = FacadeName(
            group=tuple(_identifier(p) for p in entry["group"].split(".")),
            method=_identifier(str(entry["method"])),
            stream_method=_identifier(str(entry["stream"])) if entry.get("stream") else None,
            call=bool(entry.get("call", False)),
        )
    return table


# -- reading the spec ------------------------------------------------------------------------------------


@dataclass
class SpecOperation:
    operation_id: str
    method: str
    path: str
    tags: list[str]
    kind: str  # "json", "none", "bytes", "sse" or "json+sse"
    sse_schema: str | None
    # An inline event schema ({event, data: $ref}) has no generated model: its data model is used instead.
    sse_data_schema: str | None = None
    summary: str = ""
    # The request body's schema (a $ref resolved), for the JSON names of its properties.
    body_schema: dict[str, Any] = field(default_factory=dict)


def load_spec(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    loaded = (
        json.loads(text)
        if path.suffix == ".json"
        else yaml.load(text, Loader=getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader)
    )
    if not isinstance(loaded, dict):
        raise FacadeError(f"{path}: not an OpenAPI document")
    return loaded


def _success(responses: dict[str, Any]) -> dict[str, Any] | None:
    codes = sorted(c for c in responses if str(c).startswith("2"))
    if not codes:
        return None
    response = responses[codes[0]]
    return response if isinstance(response, dict) else None


def spec_operations(spec: dict[str, Any]) -> list[SpecOperation]:
    found: list[SpecOperation] = []
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if not isinstance(op, dict):
                continue
            op_id = op.get("operationId")
            if not op_id:
                raise FacadeError(f"{method.upper()} {path} has no operationId")
            response = _success(op.get("responses") or {})
            content = (response or {}).get("content") or {}
            sse_schema = sse_data = None
            is_json = any(ct == "application/json" or ct.endswith("+json") for ct in content)
            if "text/event-stream" in content:
                schema = (content["text/event-stream"] or {}).get("schema") or {}
                ref = schema.get("$ref", "")
                sse_schema = ref.rsplit("/", 1)[-1] if ref else None
                data_ref = ((schema.get("properties") or {}).get("data") or {}).get("$ref", "")
                sse_data = data_ref.rsplit("/", 1)[-1] if data_ref and not ref else None
                kind = "json+sse" if is_json else "sse"
            elif is_json:
                kind = "json"
            elif content:
                kind = "bytes"
            else:
                kind = "none"
            tags = list(op.get("tags") or [])
            summary = " ".join(str(op.get("summary") or "").split())
            found.append(
                SpecOperation(
                    str(op_id), method, path, tags, kind, sse_schema, sse_data, summary, _body_schema(spec, op)
                )
            )
    return found


def _body_schema(spec: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    content = ((op.get("requestBody") or {}).get("content")) or {}
    for media in content.values():
        schema = (media or {}).get("schema") or {}
        ref = schema.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            schema = ((spec.get("components") or {}).get("schemas") or {}).get(ref.rsplit("/", 1)[-1]) or {}
        return schema if isinstance(schema, dict) else {}
    return {}


# -- reading the generated package -----------------------------------------------------------------------


@dataclass
class Param:
    name: str
    annotation: str
    required: bool
    positional: bool = False


@dataclass
class Endpoint:
    module: str
    path_params: list[Param]
    keyword_params: list[Param]
    body: Param | None
    response_type: str | None
    imports: dict[str, tuple[str, str | None]]


def _import_map(tree: ast.Module, module: str) -> dict[str, tuple[str, str | None]]:
    """Local name -> (absolute module, attribute or None for ``import x``), TYPE_CHECKING imports included."""
    package = module.rsplit(".", 1)[0]
    names: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                names[alias.asname or alias.name] = (source, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (alias.name.split(".")[0], None)
    return names


def _function(tree: ast.Module, name: str) -> ast.FunctionDef:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise FacadeError(f"no function {name}")


def _route(fn: ast.FunctionDef) -> tuple[str, str] | None:
    for node in ast.walk(fn):
        if isinstance(node, ast.Dict):
            pairs = {k.value: v for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant)}
            method, url = pairs.get("method"), pairs.get("url")
            if isinstance(url, ast.Call) and isinstance(url.func, ast.Attribute):
                url = url.func.value
            if isinstance(method, ast.Constant) and isinstance(url, ast.Constant):
                return str(method.value).lower(), str(url.value)
    return None


def _success_type(fn: ast.FunctionDef) -> str | None:
    """The Python type the generated parser returns for 2xx statuses (None when it cannot tell)."""
    types: list[str] = []
    for node in fn.body:
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)):
            continue
        code = node.test.comparators[0]
        if not (isinstance(code, ast.Constant) and isinstance(code.value, int) and 200 <= code.value < 300):
            continue
        found = _branch_type(node.body)
        if found is None:
            return None
        types.append(found)
    unique = list(dict.fromkeys(types))
    return " | ".join(unique) if unique else None


def _branch_type(body: list[ast.stmt]) -> str | None:
    first = body[0]
    if isinstance(first, ast.FunctionDef) and first.returns is not None:
        return ast.unparse(first.returns)
    if not isinstance(first, ast.Assign):
        return None
    value = first.value
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr == "from_dict" and isinstance(func.value, ast.Name):
            return func.value.id
        if isinstance(func, ast.Name) and func.id == "cast":
            if isinstance(value.args[1], ast.Constant) and value.args[1].value is None:
                return "None"
            return ast.unparse(value.args[0])
        if isinstance(func, ast.Attribute) and func.attr == "json":
            return "Any"
        if isinstance(func, ast.Name) and func.id == "File":
            return "bytes"
    if isinstance(value, ast.List):
        for stmt in body:
            if isinstance(stmt, ast.For):
                inner = _branch_type(stmt.body)
                return f"list[{inner}]" if inner else None
    return None


def _params(fn: ast.FunctionDef) -> tuple[list[Param], list[Param], Param | None]:
    positional: list[Param] = []
    keyword_only: list[Param] = []
    body: Param | None = None
    args = fn.args
    pos_defaults = [None] * (len(args.args) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip(args.args, pos_defaults, strict=True):
        positional.append(
            Param(arg.arg, ast.unparse(arg.annotation) if arg.annotation else "Any", default is None, True)
        )
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        param = Param(arg.arg, ast.unparse(arg.annotation) if arg.annotation else "Any", kw_default is None)
        if arg.arg == "body":
            body = param
        else:
            keyword_only.append(param)
    return positional, keyword_only, body


def scan_package(package: str) -> dict[tuple[str, str], Endpoint]:
    """(method, url) -> generated endpoint, for every module under ``<package>/api``."""
    pkg = importlib.import_module(package)
    root = Path(next(iter(pkg.__path__))) / "api"
    endpoints: dict[tuple[str, str], Endpoint] = {}
    for file in sorted(root.glob("*/*.py")):
        if file.name == "__init__.py":
            continue
        module = f"{package}.api.{file.parent.name}.{file.stem}"
        tree = ast.parse(file.read_text(encoding="utf-8"))
        get_kwargs = _function(tree, "_get_kwargs")
        route = _route(get_kwargs)
        if route is None:
            raise FacadeError(f"{module}: cannot read method and url from _get_kwargs")
        path_params, keyword_params, body = _params(get_kwargs)
        endpoints[route] = Endpoint(
            module=module,
            path_params=path_params,
            keyword_params=keyword_params,
            body=body,
            response_type=_success_type(_function(tree, "_parse_response")),
            imports=_import_map(tree, module),
        )
    return endpoints


# -- planning --------------------------------------------------------------------------------------------


@dataclass
class BodyField:
    name: str  # the facade's parameter name (= the attrs init alias)
    annotation: str
    required: bool
    # The generated ``from_dict`` pops it without a default (required by the spec, even if the model has one).
    decoder_needs: bool = False


@dataclass
class PlannedOperation:
    spec: SpecOperation
    name: FacadeName
    endpoint: Endpoint
    # Body passed as keyword arguments mirroring the model's fields; else as one ``body`` parameter.
    body_model: tuple[str, str] | None = None
    body_fields: list[BodyField] = field(default_factory=list)
    # parameter name -> the property's name in the API's JSON (they differ for "type" -> ``type_``)
    body_keys: dict[str, str] = field(default_factory=dict)
    sse_model: tuple[str, str] | None = None
    sse_inline: bool = False  # sse_model is the model of the events' data, not of the whole event
    stream_item: str = "Any"


_RESERVED_LOCALS = frozenset({"self", "body", "req"})


def _model_fields(module: str, cls_name: str) -> tuple[list[BodyField], dict[str, tuple[str, str | None]]] | None:
    mod = importlib.import_module(module)
    cls = getattr(mod, cls_name, None)
    if cls is None or not attrs.has(cls):
        return None
    source = Path(mod.__file__ or "").read_text(encoding="utf-8")
    tree = ast.parse(source)
    node = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls_name), None)
    if node is None:
        return None
    annotations = {
        stmt.target.id: ast.unparse(stmt.annotation)
        for stmt in node.body
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
    }
    fields: list[BodyField] = []
    for attribute in attrs.fields(cls):
        if not attribute.init:
            continue
        if attribute.name not in annotations:
            return None
        fields.append(BodyField(attribute.alias, annotations[attribute.name], attribute.default is attrs.NOTHING))
    return fields, _import_map(tree, module)


def plan(spec: dict[str, Any], package: str, naming: dict[str, FacadeName] | None = None) -> list[PlannedOperation]:
    """Match every spec operation to its generated endpoint and give it a facade name."""
    table = load_naming() if naming is None else naming
    endpoints = scan_package(package)
    planned: list[PlannedOperation] = []
    missing: list[str] = []
    for op in spec_operations(spec):
        endpoint = endpoints.get((op.method, op.path))
        if endpoint is None:
            missing.append(f"{op.operation_id} ({op.method.upper()} {op.path})")
            continue
        name = table.get(op.operation_id) or default_names(op.operation_id, op.tags)
        if op.kind == "json+sse" and name.stream_method is None:
            name = FacadeName(name.group, name.method, name.method + "_stream", name.call)
        item = PlannedOperation(op, name, endpoint)
        _plan_body(item, package)
        _plan_stream(item, package)
        planned.append(item)
    if missing:
        raise FacadeError("operations without a generated endpoint module: " + ", ".join(missing))
    _resolve_conflicts(planned)
    return sorted(planned, key=lambda p: (p.name.group, p.name.method))


def _plan_body(item: PlannedOperation, package: str) -> None:
    body = item.endpoint.body
    if body is None or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", body.annotation):
        return
    source = item.endpoint.imports.get(body.annotation)
    if source is None or source[1] is None:
        return
    loaded = _model_fields(source[0], source[1])
    if loaded is None:
        return
    fields, imports = loaded
    taken = {p.name for p in item.endpoint.path_params + item.endpoint.keyword_params} | _RESERVED_LOCALS
    if any(f.name in taken or f.name.startswith("_") for f in fields):
        return
    item.body_model = (source[0], source[1])
    item.body_fields = fields
    item.body_keys = _json_keys(item.spec.body_schema, [f.name for f in fields])
    # The generated decoder needs every property the spec requires, even one the model gives a default.
    spec_required = set(item.spec.body_schema.get("required") or [])
    for body_field in fields:
        body_field.decoder_needs = body_field.required or item.body_keys[body_field.name] in spec_required
    item.endpoint.imports = {**imports, **item.endpoint.imports}


def _json_keys(schema: dict[str, Any], names: list[str]) -> dict[str, str]:
    """Facade parameter -> JSON property, by the generator's own naming rule (identity when unknown)."""
    from openapi_python_client.strings import PythonIdentifier

    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8")) or {}
    prefix = str(config.get("field_prefix", "field_"))
    known = {str(PythonIdentifier(str(prop), prefix)): str(prop) for prop in schema.get("properties") or {}}
    return {name: known.get(name, name) for name in names}


def _plan_stream(item: PlannedOperation, package: str) -> None:
    if item.spec.kind not in ("sse", "json+sse"):
        return
    models = importlib.import_module(f"{package}.models")
    schema = item.spec.sse_schema
    if not schema:
        # Inline event schema: events are parsed by an envelope around the data model (see _resources).
        data = item.spec.sse_data_schema
        data_cls = getattr(models, data, None) if data else None
        if data_cls is None:
            raise FacadeError(f"{item.spec.operation_id}: event stream schema is neither a $ref nor {{data: $ref}}")
        item.sse_model = (data_cls.__module__, data_cls.__name__)
        item.sse_inline = True
        item.stream_item = "StreamEvent[Any]"
        return
    cls = getattr(models, schema, None)
    if cls is None:
        raise FacadeError(f"{item.spec.operation_id}: no generated model {schema} for its event stream")
    item.sse_model = (cls.__module__, cls.__name__)
    from mistral_sdk._streaming import COMPLETION_CHUNK_DECODER, decoder_for

    if decoder_for(cls) is COMPLETION_CHUNK_DECODER:
        item.stream_item = "CompletionStreamChunk"
    else:
        item.stream_item = "StreamEvent[Any]"


def _resolve_conflicts(planned: list[PlannedOperation]) -> None:
    """Two operations wanting one name: the later operationId gets its full snake-case id as method name."""
    used: dict[tuple[tuple[str, ...], str], str] = {}
    groups = {p.name.group for p in planned}
    for item in sorted(planned, key=lambda p: p.spec.operation_id):
        name = item.name
        if len(name.group) == 1 and name.group[0] in RESERVED_ROOT:
            raise FacadeError(f"{item.spec.operation_id}: group {name.group[0]!r} would shadow a client attribute")
        subgroups = {
            g[len(name.group)] for g in groups if len(g) > len(name.group) and g[: len(name.group)] == name.group
        }
        methods = list(name.methods)
        for index, method in enumerate(methods):
            if (name.group, method) in used or method in subgroups or method.startswith("_"):
                methods[index] = _identifier(item.spec.operation_id) + ("_stream" if index else "")
            if (name.group, methods[index]) in used:
                other = used[(name.group, methods[index])]
                raise FacadeError(f"{item.spec.operation_id} and {other} both map to {name.group}.{methods[index]}")
            used[(name.group, methods[index])] = item.spec.operation_id
        item.name = FacadeName(name.group, methods[0], methods[1] if len(methods) > 1 else None, name.call)


def facade_names(spec: dict[str, Any], package: str) -> dict[str, FacadeName]:
    """operationId -> facade name, for every operation of the spec (what the coverage test walks)."""
    return {p.spec.operation_id: p.name for p in plan(spec, package)}


# -- rendering -------------------------------------------------------------------------------------------


class _Names:
    """The names the facade's annotations use, imported for the type checker only."""

    def __init__(self) -> None:
        self.imports: dict[str, tuple[str, str | None]] = {}

    def add(self, local: str, source: tuple[str, str | None]) -> None:
        known = self.imports.get(local)
        if known is not None and known != source:
            raise FacadeError(f"two different types named {local}: {known} and {source}")
        self.imports[local] = source

    def annotation(self, text: str, imports: dict[str, tuple[str, str | None]], shadowed: Iterable[str]) -> str:
        """Check every name of ``text`` is importable, record it, and qualify builtins a method shadows."""
        tree = ast.parse(text, mode="eval")
        shadow = set(shadowed)

        class Qualify(ast.NodeTransformer):
            def visit_Name(self, node: ast.Name) -> ast.AST:
                if node.id in shadow and node.id in _BUILTIN_TYPES:
                    return ast.copy_location(
                        ast.Attribute(value=ast.Name("builtins", ast.Load()), attr=node.id, ctx=ast.Load()), node
                    )
                return node

        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                if node.id in _SIMPLE_NAMES or node.id in _BUILTIN_TYPES:
                    continue
                if node.id in ("Any", "Unset", "APIResponse", "Sequence", "Literal", "Mapping"):
                    continue
                source = imports.get(node.id)
                if source is None:
                    raise FacadeError(f"cannot resolve the name {node.id!r} in annotation {text!r}")
                self.add(node.id, source)
        return ast.unparse(_none_last(Qualify().visit(tree)))


def _widen_lists(text: str) -> tuple[str, bool]:
    """``list[X] | None`` -> ``Sequence[X] | None`` (top level only: nested lists stay what the model wants)."""
    tree = ast.parse(text, mode="eval")
    members = _union_members(tree.body)
    changed = False
    for member in members:
        if isinstance(member, ast.Subscript) and isinstance(member.value, ast.Name) and member.value.id == "list":
            member.value.id = "Sequence"
            changed = True
    return (ast.unparse(tree), changed) if changed else (text, False)


def _plain_kind(name: str, imports: dict[str, tuple[str, str | None]]) -> tuple[str, list[Any]] | None:
    """("enum", its values) or ("model", []) for a generated enum or model class named in an annotation."""
    source = imports.get(name)
    if source is None or source[1] is None:
        return None
    cls = getattr(importlib.import_module(source[0]), source[1], None)
    if not isinstance(cls, type):
        return None
    if issubclass(cls, enum.Enum):
        return "enum", [member.value for member in cls]
    if hasattr(cls, "from_dict"):
        return "model", []
    return None


def _accept_plain(text: str, imports: dict[str, tuple[str, str | None]]) -> tuple[str, set[str]]:
    """Widen an argument's type so plain values type-check: an enum also takes its values as a ``Literal``,
    models (alone, in a union, or as the items of a top-level ``Sequence``) also take a ``Mapping[str, Any]``.

    Only covariant places are widened (the top-level union and ``Sequence`` items): widening inside an
    invariant ``list`` or ``dict`` would stop accepting the model-typed values callers pass today.
    Returns the new text and the extra names it uses.
    """
    used: set[str] = set()

    def widen(node: ast.expr) -> ast.expr:
        members = _union_members(node)
        out: list[ast.expr] = []
        last_model = -1
        for member in members:
            if (
                isinstance(member, ast.Subscript)
                and isinstance(member.value, ast.Name)
                and member.value.id == "Sequence"
            ):
                member.slice = widen(member.slice)
                out.append(member)
                continue
            kind = _plain_kind(member.id, imports) if isinstance(member, ast.Name) else None
            out.append(member)
            if kind is None:
                continue
            if kind[0] == "model":
                last_model = len(out) - 1
            elif kind[1]:
                values: list[ast.expr] = [ast.Constant(v) for v in kind[1]]
                out.append(
                    ast.Subscript(
                        value=ast.Name("Literal", ast.Load()),
                        slice=ast.Tuple(values, ast.Load()) if len(values) > 1 else values[0],
                        ctx=ast.Load(),
                    )
                )
                used.add("Literal")
        if last_model >= 0:
            mapping = ast.parse("Mapping[str, Any]", mode="eval").body
            out.insert(last_model + 1, mapping)
            used.add("Mapping")
        result = out[0]
        for member in out[1:]:
            result = ast.BinOp(left=result, op=ast.BitOr(), right=member)
        return result

    tree = ast.parse(text, mode="eval")
    tree.body = widen(tree.body)
    return (ast.unparse(tree), used) if used else (text, used)


def _needs_runtime(text: str, imports: dict[str, tuple[str, str | None]]) -> bool:
    """Whether an argument of this type may need decoding (an enum or a model somewhere in it)."""
    tree = ast.parse(text, mode="eval")
    return any(isinstance(n, ast.Name) and _plain_kind(n.id, imports) is not None for n in ast.walk(tree))


def _union_members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_members(node.left) + _union_members(node.right)
    return [node]


def _none_last(node: ast.AST) -> ast.AST:
    """``None | str`` -> ``str | None`` at every level (the project's lint rule RUF036)."""
    for child in ast.walk(node):
        for name, value in ast.iter_fields(child):
            if isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr):
                setattr(child, name, _reorder(value))
    if isinstance(node, ast.Expression):
        return node
    return _reorder(node) if isinstance(node, ast.BinOp) else node


def _reorder(union: ast.BinOp) -> ast.expr:
    members = _union_members(union)
    is_none = [isinstance(m, ast.Constant) and m.value is None for m in members]
    ordered = [m for m, n in zip(members, is_none, strict=True) if not n] + [
        m for m, n in zip(members, is_none, strict=True) if n
    ]
    result = ordered[0]
    for member in ordered[1:]:
        result = ast.BinOp(left=result, op=ast.BitOr(), right=member)
    return result


def _class_name(group: tuple[str, ...]) -> str:
    return "".join(part.title().replace("_", "") for part in group)


@dataclass
class _Variant:
    is_async: bool
    raw: bool

    @property
    def suffix(self) -> str:
        return "WithRawResponse" if self.raw else ""

    def cls(self, group: tuple[str, ...]) -> str:
        return ("Async" if self.is_async else "") + _class_name(group) + self.suffix


VARIANTS = (_Variant(False, False), _Variant(True, False), _Variant(False, True), _Variant(True, True))


def _method_source(
    item: PlannedOperation, variant: _Variant, names: _Names, shadowed: set[str], *, stream: bool, call: bool = False
) -> str:
    ep = item.endpoint
    imports = ep.imports

    def ann(text: str) -> str:
        return names.annotation(text, imports, shadowed)

    widened: set[str] = set()

    def plain(text: str) -> str:
        text, used = _accept_plain(text, imports)
        if "Literal" in used:
            names.add("Literal", ("typing", "Literal"))
        if "Mapping" in used:
            names.add("Mapping", ("collections.abc", "Mapping"))
        return text

    def arg_ann(name: str, text: str) -> str:
        """Parameters accept any sequence where the model wants a list (lists are invariant for mypy),
        and plain values (strings for enums, mappings for models)."""
        text, changed = _widen_lists(text)
        if changed:
            widened.add(name)
            names.add("Sequence", ("collections.abc", "Sequence"))
        return ann(plain(text))

    def value(name: str) -> str:
        return f"_as_list({name})" if name in widened else name

    def checked(param: Param) -> str:
        """A path or query argument: checked against its type, enum strings and mappings decoded."""
        ann(param.annotation)  # the runtime check resolves these names through _TYPE_IMPORTS
        return f"_param({param.name!r}, {value(param.name)}, {param.annotation!r})"

    signature: list[str] = ["self"]
    positional_args: list[str] = []
    for param in ep.path_params:
        # The API's own ids arrive as strings (e.g. ``BatchJobOut.id``); a path takes either form.
        path_annotation = "UUID | str" if param.annotation == "UUID" else param.annotation
        signature.append(f"{param.name}: {ann(plain(path_annotation))}")
        if path_annotation != param.annotation:
            positional_args.append(f"{param.name}=_as_uuid({param.name!r}, {param.name})")
        elif _needs_runtime(param.annotation, imports):
            positional_args.append(f"{param.name}={checked(param)}")
        else:
            positional_args.append(f"{param.name}={param.name}")
    keyword_sig: list[str] = []
    optional_sig: list[str] = []
    given: list[str] = []
    required_kw: list[str] = []

    def optional(name: str, annotation: str) -> str:
        text = arg_ann(name, annotation)
        return text if "Unset" in text.split(" | ") else text + " | Unset"

    body_lines: list[str] = []
    if call:
        # Go parity: ``client.embeddings(req)`` sends a prepared request model.
        assert item.body_model is not None
        names.add(item.body_model[1], item.body_model)
        signature.append(f"req: {item.body_model[1]}")
        body_expr = "req"
    elif item.body_model is not None:
        names.add(item.body_model[1], item.body_model)
        body_given: list[str] = []
        # The operation decides whether the answer streams: a ``stream`` field is never the caller's to set
        # (``start_stream(stream=False)`` would reach the JSON operation and break the stream).
        fixed_stream = {"json+sse": stream, "sse": "True", "json": "False"}.get(item.spec.kind)
        has_stream_field = any(f.name == "stream" for f in item.body_fields)
        for body_field in item.body_fields:
            if body_field.name == "stream" and fixed_stream is not None:
                continue
            if body_field.required:
                keyword_sig.append(f"{body_field.name}: {arg_ann(body_field.name, body_field.annotation)}")
            else:
                optional_sig.append(f"{body_field.name}: {optional(body_field.name, body_field.annotation)} = UNSET")
            body_given.append(f"{body_field.name}={value(body_field.name)}")
        if item.spec.kind == "json+sse" or (has_stream_field and fixed_stream is not None):
            body_given.append(f"stream={fixed_stream}")
        module, cls = item.body_model
        body_lines.append(f"from {module} import {cls} as _Body")
        body_lines.append(f"_body = _request_body(_Body, _BODY_FIELDS[{cls!r}], _given({', '.join(body_given)}))")
        body_expr = "_body"
    elif ep.body is not None:
        entry = f"body: {ann(ep.body.annotation)}"
        (keyword_sig if ep.body.required else optional_sig).append(entry if ep.body.required else entry + " = UNSET")
        body_expr = "body"
        if item.spec.kind == "json+sse":
            body_lines.append(f"_body = _with_stream(body, {stream})")
            body_expr = "_body"
    else:
        body_expr = ""
    for param in ep.keyword_params:
        if param.required:
            keyword_sig.append(f"{param.name}: {arg_ann(param.name, param.annotation)}")
            required_kw.append(f"{param.name}={checked(param)}")
        else:
            optional_sig.append(f"{param.name}: {optional(param.name, param.annotation)} = UNSET")
            given.append(f"{param.name}={checked(param)}")
    if keyword_sig or optional_sig:
        signature.append("*")
        signature.extend(keyword_sig + optional_sig)

    call_args = list(positional_args)
    if body_expr:
        call_args.append(f"body={body_expr}")
    call_args.extend(required_kw)
    if given:
        call_args.append(f"**_given({', '.join(given)})")

    is_stream = item.spec.kind == "sse" or (item.spec.kind == "json+sse" and stream)
    aw = "await " if variant.is_async else ""
    # An async stream method is a plain ``def`` returning a PendingAsyncStream, so that both
    # ``async with client.chat.stream(...)`` and ``await client.chat.stream(...)`` work.
    pending = is_stream and variant.is_async and not variant.raw
    client_call: str
    if is_stream:
        assert item.sse_model is not None
        names.add(item.sse_model[1], item.sse_model)
        stream_cls = ("AsyncStream" if variant.is_async else "Stream") + f"[{item.stream_item}]"
        result_type = f"APIResponse[{stream_cls}]" if variant.raw else stream_cls
        if item.sse_inline:
            body_lines.append(f"from {item.sse_model[0]} import {item.sse_model[1]} as _Data")
            body_lines.append("_Event = _inline_event(_Data)")
        else:
            body_lines.append(f"from {item.sse_model[0]} import {item.sse_model[1]} as _Event")
        method = "request_stream_raw" if variant.raw else "request_stream"
        client_call = f"{aw}self._client.{method}(_kwargs, _Event)"
        if pending:
            result_type = f"PendingAsyncStream[{item.stream_item}]"
            body_lines.append("from mistral_sdk._streaming import PendingAsyncStream")
            client_call = f"PendingAsyncStream(self._client.{method}(_kwargs, _Event))"
    else:
        response_type = ep.response_type if item.spec.kind not in ("bytes", "none") else None
        if item.spec.kind == "bytes" or response_type == "bytes":
            result_type = "bytes"
            method = "request_bytes_raw" if variant.raw else "request_bytes"
            client_call = f"{aw}self._client.{method}(_kwargs)"
        elif item.spec.kind == "none":
            result_type = "None"
            method = "request_raw" if variant.raw else "request"
            client_call = f"{aw}self._client.{method}(_kwargs, _ep._parse_response, allow_none=True)"
        else:
            if response_type is None:
                raise FacadeError(f"{item.spec.operation_id}: cannot tell the type of its success response")
            result_type = ann(response_type)
            allow_none = "True" if "None" in result_type.split(" | ") else "False"
            method = "request_raw" if variant.raw else "request"
            client_call = f"{aw}self._client.{method}(_kwargs, _ep._parse_response, allow_none={allow_none})"
        if variant.raw:
            result_type = f"APIResponse[{result_type}]"

    name = (
        "__call__"
        if call
        else (item.name.stream_method if stream and item.spec.kind == "json+sse" else item.name.method)
    )
    package, _, module_name = ep.module.rpartition(".")
    doc = f"``{item.spec.method.upper()} {item.spec.path}`` (operationId ``{item.spec.operation_id}``)."
    summary = item.spec.summary.replace("\\", "\\\\").replace('"', "'").rstrip(".")
    if summary:
        doc = f"{summary}: {doc}"
    if is_stream:
        doc += " Returns the event stream; use it as a context manager."
    lines = [
        f"{'async ' if variant.is_async and not pending else ''}def {name}({', '.join(signature)}) -> {result_type}:",
        f'    """{doc}"""',
        f"    from {package} import {module_name} as _ep",
        *(f"    {line}" for line in body_lines),
        f"    _kwargs = _ep._get_kwargs({', '.join(call_args)})",
        f"    _result: {result_type} = {client_call}",
        "    return _result",
    ]
    return "\n".join(lines)


@dataclass
class _Group:
    path: tuple[str, ...]
    operations: list[PlannedOperation] = field(default_factory=list)
    children: list[str] = field(default_factory=list)


def _groups(planned: list[PlannedOperation]) -> dict[tuple[str, ...], _Group]:
    groups: dict[tuple[str, ...], _Group] = {}
    for item in planned:
        path = item.name.group
        groups.setdefault(path, _Group(path)).operations.append(item)
        for depth in range(len(path) - 1, -1, -1):
            parent = groups.setdefault(path[:depth], _Group(path[:depth]))
            if path[depth] not in parent.children:
                parent.children.append(path[depth])
            path = path[:depth]
    for group in groups.values():
        group.children.sort()
    return groups


HEADER = '''# Generated by generator/facade.py from the OpenAPI description and the generated package.
# Do not edit: change the spec or generator/naming.yaml and regenerate (scripts/regenerate.sh).
# ruff: noqa: E501
"""The typed facade: every operation of the API as a method of a resource group, sync and async.

``client.<group>.<method>(...)`` builds the request with the generated endpoint's ``_get_kwargs`` and
sends it through the client's pipeline (retries, timeouts, typed errors); ``client.with_raw_response``
offers the same methods returning ``APIResponse`` (status, headers, parsed body). Generated modules
are imported inside each method, so importing this module stays cheap.

Arguments take plain values as well as generated types: an enum's string (``purpose="batch"``), a
mapping for a model (``messages=[{"role": "user", "content": "hi"}]``). Every argument is checked
against its declared type before anything is sent; plain values are decoded by the request model's
generated ``from_dict``, and a key it would drop (a closed schema) is refused, so a typo is an error.
"""

from __future__ import annotations

import builtins
import collections.abc as _abc
import datetime as _datetime
import enum as _enum
import functools
import importlib
from functools import cached_property
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from mistral_sdk._base_client import APIResponse, AsyncAPIClient, SyncAPIClient
from {package}.types import UNSET, Unset
from {package}.types import File as _File

'''

HELPERS = '''
_T = TypeVar("_T")


def _given(**values: Any) -> dict[str, Any]:
    """Only the arguments the caller gave, so the generated code's own defaults apply to the rest."""
    return {name: value for name, value in values.items() if not isinstance(value, Unset)}


def _as_list(value: Any) -> Any:
    """A caller's tuple (or other sequence) becomes the list the generated model serializes.

    Anything else is left to the type check: a mapping or a model where a union also allows one item
    must not be turned into a list of its keys.
    """
    if isinstance(value, _abc.Sequence) and not isinstance(value, list | str | bytes | bytearray):
        return list(value)
    return value


def _as_uuid(name: str, value: Any) -> Any:
    """A UUID path argument given as the string the API returned becomes a UUID (a malformed one is an error)."""
    if not isinstance(value, str):
        return value
    from uuid import UUID

    try:
        return UUID(value)
    except ValueError:
        raise ValueError(f"{name}: not a UUID: {value!r}") from None


def _with_stream(body: _T, stream: bool) -> _T:
    import attrs

    if attrs.has(type(body)) and "stream" in attrs.fields_dict(type(body)):  # type: ignore[arg-type]
        evolved: _T = attrs.evolve(body, stream=stream)  # type: ignore[misc]
        return evolved
    return body


@functools.cache
def _inline_event(data_model: type[Any]) -> type[Any]:
    """An event envelope for streams whose event schema is inline (no generated model of its own)."""

    class Event:
        def __init__(self, event: str, data: Any) -> None:
            self.event = event
            self.data = data

        @classmethod
        def from_dict(cls, src: dict[str, Any]) -> Event:
            return cls(src.get("event", "message"), data_model.from_dict(src["data"]))

    Event.__name__ = Event.__qualname__ = data_model.__name__ + "Event"
    return Event


def operation_module(operation_id: str) -> ModuleType:
    """The generated endpoint module of an operation (for the client's Go-parity shortcuts)."""
    return importlib.import_module(MODULES[operation_id])


def type_namespace() -> dict[str, Any]:
    """Every name the facade's annotations use, imported for real (for introspection and tests)."""
    namespace: dict[str, Any] = {"builtins": builtins, "Any": Any, "Unset": Unset, "APIResponse": APIResponse}
    for local, (module, attribute) in _TYPE_IMPORTS.items():
        loaded = importlib.import_module(module)
        namespace[local] = getattr(loaded, attribute) if attribute else loaded
    return namespace


# ---- plain inputs: enums as strings, models as mappings, checked before anything is sent ----

_BAD, _KEEP, _DECODE = 0, 1, 2


class _Type:
    """A declared type compiled once: whether a value fits it as is, fits once decoded, or does not fit."""

    label = "any value"
    plain = ""  # the plain value also accepted ("mapping" for a model, "str" for an enum)
    trivial = True

    def accepts(self, value: Any) -> int:
        return _KEEP

    def convert(self, value: Any, path: str) -> Any:
        return value

    def locate(self, value: Any, path: str, state: int = _BAD) -> tuple[str, _Type, Any]:
        """The innermost place where ``value`` is in ``state`` (does not fit, or is still undecoded)."""
        return path, self, value


class _Instance(_Type):
    trivial = False

    def __init__(self, types: tuple[type, ...], label: str) -> None:
        self.types = types
        self.label = label
        self.no_bool = bool not in types and any(issubclass(bool, t) for t in types)

    def accepts(self, value: Any) -> int:
        if isinstance(value, self.types) and not (self.no_bool and isinstance(value, bool)):
            return _KEEP
        return _BAD


class _Const(_Type):
    trivial = False

    def __init__(self, values: tuple[Any, ...], label: str) -> None:
        self.values = values
        self.label = label

    def accepts(self, value: Any) -> int:
        return _KEEP if any(value is v or (type(value) is type(v) and value == v) for v in self.values) else _BAD


class _Enum(_Type):
    trivial = False

    def __init__(self, cls: type[_enum.Enum]) -> None:
        self.cls = cls
        self.raw: type = int if issubclass(cls, int) else str
        self.label = cls.__name__
        self.plain = self.raw.__name__

    def accepts(self, value: Any) -> int:
        if isinstance(value, self.cls):
            return _KEEP
        return _DECODE if isinstance(value, self.raw) and not isinstance(value, bool) else _BAD

    def convert(self, value: Any, path: str) -> Any:
        # Our enums are open: a value this SDK does not know yet becomes an unnamed member and is sent.
        return value if isinstance(value, self.cls) else self.cls(value)


class _Model(_Type):
    trivial = False

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.label = cls.__name__
        self.plain = "mapping"

    def accepts(self, value: Any) -> int:
        if isinstance(value, self.cls):
            return _KEEP
        return _DECODE if isinstance(value, _abc.Mapping) else _BAD

    def convert(self, value: Any, path: str) -> Any:
        if isinstance(value, self.cls):
            return value
        sent = _jsonable(value)
        decoder: Any = self.cls
        try:
            decoded = decoder.from_dict(sent)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"{path}: cannot be read as {self.cls.__name__}: {type(exc).__name__}: {exc}") from exc
        _verify(self, decoded, path)
        _refuse_dropped(decoded, path)
        return decoded


class _List(_Type):
    trivial = False

    def __init__(self, item: _Type) -> None:
        self.item = item
        self.label = f"list[{_with_plain(item)}]"

    @staticmethod
    def shaped(value: Any) -> bool:
        return isinstance(value, _abc.Sequence) and not isinstance(value, str | bytes | bytearray)

    def accepts(self, value: Any) -> int:
        if not self.shaped(value):
            return _BAD
        if self.item.trivial:
            return _KEEP
        result = _KEEP
        for item in value:
            state = self.item.accepts(item)
            if state == _BAD:
                return _BAD
            result = max(result, state)
        return result

    def convert(self, value: Any, path: str) -> Any:
        return [self.item.convert(item, f"{path}[{index}]") for index, item in enumerate(value)]

    def locate(self, value: Any, path: str, state: int = _BAD) -> tuple[str, _Type, Any]:
        if self.shaped(value):
            for index, item in enumerate(value):
                if self.item.accepts(item) == state:
                    return self.item.locate(item, f"{path}[{index}]", state)
        return path, self, value


class _Dict(_Type):
    trivial = False

    def __init__(self, item: _Type) -> None:
        self.item = item
        self.label = f"mapping of {_with_plain(item)}"

    def accepts(self, value: Any) -> int:
        if not isinstance(value, _abc.Mapping):
            return _BAD
        if self.item.trivial:
            return _KEEP
        result = _KEEP
        for item in value.values():
            state = self.item.accepts(item)
            if state == _BAD:
                return _BAD
            result = max(result, state)
        return result

    def convert(self, value: Any, path: str) -> Any:
        return {key: self.item.convert(item, f"{path}[{key!r}]") for key, item in value.items()}

    def locate(self, value: Any, path: str, state: int = _BAD) -> tuple[str, _Type, Any]:
        if isinstance(value, _abc.Mapping):
            for key, item in value.items():
                if self.item.accepts(item) == state:
                    return self.item.locate(item, f"{path}[{key!r}]", state)
        return path, self, value


class _Union(_Type):
    trivial = False

    def __init__(self, members: list[_Type]) -> None:
        self.members = members
        self.label = " | ".join(m.label for m in members if m.label != "Unset")
        self.plain = " | ".join(dict.fromkeys(m.plain for m in members if m.plain))
        # One isinstance for the common case: a value of one of the member classes.
        self.classes = tuple(m.cls for m in members if isinstance(m, _Model | _Enum))

    def pick(self, value: Any) -> _Type | None:
        """The member a decoded value belongs to, by its class or shape (containers are not walked)."""
        for member in self.members:
            if isinstance(member, _List):
                if _List.shaped(value):
                    return member
            elif isinstance(member, _Dict):
                if isinstance(value, _abc.Mapping):
                    return member
            elif isinstance(member, _Model):
                if isinstance(value, member.cls):
                    return member
            elif member.accepts(value) == _KEEP:
                return member
        return None

    def accepts(self, value: Any) -> int:
        if isinstance(value, self.classes):
            return _KEEP
        result = _BAD
        for member in self.members:
            state = member.accepts(value)
            if state == _KEEP:
                return _KEEP
            result = max(result, state)
        return result

    def convert(self, value: Any, path: str) -> Any:
        decodes = None
        for member in self.members:
            state = member.accepts(value)
            if state == _KEEP:
                return value
            if state == _DECODE and decodes is None:
                decodes = member
        return value if decodes is None else decodes.convert(value, path)

    def locate(self, value: Any, path: str, state: int = _BAD) -> tuple[str, _Type, Any]:
        containers = [
            m
            for m in self.members
            if (isinstance(m, _List) and _List.shaped(value)) or (isinstance(m, _Dict) and isinstance(value, _abc.Mapping))
        ]
        return containers[0].locate(value, path, state) if len(containers) == 1 else (path, self, value)


def _with_plain(declared: _Type) -> str:
    return f"{declared.label} | {declared.plain}" if declared.plain else declared.label


_SCALARS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (float, int),
    "bool": (bool,),
    "bytes": (bytes,),
}


def _compile(node: Any, resolve: _abc.Callable[[str], Any]) -> _Type:
    """A type from an annotation's syntax tree; ``resolve`` finds the classes it names."""
    import ast

    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members: list[_Type] = []
        for side in (node.left, node.right):
            compiled = _compile(side, resolve)
            members.extend(compiled.members if isinstance(compiled, _Union) else [compiled])
        if any(m.trivial for m in members):
            return _Type()
        return _Union(members)
    if isinstance(node, ast.Constant) and node.value is None:
        return _Const((None,), "None")
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name | ast.Attribute):
        outer = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
        if outer in ("list", "Sequence"):
            return _List(_compile(node.slice, resolve))
        if outer in ("dict", "Mapping") and isinstance(node.slice, ast.Tuple):
            return _Dict(_compile(node.slice.elts[1], resolve))
        if outer == "Literal":
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            values = tuple(ast.literal_eval(item) for item in items)
            return _Const(values, " | ".join(repr(v) for v in values))
        return _Type()
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
    if name is None or name == "Any":
        return _Type()
    if name in _SCALARS:
        return _Instance(_SCALARS[name], name)
    if name == "Unset":
        return _Instance((Unset,), "Unset")
    if name == "File":
        return _Instance((_File,), "File")
    cls = resolve(name)
    if not isinstance(cls, type):
        return _Type()
    if issubclass(cls, _enum.Enum):
        return _Enum(cls)
    if hasattr(cls, "from_dict"):
        return _Model(cls)
    if cls.__name__ == "UUID":
        return _Instance((cls, str), "UUID or str")
    return _Instance((cls,), cls.__name__)


def _facade_name(name: str) -> Any:
    source = _TYPE_IMPORTS.get(name)
    if source is None or source[1] is None:
        return None
    return getattr(importlib.import_module(source[0]), source[1])


@functools.cache
def _declared(annotation: str) -> _Type:
    """A facade parameter's declared type (names resolved through ``_TYPE_IMPORTS``), compiled once."""
    import ast

    return _compile(ast.parse(annotation, mode="eval").body, _facade_name)


@functools.cache
def _fields_of(cls: type) -> tuple[tuple[str, str, _Type], ...]:
    """A generated model's fields: (attribute, JSON-ish name for messages, declared type), compiled once."""
    import ast
    import sys

    import attrs

    module = sys.modules[cls.__module__]
    package = importlib.import_module(cls.__module__.rpartition(".")[0])

    def resolve(name: str) -> Any:
        found = getattr(module, name, None)
        return found if found is not None else getattr(package, name, None)

    fields: list[tuple[str, str, _Type]] = []
    for field in attrs.fields(cls):
        if field.init and isinstance(field.type, str):
            declared = _compile(ast.parse(field.type, mode="eval").body, resolve)
            fields.append((field.name, field.name.rstrip("_") or field.name, declared))
    return tuple(fields)


def _consts(cls: type) -> list[tuple[str, Any]]:
    """The fields a model pins to one value (its discriminator, e.g. ``role: Literal["user"]``)."""
    pinned: list[tuple[str, Any]] = []
    for _, key, declared in _fields_of(cls):
        members = declared.members if isinstance(declared, _Union) else [declared]
        for member in members:
            if isinstance(member, _Const) and len(member.values) == 1 and member.values[0] is not None:
                pinned.append((key, member.values[0]))
    return pinned


def _verify(declared: _Type, value: Any, path: str) -> None:
    """Walk a decoded argument: every value has its declared type and nothing was left undecoded.

    The generated decoder keeps what it cannot decode as the raw value (its union fallback) or as an
    unknown variant; both would be sent as given. One pass, each value looked at once.
    """
    if declared.trivial:
        return
    if isinstance(declared, _Union):
        if type(value).__name__ == "UnknownVariant":
            _refuse_claimed(declared, value, path)
            return
        member = declared.pick(value)
        if member is None:
            if declared.accepts(value) == _BAD:
                raise _mismatch(path, declared, value)
            raise _undecoded(path, declared, value)
        declared = member
    if isinstance(declared, _List):
        if not _List.shaped(value):
            raise _mismatch(path, declared, value)
        if not declared.item.trivial:
            for index, item in enumerate(value):
                _verify(declared.item, item, f"{path}[{index}]")
    elif isinstance(declared, _Dict):
        if not isinstance(value, _abc.Mapping):
            raise _mismatch(path, declared, value)
        if not declared.item.trivial:
            for key, item in value.items():
                _verify(declared.item, item, f"{path}[{key!r}]")
    elif isinstance(declared, _Model) and isinstance(value, declared.cls):
        for attribute, key, field in _fields_of(declared.cls):
            if not field.trivial:
                _verify(field, getattr(value, attribute), f"{path}.{key}")
    else:
        state = declared.accepts(value)
        if state == _BAD:
            raise _mismatch(path, declared, value)
        if state == _DECODE:
            raise _undecoded(path, declared, value)


def _refuse_claimed(union: _Union, value: Any, path: str) -> None:
    """A mapping kept as an unknown variant is sent as given (a variant newer than this SDK), unless its
    discriminator names a variant this SDK knows: then it is a malformed one, and an error."""
    raw = value.to_dict()
    claimed = [
        m.cls
        for m in union.members
        if isinstance(m, _Model)
        and m.cls is not type(value)
        and (pins := _consts(m.cls))
        and all(raw.get(key, pinned) == pinned for key, pinned in pins)
    ]
    if not claimed:
        return
    decoder: Any = claimed[0]
    try:
        decoder.from_dict(raw)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        reason = f"{type(exc).__name__}: {exc}"
    else:  # the generated decoder would have chosen it: nothing to refuse
        return
    names = " or ".join(cls.__name__ for cls in claimed)
    detail = reason if len(claimed) == 1 else f"{claimed[0].__name__}: {reason}"
    raise ValueError(f"{path}: cannot be read as {names}: {detail}")


def _mismatch(name: str, declared: _Type, value: Any) -> TypeError:
    path, expected, found = declared.locate(value, name)
    shown = repr(found)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return TypeError(f"{path}: expected {_with_plain(expected)}, got {type(found).__name__} {shown}")


def _undecoded(name: str, declared: _Type, value: Any) -> ValueError:
    path, expected, found = declared.locate(value, name, _DECODE)
    members = expected.members if isinstance(expected, _Union) else [expected]
    for member in members:
        if isinstance(member, _Model):
            decoder: Any = member.cls
            try:
                decoder.from_dict(_jsonable(found))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                return ValueError(f"{path}: cannot be read as {member.cls.__name__}: {type(exc).__name__}: {exc}")
    return ValueError(f"{path}: cannot be read as {expected.label}")


def _param(name: str, value: Any, annotation: str) -> Any:
    """A path or query argument, checked against its declared type; enum strings and mappings decoded."""
    declared = _declared(annotation)
    state = declared.accepts(value)
    if state == _KEEP:
        return value
    if state == _BAD:
        raise _mismatch(name, declared, value)
    return declared.convert(value, name)


def _jsonable(value: Any) -> Any:
    """A caller's value as the API's JSON would carry it (what the generated ``from_dict`` decodes)."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is dict:
        return {key: _jsonable(item) for key, item in value.items()}
    if kind is list:
        return [_jsonable(item) for item in value]
    if isinstance(value, _enum.Enum):
        return value.value
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, _abc.Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    if isinstance(value, _datetime.date):
        return value.isoformat()
    if type(value).__name__ == "UUID":
        return str(value)
    return value


def _refuse_dropped(decoded: Any, path: str) -> None:
    """Decoding keeps keys a closed model does not define (a response keeps what the API sent); in a
    request they are typos the API would reject: refuse them."""
    from mistral_sdk._closed_models import first_unknown_field

    found = first_unknown_field(decoded, path)
    if found is not None:
        raise ValueError(f"{found[0]}: unknown key {found[1]!r} (the API defines no such field here)")


def _stand_in(declared: _Type, value: Any) -> Any:
    """A cheap value the generated decoder accepts for a required argument that is already typed
    (it is put back as given after decoding, so a long list of messages is not converted twice)."""
    members = declared.members if isinstance(declared, _Union) else [declared]
    for member in members:
        if isinstance(member, _List):
            return []
        if isinstance(member, _Const) and None in member.values:
            return None
        if isinstance(member, _Instance) and member.types in ((str,), (_File,)):
            return b"" if isinstance(value, _File) else ""
    return _jsonable(value)


def _attrs_default(cls: type, name: str) -> Any:
    import attrs

    default: Any = attrs.fields_dict(cls)[name].default
    if default is attrs.NOTHING:
        return None
    factory = getattr(default, "factory", None)
    return factory() if callable(factory) else default


def _request_body(cls: type[_T], fields: dict[str, tuple[str, str, bool]], values: dict[str, Any]) -> _T:
    """The request model from the caller's arguments, which may be models or mappings, enums or strings.

    Arguments that are all typed build the model directly. When some are plain, the generated ``from_dict``
    decodes them, exactly as it would decode the API's JSON, and the model is built from the decoded values
    and the typed arguments as given.
    Keys the decoding would drop, and mappings it could not decode, are refused.
    """
    plain: list[str] = []
    for name, value in values.items():
        field = fields.get(name)
        if field is None:
            continue
        declared = _declared(field[1])
        state = declared.accepts(value)
        if state == _DECODE:
            plain.append(name)
        elif state == _BAD:
            raise _mismatch(name, declared, value)
    decoder: Any = cls
    if not plain:
        built: _T = decoder(**values)
        return built
    sent: dict[str, Any] = {}
    for name, value in values.items():
        key, annotation, required = fields.get(name, (name, "Any", True))
        if name in plain:
            sent[key] = _jsonable(value)
        elif required:
            sent[key] = _stand_in(_declared(annotation), value)
    for name, (key, annotation, required) in fields.items():
        if required and name not in values:
            # Not given, so the model's default applies below; the decoder still wants the property.
            default = _attrs_default(cls, name)
            sent[key] = _stand_in(_declared(annotation), default)
    try:
        decoded_body = decoder.from_dict(sent)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # The generated decoder refuses a whole union at once: decode each plain argument on its own to
        # name the one that cannot be read (its error says which member and why).
        for name in plain:
            alone = dict(sent)
            for other in plain:
                other_key, other_annotation, other_required = fields[other]
                if other != name:
                    del alone[other_key]
                    if other_required:
                        alone[other_key] = _stand_in(_declared(other_annotation), None)
            try:
                decoder.from_dict(alone)
            except (KeyError, TypeError, ValueError, AttributeError) as culprit:
                raise ValueError(f"{name}: cannot be read: {type(culprit).__name__}: {culprit}") from culprit
        raise ValueError(
            f"{' or '.join(plain)}: cannot be read as {cls.__name__}: {type(exc).__name__}: {exc}"
        ) from exc
    arguments = dict(values)
    for name in plain:
        key, annotation, _ = fields[name]
        declared = _declared(annotation)
        decoded = getattr(decoded_body, name)
        _verify(declared, decoded, name)
        _refuse_dropped(decoded, name)
        arguments[name] = decoded
    # Built like a typed call, so arguments not given get the model's defaults, not "unset".
    result: _T = decoder(**arguments)
    return result
'''


def _render(planned: list[PlannedOperation], package: str) -> str:
    names = _Names()
    names.add("Stream", ("mistral_sdk._streaming", "Stream"))
    names.add("AsyncStream", ("mistral_sdk._streaming", "AsyncStream"))
    names.add("PendingAsyncStream", ("mistral_sdk._streaming", "PendingAsyncStream"))
    names.add("CompletionStreamChunk", ("mistral_sdk._streaming", "CompletionStreamChunk"))
    names.add("StreamEvent", ("mistral_sdk._streaming", "StreamEvent"))
    groups = _groups(planned)
    classes: list[str] = []
    for path in sorted(groups):
        group = groups[path]
        for variant in VARIANTS:
            classes.append(_render_group(group, variant, names))
    classes.append(_render_roots(groups[()]))
    operations = sorted(planned, key=lambda p: p.spec.operation_id)
    table = "\n".join(f"    {p.spec.operation_id!r}: ({p.name.group!r}, {p.name.methods!r})," for p in operations)
    modules = "\n".join(f"    {p.spec.operation_id!r}: {p.endpoint.module!r}," for p in operations)
    type_imports = sorted(names.imports.items(), key=lambda kv: (kv[1][0], kv[0]))
    checking = "\n".join(
        f"    from {module} import {attribute}" + (f" as {local}" if local != attribute else "")
        if attribute
        else f"    import {module}"
        for local, (module, attribute) in type_imports
    )
    type_table = "\n".join(
        f"    {local!r}: ({module!r}, {attribute!r})," for local, (module, attribute) in type_imports
    )
    body_fields: dict[str, dict[str, tuple[str, str, bool]]] = {}
    for item in operations:
        if item.body_model is not None:
            body_fields[item.body_model[1]] = {
                f.name: (item.body_keys.get(f.name, f.name), f.annotation, f.decoder_needs) for f in item.body_fields
            }
    body_table = "\n".join(f"    {model!r}: {body_fields[model]!r}," for model in sorted(body_fields))
    parts = [
        HEADER.replace("{package}", package),
        f"if TYPE_CHECKING:\n{checking}\n" if checking else "",
        '__all__ = ["AsyncRawResources", "AsyncResources", "MODULES", "OPERATIONS", "SyncRawResources", "SyncResources"]\n',
        "# operationId -> (resource group path, method names: the call, then its streaming twin if any)",
        f"OPERATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {{\n{table}\n}}\n",
        "# operationId -> generated endpoint module",
        f"MODULES: dict[str, str] = {{\n{modules}\n}}\n",
        f"_TYPE_IMPORTS: dict[str, tuple[str, str | None]] = {{\n{type_table}\n}}\n",
        "# request model -> facade parameter -> (its name in the API's JSON, its declared type, needed by from_dict)",
        f"_BODY_FIELDS: dict[str, dict[str, tuple[str, str, bool]]] = {{\n{body_table}\n}}\n",
        HELPERS,
        *classes,
    ]
    return "\n\n".join(parts) + "\n"


def _render_group(group: _Group, variant: _Variant, names: _Names) -> str:
    if not group.path:
        return ""
    client_type = "AsyncAPIClient" if variant.is_async else "SyncAPIClient"
    methods = {op.name.method for op in group.operations} | {
        op.name.stream_method for op in group.operations if op.name.stream_method
    }
    shadowed = methods | set(group.children)
    lines = [
        f"class {variant.cls(group.path)}:",
        f'    """``client.{"with_raw_response." if variant.raw else ""}{".".join(group.path)}``."""',
        "",
        f"    def __init__(self, client: {client_type}) -> None:",
        "        self._client = client",
    ]
    for child in group.children:
        child_cls = variant.cls((*group.path, child))
        lines += [
            "",
            "    @cached_property",
            f"    def {child}(self) -> {child_cls}:",
            f"        return {child_cls}(self._client)",
        ]
    for op in sorted(group.operations, key=lambda o: o.name.method):
        if op.name.call and op.body_model is not None:
            lines += ["", _indent(_method_source(op, variant, names, shadowed, stream=False, call=True))]
        lines += ["", _indent(_method_source(op, variant, names, shadowed, stream=False))]
        if op.name.stream_method is not None and op.spec.kind == "json+sse":
            lines += ["", _indent(_method_source(op, variant, names, shadowed, stream=True))]
    return "\n".join(lines)


def _render_roots(root: _Group) -> str:
    out: list[str] = []
    for is_async in (False, True):
        prefix = "Async" if is_async else "Sync"
        client_type = "AsyncAPIClient" if is_async else "SyncAPIClient"
        lines = [
            f"class {prefix}Resources({client_type}):",
            '    """The resource groups of the client (the client class is this, for the type checker)."""',
        ]
        for child in root.children:
            cls = _Variant(is_async, False).cls((child,))
            lines += ["", "    @cached_property", f"    def {child}(self) -> {cls}:", f"        return {cls}(self)"]
        out.append("\n".join(lines))
        lines = [
            f"class {prefix}RawResources:",
            '    """``client.with_raw_response``: the same groups, returning ``APIResponse``."""',
            "",
            f"    def __init__(self, client: {client_type}) -> None:",
            "        self._client = client",
        ]
        for child in root.children:
            cls = _Variant(is_async, True).cls((child,))
            lines += [
                "",
                "    @cached_property",
                f"    def {child}(self) -> {cls}:",
                f"        return {cls}(self._client)",
            ]
        out.append("\n".join(lines))
    return "\n\n\n".join(out)


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else line for line in text.splitlines())


def _ruff_format(source: str, filename: str) -> str:
    ruff = [sys.executable, "-m", "ruff"]
    fixed = subprocess.run(
        [
            *ruff,
            "check",
            "--fix",
            "--select",
            "I,F401,UP,RUF022",
            "--quiet",
            "--exit-zero",
            "--stdin-filename",
            filename,
            "-",
        ],
        input=source,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return subprocess.run(
        [*ruff, "format", "--stdin-filename", filename, "-"], input=fixed, capture_output=True, text=True, check=True
    ).stdout


def bind_package(package: str, directory: Path) -> None:
    """Make ``package`` import from ``directory`` (a freshly generated package not yet moved into place).

    Must run before anything imports ``package``; the facade is still written against the package name.
    """
    init = directory / "__init__.py"
    if not init.exists():
        raise FacadeError(f"{directory} is not a package (no __init__.py)")
    existing = sys.modules.get(package)
    if existing is not None:
        if Path(next(iter(getattr(existing, "__path__", [""])))).resolve() == directory.resolve():
            return
        raise FacadeError(f"{package} is already imported from elsewhere; cannot bind it to {directory}")
    import importlib.util

    spec = importlib.util.spec_from_file_location(package, init, submodule_search_locations=[str(directory)])
    if spec is None or spec.loader is None:
        raise FacadeError(f"cannot load {directory} as {package}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[package] = module
    spec.loader.exec_module(module)


def _package_dir_for(spec_path: Path) -> Path | None:
    """The generated package the spec copy sits in (``<package>/openapi.json``), if it is one."""
    folder = spec_path.resolve().parent
    return folder if (folder / "__init__.py").exists() and (folder / "api").is_dir() else None


def generate(spec_path: Path, package: str, output: Path) -> str:
    spec = load_spec(spec_path)
    planned = plan(spec, package)
    source = _ruff_format(_render(planned, package), str(output))
    return source


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.facade", description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True, type=Path, help="the (preprocessed) OpenAPI description, JSON or YAML")
    parser.add_argument("--package", required=True, help="the generated package, e.g. mistral_sdk._generated")
    parser.add_argument("--output", required=True, type=Path, help="the facade module to write")
    parser.add_argument(
        "--package-dir",
        type=Path,
        help="read the package from this folder (default: the folder of --spec when it is the package's openapi.json)",
    )
    parser.add_argument(
        "--check", action="store_true", help="fail when the output file is not up to date; write nothing"
    )
    args = parser.parse_args(argv)
    try:
        package_dir = args.package_dir or _package_dir_for(args.spec)
        if package_dir is not None:
            bind_package(args.package, package_dir)
        source = generate(args.spec, args.package, args.output)
    except FacadeError as exc:
        print(f"facade: {exc}", file=sys.stderr)
        return 1
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != source:
            print(f"facade: {args.output} is out of date; run scripts/regenerate.sh", file=sys.stderr)
            return 1
        return 0
    tmp = args.output.with_suffix(".py.tmp")
    tmp.write_text(source, encoding="utf-8")
    tmp.replace(args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
