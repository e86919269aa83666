"""The ONE place where the contract suite calls the SDK.

Today it drives the generated endpoint functions (``mistral_sdk._generated.api.<tag>.<operation_id>``)
through ``AuthenticatedClient``, and streams through the SDK's streaming layer; when the client facade
covers every operation, only ``call_json`` and ``call_stream`` change. Nothing here names an operation:
request bodies are built from each endpoint's own annotations, event models from the spec's schema names.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import io
import pkgutil
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import attrs
import httpx

GENERATED = "mistral_sdk._generated"
API_KEY = "contract-test-key"


@dataclass(frozen=True)
class Case:
    """One request: parameters by their Python names, a JSON-like body, and which body fields are file uploads."""

    params: Mapping[str, Any] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    files: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """body field → (file name, content type); the body holds the bytes."""


@functools.cache
def _module_index() -> dict[str, str]:
    api = importlib.import_module(f"{GENERATED}.api")
    index: dict[str, str] = {}
    for info in pkgutil.walk_packages(api.__path__, f"{api.__name__}."):
        if not info.ispkg:
            index[_normalized(info.name.rsplit(".", 1)[1])] = info.name
    return index


def _normalized(name: str) -> str:
    """openapi-python-client snake-cases operation ids, collapsing ``__`` into ``_``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def endpoint(operation_id: str) -> ModuleType:
    try:
        name = _module_index()[_normalized(operation_id)]
    except KeyError:
        raise LookupError(f"no generated endpoint module for {operation_id}") from None
    return importlib.import_module(name)


def make_client(base_url: str) -> Any:
    client_module = importlib.import_module(f"{GENERATED}.client")
    return client_module.AuthenticatedClient(
        base_url=base_url, token=API_KEY, raise_on_unexpected_status=True, timeout=httpx.Timeout(10.0)
    )


def generated_model(name: str) -> type[Any]:
    models = importlib.import_module(f"{GENERATED}.models")
    model: type[Any] = getattr(models, name)
    return model


def _kwargs(module: ModuleType, case: Case) -> dict[str, Any]:
    kwargs: dict[str, Any] = dict(case.params)
    if case.body is not None:
        hints = typing.get_type_hints(module.sync_detailed)
        body_type = hints["body"]
        body = body_type.from_dict(dict(case.body))
        if case.files:
            file_type = importlib.import_module(f"{GENERATED}.types").File
            replaced = {
                name: file_type(payload=io.BytesIO(case.body[name]), file_name=file_name, mime_type=mime)
                for name, (file_name, mime) in case.files.items()
            }
            body = attrs.evolve(body, **replaced)
        kwargs["body"] = body
    accepted = inspect.signature(module.sync_detailed).parameters
    unknown = set(kwargs) - set(accepted)
    if unknown:
        raise TypeError(f"{module.__name__}.sync_detailed takes no {sorted(unknown)}")
    return kwargs


@dataclass(frozen=True)
class Result:
    status: int
    parsed: Any
    headers: Mapping[str, str]


def call_json(client: Any, operation_id: str, case: Case) -> Result:
    """Call a non-streaming operation; the parsed result is the SDK's typed object."""
    module = endpoint(operation_id)
    response = module.sync_detailed(client=client, **_kwargs(module, case))
    return Result(int(response.status_code), response.parsed, response.headers)


def call_stream(client: Any, operation_id: str, case: Case, event_model: type[Any]) -> list[Any]:
    """Call a streaming operation and consume it to the end through the SDK's streaming layer."""
    from mistral_sdk._streaming import Stream, decoder_for

    module = endpoint(operation_id)
    request_kwargs = module._get_kwargs(**_kwargs(module, case))
    http: httpx.Client = client.get_httpx_client()
    response = http.send(http.build_request(**request_kwargs), stream=True)
    if response.status_code != 200:
        response.read()
        raise AssertionError(f"{operation_id}: HTTP {response.status_code}: {response.text}")
    with Stream(response, decoder_for(event_model), error_mode="raise") as stream:
        return list(stream)
