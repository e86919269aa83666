"""Every operation of the spec has its facade method, sync and async (plain and raw), with a typed signature."""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
import json
import typing
from pathlib import Path
from typing import Any

import pytest

from generator.facade.naming import RESERVED_ROOT
from mistral_sdk._base_client import APIResponse
from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._generated.models.embedding_response import EmbeddingResponse
from mistral_sdk._resource import facade_operations
from mistral_sdk._streaming import PendingAsyncStream
from mistral_sdk.lib._pagination import AsyncPaginator
from mistral_sdk.resources._root import SyncResources
from mistral_sdk.testing._spec import load_spec_document

from ._server import Reply, ScriptedServer

ROOT = Path(__file__).resolve().parents[2]
GENERATED_SPEC = ROOT / "mistral_sdk" / "_generated" / "openapi.json"
PROJECT_SPEC = ROOT / "openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
OPERATIONS = facade_operations()


def operation_ids(spec: dict[str, Any]) -> list[str]:
    return sorted(
        op["operationId"]
        for item in spec["paths"].values()
        for method, op in item.items()
        if method in HTTP_METHODS and isinstance(op, dict)
    )


GENERATED_IDS = operation_ids(json.loads(GENERATED_SPEC.read_text(encoding="utf-8")))


def namespace(method: Any) -> dict[str, Any]:
    """The names a resource module's annotations use: its globals plus its ``if TYPE_CHECKING:`` imports."""
    module = importlib.import_module(method.__module__)
    names = dict(vars(module))
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            exec(compile(ast.Module(body=node.body, type_ignores=[]), "<imports>", "exec"), names)
    return names


def hints(method: Any) -> dict[str, Any]:
    return typing.get_type_hints(method, globalns=namespace(method), include_extras=True)


def resolve(root: object, group: tuple[str, ...]) -> object:
    for part in group:
        root = getattr(root, part)
    return root


@pytest.fixture(scope="module")
def clients() -> dict[str, object]:
    sync, async_ = Mistral("k"), AsyncMistral("k")
    return {
        "sync": sync,
        "async": async_,
        "sync_raw": sync.with_raw_response,
        "async_raw": async_.with_raw_response,
    }


def test_the_facade_covers_exactly_the_spec() -> None:
    assert sorted(OPERATIONS) == GENERATED_IDS


def test_project_spec_operations_all_have_methods() -> None:
    ours = operation_ids(load_spec_document(PROJECT_SPEC))
    assert ours, "openapi.yaml has no operations"
    assert set(ours) <= set(OPERATIONS), sorted(set(ours) - set(OPERATIONS))


@pytest.mark.parametrize("operation_id", GENERATED_IDS)
def test_operation_has_typed_methods(operation_id: str, clients: dict[str, object]) -> None:
    group, methods = OPERATIONS[operation_id]
    for variant, client in clients.items():
        resource = resolve(client, group)
        for name in methods:
            method = getattr(resource, name, None)
            where = f"{variant} client.{'.'.join(group)}.{name} ({operation_id})"
            assert callable(method), where
            target = inspect.unwrap(method)
            found = hints(target)
            for parameter in inspect.signature(target).parameters:
                assert parameter in found, f"{where}: parameter {parameter} has no type"
            assert "return" in found, f"{where}: no return type"
            assert "request_options" in inspect.signature(method).parameters, f"{where}: no per-call options"
            # async: a coroutine, a stream opened on ``async with`` / ``await``, or pages (``await`` / ``async for``)
            is_async = inspect.iscoroutinefunction(method) or typing.get_origin(found["return"]) in (
                PendingAsyncStream,
                AsyncPaginator,
            )
            assert is_async == variant.startswith("async"), where


CORE = [
    ("chat", "complete", "ChatCompletion"),  # the generated response with .text / .thinking
    ("chat", "stream", "Stream[CompletionStreamChunk]"),
    ("fim", "complete", "FIMCompletionResponse"),
    ("fim", "stream", "Stream[CompletionStreamChunk]"),
    ("embeddings", "create", "EmbeddingResponse"),
    ("models", "list", "ModelList"),
    ("models", "retrieve", "BaseModelCard | FTModelCard | UnknownVariant"),
    ("files", "upload", "CreateFileResponse"),
    ("files", "download", "bytes"),
]


@pytest.mark.parametrize(("group", "method", "returns"), CORE)
def test_core_method_names_and_return_types(group: str, method: str, returns: str) -> None:
    bound = getattr(getattr(Mistral("k"), group), method)
    names = namespace(bound)
    assert hints(bound)["return"] == eval(returns, names)


def test_embeddings_group_is_callable_go_style() -> None:
    call = type(Mistral("k").embeddings).__call__
    found = hints(call)
    names = namespace(call)
    assert found["req"] is names["EmbeddingRequest"]
    assert found["return"] is names["EmbeddingResponse"]


def test_stream_methods_do_not_take_stream_argument() -> None:
    client = Mistral("k")
    for method in (client.chat.complete, client.chat.stream, client.fim.stream):
        assert "stream" not in inspect.signature(method).parameters
        assert "model" in inspect.signature(method).parameters


def test_keyword_arguments_are_the_api_json_names() -> None:
    parameters = inspect.signature(Mistral("k").embeddings.create).parameters
    assert "input" in parameters and "input_" not in parameters


def test_transport_methods_are_not_public() -> None:
    """Resource groups may take any name: the client's own public surface is configuration and lifecycle."""
    public = {name for name in dir(Mistral) if not name.startswith("_")}
    groups = {group[0] for group, _ in OPERATIONS.values()}
    assert public - groups == RESERVED_ROOT


def test_raw_responses_wrap_the_same_methods_and_are_typed(server: ScriptedServer) -> None:
    """``assert_type`` is checked by mypy (this file is in the strict run); the calls check it at run time."""
    usage = {"prompt_tokens": 1, "completion_tokens": 0, "total_tokens": 1}
    answer = {"id": "e", "object": "list", "data": [], "model": "mistral-embed", "usage": usage}
    server.reply(Reply(body=answer, headers={"x-request-id": "r1"}), Reply(body=answer))
    with Mistral("k", base_url=server.url) as client:
        raw = client.with_raw_response.embeddings.create(model="mistral-embed", input=["a", "b"])
        typing.assert_type(raw, APIResponse[EmbeddingResponse])
        assert (raw.status_code, raw.request_id, raw.parsed.model) == (200, "r1", "mistral-embed")
        plain = client.embeddings.create(model="mistral-embed", input=["a", "b"])
        typing.assert_type(plain, EmbeddingResponse)
    assert json.loads(server.requests[0].body) == json.loads(server.requests[1].body)


def test_async_raw_responses_are_typed(server: ScriptedServer) -> None:
    usage = {"prompt_tokens": 1, "completion_tokens": 0, "total_tokens": 1}
    server.reply(Reply(body={"id": "e", "object": "list", "data": [], "model": "m", "usage": usage}))

    async def run() -> None:
        async with AsyncMistral("k", base_url=server.url) as client:
            raw = await client.with_raw_response.embeddings.create(model="m", input="a")
            typing.assert_type(raw, APIResponse[EmbeddingResponse])
            assert raw.parsed.model == "m"

    asyncio.run(run())


def test_groups_are_built_once_per_client_and_fresh_for_a_copy() -> None:
    from mistral_sdk._groups import Group

    client = Mistral("k")
    assert isinstance(Mistral.__dict__.get("chat") or SyncResources.__dict__["chat"], Group)
    assert client.chat is client.chat
    assert client.chat._client is client
    copy = client.with_options(max_retries=0)
    assert copy.chat is not client.chat and copy.chat._client is copy
    raw = client.with_raw_response
    assert raw is client.with_raw_response and raw.chat is raw.chat
    assert raw.chat._resource._raw and not client.chat._raw
