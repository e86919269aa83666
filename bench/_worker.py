"""One client under test, in its own process, driven by the benchmark over stdin/stdout.

Run as a script by any interpreter that has httpx (the project's venv, or the official SDK's own
environment, which never sees ``mistral_sdk``): ``python bench/_worker.py VARIANT BASE_URL``. Each
stdin line is a JSON command; each answer is one JSON line. CPU is ``time.process_time()`` of this
process around the measured work only (imports, client construction and the first warm-up call are
outside it). Variants:

- ``floor``: bare httpx. Streams: ``iter_lines`` and a test for ``data: `` lines, nothing parsed.
  Calls: ``post`` and ``json.loads`` of the body, one field read.
- ``floor_async``: the same with ``httpx.AsyncClient`` and ``aiter_lines`` (the async targets' floor).
- ``floor_json``: the floor plus ``json.loads`` of every event (a reference point, not a target).
- ``ours_sync`` / ``ours_async``: ``mistral_sdk`` through its facade (``client.chat.stream/complete``).
  A streamed chunk counts as *fully typed* when ``.text``, ``.delta_message()`` (a generated
  ``DeltaMessage``), ``.usage`` and ``.chunk_latency`` are all read, for every chunk.
- ``official_sync`` / ``official_async``: the ``mistralai`` SDK (``ev.data.choices[0].delta.content``
  and ``ev.data.usage`` per event: it builds its pydantic models eagerly anyway).
- ``openai_sync`` / ``openai_async``: the ``openai`` SDK pointed at the server with ``base_url`` (Mistral's
  chat endpoint speaks the OpenAI wire format): ``chunk.choices[0].delta.content`` and ``chunk.usage``.
- ``httpx_sse`` / ``httpx_sse_async``: ``httpx-sse`` over httpx plus ``json.loads`` of every event, the
  parsing baseline a hand-rolled client would write. Streams only (a call is the floor's).

Each peer lives in its own environment (``bench/.venv-<peer>``); this file imports nothing but the
standard library at the top, so every one of them can run it.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import json
import os
import resource
import sys
import time
from collections.abc import Callable, Coroutine
from typing import Any

MODEL = "mistral-small-latest"
PROMPT = "Tell me a story about a space hamster"
KEY = "bench-key"
CHUNKS_HEADER = "x-bench-chunks"
BYTES_HEADER = "x-bench-bytes"
FILE_ID = "00000000-0000-0000-0000-000000000001"


def _maxrss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


class Floor:
    def __init__(self, base: str, parse: bool) -> None:
        import httpx

        self.url = base + "/v1/chat/completions"
        self.client = httpx.Client(timeout=120)
        self.parse = parse
        self.headers = {"authorization": f"Bearer {KEY}"}

    def body(self, stream: bool) -> dict[str, Any]:
        return {"model": MODEL, "messages": [{"role": "user", "content": PROMPT}], "stream": stream}

    def stream(self, chunks: int) -> int:
        n = 0
        headers = {**self.headers, CHUNKS_HEADER: str(chunks)}
        with self.client.stream("POST", self.url, json=self.body(True), headers=headers) as r:
            if self.parse:
                loads = json.loads
                for line in r.iter_lines():
                    if line.startswith("data: ") and line != "data: [DONE]":
                        loads(line[6:])
                        n += 1
            else:
                for line in r.iter_lines():
                    if line.startswith("data: ") and line != "data: [DONE]":
                        n += 1
        return n

    def call(self) -> str:
        r = self.client.post(self.url, json=self.body(False), headers=self.headers)
        data = json.loads(r.content)
        return str(data["choices"][0]["message"]["content"])


class FloorAsync(Floor):
    def __init__(self, base: str) -> None:
        import httpx

        super().__init__(base, parse=False)
        self.client.close()
        self.aclient = httpx.AsyncClient(timeout=120)

    async def stream(self, chunks: int) -> int:  # type: ignore[override]
        n = 0
        headers = {**self.headers, CHUNKS_HEADER: str(chunks)}
        async with self.aclient.stream("POST", self.url, json=self.body(True), headers=headers) as r:
            async for line in r.aiter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    n += 1
        return n

    async def call(self) -> str:  # type: ignore[override]
        r = await self.aclient.post(self.url, json=self.body(False), headers=self.headers)
        data = json.loads(r.content)
        return str(data["choices"][0]["message"]["content"])


class HttpxSSE(Floor):
    """``httpx_sse.connect_sse`` and ``json.loads`` per event: typed by nothing, parsed by everyone."""

    def __init__(self, base: str) -> None:
        super().__init__(base, parse=True)

    def stream(self, chunks: int) -> int:
        from httpx_sse import connect_sse  # type: ignore[import-not-found,unused-ignore]

        n = 0
        loads = json.loads
        headers = {**self.headers, CHUNKS_HEADER: str(chunks)}
        with connect_sse(self.client, "POST", self.url, json=self.body(True), headers=headers) as source:
            for event in source.iter_sse():
                if event.data != "[DONE]":  # read on to the end of the body, as the others do
                    loads(event.data)
                    n += 1
        return n


class HttpxSSEAsync(FloorAsync):
    async def stream(self, chunks: int) -> int:  # type: ignore[override]
        from httpx_sse import aconnect_sse  # type: ignore[import-not-found,unused-ignore]

        n = 0
        loads = json.loads
        headers = {**self.headers, CHUNKS_HEADER: str(chunks)}
        async with aconnect_sse(self.aclient, "POST", self.url, json=self.body(True), headers=headers) as source:
            async for event in source.aiter_sse():
                if event.data != "[DONE]":
                    loads(event.data)
                    n += 1
        return n


def _read_fully(chunk: Any) -> None:
    """What makes a streamed chunk *fully typed* in the targets: every lazy part of it is read."""
    _ = chunk.text
    _ = chunk.delta_message()
    _ = chunk.usage
    _ = chunk.chunk_latency


class OursSync:
    def __init__(self, base: str) -> None:
        from mistral_sdk import Mistral
        from mistral_sdk.models import UserMessage

        self.client = Mistral(api_key=KEY, base_url=base)
        self.message = UserMessage
        self.base = base

    def stream(self, chunks: int) -> int:
        n = 0
        client = self.client.with_options(default_headers={CHUNKS_HEADER: str(chunks)})
        with client.chat.stream(model=MODEL, messages=[self.message(content=PROMPT)]) as stream:
            for chunk in stream:
                _read_fully(chunk)
                n += 1
        return n

    def call(self) -> str:
        from mistral_sdk.lib import choice_message  # imported here: the worker also runs other SDKs

        r = self.client.chat.complete(model=MODEL, messages=[self.message(content=PROMPT)])
        return str(choice_message(r.choices[0]).content)


class OursAsync:
    def __init__(self, base: str) -> None:
        from mistral_sdk import AsyncMistral
        from mistral_sdk.models import UserMessage

        self.client = AsyncMistral(api_key=KEY, base_url=base)
        self.message = UserMessage

    async def stream(self, chunks: int) -> int:
        n = 0
        client = self.client.with_options(default_headers={CHUNKS_HEADER: str(chunks)})
        async with client.chat.stream(model=MODEL, messages=[self.message(content=PROMPT)]) as stream:
            async for chunk in stream:
                _read_fully(chunk)
                n += 1
        return n

    async def call(self) -> str:
        from mistral_sdk.lib import choice_message  # imported here: the worker also runs other SDKs

        r = await self.client.chat.complete(model=MODEL, messages=[self.message(content=PROMPT)])
        return str(choice_message(r.choices[0]).content)


def _official(base: str) -> Any:
    from mistralai.client import Mistral  # type: ignore[import-not-found,unused-ignore]

    return Mistral(api_key=KEY, server_url=base)


class OfficialSync:
    def __init__(self, base: str) -> None:
        self.client = _official(base)

    def stream(self, chunks: int) -> int:
        n = 0
        messages = [{"role": "user", "content": PROMPT}]
        with self.client.chat.stream(model=MODEL, messages=messages, http_headers={CHUNKS_HEADER: str(chunks)}) as es:
            for ev in es:
                _ = ev.data.choices[0].delta.content
                _ = ev.data.usage
                n += 1
        return n

    def call(self) -> str:
        r = self.client.chat.complete(model=MODEL, messages=[{"role": "user", "content": PROMPT}])
        return str(r.choices[0].message.content)


class OfficialAsync:
    def __init__(self, base: str) -> None:
        self.client = _official(base)

    async def stream(self, chunks: int) -> int:
        n = 0
        messages = [{"role": "user", "content": PROMPT}]
        es = await self.client.chat.stream_async(
            model=MODEL, messages=messages, http_headers={CHUNKS_HEADER: str(chunks)}
        )
        async with es:
            async for ev in es:
                _ = ev.data.choices[0].delta.content
                _ = ev.data.usage
                n += 1
        return n

    async def call(self) -> str:
        r = await self.client.chat.complete_async(model=MODEL, messages=[{"role": "user", "content": PROMPT}])
        return str(r.choices[0].message.content)


def _openai(base: str, is_async: bool) -> Any:
    import openai  # type: ignore[import-not-found,unused-ignore]

    cls = openai.AsyncOpenAI if is_async else openai.OpenAI
    return cls(api_key=KEY, base_url=base + "/v1", max_retries=0)


class OpenAISync:
    def __init__(self, base: str) -> None:
        self.client = _openai(base, is_async=False)
        self.messages = [{"role": "user", "content": PROMPT}]

    def stream(self, chunks: int) -> int:
        n = 0
        with self.client.chat.completions.create(
            model=MODEL, messages=self.messages, stream=True, extra_headers={CHUNKS_HEADER: str(chunks)}
        ) as stream:
            for chunk in stream:
                _ = chunk.choices[0].delta.content
                _ = chunk.usage
                n += 1
        return n

    def call(self) -> str:
        r = self.client.chat.completions.create(model=MODEL, messages=self.messages)
        return str(r.choices[0].message.content)


class OpenAIAsync:
    def __init__(self, base: str) -> None:
        self.client = _openai(base, is_async=True)
        self.messages = [{"role": "user", "content": PROMPT}]

    async def stream(self, chunks: int) -> int:
        n = 0
        stream = await self.client.chat.completions.create(
            model=MODEL, messages=self.messages, stream=True, extra_headers={CHUNKS_HEADER: str(chunks)}
        )
        async with stream:
            async for chunk in stream:
                _ = chunk.choices[0].delta.content
                _ = chunk.usage
                n += 1
        return n

    async def call(self) -> str:
        r = await self.client.chat.completions.create(model=MODEL, messages=self.messages)
        return str(r.choices[0].message.content)


_ASYNC = (FloorAsync, OursAsync, OfficialAsync, OpenAIAsync)


def _make(variant: str, base: str) -> Any:
    if variant in ("floor", "floor_json"):
        return Floor(base, parse=variant == "floor_json")
    return {
        "floor_async": FloorAsync,
        "ours_sync": OursSync,
        "ours_async": OursAsync,
        "official_sync": OfficialSync,
        "official_async": OfficialAsync,
        "openai_sync": OpenAISync,
        "openai_async": OpenAIAsync,
        "httpx_sse": HttpxSSE,
        "httpx_sse_async": HttpxSSEAsync,
    }[variant](base)


def _runner(obj: Any) -> Callable[[Callable[[], Any]], Any]:
    """Sync methods run as they are; coroutine methods on one event loop kept for the worker's life."""
    if not isinstance(obj, _ASYNC):
        return lambda f: f()
    loop = asyncio.new_event_loop()
    atexit.register(_close_loop, loop)

    def run(f: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
        return loop.run_until_complete(f())

    return run


def _close_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Let the loop finish what a client left open (an async generator's ``aclose``) before the process exits,
    instead of asyncio reporting a pending task destroyed at exit."""
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


def _measure(run: Callable[[Callable[[], Any]], Any], f: Callable[[], Any]) -> dict[str, Any]:
    wall = time.perf_counter()
    cpu = time.process_time()
    result = run(f)
    return {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "result": result}


def _stream_memory(
    obj: Any, run: Callable[[Callable[[], Any]], Any], chunks: int, baseline_after: int, keep: bool
) -> dict[str, Any]:
    """Stream ``chunks`` events, touching each and keeping none (the stream itself records them unless
    ``keep`` is False): the peak RSS after ``baseline_after`` chunks (imports and buffers settled) and at the end.

    With ``keep``, also what the stream's records hold once every chunk arrived (``retained_bytes``, the
    objects themselves) and the resident set then and after ``baseline_after`` chunks (``rss_*_kb``):
    peak RSS alone hides growth smaller than an early transient (the lazy import of the models).
    """
    client = obj.client.with_options(default_headers={CHUNKS_HEADER: str(chunks)})
    marks: dict[str, int] = {}

    def consume() -> int:
        n = 0
        with client.chat.stream(model=MODEL, messages=[obj.message(content=PROMPT)]) as stream:
            if not keep:
                stream.keep_chunks = False  # by default a stream records every chunk for final_response() and errors
            for chunk in stream:
                _ = chunk.text
                _ = chunk.delta_message()
                n += 1
                if n == baseline_after:
                    marks["baseline_kb"] = _maxrss_kb()
                    marks["rss_baseline_kb"] = _rss_kb()
            if keep:
                marks["rss_end_kb"] = _rss_kb()
                marks["retained_bytes"] = _deep_size(stream._core._records)
        return n

    out = _measure(run, consume)
    out.update(marks, peak_kb=_maxrss_kb(), rss_kb=_rss_kb())
    return out


def _deep_size(root: object) -> int:
    """Bytes of ``root`` and every object it reaches (each once), small objects rounded up to the
    allocator's 16-byte blocks. Types are not followed: they are shared with the whole program."""
    import gc

    seen: set[int] = set()
    stack = [root]
    total = 0
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, type):
            continue
        seen.add(id(o))
        size = sys.getsizeof(o)
        total += -(-size // 16) * 16 if size <= 512 else size
        stack.extend(gc.get_referents(o))
    return total


def _parse_vs_complete(obj: Any, count: int, rounds: int) -> dict[str, Any]:
    """CPU per call of ``chat.parse`` (a pydantic model) and of what it replaces, ``chat.complete`` with a
    hand-written ``json_schema`` format then ``json.loads`` of the content: the same answer for both.
    Blocks of ``count`` calls alternate ``rounds`` times; each side's median block counts."""
    from pydantic import BaseModel

    from mistral_sdk.lib import response_format_for

    class Story(BaseModel):
        title: str
        author: str
        year: int
        tags: list[str]

    client = obj.client
    messages = [obj.message(content=PROMPT)]
    hand_written = response_format_for(Story)

    def complete() -> Any:
        return json.loads(
            str(
                client.chat.complete(model=MODEL, messages=messages, response_format=hand_written)
                .choices[0]
                .message.content
            )
        )

    def parse() -> Any:
        return client.chat.parse(model=MODEL, messages=messages, response_format=Story).choices[0].message.parsed

    complete(), parse()  # warm-up: imports and the connection
    samples: dict[str, list[float]] = {"complete": [], "parse": []}
    for _ in range(rounds):
        for name, f in (("complete", complete), ("parse", parse)):
            cpu = time.process_time()
            for _ in range(count):
                f()
            samples[name].append((time.process_time() - cpu) / count)
    return {name: sorted(values)[len(values) // 2] for name, values in samples.items()}


def _download_memory(obj: Any, size: int, baseline_after: int) -> dict[str, Any]:
    """Stream a ``size``-byte download through ``files.download_stream``, keeping nothing: the peak RSS once
    ``baseline_after`` bytes arrived (buffers settled) and at the end."""
    client = obj.client.with_options(default_headers={BYTES_HEADER: str(size)})
    marks: dict[str, int] = {}

    def consume() -> int:
        received = 0
        with client.files.download_stream(FILE_ID) as body:
            for piece in body.iter_bytes():
                received += len(piece)
                if "baseline_kb" not in marks and received >= baseline_after:
                    marks["baseline_kb"] = _maxrss_kb()
        return received

    out = _measure(lambda f: f(), consume)
    out.update(marks, peak_kb=_maxrss_kb())
    return out


def _calls(obj: Any, run: Callable[[Callable[[], Any]], Any], count: int) -> int:
    for _ in range(count):
        run(obj.call)
    return count


def _fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


async def _concurrent(url: str, streams: int) -> dict[str, Any]:
    """``streams`` chat streams at once on one fresh ``AsyncMistral``; then its pool and our descriptors."""
    from mistral_sdk import AsyncMistral
    from mistral_sdk.models import UserMessage

    fds_before = _fd_count()
    client = AsyncMistral(api_key=KEY, base_url=url)

    async def one() -> tuple[bool, int]:
        n = 0
        last = False
        async with client.chat.stream(model=MODEL, messages=[UserMessage(content=PROMPT)]) as stream:
            async for chunk in stream:
                _ = chunk.text
                last = chunk.is_last_chunk
                n += 1
            return stream.done and last, n

    results = await asyncio.gather(*(one() for _ in range(streams)), return_exceptions=True)
    pool = client._http._transport._pool  # type: ignore[attr-defined]  # httpcore's pool behind httpx's transport
    connections = list(pool.connections)
    busy = sum(1 for c in connections if not c.is_idle())
    await client.close()
    await asyncio.sleep(0)
    errors = [repr(r) for r in results if isinstance(r, BaseException)]
    complete = sum(1 for r in results if isinstance(r, tuple) and r[0] and r[1] > 0)
    return {
        "streams": streams,
        "complete": complete,
        "errors": errors[:3],
        "pooled_after": len(connections),
        "busy_after": busy,
        "fds_before": fds_before,
        "fds_after_close": _fd_count(),
    }


def main() -> None:
    variant, base = sys.argv[1], sys.argv[2]
    obj = _make(variant, base)
    run = _runner(obj)
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        if op == "stream":
            out = _measure(run, functools.partial(obj.stream, int(cmd["chunks"])))
            out["per_item"] = out["cpu"] / max(out["result"], 1)
        elif op == "call":
            count = int(cmd["count"])
            out = _measure(lambda f: f(), functools.partial(_calls, obj, run, count))
            out["per_item"] = out["cpu"] / count
        elif op == "concurrent":
            out = asyncio.run(_concurrent(str(cmd["url"]), int(cmd["streams"])))
        elif op == "parse":
            out = _parse_vs_complete(obj, int(cmd["count"]), int(cmd["rounds"]))
        elif op == "download":
            out = _download_memory(obj, int(cmd["bytes"]), int(cmd["baseline_after"]))
        elif op == "memory":
            out = _stream_memory(obj, run, int(cmd["chunks"]), int(cmd["baseline_after"]), bool(cmd["keep"]))
        else:
            out = {"error": f"unknown op {op!r}"}
        out["maxrss_kb"] = _maxrss_kb()
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
