"""The strict JSON Schema built from Python types, and the conversion back (no server needed)."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from typing import Any

import pytest

from mistral_sdk.lib._convert import ConversionError, convert
from mistral_sdk.lib._schema import json_schema
from tests.lib._types import Author, Book, City, Genre, Movie, Node


def _objects(schema: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            found.append(schema)
        for value in schema.values():
            found += _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _objects(value)
    return found


@pytest.mark.parametrize("tp", [Book, Movie, City])
def test_strict_schema_closes_every_object_and_requires_every_property(tp: type) -> None:
    schema = json_schema(tp)
    objects = _objects(schema)
    assert objects
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert obj["required"] == list(obj["properties"])
    assert "default" not in json.dumps(schema)
    assert "$ref" not in json.dumps(schema)


def test_dataclass_schema_shapes() -> None:
    schema = json_schema(Book)
    props = schema["properties"]
    assert schema["description"] == "A book the model recommends."
    assert props["title"] == {"type": "string"}
    assert props["genre"] == {"type": "string", "enum": ["novel", "essay"]}
    assert props["format"] == {"type": "string", "enum": ["paper", "ebook"]}
    assert props["rating"] == {"anyOf": [{"type": "number"}, {"type": "null"}]}
    author = props["authors"]["items"]
    assert author["properties"]["born"] == {"anyOf": [{"type": "integer"}, {"type": "null"}]}


def test_attrs_and_pydantic_descriptions() -> None:
    assert json_schema(Movie)["properties"]["year"] == {"type": "integer", "description": "Release year"}
    city = json_schema(City)
    assert city["description"] == "A city and its country."
    assert city["properties"]["name"]["description"] == "The city's usual English name"
    assert city["properties"]["districts"]["items"]["title"] == "Author"


def test_non_strict_schema_keeps_optional_fields_and_defaults() -> None:
    schema = json_schema(Book, strict=False)
    assert schema["required"] == ["title", "authors", "genre", "format"]
    assert schema["properties"]["pages"]["default"] == 100
    assert "additionalProperties" not in schema


def test_types_without_a_strict_form_are_refused_by_name() -> None:
    with pytest.raises(TypeError, match="recursive type Node"):
        json_schema(Node)

    @dataclasses.dataclass
    class Open:
        data: dict[str, int]

    with pytest.raises(TypeError, match="data: a mapping"):
        json_schema(Open)
    with pytest.raises(TypeError, match="has no JSON Schema form"):
        json_schema(complex)


def test_convert_builds_nested_instances() -> None:
    value = {
        "title": "T",
        "authors": [{"name": "A", "born": None}],
        "genre": "essay",
        "format": "ebook",
        "pages": 3,
        "rating": 4,
    }
    book = convert(Book, value)
    assert book == Book("T", [Author("A", None)], Genre.ESSAY, "ebook", 3, 4.0)
    assert isinstance(book.rating, float)
    assert convert(Movie, {"title": "M", "year": 1999, "tags": []}) == Movie("M", 1999, [])
    assert convert(City, {"name": "Lyon", "country": "FR", "population": None, "districts": []}).name == "Lyon"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            {"title": "T", "authors": [{"name": 1, "born": None}], "genre": "essay", "format": "ebook"},
            "authors[0].name",
        ),
        ({"title": "T", "authors": [], "genre": "poem", "format": "ebook"}, "genre: 'poem'"),
        ({"title": "T", "authors": [], "genre": "essay", "format": "scroll"}, "format: expected one of"),
        ({"title": "T", "authors": [], "genre": "essay"}, "format: missing"),
        ({"title": "T", "authors": [], "genre": "essay", "format": "ebook", "isbn": "x"}, "no field isbn"),
        ({"title": "T", "authors": [], "genre": "essay", "format": "ebook", "pages": "3"}, "pages: expected int"),
    ],
)
def test_convert_names_what_does_not_fit(value: dict[str, Any], message: str) -> None:
    with pytest.raises(ConversionError, match=re.escape(message)):
        convert(Book, value)


@pytest.mark.integration  # a fresh interpreter
def test_importing_the_sdk_never_imports_pydantic() -> None:
    code = (
        "import sys, mistral_sdk, mistral_sdk.lib\n"
        "from mistral_sdk import Mistral\n"
        "Mistral(api_key='k').chat\n"
        "import mistral_sdk.lib._parsing, mistral_sdk.lib._tools\n"
        "assert 'pydantic' not in sys.modules, 'pydantic was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
