"""Offer the model a function, run the call it asks for, and send the result back for the final answer."""

import json

from _connect import connect, mock_text_reply, mock_tool_call

from mistral_sdk import new_tool, new_tool_message
from mistral_sdk.lib import choice_message
from mistral_sdk.models import AssistantMessage, ToolMessage, UserMessage


def get_weather(city: str) -> dict[str, object]:
    return {"city": city, "temperature_c": 18, "sky": "sunny"}  # a real program would call a weather service


weather = new_tool(
    "get_weather",
    "Current weather in a city",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
messages: list[UserMessage | AssistantMessage | ToolMessage] = [UserMessage(content="What is the weather in Paris?")]
# Against the mock: the call a model would make, then its answer (the real API ignores these).
replies = [mock_tool_call("get_weather", {"city": "Paris"}), mock_text_reply("It is 18 °C and sunny in Paris.")]

with connect(mock_replies=replies) as client:
    response = client.chat.complete(model="mistral-small-latest", messages=messages, tools=[weather])
    message = choice_message(response.choices[0])
    messages.append(message)  # the assistant's turn, with its tool calls
    for call in message.tool_calls or []:
        arguments = call.function.arguments  # JSON text (or, from some models, an object)
        parsed = json.loads(arguments) if isinstance(arguments, str) else arguments.to_dict()
        result = get_weather(**parsed)
        print(f"model called {call.function.name}({parsed}) -> {result}")
        messages.append(new_tool_message(json.dumps(result), tool_call_id=str(call.id), name=call.function.name))
    final = client.chat.complete(model="mistral-small-latest", messages=messages, tools=[weather])
    print(choice_message(final.choices[0]).content)
