#!/usr/bin/env python3
"""Check that our OpenAPI description states the same API facts as a reference description.

Usage: scripts/spec_compat.py REFERENCE [--spec openapi.yaml]

Only what our spec contains is checked (each operation and each component schema we describe), because
our spec covers a subset of the API on purpose; the last line says how much of the reference that subset is.
Prose (descriptions, summaries, titles, examples) and `x-` extensions are ours to write and are ignored;
everything else a client depends on (paths, methods, operationIds, parameters, media types, types, formats,
enums, required lists, defaults, constraints, `$ref` targets, unions and discriminators) must be identical.

Exit status: 0 when nothing differs, 1 on any mismatch, 2 when an input cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from mistral_sdk.testing._spec import SpecError as LoaderError
from mistral_sdk.testing._spec import read_spec_document

HTTP_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Keys that carry prose or vendor extensions; we write our own and they do not change the wire format.
PROSE_KEYS: Final = frozenset({"description", "summary", "title", "example", "examples", "externalDocs"})

# Lists whose order carries no meaning: compared element by element as sets.
SET_KEYS: Final = frozenset({"required", "enum", "tags"})

# Lists whose order matters to code generators (union members are tried in order): compared position by position.
UNION_KEYS: Final = frozenset({"anyOf", "oneOf", "allOf"})

# Mappings whose keys are names chosen by the API (a property may well be called `title` or `description`).
NAME_MAPS: Final = frozenset(
    {"properties", "patternProperties", "$defs", "mapping", "responses", "headers", "encoding"}
)

SCHEMA_REF: Final = "#/components/schemas/"

MISSING: Final = "<missing>"
PRESENT: Final = "present"


@dataclass(frozen=True)
class Difference:
    location: str
    ours: str
    reference: str

    def __str__(self) -> str:
        return f"{self.location}: ours={self.ours} reference={self.reference}"


@dataclass(frozen=True)
class ToleratedDefect:
    """A known error in the reference that our spec deliberately does not reproduce."""

    difference: Difference
    reason: str
    subtree: bool = False  # also covers every difference below `difference.location`

    def covers(self, difference: Difference) -> bool:
        if difference == self.difference:
            return True
        location = self.difference.location
        return self.subtree and (
            difference.location == location or difference.location.startswith((location + ".", location + "["))
        )


_SPEECH_STREAM: Final = "paths[/v1/audio/speech].post.responses.200.content[text/event-stream].schema"
_SPEECH_DEFS_REASON: Final = (
    "the reference inlines the speech event stream's schema and refers to its parts as `#/$defs/...`, which "
    "resolves against the document root, where there is no `$defs`: the references point nowhere. Ours names the "
    "same schemas as components (the reference's `$defs` UsageInfo, which differs from its component UsageInfo, "
    "becomes SpeechUsageInfo); tests/spec checks that they state the same facts"
)

# The components ours uses instead of the reference's inline `$defs` of the speech stream (ours -> $defs name).
SPEECH_STREAM_COMPONENTS: Final = {
    "SpeechStreamEvents": None,  # the stream's schema itself
    "SpeechStreamEventTypes": "SpeechStreamEventTypes",
    "SpeechStreamAudioDelta": "SpeechStreamAudioDelta",
    "SpeechStreamDone": "SpeechStreamDone",
    "SpeechUsageInfo": "UsageInfo",
    "PromptTokensDetails": "PromptTokensDetails",
    "CompletionTokensDetails": "CompletionTokensDetails",
    "MessageTokens": "MessageTokens",
    "Roles": "Roles",
}

# Each entry must match a difference exactly (or, with `subtree`, cover it). An entry whose location our spec
# describes but which is not observed is itself a mismatch: either our spec copied the defect or the reference
# was fixed.
TOLERATED_DEFECTS: Final = (
    ToleratedDefect(
        Difference("schemas.ChatCompletionResponse.allOf[1].required['data']", MISSING, PRESENT),
        "the reference requires a `data` property that ChatCompletionResponse does not even declare; "
        "real responses never carry it, so a client that enforced it would reject every response",
    ),
    ToleratedDefect(
        Difference("paths[/v1/agents/completions].post.responses.200.content[text/event-stream]", PRESENT, MISSING),
        "AgentsCompletionRequest has `stream`; with stream=true the server answers with server-sent events "
        "exactly as /v1/chat/completions does, but the reference documents only the JSON answer",
    ),
    ToleratedDefect(
        Difference("schemas.SharingDelete.required['level']", MISSING, PRESENT),
        "the reference requires `level` in SharingDelete but does not declare it (it belongs to SharingIn: revoking "
        "access has no level); a generated client offers no field to set, so every validated request would fail",
    ),
    ToleratedDefect(Difference(_SPEECH_STREAM, "(ours)", "(reference)"), _SPEECH_DEFS_REASON, subtree=True),
    *(
        ToleratedDefect(Difference(f"schemas.{name}", PRESENT, MISSING), _SPEECH_DEFS_REASON)
        for name in SPEECH_STREAM_COMPONENTS
    ),
)


@dataclass(frozen=True)
class KeptOperation:
    """An operation the API still serves although the reference no longer lists it; ours keeps it, deprecated."""

    path: str
    method: str
    reason: str


_FINE_TUNING_JOBS: Final = (
    "the fine-tuning job operations left the 2026-08 reference, but the API still serves them and the official "
    "SDKs still call them; we keep them, marked deprecated, so that existing training pipelines keep working"
)

# An operation listed here may be absent from the reference (never when it is present: then it is compared like
# any other), provided ours marks it deprecated; so may the schemas that only such operations use.
KEPT_OPERATIONS: Final = tuple(
    KeptOperation(path, method, _FINE_TUNING_JOBS)
    for path, method in (
        ("/v1/fine_tuning/jobs", "get"),
        ("/v1/fine_tuning/jobs", "post"),
        ("/v1/fine_tuning/jobs/{job_id}", "get"),
        ("/v1/fine_tuning/jobs/{job_id}/cancel", "post"),
        ("/v1/fine_tuning/jobs/{job_id}/start", "post"),
    )
)


class SpecError(Exception):
    """An input file that cannot be used as an OpenAPI document."""


# --- loading ---------------------------------------------------------------------------------------------------


def load_spec(path: Path) -> dict[str, Any]:
    """The document through the project's one spec loader (``mistral_sdk.testing._spec``)."""
    try:
        data = read_spec_document(path)
    except LoaderError as exc:
        raise SpecError(str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("paths", {}), dict):
        raise SpecError(f"{path} is not an OpenAPI document (expected a mapping with a `paths` mapping)")
    return data


# --- comparing -------------------------------------------------------------------------------------------------


def _render(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"$ref"}:
        return f"$ref:{value['$ref']}"
    text = json.dumps(_strip_prose(value), sort_keys=True, default=str)
    return text if len(text) <= 100 else text[:97] + "..."


def _strip_prose(value: Any, names: bool = False) -> Any:
    if isinstance(value, dict):
        return {k: _strip_prose(v, k in NAME_MAPS) for k, v in value.items() if names or not _is_prose(k)}
    if isinstance(value, list):
        return [_strip_prose(v) for v in value]
    return value


def _is_prose(key: object) -> bool:
    return isinstance(key, str) and (key in PROSE_KEYS or key.startswith("x-"))


def _same_scalar(ours: Any, reference: Any) -> bool:
    """Equal values of the same JSON type: `true` is not `1`, but `1` is `1.0`."""
    if isinstance(ours, bool) or isinstance(reference, bool):
        return type(ours) is type(reference) and ours == reference
    if isinstance(ours, int | float) and isinstance(reference, int | float):
        return ours == reference
    return type(ours) is type(reference) and ours == reference


def _parameter_key(parameter: Any) -> str:
    if isinstance(parameter, dict) and "name" in parameter:
        return f"{parameter.get('in')}:{parameter['name']}"
    return _render(parameter)


def diff(ours: Any, reference: Any, location: str, names: bool = False) -> Iterator[Difference]:
    """Yield every non-prose difference between two fragments of an OpenAPI document.

    `names` says that the keys of these mappings are API names, not OpenAPI keywords.
    """
    if isinstance(ours, dict) and isinstance(reference, dict):
        yield from _diff_mapping(ours, reference, location, names)
    elif isinstance(ours, list) and isinstance(reference, list):
        if len(ours) == len(reference):
            for index, (our_item, reference_item) in enumerate(zip(ours, reference, strict=True)):
                yield from diff(our_item, reference_item, f"{location}[{index}]")
        else:
            yield Difference(location, _render(ours), _render(reference))
    elif isinstance(ours, dict | list) or isinstance(reference, dict | list) or not _same_scalar(ours, reference):
        yield Difference(location, _render(ours), _render(reference))


def _diff_mapping(ours: dict[str, Any], reference: dict[str, Any], location: str, names: bool) -> Iterator[Difference]:
    keys = [*ours, *(k for k in reference if k not in ours)]
    for key in keys if names else [k for k in keys if not _is_prose(k)]:
        here = f"{location}.{key}" if location else str(key)
        if names:
            if key not in ours:
                yield Difference(here, MISSING, _render(reference[key]))
            elif key not in reference:
                yield Difference(here, _render(ours[key]), MISSING)
            else:
                yield from diff(ours[key], reference[key], here)
        elif key in SET_KEYS and isinstance(ours.get(key, []), list) and isinstance(reference.get(key, []), list):
            yield from _diff_set(ours.get(key, []), reference.get(key, []), here)
        elif key == "parameters":
            yield from _diff_keyed(ours.get(key, []), reference.get(key, []), here)
        elif key == "content":
            yield from _diff_media_types(ours.get(key, {}), reference.get(key, {}), here)
        elif key not in ours:
            yield Difference(here, MISSING, _render(reference[key]))
        elif key not in reference:
            yield Difference(here, _render(ours[key]), MISSING)
        elif key in UNION_KEYS and _members_differ(ours[key], reference[key]):
            yield Difference(here, _render_members(ours[key]), _render_members(reference[key]))
        else:
            yield from diff(ours[key], reference[key], here, names=key in NAME_MAPS)


def _diff_set(ours: list[Any], reference: list[Any], location: str) -> Iterator[Difference]:
    our_items = {json.dumps(v, sort_keys=True) for v in ours}
    reference_items = {json.dumps(v, sort_keys=True) for v in reference}
    for item in sorted(our_items - reference_items):
        yield Difference(f"{location}[{_unquote(item)}]", PRESENT, MISSING)
    for item in sorted(reference_items - our_items):
        yield Difference(f"{location}[{_unquote(item)}]", MISSING, PRESENT)


def _unquote(item: str) -> str:
    return f"'{json.loads(item)}'" if item.startswith('"') else item


def _diff_keyed(ours: Any, reference: Any, location: str) -> Iterator[Difference]:
    if not isinstance(ours, list) or not isinstance(reference, list):
        yield from diff(ours, reference, location)
        return
    our_params = {_parameter_key(p): p for p in ours}
    reference_params = {_parameter_key(p): p for p in reference}
    for key in [*our_params, *(k for k in reference_params if k not in our_params)]:
        here = f"{location}[{key}]"
        if key not in reference_params:
            yield Difference(here, PRESENT, MISSING)
        elif key not in our_params:
            yield Difference(here, MISSING, PRESENT)
        else:
            yield from diff(our_params[key], reference_params[key], here)


def _diff_media_types(ours: Any, reference: Any, location: str) -> Iterator[Difference]:
    if not isinstance(ours, dict) or not isinstance(reference, dict):
        yield from diff(ours, reference, location)
        return
    for media_type in [*ours, *(m for m in reference if m not in ours)]:
        here = f"{location}[{media_type}]"
        if media_type not in reference:
            yield Difference(here, PRESENT, MISSING)
        elif media_type not in ours:
            yield Difference(here, MISSING, PRESENT)
        else:
            yield from diff(ours[media_type], reference[media_type], here)


def _member_signature(member: Any) -> str:
    if isinstance(member, dict):
        if "$ref" in member:
            return str(member["$ref"]).rsplit("/", 1)[-1]
        if "type" in member:
            return json.dumps(member["type"])
        return "inline"
    return _render(member)


def _members_differ(ours: Any, reference: Any) -> bool:
    """True when the member lists differ in shape; same-shaped lists are compared member by member."""
    if not isinstance(ours, list) or not isinstance(reference, list):
        return True
    return [_member_signature(m) for m in ours] != [_member_signature(m) for m in reference]


def _render_members(members: Any) -> str:
    if not isinstance(members, list):
        return _render(members)
    return "[" + ", ".join(_member_signature(m) for m in members) + "]"


def required_security_schemes(spec: dict[str, Any]) -> set[str]:
    """Names of the security schemes the document's requirements (top-level and per operation) refer to."""
    operations = _operations(spec).values()
    requirements = [spec.get("security") or [], *((op or {}).get("security") or [] for op in operations)]
    return {
        name
        for listed in requirements
        for requirement in listed
        if isinstance(requirement, dict)
        for name in requirement
    }


def _diff_security_schemes(ours: dict[str, Any], reference: dict[str, Any]) -> Iterator[Difference]:
    """Each scheme ours defines or refers to must exist in ours and state the reference's facts.

    A requirement naming a scheme ours does not define is dangling: a client generated from ours could not know
    where to send the key, so it is a mismatch even when the reference does not define that scheme either.
    """
    our_schemes, reference_schemes = _section(ours, "securitySchemes"), _section(reference, "securitySchemes")
    for name in [*our_schemes, *sorted(required_security_schemes(ours) - our_schemes.keys())]:
        location = f"securitySchemes.{name}"
        if name not in our_schemes:
            reference_side = _render(reference_schemes[name]) if name in reference_schemes else MISSING
            yield Difference(location, MISSING, f"{reference_side} (a security requirement of ours names it)")
        elif name not in reference_schemes:
            yield Difference(location, _render(our_schemes[name]), MISSING)
        else:
            yield from diff(our_schemes[name], reference_schemes[name], location)


@dataclass(frozen=True)
class Report:
    mismatches: tuple[Difference, ...]
    tolerated: tuple[ToleratedDefect, ...]
    operations_covered: int
    operations_total: int
    schemas_covered: int
    schemas_total: int
    kept_operations: tuple[KeptOperation, ...] = ()
    kept_schemas: tuple[str, ...] = ()

    def coverage_line(self) -> str:
        return (
            f"coverage: operations {self.operations_covered}/{self.operations_total}, "
            f"schemas {self.schemas_covered}/{self.schemas_total}"
            + (
                f"; kept beyond the reference: {len(self.kept_operations)} operations, {len(self.kept_schemas)} schemas"
                if self.kept_operations
                else ""
            )
        )


def _operations(spec: dict[str, Any]) -> dict[tuple[str, str], Any]:
    operations: dict[tuple[str, str], Any] = {}
    for path, item in (spec.get("paths") or {}).items():
        if isinstance(item, dict):
            for method in HTTP_METHODS:
                if method in item:
                    operations[(path, method)] = item[method]
    return operations


def _server_urls(spec: dict[str, Any]) -> list[Any]:
    servers = spec.get("servers") or []
    return [server.get("url") if isinstance(server, dict) else server for server in servers]


def _section(spec: dict[str, Any], name: str) -> dict[str, Any]:
    section = (spec.get("components") or {}).get(name) or {}
    return section if isinstance(section, dict) else {}


def schema_refs(node: Any) -> Iterator[str]:
    """Names of the component schemas a fragment refers to."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_REF):
                yield value[len(SCHEMA_REF) :]
            else:
                yield from schema_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from schema_refs(value)


def reachable(schemas: dict[str, Any], roots: Iterable[str]) -> set[str]:
    """The schemas named in `roots` and every schema they refer to, directly or not."""
    reached: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name not in reached and name in schemas:
            reached.add(name)
            pending.extend(schema_refs(schemas[name]))
    return reached


def compare(
    ours: dict[str, Any],
    reference: dict[str, Any],
    tolerated: Sequence[ToleratedDefect] = TOLERATED_DEFECTS,
    kept: Sequence[KeptOperation] = KEPT_OPERATIONS,
) -> Report:
    """Compare what our spec describes with the reference and account for the tolerated reference defects."""
    found: list[Difference] = []
    our_ops, reference_ops = _operations(ours), _operations(reference)
    kept_here = {(k.path, k.method): k for k in kept if (k.path, k.method) in our_ops.keys() - reference_ops.keys()}
    for (path, method), operation in our_ops.items():
        location = f"paths[{path}].{method}"
        if (path, method) in reference_ops:
            found.extend(diff(operation, reference_ops[(path, method)], location))
        elif (path, method) not in kept_here:
            found.append(Difference(location, PRESENT, MISSING))
        elif operation.get("deprecated") is not True:
            ours_flag = _render(operation["deprecated"]) if "deprecated" in operation else MISSING
            found.append(Difference(f"{location}.deprecated", ours_flag, "true"))
    for path, item in (ours.get("paths") or {}).items():
        reference_item = (reference.get("paths") or {}).get(path)
        if isinstance(item, dict) and isinstance(reference_item, dict):
            for key in set(item) - set(HTTP_METHODS):
                found.extend(diff(item[key], reference_item.get(key), f"paths[{path}].{key}"))

    our_schemas, reference_schemas = _section(ours, "schemas"), _section(reference, "schemas")
    used_elsewhere = reachable(our_schemas, schema_refs([op for key, op in our_ops.items() if key not in kept_here]))
    kept_schemas = reachable(our_schemas, schema_refs([our_ops[key] for key in kept_here])) - used_elsewhere
    for name, schema in our_schemas.items():
        if name in reference_schemas:
            found.extend(diff(schema, reference_schemas[name], f"schemas.{name}"))
        elif name not in kept_schemas:
            found.append(Difference(f"schemas.{name}", PRESENT, MISSING))
    found.extend(_diff_security_schemes(ours, reference))
    if "security" in ours:
        found.extend(diff(ours["security"], reference.get("security", MISSING), "security"))
    if "servers" in ours:
        found.extend(_diff_set(_server_urls(ours), _server_urls(reference), "servers"))

    mismatches = [d for d in found if not any(t.covers(d) for t in tolerated)]
    used = [t for t in tolerated if any(t.covers(d) for d in found)]
    described = {f"paths[{p}].{m}" for p, m in our_ops} | {f"schemas.{n}" for n in our_schemas}
    for defect in tolerated:
        applies = any(defect.difference.location.startswith(prefix + ".") for prefix in described)
        if applies and defect not in used:
            mismatches.append(
                Difference(
                    defect.difference.location,
                    f"(tolerated defect not observed: expected ours={defect.difference.ours}",
                    f"{defect.difference.reference}; did our spec copy it, or was the reference fixed?)",
                )
            )
    return Report(
        mismatches=tuple(mismatches),
        tolerated=tuple(used),
        operations_covered=len(our_ops.keys() & reference_ops.keys()),
        operations_total=len(reference_ops),
        schemas_covered=len(our_schemas.keys() & reference_schemas.keys()),
        schemas_total=len(reference_schemas),
        kept_operations=tuple(kept_here.values()),
        kept_schemas=tuple(sorted(kept_schemas - reference_schemas.keys())),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("reference", type=Path, help="the reference OpenAPI description (YAML or JSON)")
    parser.add_argument(
        "--spec", type=Path, default=Path("openapi.yaml"), help="our description (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        reference = load_spec(args.reference)
        ours = load_spec(args.spec)
    except SpecError as exc:
        print(f"spec_compat: error: {exc}", file=sys.stderr)
        return 2
    report = compare(ours, reference)
    for difference in report.mismatches:
        print(f"MISMATCH {difference}")
    for defect in report.tolerated:
        print(f"TOLERATED {defect.difference} (reference defect: {defect.reason})")
    for operation in report.kept_operations:
        print(f"KEPT paths[{operation.path}].{operation.method}: not in the reference ({operation.reason})")
    print(report.coverage_line())
    return 1 if report.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
