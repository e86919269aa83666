"""Every operation of the spec has its facade method, sync and async (plain and raw), with a typed signature."""

from __future__ import annotations

import inspect
import json
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml

from mistral_sdk import _resources
from mistral_sdk._base_client import APIResponse
from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._streaming import PendingAsyncStream

ROOT = Path(__file__).resolve().parents[2]
GENERATED_SPEC = ROOT / "mistral_sdk" / "_generated" / "openapi.json"
PROJECT_SPEC = ROOT / "openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def operation_ids(spec: dict[str, Any]) -> list[str]:
    return sorted(
        op["operationId"]
        for item in spec["paths"].values()
        for method, op in item.items()
        if method in HTTP_METHODS and isinstance(op, dict)
    )


GENERATED_IDS = operation_ids(json.loads(GENERATED_SPEC.read_text(encoding="utf-8")))
NAMESPACE = _resources.type_namespace()


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
    assert sorted(_resources.OPERATIONS) == GENERATED_IDS
    assert sorted(_resources.MODULES) == GENERATED_IDS


def test_project_spec_operations_all_have_methods() -> None:
    if not PROJECT_SPEC.exists():
        pytest.skip("no openapi.yaml yet")
    ours = operation_ids(yaml.load(PROJECT_SPEC.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    assert ours, "openapi.yaml has no operations"
    assert set(ours) <= set(_resources.OPERATIONS), sorted(set(ours) - set(_resources.OPERATIONS))


def _check_signature(method: Any, where: str) -> None:
    hints = typing.get_type_hints(method, globalns=NAMESPACE)
    signature = inspect.signature(method)
    for name in signature.parameters:
        assert name in hints, f"{where}: parameter {name} has no type"
    assert "return" in hints, f"{where}: no return type"


@pytest.mark.parametrize("operation_id", GENERATED_IDS)
def test_operation_has_typed_methods(operation_id: str, clients: dict[str, object]) -> None:
    group, methods = _resources.OPERATIONS[operation_id]
    for variant, client in clients.items():
        resource = resolve(client, group)
        for name in methods:
            method = getattr(resource, name, None)
            where = f"{variant} client.{'.'.join(group)}.{name} ({operation_id})"
            assert callable(method), where
            _check_signature(method, where)
            return_hint = typing.get_type_hints(method, globalns=NAMESPACE)["return"]
            # async: a coroutine, or a stream that is opened on ``async with`` / ``await``
            is_async = inspect.iscoroutinefunction(method) or typing.get_origin(return_hint) is PendingAsyncStream
            assert is_async == variant.startswith("async"), where
            if variant.endswith("raw"):
                assert typing.get_origin(return_hint) is APIResponse, where


CORE = [
    ("chat", "complete", "ChatCompletionResponse"),
    ("chat", "stream", "Stream[CompletionStreamChunk]"),
    ("fim", "complete", "FIMCompletionResponse"),
    ("fim", "stream", "Stream[CompletionStreamChunk]"),
    ("embeddings", "create", "EmbeddingResponse"),
    ("models", "list", "ModelList"),
    ("models", "retrieve", "BaseModelCard | FTModelCard | UnknownVariant"),
    ("files", "upload", "UploadFileOut"),
    ("files", "download", "bytes"),
]


@pytest.mark.parametrize(("group", "method", "returns"), CORE)
def test_core_method_names_and_return_types(group: str, method: str, returns: str) -> None:
    bound = getattr(getattr(Mistral("k"), group), method)
    assert typing.get_type_hints(bound, globalns=NAMESPACE)["return"] == eval(returns, NAMESPACE)


def test_embeddings_group_is_callable_go_style() -> None:
    hints = typing.get_type_hints(type(Mistral("k").embeddings).__call__, globalns=NAMESPACE)
    assert hints["req"] is NAMESPACE["EmbeddingRequest"]
    assert hints["return"] is NAMESPACE["EmbeddingResponse"]


def test_stream_methods_do_not_take_stream_argument() -> None:
    client = Mistral("k")
    for method in (client.chat.complete, client.chat.stream, client.fim.stream):
        assert "stream" not in inspect.signature(method).parameters
        assert "model" in inspect.signature(method).parameters
