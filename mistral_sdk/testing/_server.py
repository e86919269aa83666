"""The mock Mistral server: a real HTTP/1.1 server on 127.0.0.1, answering from the description.

``http.server.ThreadingHTTPServer`` is enough (no extra dependency) and, unlike an ASGI stack, gives
raw access to the socket, which the faults need: a clean close mid-body, a TCP reset (SO_LINGER 0),
a stall, a slow first byte. Each connection runs in its own daemon thread; waits (stalls, delays)
wake up when the server stops, so stopping never hangs on a stalled stream.
"""

from __future__ import annotations

import copy
import functools
import json
import logging
import os
import re
import socket
import struct
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ._script import (
    FAULT_HEADER,
    Fault,
    FaultKind,
    RawChunk,
    ScriptedResponse,
    ScriptedStream,
    ScriptItem,
    SSEEvent,
    parse_fault_header,
)
from ._spec import (
    SSE_MEDIA_TYPE,
    Operation,
    Route,
    SpecPatch,
    build_routes,
    default_spec_path,
    load_spec_document,
    operations_of,
    prepare,
)
from ._violation import Violation

if TYPE_CHECKING:
    from openapi_core import OpenAPI

    from ._schemas import SchemaTools

__all__ = ["MockServer", "MockServerError", "RecordedRequest"]

log = logging.getLogger("mistral_sdk.testing")

EVENTS_HEADER = "X-Mock-Stream-Events"
DELAY_HEADER = "X-Mock-Stream-Delay"
_REDACTED = "<redacted>"
_ERROR_TYPES = {429: "rate_limited", 500: "internal_server_error", 503: "service_unavailable"}
_STREAM_FIELD = re.compile(rb'name="stream"\r\n(?:[^\r\n]+\r\n)*\r\ntrue\r\n', re.IGNORECASE)


class MockServerError(RuntimeError):
    """The mock was used wrongly (not started, started twice) or saw violations a test asserted away."""


@dataclass(frozen=True)
class RecordedRequest:
    """One request the mock received, for assertions; the headers carrying the API key are redacted."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]
    body: bytes
    operation_id: str | None
    status: int
    """The status the mock chose; with a connection fault (``fault``) the client may never have seen it."""
    stream: bool
    violations: tuple[Violation, ...]
    fault: FaultKind | None = None
    """The fault injected into the answer, if any."""

    @property
    def json(self) -> Any:
        """The body parsed as JSON; raises ValueError when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))


@dataclass
class _Prepared:
    api: OpenAPI
    tools: SchemaTools
    operations: list[Operation]
    routes: list[Route]

    @functools.cached_property
    def credential_headers(self) -> frozenset[str]:
        """Headers redacted in the request log: ``Authorization`` and every header an operation takes its key in."""
        return frozenset({"authorization", *(op.key_header.lower() for op in self.operations if op.key_header)})


class MockServer:
    """A Mistral API on 127.0.0.1 driven by an OpenAPI description; use as a context manager or start()/stop().

    ``spec`` is a path (YAML or JSON) or an already parsed document; by default the SDK's own
    description (the copy shipped with the generated client). ``patches`` correct known defects of a
    description before it is used.
    Nothing is loaded until :meth:`start`, so importing this module stays cheap.
    """

    def __init__(
        self,
        spec: str | os.PathLike[str] | Mapping[str, Any] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        stream_events: int = 3,
        stream_delay: float = 0.0,
        api_key: str | None = None,
        patches: Sequence[SpecPatch] = (),
        validate_responses: bool = True,
    ) -> None:
        self._spec_source = spec
        self._host = host
        self._port = port
        self.stream_events = stream_events
        self.stream_delay = stream_delay
        self._api_key = api_key
        self._patches = tuple(patches)
        self.validate_responses = validate_responses
        self._prepared: _Prepared | None = None
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()  # replaced on reset() and start(); set to end every pending wait
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._violations: list[Violation] = []
        self._script: deque[tuple[str | None, ScriptItem]] = deque()
        self._bodies: dict[str, tuple[str | None, Any, list[Violation]]] = {}
        self._counter = 0

    def __repr__(self) -> str:
        state = self.url if self._httpd else "stopped"
        return f"<MockServer {state}>"

    # -- lifecycle --------------------------------------------------------------------------------

    def load(self) -> None:
        """Load and prepare the description (done by :meth:`start`; call early to fail fast on a bad spec)."""
        if self._prepared is not None:
            return
        from ._schemas import SchemaTools
        from ._validation import openapi_for

        source = self._spec_source
        if source is None:
            source = default_spec_path()
        document = dict(source) if isinstance(source, Mapping) else load_spec_document(Path(source))
        prepared = prepare(document, self._patches)
        operations = operations_of(prepared)
        self._prepared = _Prepared(openapi_for(prepared), SchemaTools(prepared), operations, build_routes(operations))

    def start(self) -> MockServer:
        if self._httpd is not None:
            raise MockServerError("the mock server is already running")
        self.load()
        self._wake = threading.Event()
        httpd = _HTTPServer((self._host, self._port), _Handler)
        httpd.mock = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.name = f"mistral-mock-{self.port}"
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._wake.set()
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- what tests use ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise MockServerError("the mock server is not running")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL to give the SDK as ``server_url``."""
        return f"http://{self._host}:{self.port}"

    @property
    def operations(self) -> list[Operation]:
        self.load()
        assert self._prepared is not None
        return list(self._prepared.operations)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def violations(self) -> list[Violation]:
        with self._lock:
            return list(self._violations)

    def assert_no_violations(self) -> None:
        found = self.violations
        if found:
            lines = "\n".join(f"  [{v.kind}] {v.operation_id}: {'.'.join(map(str, v.loc))}: {v.msg}" for v in found)
            raise AssertionError(f"{len(found)} violation(s) of the OpenAPI description:\n{lines}")

    def enqueue(self, item: ScriptItem, *, operation_id: str | None = None) -> None:
        """Use ``item`` for the next valid request (of ``operation_id`` when given) instead of the normal answer."""
        if not isinstance(item, Fault | ScriptedResponse | ScriptedStream):
            raise TypeError(f"expected Fault, ScriptedResponse or ScriptedStream, got {type(item).__name__}")
        if operation_id is not None and operation_id not in {op.operation_id for op in self.operations}:
            raise ValueError(f"no operation {operation_id!r} in the description")
        with self._lock:
            self._script.append((operation_id, item))

    @property
    def pending(self) -> int:
        """Scripted items not yet consumed."""
        with self._lock:
            return len(self._script)

    def reset(self) -> None:
        """Forget requests, violations and unconsumed scripted items, and end stalled answers (between tests)."""
        with self._lock:
            old, self._wake = self._wake, threading.Event()
            old.set()
            self._requests.clear()
            self._violations.clear()
            self._script.clear()

    # -- internals used by the handler -------------------------------------------------------------

    def _prep(self) -> _Prepared:
        assert self._prepared is not None
        return self._prepared

    def _next_request_id(self) -> str:
        with self._lock:
            self._counter += 1
            return f"mock-{self._counter:06d}"

    def _take(self, operation_id: str) -> ScriptItem | None:
        with self._lock:
            for index, (wanted, item) in enumerate(self._script):
                if wanted is None or wanted == operation_id:
                    del self._script[index]
                    return item
        return None

    def _record(self, entry: RecordedRequest, extra: Iterable[Violation] = ()) -> None:
        with self._lock:
            self._requests.append(entry)
            self._violations.extend(entry.violations)
            self._violations.extend(extra)

    def _add_violations(self, found: Iterable[Violation]) -> None:
        with self._lock:
            self._violations.extend(found)

    def _waker(self) -> threading.Event:
        return self._wake

    def _base_body(self, op: Operation) -> tuple[str | None, Any, list[Violation]]:
        """The operation's answer body, built once: the first example that validates, else a synthesized one.

        Examples that fail their schema are ``spec`` violations (reported with every answer that falls
        back because of them); a body that fails its own schema is a ``response`` violation (a mock bug).
        """
        cached = self._bodies.get(op.operation_id)
        if cached is None:
            cached = _build_body(self._prep().tools, op)
            self._bodies[op.operation_id] = cached
        media, value, found = cached
        return media, value, list(found)

    def _route(self, method: str, raw_path: str) -> tuple[list[Operation], dict[str, str]] | str:
        """The operations for ``method`` at the most specific route that has it, else the ``Allow`` methods.

        ``Allow`` names the methods of the most specific matching route only, as the API's router does:
        ``OPTIONS /v1/agents/pages`` answers ``Allow: GET``, not the methods of ``/v1/agents/{agent_id}``.
        """
        allowed: set[str] = set()
        for route in self._prep().routes:
            params = route.match(raw_path)
            if params is None:
                continue
            ops = route.by_method.get(method)
            if ops:
                return list(ops), {k: unquote(v) for k, v in params.items()}
            if not allowed:
                allowed.update(route.by_method)
        return ",".join(sorted(m.upper() for m in allowed))


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver listens with a backlog of 5: 200 clients connecting at once (a test suite's concurrency
    # check) overflowed it and one saw its connection reset (measured: 199/200 streams). The kernel caps
    # this at its own limit (``somaxconn``).
    request_queue_size = 1024
    mock: MockServer


class _ResetConnection(Exception):
    """Raised inside the handler to end it after the socket was aborted."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MistralMock/1"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # headers and body go out in separate writes; without this, Nagle + delayed ACK add ~40 ms per request
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._handle()

    def __getattr__(self, name: str) -> Any:
        """Any method (TRACE, QUERY, ...) reaches routing, which answers 405 for what the spec lacks; never 501."""
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    # -- request ------------------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _wait(self, seconds: float | None) -> bool:
        """Sleep; True (stop answering) when the server stopped or was reset meanwhile."""
        return self._wake.wait(seconds)

    def _handle(self) -> None:
        mock = self.server.mock
        self._wake = mock._waker()
        self.request_id = mock._next_request_id()
        try:
            self._dispatch(mock)
        except _ResetConnection:
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # a mock bug: answer 500 and make it visible in the violations
            log.exception("mock server failure")
            mock._add_violations([Violation("mock", None, ("mock",), f"mock server failure: {exc!r}", "mock_error")])
            try:
                self._send_json(500, _error_body(500, f"mock server failure: {exc!r}"))
            except OSError:
                self.close_connection = True

    def _dispatch(self, mock: MockServer) -> None:
        method = self.command.lower()
        split = urlsplit(self.path)
        body = self._read_body()
        query = tuple(parse_qsl(split.query, keep_blank_values=True))
        secret = mock._prep().credential_headers
        headers = {k: (_REDACTED if k.lower() in secret else v) for k, v in self.headers.items()}

        def record(
            op_id: str | None,
            status: int,
            violations: Sequence[Violation] = (),
            stream: bool = False,
            fault: Fault | None = None,
        ) -> None:
            kind = fault.kind if fault is not None else None
            entry = RecordedRequest(
                method.upper(), split.path, query, headers, body, op_id, status, stream, tuple(violations), kind
            )
            mock._record(entry)

        routed = mock._route(method, split.path)
        if isinstance(routed, str):
            # a path or method the description lacks is the client's contract violation too
            if routed:
                msg = f"{method.upper()} is not an operation of {split.path} (allowed: {routed})"
                record(None, 405, [Violation("request", None, ("method",), msg, "method_not_allowed")])
                self._send_json(405, {"detail": "Method Not Allowed"}, {"Allow": routed})
            else:
                msg = f"no operation of the description matches {split.path}"
                record(None, 404, [Violation("request", None, ("path",), msg, "not_found")])
                self._send_json(404, {"detail": "Not Found"})
            return
        candidates, path_params = routed
        content_type = self.headers.get("Content-Type", "")
        request_json = _json_object(body, content_type)
        wants_stream = request_json.get("stream") is True or bool(_STREAM_FIELD.search(body))
        op = _choose(candidates, wants_stream)
        from ._errors import error_answer, violations_message
        from ._validation import check_request

        check = check_request(
            mock._prep().api,
            mock._prep().tools,
            op,
            path=split.path,
            path_params=path_params,
            query=query,
            headers=self.headers.items(),
            body=body,
            content_type=content_type,
        )
        violations = list(check.violations)

        def refuse(status: int, usual: Mapping[str, Any], message: str) -> None:
            """Answer ``usual``, or a body of the schema the operation documents for ``status`` (``_errors``)."""
            answer, own = error_answer(mock._prep().tools, op, status, usual, message)
            record(op.operation_id, status, [*violations, *own])
            self._send_json(status, answer)

        unauthorized = check.unauthorized or (mock._api_key is not None and not self._key_matches(op, mock._api_key))
        if unauthorized:
            if not check.unauthorized:
                header, credential = op.credential
                message = f"{credential[0].upper()}{credential[1:]} does not match the mock's api_key"
                violations.append(Violation("request", op.operation_id, ("header", header), message, "security"))
            usual = {"message": "Unauthorized", "request_id": self.request_id}
            refuse(401, usual, f"Unauthorized: {violations_message(violations)}")
            return
        if violations:
            refuse(422, {"detail": [v.as_detail() for v in violations]}, violations_message(violations))
            return

        streaming = op.stream_only or (op.can_stream and wants_stream)
        item = mock._take(op.operation_id)
        header_fault = self.headers.get(FAULT_HEADER)
        try:
            self._stream_settings(mock)
            if header_fault is not None and item is None:
                item = parse_fault_header(header_fault)
        except ValueError as exc:
            msg = f"bad mock control header: {exc}"
            record(op.operation_id, 400, [Violation("mock", op.operation_id, ("header",), msg, "mock_header")])
            self._send_json(400, _error_body(400, msg))
            return

        fault = item if isinstance(item, Fault) else getattr(item, "fault", None)
        if fault is not None and fault.stream_only and not (streaming or isinstance(item, ScriptedStream)):
            msg = f"fault {fault.kind.value!r} applies to streaming requests only"
            record(
                op.operation_id, 500, [Violation("mock", op.operation_id, ("fault",), msg, "fault_misuse")], fault=fault
            )
            self._send_json(500, _error_body(500, msg))
            return
        if fault is not None and fault.kind is FaultKind.SLOW_FIRST_BYTE:
            if self._wait(fault.seconds or 0):
                raise _ResetConnection
        if fault is not None and fault.kind is FaultKind.STATUS:
            record(op.operation_id, fault.status, fault=fault)
            extra = {"Retry-After": _fmt_seconds(fault.retry_after)} if fault.retry_after is not None else {}
            self._send_json(fault.status, _error_body(fault.status, "injected by the mock server"), extra)
            return

        if isinstance(item, ScriptedStream):
            record(op.operation_id, item.status, stream=True, fault=fault)
            self._stream(item.chunks(), item.done, item.delay, item.fault, item.status, dict(item.headers))
            return
        if isinstance(item, ScriptedResponse):
            record(op.operation_id, item.status, fault=fault)
            payload, media = item.encoded()
            self._send_bytes(item.status, payload, media, dict(item.headers), item.fault)
            return
        if streaming:
            events, done, own = self._planned_stream(mock, op, request_json)
            record(op.operation_id, int(op.success_status), stream=True, fault=fault)
            mock._add_violations(own)
            if own and mock.validate_responses:
                raise RuntimeError(f"synthesized stream for {op.operation_id} fails its schema: {own[0].msg}")
            count_delay = self._stream_settings(mock)[1]
            self._stream(events, done, count_delay, fault, int(op.success_status), {})
            return
        status, payload, media, own = self._planned_body(mock, op, request_json)
        record(op.operation_id, status, fault=fault)
        mock._add_violations(own)
        if any(v.kind == "response" for v in own) and mock.validate_responses:
            raise RuntimeError(f"synthesized response for {op.operation_id} fails its schema: {own[-1].msg}")
        self._send_bytes(status, payload, media, {}, fault)

    def _key_matches(self, op: Operation, api_key: str) -> bool:
        """The key is where the operation's security scheme wants it (a bearer token, or a header of its own)."""
        if op.key_header is None:
            return self.headers.get("Authorization", "") == f"Bearer {api_key}"
        return self.headers.get(op.key_header, "") == api_key

    def _stream_settings(self, mock: MockServer) -> tuple[int, float]:
        """Events and delay of a synthesized stream: the server's, unless this request's headers say otherwise."""
        count, delay = mock.stream_events, mock.stream_delay
        if self.headers.get(EVENTS_HEADER):
            count = int(self.headers[EVENTS_HEADER])
        if self.headers.get(DELAY_HEADER):
            delay = float(self.headers[DELAY_HEADER])
        if count < 0 or delay < 0:
            raise ValueError(f"{EVENTS_HEADER} and {DELAY_HEADER} must not be negative")
        return count, delay

    # -- answers built from the description ---------------------------------------------------------

    def _planned_body(
        self, mock: MockServer, op: Operation, request_json: Mapping[str, Any]
    ) -> tuple[int, bytes, str, list[Violation]]:
        status = int(op.success_status)
        media, value, found = mock._base_body(op)
        if media is None:
            return status, b"", "", found
        if not _is_json_media(media):
            return status, b"mock file content\n", media, found
        model = request_json.get("model")
        if isinstance(value, dict) and isinstance(model, str) and isinstance(value.get("model"), str):
            # answer for the model the client asked for, when the description allows that value
            echoed = {**value, "model": model}
            schema = op.success_content[media].get("schema")
            if schema is None or mock._prep().tools.is_valid(schema, echoed):
                value = echoed
        value = _with_structured_answer(mock._prep().tools, value, request_json)
        return status, json.dumps(value).encode("utf-8"), media, found

    def _planned_stream(
        self, mock: MockServer, op: Operation, request_json: Mapping[str, Any]
    ) -> tuple[list[SSEEvent], bool, list[Violation]]:
        from ._sse import plan_stream
        from ._structured import structured_answer
        from ._validation import detail_from_schema_errors

        tools = mock._prep().tools
        schema = (op.success_content.get(SSE_MEDIA_TYPE) or {}).get("schema") or {}
        count = self._stream_settings(mock)[0]
        plan = plan_stream(tools, schema, count, request_json, structured_answer(tools, request_json))
        found: list[Violation] = []
        names_events = "event" in tools.resolve(schema).get("properties", {})
        for index, event in enumerate(plan.events):
            instance: dict[str, Any] = {"data": event.data}
            if event.event is not None or names_events:
                instance["event"] = event.event or "message"  # what an SSE reader calls an unnamed event
            found.extend(
                detail_from_schema_errors("response", op.operation_id, ("event", index), tools.errors(schema, instance))
            )
        return plan.events, plan.done, found

    # -- writing ------------------------------------------------------------------------------------

    def _head(self, status: int, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        self.send_header("x-request-id", self.request_id)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()

    def _send_json(self, status: int, body: Any, extra: Mapping[str, str] | None = None) -> None:
        self._send_bytes(status, json.dumps(body).encode("utf-8"), "application/json", dict(extra or {}), None)

    def _send_bytes(self, status: int, payload: bytes, media: str, extra: dict[str, str], fault: Fault | None) -> None:
        headers = {"Content-Length": str(len(payload)), **extra}
        if media:
            headers.setdefault("Content-Type", media)
        kind = fault.kind if fault is not None else None
        if kind is FaultKind.RESET:
            self._reset()
        if kind is FaultKind.INVALID_JSON:
            payload = payload[: max(1, len(payload) // 2)]
            headers["Content-Length"] = str(len(payload))
        self._head(status, headers)
        if kind in (FaultKind.DISCONNECT, FaultKind.STALL):
            half = len(payload) // 2
            self.wfile.write(payload[:half])
            if kind is FaultKind.DISCONNECT:
                self.close_connection = True
                return
            assert fault is not None
            if self._wait(fault.seconds):
                raise _ResetConnection
            payload = payload[half:]
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _stream(
        self,
        events: Sequence[SSEEvent | RawChunk],
        done: bool,
        delay: float,
        fault: Fault | None,
        status: int,
        extra: dict[str, str],
    ) -> None:
        chunks = [event.encode() for event in events]
        kind = fault.kind if fault is not None else None
        if kind is FaultKind.NO_DONE:
            if done:
                done = False
            elif chunks:
                chunks.pop()
        if done:
            chunks.append(b"data: [DONE]\n\n")
        at = min(fault.after_events, len(chunks)) if fault is not None else -1
        self._head(
            status,
            {"Content-Type": SSE_MEDIA_TYPE, "Cache-Control": "no-cache", "Transfer-Encoding": "chunked", **extra},
        )
        for index in range(len(chunks) + 1):
            if index == at and fault is not None:
                if kind is FaultKind.DISCONNECT:
                    self.close_connection = True
                    return
                if kind is FaultKind.RESET:
                    self._reset()
                if kind is FaultKind.STALL and self._wait(fault.seconds):
                    raise _ResetConnection
                if kind is FaultKind.INVALID_JSON:
                    self._chunk(b'data: {"id": "broken", "choices": [\n\n')
                if kind is FaultKind.ERROR_EVENT:
                    error = json.dumps(_error_body(500, "error event injected by the mock server"))
                    self._chunk(f"event: error\ndata: {error}\n\n".encode())
                    break
            if index == len(chunks):
                break
            if delay and index and self._wait(delay):
                raise _ResetConnection
            self._chunk(chunks[index])
        self.wfile.write(b"0\r\n\r\n")

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def _reset(self) -> None:
        """Abort with RST: linger 0, then close the socket for real (the read buffer holds a reference)."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()
        raise _ResetConnection


def _build_body(tools: SchemaTools, op: Operation) -> tuple[str | None, Any, list[Violation]]:
    from ._validation import detail_from_schema_errors

    content = {m: v for m, v in op.success_content.items() if m != SSE_MEDIA_TYPE}
    if not content:
        return None, None, []
    media = "application/json" if "application/json" in content else next(iter(content))
    if not _is_json_media(media):
        return media, None, []
    media_obj = content[media] or {}
    schema = media_obj.get("schema")
    found: list[Violation] = []
    value: Any = None
    for name, example in _media_examples(media_obj):
        if schema is None or tools.is_valid(schema, example):
            value = example
            break
        found.extend(
            Violation("spec", op.operation_id, ("example", name, *v.loc[1:]), v.msg, v.type)
            for v in detail_from_schema_errors("spec", op.operation_id, ("example",), tools.errors(schema, example))
        )
    if value is None:
        value = tools.synthesize(schema) if schema is not None else {}
    if schema is not None:
        found.extend(detail_from_schema_errors("response", op.operation_id, ("response",), tools.errors(schema, value)))
    return media, copy.deepcopy(value), found


def _with_structured_answer(tools: SchemaTools, value: Any, request_json: Mapping[str, Any]) -> Any:
    """A chat body whose answers follow the request's ``json_schema`` response format, when it has one."""
    from ._structured import structured_answer

    text = structured_answer(tools, request_json)
    if text is None or not isinstance(value, dict) or not isinstance(value.get("choices"), list):
        return value
    choices = [
        {**c, "message": {**c["message"], "content": text}} if isinstance(c.get("message"), dict) else c
        for c in value["choices"]
        if isinstance(c, dict)
    ]
    return {**value, "choices": choices}


def _choose(candidates: Sequence[Operation], wants_stream: bool) -> Operation:
    if len(candidates) == 1:
        return candidates[0]
    preferred = [op for op in candidates if op.stream_only == wants_stream]
    return (preferred or list(candidates))[0]


def _json_object(body: bytes, content_type: str) -> dict[str, Any]:
    if not _is_json_media(content_type.split(";", 1)[0].strip().lower()) or not body:
        return {}
    try:
        value = json.loads(body.decode("utf-8"))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _is_json_media(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _media_examples(media_obj: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    if "example" in media_obj:
        yield "example", media_obj["example"]
    examples = media_obj.get("examples")
    if isinstance(examples, Mapping):
        for name, example in examples.items():
            if isinstance(example, Mapping) and "value" in example:
                yield str(name), example["value"]


def _error_body(status: int, message: str) -> dict[str, Any]:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return {
        "object": "error",
        "message": f"{phrase}: {message}",
        "type": _ERROR_TYPES.get(status, "invalid_request_error" if status < 500 else "api_error"),
        "param": None,
        "code": str(status),
    }


def _fmt_seconds(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else str(seconds)
