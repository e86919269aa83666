"""Assembling the complete ``ChatCompletionResponse`` from a finished completion stream.

Works on the chunks' parsed JSON and builds the generated model once at the end with its own
``from_dict``, so the result is exactly what a non-streamed call returns. Merging rules: text
concatenates; content-chunk lists merge neighbouring ``text`` chunks and neighbouring ``thinking``
chunks and keep every other chunk in order; tool calls merge by their ``index`` (argument strings
concatenate, the first id/name seen wins); each choice keeps its own finish reason; usage comes
from the chunk that carries it (the final one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mistral_sdk._exceptions import StreamIncompleteError

if TYPE_CHECKING:
    from mistral_sdk._streaming._chunks import CompletionStreamChunk
    from mistral_sdk.lib._completion import ChatCompletion

__all__ = ["accumulate_completion"]


class _Choice:
    __slots__ = ("finish_reason", "parts", "saw_list", "tool_calls")

    def __init__(self) -> None:
        self.parts: list[Any] = []  # str pieces and content-chunk dicts, in arrival order
        self.saw_list = False
        self.tool_calls: dict[int, dict[str, Any]] = {}
        self.finish_reason: str | None = None

    def add_content(self, content: Any) -> None:
        if isinstance(content, str):
            self.parts.append(content)
        elif isinstance(content, list):
            self.saw_list = True
            self.parts.extend(content)

    def add_tool_calls(self, calls: list[Any]) -> None:
        for position, call in enumerate(calls):
            if not isinstance(call, dict):
                continue
            index = call.get("index")
            key = index if isinstance(index, int) else position
            fn_raw = call.get("function")
            fn: dict[str, Any] = fn_raw if isinstance(fn_raw, dict) else {}
            known = self.tool_calls.get(key)
            if known is None:
                self.tool_calls[key] = {**call, "index": key, "function": dict(fn)}
                continue
            if call.get("id") not in (None, "", "null") and known.get("id") in (None, "", "null"):
                known["id"] = call["id"]
            if "type" in call and "type" not in known:
                known["type"] = call["type"]
            kfn = known["function"]
            if fn.get("name") and not kfn.get("name"):
                kfn["name"] = fn["name"]
            args = fn.get("arguments")
            if isinstance(args, str) and isinstance(kfn.get("arguments", ""), str):
                kfn["arguments"] = kfn.get("arguments", "") + args
            elif isinstance(args, dict):
                kfn["arguments"] = {**kfn["arguments"], **args} if isinstance(kfn.get("arguments"), dict) else args

    def content(self) -> Any:
        if not self.saw_list:
            return "".join(self.parts)
        merged: list[dict[str, Any]] = []
        for part in self.parts:
            item = {"type": "text", "text": part} if isinstance(part, str) else part
            if not isinstance(item, dict):
                continue
            prev = merged[-1] if merged else None
            if prev is not None and item.get("type") == "text" == prev.get("type") and len(item) == len(prev) == 2:
                merged[-1] = {"type": "text", "text": str(prev.get("text", "")) + str(item.get("text", ""))}
            elif (
                prev is not None
                and item.get("type") == "thinking" == prev.get("type")
                and isinstance(item.get("thinking"), list)
                and isinstance(prev.get("thinking"), list)
            ):
                merged[-1] = {**prev, "thinking": _merge_texts(prev["thinking"] + item["thinking"])}
            else:
                merged.append(dict(item))
        return merged


def _merge_texts(parts: list[Any]) -> list[Any]:
    out: list[Any] = []
    for p in parts:
        if (
            out
            and isinstance(p, dict)
            and p.get("type") == "text"
            and isinstance(out[-1], dict)
            and (out[-1].get("type") == "text")
        ):
            out[-1] = {**out[-1], "text": str(out[-1].get("text", "")) + str(p.get("text", ""))}
        else:
            out.append(p)
    return out


def accumulate_completion(chunks: list[CompletionStreamChunk]) -> ChatCompletion:
    """The ``ChatCompletionResponse`` equivalent to the stream that produced ``chunks``.

    Raises ``StreamIncompleteError`` when a choice never received its finish reason (the answer is
    cut). A stream without usage (the API always sends it) yields zero token counts.
    """
    from mistral_sdk.lib._completion import ChatCompletion  # the generated response plus .text/.thinking

    choices: dict[int, _Choice] = {}
    head: dict[str, Any] = {}
    usage: dict[str, Any] | None = None
    for chunk in chunks:
        if chunk.error is not None:
            continue
        raw = chunk.raw
        if not head:
            head = raw
        if isinstance(raw.get("usage"), dict):
            usage = raw["usage"]
        for c in raw["choices"]:
            index = c.get("index", 0)
            state = choices.get(index)
            if state is None:
                state = choices[index] = _Choice()
            delta = c["delta"]
            content = delta.get("content")
            if content is not None:
                state.add_content(content)
            calls = delta.get("tool_calls")
            if isinstance(calls, list):
                state.add_tool_calls(calls)
            reason = c.get("finish_reason")
            if reason is not None:
                state.finish_reason = reason
    if not head:
        raise StreamIncompleteError("the stream delivered no chunk to assemble a response from", chunks=list(chunks))
    out_choices: list[dict[str, Any]] = []
    for index in sorted(choices):
        state = choices[index]
        if state.finish_reason is None:
            raise StreamIncompleteError(
                f"choice {index} never received a finish reason: the answer is incomplete",
                chunks=list(chunks),
                text="".join(c.text for c in chunks),
            )
        message: dict[str, Any] = {"role": "assistant", "content": state.content()}
        if state.tool_calls:
            message["tool_calls"] = [state.tool_calls[k] for k in sorted(state.tool_calls)]
        out_choices.append({"index": index, "message": message, "finish_reason": state.finish_reason})
    body: dict[str, Any] = {
        "id": head.get("id", ""),
        "object": "chat.completion",
        "model": head.get("model", ""),
        "created": head.get("created", 0),
        "usage": usage if usage is not None else {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "choices": out_choices,
    }
    return ChatCompletion.from_dict(body)
