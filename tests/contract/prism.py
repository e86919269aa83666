"""Prism (npm ``@stoplight/prism-cli``, pinned in ``prism/package-lock.json``) as an independent validation proxy.

Installed by the test setup with ``npm ci --prefix tests/contract/prism``. Prism cannot serve what
our description says about streams (``#stream`` path keys, SSE bodies), so it gets a derived copy:
each ``#stream`` operation merged into its base path, every ``text/event-stream`` body described as
a plain string. It only sees non-streaming calls: it holds a proxied stream until the stream ends.

Two readings of the wire that Prism gets wrong are restated the way the API (FastAPI) reads them,
as the mock does: a query string cannot carry null, so ``anyOf: [X, null]`` is ``X`` (behind the
``anyOf`` Prism reads ``?sources=api`` as a string, not a one-item array); and a multipart form
cannot tell a one-item list from a single value, so an array property also takes one item; and a
form boolean is text the API reads case-insensitively, so ``True``/``False`` (what the generated
client sends, ``str(bool)``) are also accepted where ``true``/``false`` are.
"""

from __future__ import annotations

import copy
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mistral_sdk.testing._spec import HTTP_METHODS, SSE_MEDIA_TYPE, normalize_query

PRISM_DIR = Path(__file__).resolve().parent / "prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
INSTALL_HINT = "Prism is not installed: run `npm ci --prefix tests/contract/prism` (the Makefile's setup does)"


def prism_document(document: Mapping[str, Any]) -> dict[str, Any]:
    derived = copy.deepcopy(dict(document))
    paths: dict[str, Any] = derived.get("paths", {})
    for key in [k for k in paths if "#" in k]:
        base = key.split("#", 1)[0]
        item = paths.pop(key)
        target = paths.setdefault(base, {})
        for method in HTTP_METHODS:
            if method not in item:
                continue
            if method not in target:
                target[method] = item[method]
                continue
            # same method on the base path: keep its request, add the streaming answer to its responses
            for status, response in item[method].get("responses", {}).items():
                merged = target[method].setdefault("responses", {}).setdefault(status, response)
                merged.setdefault("content", {}).update(response.get("content", {}))
    for item in paths.values():
        normalize_query(item.get("parameters"))
        for method in HTTP_METHODS:
            operation = item.get(method) or {}
            normalize_query(operation.get("parameters"))
            form = ((operation.get("requestBody") or {}).get("content") or {}).get("multipart/form-data")
            if isinstance(form, dict) and "schema" in form:
                form["schema"] = _form_as_read(derived, form["schema"])
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                if SSE_MEDIA_TYPE in content:
                    content[SSE_MEDIA_TYPE] = {"schema": {"type": "string"}}
    return derived


def _form_as_read(document: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    form = copy.deepcopy(dict(_resolved(document, schema)))
    for name, prop in list(form.get("properties", {}).items()):
        resolved = _resolved(document, prop)
        if resolved.get("type") == "array" and "items" in resolved:
            form["properties"][name] = {"anyOf": [prop, resolved["items"]]}
        elif resolved.get("type") == "boolean":
            allowed = [b for b in (True, False) if b == resolved.get("const", b) and b in resolved.get("enum", [b])]
            form["properties"][name] = {"anyOf": [prop, {"type": "string", "enum": [str(b) for b in allowed]}]}
    return form


def _resolved(document: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    node: Any = schema
    while isinstance(node, Mapping) and "$ref" in node:
        target: Any = document
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node if isinstance(node, Mapping) else {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def prism_proxy(document: Mapping[str, Any], upstream: str, workdir: Path, timeout: float = 60) -> Iterator[str]:
    """Run ``prism proxy --errors`` in front of ``upstream``; yields Prism's base URL."""
    if not PRISM_BIN.exists() or shutil.which("node") is None:
        raise RuntimeError(INSTALL_HINT)
    spec_file = workdir / "prism-openapi.json"
    spec_file.write_text(json.dumps(prism_document(document)), encoding="utf-8")
    port = _free_port()
    proc = subprocess.Popen(
        [str(PRISM_BIN), "proxy", str(spec_file), upstream, "--errors", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=PRISM_DIR,
    )
    output: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            output.append(line)
            if "Prism is listening" in line:
                ready.set()

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + timeout
        while not ready.wait(0.1):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Prism did not start:\n" + "".join(output[-40:]))
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()
