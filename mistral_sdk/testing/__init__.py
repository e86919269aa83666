"""A mock Mistral API for tests: ``MockServer``, the faults it can inject and the responses it can replay.

Install with the ``testing`` extra. Importing this package loads nothing heavy: the OpenAPI description
is read when a server starts. The pytest plugin (``mistral_sdk.testing.pytest_plugin``) provides the
``mistral_mock`` fixture; ``python -m mistral_sdk.testing serve --port 0`` runs a server from a shell.
"""

from ._script import FAULT_HEADER, Fault, FaultKind, RawChunk, ScriptedResponse, ScriptedStream, SSEEvent
from ._server import DELAY_HEADER, EVENTS_HEADER, MockServer, MockServerError, RecordedRequest
from ._spec import Operation, SpecError, SpecPatch, load_spec_document
from ._violation import Violation

__all__ = [
    "DELAY_HEADER",
    "EVENTS_HEADER",
    "FAULT_HEADER",
    "Fault",
    "FaultKind",
    "MockServer",
    "MockServerError",
    "Operation",
    "RawChunk",
    "RecordedRequest",
    "SSEEvent",
    "ScriptedResponse",
    "ScriptedStream",
    "SpecError",
    "SpecPatch",
    "Violation",
    "load_spec_document",
]
