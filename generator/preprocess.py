"""Rewrite an OpenAPI description so openapi-python-client 0.29.1 generates a correct, complete client from it.

The generator refuses or mis-handles a few constructs that Mistral's specs use. Each pass below fixes one of
them *in the input*, so the generated code stays exactly as the generator writes it. Every pass keeps the
meaning of the API: the same requests are valid and the same responses parse. Passes that need to tell the
hand-written layer something (which operations stream, with which event schema) leave an ``x-mistral-*``
extension behind, because templates cannot see operation-level extensions but our facade generator can.

Run as ``python -m generator.preprocess SPEC OUT.json``.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JSON = dict[str, Any]

#: Name of the component that receives union members the spec did not know about.
UNKNOWN_VARIANT = "UnknownVariant"
#: Operation extension naming the schema of one server-sent event, for operations that can stream.
SSE_EXTENSION = "x-mistral-sse"
SSE_CONTENT_TYPE = "text/event-stream"
_LEGACY_TYPES = {
    "int": "integer",
    "float": "number",
    "str": "string",
    "bool": "boolean",
    "dict": "object",
    "list": "array",
}
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class SpecError(ValueError):
    """The description cannot be made generatable; the message says where and why."""


def load_spec(path: Path) -> JSON:
    """Read YAML (1.2 rules) or JSON through the project's one spec loader, and check it is OpenAPI 3.x."""
    from mistral_sdk.testing._spec import SpecError as LoaderError
    from mistral_sdk.testing._spec import read_spec_document

    try:
        data = read_spec_document(path)
    except LoaderError as exc:
        raise SpecError(str(exc)) from exc
    if not isinstance(data, dict) or "paths" not in data:
        raise SpecError(f"{path} is not an OpenAPI description (no 'paths' at the top level)")
    if not str(data.get("openapi", "")).startswith("3."):
        raise SpecError(f"{path}: only OpenAPI 3.x is supported, found openapi={data.get('openapi')!r}")
    return data


#: Keys whose values are data (instances, not schemas): never rewritten.
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum"})


def _walk(node: Any) -> Iterator[JSON]:
    """Yield every mapping of the document that can be a schema, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield current
            children = [v for k, v in current.items() if k not in _DATA_KEYS and not str(k).startswith("x-")]
            stack.extend(reversed(children))
        elif isinstance(current, list):
            stack.extend(reversed(current))


def _schemas(spec: JSON) -> JSON:
    schemas: JSON = spec.setdefault("components", {}).setdefault("schemas", {})
    return schemas


def _operations(spec: JSON) -> Iterator[tuple[str, str, JSON]]:
    for path, item in spec.get("paths", {}).items():
        for method in _HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield path, method, operation


def _resolve(spec: JSON, schema: JSON) -> JSON:
    seen: set[str] = set()
    while "$ref" in schema:
        ref = schema["$ref"]
        if ref in seen or not ref.startswith("#/components/schemas/"):
            break
        seen.add(ref)
        target = _schemas(spec).get(ref.rsplit("/", 1)[-1])
        if not isinstance(target, dict):
            raise SpecError(f"dangling reference {ref}")
        schema = target
    return schema


def fix_legacy_dialect(spec: JSON) -> None:
    """Accept the dialect of Mistral's 2023-2025 specs, which the generator rejects outright.

    Those files write ``type: int``, put ``required: true`` inside a property schema (or ``required: false``
    inside a parameter's schema), give ``items`` as a one-element list, and spell ``nullable`` or
    ``exclusiveMinimum`` in the other draft's form. Each is rewritten into its standard form wherever it
    occurs: component schemas, parameters, request and response bodies, nested properties and items.
    """
    for path, _, operation in _operations(spec):
        for parameter in _parameters(spec, path, operation):
            schema = parameter.get("schema")
            if isinstance(schema, dict) and isinstance(schema.get("required"), bool):
                # A parameter says whether it is required itself; inside its schema the flag means nothing.
                if schema.pop("required"):
                    parameter["required"] = True
    for node in _walk(spec):
        kind = node.get("type")
        if isinstance(kind, str) and kind in _LEGACY_TYPES:
            node["type"] = _LEGACY_TYPES[kind]
        elif isinstance(kind, list):
            node["type"] = [_LEGACY_TYPES.get(k, k) if isinstance(k, str) else k for k in kind]
        items = node.get("items")
        if isinstance(items, list):
            if not items:
                node["items"] = {}
            elif len(items) == 1:
                node["items"] = items[0]
            else:
                node["items"] = {"anyOf": items}
        properties = node.get("properties")
        if isinstance(properties, dict):
            required = node.get("required")
            names = list(required) if isinstance(required, list) else []
            for name, prop in properties.items():
                if isinstance(prop, dict) and isinstance(prop.get("required"), bool):
                    if prop.pop("required") and name not in names:
                        names.append(name)
            if names or isinstance(required, bool):
                node["required"] = names
        if isinstance(node.get("required"), bool) and not _is_parameter_or_body(node):
            # A boolean ``required`` on a schema that is no property of an object: it constrains nothing.
            del node["required"]
        for bound in ("exclusiveMinimum", "exclusiveMaximum"):
            # Draft 4 (OpenAPI 3.0) writes a boolean beside minimum/maximum; 3.1 writes the bound itself.
            limit = "minimum" if bound == "exclusiveMinimum" else "maximum"
            if isinstance(node.get(bound), bool):
                if node.pop(bound) and limit in node:
                    node[bound] = node.pop(limit)


def _is_parameter_or_body(node: JSON) -> bool:
    """Parameters (``in``) and request bodies (``content``) carry a boolean ``required`` legitimately."""
    return "in" in node or "content" in node


def _parameters(spec: JSON, path: str, operation: JSON) -> Iterator[JSON]:
    """The parameter objects of an operation and of its path item, references to components resolved."""
    item = spec.get("paths", {}).get(path) or {}
    components = spec.get("components", {}).get("parameters") or {}
    for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        if isinstance(parameter, dict) and isinstance(parameter.get("$ref"), str):
            parameter = components.get(parameter["$ref"].rsplit("/", 1)[-1])
        if isinstance(parameter, dict):
            yield parameter


def resolve_local_defs(spec: JSON) -> None:
    """Move JSON Schema ``$defs`` (referenced as ``#/$defs/Name``) to the components (see the mock's copy).

    The mock server must read such a description too, so the pass lives beside its loader
    (``mistral_sdk.testing._local_defs``); here its error becomes the pipeline's ``SpecError``.
    """
    from mistral_sdk.testing._local_defs import resolve_local_defs as resolve
    from mistral_sdk.testing._spec import SpecError as LoaderError

    try:
        resolve(spec)
    except LoaderError as exc:
        raise SpecError(str(exc)) from exc


def drop_titles(spec: JSON) -> None:
    """Remove schema titles: the generator names classes after titles, and Mistral's titles collide.

    Component schemas are named after their key, which is unique; inline schemas after their parent and
    property, which is unique too. (Measured: four reference components share titles with other
    components, which made the generator drop six operations.)
    """
    for node in _walk(_schemas(spec)):
        if isinstance(node.get("title"), str):
            del node["title"]
    for _, _, operation in _operations(spec):
        for node in _walk(operation):
            if isinstance(node.get("title"), str) and ("type" in node or "$ref" in node or _is_composite(node)):
                del node["title"]


def _is_composite(node: JSON) -> bool:
    return any(key in node for key in ("allOf", "anyOf", "oneOf"))


def unwrap_single_allof(spec: JSON) -> None:
    """Replace ``allOf: [X]`` (one member, used to attach a default or description to a reference) by X.

    The generator turns a one-member inline ``allOf`` around an enum into an empty model, which then
    serialises as ``{}`` (measured: the file upload's ``visibility``). The siblings (default, description,
    nullable) stay on the node.
    """
    for node in _walk(spec):
        members = node.get("allOf")
        if isinstance(members, list) and len(members) == 1 and isinstance(members[0], dict):
            member = node.pop("allOf")[0]
            for key, value in member.items():
                node.setdefault(key, value)


def merge_allof_overrides(spec: JSON) -> None:
    """Flatten ``allOf`` lists whose members redefine the same property, which the generator cannot merge.

    Later members win, as they do when a server validates the combined schema with a matching payload.
    """
    for node in _walk(spec):
        members = node.get("allOf")
        if not isinstance(members, list) or len(members) < 2:
            continue
        resolved = [_resolve(spec, m) for m in members if isinstance(m, dict)]
        if any(_is_composite(m) or m.get("type", "object") != "object" for m in resolved):
            continue
        seen: dict[str, Any] = {}
        conflict = False
        for member in resolved:
            for name, prop in (member.get("properties") or {}).items():
                if name in seen and seen[name] != prop:
                    conflict = True
                seen[name] = prop
        if not conflict:
            continue
        merged: JSON = {"type": "object", "properties": {}}
        required: list[str] = []
        for member in resolved:
            merged["properties"].update(copy.deepcopy(member.get("properties") or {}))
            required.extend(r for r in member.get("required", []) if r not in required)
            if "additionalProperties" in member:
                merged["additionalProperties"] = member["additionalProperties"]
        if required:
            merged["required"] = required
        del node["allOf"]
        for key, value in merged.items():
            node.setdefault(key, value)


def read_nullable_keyword(spec: JSON) -> None:
    """``nullable: true`` (OpenAPI 3.0) in a 3.1 description becomes ``anyOf: [schema, null]``.

    The generator ignores the keyword in a 3.1 document, so a field the description lets be null could not be
    sent as null (measured: the registry's ``sharingScope``). The mock reads it the same way, so the pass
    lives beside its loader (``mistral_sdk.testing._nullable``).
    """
    from mistral_sdk.testing._nullable import read_nullable

    if str(spec.get("openapi", "")).startswith("3.1"):
        read_nullable(spec)


def split_nullable_enums(spec: JSON) -> None:
    """Write ``type: [T, "null"]`` with an ``enum`` that lists ``null`` as ``anyOf: [enum of T, null]``.

    The generator reads the list form as a union of three copies of the same enum (measured: the streamed
    ``finish_reason`` became three classes). The ``anyOf`` form gives one enum class, or ``None``.
    """
    for node in _walk(spec):
        kinds, enum = node.get("type"), node.get("enum")
        if not (isinstance(kinds, list) and "null" in kinds and isinstance(enum, list)):
            continue
        non_null = [k for k in kinds if k != "null"]
        values = [v for v in enum if v is not None]
        del node["type"], node["enum"]
        members: list[JSON] = [{"type": kind, "enum": values} for kind in non_null] if values else []
        node["anyOf"] = [*members, {"type": "null"}]


#: Schema keywords that describe the whole value rather than one of its types: they stay on the outer schema.
_ANNOTATIONS = frozenset({"description", "title", "default", "example", "examples", "deprecated", "nullable"})


def split_type_lists(spec: JSON) -> None:
    """Write OpenAPI 3.1's ``type: [X, "null"]`` (and ``type: [X, Y]``) as ``anyOf`` of single-type schemas.

    The generator reads a type list as a union of anonymous copies of the whole schema, named ``...Type0``,
    ``...Type1``; as ``anyOf`` the members can be named and shared by the later passes. A one-element list
    is the plain type. (Enums with ``null`` were handled by ``split_nullable_enums`` already.)
    """
    for node in _walk(spec):
        kinds = node.get("type")
        if not isinstance(kinds, list) or _is_composite(node):
            continue
        non_null = [k for k in kinds if k != "null"]
        if len(non_null) == 1 and len(kinds) == 1:
            node["type"] = non_null[0]
            continue
        if not non_null:
            node["type"] = "null"
            continue
        shared = {k: v for k, v in node.items() if k not in _ANNOTATIONS and k != "type" and not k.startswith("x-")}
        for key in shared:
            del node[key]
        del node["type"]
        members: list[JSON] = [{"type": kind, **copy.deepcopy(shared)} for kind in non_null]
        node["anyOf"] = [*members, {"type": "null"}] if "null" in kinds else members


def normalise_const(spec: JSON) -> None:
    """Give ``const`` the forms the generator understands.

    ``const: null`` is the null type; a ``const`` beside an ``enum`` is the stronger of the two, so the enum
    goes; a ``const`` that is an object or a list (which the generator's reader rejects, failing the whole
    spec) leaves only its type: the value is then accepted, and kept, as plain data.
    """
    for node in _walk(spec):
        if "const" not in node:
            continue
        value = node["const"]
        if value is None:
            del node["const"]
            node["type"] = "null"
        elif isinstance(value, (dict, list)):
            del node["const"]
            node.setdefault("type", "object" if isinstance(value, dict) else "array")
        else:
            node.pop("enum", None)


def merge_prefix_items(spec: JSON) -> None:
    """Write a tuple (``prefixItems``, 3.1) as an array whose items may be any of the tuple's member types.

    The generator does the same on its own but keeps nested unions and duplicate members, which gives
    ``int | int | float`` annotations; here the member schemas are flattened and repeated ones dropped.
    """
    for node in _walk(spec):
        prefix = node.get("prefixItems")
        if not isinstance(prefix, list):
            continue
        del node["prefixItems"]
        members: list[Any] = []
        for member in [*prefix, *([node["items"]] if isinstance(node.get("items"), dict) else [])]:
            flat = member["anyOf"] if isinstance(member, dict) and list(member) == ["anyOf"] else [member]
            members.extend(m for m in flat if m not in members)
        if members:
            node["items"] = members[0] if len(members) == 1 else {"anyOf": members}


def flatten_content_parameters(spec: JSON) -> None:
    """Turn parameters described by ``content`` (a JSON document in the query string) into string parameters.

    The generator skips such parameters without a word (measured: ``metadata`` vanished from three list
    operations). As a string, the caller passes the JSON text (``json.dumps({...})``) and it is sent as is.
    """
    for path, method, operation in _operations(spec):
        for parameter in operation.get("parameters") or []:
            content = parameter.get("content") if isinstance(parameter, dict) else None
            if not isinstance(content, dict):
                continue
            if len(content) != 1 or not next(iter(content)).endswith("json"):
                raise SpecError(f"{method.upper()} {path}: parameter {parameter.get('name')!r} has unsupported content")
            del parameter["content"]
            parameter["schema"] = {"type": "string"}
            note = "JSON text (e.g. json.dumps(value))."
            parameter["description"] = f"{parameter.get('description', '')} {note}".strip()


_NO_DEFAULT = object()


def unset_parameter_defaults(spec: JSON) -> None:
    """Drop parameters' schema defaults, saying each in the parameter's description instead.

    The generator makes a default the endpoint argument's default, so a query the caller never set went out
    (measured: ``?page_size=100&page=0`` on every library listing, ``page`` being deprecated). A request
    carries what the caller set; the API applies its own defaults to the rest.
    """
    for path, _, operation in _operations(spec):
        for parameter in _parameters(spec, path, operation):
            schema = parameter.get("schema")
            found = _pop_default(schema) if isinstance(schema, dict) else _NO_DEFAULT
            if found is not _NO_DEFAULT:
                note = f"The API's default: {json.dumps(found)}."
                parameter["description"] = f"{parameter.get('description', '')} {note}".strip()


def _pop_default(schema: JSON) -> Any:
    """The schema's default (or its first union member's), removed; ``_NO_DEFAULT`` when there is none."""
    found = schema.pop("default", _NO_DEFAULT)
    for union in ("anyOf", "oneOf", "allOf"):
        for member in schema.get(union) or []:
            if isinstance(member, dict):
                inner = _pop_default(member)
                found = inner if found is _NO_DEFAULT else found
    return found


#: Response media types that are bytes to hand over, not documents to parse.
_BINARY_PREFIXES = ("audio/", "image/", "video/", "application/octet-stream", "application/pdf", "application/zip")
_RAW_BYTES: JSON = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


def _is_json(media_type: str) -> bool:
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


def raw_bytes_for_unknown_media(spec: JSON) -> None:
    """Give every response body that is not JSON to the caller as raw bytes.

    The generator parses only JSON and ``application/octet-stream``; any other media type (``audio/wav``,
    ``image/png``, ``application/pdf``, ``application/x-ndjson``, ``text/csv``...) makes it refuse the whole
    operation with "Unsupported content_type" (measured: the voice sample of the 2026-08 reference), and it
    reads ``text/*`` as a string even when the schema says object. Where a response offers JSON *and* a
    binary format (audio, images...), the binary one is what the server sends in practice (measured: the
    voice sample answers a WAV file), so the body is bytes too. Otherwise JSON alternatives are kept and
    the rest dropped, because the generator would pick whichever comes first. Bytes are returned whatever
    they hold, so no body is ever lost; event streams were taken out earlier by ``split_sse_responses``.
    """
    for _, _, operation in _operations(spec):
        for response in (operation.get("responses") or {}).values():
            content = response.get("content") if isinstance(response, dict) else None
            if not isinstance(content, dict) or not content:
                continue
            json_types = [ct for ct in content if _is_json(ct)]
            binary = [ct for ct in content if ct.lower().startswith(_BINARY_PREFIXES)]
            if json_types and not binary:
                response["content"] = {ct: content[ct] for ct in json_types}
            elif content != _RAW_BYTES:
                # Under the one binary media type the generator knows: it returns the body as bytes.
                response["content"] = copy.deepcopy(_RAW_BYTES)


def split_sse_responses(spec: JSON) -> None:
    """Take ``text/event-stream`` bodies away from the generator and record them for the streaming layer.

    The generator cannot stream: for an SSE-only response it emits ``Model.from_dict(response.text)``, which
    fails at run time, and beside a JSON body it silently ignores the SSE one. We record the event schema in
    ``x-mistral-sse`` on the operation and leave the generator a plain body: the JSON one when there is one,
    otherwise raw bytes. The facade generator reads the extension to return typed streams.
    """
    for path, method, operation in _operations(spec):
        for status, response in (operation.get("responses") or {}).items():
            content = response.get("content") if isinstance(response, dict) else None
            if not isinstance(content, dict) or SSE_CONTENT_TYPE not in content:
                continue
            media = content.pop(SSE_CONTENT_TYPE)
            schema = media.get("schema", {}) if isinstance(media, dict) else {}
            schema = _named_event_schema(spec, str(operation.get("operationId") or f"{method}_{path}"), schema)
            operation[SSE_EXTENSION] = {
                "status": str(status),
                "schema": schema,
                "also_json": any(ct.endswith("json") for ct in content),
            }
            if not content:
                content["application/octet-stream"] = {"schema": {"type": "string", "format": "binary"}}
            if not str(status).startswith("2"):
                raise SpecError(f"{method.upper()} {path}: event stream on non-success status {status}")


def inline_event_schema_name(operation_id: str, schema: Any) -> str | None:
    """The component name an inline event-stream schema gets (``None`` for a ``$ref`` or no schema).

    Named after what the events carry: the first named member of its ``data`` (``ExecutionLogRecordEvent``
    for ``{event, data: ExecutionLogRecord | StreamError}``), else after the operation. The facade generator
    asks the same function, so both agree on the class without reading the preprocessed spec.
    """
    if not isinstance(schema, dict) or not schema or "$ref" in schema:
        return None
    data = (schema.get("properties") or {}).get("data")
    members = [data] if isinstance(data, dict) and "$ref" in data else []
    if isinstance(data, dict) and not members:
        members = [m for key in ("oneOf", "anyOf") for m in data.get(key) or [] if isinstance(m, dict)]
    named = [str(m["$ref"]).rsplit("/", 1)[-1] for m in members if isinstance(m.get("$ref"), str)]
    return _class_name(f"{named[0]}_event" if named else f"{operation_id}_event")


def _named_event_schema(spec: JSON, operation_id: str, schema: Any) -> Any:
    """An inline event schema as a component of its own, so the generator writes its class (with the union
    of its ``data``) and the stream decodes each event with it; identical schemas share one component."""
    name = inline_event_schema_name(operation_id, schema)
    if name is None:
        return schema
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    known = schemas.get(name)
    if known is not None and known != schema:
        raise SpecError(f"{operation_id}: its event schema would be named {name}, a different schema's name")
    schemas[name] = schema
    return _reference(name)


def merge_array_unions(spec: JSON) -> None:
    """Merge ``anyOf``/``oneOf`` members that are all arrays into one array of the union of their items.

    At run time a list is a list: the generator cannot tell ``list[A]`` from ``list[B]`` and gives up on the
    whole schema (measured: two reference schemas, and every operation reaching them, lost). One array whose
    items may be A or B accepts the same documents.
    """
    for node in _walk(spec):
        for key in ("anyOf", "oneOf"):
            members = node.get(key)
            if not isinstance(members, list):
                continue
            arrays = [m for m in members if isinstance(m, dict) and m.get("type") == "array"]
            if len(arrays) < 2:
                continue
            items: list[Any] = []
            for array in arrays:
                item = array.get("items", {})
                if item not in items:
                    items.append(item)
            merged = {"type": "array", "items": items[0] if len(items) == 1 else {"anyOf": items}}
            node[key] = [merged if m is arrays[0] else m for m in members if m is arrays[0] or m not in arrays]
            if len(node[key]) == 1:
                node.update(node.pop(key)[0])


def _constant(spec: JSON, prop: Any) -> Any:
    """The single value a property schema allows (``const`` or a one-value ``enum``), else ``_NO_CONSTANT``."""
    if not isinstance(prop, dict):
        return _NO_CONSTANT
    resolved = _resolve(spec, prop)
    if "const" in resolved:
        return resolved["const"]
    enum = resolved.get("enum")
    return enum[0] if isinstance(enum, list) and len(enum) == 1 else _NO_CONSTANT


_NO_CONSTANT = object()
#: Property names tried first when a union's discriminator must be inferred.
_USUAL_DISCRIMINATORS = ("type", "role", "object", "event")


def _inferred_discriminator(spec: JSON, members: list[Any]) -> str | None:
    """The property by which an undeclared union can be told apart: one every object member fixes to its own value."""
    objects = [m for m in members if not (isinstance(m, dict) and m.get("type") == "null")]
    if len(objects) < 2 or not all(isinstance(m, dict) and "$ref" in m for m in objects):
        return None
    values: dict[str, list[Any]] = {}
    for member in objects:
        properties = _resolve(spec, member).get("properties")
        if not isinstance(properties, dict):
            return None
        for name, prop in properties.items():
            value = _constant(spec, prop)
            if value is not _NO_CONSTANT:
                values.setdefault(name, []).append(value)
    usable = [
        n for n, found in values.items() if len(found) == len(objects) and len(set(map(repr, found))) == len(found)
    ]
    preferred = [n for n in _USUAL_DISCRIMINATORS if n in usable] or sorted(usable)
    return preferred[0] if preferred else None


def open_discriminated_unions(spec: JSON) -> None:
    """Decode unions by their discriminator and keep members the spec does not know as data.

    The generator ignores ``discriminator`` and decodes a union by trying its members in order, so (a) a
    member whose discriminator is a plain enum can swallow another member's payload, and (b) a payload of a
    type added to the API later makes the last member raise. We make every member's discriminator property a
    ``const`` (the generated ``from_dict`` rejects a mismatch, so the try-in-order finds the right member)
    and append the ``UnknownVariant`` catch-all, which keeps an unknown payload as its raw mapping.

    Unions that declare no discriminator but whose object members each fix one property to a value of
    their own (Mistral's conversation entries: every member has its ``type`` constant) are treated alike.
    """
    schemas = _schemas(spec)
    found = False
    for node in list(_walk(spec)):
        members = node.get("oneOf") or node.get("anyOf")
        if not isinstance(members, list):
            continue
        discriminator = node.get("discriminator")
        if isinstance(discriminator, dict):
            name = discriminator.get("propertyName")
            mapping: dict[str, str] = discriminator.get("mapping") or {}
        else:
            name, mapping = _inferred_discriminator(spec, members), {}
            if name is None:
                continue
        found = True
        values_by_ref: dict[str, list[str]] = {}
        for value, target_ref in mapping.items():
            values_by_ref.setdefault(target_ref, []).append(value)
        for member in members:
            ref = member.get("$ref") if isinstance(member, dict) else None
            target = _resolve(spec, member) if isinstance(member, dict) else None
            if target is None or not isinstance(name, str):
                continue
            prop = (target.get("properties") or {}).get(name)
            values = values_by_ref.get(ref, []) if ref else []
            if isinstance(prop, dict):
                resolved = _resolve(spec, prop)
                if "const" in resolved:
                    continue
                constant = _constant(spec, prop)
                if constant is not _NO_CONSTANT:
                    values = [constant]
                if len(values) == 1:
                    default = prop.get("default", resolved.get("default"))
                    replacement: JSON = {"type": "string", "const": values[0]}
                    if default == values[0]:
                        replacement["default"] = default
                    if "description" in prop:
                        replacement["description"] = prop["description"]
                    target["properties"][name] = replacement
        unknown = {"$ref": f"#/components/schemas/{UNKNOWN_VARIANT}"}
        if unknown not in members:
            members.append(unknown)
        node.pop("discriminator", None)
    if found:
        existing = schemas.get(UNKNOWN_VARIANT)
        catch_all = {
            "type": "object",
            "additionalProperties": True,
            "description": "A union member this SDK does not know yet, kept as the raw mapping the server sent.",
        }
        if existing is not None and existing != catch_all:
            raise SpecError(f"components.schemas.{UNKNOWN_VARIANT} is reserved for unknown union members")
        schemas[UNKNOWN_VARIANT] = catch_all


@dataclass
class _Site:
    """An inline schema and the class name the generator would derive for it from where it stands."""

    node: JSON
    base: str
    #: the property or parameter it describes (``None`` for items, bodies, responses, components)
    field: str | None
    #: the top-level component or operation holding it
    owner: str
    #: "request" (parameters, request bodies), "response", or "component" (decided by what refers to it)
    side: str


def _class_name(value: str) -> str:
    """The class name openapi-python-client gives a schema named ``value`` (its own rule, so names match)."""
    from openapi_python_client.strings import ClassName  # the pinned generator; imported only when naming

    return str(ClassName(value, "field_"))


def _sites(spec: JSON) -> Iterator[_Site]:
    """Every inline schema of the document with its would-be class name, parents before children.

    Names follow the generator: component ``K`` is ``K``; its property ``p`` is ``K`` + ``P``; array items
    add ``Item``; map values ``AdditionalProperty``; an operation's parameter ``p`` is ``OperationId`` +
    ``P``, its request body ``...Body``, its response ``...Response200``.
    """
    for name in list(_schemas(spec)):
        schema = _schemas(spec).get(name)
        if isinstance(schema, dict):
            yield from _nested_sites(schema, _class_name(name), None, name, "component")
    for path, method, operation in _operations(spec):
        owner = _class_name(str(operation.get("operationId") or f"{method}_{path}"))
        for parameter in _parameters(spec, path, operation):
            if isinstance(parameter.get("schema"), dict) and isinstance(parameter.get("name"), str):
                field = parameter["name"]
                yield from _nested_sites(parameter["schema"], _class_name(f"{owner}_{field}"), field, owner, "request")
        body = operation.get("requestBody")
        for media in ((body or {}).get("content") or {}).values() if isinstance(body, dict) else []:
            if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                yield from _nested_sites(media["schema"], _class_name(f"{owner}_body"), None, owner, "request")
        for status, response in (operation.get("responses") or {}).items():
            content = response.get("content") if isinstance(response, dict) else None
            for media in (content or {}).values():
                if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                    name = _class_name(f"{owner}_response_{status}")
                    yield from _nested_sites(media["schema"], name, None, owner, "response")


def _nested_sites(node: JSON, base: str, field: str | None, owner: str, side: str) -> Iterator[_Site]:
    yield _Site(node, base, field, owner, side)
    for key, value in (node.get("properties") or {}).items():
        if isinstance(value, dict):
            yield from _nested_sites(value, _class_name(f"{base}_{key}"), key, owner, side)
    if isinstance(node.get("items"), dict):
        yield from _nested_sites(node["items"], f"{base}Item", None, owner, side)
    if isinstance(node.get("additionalProperties"), dict):
        yield from _nested_sites(node["additionalProperties"], f"{base}AdditionalProperty", None, owner, side)
    for key in ("anyOf", "oneOf", "allOf"):
        for member in node.get(key) or []:
            if isinstance(member, dict):
                # Union members share their parent's name here: naming them is what ``name_union_members`` does.
                yield from _nested_sites(member, base, field, owner, side)


def _makes_class(schema: JSON) -> bool:
    """Whether the generator writes a class for this inline schema: an enum or an object."""
    if "$ref" in schema or _is_composite(schema):
        return False
    return bool(schema.get("enum")) or schema.get("type") == "object" or "properties" in schema


def _is_free_form(schema: JSON) -> bool:
    """An object that accepts any members: ``{type: object}``, with or without ``additionalProperties: true``."""
    return (
        schema.get("type") == "object"
        and not schema.get("properties")
        and schema.get("additionalProperties", True) is True
        and not _is_composite(schema)
    )


#: Marks, until ``share_identical_enums`` removes it, a component this module named (not the spec's author).
_NAMED_BY_US = "x-mistral-named-by-preprocess"


def _reference(name: str) -> JSON:
    return {"$ref": f"#/components/schemas/{name}"}


def name_union_members(spec: JSON) -> None:
    """Give the enum or object inside a union (most often ``X or null``) a component of its own, named after
    the field, so no public class is called ``...Type0``.

    The generator names an inline union member after its position (``FinishReasonType0``,
    ``MetadataType0``, ``OutputsType0Item``): a name that says nothing and changes when a member is added.
    A member that would become a class is moved to ``components/schemas`` under the name the field itself
    would get (``CompletionResponseStreamChoiceFinishReason``); an array member's items under that name plus
    ``Item``. Free-form object members repeated in one union are one member. When a union holds several
    such members, or when the field's name is taken (a component that is itself a union), they are told
    apart by kind (``...Object``, ``...Enum``), several objects by the first member each requires
    (``SkillAssetContentRawContent``); a name another component already has is never reused: if
    none is free, the member stays inline (and keeps the generator's name).
    """
    schemas = _schemas(spec)
    taken = {_class_name(name) for name in schemas}
    changed = True
    while changed:
        changed = False
        for site in list(_sites(spec)):
            for key in ("anyOf", "oneOf"):
                members = site.node.get(key)
                if isinstance(members, list) and _hoist_members(site.base, members, schemas, taken):
                    changed = True


def _hoist_members(base: str, members: list[Any], schemas: JSON, taken: set[str]) -> bool:
    free = [m for m in members if isinstance(m, dict) and _is_free_form(m)]
    for extra in free[1:]:
        members.remove(extra)
    plans: list[tuple[JSON, str]] = []
    for member in members:
        if not isinstance(member, dict):
            continue
        if _makes_class(member):
            plans.append((member, "Enum" if member.get("enum") else "Object"))
        elif member.get("type") == "array" and isinstance(member.get("items"), dict) and _makes_class(member["items"]):
            plans.append((member["items"], "Item"))
    if not plans:
        return bool(free[1:])
    kinds = [kind for _, kind in plans]
    moved = False
    for schema, kind in plans:
        if kinds.count(kind) > 1:
            # Several objects: each is told by the first member it must have (e.g. ``...RawContent``).
            members = [r for r in schema.get("required") or [] if isinstance(r, str)]
            members = members or [str(p) for p in schema.get("properties") or {}]
            if kind != "Object" or not members:
                continue
            candidates = [f"{base}_{members[0]}"]
        else:
            candidates = [base + kind] if kind == "Item" or len(plans) > 1 else [base, base + kind]
        names = [n for n in map(_class_name, candidates) if n not in taken]
        if not names:
            continue
        name = names[0]
        taken.add(name)
        schemas[name] = {**schema, _NAMED_BY_US: True}
        schema.clear()
        schema.update(_reference(name))
        moved = True
    return moved or bool(free[1:])


@dataclass
class _Enum:
    """One place an enum is written: a component (``name``) or an inline schema (``site``)."""

    values: list[Any]
    kind: Any
    fields: set[str]
    response_only: bool
    name: str | None = None
    site: _Site | None = None

    @property
    def key(self) -> tuple[str, frozenset[str]]:
        return json.dumps(self.kind), frozenset(json.dumps(v) for v in self.values)


def _referrers(spec: JSON) -> tuple[dict[str, set[str]], set[str]]:
    """For each component, the fields whose schema refers to it; and the components a request can carry."""
    fields: dict[str, set[str]] = {}
    edges: dict[str, set[str]] = {}
    roots: set[str] = set()
    prefix = "#/components/schemas/"
    for site in _sites(spec):
        for node in [site.node, *[m for k in ("anyOf", "oneOf", "allOf") for m in site.node.get(k) or []]]:
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not (isinstance(ref, str) and ref.startswith(prefix)):
                continue
            target = ref[len(prefix) :]
            if site.field is not None:
                fields.setdefault(target, set()).add(site.field)
            if site.side == "component":
                edges.setdefault(site.owner, set()).add(target)
            elif site.side == "request":
                roots.add(target)
    reachable: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name not in reachable:
            reachable.add(name)
            stack.extend(edges.get(name, ()))
    return fields, reachable


def _enums(spec: JSON) -> list[_Enum]:
    schemas = _schemas(spec)
    fields, in_requests = _referrers(spec)
    found: list[_Enum] = []
    for site in _sites(spec):
        node = site.node
        values = node.get("enum")
        if not isinstance(values, list) or not values or "$ref" in node or _is_composite(node):
            continue
        kind = node.get("type", "string")
        if kind not in ("string", "integer"):
            continue  # the generator writes classes only for string and integer enums (a boolean one is a bool)
        if site.side == "component" and node is schemas.get(site.owner):
            response_only = site.owner not in in_requests
            found.append(_Enum(values, kind, fields.get(site.owner, set()), response_only, name=site.owner))
        else:
            response_only = site.side == "response" or (site.side == "component" and site.owner not in in_requests)
            found.append(_Enum(values, kind, {site.field} if site.field else set(), response_only, site=site))
    return found


def _group_enums(found: list[_Enum]) -> list[list[_Enum]]:
    """Identical enums together; then, among enums only ever read from responses and all under one field
    name, those whose values another such group contains, with that group (a response enum is open anyway)."""
    groups: dict[tuple[str, frozenset[str]], list[_Enum]] = {}
    for enum in found:
        groups.setdefault(enum.key, []).append(enum)
    by_field: dict[tuple[str, str], list[tuple[str, frozenset[str]]]] = {}
    for key, members in groups.items():
        names = set().union(*(m.fields for m in members))
        if len(names) == 1 and all(m.response_only and m.fields for m in members):
            by_field.setdefault((key[0], next(iter(names))), []).append(key)
    for keys in by_field.values():
        widest = [k for k in keys if all(other[1] <= k[1] for other in keys)]
        if len(keys) > 1 and len(widest) == 1:
            for key in keys:
                if key != widest[0]:
                    groups[widest[0]].extend(groups.pop(key))
    return [members for members in groups.values() if len(members) > 1]


def _canonical_name(members: list[_Enum], schemas: JSON, taken: set[str]) -> str:
    authored = [m.name for m in members if m.name and not schemas[m.name].get(_NAMED_BY_US)]
    if authored:
        return authored[0]
    names = set().union(*(m.fields for m in members))
    own = {_class_name(m.name) for m in members if m.name}
    # A one-word field (``status``, ``type``) names too many different things to name a shared enum.
    field = next(iter(names)) if len(names) == 1 else ""
    if "_" in field.strip("_"):
        shared = _class_name(field)
        if shared not in taken or shared in own:
            return shared
    first = members[0]
    return first.name if first.name else first.site.base if first.site else ""


def share_identical_enums(spec: JSON) -> None:
    """Write each distinct enum once, as one component, and refer to it from every place that uses it.

    The generator writes a class per place an enum appears, so the same values became up to nine classes
    (the conversation's ``handoff_execution``), and the streamed chunk and the full response had different
    classes for ``finish_reason``. Enums with the same values (and type) become one component, named: after
    a component the spec's author named, if one of them is; else after the field they all describe
    (``handoff_execution`` -> ``HandoffExecution``) unless another component holds that name or the field
    is a single word (``status`` says too little); else after the first place (``config.yaml``'s
    ``class_overrides`` can then give it a better name). Enums that are only ever read from responses, all under the same field, and whose
    values one of them contains, share that widest one: decoding accepts unknown values anyway, so no
    response decodes differently (this is the ``finish_reason`` case). Request enums are never widened.
    """
    schemas = _schemas(spec)
    for members in _group_enums(_enums(spec)):
        taken = {_class_name(name) for name in schemas}
        name = _canonical_name(members, schemas, taken)
        widest = max(members, key=lambda m: len(m.values))
        # A component keeps all it says; an inline enum's siblings (default, description) describe its field.
        canonical: JSON = dict(schemas[widest.name]) if widest.name else {"type": widest.kind, "enum": widest.values}
        for member in members:
            if member.name and member.name != name:
                del schemas[member.name]
                _rename_references(spec, member.name, name)
            elif member.site is not None:
                node = member.site.node
                siblings = {k: v for k, v in node.items() if k not in ("type", "enum")}
                node.clear()
                node.update({"anyOf": [_reference(name)], **siblings} if siblings else _reference(name))
        schemas[name] = canonical
    for schema in schemas.values():
        if isinstance(schema, dict):
            schema.pop(_NAMED_BY_US, None)


def _rename_references(spec: JSON, old: str, new: str) -> None:
    before, after = f"#/components/schemas/{old}", f"#/components/schemas/{new}"
    for node in _walk(spec):
        if node.get("$ref") == before:
            node["$ref"] = after
        mapping = node.get("mapping")
        if isinstance(mapping, dict):
            for key, value in mapping.items():
                if value == before:
                    mapping[key] = after


PASSES: tuple[Callable[[JSON], None], ...] = (
    fix_legacy_dialect,
    resolve_local_defs,
    drop_titles,
    unwrap_single_allof,
    merge_allof_overrides,
    read_nullable_keyword,
    split_nullable_enums,
    split_type_lists,
    normalise_const,
    merge_prefix_items,
    flatten_content_parameters,
    unset_parameter_defaults,
    split_sse_responses,
    raw_bytes_for_unknown_media,
    merge_array_unions,
    open_discriminated_unions,
    name_union_members,
    share_identical_enums,
)


def preprocess(spec: JSON) -> JSON:
    """Return a generatable copy of ``spec``; the input is left untouched."""
    result = copy.deepcopy(spec)
    for run in PASSES:
        run(result)
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m generator.preprocess SPEC OUT.json", file=sys.stderr)
        return 2
    try:
        spec = preprocess(load_spec(Path(args[0])))
    except SpecError as exc:
        print(f"preprocess: {exc}", file=sys.stderr)
        return 1
    Path(args[1]).write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
