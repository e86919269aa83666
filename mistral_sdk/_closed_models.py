"""Find fields that a closed schema does not define, in a decoded request model.

Generated decoding keeps every field it does not know, for every model, so that a response keeps all the
API sent (``additional_properties``, written back by ``to_dict()``). A request argument is different: a key
that a closed schema (``additionalProperties: false``, the generated class's ``closed_schema``) does not
define is almost always a typo, and the API would reject it. Request builders call :func:`first_unknown_field`
on what they decoded from the caller's plain values and refuse the request when it finds one.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["first_unknown_field"]


def first_unknown_field(value: Any, path: str = "") -> tuple[str, str] | None:
    """``(path, key)`` of the first unknown key of a closed model inside ``value``, else None.

    ``path`` locates the model that holds ``key`` in JSON terms (``tools[0].function``), prefixed by the
    ``path`` given. Lists, dicts and nested models are walked; plain values end the walk.
    """
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = first_unknown_field(item, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = first_unknown_field(item, f"{path}[{key!r}]")
            if found is not None:
                return found
        return None
    kind = type(value)
    if not attrs.has(kind):
        return None
    extras = getattr(value, "additional_properties", None)
    if getattr(kind, "closed_schema", False) and extras:
        return path, next(iter(extras))
    for attribute in attrs.fields(kind):
        if attribute.name == "additional_properties":
            continue
        key = attribute.name.removesuffix("_") if attribute.name.endswith("_") else attribute.name
        found = first_unknown_field(getattr(value, attribute.name), f"{path}.{key}" if path else key)
        if found is not None:
            return found
    return None
