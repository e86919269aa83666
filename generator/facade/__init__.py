"""Generate ``mistral_sdk/resources/``: one typed method per operation of the spec, sync and async.

    python -m generator.facade --spec mistral_sdk/_generated/openapi.json \
        --package mistral_sdk._generated --output mistral_sdk/resources --api-md api.md

Why generated: an operation added to the spec must get its method by regeneration, never by hand.
Inputs are the (preprocessed) spec (``spec``: operationIds, tags, media types, JSON names, our
descriptions) and the generated package (``package``: Python names and types). ``naming`` gives each
operation its place (``generator/naming.yaml``), ``plan`` matches the two, ``render`` writes one module
per resource group from ``generator/templates/facade/`` plus the operations' data for the hand-written
runtime (``mistral_sdk/_resource.py``, ``mistral_sdk/_arguments.py``) and ``api.md``.
"""

from __future__ import annotations

from .cli import bind_package, generate, main, write
from .naming import FacadeError, FacadeName, default_names, load_naming, repeats_group
from .plan import PlannedOperation, facade_names, plan
from .render import RenderedFacade, render

__all__ = [
    "FacadeError",
    "FacadeName",
    "PlannedOperation",
    "RenderedFacade",
    "bind_package",
    "default_names",
    "facade_names",
    "generate",
    "load_naming",
    "main",
    "plan",
    "render",
    "repeats_group",
    "write",
]
