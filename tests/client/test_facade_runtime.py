"""The facade's hand-written runtime on its own: type descriptors, argument checks, body building, per-call options."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
import pytest

from mistral_sdk._arguments import as_list, as_uuid, check_param, compile_type, request_body
from mistral_sdk._client import Mistral
from mistral_sdk._generated.models.embedding_request import EmbeddingRequest
from mistral_sdk._generated.models.file_purpose import FilePurpose
from mistral_sdk._generated.models.user_message import UserMessage
from mistral_sdk._generated.types import UNSET
from mistral_sdk._resource import _apply_extras, _data, _for_call, _operation, _request_kwargs, facade_operations

PURPOSE = ["enum", "mistral_sdk._generated.models.file_purpose:FilePurpose"]
USER = ["model", "mistral_sdk._generated.models.user_message:UserMessage"]


def test_descriptors_compile_to_checks() -> None:
    assert compile_type("any").trivial
    assert compile_type(["union", "str", "any"]).trivial  # a union with Any takes anything
    assert check_param("n", 3, compile_type("int")) == 3
    with pytest.raises(TypeError, match=r"^n: expected int, got bool True$"):
        check_param("n", True, compile_type("int"))
    assert check_param("x", 2, compile_type("float")) == 2
    assert check_param("c", "b", compile_type(["const", "a", "b"])) == "b"
    with pytest.raises(TypeError, match=r"^c: expected 'a' \| 'b'"):
        check_param("c", "z", compile_type(["const", "a", "b"]))


def test_enum_strings_are_decoded_and_unknown_ones_kept() -> None:
    declared = compile_type(["union", PURPOSE, "unset"])
    assert check_param("purpose", "batch", declared) is FilePurpose.BATCH
    assert check_param("purpose", "brand-new", declared).value == "brand-new"  # open enums: newer API values pass
    with pytest.raises(TypeError, match=r"^purpose: expected FilePurpose \| str, got int 3$"):
        check_param("purpose", 3, declared)


def test_lists_and_mappings_name_the_place_of_a_wrong_item() -> None:
    declared = compile_type(["list", USER])
    decoded = check_param("messages", [{"role": "user", "content": "hi"}], declared)
    assert isinstance(decoded[0], UserMessage)
    with pytest.raises(TypeError, match=r"^messages\[1\]: expected UserMessage \| mapping, got int 5$"):
        check_param("messages", [{"role": "user", "content": "hi"}, 5], declared)
    with pytest.raises(TypeError, match=r"^tags\['b'\]: expected int, got str 'x'$"):
        check_param("tags", {"a": 1, "b": "x"}, compile_type(["dict", "int"]))


def test_uuid_arguments_take_the_string_form() -> None:
    value = "6f1e7c52-3b3a-4f4e-9a51-2d0c1f7b9e10"
    assert as_uuid("job_id", value) == UUID(value)
    with pytest.raises(ValueError, match=r"^job_id: not a UUID: 'job-7'$"):
        as_uuid("job_id", "job-7")
    assert check_param("id", value, compile_type("uuid")) == value


def test_tuples_become_lists_but_mappings_stay() -> None:
    assert as_list(("a", "b")) == ["a", "b"]
    mapping = {"a": 1}
    assert as_list(mapping) is mapping
    assert as_list("ab") == "ab"


def test_request_body_from_plain_values_and_the_refusals() -> None:
    fields: dict[str, Any] = {
        "model": ("model", compile_type("str"), True),
        "input_": ("input", compile_type(["union", ["list", "str"], "str"]), True),
    }
    body = request_body(EmbeddingRequest, fields, {"model": "mistral-embed", "input_": ["a", "b"]})
    assert body.to_dict() == {"model": "mistral-embed", "input": ["a", "b"]}
    with pytest.raises(TypeError, match=r"^input_: expected list\[str\] \| str, got int 3$"):
        request_body(EmbeddingRequest, fields, {"model": "m", "input_": 3})


def test_operations_data_describes_every_operation_with_compiled_types() -> None:
    operations = _data()["operations"]
    assert set(operations) == set(facade_operations())
    embeddings = _operation(
        Mistral("k").embeddings._data_file, "embeddings_v1_embeddings_post"
    )  # the same file the group reads
    assert embeddings.body_model is EmbeddingRequest
    assert [keyword for keyword, _, _ in embeddings.body_args][:2] == ["model", "input"]
    # keyword arguments are the API's names; the generated model's attribute stays input_
    assert dict((k, a) for k, a, _ in embeddings.body_args)["input"] == "input_"


def test_extras_merge_into_what_the_generated_code_built() -> None:
    built = {"method": "post", "url": "/v1/x", "json": {"a": 1, "b": 2}, "headers": {"H": "1"}, "params": {"p": "1"}}
    merged = _apply_extras(
        dict(built), {"extra_headers": {"X": "y"}, "extra_query": {"q": 2}, "extra_body": {"b": 3, "c": 4}}
    )
    assert merged["json"] == {"a": 1, "b": 3, "c": 4}  # a key of extra_body wins
    assert merged["headers"] == {"H": "1", "X": "y"}
    assert merged["params"] == {"p": "1", "q": 2}
    multipart = _apply_extras({"files": [("file", ("a.txt", b"x", "text/plain"))]}, {"extra_body": {"n": 2, "s": "t"}})
    assert multipart["files"][1:] == [("n", (None, "2")), ("s", (None, "t"))]
    assert _apply_extras({"method": "get"}, {"extra_body": {"k": [1]}})["json"] == {"k": [1]}
    with pytest.raises(TypeError, match="not a JSON object"):
        _apply_extras({"content": b"raw"}, {"extra_body": {"k": 1}})
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['retries'\]"):
        _apply_extras({}, {"retries": 1})


def test_per_call_timeout_and_retries_use_a_copy_sharing_the_pool() -> None:
    client = Mistral("k", timeout=30, max_retries=4)
    assert _for_call(client, {"extra_headers": {"a": "b"}}) is client
    changed = _for_call(client, {"timeout": 1.5, "max_retries": 0})
    assert (changed.timeout, changed.max_retries) == (httpx.Timeout(1.5), 0)
    assert (client.timeout, client.max_retries) == (httpx.Timeout(30), 4)
    assert changed._pool is client._pool
    assert _for_call(client, {"timeout": None}).timeout == httpx.Timeout(None)


def test_unset_arguments_are_left_to_the_generated_code() -> None:
    """An argument the caller did not give is not passed on: the generated endpoint's own default applies."""
    op = _operation(Mistral("k").files._data_file, "files_api_routes_list_files")
    arguments = {keyword: UNSET for keyword, _, _, _ in op.query}
    kwargs = _request_kwargs(op, {**arguments, "page_size": 5}, stream=False)
    assert kwargs == op.endpoint._get_kwargs(page_size=5)


def test_dates_take_their_iso_text_and_name_a_malformed_one() -> None:
    """A date copied from the API's JSON (``"2025-01-31"``) is what the API itself sends: it becomes the object."""
    import datetime

    assert check_param("expiration", "2025-01-31", compile_type("date")) == datetime.date(2025, 1, 31)
    moment = check_param("after", "2025-01-31T10:00:00Z", compile_type("datetime"))
    assert moment == datetime.datetime(2025, 1, 31, 10, tzinfo=datetime.UTC)
    given = datetime.date(2024, 2, 29)
    assert check_param("expiration", given, compile_type("date")) is given
    with pytest.raises(TypeError, match="expiration"):
        check_param("expiration", "31/01/2025", compile_type("date"))


@pytest.mark.parametrize("body", [b'{"indexed": 3}', b"[1, 2]", b"null", b'"done"'])
def test_an_answer_of_any_json_is_returned_decoded(body: bytes) -> None:
    """A JSON answer whose schema is ``{}`` (any value) comes back as decoded, whatever its type."""
    import json

    operations = _data()["operations"]
    assert operations["update_index_metrics_v1_rag_deployments__deployment_id__metrics_put"]["response"] == "any"
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, content=body, headers={"content-type": "application/json"})
    )
    with Mistral(
        "k", base_url="https://api.example", http_client=httpx.Client(transport=transport), max_retries=0
    ) as client:
        assert client.workflows.executions.get_history("e1") == json.loads(body)


def test_an_answer_of_any_json_that_is_not_json_is_an_error() -> None:
    from mistral_sdk._exceptions import APIResponseValidationError

    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, content=b"<html>", headers={"content-type": "application/json"})
    )
    with Mistral(
        "k", base_url="https://api.example", http_client=httpx.Client(transport=transport), max_retries=0
    ) as client:
        with pytest.raises(APIResponseValidationError):
            client.workflows.executions.get_history("e1")
