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

    Those files write ``type: int``, put ``required: true`` inside a property schema, and give ``items``
    as a one-element list. Each is rewritten into its standard OpenAPI 3 form.
    """
    for node in _walk(spec):
        kind = node.get("type")
        if isinstance(kind, str) and kind in _LEGACY_TYPES:
            node["type"] = _LEGACY_TYPES[kind]
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


#: Response media types that are bytes to hand over, not documents to parse.
_BINARY_PREFIXES = ("audio/", "image/", "video/", "application/octet-stream", "application/pdf", "application/zip")


def prefer_binary_responses(spec: JSON) -> None:
    """Where a response offers JSON or a binary format (audio, images...), describe only the binary one.

    The generator picks the JSON alternative and calls ``response.json()`` on what is, in practice, a WAV
    file (measured: the voice sample download). As raw bytes the body is returned whatever it holds; the
    generator knows only ``application/octet-stream`` among binary types, so that is what it is told.
    """
    for _, _, operation in _operations(spec):
        for response in (operation.get("responses") or {}).values():
            content = response.get("content") if isinstance(response, dict) else None
            if not isinstance(content, dict) or len(content) < 2:
                continue
            binary = [ct for ct in content if ct.startswith(_BINARY_PREFIXES)]
            if binary and any(ct.endswith("json") for ct in content):
                # Under the one binary media type the generator knows: it returns the body as bytes.
                response["content"] = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


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
            operation[SSE_EXTENSION] = {
                "status": str(status),
                "schema": schema,
                "also_json": any(ct.endswith("json") for ct in content),
            }
            if not content:
                content["application/octet-stream"] = {"schema": {"type": "string", "format": "binary"}}
            if not str(status).startswith("2"):
                raise SpecError(f"{method.upper()} {path}: event stream on non-success status {status}")


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


PASSES: tuple[Callable[[JSON], None], ...] = (
    fix_legacy_dialect,
    drop_titles,
    unwrap_single_allof,
    merge_allof_overrides,
    split_nullable_enums,
    flatten_content_parameters,
    split_sse_responses,
    prefer_binary_responses,
    merge_array_unions,
    open_discriminated_unions,
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
