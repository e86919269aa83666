"""What every generated resource method runs: arguments to a request, per-call options, the client's pipeline.

The generated package ``mistral_sdk.resources`` holds, per resource group, typed methods whose body is
one call into this module with the method's arguments (``self._call("operationId", locals())``). What
the generator knows about each operation (its generated endpoint module, the declared type of every
argument, its request model, what the answer is) is data: ``resources/_operations.json``, read on the
first call. So the signatures are generated and checked by mypy, while the behaviour is written once,
here and in ``_arguments``, and tested like any other code.

Raw responses: a resource built with ``raw=True`` returns ``APIResponse`` from the same methods;
``client.with_raw_response`` builds such resources and re-exposes their methods with the return type
wrapped (``to_raw_response``), so no signature is written twice.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib
import json
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypedDict, TypeVar

import httpx

from ._arguments import (
    BodyField,
    as_list,
    as_uuid,
    check_param,
    compile_type,
    register_models,
    request_body,
    resolve_class,
)
from ._base_client import _KEEP, KEY_HEADER, APIResponse, AsyncAPIClient, SyncAPIClient
from ._generated.types import Unset

if TYPE_CHECKING:
    from types import ModuleType

    from ._streaming import AsyncStream, PendingAsyncStream, StreamChunk

__all__ = [
    "AsyncResource",
    "RequestOptions",
    "SyncResource",
    "async_stream_to_raw_response",
    "async_to_raw_response",
    "endpoint_module",
    "facade_operations",
    "to_raw_response",
]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
C = TypeVar("C", bound="StreamChunk")

DATA_FILE = Path(__file__).with_name("resources") / "_operations.json"
#: The keyword a stream field of a request model gets: the operation, not the caller, decides it.
_STREAM_FIELD = "stream"


class RequestOptions(TypedDict, total=False):
    """Per-call options every resource method takes, next to the API's own arguments.

    ``timeout`` and ``max_retries`` replace the client's for this call; ``extra_headers`` and
    ``extra_query`` are added to the request (a header or parameter there wins); ``extra_body`` is
    merged into the JSON body (a key there wins), so a field the API accepts before this SDK's
    description lists it can still be sent.
    """

    timeout: float | httpx.Timeout | None
    max_retries: int
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, object]
    extra_body: Mapping[str, object]


_OPTION_NAMES = frozenset(RequestOptions.__annotations__)


# -- the operations table --------------------------------------------------------------------------------


@functools.cache
def _data(data_file: Path = DATA_FILE) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(data_file.read_text(encoding="utf-8"))
    register_models(loaded["models"])
    return loaded


def _data_file_of(module_name: str) -> Path:
    """The operations' data of the resources package a group module belongs to (next to its ``_root``)."""
    folder = Path(sys.modules[module_name].__file__ or ".").resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / DATA_FILE.name).is_file():
            return candidate / DATA_FILE.name
    return DATA_FILE


def facade_operations(data_file: Path = DATA_FILE) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """operationId -> (resource group path, method names: the call, then its streaming twin if any)."""
    return {op_id: (tuple(op["group"]), tuple(op["methods"])) for op_id, op in _data(data_file)["operations"].items()}


def endpoint_module(operation_id: str) -> ModuleType:
    """The generated endpoint module of an operation (``_get_kwargs``, ``_parse_response``)."""
    return importlib.import_module(_data()["operations"][operation_id]["endpoint"])


@dataclass(frozen=True)
class _Operation:
    """One operation's facts, with every declared type compiled (built once, on the operation's first call)."""

    endpoint: ModuleType
    response: str  # "json", "any" (any JSON value), "none", "bytes" or "stream" (what the non-streaming method returns)
    allow_none: bool
    event: type[Any] | None
    # (keyword, the generated endpoint's parameter, declared type, a UUID also given as its string)
    path: tuple[tuple[str, str, Any, bool], ...]
    # (keyword, the generated endpoint's parameter, declared type, widen a tuple to a list)
    query: tuple[tuple[str, str, Any, bool], ...]
    body_model: type[Any] | None
    body_fields: dict[str, BodyField]
    # (keyword, the model's attribute alias, widen a tuple to a list)
    body_args: tuple[tuple[str, str, bool], ...]
    fix_stream: bool  # the body's ``stream`` field is set by the method (streaming or not), never the caller
    body_optional: bool  # the request model may be left out: no body is sent while no field is set
    # the body is one ``body`` argument: (its declared type, widen a tuple to a list), else None
    plain_body: tuple[Any, bool] | None
    # what decodes a 2xx answer (``parse_generated`` runs it): see ``_parser``
    parse: Callable[..., object]
    # issue-14 conveniences (generator/facade/hooks.py): arguments taking any ``FileInput``, and the SDK's
    # subclass (``ChatCompletion``) the answer is decoded into for the statuses the generated parser decodes
    files: tuple[str, ...] = ()
    result: type[Any] | None = None
    # the header that carries the API key (the operation's security scheme), None for ``Authorization: Bearer``
    key_header: str | None = None


@functools.cache
def _operation(data_file: Path, operation_id: str) -> _Operation:
    raw = _data(data_file)["operations"][operation_id]
    event: type[Any] | None = None
    if raw["event"]:
        event = resolve_class(raw["event"])
    body = raw["body"]
    fields: dict[str, BodyField] = {}
    args: list[tuple[str, str, bool]] = []
    if body is not None:
        for keyword, alias, key, descriptor, needed, widen in body["fields"]:
            fields[alias] = (key, compile_type(descriptor), needed)
            if keyword is not None:  # None: a field the method sets itself (``stream``)
                args.append((keyword, alias, widen))
    endpoint = importlib.import_module(raw["endpoint"])
    result = resolve_class(raw["result"]) if raw.get("result") else None
    return _Operation(
        endpoint=endpoint,
        response=raw["response"],
        allow_none=raw["allow_none"],
        event=event,
        path=tuple((k, p, compile_type(d), bool(u)) for k, p, d, u in raw["path"]),
        query=tuple((k, p, compile_type(d), bool(w)) for k, p, d, w in raw["query"]),
        body_model=resolve_class(body["model"]) if body is not None else None,
        body_fields=fields,
        body_args=tuple(args),
        fix_stream=bool(raw["fix_stream"]),
        body_optional=bool(body is not None and body.get("optional")),
        plain_body=(compile_type(raw["plain_body"][0]), bool(raw["plain_body"][1])) if raw["plain_body"] else None,
        files=tuple(raw.get("files") or ()),
        result=result,
        parse=_parser(endpoint, raw["response"], result, frozenset(raw.get("result_statuses") or ())),
        key_header=raw["key_header"],
    )


# -- arguments to a request ------------------------------------------------------------------------------


def _request_kwargs(op: _Operation, arguments: Mapping[str, Any], *, stream: bool) -> dict[str, Any]:
    """The generated endpoint's request keywords from a method's arguments (checked, plain values decoded)."""
    call: dict[str, Any] = {}
    for keyword, name, declared, is_uuid in op.path:
        value = arguments[keyword]
        if is_uuid:
            call[name] = as_uuid(keyword, value)
        elif declared.trivial:
            call[name] = value
        else:
            call[name] = check_param(keyword, value, declared)
    for keyword, name, declared, widen in op.query:
        value = arguments[keyword]
        if isinstance(value, Unset):
            continue
        if widen:
            value = as_list(value)
        call[name] = value if declared.trivial else check_param(keyword, value, declared)
    if op.body_model is not None:
        given: dict[str, Any] = {}
        for keyword, alias, widen in op.body_args:
            value = arguments[keyword]
            if not isinstance(value, Unset):
                given[alias] = as_list(value) if widen else value
        if given or not op.body_optional:
            if op.fix_stream:
                given[_STREAM_FIELD] = stream
            call["body"] = request_body(op.body_model, op.body_fields, given)
    elif op.plain_body is not None:
        body = arguments["body"]
        if not isinstance(body, Unset):
            declared, widen = op.plain_body
            body = check_param("body", as_list(body) if widen else body, declared)
            call["body"] = _with_stream(body, stream) if op.fix_stream else body
    return _endpoint_kwargs(op, call)


def _endpoint_kwargs(op: _Operation, call: Mapping[str, Any]) -> dict[str, Any]:
    """The generated endpoint's request keywords, with where this operation's API key goes (``KEY_HEADER``)."""
    kwargs: dict[str, Any] = op.endpoint._get_kwargs(**call)
    if op.key_header is not None:
        kwargs[KEY_HEADER] = op.key_header
    return kwargs


def _with_stream(body: T, stream: bool) -> T:
    import attrs

    if attrs.has(type(body)) and _STREAM_FIELD in attrs.fields_dict(type(body)):  # type: ignore[arg-type]
        evolved: T = attrs.evolve(body, stream=stream)  # type: ignore[misc]
        return evolved
    return body


def _apply_extras(kwargs: dict[str, Any], options: Mapping[str, Any]) -> dict[str, Any]:
    """Add a call's extra headers, query parameters and body fields to the generated request keywords."""
    unknown = set(options) - _OPTION_NAMES
    if unknown:
        raise TypeError(f"unexpected keyword argument(s) {sorted(unknown)}; per-call options: {sorted(_OPTION_NAMES)}")
    headers = options.get("extra_headers")
    if headers:
        kwargs["headers"] = {**(kwargs.get("headers") or {}), **headers}
    query = options.get("extra_query")
    if query:
        kwargs["params"] = {**(kwargs.get("params") or {}), **query}
    extra_body = options.get("extra_body")
    if extra_body:
        if isinstance(kwargs.get("json"), dict):
            kwargs["json"] = {**kwargs["json"], **extra_body}
        elif "files" in kwargs:
            # multipart: each extra field is one more form part (non-strings as their JSON text)
            kwargs["files"] = [
                *kwargs["files"],
                *(
                    (key, (None, value if isinstance(value, str) else json.dumps(value)))
                    for key, value in extra_body.items()
                ),
            ]
        elif "json" not in kwargs and "content" not in kwargs and "data" not in kwargs:
            kwargs["json"] = dict(extra_body)
        else:
            raise TypeError("extra_body: this operation's body is not a JSON object")
    return kwargs


def _for_call(client: Any, options: Mapping[str, Any]) -> Any:
    """The client to send with: a copy (same connection pool) when the call changes timeout or retries."""
    if "timeout" not in options and "max_retries" not in options:
        return client
    changed = copy.copy(client)
    changed._options = client._copy_options(
        base_url=None,
        timeout=options.get("timeout", _KEEP),
        stream_idle_timeout=_KEEP,
        max_retries=options.get("max_retries"),
        default_headers=None,
    )
    return changed


def _prepare(
    data_file: Path, operation_id: str, arguments: Mapping[str, Any], stream: bool
) -> tuple[_Operation, dict[str, Any]]:
    op = _operation(data_file, operation_id)
    kwargs = _request_kwargs(op, arguments, stream=stream)
    options = arguments.get("request_options")
    if options:
        kwargs = _apply_extras(kwargs, options)
    return op, kwargs


# -- the issue-14 conveniences (generator/facade/hooks.py decides which operation gets which) ----------------


def _open_files(
    data_file: Path, operation_id: str, arguments: Mapping[str, Any], files: contextlib.ExitStack
) -> Mapping[str, Any]:
    """The arguments with every ``FileInput`` as a ``File``, opened until ``files`` closes (after the request)."""
    keywords = _operation(data_file, operation_id).files
    given = [k for k in keywords if arguments.get(k) is not None and not isinstance(arguments.get(k), Unset)]
    if not given:
        return arguments
    from .lib._files import open_file

    return {**arguments, **{k: files.enter_context(open_file(arguments[k], name=k)) for k in given}}


async def _closing(files: contextlib.ExitStack, sending: Awaitable[T]) -> T:
    try:
        return await sending
    finally:
        files.close()


def _parser(
    endpoint: ModuleType, response: str, result: type[Any] | None, statuses: frozenset[int]
) -> Callable[..., object]:
    """What decodes a 2xx answer of an operation: its generated parser, or for ``response == "any"`` the
    JSON as it is; with a ``result`` class, the ``statuses`` the generated parser decodes into the generated
    class are decoded into ``result`` (its subclass) instead."""
    if response == "any":
        return _parse_any_json
    generated: Callable[..., object] = endpoint._parse_response
    if result is None:
        return generated

    def parse(*, client: object, response: httpx.Response) -> object:
        # Where the generated parser would build the generated class, its generated ``from_dict`` builds
        # the SDK's subclass (``cls(...)``) instead: the same fields, decoded once, no copy.
        if response.status_code in statuses:
            return result.from_dict(response.json())
        return generated(client=client, response=response)

    return parse


def _page_arguments(arguments: Mapping[str, Any]) -> tuple[int, int | None]:
    page, size = arguments.get("page"), arguments.get("page_size")
    return (page if isinstance(page, int) else 0), (size if isinstance(size, int) else None)


class _SyncConveniences:
    """``SyncResource``'s methods behind pages, streamed downloads and structured outputs."""

    _client: SyncAPIClient
    _raw: bool
    _data_file: Path

    if TYPE_CHECKING:

        def __init__(self, client: SyncAPIClient, *, raw: bool = False) -> None: ...

        def _call(self, operation_id: str, arguments: Mapping[str, Any], *, stream: bool = False) -> Any: ...

    def _paginate(self, operation_id: str, arguments: Mapping[str, Any]) -> Any:
        """A ``SyncPage`` of the first page asked for; further pages are fetched as iteration reaches them.

        Raw (``with_raw_response``): the first page's ``APIResponse`` whose ``parsed`` is that ``SyncPage``.
        """
        from .lib._pagination import SyncPage

        number, size = _page_arguments(arguments)

        def fetch(page: int) -> Any:
            plain = type(self)(self._client)  # pages after the first are plain answers, raw or not
            return plain._call(operation_id, {**arguments, "page": page})

        first = self._call(operation_id, {**arguments, "page": number})
        if isinstance(first, APIResponse):
            return first.replace(parsed=SyncPage(first.parsed, fetch, number=number, page_size=size))
        return SyncPage(first, fetch, number=number, page_size=size)

    def _download(self, operation_id: str, arguments: Mapping[str, Any]) -> Any:
        """The binary answer as a ``BinaryResponse``, its body still unread."""
        from .lib._binary import BinaryResponse

        _, kwargs = _prepare(self._data_file, operation_id, arguments, False)
        client = _for_call(self._client, arguments.get("request_options") or {})
        return BinaryResponse(client._send(kwargs, stream=True))

    def _parse(self, operation_id: str, arguments: Mapping[str, Any]) -> Any:
        from .lib._chat import parse_arguments
        from .lib._parsing import parse_completion

        tp = arguments["response_format"]
        return parse_completion(self._call(operation_id, parse_arguments(arguments)), tp)

    def _parse_stream(self, operation_id: str, arguments: Mapping[str, Any]) -> Any:
        from .lib._chat import ParsedStream, parse_arguments

        stream = self._call(operation_id, parse_arguments(arguments), stream=True)
        return ParsedStream(stream, arguments["response_format"])


class _AsyncConveniences:
    """``AsyncResource``'s methods behind pages, streamed downloads and structured outputs."""

    _client: AsyncAPIClient
    _raw: bool
    _data_file: Path

    if TYPE_CHECKING:

        def __init__(self, client: AsyncAPIClient, *, raw: bool = False) -> None: ...

        async def _call(self, operation_id: str, arguments: Mapping[str, Any], *, stream: bool = False) -> Any: ...

        def _stream(self, operation_id: str, arguments: Mapping[str, Any]) -> PendingAsyncStream[Any]: ...

    def _paginate(self, operation_id: str, arguments: Mapping[str, Any]) -> Any:
        """An ``AsyncPaginator`` (``await`` it for the first page, ``async for`` for every item).

        Raw: a coroutine giving the first page's ``APIResponse`` whose ``parsed`` is an ``AsyncPage``.
        """
        from .lib._pagination import AsyncPage, AsyncPaginator

        number, size = _page_arguments(arguments)

        async def fetch(page: int) -> Any:
            plain = type(self)(self._client)
            return await plain._call(operation_id, {**arguments, "page": page})

        if not self._raw:
            return AsyncPaginator(fetch, number=number, page_size=size)

        async def first_raw() -> APIResponse[Any]:
            first: APIResponse[Any] = await self._call(operation_id, {**arguments, "page": number})
            return first.replace(parsed=AsyncPage(first.parsed, fetch, number=number, page_size=size))

        return first_raw()

    def _download(self, operation_id: str, arguments: Mapping[str, Any]) -> Any:
        """A ``PendingBinaryResponse``: the request is sent on ``async with`` or ``await``."""
        from .lib._binary import PendingBinaryResponse

        _, kwargs = _prepare(self._data_file, operation_id, arguments, False)
        client = _for_call(self._client, arguments.get("request_options") or {})
        return PendingBinaryResponse(client._send(kwargs, stream=True))

    async def _parse(self, operation_id: str, arguments: Mapping[str, Any]) -> Any:
        from .lib._chat import parse_arguments
        from .lib._parsing import parse_completion

        tp = arguments["response_format"]
        return parse_completion(await self._call(operation_id, parse_arguments(arguments)), tp)

    def _parse_stream(self, operation_id: str, arguments: Mapping[str, Any]) -> Any:
        from .lib._chat import AsyncParsedStream, parse_arguments

        pending = self._stream(operation_id, parse_arguments(arguments))
        return AsyncParsedStream(pending, arguments["response_format"])


# -- the resource base classes: the only sync/async difference is the I/O call ------------------------------


class _Resource:
    """What the sync and async groups share: their client, raw mode, and where their operations' data is."""

    _data_file: Path = DATA_FILE

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._data_file = _data_file_of(cls.__module__)


class SyncResource(_Resource, _SyncConveniences):
    """Base of every generated blocking resource group."""

    def __init__(self, client: SyncAPIClient, *, raw: bool = False) -> None:
        self._client = client
        self._raw = raw

    def _call(self, operation_id: str, arguments: Mapping[str, Any], *, stream: bool = False) -> Any:
        if not _operation(self._data_file, operation_id).files:  # nothing to open (and close) around the request
            op, kwargs = _prepare(self._data_file, operation_id, arguments, stream)
            client = _for_call(self._client, arguments.get("request_options") or {})
            return _send_sync(client, op, kwargs, stream=stream, raw=self._raw)
        with contextlib.ExitStack() as files:
            op, kwargs = _prepare(
                self._data_file, operation_id, _open_files(self._data_file, operation_id, arguments, files), stream
            )
            client = _for_call(self._client, arguments.get("request_options") or {})
            return _send_sync(client, op, kwargs, stream=stream, raw=self._raw)

    def _send_prepared(self, operation_id: str, body: Any) -> Any:
        """Send a request model built by the caller (the Go-parity ``client.embeddings(req)``)."""
        op = _operation(self._data_file, operation_id)
        return _send_sync(self._client, op, _endpoint_kwargs(op, {"body": body}), stream=False, raw=self._raw)


def _send_sync(client: SyncAPIClient, op: _Operation, kwargs: dict[str, Any], *, stream: bool, raw: bool) -> Any:
    if stream:
        assert op.event is not None
        return client._request_stream_raw(kwargs, op.event) if raw else client._request_stream(kwargs, op.event)
    if op.response == "bytes":
        return client._request_bytes_raw(kwargs) if raw else client._request_bytes(kwargs)
    if raw:
        return client._request_raw(kwargs, op.parse, allow_none=op.allow_none)
    return client._request(kwargs, op.parse, allow_none=op.allow_none)


def _parse_any_json(*, client: object, response: httpx.Response) -> Any:
    """The answer of an operation whose JSON schema is ``{}`` (any value): the decoded JSON, whatever it is.

    The generated parser returns ``None`` for such a schema, dropping the body; an answer that is not JSON
    raises ``ValueError``, which the client reports as ``APIResponseValidationError``.
    """
    return response.json()


class AsyncResource(_Resource, _AsyncConveniences):
    """Base of every generated asyncio resource group."""

    def __init__(self, client: AsyncAPIClient, *, raw: bool = False) -> None:
        self._client = client
        self._raw = raw

    async def _call(self, operation_id: str, arguments: Mapping[str, Any], *, stream: bool = False) -> Any:
        if not _operation(self._data_file, operation_id).files:
            op, kwargs = _prepare(self._data_file, operation_id, arguments, stream)
            client = _for_call(self._client, arguments.get("request_options") or {})
            return await _send_async(client, op, kwargs, stream=stream, raw=self._raw)
        with contextlib.ExitStack() as files:
            op, kwargs = _prepare(
                self._data_file, operation_id, _open_files(self._data_file, operation_id, arguments, files), stream
            )
            client = _for_call(self._client, arguments.get("request_options") or {})
            return await _send_async(client, op, kwargs, stream=stream, raw=self._raw)

    def _stream(self, operation_id: str, arguments: Mapping[str, Any]) -> PendingAsyncStream[Any]:
        """A stream opened on ``async with`` or ``await`` (arguments are checked now, the request sent then)."""
        from ._streaming import PendingAsyncStream

        files = contextlib.ExitStack()
        try:
            op, kwargs = _prepare(
                self._data_file, operation_id, _open_files(self._data_file, operation_id, arguments, files), True
            )
        except BaseException:
            files.close()
            raise
        client = _for_call(self._client, arguments.get("request_options") or {})
        return PendingAsyncStream(_closing(files, _send_async(client, op, kwargs, stream=True, raw=self._raw)))

    async def _send_prepared(self, operation_id: str, body: Any) -> Any:
        op = _operation(self._data_file, operation_id)
        return await _send_async(self._client, op, _endpoint_kwargs(op, {"body": body}), stream=False, raw=self._raw)


async def _send_async(
    client: AsyncAPIClient, op: _Operation, kwargs: dict[str, Any], *, stream: bool, raw: bool
) -> Any:
    if stream:
        assert op.event is not None
        if raw:
            return await client._request_stream_raw(kwargs, op.event)
        return await client._request_stream(kwargs, op.event)
    if op.response == "bytes":
        return await (client._request_bytes_raw(kwargs) if raw else client._request_bytes(kwargs))
    if raw:
        return await client._request_raw(kwargs, op.parse, allow_none=op.allow_none)
    return await client._request(kwargs, op.parse, allow_none=op.allow_none)


# -- raw responses: the same methods, typed as returning APIResponse ----------------------------------------


def to_raw_response(method: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """A method of a resource built with ``raw=True``, typed as what it returns: ``APIResponse``."""
    raw: Callable[P, APIResponse[R]] = method  # type: ignore[assignment]
    return raw


def async_to_raw_response(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[APIResponse[R]]]:
    """``to_raw_response`` for a coroutine method."""
    raw: Callable[P, Awaitable[APIResponse[R]]] = method  # type: ignore[assignment]
    return raw


def async_stream_to_raw_response(
    method: Callable[P, PendingAsyncStream[C]],
) -> Callable[P, Awaitable[APIResponse[AsyncStream[C]]]]:
    """An async stream method, raw: awaiting it sends the request and gives the response with its stream."""

    @functools.wraps(method)
    async def opened(*args: P.args, **kwargs: P.kwargs) -> APIResponse[AsyncStream[C]]:
        # the resource was built with raw=True: its pending stream opens to an APIResponse
        response: Any = await method(*args, **kwargs)
        opened_response: APIResponse[AsyncStream[C]] = response
        return opened_response

    return opened
