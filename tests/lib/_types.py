"""Answer types used by the structured-output tests: one of each kind of class, nested."""

from __future__ import annotations

import dataclasses
import enum
from typing import Literal

import attrs
import pydantic


class Genre(enum.Enum):
    NOVEL = "novel"
    ESSAY = "essay"


@dataclasses.dataclass
class Author:
    name: str
    born: int | None


@dataclasses.dataclass
class Book:
    """A book the model recommends."""

    title: str
    authors: list[Author]
    genre: Genre
    format: Literal["paper", "ebook"]
    pages: int = 100
    rating: float | None = None


@attrs.define
class Movie:
    title: str
    year: int = attrs.field(metadata={"description": "Release year"})
    tags: list[str] = attrs.Factory(list)


class City(pydantic.BaseModel):
    """A city and its country."""

    name: str = pydantic.Field(description="The city's usual English name")
    country: str
    population: int | None = None
    districts: list[Author] = []


class Node(pydantic.BaseModel):
    value: int
    children: list[Node] = []
