"""``ChatCompletion`` and ``ParsedChatCompletion``: the generated response with conveniences.

``ChatCompletion`` is a plain subclass of the generated ``ChatCompletionResponse``: built by the same
``from_dict`` (so it keeps every field the API sent, and ``isinstance`` checks still hold), it adds
``text`` and ``thinking``. The generated class itself is never edited.

``ParsedChatCompletion[T]`` adds, per choice, ``message.parsed``: the answer decoded into ``T``.
Its choices and messages are subclasses of the generated ones (``ParsedChoice``,
``ParsedAssistantMessage``) carrying the same fields plus ``parsed``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from mistral_sdk._generated.models.assistant_message import AssistantMessage
from mistral_sdk._generated.models.chat_completion_choice import ChatCompletionChoice
from mistral_sdk._generated.models.chat_completion_response import ChatCompletionResponse
from mistral_sdk._generated.types import Unset
from mistral_sdk.lib._content import content_text, content_thinking

__all__ = ["ChatCompletion", "ParsedAssistantMessage", "ParsedChatCompletion", "ParsedChoice", "with_accessors"]

T = TypeVar("T")


def choice_message(choice: ChatCompletionChoice) -> AssistantMessage:
    """The answer of one choice as an ``AssistantMessage``.

    The API answers with ``message``, or, when it ran tools itself (connectors), with the turn's
    ``messages``: then the answer is the last of them. A choice with neither is a malformed answer.
    """
    if not isinstance(choice.message, Unset):
        return choice.message
    if isinstance(choice.messages, list) and choice.messages:
        return AssistantMessage.from_dict(choice.messages[-1].to_dict())
    raise ValueError(f"choice {choice.index} of the response has neither 'message' nor 'messages'")


class ChatCompletion(ChatCompletionResponse):
    """A chat response (every generated field) with the answer's ``text`` and ``thinking``."""

    @property
    def text(self) -> str:
        """The text of choice 0 (``""`` when it has none, e.g. only tool calls); see ``text_of``."""
        return self.text_of(0)

    @property
    def thinking(self) -> str:
        """The reasoning of choice 0 (thinking chunks of a reasoning model), ``""`` when there is none."""
        return content_thinking(choice_message(self._choice(0)).content)

    def text_of(self, index: int) -> str:
        """The text of choice ``index`` (``n > 1``)."""
        return content_text(choice_message(self._choice(index)).content)

    def _choice(self, index: int) -> ChatCompletionChoice:
        for choice in self.choices:
            if choice.index == index:
                return choice
        raise IndexError(f"the response has no choice {index} (choices: {[c.index for c in self.choices]})")


class ParsedAssistantMessage(AssistantMessage, Generic[T]):
    """The assistant's message with ``parsed``: the content decoded into the requested type."""

    parsed: T | None

    @property
    def text(self) -> str:
        return content_text(self.content)

    @property
    def thinking(self) -> str:
        return content_thinking(self.content)


class ParsedChoice(ChatCompletionChoice, Generic[T]):
    """A choice whose ``message`` is a ``ParsedAssistantMessage[T]``."""

    if TYPE_CHECKING:
        message: ParsedAssistantMessage[T]


class ParsedChatCompletion(ChatCompletion, Generic[T]):
    """A chat response whose ``choices[i].message.parsed`` is a ``T``; every other field is kept."""

    if TYPE_CHECKING:
        choices: list[ParsedChoice[T]]  # type: ignore[assignment]


_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


def _init_fields(cls: type) -> tuple[str, ...]:
    """The attrs fields ``cls.__init__`` takes, read once per class (``attrs.fields`` costs ~4 us a call)."""
    names = _INIT_FIELDS.get(cls)
    if names is None:
        import attrs

        names = _INIT_FIELDS[cls] = tuple(a.name for a in attrs.fields(cls) if a.init)
    return names


def _copy_as(obj: Any, cls: type[Any], **changes: Any) -> Any:
    """``obj`` rebuilt as subclass ``cls`` with the same attrs fields (and extra keys), plus ``changes``."""
    values = {name: getattr(obj, name) for name in _init_fields(type(obj))}
    values.update({k: v for k, v in changes.items() if k in values})
    new = cls(**values)
    if hasattr(obj, "additional_properties"):  # closed schemas (the message) have none
        new.additional_properties = dict(obj.additional_properties)
    for key, value in changes.items():
        if key not in values:
            setattr(new, key, value)
    return new


def with_accessors(response: ChatCompletionResponse) -> ChatCompletion:
    """``response`` as a ``ChatCompletion`` (the same fields, the accessors added)."""
    if isinstance(response, ChatCompletion):
        return response
    result: ChatCompletion = _copy_as(response, ChatCompletion)
    return result


def parsed_completion(response: ChatCompletionResponse, parsed: dict[int, Any]) -> ParsedChatCompletion[Any]:
    """``response`` with ``parsed[choice.index]`` attached to each choice's message."""
    choices = [
        _copy_as(c, ParsedChoice, message=_copy_as(c.message, ParsedAssistantMessage, parsed=parsed.get(c.index)))
        for c in response.choices
    ]
    result: ParsedChatCompletion[Any] = _copy_as(response, ParsedChatCompletion, choices=choices)
    return result
