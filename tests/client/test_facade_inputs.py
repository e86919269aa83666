"""Facade methods take plain values: enum members or their strings, models or mappings.

Checked on the wire against the mock server (which also validates every request against our spec),
and statically: this file is part of the project's ``mypy --strict`` run, so the plain-value calls below
must type-check, and each deliberately wrong call carries a ``type: ignore`` that strict mode reports as
unused if mypy stopped rejecting it.
"""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from generator.facade.types import accept_plain
from mistral_sdk._client import AsyncMistral, Mistral
from mistral_sdk._exceptions import UnprocessableEntityError
from mistral_sdk._generated.models.assistant_message import AssistantMessage
from mistral_sdk._generated.models.file_purpose import FilePurpose
from mistral_sdk._generated.models.function import Function
from mistral_sdk._generated.models.function_call import FunctionCall
from mistral_sdk._generated.models.function_parameters import FunctionParameters
from mistral_sdk._generated.models.response_format import ResponseFormat
from mistral_sdk._generated.models.response_formats import ResponseFormats
from mistral_sdk._generated.models.system_message import SystemMessage
from mistral_sdk._generated.models.tool import Tool
from mistral_sdk._generated.models.tool_call import ToolCall
from mistral_sdk._generated.models.tool_choice_enum import ToolChoiceEnum
from mistral_sdk._generated.models.user_message import UserMessage
from mistral_sdk._generated.types import File
from mistral_sdk.testing import MockServer

KEY = "sk-inputs-0123456789"
MODEL = "mistral-small-latest"


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(api_key=KEY) as server:
        yield server


@pytest.fixture
def client(mock: MockServer) -> Iterator[Mistral]:
    mock.reset()
    with Mistral(KEY, base_url=mock.url, max_retries=0) as client:
        yield client
    mock.assert_no_violations()


def sent_json(mock: MockServer, index: int = -1) -> Any:
    return mock.requests[index].json


def multipart_field(body: bytes, name: str) -> bytes:
    found = re.search(rb'name="' + name.encode() + rb'"\r\n(?:[^\r\n]+\r\n)*\r\n(.*?)\r\n--', body, re.S)
    assert found is not None, body
    return found.group(1)


def upload_file() -> File:
    return File(payload=io.BytesIO(b'{"custom_id": "1", "body": {}}\n'), file_name="batch.jsonl")


# -- enums as strings -------------------------------------------------------------------------------------


def test_enum_string_reaches_multipart_form(client: Mistral, mock: MockServer) -> None:
    client.files.upload(file=upload_file(), purpose="batch")
    assert multipart_field(mock.requests[-1].body, "purpose") == b"batch"
    client.files.upload(file=upload_file(), purpose=FilePurpose.BATCH)
    assert multipart_field(mock.requests[-1].body, "purpose") == b"batch"


def test_enum_string_reaches_json_body(client: Mistral, mock: MockServer) -> None:
    client.chat.complete(model=MODEL, messages=[{"role": "user", "content": "hi"}], tool_choice="auto")
    client.chat.complete(model=MODEL, messages=[{"role": "user", "content": "hi"}], tool_choice=ToolChoiceEnum.AUTO)
    assert sent_json(mock, 0)["tool_choice"] == sent_json(mock, 1)["tool_choice"] == "auto"


def test_enum_string_in_query(client: Mistral, mock: MockServer) -> None:
    client.files.list(purpose="batch", page_size=2)
    assert ("purpose", "batch") in mock.requests[-1].query
    client.files.list(sample_type=["pretrain", "instruct"], source=("upload",))
    query = mock.requests[-1].query
    assert [v for k, v in query if k == "sample_type"] == ["pretrain", "instruct"] and ("source", "upload") in query


def test_unknown_enum_strings_pass_through(mock: MockServer) -> None:
    """Our enums are open: a value the SDK does not know yet is sent as given (the server decides)."""
    mock.reset()
    with Mistral(KEY, base_url=mock.url, max_retries=0) as client:
        with pytest.raises(UnprocessableEntityError):  # the mock knows the spec's values; what matters is what was sent
            client.chat.complete(
                model=MODEL,
                messages=[{"role": "user", "content": "hi"}],
                tool_choice="sometimes",  # type: ignore[arg-type]
            )
        assert sent_json(mock)["tool_choice"] == "sometimes"
        with pytest.raises(UnprocessableEntityError):
            client.files.upload(file=upload_file(), purpose="audio")  # type: ignore[arg-type]
        assert multipart_field(mock.requests[-1].body, "purpose") == b"audio"
    assert len(mock.violations) == 2
    mock.reset()


# -- models as mappings -----------------------------------------------------------------------------------


WEATHER = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}


def test_mappings_send_the_same_json_as_models(client: Mistral, mock: MockServer) -> None:
    client.chat.complete(
        model=MODEL,
        messages=[
            SystemMessage(content="be brief"),
            UserMessage(content="weather in Paris?"),
            AssistantMessage(
                content="",
                tool_calls=[ToolCall(id="c1", function=FunctionCall(name="weather", arguments='{"city": "Paris"}'))],
            ),
        ],
        response_format=ResponseFormat(type_=ResponseFormats.JSON_OBJECT),
        tools=[
            Tool(
                type_="function",
                function=Function(name="weather", parameters=FunctionParameters.from_dict(WEATHER)),
            )
        ],
    )
    client.chat.complete(
        model=MODEL,
        messages=[
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": "weather in Paris?"},
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [{"id": "c1", "function": {"name": "weather", "arguments": '{"city": "Paris"}'}}],
            },
        ],
        response_format={"type": "json_object"},
        tools=[
            {
                "type": "function",
                "function": {"name": "weather", "parameters": WEATHER},
            }
        ],
    )
    typed, plain = sent_json(mock, 0), sent_json(mock, 1)
    assert plain == typed
    assert plain["messages"][2]["tool_calls"][0]["function"]["name"] == "weather"


def test_models_and_mappings_mix_in_one_list(client: Mistral, mock: MockServer) -> None:
    client.chat.complete(model=MODEL, messages=[SystemMessage(content="s"), {"role": "user", "content": "u"}])
    assert sent_json(mock)["messages"] == [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]


def test_mapping_may_hold_models_and_enums(client: Mistral, mock: MockServer) -> None:
    client.chat.complete(
        model=MODEL,
        messages=[UserMessage(content="hi")],
        response_format={"type": ResponseFormats.JSON_OBJECT},
        tools=[{"type": "function", "function": Function(name="f", parameters=FunctionParameters())}],
    )
    sent = sent_json(mock)
    assert sent["response_format"] == {"type": "json_object"}
    assert sent["tools"][0]["function"]["name"] == "f"


def test_single_item_of_an_item_or_list_union(client: Mistral, mock: MockServer) -> None:
    """``input`` is one request or a list of them: one model or one mapping is not a sequence of its keys."""
    from mistral_sdk._generated.models.instruct_request import InstructRequest

    conversation = {"messages": [{"role": "user", "content": "hi"}]}
    client.classifiers.classify_chat(model=MODEL, input=InstructRequest.from_dict(conversation))
    client.classifiers.classify_chat(model=MODEL, input=conversation)
    client.classifiers.classify_chat(model=MODEL, input=(conversation, InstructRequest.from_dict(conversation)))
    assert sent_json(mock, 0)["input"] == sent_json(mock, 1)["input"] == conversation
    assert sent_json(mock, 2)["input"] == [conversation, conversation]


def test_defaults_apply_alike_to_typed_and_plain_calls(client: Mistral, mock: MockServer) -> None:
    """Arguments not given take the model's defaults on both paths, also a property the spec requires
    and the model defaults (FIM's ``model``), which the generated decoder insists on."""
    client.fim.complete(prompt="def f(", metadata={"a": "b"})
    client.fim.complete(prompt="def f(")
    plain, typed = sent_json(mock, 0), sent_json(mock, 1)
    assert plain.pop("metadata") == {"a": "b"}
    assert plain == typed and "model" in typed


def test_open_model_keeps_unknown_keys(client: Mistral, mock: MockServer) -> None:
    """A schema with additionalProperties (request metadata, function parameters) keeps every key."""
    client.chat.complete(model=MODEL, messages=[{"role": "user", "content": "hi"}], metadata={"team": "search"})
    assert sent_json(mock)["metadata"] == {"team": "search"}


def test_async_takes_plain_values(mock: MockServer) -> None:
    mock.reset()

    async def main() -> None:
        async with AsyncMistral(KEY, base_url=mock.url, max_retries=0) as client:
            await client.chat.complete(
                model=MODEL, messages=[{"role": "user", "content": "hi"}], tool_choice="none", prompt_mode="reasoning"
            )
            async with client.chat.stream(model=MODEL, messages=[{"role": "user", "content": "hi"}]) as stream:
                assert [chunk async for chunk in stream]
            await client.files.upload(file=upload_file(), purpose="fine-tune")

    asyncio.run(main())
    first = sent_json(mock, 0)
    assert (first["tool_choice"], first["prompt_mode"]) == ("none", "reasoning")
    streamed = sent_json(mock, 1)
    assert streamed["stream"] is True and streamed["messages"] == [{"role": "user", "content": "hi"}]
    assert multipart_field(mock.requests[2].body, "purpose") == b"fine-tune"
    mock.assert_no_violations()


# -- bad input: a clear error naming the parameter, and nothing sent --------------------------------------


CALL_WITH_TYPO = {"name": "f", "arguments": "{}", "argz": 1}


def chat(client: Mistral, **overrides: Any) -> None:
    arguments: dict[str, Any] = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], **overrides}
    client.chat.complete(**arguments)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"messages": [{"role": "user", "content": "hi", "nmae": "x"}]}, r"^messages\[0\]: unknown key 'nmae'"),
        ({"response_format": {"type": "json_object", "schema": {}}}, r"^response_format: unknown key 'schema'"),
        (
            {"tools": [{"type": "function", "function": {"name": "f", "parameters": {}, "strict": True, "x": 1}}]},
            r"^tools\[0\]\.function: unknown key 'x'",
        ),
        (
            {"messages": [{"role": "assistant", "content": "", "tool_calls": [{"function": CALL_WITH_TYPO}]}]},
            r"^messages\[0\]\.tool_calls\[0\]\.function: unknown key 'argz'",
        ),
    ],
)
def test_unknown_key_of_a_closed_model_is_refused(
    client: Mistral, mock: MockServer, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        chat(client, **overrides)
    assert mock.requests == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"max_tokens": "ten"}, r"^max_tokens: expected int \| None, got str 'ten'$"),
        ({"temperature": True}, r"^temperature: expected float \| None, got bool True$"),
        ({"messages": "hi"}, r"^messages: expected list\[AssistantMessage \| .* \| mapping\], got str 'hi'$"),
        ({"messages": [{"role": "user", "content": "hi"}, 3]}, r"^messages\[1\]: expected .*mapping, got int 3$"),
        ({"tool_choice": 3}, r"^tool_choice: expected ToolChoice \| ToolChoiceEnum \| mapping \| str, got int 3$"),
        ({"stop": ["a", 1]}, r"^stop\[1\]: expected str, got int 1$"),
        ({"response_format": "json"}, r"^response_format: expected ResponseFormat \| mapping, got str 'json'$"),
    ],
)
def test_wrong_type_names_the_parameter(
    client: Mistral, mock: MockServer, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        chat(client, **overrides)
    assert mock.requests == []


def test_wrong_types_are_type_errors_for_mypy_too(client: Mistral, mock: MockServer) -> None:
    with pytest.raises(TypeError, match=r"^max_tokens"):
        client.chat.complete(model=MODEL, messages=[UserMessage(content="hi")], max_tokens="ten")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^messages"):
        client.chat.complete(model=MODEL, messages="hi")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^page_size: expected int, got str"):
        client.files.list(page_size="2")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^purpose: expected FilePurpose \| str, got int 3"):
        client.files.upload(file=upload_file(), purpose=3)  # type: ignore[arg-type]
    assert mock.requests == []


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        (
            {"tools": [{"type": "function"}]},
            ValueError,
            # the tools list is a discriminated union now: the error names the item and its variant
            r"^tools\[0\]: cannot be read as Tool: DecodeError: function: missing \(required\)$",
        ),
        # a known variant (its discriminator says which) that does not decode is an error, not an unknown variant
        (
            {"messages": [{"role": "user", "contnet": "hi"}]},
            ValueError,
            r"^messages\[0\]: cannot be read as UserMessage: DecodeError: content: missing \(required\)$",
        ),
        (
            {"messages": [{"role": "user", "content": [{"type": "text", "txt": "x"}]}]},
            ValueError,
            r"^messages\[0\]\.content\[0\]: cannot be read as TextChunk: DecodeError: text: missing \(required\)$",
        ),
        (
            {"messages": [{"role": "assistant", "content": "", "tool_calls": [{"function": {"arguments": "{}"}}]}]},
            ValueError,
            r"^messages\[0\]: cannot be read as AssistantMessage: DecodeError: tool_calls: list value fits no "
            r"member of the union \(DecodeError\('function.name: missing \(required\)'\)\)$",
        ),
        # wrong types deep inside a mapping
        (
            {"messages": [{"role": "user", "content": 5}]},
            ValueError,
            r"^messages\[0\]: cannot be read as UserMessage: DecodeError: content: int value fits no member "
            r"of the union$",
        ),
        (
            {"messages": [{"role": "user", "content": [{"type": "text", "text": 5}]}]},
            ValueError,
            r"^messages\[0\]\.content\[0\]: cannot be read as TextChunk: "
            r"DecodeError: text: expected a string, got int$",
        ),
    ],
)
def test_mapping_that_cannot_be_decoded_names_the_place(
    client: Mistral, mock: MockServer, overrides: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        chat(client, **overrides)
    assert mock.requests == []


def test_variant_unknown_to_the_sdk_is_sent_as_given(mock: MockServer) -> None:
    """A discriminator value no known variant claims may be newer than this SDK: it goes to the server."""
    mock.reset()
    hologram = {"type": "hologram", "data": "x"}
    with Mistral(KEY, base_url=mock.url, max_retries=0) as client:
        for messages in ([{"role": "developer", "content": "hi"}], [{"role": "user", "content": [hologram]}]):
            with pytest.raises(UnprocessableEntityError):  # our mock knows only the spec's variants
                chat(client, messages=messages)
            assert sent_json(mock)["messages"] == messages
    mock.reset()


# -- the generated signatures ------------------------------------------------------------------------------


def test_signature_widening_keeps_invariant_containers() -> None:
    """Only covariant places take plain values: ``list[list[Tool]]`` must still accept ``list[list[Tool]]``."""
    imports: dict[str, tuple[str, str | None]] = {
        "Tool": ("mistral_sdk._generated.models.tool", "Tool"),
        "ToolChoiceEnum": ("mistral_sdk._generated.models.tool_choice_enum", "ToolChoiceEnum"),
    }
    text, used = accept_plain("Sequence[Tool] | list[list[Tool]] | ToolChoiceEnum | Unset", imports)
    assert text == (
        "Sequence[Tool | Mapping[str, Any]] | list[list[Tool]] | ToolChoiceEnum"
        " | Literal['any', 'auto', 'none', 'required'] | Unset"
    )
    assert used == {"Literal", "Mapping"}
    assert accept_plain("int | str | None", imports) == ("int | str | None", set())


# -- every operation, generically --------------------------------------------------------------------------


@pytest.mark.contract  # a sweep over a whole description: it grows with the operation count
def test_every_json_operation_takes_its_json_as_plain_values(mock: MockServer) -> None:
    """Each operation with a JSON body, called with a body synthesized from our spec as plain keyword
    arguments (what a user copies from the API reference), sends exactly that JSON; nothing names an operation.
    """
    import json
    from pathlib import Path

    from generator.facade import plan
    from mistral_sdk.testing import load_spec_document
    from mistral_sdk.testing._schemas import SchemaTools
    from mistral_sdk.testing._spec import default_spec_path

    spec = json.loads((Path(__file__).parents[2] / "mistral_sdk/_generated/openapi.json").read_text())
    tools = SchemaTools(load_spec_document(default_spec_path()))
    mock.reset()
    called: list[str] = []
    with Mistral(KEY, base_url=mock.url, max_retries=0) as client:
        for item in plan(spec, "mistral_sdk._generated"):
            operation = spec["paths"][item.spec.path][item.spec.method]
            content = (operation.get("requestBody") or {}).get("content") or {}
            if item.body_model is None or "application/json" not in content:
                continue
            payload = tools.synthesize(content["application/json"]["schema"])
            payload.pop("stream", None)
            # keyword arguments are the API's JSON names
            arguments: dict[str, Any] = dict(payload)
            for param in operation.get("parameters", []):
                if param["in"] == "path" or (param["in"] == "query" and param.get("required")):
                    arguments[param["name"]] = tools.synthesize(param["schema"])
            target: Any = client
            for part in item.name.group:
                target = getattr(target, part)
            result = getattr(target, item.name.method)(**arguments)
            if item.spec.kind == "sse":
                with result as stream:
                    list(stream)
            sent = mock.requests[-1]
            assert sent.operation_id == item.spec.operation_id
            body = sent.json
            assert {key: body.get(key) for key in payload} == payload, item.spec.operation_id
            called.append(item.spec.operation_id)
    mock.assert_no_violations()
    assert len(called) >= 20, called


# -- a new operation gets plain inputs by regeneration -------------------------------------------------------

GADGET_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "probe", "version": "1"},
    "paths": {
        "/v1/gadgets": {
            "post": {
                "operationId": "gadgets_create_v1",
                "tags": ["gadgets"],
                "parameters": [
                    {
                        "name": "colour",
                        "in": "query",
                        "required": False,
                        "schema": {"$ref": "#/components/schemas/Colour"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GadgetIn"}}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GadgetOut"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Colour": {"type": "string", "enum": ["red", "blue"]},
            "Kind": {"type": "string", "enum": ["small", "large"]},
            "Options": {"type": "object", "properties": {"loud": {"type": "boolean"}}, "additionalProperties": False},
            "Bolt": {
                "type": "object",
                "required": ["type", "size"],
                "properties": {"type": {"type": "string", "enum": ["bolt"]}, "size": {"type": "integer"}},
            },
            "Nut": {
                "type": "object",
                "required": ["type"],
                "properties": {"type": {"type": "string", "enum": ["nut"]}, "thread": {"type": "string"}},
            },
            "GadgetIn": {
                "type": "object",
                "required": ["name", "kind"],
                "properties": {
                    "name": {"type": "string"},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "options": {"$ref": "#/components/schemas/Options"},
                    "parts": {
                        "type": "array",
                        "items": {
                            "oneOf": [{"$ref": "#/components/schemas/Bolt"}, {"$ref": "#/components/schemas/Nut"}],
                            "discriminator": {
                                "propertyName": "type",
                                "mapping": {"bolt": "#/components/schemas/Bolt", "nut": "#/components/schemas/Nut"},
                            },
                        },
                    },
                },
            },
            "GadgetOut": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        }
    },
}


@pytest.fixture(scope="module")
def gadget_facade(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import importlib
    import json
    import sys

    from generator.facade import plan, render, write
    from generator.regenerate import generate_package

    root = tmp_path_factory.mktemp("facade-inputs-probe")
    spec_path = root / "spec.json"
    spec_path.write_text(json.dumps(GADGET_SPEC))
    generate_package(spec_path, root / "facade_inputs_probe")
    sys.path.insert(0, str(root))
    try:
        generated = json.loads((root / "facade_inputs_probe" / "openapi.json").read_text())
        write(render(plan(generated, "facade_inputs_probe", naming={}), "facade_inputs_probe"), root / "probe_res")
        importlib.invalidate_caches()
        module = importlib.import_module("probe_res.gadgets")
        yield (root / "probe_res" / "gadgets.py").read_text(), module
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith(("facade_inputs_probe", "probe_res"))]:
            del sys.modules[name]


@pytest.mark.integration
def test_new_operation_gets_plain_inputs_by_regeneration(gadget_facade: Any) -> None:
    import json

    from ._server import Reply, serve

    source, module = gadget_facade
    assert "kind: Kind | Literal['large', 'small']" in source.replace('"', "'")
    assert "parts: Sequence[Bolt | Nut | UnknownVariant | Mapping[str, Any]]" in source
    for server in serve():
        server.reply(Reply(body={"id": "g1"}))
        with Mistral(KEY, base_url=server.url) as client:
            gadgets = module.Gadgets(client)
            made = gadgets.create(
                name="g", kind="large", colour="blue", options={"loud": True}, parts=[{"type": "bolt", "size": 3}]
            )
            assert made.id == "g1"
            with pytest.raises(ValueError, match=r"^options: unknown key 'lound'"):
                gadgets.create(name="g", kind="small", options={"lound": True})
            missing_size = r"^parts\[0\]: cannot be read as Bolt: DecodeError: size: missing \(required\)"
            with pytest.raises(ValueError, match=missing_size):
                gadgets.create(name="g", kind="small", parts=[{"type": "bolt"}])
            with pytest.raises(TypeError, match=r"^colour: expected Colour \| str, got int 1$"):
                gadgets.create(name="g", kind="small", colour=1)
        assert len(server.requests) == 1
        sent = server.requests[0]
        assert sent.path == "/v1/gadgets?colour=blue"
        assert json.loads(sent.body) == {
            "name": "g",
            "kind": "large",
            "options": {"loud": True},
            "parts": [{"type": "bolt", "size": 3}],
        }


def test_the_operation_decides_whether_the_answer_streams() -> None:
    """No facade method lets the caller set the body's ``stream``: it follows from the operation (JSON or event
    stream). A query parameter named ``stream`` (the workflow events' stream name) is the caller's, as any other."""
    import inspect

    from mistral_sdk._resource import _data, facade_operations

    operations = _data()["operations"]
    fixed = [op_id for op_id, op in operations.items() if op["fix_stream"]]
    assert len(fixed) >= 8  # chat, FIM, agents, conversations (start/append/restart, both ways), audio
    client = Mistral(api_key="k")
    for operation_id, (group, methods) in facade_operations().items():
        target: Any = client
        for part in group:
            target = getattr(target, part)
        query = {keyword for keyword, *_ in operations[operation_id]["query"]}
        for method in methods:
            parameters = inspect.signature(getattr(target, method)).parameters
            assert "stream" not in parameters or "stream" in query, (operation_id, method)


def test_uuid_path_parameters_take_the_ids_the_api_returns(client: Mistral, mock: MockServer) -> None:
    job_id = "6f1e7c52-3b3a-4f4e-9a51-2d0c1f7b9e10"  # BatchJob.id is a string
    client.batch.jobs.get(job_id)
    client.batch.jobs.get(UUID(job_id))
    assert [r.path for r in mock.requests] == [f"/v1/batch/jobs/{job_id}"] * 2
    mock.assert_no_violations()
    with pytest.raises(ValueError, match=r"^job_id: not a UUID: 'job-7'$"):
        client.batch.jobs.get("job-7")
    assert len(mock.requests) == 2


@pytest.mark.parametrize("message", [{"role": "user", "content": "hi"}, "typed"])
def test_a_call_sends_no_field_the_caller_did_not_give(client: Mistral, mock: MockServer, message: Any) -> None:
    # The spec's defaults (top_p 1.0, tool_choice "auto", safe_prompt false...) are the server's to apply.
    client.chat.complete(model=MODEL, messages=[UserMessage(content="hi") if message == "typed" else message])
    body = sent_json(mock)
    assert body.keys() - {"stream"} == {"model", "messages"}
    assert body["messages"] == [{"role": "user", "content": "hi"}]
