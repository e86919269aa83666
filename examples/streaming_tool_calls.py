"""Tool calling while streaming: a call may arrive in pieces; the stream joins them into whole calls."""

import json

from _connect import connect, mock_tool_call_stream

from mistral_sdk import new_tool, new_tool_message
from mistral_sdk.lib import choice_message
from mistral_sdk.models import AssistantMessage, ToolMessage, UserMessage

weather = new_tool(
    "get_weather",
    "Current weather in a city",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
messages: list[UserMessage | AssistantMessage | ToolMessage] = [UserMessage(content="Weather in Lyon?")]

with connect(mock_replies=[mock_tool_call_stream("get_weather", {"city": "Lyon"})]) as client:
    with client.chat.stream(model="mistral-small-latest", messages=messages, tools=[weather]) as stream:
        for chunk in stream:  # show the pieces as they come
            for call in chunk.delta_message().tool_calls or []:
                print(f"piece of a call: {call.function.arguments!r}")
        message = choice_message(stream.final_response().choices[0])  # pieces joined into whole calls
    messages.append(message)  # the assistant's turn, with its tool calls
    for call in message.tool_calls or []:
        print(f"call: {call.function.name}({call.function.arguments})")
        result = {"city": "Lyon", "temperature_c": 16, "sky": "cloudy"}
        messages.append(new_tool_message(json.dumps(result), tool_call_id=str(call.id), name=call.function.name))
    with client.chat.stream(model="mistral-small-latest", messages=messages, tools=[weather]) as stream:
        for piece in stream.text_stream:
            print(piece, end="", flush=True)
    print()
