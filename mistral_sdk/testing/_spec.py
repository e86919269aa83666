"""Loading an OpenAPI description and turning it into a routing table.

The mock has no code per operation: everything it serves comes from here. Two facts of the Mistral
description shape this module: several operations share a URL and differ only by a ``#fragment`` in
the path key (``/v1/conversations#stream``), and YAML 1.1 loaders read ``1e-08`` as a string, so the
file is read with a YAML 1.2 loader (``_yaml``) and the parsed result is cached as JSON.

``read_spec_document`` / ``load_spec_document`` are the project's one spec loader: the generator, the
facade generator, ``scripts/spec_compat.py`` and the tests read descriptions through them.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "HTTP_METHODS",
    "Operation",
    "Route",
    "SpecError",
    "SpecPatch",
    "UnsupportedSecurity",
    "default_spec_path",
    "key_header",
    "load_spec_document",
    "normalize_query",
    "operations_of",
    "read_spec_document",
]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SSE_MEDIA_TYPE = "text/event-stream"

SpecPatch = Callable[[dict[str, Any]], None]
"""A function that corrects a known defect of a description in place, before the mock uses it."""


class SpecError(ValueError):
    """The description cannot be served: unreadable, not OpenAPI, or an operation lacks an operationId."""


def default_spec_path() -> Path:
    """The SDK's own description: the JSON copy the generated package ships, or the checkout's openapi.yaml.

    The shipped copy is exactly what the installed client was generated from, so the mock and the
    client agree even when a checkout's openapi.yaml has moved on without regeneration.
    """
    package = Path(__file__).resolve().parent.parent
    shipped = package / "_generated" / "openapi.json"
    if shipped.is_file():
        return shipped
    checkout = package.parent / "openapi.yaml"
    if checkout.is_file():
        return checkout
    raise SpecError(f"no OpenAPI description found (looked at {shipped} and {checkout}); pass spec=... explicitly")


def _cache_dir() -> Path:
    override = os.environ.get("MISTRAL_SDK_MOCK_CACHE")
    return Path(override) if override else Path(tempfile.gettempdir()) / "mistral-sdk-mock-cache"


def _parse(raw: bytes, path: Path) -> Any:
    try:
        from ._yaml import YAMLError, load_yaml
    except ImportError as exc:  # only YAML needs it: the SDK's own description ships as JSON
        raise SpecError(f"{path}: reading YAML needs PyYAML (pip install 'mistral-sdk[testing]')") from exc

    try:
        return load_yaml(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: not valid YAML: not UTF-8 ({exc})") from exc
    except YAMLError as exc:
        raise SpecError(f"{path}: not valid YAML: {exc}") from exc


def load_spec_document(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Parse a description (YAML 1.2 or JSON), through a JSON cache keyed by the file's sha256."""
    return _checked(read_spec_document(path), Path(path))


def read_spec_document(path: str | os.PathLike[str]) -> Any:
    """The parsed file (YAML 1.2 or JSON), whatever it holds; callers check that it is the description they need."""
    spec_path = Path(path)
    try:
        raw = spec_path.read_bytes()
    except OSError as exc:
        raise SpecError(f"cannot read OpenAPI description {spec_path}: {exc}") from exc
    if spec_path.suffix == ".json":
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise SpecError(f"{spec_path}: not valid JSON: {exc}") from exc
    digest = hashlib.sha256(raw).hexdigest()
    cache_file = _cache_dir() / f"{digest}.json"
    document: Any = None
    if cache_file.is_file():
        try:
            document = json.loads(cache_file.read_bytes())
        except (OSError, ValueError):
            document = None
    if document is None:
        document = _parse(raw, spec_path)
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(document), encoding="utf-8")
            os.replace(tmp, cache_file)
        except (OSError, TypeError, ValueError):
            pass  # the cache only saves time; an unwritable temp dir must not stop the mock
    return document


def _checked(document: Any, spec_path: Path) -> dict[str, Any]:
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise SpecError(f"{spec_path}: not an OpenAPI description (no 'paths' mapping)")
    return document


def prepare(document: Mapping[str, Any], patches: Iterable[SpecPatch] = ()) -> dict[str, Any]:
    """Copy the description, apply the patches, read it as 3.1 intends, and point every server at the mock itself.

    Reading it as intended: ``#/$defs/`` references (``_local_defs``) and ``nullable: true`` (``_nullable``).

    openapi-core matches a request's full URL against ``servers``; the published ones name the real
    API host, so without this override every request would fail to match.
    """
    prepared = copy.deepcopy(dict(document))
    for patch in patches:
        patch(prepared)
    from ._local_defs import resolve_local_defs
    from ._nullable import read_nullable

    resolve_local_defs(prepared)
    read_nullable(prepared.get("paths"))
    read_nullable(prepared.get("components"))
    prepared["servers"] = [{"url": MOCK_HOST_URL}]
    for item in prepared.get("paths", {}).values():
        if isinstance(item, dict):
            item.pop("servers", None)
            normalize_query(item.get("parameters"))
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    op.pop("servers", None)
                    normalize_query(op.get("parameters"))
    return prepared


def normalize_query(parameters: Any) -> None:
    """Read query parameters as the API (FastAPI) does, where openapi-core is stricter or wrong.

    A query string cannot carry null (absence is null), so ``anyOf: [X, null]`` becomes ``X``:
    openapi-core decides how to split a value by the schema's top-level ``type`` and, behind an
    ``anyOf``, reads an exploded array ``?a=x&a=y`` as one string. (Empty values: see _validation.)
    """
    if not isinstance(parameters, list):
        return
    for param in parameters:
        if not isinstance(param, dict) or param.get("in") != "query" or not isinstance(param.get("schema"), dict):
            continue
        schema = param["schema"]
        for union in ("anyOf", "oneOf"):
            options = schema.get(union)
            if not isinstance(options, list):
                continue
            kept = [o for o in options if not (isinstance(o, dict) and o.get("type") == "null")]
            if len(kept) == 1 and len(kept) < len(options):
                rest = {k: v for k, v in schema.items() if k != union}
                param["schema"] = {**rest, **kept[0]} if "$ref" not in kept[0] else {**rest, "allOf": kept}


class UnsupportedSecurity(SpecError):
    """An operation's security requirement names a scheme the client cannot send its key with."""


def key_header(document: Mapping[str, Any], definition: Mapping[str, Any], where: str) -> str | None:
    """How an operation wants the API key: ``None`` for ``Authorization: Bearer <key>``, else the header's name.

    The operation's own ``security`` decides, else the document's top-level one; with several alternatives the
    first is the one used. No requirement at all keeps the bearer token every Mistral operation accepts. Only
    what the client can send with its one key is supported (an ``http`` ``bearer`` scheme, an ``apiKey`` in a
    header); anything else (cookies, query keys, OAuth, a requirement needing two schemes at once) raises
    ``UnsupportedSecurity``, so that a generator or the mock never silently sends the key where it is not read.
    """
    requirements = definition["security"] if "security" in definition else document.get("security")
    if not requirements:
        return None
    if not isinstance(requirements, list) or not isinstance(requirements[0], Mapping):
        raise UnsupportedSecurity(f"{where}: `security` is not a list of requirement objects: {requirements!r}")
    first = requirements[0]
    if not first:
        return None  # `{}`: the operation also serves anonymous callers; the key, sent as usual, does no harm
    if len(first) != 1:
        raise UnsupportedSecurity(f"{where}: its security requirement needs several schemes at once: {sorted(first)}")
    name = next(iter(first))
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    scheme = schemes.get(name)
    if not isinstance(scheme, Mapping):
        raise UnsupportedSecurity(f"{where}: security scheme {name!r} is not defined in components.securitySchemes")
    kind = scheme.get("type")
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        return None
    if kind == "apiKey" and scheme.get("in") == "header" and isinstance(scheme.get("name"), str) and scheme["name"]:
        return str(scheme["name"])
    described = ", ".join(f"{k}={scheme[k]!r}" for k in ("type", "scheme", "in", "name") if k in scheme)
    raise UnsupportedSecurity(
        f"{where}: security scheme {name!r} ({described}) is not supported: the client sends its key only as "
        "`Authorization: Bearer` (http bearer) or in a header (apiKey in: header)"
    )


MOCK_HOST_URL = "http://mock.invalid"


@dataclass(frozen=True)
class Operation:
    """One operation of the description, with the facts the mock needs to route and answer it."""

    operation_id: str
    method: str
    path_key: str
    path: str
    definition: Mapping[str, Any] = field(repr=False, compare=False)
    # The header that must carry the API key (the operation's security scheme); None: ``Authorization: Bearer``.
    key_header: str | None = None

    @property
    def credential(self) -> tuple[str, str]:
        """(header, what a missing or wrong value is called) for this operation's key, as violations report it."""
        if self.key_header is None:
            return "Authorization", "bearer token"
        return self.key_header, f"API key in header {self.key_header}"

    @property
    def success_status(self) -> str:
        codes = sorted(c for c in self.definition.get("responses", {}) if str(c).startswith("2"))
        return str(codes[0]) if codes else "200"

    @property
    def success_content(self) -> Mapping[str, Any]:
        response = self.definition.get("responses", {}).get(self.success_status) or {}
        content = response.get("content") or {}
        return content if isinstance(content, Mapping) else {}

    @property
    def can_stream(self) -> bool:
        return SSE_MEDIA_TYPE in self.success_content

    @property
    def stream_only(self) -> bool:
        content = self.success_content
        return bool(content) and all(media == SSE_MEDIA_TYPE for media in content)

    @property
    def declared_statuses(self) -> frozenset[str]:
        return frozenset(str(c) for c in self.definition.get("responses", {}))


def operations_of(document: Mapping[str, Any]) -> list[Operation]:
    """Every operation of the description, in document order.

    An operation without operationId, or whose security scheme the client cannot send (``key_header``), is an error.
    """
    operations: list[Operation] = []
    for path_key, item in document.get("paths", {}).items():
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            op_id = op.get("operationId")
            if not isinstance(op_id, str) or not op_id:
                raise SpecError(f"{method.upper()} {path_key} has no operationId")
            where = f"{op_id} ({method.upper()} {path_key})"
            placement = key_header(document, op, where)  # a scheme nobody can send with one key stops loading
            operations.append(Operation(op_id, method, path_key, path_key.split("#", 1)[0], op, placement))
    return operations


@dataclass(frozen=True)
class Route:
    """A URL template and the operations served under it, keyed by method (several when fragments differ)."""

    template: str
    pattern: re.Pattern[str]
    param_names: tuple[str, ...]
    by_method: Mapping[str, Sequence[Operation]]

    def match(self, path: str) -> dict[str, str] | None:
        found = self.pattern.fullmatch(path)
        if found is None:
            return None
        return dict(zip(self.param_names, found.groups(), strict=True))


_PARAM = re.compile(r"\{([^{}]+)\}")


def build_routes(operations: Sequence[Operation]) -> list[Route]:
    """Routes ordered so that concrete segments win over templated ones (``/agents/pages`` before ``/agents/{id}``)."""
    grouped: dict[str, dict[str, list[Operation]]] = {}
    for op in operations:
        grouped.setdefault(op.path, {}).setdefault(op.method, []).append(op)
    routes: list[Route] = []
    for template, by_method in grouped.items():
        names = tuple(_PARAM.findall(template))
        regex = "".join("([^/]+)" if i % 2 else re.escape(part) for i, part in enumerate(_PARAM.split(template)))
        routes.append(Route(template, re.compile(regex), names, by_method))
    routes.sort(key=lambda r: (len(r.param_names), -len(r.template)))
    return routes
