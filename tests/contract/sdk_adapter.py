"""The ONE place where the contract suite calls the SDK, in its two layers.

- ``generated``: the generated endpoint functions (``mistral_sdk._generated.api.<tag>.<operation_id>``)
  through ``AuthenticatedClient``, streams through the SDK's streaming layer; the key goes where each
  operation's security scheme wants it (a bearer token, or ``x-api-key``), as the spec says;
- ``facade``: the public client, ``Mistral(...).<group>.<method>(**fields)`` as ``mistral_sdk._resource``
  maps each operation id, through ``with_raw_response`` for the HTTP status.

Nothing here names an operation: request bodies are built from each endpoint's own annotations or passed
as the facade's keyword arguments, event models come from the spec's schema names.
"""

from __future__ import annotations

import datetime
import enum
import functools
import importlib
import inspect
import io
import pkgutil
import re
import ssl
import types
import typing
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol

import attrs
import httpx
from dateutil.parser import isoparse

GENERATED = "mistral_sdk._generated"
API_KEY = "contract-test-key"
TIMEOUT = httpx.Timeout(10.0)


@dataclass(frozen=True)
class Case:
    """One request: parameters by their Python names, a JSON-like body, and which body fields are file uploads."""

    params: Mapping[str, Any] = field(default_factory=dict)
    body: Mapping[str, Any] | list[Any] | None = None
    """A JSON object's fields, or a JSON array (an operation taking a list)."""
    files: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """body field → (file name, content type); the body holds the bytes."""


@dataclass(frozen=True)
class Result:
    status: int
    parsed: Any
    headers: Mapping[str, str]


class Caller(Protocol):
    def call_json(self, operation_id: str, case: Case) -> Result: ...

    def call_stream(self, operation_id: str, case: Case, event_model: type[Any]) -> list[Any]: ...


# -- shared ----------------------------------------------------------------------------------------


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


def generated_model(name: str) -> type[Any]:
    models = importlib.import_module(f"{GENERATED}.models")
    model: type[Any] = getattr(models, name)
    return model


def _files(case: Case) -> dict[str, Any]:
    file_type = importlib.import_module(f"{GENERATED}.types").File
    assert isinstance(case.body, Mapping)
    return {
        name: file_type(payload=io.BytesIO(case.body[name]), file_name=file_name, mime_type=mime)
        for name, (file_name, mime) in case.files.items()
    }


def _as_annotated(value: Any, annotation: Any) -> Any:
    """A JSON-like case value as the type a generated signature declares (enum member, UUID, list of them...).

    Cases are written as plain JSON values, once for both layers; the generated functions take their
    own types (``list[RequestSource]`` where the wire has strings) and would send a plain string wrong.
    """
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        options = typing.get_args(annotation)
        for option in options:
            if isinstance(option, type) and not typing.get_args(option) and isinstance(value, option):
                if not (isinstance(value, bool) and option is int):
                    return value
        for option in options:
            converted = _as_annotated(value, option)
            if converted is not value or option is Any:
                return converted
        return value
    origin = typing.get_origin(annotation)
    if origin is list and isinstance(value, list):
        (item,) = typing.get_args(annotation)
        return [_as_annotated(v, item) for v in value]
    if not isinstance(annotation, type):
        return value
    if issubclass(annotation, enum.Enum) and isinstance(value, str):
        try:
            return annotation(value)
        except ValueError:
            return value
    if annotation is uuid.UUID and isinstance(value, str):
        return uuid.UUID(value)
    if annotation is datetime.datetime and isinstance(value, str):
        return isoparse(value)
    if attrs.has(annotation) and isinstance(value, Mapping) and hasattr(annotation, "from_dict"):
        return annotation.from_dict(dict(value))
    return value


def _body_model(value: dict[str, Any], annotation: Any) -> Any:
    """The generated request model a JSON body stands for: the one model of the annotation (``Model``,
    ``Model | None | Unset``) or, for a union of models, the member that reads it back unchanged."""
    options = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    models = [o for o in options if attrs.has(o) and hasattr(o, "from_dict") and o.__name__ != "UnknownVariant"]
    if len(models) == 1:  # one model (a form's file parts do not read back as given: no round trip here)
        return models[0].from_dict(value)
    for option in models:
        try:
            built = option.from_dict(value)
        except (KeyError, TypeError, ValueError):
            continue
        if built.to_dict() == value:
            return built
    raise TypeError(f"no model of {annotation} reads the body {value!r} unchanged")


# -- the generated layer ---------------------------------------------------------------------------


@functools.cache
def key_headers() -> dict[str, str | None]:
    """operationId -> the header its key goes in (None: ``Authorization: Bearer``), from the generated spec."""
    from mistral_sdk.testing._spec import default_spec_path, load_spec_document, operations_of

    return {op.operation_id: op.key_header for op in operations_of(load_spec_document(default_spec_path()))}


class GeneratedCaller:
    """The generated functions with one ``AuthenticatedClient`` per key placement (it sends its key in one header)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.clients: dict[str | None, Any] = {}

    def client(self, operation_id: str) -> Any:
        header = key_headers()[operation_id]
        if header not in self.clients:
            client_module = importlib.import_module(f"{GENERATED}.client")
            # bearer: "Authorization: Bearer <key>"; an apiKey header carries the key alone (no prefix)
            placement = {} if header is None else {"auth_header_name": header, "prefix": ""}
            self.clients[header] = client_module.AuthenticatedClient(
                base_url=self.base_url,
                token=API_KEY,
                raise_on_unexpected_status=True,
                timeout=TIMEOUT,
                verify_ssl=_ssl_context(),
                **placement,
            )
        return self.clients[header]

    def close(self) -> None:
        for client in self.clients.values():
            client.get_httpx_client().close()

    def _kwargs(self, module: ModuleType, case: Case) -> dict[str, Any]:
        hints = typing.get_type_hints(module.sync_detailed)
        kwargs: dict[str, Any] = {
            name: _as_annotated(value, hints[name]) if name in hints else value for name, value in case.params.items()
        }
        if case.body is not None:
            body_type = hints["body"]
            if not isinstance(case.body, Mapping):  # a JSON array: a list of the generated item type
                kwargs["body"] = _as_annotated(list(case.body), body_type)
            else:
                body = _body_model(dict(case.body), body_type)
                if case.files:
                    body = attrs.evolve(body, **_files(case))
                kwargs["body"] = body
        unknown = set(kwargs) - set(inspect.signature(module.sync_detailed).parameters)
        if unknown:
            raise TypeError(f"{module.__name__}.sync_detailed takes no {sorted(unknown)}")
        return kwargs

    def call_json(self, operation_id: str, case: Case) -> Result:
        module = endpoint(operation_id)
        response = module.sync_detailed(client=self.client(operation_id), **self._kwargs(module, case))
        return Result(int(response.status_code), response.parsed, response.headers)

    def call_stream(self, operation_id: str, case: Case, event_model: type[Any]) -> list[Any]:
        from mistral_sdk._streaming import Stream, decoder_for

        module = endpoint(operation_id)
        request_kwargs = module._get_kwargs(**self._kwargs(module, case))
        http: httpx.Client = self.client(operation_id).get_httpx_client()
        response = http.send(http.build_request(**request_kwargs), stream=True)
        if response.status_code != 200:
            response.read()
            raise AssertionError(f"{operation_id}: HTTP {response.status_code}: {response.text}")
        with Stream(response, decoder_for(event_model), error_mode="raise") as stream:
            return list(stream)


# -- the public facade -------------------------------------------------------------------------------


class FacadeCaller:
    def __init__(self, client: Any) -> None:
        self.client = client

    def _method(self, root: Any, operation_id: str, streaming: bool) -> Callable[..., Any]:
        from mistral_sdk._resource import facade_operations

        try:
            group, methods = facade_operations()[operation_id]
        except KeyError:
            raise LookupError(f"the client facade has no method for {operation_id}") from None
        target = root
        for name in group:
            target = getattr(target, name)
        # an operation with a JSON and a streaming answer has two methods (``complete``, ``stream``);
        # a stream-only one (``start_stream``) has one, and call_stream checks that it streams
        method: Callable[..., Any] = getattr(target, methods[-1] if streaming else methods[0])
        return method

    @staticmethod
    def _kwargs(method: Callable[..., Any], case: Case) -> dict[str, Any]:
        """Wire names are the keyword arguments (``input=``, ``type=``)."""
        if case.body is not None and "body" in inspect.signature(method).parameters:
            return {**case.params, "body": case.body}  # a JSON array or a union of models is one ``body=``
        if isinstance(case.body, list):
            raise TypeError(f"{method.__qualname__} takes no ``body=`` for the JSON array of this case")
        wire = {**case.params, **{k: v for k, v in (case.body or {}).items() if k != "stream"}}
        if case.files:
            wire.update(_files(case))
        return wire

    def call_json(self, operation_id: str, case: Case) -> Result:
        method = self._method(self.client.with_raw_response, operation_id, streaming=False)
        raw = method(**self._kwargs(method, case))
        from mistral_sdk.lib._pagination import SyncPage

        # a list operation's page: the answer itself is the model it wraps (without fetching more pages)
        parsed = raw.parsed.page if isinstance(raw.parsed, SyncPage) else raw.parsed
        return Result(raw.status_code, parsed, raw.headers)

    def call_stream(self, operation_id: str, case: Case, event_model: type[Any]) -> list[Any]:
        from mistral_sdk._streaming import Stream

        method = self._method(self.client, operation_id, streaming=True)
        stream = method(**self._kwargs(method, case))
        if not isinstance(stream, Stream):
            raise AssertionError(f"the client facade has no streaming method for {operation_id}: got {stream!r}")
        with stream:
            return list(stream)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS context for every generated client: building one per client (httpx's default, loading the
    system's certificates) costs more than the call it serves; the mock is plain HTTP on loopback anyway."""
    return ssl.create_default_context()


@contextmanager
def sdk_caller(layer: str, base_url: str) -> Iterator[Caller]:
    """A caller of ``layer`` ("generated" or "facade") talking to ``base_url``; closed on exit."""
    if layer == "generated":
        generated = GeneratedCaller(base_url)
        try:
            yield generated
        finally:
            generated.close()
    elif layer == "facade":
        from mistral_sdk import Mistral

        with Mistral(api_key=API_KEY, base_url=base_url, max_retries=0, timeout=TIMEOUT) as client:
            yield FacadeCaller(client)
    else:
        raise ValueError(f"unknown SDK layer {layer!r}")


LAYERS = ("generated", "facade")
