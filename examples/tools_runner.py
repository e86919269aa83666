"""Tools from plain Python functions: the SDK describes them and runs the calls the model asks for."""

from _connect import connect, mock_text_reply, mock_tool_call

from mistral_sdk.lib import choice_message, function_tool, run_tool_calls
from mistral_sdk.models import AssistantMessage, ToolMessage, UserMessage


def get_weather(city: str, unit: str = "celsius") -> dict[str, object]:
    """Current weather in a city.

    Args:
        city: The city's name, such as "Paris".
        unit: "celsius" or "fahrenheit".
    """
    return {"city": city, "temperature": 18, "unit": unit, "sky": "sunny"}  # a real tool calls a service


tools = {"get_weather": get_weather}
definitions = [function_tool(fn) for fn in tools.values()]  # schemas from annotations and docstrings
messages: list[UserMessage | AssistantMessage | ToolMessage] = [UserMessage(content="What is the weather in Paris?")]
# Against the mock: the call a model would make, then its answer (the real API ignores these).
replies = [mock_tool_call("get_weather", {"city": "Paris"}), mock_text_reply("It is 18 °C and sunny in Paris.")]

with connect(mock_replies=replies) as client:
    response = client.chat.complete(model="mistral-small-latest", messages=messages, tools=definitions)
    while response.choices[0].finish_reason == "tool_calls":
        results = run_tool_calls(response, tools)  # a failing tool's error becomes its result
        for result in results:
            print(f"{result.name} -> {result.content}")
        messages += [choice_message(response.choices[0]), *results]
        response = client.chat.complete(model="mistral-small-latest", messages=messages, tools=definitions)
    print(choice_message(response.choices[0]).content)
