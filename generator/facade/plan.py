"""Matching spec operations to generated endpoints: names, keyword arguments, body fields, stream types.

The result (``PlannedOperation``) is everything the renderer writes: the method's signature and
docstring, and the operation's data for the runtime.
"""

from __future__ import annotations

import importlib
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .hooks import Hooks, plan_hooks
from .naming import RESERVED_ROOT, FacadeError, FacadeName, default_names, identifier, load_naming
from .package import Endpoint, ModelField, Param, model_fields, scan_package
from .spec import SpecOperation, spec_operations

__all__ = ["Argument", "PlannedOperation", "facade_names", "plan"]

CONFIG_FILE = Path(__file__).resolve().parent.parent / "config.yaml"
#: Names a method's own keyword arguments cannot take (``request_options`` holds the per-call options).
RESERVED_KEYWORDS = frozenset({"self", "body", "req", "request_options", "result"})
#: The per-call options; an API field of the same name is taken as ``<name>_`` and reported.
OPTION_NAMES = frozenset({"timeout", "max_retries", "extra_headers", "extra_query", "extra_body"})


@dataclass
class Argument:
    """One keyword argument of a facade method."""

    keyword: str  # what the caller writes: the API's JSON name where it is a usable identifier
    python: str  # the generated code's name (endpoint parameter, or the model's attrs alias)
    annotation: str  # the generated code's type
    required: bool
    location: str  # "path", "query", "body" (a field of the request model) or "plain_body"
    json_key: str = ""
    description: str = ""
    decoder_needs: bool = False  # the generated from_dict pops it without a default


@dataclass
class PlannedOperation:
    spec: SpecOperation
    name: FacadeName
    endpoint: Endpoint
    arguments: list[Argument] = field(default_factory=list)
    # The request model whose fields are the keyword arguments; None when the body is one ``body`` argument.
    body_model: tuple[str, str] | None = None
    body_imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # The body may be left out (``anyOf: [model, null]``, not required): nothing is sent unless a field is set.
    body_optional: bool = False
    sse_model: tuple[str, str] | None = None
    stream_item: str = "Any"
    # The names ``stream_item`` uses (the event data's model classes), as the event model's module imports them.
    stream_imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    fix_stream: bool = False  # the body's ``stream`` field is the method's to set, not the caller's
    warnings: list[str] = field(default_factory=list)
    hooks: Hooks = field(default_factory=Hooks)  # the issue-14 conveniences (generator/facade/hooks.py)


def plan(
    spec: dict[str, Any],
    package: str,
    naming: dict[str, FacadeName] | None = None,
    warnings: list[str] | None = None,
) -> list[PlannedOperation]:
    """Match every spec operation to its generated endpoint and give it a facade name.

    An operation the naming table does not list gets ``default_names`` and a line in ``warnings``.
    """
    table = load_naming() if naming is None else naming
    endpoints = scan_package(package)
    planned: list[PlannedOperation] = []
    missing: list[str] = []
    notes = warnings if warnings is not None else []
    prefix = _field_prefix()
    for op in spec_operations(spec):
        endpoint = endpoints.get((op.method, op.path))
        if endpoint is None:
            missing.append(f"{op.operation_id} ({op.method.upper()} {op.path})")
            continue
        name = table.get(op.operation_id)
        if name is None:
            name = default_names(op.operation_id, op.tags)
            notes.append(f"{op.operation_id}: not in generator/naming.yaml, named {'.'.join(name.group)}.{name.method}")
        if op.kind == "json+sse" and name.stream_method is None:
            name = FacadeName(name.group, name.method, name.method + "_stream", name.call)
        elif op.kind != "json+sse" and name.stream_method is not None:
            notes.append(f"{op.operation_id}: the spec gives it no event stream, so no {name.stream_method} method")
            name = FacadeName(name.group, name.method, None, name.call)
        item = PlannedOperation(op, name, endpoint)
        _plan_arguments(item, prefix)
        _plan_stream(item, package)
        notes.extend(item.warnings)
        planned.append(item)
    if missing:
        raise FacadeError("operations without a generated endpoint module: " + ", ".join(missing))
    _resolve_conflicts(planned)
    plan_hooks(planned, spec, notes)
    return sorted(planned, key=lambda p: (p.name.group, p.name.method))


def facade_names(spec: dict[str, Any], package: str) -> dict[str, FacadeName]:
    """operationId -> facade name, for every operation of the spec."""
    return {p.spec.operation_id: p.name for p in plan(spec, package)}


def _field_prefix() -> str:
    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8")) or {}
    return str(config.get("field_prefix", "field_"))


def _json_names(names: list[str], prefix: str) -> dict[str, str]:
    """The generated code's name -> the API's, by the generator's own naming rule."""
    from openapi_python_client.strings import PythonIdentifier

    return {str(PythonIdentifier(name, prefix)): name for name in names}


def _keyword(item: PlannedOperation, json_name: str, python: str) -> str:
    """The keyword a caller writes: the API's JSON name (``input``), unless Python cannot take it."""
    if not json_name.isidentifier() or keyword.iskeyword(json_name) or json_name.startswith("_"):
        return python
    if json_name in OPTION_NAMES:
        item.warnings.append(f"{item.spec.operation_id}: field {json_name!r} is the per-call option's name: {python}_")
        return python.rstrip("_") + "_"
    return json_name


def _plan_arguments(item: PlannedOperation, prefix: str) -> None:
    ep = item.endpoint
    parameter_names = _json_names(list(item.spec.parameters), prefix)
    for param in ep.path_params:
        item.arguments.append(_parameter(item, param, "path", parameter_names, prefix))
    query = [_parameter(item, param, "query", parameter_names, prefix) for param in ep.keyword_params]
    body = _body_arguments(item, prefix, {a.keyword for a in [*item.arguments, *query]})
    item.arguments.extend(body)
    item.arguments.extend(query)


def _parameter(item: PlannedOperation, param: Param, location: str, names: dict[str, str], prefix: str) -> Argument:
    json_name = names.get(param.name, param.name)
    return Argument(
        keyword=_keyword(item, json_name, param.name),
        python=param.name,
        annotation=param.annotation,
        required=param.required,
        location=location,
        json_key=json_name,
        description=_parameter_doc(item, param.name, json_name, prefix),
    )


def _parameter_doc(item: PlannedOperation, python: str, json_name: str, prefix: str) -> str:
    """The spec's description of a parameter. Two parameters whose Python names collide are renamed by the
    generator, after their locations (``last_event_id_query``, ``last_event_id_header``) when those differ,
    else after their names without snake-casing (``sort.direction`` -> ``sortdirection``): those renamed ones are
    found by the same rule."""
    from openapi_python_client.strings import PythonIdentifier

    parameters = item.spec.parameters
    for name in (python, json_name):
        if name in parameters:
            return parameters[name][1]
    for name, (location, description) in parameters.items():
        renamed = (
            f"{PythonIdentifier(name, prefix)}_{location}",
            str(PythonIdentifier(name, prefix, skip_snake_case=True)),
        )
        if python in renamed:
            return description
    return ""


def _body_arguments(item: PlannedOperation, prefix: str, taken: set[str]) -> list[Argument]:
    ep = item.endpoint
    body = ep.body
    if body is None:
        return []
    plain = [Argument("body", "body", body.annotation, body.required, "plain_body", description=_body_doc(item))]
    item.fix_stream = item.spec.kind == "json+sse"
    model = body.annotation
    if not body.required:  # an optional body of one model takes its fields too: ``None``/``Unset`` send nothing
        members = [m for m in model.split(" | ") if m not in ("None", "Unset")]
        model = members[0] if len(members) == 1 else model
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", model):
        return plain
    source = ep.imports.get(model)
    if source is None or source[1] is None:
        return plain
    loaded = model_fields(source[0], source[1])
    if loaded is None:
        return plain
    fields, imports = loaded
    json_names = _json_names([str(p) for p in item.spec.body_schema.get("properties") or {}], prefix)
    arguments: list[Argument] = []
    for model_field in fields:
        json_name = json_names.get(model_field.alias, model_field.alias)
        arguments.append(_field_argument(item, model_field, json_name))
    keywords = [a.keyword for a in arguments]
    if any(k in taken or k in RESERVED_KEYWORDS for k in keywords) or len(set(keywords)) != len(keywords):
        return plain
    item.body_model = (source[0], source[1])
    item.body_optional = not body.required
    item.body_imports = imports
    # The operation decides whether the answer streams: a ``stream`` field is never the caller's to set
    # (``start_stream(stream=False)`` would reach the JSON operation and break the stream).
    item.fix_stream = item.spec.kind in ("json", "sse", "json+sse") and any(a.python == "stream" for a in arguments)
    return [a for a in arguments if not (item.fix_stream and a.python == "stream")]


def _field_argument(item: PlannedOperation, model_field: ModelField, json_name: str) -> Argument:
    spec_required = set(item.spec.body_schema.get("required") or [])
    return Argument(
        keyword=_keyword(item, json_name, model_field.alias),
        python=model_field.alias,
        annotation=model_field.annotation,
        required=model_field.required,
        location="body",
        json_key=json_name,
        description=item.spec.body_docs.get(json_name, ""),
        # The generated decoder needs every property the spec requires, even one the model gives a default.
        decoder_needs=model_field.required or json_name in spec_required,
    )


def _body_doc(item: PlannedOperation) -> str:
    return item.spec.body_description or str(item.spec.body_schema.get("description") or "")


_STREAM_EVENT: dict[str, tuple[str, str | None]] = {"StreamEvent": ("mistral_sdk._streaming", "StreamEvent")}


def _plan_stream(item: PlannedOperation, package: str) -> None:
    if item.spec.kind not in ("sse", "json+sse"):
        return
    models = importlib.import_module(f"{package}.models")
    schema = item.spec.sse_schema
    if not schema:
        raise FacadeError(f"{item.spec.operation_id}: its event stream has no schema")
    cls = getattr(models, schema, None)
    if cls is None:
        raise FacadeError(f"{item.spec.operation_id}: no generated model {schema} for its event stream")
    item.sse_model = (cls.__module__, cls.__name__)
    from mistral_sdk._streaming import COMPLETION_CHUNK_DECODER, decoder_for

    if decoder_for(cls) is COMPLETION_CHUNK_DECODER:
        item.stream_item = "CompletionStreamChunk"
        return
    item.stream_item = "StreamEvent[Any]"
    loaded = model_fields(cls.__module__, cls.__name__)
    data = next((f for f in loaded[0] if f.alias == "data"), None) if loaded is not None else None
    if data is not None:
        # An SSE event always has data (the decoder passes it), so the model's ``Unset`` is never handed out.
        members = [m.strip() for m in data.annotation.split(" | ") if m.strip() not in ("Unset", "")]
        if members and "Any" not in members:
            item.stream_item = f"StreamEvent[{' | '.join(members)}]"
            item.stream_imports = {**(loaded[1] if loaded is not None else {}), **_STREAM_EVENT}


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
                methods[index] = identifier(item.spec.operation_id) + ("_stream" if index else "")
            if (name.group, methods[index]) in used:
                other = used[(name.group, methods[index])]
                raise FacadeError(f"{item.spec.operation_id} and {other} both map to {name.group}.{methods[index]}")
            used[(name.group, methods[index])] = item.spec.operation_id
        item.name = FacadeName(name.group, methods[0], methods[1] if len(methods) > 1 else None, name.call)
