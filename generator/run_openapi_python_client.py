"""Run openapi-python-client (the pinned 0.29.1) with one correction: a field keeps its own description.

A field written ``{anyOf: [{$ref: X}], description: ..., default: ...}`` (one reference plus what the field
itself says) is generated from X's class; the generator keeps the field's default but takes the description
from X, so every field sharing an enum (``handoff_execution``, ``finish_reason``; see
``share_identical_enums`` in ``generator/preprocess.py``) would document X instead of itself. Here the
field's own description wins when it has one. Nothing else of the generator changes.

Used by ``generator/regenerate.py`` as ``python -m generator.run_openapi_python_client generate ...``.
"""

from __future__ import annotations

from typing import Any

from attrs import evolve
from openapi_python_client.parser import properties
from openapi_python_client.parser.errors import PropertyError

_generator_property_from_ref = properties._property_from_ref


def _property_from_ref(**kwargs: Any) -> Any:
    prop, schemas = _generator_property_from_ref(**kwargs)
    parent = kwargs.get("parent")
    if parent is not None and parent.description and not isinstance(prop, PropertyError):
        prop = evolve(prop, description=parent.description)
    return prop, schemas


def main() -> None:
    properties._property_from_ref = _property_from_ref  # type: ignore[assignment]  # same call, by keywords
    from openapi_python_client.cli import app  # after the patch: the CLI imports the parser

    app()


if __name__ == "__main__":
    main()
