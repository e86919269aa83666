#!/usr/bin/env python3
"""Bring the facts of a published OpenAPI description into ours, and list what still needs our own words.

Usage: scripts/spec_sync.py PUBLISHED [--spec openapi.yaml] [--write]

Without --write it reports, against our description, every operation, component schema and security scheme that
is new in the published one, changed (names, types, enums, required lists, media types, streaming, constraints,
how the key is sent) or gone from it.
With --write it carries the facts of what is new or changed into our file: paths, methods, operationIds,
parameters, request and response media types, schemas, types, enums, required lists, defaults, constraints,
deprecated flags, operations' `security` and the security schemes they name (type, scheme, in, name). It never
carries prose (description, summary, title, examples) or `x-` extensions: those are ours to write. Our file is
edited with ruamel.yaml's round-trip mode, so its comments and layout survive, and an item that did not change
is left byte for byte as it was.

Operations that are gone from the published description are reported and kept (the API may well still serve
them, as it does the deprecated fine-tuning job operations); schemas that are gone are removed once nothing of
ours refers to them. A gone schema whose facts reappear under a new name is reported as a rename: our prose
moves to the new name and every reference follows. Reference defects that spec_compat.py tolerates are never
carried over.

Finally it lists everything that still lacks our own description (the rule is in `undescribed`).

Exit status: 0 when nothing is new or changed (after --write: when nothing was left to carry) and everything
is described; 1 otherwise; 2 when an input cannot be read.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from spec_compat import (
    HTTP_METHODS,
    NAME_MAPS,
    PROSE_KEYS,
    SCHEMA_REF,
    SET_KEYS,
    TOLERATED_DEFECTS,
    Difference,
    SpecError,
    ToleratedDefect,
    diff,
    load_spec,
    reachable,
    schema_refs,
)

# Request-body properties whose name says everything a caller needs; every other property of a request schema
# needs our description. Responses are read, not written: their property names suffice.
SELF_EXPLANATORY: Final = frozenset(
    {"id", "name", "description", "metadata", "title", "created_at", "updated_at", "page", "page_size", "tags"}
)

# Where a parameter declared once for several operations lives.
PARAMETER_REF: Final = "#/components/parameters/"

# How many differences of one changed item the report shows before summarising the rest.
SHOWN_DIFFERENCES: Final = 6


# --- reading and writing our file ------------------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line of ours
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(type(None), _represent_null)
    return yaml


def _represent_null(representer: Any, _: None) -> Any:
    """Write `null` as our file does, not ruamel's default empty value."""
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def load_ours(path: Path) -> CommentedMap:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read {path}: {exc}") from exc
    document = _yaml().load(text)
    if not isinstance(document, CommentedMap) or not isinstance(document.get("paths", {}), dict):
        raise SpecError(f"{path} is not an OpenAPI document (expected a mapping with a `paths` mapping)")
    return document


def dump_ours(document: CommentedMap) -> str:
    stream = io.StringIO()
    _yaml().dump(document, stream)
    return stream.getvalue()


def plain(node: Any) -> Any:
    """The same data as plain JSON types, exactly as the project's spec loader would produce it."""
    plain_data: Any = json.loads(json.dumps(node, default=str))
    return plain_data


# --- facts -----------------------------------------------------------------------------------------------------


def is_prose(key: object) -> bool:
    return isinstance(key, str) and (key in PROSE_KEYS or key.startswith("x-"))


def facts(node: Any, names: bool = False) -> Any:
    """A copy of a fragment without prose or extensions (keys of name mappings are API names, kept)."""
    if isinstance(node, dict):
        return {k: facts(v, k in NAME_MAPS and not names) for k, v in node.items() if names or not is_prose(k)}
    if isinstance(node, list):
        return [facts(v) for v in node]
    return node


def _same(ours: Any, published: Any) -> bool:
    return not any(diff(plain(ours), published, ""))


def _parameter_key(parameter: Any) -> str:
    if isinstance(parameter, dict) and "name" in parameter:
        return f"{parameter.get('in')}:{parameter['name']}"
    return json.dumps(parameter, sort_keys=True, default=str)


def _set_item_location(location: str, item: Any) -> str:
    text = json.dumps(item, sort_keys=True)
    return f"{location}[{json.loads(text)!r}]" if text.startswith('"') else f"{location}[{text}]"


class _Carrier:
    """Updates a fragment of ours in place so that its facts equal the published ones, keeping our prose."""

    def __init__(self, tolerated: Iterable[ToleratedDefect]) -> None:
        self.keep = {t.difference.location for t in tolerated}

    def update(self, ours: dict[str, Any], published: dict[str, Any], location: str, names: bool = False) -> None:
        for key in list(ours):
            here = f"{location}.{key}"
            if (names or not is_prose(key)) and key not in published and here not in self.keep:
                del ours[key]
        for key, value in published.items():
            if not names and is_prose(key):
                continue
            here = f"{location}.{key}"
            if here in self.keep:
                continue
            current = ours.get(key)
            if key not in ours:
                ours[key] = facts(value, key in NAME_MAPS and not names)
            elif isinstance(current, dict) and isinstance(value, dict):
                if key == "content" and not names:
                    self._update_content(current, value, here)
                else:
                    self.update(current, value, here, names=key in NAME_MAPS and not names)
            elif not names and key in SET_KEYS and isinstance(current, list) and isinstance(value, list):
                self._update_set(ours, key, value, here)
            elif not names and key == "parameters" and isinstance(current, list) and isinstance(value, list):
                self._update_parameters(current, value, here)
            elif isinstance(current, list) and isinstance(value, list) and len(current) == len(value):
                for index, item in enumerate(value):
                    self._update_item(current, index, item, f"{here}[{index}]")
            elif not _same(current, value):
                ours[key] = facts(value, key in NAME_MAPS and not names)

    def _update_item(self, items: list[Any], index: int, value: Any, location: str) -> None:
        if isinstance(items[index], dict) and isinstance(value, dict):
            self.update(items[index], value, location)
        elif not _same(items[index], value):
            items[index] = facts(value)

    def _update_content(self, ours: dict[str, Any], published: dict[str, Any], location: str) -> None:
        for media_type in list(ours):
            if media_type not in published and f"{location}[{media_type}]" not in self.keep:
                del ours[media_type]
        for media_type, value in published.items():
            here = f"{location}[{media_type}]"
            if here in self.keep:
                continue
            if isinstance(ours.get(media_type), dict) and isinstance(value, dict):
                self.update(ours[media_type], value, here)
            else:
                ours[media_type] = facts(value)

    def _update_set(self, parent: dict[str, Any], key: str, published: list[Any], location: str) -> None:
        current = plain(parent[key])
        kept = [item for item in current if item not in published and _set_item_location(location, item) in self.keep]
        wanted = [item for item in published if item in current or _set_item_location(location, item) not in self.keep]
        if sorted(map(json.dumps, current)) != sorted(map(json.dumps, wanted + kept)):
            parent[key] = [*wanted, *kept]

    def _update_parameters(self, ours: list[Any], published: list[Any], location: str) -> None:
        by_key = {_parameter_key(p): p for p in ours}
        result = []
        for parameter in published:
            key = _parameter_key(parameter)
            if key in by_key and isinstance(by_key[key], dict) and isinstance(parameter, dict):
                self.update(by_key[key], parameter, f"{location}[{key}]")
                result.append(by_key[key])
            else:
                result.append(facts(parameter))
        if [_parameter_key(p) for p in ours] != [_parameter_key(p) for p in result] or len(result) != len(ours):
            ours[:] = result


# --- comparing ---------------------------------------------------------------------------------------------------


def operations(spec: dict[str, Any]) -> dict[tuple[str, str], Any]:
    return {
        (path, method): item[method]
        for path, item in (spec.get("paths") or {}).items()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if method in item
    }


def security_schemes(spec: dict[str, Any]) -> dict[str, Any]:
    section = (spec.get("components") or {}).get("securitySchemes") or {}
    return section if isinstance(section, dict) else {}


def schemas(spec: dict[str, Any]) -> dict[str, Any]:
    section = (spec.get("components") or {}).get("schemas") or {}
    return section if isinstance(section, dict) else {}


def reachable_schemas(spec: dict[str, Any]) -> set[str]:
    """The component schemas that some operation uses, directly or through other schemas."""
    return reachable(schemas(spec), schema_refs(spec.get("paths") or {}))


def _op_name(key: tuple[str, str]) -> str:
    return f"paths[{key[0]}].{key[1]}"


def _kind(difference: Difference) -> str:
    """A one-word classification of a difference, for the reader of the report."""
    location = difference.location
    for marker, kind in (
        ("content[text/event-stream]", "streaming"),
        (".content[", "media type"),
        (".enum[", "enum"),
        (".required[", "required"),
        (".type", "type"),
        (".$ref", "type"),
        (".parameters[", "parameter"),
        (".operationId", "name"),
        (".deprecated", "deprecated"),
    ):
        if marker in location:
            return kind
    if difference.ours == "<missing>" or difference.reference == "<missing>":
        return "name"
    return "constraint"


@dataclass
class SyncReport:
    new_operations: list[tuple[str, str]] = field(default_factory=list)
    changed_operations: dict[tuple[str, str], list[Difference]] = field(default_factory=dict)
    gone_operations: list[tuple[str, str]] = field(default_factory=list)
    new_schemas: list[str] = field(default_factory=list)
    changed_schemas: dict[str, list[Difference]] = field(default_factory=dict)
    gone_schemas: list[str] = field(default_factory=list)
    renamed_schemas: dict[str, str] = field(default_factory=dict)
    removed_schemas: list[str] = field(default_factory=list)
    # how operations send their key: a scheme the published operations may name must exist in ours too
    new_security_schemes: list[str] = field(default_factory=list)
    changed_security_schemes: dict[str, list[Difference]] = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        return bool(
            self.new_operations
            or self.changed_operations
            or self.new_schemas
            or self.changed_schemas
            or self.renamed_schemas
            or self.new_security_schemes
            or self.changed_security_schemes
        )

    def lines(self, written: bool) -> Iterator[str]:
        verb = "carried" if written else "new"
        for key in self.new_operations:
            yield f"NEW operation {_op_name(key)}" + (" (carried)" if written else "")
        for key, differences in self.changed_operations.items():
            yield from _changed_lines(f"operation {_op_name(key)}", differences, written)
        for key in self.gone_operations:
            yield f"GONE operation {_op_name(key)} (kept in ours: remove it by hand if the API no longer serves it)"
        for old, new in self.renamed_schemas.items():
            yield f"RENAMED schema {old} -> {new}" + (" (our prose moved, references follow)" if written else "")
        for name in self.new_schemas:
            yield f"NEW schema {name}" + (f" ({verb})" if written else "")
        for name, differences in self.changed_schemas.items():
            yield from _changed_lines(f"schema {name}", differences, written)
        for name in self.gone_schemas:
            removed = name in self.removed_schemas
            yield f"GONE schema {name}" + (" (removed: nothing refers to it)" if removed else " (still used by ours)")
        for name in self.new_security_schemes:
            yield f"NEW security scheme {name}" + (f" ({verb})" if written else "")
        for name, differences in self.changed_security_schemes.items():
            yield from _changed_lines(f"security scheme {name}", differences, written)


def _changed_lines(what: str, differences: list[Difference], written: bool) -> Iterator[str]:
    kinds = sorted({_kind(d) for d in differences})
    yield f"CHANGED {what} [{', '.join(kinds)}]" + (" (carried)" if written else "")
    for difference in differences[:SHOWN_DIFFERENCES]:
        yield f"    {difference}"
    if len(differences) > SHOWN_DIFFERENCES:
        yield f"    ... and {len(differences) - SHOWN_DIFFERENCES} more"


def _tolerated_filter(differences: Iterable[Difference], tolerated: Sequence[ToleratedDefect]) -> list[Difference]:
    return [d for d in differences if not any(t.covers(d) for t in tolerated)]


def _detect_renames(
    ours: dict[str, Any], published: dict[str, Any], gone: list[str], new: list[str], differences: list[Difference]
) -> dict[str, str]:
    """Gone schemas that reappear under a new name.

    A gone schema X is renamed to a new schema Y when the published spec refers to Y exactly where ours refers
    to X (same operation, same place), or, failing that, when Y's facts are identical to X's. Renamed schemas
    are then compared in turn, which finds the renames of the schemas only they refer to.
    """
    candidates: dict[str, set[str]] = {}
    explored: set[tuple[str, str]] = set()
    pending = list(differences)
    while pending:
        for pair in _ref_pairs(pending.pop()):
            if pair[0] in gone and pair[1] in new:
                candidates.setdefault(pair[0], set()).add(pair[1])
                if pair not in explored:
                    explored.add(pair)
                    pending.extend(diff(schemas(ours)[pair[0]], schemas(published)[pair[1]], f"schemas.{pair[1]}"))
    claims = Counter(target for targets in candidates.values() for target in targets)
    renames = {
        old: target
        for old, targets in candidates.items()
        for target in targets
        if len(targets) == 1 and claims[target] == 1
    }
    by_facts: dict[str, list[str]] = {}
    for name in new:
        by_facts.setdefault(json.dumps(facts(schemas(published)[name]), sort_keys=True), []).append(name)
    for name in gone:
        same = by_facts.get(json.dumps(facts(schemas(ours)[name]), sort_keys=True), [])
        if name not in candidates and len(same) == 1 and same[0] not in renames.values():
            renames[name] = same[0]
    return renames


def _ref_pairs(difference: Difference) -> Iterator[tuple[str, str]]:
    """(our schema, published schema) pairs that a difference shows in the same place."""
    if difference.location.endswith(".$ref"):
        ours, published = (_ref_name(v) for v in (difference.ours, difference.reference))
        if ours and published:
            yield ours, published
    elif difference.ours.startswith("[") and difference.reference.startswith("["):  # union members, by position
        our_members = difference.ours.strip("[]").split(", ")
        published_members = difference.reference.strip("[]").split(", ")
        if len(our_members) == len(published_members):
            yield from zip(our_members, published_members, strict=True)


def _ref_name(rendered: str) -> str | None:
    try:
        value = json.loads(rendered)
    except ValueError:
        value = rendered.removeprefix("$ref:")
    if isinstance(value, str) and value.startswith(SCHEMA_REF):
        return value[len(SCHEMA_REF) :]
    return None


def compare(
    ours: dict[str, Any], published: dict[str, Any], tolerated: Sequence[ToleratedDefect] = TOLERATED_DEFECTS
) -> SyncReport:
    report = SyncReport()
    our_ops, published_ops = operations(ours), operations(published)
    for key, operation in published_ops.items():
        if key not in our_ops:
            report.new_operations.append(key)
        else:
            differences = _tolerated_filter(diff(our_ops[key], operation, _op_name(key)), tolerated)
            path_item, our_item = published["paths"][key[0]], ours["paths"][key[0]]
            for extra in set(path_item) - set(HTTP_METHODS) - {"summary", "description"}:
                differences += diff(our_item.get(extra), path_item[extra], f"paths[{key[0]}].{extra}")
            if differences:
                report.changed_operations[key] = differences
    report.gone_operations = [key for key in our_ops if key not in published_ops]

    our_schemas, published_schemas = schemas(ours), schemas(published)
    used = reachable_schemas(published)
    for name in sorted(used, key=list(published_schemas).index):
        if name not in our_schemas:
            report.new_schemas.append(name)
        else:
            differences = _tolerated_filter(
                diff(our_schemas[name], published_schemas[name], f"schemas.{name}"), tolerated
            )
            if differences:
                report.changed_schemas[name] = differences
    report.gone_schemas = [name for name in our_schemas if name not in published_schemas]
    every_difference = [d for ds in (*report.changed_operations.values(), *report.changed_schemas.values()) for d in ds]
    report.renamed_schemas = _detect_renames(ours, published, report.gone_schemas, report.new_schemas, every_difference)
    report.new_schemas = [name for name in report.new_schemas if name not in report.renamed_schemas.values()]
    report.gone_schemas = [name for name in report.gone_schemas if name not in report.renamed_schemas]
    our_schemes = security_schemes(ours)
    for name, scheme in security_schemes(published).items():
        if name not in our_schemes:
            report.new_security_schemes.append(name)
        else:
            differences = list(diff(our_schemes[name], scheme, f"securitySchemes.{name}"))
            if differences:
                report.changed_security_schemes[name] = differences
    return report


# --- writing -----------------------------------------------------------------------------------------------------


def _group_header(target: CommentedMap, key: str, title: str, indent: int) -> None:
    rule = "-" * (113 - indent)
    target.yaml_set_comment_before_after_key(key, before=f"{rule}\n{title}\n{rule}", indent=indent)


class _Placer:
    """Puts new entries where a reader looks for them: next to entries of the same tag, else in a new group.

    An entry whose tag some existing entry carries goes right after the last such entry; the others are
    appended at the end, under a header comment naming their tag.
    """

    def __init__(self, target: CommentedMap, indent: int, tag_of: dict[str, str]) -> None:
        self.target, self.indent, self.tag_of = target, indent, tag_of
        self.last: dict[str, str] = {}
        for key in target:
            if key in tag_of:
                self.last[tag_of[key]] = key

    def place(self, key: str, value: Any) -> None:
        tag = self.tag_of.get(key, "other")
        if tag in self.last:
            self.target.insert(list(self.target).index(self.last[tag]) + 1, key, value)
        else:
            self.target[key] = value
            _group_header(self.target, key, tag, self.indent)
        self.last[tag] = key


def _replace_key(target: CommentedMap, old: str, new: str) -> None:
    """Rename a key where it stands, with its comments."""
    position = list(target).index(old)
    comment = target.ca.items.pop(old, None)
    target.insert(position, new, target.pop(old))
    if comment is not None:
        target.ca.items[new] = comment


def _path_tags(spec: dict[str, Any]) -> dict[str, str]:
    """Each path's tag: the first tag of its first operation that has one."""
    tags: dict[str, str] = {}
    for (path, _), operation in operations(spec).items():
        if operation.get("tags") and path not in tags:
            tags[path] = str(operation["tags"][0])
    return tags


def _schema_tags(spec: dict[str, Any]) -> dict[str, str]:
    """Each schema's tag: that of the first operation (in document order) that uses it."""
    available = schemas(spec)
    tags: dict[str, str] = {}
    for operation in operations(spec).values():
        tag = str((operation.get("tags") or ["other"])[0])
        pending = list(schema_refs(operation))
        while pending:
            name = pending.pop(0)
            if name in available and name not in tags:
                tags[name] = tag
                pending.extend(schema_refs(available[name]))
    return tags


def _rename_refs(node: Any, renames: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_REF):
                name = value[len(SCHEMA_REF) :]
                if name in renames:
                    node[key] = SCHEMA_REF + renames[name]
            else:
                _rename_refs(value, renames)
    elif isinstance(node, list):
        for value in node:
            _rename_refs(value, renames)


def write(
    document: CommentedMap,
    published: dict[str, Any],
    report: SyncReport,
    tolerated: Sequence[ToleratedDefect] = TOLERATED_DEFECTS,
) -> None:
    """Carry every new and changed fact of `report` into our round-trip document, in place."""
    carrier = _Carrier(tolerated)
    paths = document.setdefault("paths", CommentedMap())
    placer = _Placer(paths, 2, {**_path_tags(published), **_path_tags(plain(document))})
    for path, method in report.new_operations:
        if path not in paths:
            item = {
                k: facts(v) for k, v in published["paths"][path].items() if k not in HTTP_METHODS and not is_prose(k)
            }
            placer.place(path, CommentedMap(item))
        paths[path][method] = facts(published["paths"][path][method])
    for (path, method), _ in report.changed_operations.items():
        published_item = published["paths"][path]
        carrier.update(paths[path][method], published_item[method], _op_name((path, method)))
        for extra in set(published_item) - set(HTTP_METHODS) - {"summary", "description"}:
            paths[path][extra] = facts(published_item[extra])

    section = document.setdefault("components", CommentedMap()).setdefault("schemas", CommentedMap())
    for old, new in report.renamed_schemas.items():
        _replace_key(section, old, new)
        carrier.update(section[new], schemas(published)[new], f"schemas.{new}")
    _rename_refs(document, report.renamed_schemas)
    placer = _Placer(section, 4, _schema_tags(published))
    placer.last = {}  # new schemas form groups of their own after ours, whatever their tag
    for name in report.new_schemas:
        if name not in section:
            placer.place(name, facts(schemas(published)[name]))
    for name in report.changed_schemas:
        carrier.update(section[name], schemas(published)[name], f"schemas.{name}")
    published_schemes = security_schemes(published)
    if report.new_security_schemes or report.changed_security_schemes:
        schemes = document.setdefault("components", CommentedMap()).setdefault("securitySchemes", CommentedMap())
        for name in report.new_security_schemes:
            schemes[name] = facts(published_schemes[name])
        for name in report.changed_security_schemes:
            carrier.update(schemes[name], published_schemes[name], f"securitySchemes.{name}")
    _add_missing_tags(document)
    still_used = reachable_schemas(plain(document))
    for name in report.gone_schemas:
        if name in section and name not in still_used:
            del section[name]
            report.removed_schemas.append(name)


def _add_missing_tags(document: CommentedMap) -> None:
    """Every tag an operation uses gets an entry in the top-level list (its description is ours to write)."""
    tags = document.setdefault("tags", CommentedSeq())
    declared = {tag.get("name") for tag in tags if isinstance(tag, dict)}
    last = tags[-1] if tags and isinstance(tags[-1], CommentedMap) else None
    trailing = last.ca.items.pop(list(last)[-1], None) if last else None  # e.g. the blank line ending the list
    for operation in operations(document).values():
        for name in operation.get("tags") or []:
            if name not in declared:
                tags.append(CommentedMap(name=name))
                declared.add(name)
    if trailing is not None:
        tags[-1].ca.items[list(tags[-1])[-1]] = trailing


# --- what still needs our words ----------------------------------------------------------------------------------


def request_schemas(spec: dict[str, Any]) -> set[str]:
    """Component schemas a caller builds field by field: the body of some request, each schema of a body that is
    one of several (`anyOf`/`oneOf`, such as an optional body: a schema or null) and, in turn, the `allOf`
    members such a schema extends."""
    names: set[str] = set()
    pending: list[dict[str, Any]] = []
    for operation in operations(spec).values():
        for media in ((operation.get("requestBody") or {}).get("content") or {}).values():
            schema = media.get("schema") if isinstance(media, dict) else None
            if isinstance(schema, dict):
                pending.append(schema)
    ours = schemas(spec)
    while pending:
        schema = pending.pop()
        ref = str(schema.get("$ref", ""))
        if ref.startswith(SCHEMA_REF):
            name = ref[len(SCHEMA_REF) :]
            target = ours.get(name)
            if name not in names and isinstance(target, dict):
                names.add(name)
                pending += [member for member in target.get("allOf") or [] if isinstance(member, dict)]
            continue
        for combinator in ("anyOf", "oneOf", "allOf"):
            pending += [member for member in schema.get(combinator) or [] if isinstance(member, dict)]
    return names


def _parameters(spec: dict[str, Any], key: tuple[str, str], operation: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """An operation's parameters, those its path declares for all its operations first, references resolved."""
    item = (spec.get("paths") or {}).get(key[0]) or {}
    for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        ref = str(parameter.get("$ref", "")) if isinstance(parameter, dict) else ""
        if ref.startswith(PARAMETER_REF):
            parameter = ((spec.get("components") or {}).get("parameters") or {}).get(ref[len(PARAMETER_REF) :])
        if isinstance(parameter, dict):
            yield parameter


def _lacks(node: Any, key: str) -> bool:
    return not isinstance(node, dict) or not str(node.get(key) or "").strip()


def undescribed(spec: dict[str, Any]) -> list[str]:
    """Everything that still needs our own description. The rule:

    - every operation: a summary and a description, and each of its responses a description (OpenAPI requires
      one, and the published spec often leaves it out);
    - every parameter of an operation (path, query, header or cookie; declared on the operation or on its path):
      a description, on the parameter or on its schema, because it becomes an argument's documentation;
    - every component schema: a description;
    - every property of a request body (a component schema in `request_schemas`, or an inline body), own or from
      an inline `allOf` member, whose name is not in SELF_EXPLANATORY and which is not a bare `$ref` to a
      (described) component: a description, because that is where a caller chooses what to send;
    - every tag an operation uses: a description;
    - every security scheme: a description (it tells a caller which key to use and where it goes).
    """
    missing: list[str] = []
    for key, operation in operations(spec).items():
        lacking = [k for k in ("summary", "description") if _lacks(operation, k)]
        if lacking:
            missing.append(f"{_op_name(key)} ({', '.join(lacking)})")
        for status, response in (operation.get("responses") or {}).items():
            if _lacks(response, "description") and "$ref" not in response:
                missing.append(f"{_op_name(key)}.responses.{status}")
        for parameter in _parameters(spec, key, operation):
            if _lacks(parameter, "description") and _lacks(parameter.get("schema"), "description"):
                missing.append(f"{_op_name(key)}.parameters[{parameter.get('name')}]")
        for media_type, media in ((operation.get("requestBody") or {}).get("content") or {}).items():
            schema = media.get("schema") if isinstance(media, dict) else None
            if isinstance(schema, dict) and "$ref" not in schema:
                missing += _undescribed_properties(schema, f"{_op_name(key)}.requestBody[{media_type}]")
    our_schemas = schemas(spec)
    for name, schema in our_schemas.items():
        if _lacks(schema, "description"):
            missing.append(f"schemas.{name}")
    for name in sorted(request_schemas(spec)):
        if name in our_schemas:
            missing += _undescribed_properties(our_schemas[name], f"schemas.{name}")
    used_tags = {t for operation in operations(spec).values() for t in operation.get("tags") or []}
    declared = {tag.get("name"): tag for tag in spec.get("tags") or [] if isinstance(tag, dict)}
    missing += [f"tags[{name}]" for name in sorted(used_tags) if _lacks(declared.get(name), "description")]
    missing += [
        f"securitySchemes.{name}" for name, scheme in security_schemes(spec).items() if _lacks(scheme, "description")
    ]
    return missing


def _undescribed_properties(schema: dict[str, Any], location: str) -> list[str]:
    properties = schema.get("properties") or {}
    missing = [
        f"{location}.properties.{name}"
        for name, value in properties.items()
        if name not in SELF_EXPLANATORY and _lacks(value, "description") and not _is_bare_ref(value)
    ]
    for index, member in enumerate(schema.get("allOf") or []):
        if isinstance(member, dict) and "$ref" not in member:
            missing += _undescribed_properties(member, f"{location}.allOf[{index}]")
    return missing


def _is_bare_ref(value: Any) -> bool:
    """A property that is only a reference to a component schema: that schema's description covers it."""
    return isinstance(value, dict) and set(value) == {"$ref"} and str(value["$ref"]).startswith(SCHEMA_REF)


# --- command line ------------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("published", type=Path, help="the published OpenAPI description (YAML or JSON)")
    parser.add_argument("--spec", type=Path, default=Path("openapi.yaml"), help="ours (default: %(default)s)")
    parser.add_argument("--write", action="store_true", help="carry new and changed facts into our file")
    args = parser.parse_args(argv)
    try:
        published = load_spec(args.published)
        ours = load_spec(args.spec)
        document = load_ours(args.spec) if args.write else None
    except SpecError as exc:
        print(f"spec_sync: error: {exc}", file=sys.stderr)
        return 2
    report = compare(ours, published)
    if document is not None and report.has_changes:
        write(document, published, report)
        args.spec.write_text(dump_ours(document), encoding="utf-8")
        ours = load_spec(args.spec)
    for line in report.lines(written=document is not None):
        print(line)
    missing = undescribed(ours)
    for item in missing:
        print(f"UNDESCRIBED {item}")
    print(
        f"summary: {len(report.new_operations)} new, {len(report.changed_operations)} changed, "
        f"{len(report.gone_operations)} gone operations; {len(report.new_schemas)} new, "
        f"{len(report.changed_schemas)} changed, {len(report.gone_schemas)} gone schemas; "
        f"{len(missing)} undescribed" + ("; written" if document is not None and report.has_changes else "")
    )
    pending = report.has_changes and document is None
    return 1 if pending or missing else 0


if __name__ == "__main__":
    sys.exit(main())
