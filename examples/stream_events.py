"""Typed stream events: show a tool call's arguments while they stream, then the finished call."""

from _connect import connect, mock_tool_call_stream

from mistral_sdk.lib import function_tool


def search_flights(origin: str, destination: str, date: str) -> list[str]:
    """Flights between two airports on a date (YYYY-MM-DD)."""
    return []


# Against the mock: the call a model would stream (the real API ignores this).
canned = mock_tool_call_stream("search_flights", {"origin": "CDG", "destination": "LIS", "date": "2026-12-01"})

with (
    connect(mock_replies=[canned]) as client,
    client.chat.stream(
        model="mistral-small-latest",
        messages=[{"role": "user", "content": "Find me a flight from Paris to Lisbon on December 1st."}],
        tools=[function_tool(search_flights)],
    ) as stream,
):
    for event in stream.events():
        if event.type == "content.delta":
            print(event.delta, end="", flush=True)
        elif event.type == "tool_call.arguments.delta":
            print(f"  {event.name} arguments so far: {event.arguments}")
        elif event.type == "tool_call.done":
            print(f"call {event.id}: {event.name}(**{event.parsed_arguments})")
        elif event.type == "completion.done":
            print("finish reason:", event.response.choices[0].finish_reason)
