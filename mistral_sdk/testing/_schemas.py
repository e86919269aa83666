"""JSON Schema work on the description: validating instances and building deterministic ones.

Every body the mock sends is built here and checked here before it leaves, so a mock answer is
always something the description allows. Synthesis prefers what the description itself offers
(``const``, ``default``, ``examples``, enum values) and otherwise derives plain values, choosing the
first branch of a union that actually validates.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import Any

from jsonschema import FormatChecker, validators  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError as SchemaValidationError  # type: ignore[import-untyped]
from openapi_schema_validator import OAS31Validator

from ._ecma_regex import ecma_pattern, example_for, pattern_keyword

__all__ = ["SchemaTools", "SchemaValidationError"]

_MAX_DEPTH = 7
_OPTIONAL_DEPTH = 5
_TEXT = "This is a deterministic reply from the Mistral mock server."
_STRING_FALLBACKS = ("mock", "abc", "en", "a", "0", "mock-value")
_FORMATS: Mapping[str, Any] = {
    "date-time": "2025-01-01T00:00:00+00:00",  # the text Python's isoformat() writes back: round trips compare equal
    "date": "2025-01-01",
    "time": "00:00:00Z",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "uri": "https://example.com/mock",
    "url": "https://example.com/mock",
    "email": "mock@example.com",
    "duration": "P1D",
    "binary": "",
    "base64": "",
    "byte": "",
}


_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*")


def _is_uri(value: object) -> bool:
    """An absolute URI (RFC 3986 characters, a scheme): what the API's URL fields (pydantic) accept at least.

    jsonschema checks ``uri`` only with the optional rfc3987 package; without a check, ``file_url={}``
    in a form would pass here while the API refuses it.
    """
    return not isinstance(value, str) or _URI.fullmatch(value) is not None


_Validator = validators.extend(OAS31Validator, {"pattern": pattern_keyword})

_FORMAT_CHECKER = FormatChecker()
_FORMAT_CHECKER.checkers = {**OAS31Validator.FORMAT_CHECKER.checkers}  # a copy: the shared one stays untouched
_FORMAT_CHECKER.checks("uri")(_is_uri)


class SchemaTools:
    """Validators and a synthesizer bound to one description's ``components``."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document
        self._components = document.get("components", {})
        self._validators: dict[str, Any] = {}

    # -- validation ---------------------------------------------------------------------------

    def validator(self, schema: Mapping[str, Any]) -> Any:
        key = json.dumps(schema, sort_keys=True, default=str)
        found = self._validators.get(key)
        if found is None:
            root = {**schema, "components": self._components}
            found = _Validator(root, format_checker=_FORMAT_CHECKER)
            self._validators[key] = found
        return found

    def errors(self, schema: Mapping[str, Any], instance: Any) -> list[SchemaValidationError]:
        return sorted(self.validator(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))

    def is_valid(self, schema: Mapping[str, Any], instance: Any) -> bool:
        return bool(self.validator(schema).is_valid(instance))

    # -- references -----------------------------------------------------------------------------

    def resolve(self, schema: Any) -> dict[str, Any]:
        """Follow local ``$ref`` chains; sibling keywords of a ``$ref`` (allowed in 3.1) are kept."""
        seen = 0
        current: Any = schema
        merged: dict[str, Any] = {}
        while isinstance(current, Mapping) and "$ref" in current and seen < 32:
            merged = {**{k: v for k, v in current.items() if k != "$ref"}, **merged}
            current = self.pointer(str(current["$ref"]))
            seen += 1
        if not isinstance(current, Mapping):
            return dict(merged)
        return {**current, **merged}

    def pointer(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported, got {ref!r}")
        node: Any = self._document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node[part]
        return node

    # -- synthesis ------------------------------------------------------------------------------

    def synthesize(self, schema: Any, name: str = "", depth: int = 0) -> Any:
        """A deterministic instance of ``schema``; ``name`` is the property it fills, used for readable strings."""
        s = self.resolve(schema)
        if "const" in s:
            return copy.deepcopy(s["const"])
        if s.get("default") is not None and self.is_valid(s, s["default"]):
            return copy.deepcopy(s["default"])
        for example in _schema_examples(s):
            if example is not None and self.is_valid(s, example):
                return copy.deepcopy(example)
        if isinstance(s.get("enum"), list) and s["enum"]:
            non_null = [v for v in s["enum"] if v is not None]
            return copy.deepcopy(non_null[0] if non_null else s["enum"][0])
        if "allOf" in s:
            return self._synthesize_all_of(s, name, depth)
        for union in ("oneOf", "anyOf"):
            if isinstance(s.get(union), list):
                return self._synthesize_union(s, union, name, depth)
        return self._synthesize_typed(s, name, depth)

    def _synthesize_all_of(self, s: Mapping[str, Any], name: str, depth: int) -> Any:
        merged: dict[str, Any] = {k: v for k, v in s.items() if k != "allOf"}
        properties: dict[str, Any] = dict(merged.get("properties", {}))
        required: list[str] = list(merged.get("required", []))
        for part in s["allOf"]:
            resolved = self.resolve(part)
            for key, value in resolved.items():
                if key == "properties":
                    properties.update(value)
                elif key == "required":
                    required.extend(r for r in value if r not in required)
                else:
                    merged.setdefault(key, value)
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = required
        return self.synthesize(merged, name, depth)

    def _synthesize_union(self, s: Mapping[str, Any], union: str, name: str, depth: int) -> Any:
        options = list(s[union])
        discriminator = s.get("discriminator")
        if isinstance(discriminator, Mapping) and isinstance(discriminator.get("mapping"), Mapping):
            prop = str(discriminator["propertyName"])
            for tag, ref in discriminator["mapping"].items():
                candidate = self.synthesize({"$ref": ref}, name, depth)
                if isinstance(candidate, dict):
                    candidate[prop] = tag
                if self.is_valid(s, candidate):
                    return candidate
        # prefer a real value over null while shallow, so the parsed result has something to check
        ordered = sorted(options, key=lambda o: self.resolve(o).get("type") == "null")
        if depth >= _MAX_DEPTH:
            ordered = sorted(options, key=lambda o: self.resolve(o).get("type") != "null")
        siblings = {k: v for k, v in s.items() if k not in (union, "discriminator")}
        last: Any = None
        for option in ordered:
            candidate = self.synthesize({**siblings, **self.resolve(option)}, name, depth)
            if self.is_valid(s, candidate):
                return candidate
            last = candidate
        return last

    def _synthesize_typed(self, s: Mapping[str, Any], name: str, depth: int) -> Any:
        kind = s.get("type")
        if isinstance(kind, list):
            non_null = [k for k in kind if k != "null"]
            kind = non_null[0] if non_null and depth < _MAX_DEPTH else kind[0]
        if kind is None:
            if "properties" in s:
                kind = "object"
            elif "items" in s:
                kind = "array"
            else:
                return _string_for(name, s)
        if kind == "object":
            return self._synthesize_object(s, depth)
        if kind == "array" and isinstance(s.get("prefixItems"), list):
            return [self.synthesize(item, name, depth + 1) for item in s["prefixItems"]]
        if kind == "array":
            minimum = int(s.get("minItems", 0))
            count = max(minimum, 1 if depth < _MAX_DEPTH else 0)
            return [self.synthesize(s.get("items", {}), name, depth + 1) for _ in range(count)]
        if kind == "string":
            return _string_for(name, s)
        if kind == "integer":
            return int(_number_for(s))
        if kind == "number":
            return float(_number_for(s))
        if kind == "boolean":
            return False
        return None

    def _synthesize_object(self, s: Mapping[str, Any], depth: int) -> dict[str, Any]:
        properties: Mapping[str, Any] = s.get("properties", {})
        required = set(s.get("required", []))
        result: dict[str, Any] = {}
        for prop, prop_schema in properties.items():
            if prop in required or depth < _OPTIONAL_DEPTH:
                result[prop] = self.synthesize(prop_schema, prop, depth + 1)
        for prop in sorted(required - set(properties)):
            result[prop] = "mock"
        return result


def _schema_examples(s: Mapping[str, Any]) -> list[Any]:
    examples = s.get("examples")
    found = list(examples) if isinstance(examples, list) else []
    if "example" in s:
        found.append(s["example"])
    return found


def _string_for(name: str, s: Mapping[str, Any]) -> str:
    fmt = s.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        return str(_FORMATS[fmt])
    base = _TEXT if name in ("content", "text") else (f"mock-{name}" if name else "mock")
    candidates = [base, *_STRING_FALLBACKS]
    pattern = s.get("pattern")
    min_len = int(s.get("minLength", 0))
    max_len = int(s.get("maxLength", 10**9))
    for candidate in candidates:
        value = candidate.ljust(min_len, "x")[:max_len]
        if pattern is None or ecma_pattern(str(pattern)).search(value):
            return value
    from_pattern = example_for(str(pattern))
    if from_pattern is not None and min_len <= len(from_pattern) <= max_len:
        return from_pattern
    return base


def _number_for(s: Mapping[str, Any]) -> float:
    if "minimum" in s:
        return float(s["minimum"])
    if "exclusiveMinimum" in s and not isinstance(s["exclusiveMinimum"], bool):
        return float(s["exclusiveMinimum"]) + 1
    if "maximum" in s and float(s["maximum"]) < 1:
        return float(s["maximum"])
    return 1
