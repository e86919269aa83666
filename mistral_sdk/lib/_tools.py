"""Tools from Python: a tool definition from a typed function or a class, and running the calls.

``function_tool(fn)`` describes ``fn`` to the model: its name, the docstring's description, and a
JSON Schema of its parameters built from their annotations (``_schema``), each documented by the
docstring's text for it (Google, NumPy or Sphinx style). ``pydantic_tool(Model)`` (also dataclasses
and attrs classes) describes a tool whose arguments are that class's fields.

``run_tool_calls(response, tools)`` runs every tool call of the answer against ``tools`` (name ->
callable), converting the JSON arguments to the annotated Python types, and returns the ``tool``
messages to append to the conversation, in call order. A failing tool does not raise: its exception
becomes its result (``"Error: ValueError: ..."``), which the model can read and react to; so do an
unknown tool name and arguments that are not valid JSON or do not fit the parameters.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import typing
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from mistral_sdk.lib._convert import convert
from mistral_sdk.lib._docstrings import parse_docstring
from mistral_sdk.lib._schema import json_schema, object_schema
from mistral_sdk.lib._types import MISSING, class_doc, is_pydantic_model, is_structured_class

if TYPE_CHECKING:
    from mistral_sdk._generated.models.assistant_message import AssistantMessage
    from mistral_sdk._generated.models.chat_completion_response import ChatCompletionResponse
    from mistral_sdk._generated.models.tool import Tool
    from mistral_sdk._generated.models.tool_call import ToolCall
    from mistral_sdk._generated.models.tool_message import ToolMessage

__all__ = ["function_tool", "pydantic_tool", "run_tool_calls", "run_tool_calls_async"]

ToolFunction = Callable[..., Any]


def _tool(name: str, description: str, parameters: dict[str, Any], strict: bool) -> Tool:
    from mistral_sdk._generated.models.tool import Tool

    function: dict[str, Any] = {"name": name, "description": description, "parameters": parameters}
    if strict:
        function["strict"] = True
    return Tool.from_dict({"type": "function", "function": function})


def function_tool(
    fn: ToolFunction, *, name: str | None = None, description: str | None = None, strict: bool = False
) -> Tool:
    """The tool definition of ``fn`` (see the module docstring); every parameter must be annotated."""
    doc = parse_docstring(fn.__doc__)
    hints = typing.get_type_hints(fn, include_extras=True)
    rows = []
    for param in inspect.signature(fn).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TypeError(f"{fn.__name__}: *{param.name} cannot be described to the model; name every parameter")
        if param.name not in hints:
            raise TypeError(f"{fn.__name__}: parameter {param.name!r} needs a type annotation")
        default = MISSING if param.default is param.empty else param.default
        rows.append((param.name, hints[param.name], default, doc.params.get(param.name)))
    parameters = object_schema(rows, strict=strict)
    return _tool(name or fn.__name__, description if description is not None else doc.description, parameters, strict)


def pydantic_tool(
    model: type[Any], *, name: str | None = None, description: str | None = None, strict: bool = False
) -> Tool:
    """The tool definition whose arguments are the fields of ``model`` (pydantic, dataclass or attrs)."""
    if not is_structured_class(model):
        raise TypeError(f"{model!r} is not a pydantic model, a dataclass or an attrs class")
    parameters = json_schema(model, strict=strict)
    parameters.pop("title", None)
    parameters.pop("description", None)
    return _tool(
        name or model.__name__, description if description is not None else class_doc(model) or "", parameters, strict
    )


# -- running calls -------------------------------------------------------------------------------


def _calls(source: ChatCompletionResponse | AssistantMessage) -> list[ToolCall]:
    if hasattr(source, "choices"):
        from mistral_sdk.lib._completion import choice_message  # generated models load on first use

        message = choice_message(source.choices[0])
    else:
        message = source
    calls = message.tool_calls
    return list(calls) if isinstance(calls, list) else []


def _invocation(fn: ToolFunction, raw: Any) -> Callable[[], Any]:
    """The call of ``fn`` with the JSON arguments converted to its annotations; ``ValueError`` if they do
    not fit. A tool that is a class (``pydantic_tool``) is "called" by building it from the arguments."""
    if isinstance(raw, str):
        values = json.loads(raw) if raw.strip() else {}
    else:
        values = raw.to_dict() if hasattr(raw, "to_dict") else dict(raw)
    if not isinstance(values, dict):
        raise ValueError(f"the arguments are not a JSON object: {raw!r}")
    if is_structured_class(fn):
        instance = convert(fn, values)
        return lambda: instance
    hints = typing.get_type_hints(fn, include_extras=True)
    params = inspect.signature(fn).parameters
    only = next(iter(params.values())) if len(params) == 1 else None
    if only is not None and only.name not in values and is_structured_class(hints.get(only.name)):
        single = convert(hints[only.name], values, only.name)  # one parameter holding every argument
        return functools.partial(fn, single)
    unknown = sorted(set(values) - set(params))
    if unknown and not any(p.kind is p.VAR_KEYWORD for p in params.values()):
        raise ValueError(f"unexpected argument(s) {', '.join(unknown)}")
    return functools.partial(fn, **{key: convert(hints.get(key, Any), value, key) for key, value in values.items()})


def _encode(result: Any) -> str:
    if isinstance(result, str):
        return result
    if is_pydantic_model(type(result)):
        return str(result.model_dump_json())
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return json.dumps(dataclasses.asdict(result), default=str)
    if is_structured_class(type(result)):
        import attrs

        return json.dumps(attrs.asdict(result), default=str)
    return json.dumps(result, default=str)


def _message(call: ToolCall, content: str) -> ToolMessage:
    from mistral_sdk._generated.models.tool_message import ToolMessage

    return ToolMessage(content=content, tool_call_id=call.id, name=call.function.name)


def _error(exc: BaseException) -> str:
    return f"Error: {type(exc).__name__}: {exc}"


def _prepare(call: ToolCall, tools: Mapping[str, ToolFunction]) -> tuple[ToolFunction, Callable[[], Any]]:
    name = call.function.name
    fn = tools.get(name)
    if fn is None:
        raise LookupError(f"no tool named {name!r} (known: {', '.join(sorted(tools))})")
    return fn, _invocation(fn, call.function.arguments)


def run_tool_calls(
    source: ChatCompletionResponse | AssistantMessage, tools: Mapping[str, ToolFunction]
) -> list[ToolMessage]:
    """Run the tool calls of ``source`` (a response: its choice 0; or an assistant message) and return
    the tool messages, in call order. A coroutine function in ``tools`` needs ``run_tool_calls_async``."""
    messages = []
    for call in _calls(source):
        try:
            fn, invoke = _prepare(call, tools)
            if inspect.iscoroutinefunction(fn):
                raise TypeError(f"tool {call.function.name!r} is async: use run_tool_calls_async")
            content = _encode(invoke())
        except Exception as exc:  # a failure is the call's result, for the model to read
            content = _error(exc)
        messages.append(_message(call, content))
    return messages


async def run_tool_calls_async(
    source: ChatCompletionResponse | AssistantMessage, tools: Mapping[str, ToolFunction | Callable[..., Awaitable[Any]]]
) -> list[ToolMessage]:
    """``run_tool_calls`` for async code: coroutine functions are awaited, plain ones called; in call order."""
    messages = []
    for call in _calls(source):
        try:
            _, invoke = _prepare(call, tools)
            result = invoke()
            if inspect.isawaitable(result):
                result = await result
            content = _encode(result)
        except Exception as exc:
            content = _error(exc)
        messages.append(_message(call, content))
    return messages
