"""Requests built by the generated code, checked byte for byte on a real loopback server."""

from __future__ import annotations

import json
import uuid
from email import message_from_bytes
from email.message import Message
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

from mistral_sdk._generated.api.chat import chat_completion_v1_chat_completions_post as chat_completion
from mistral_sdk._generated.api.files import (
    files_api_routes_download_file,
    files_api_routes_list_files,
    files_api_routes_upload_file,
)
from mistral_sdk._generated.api.models import retrieve_model_v1_models_model_id_get as retrieve_model
from mistral_sdk._generated.client import AuthenticatedClient
from mistral_sdk._generated.types import File
from mistral_sdk.models import (
    ChatCompletionRequest,
    FilePurpose,
    FilesApiRoutesUploadFileBody,
    FileVisibility,
    SystemMessage,
    UserMessage,
)
from tests.generator.conftest import Recorder

CHAT_REPLY = {
    "id": "cmpl-1",
    "object": "chat.completion",
    "model": "mistral-small-latest",
    "created": 1_700_000_000,
    "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11},
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hi!"}}],
}
UPLOAD_REPLY = {
    "id": "6f1e7c52-3b3a-4f4e-9a51-2d0c1f7b9e10",
    "object": "file",
    "bytes": 32,
    "created_at": 1_700_000_000,
    "filename": "batch.jsonl",
    "purpose": "batch",
    "sample_type": "batch_request",
    "source": "upload",
}


def _client(recorder: Recorder) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=recorder.url, token="test-key")


def _form_parts(content_type: str, body: bytes) -> dict[str, Message]:
    message = message_from_bytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    assert message.is_multipart()
    return {part.get_param("name", header="content-disposition"): part for part in message.get_payload()}  # type: ignore[misc, union-attr]


def test_json_body_is_sent_as_the_api_expects(recorder: Recorder) -> None:
    request = ChatCompletionRequest(
        model="mistral-small-latest",
        messages=[SystemMessage(content="Be brief."), UserMessage(content="Hello")],
        temperature=0.2,
        max_tokens=16,
    )
    recorder.reply = (200, "application/json", json.dumps(CHAT_REPLY).encode())
    response = chat_completion.sync_detailed(client=_client(recorder), body=request)
    assert response.status_code == 200

    sent = recorder.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/v1/chat/completions")
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["authorization"] == "Bearer test-key"
    payload = json.loads(sent.body)
    assert payload["model"] == "mistral-small-latest"
    assert payload["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hello"},
    ]
    assert payload["temperature"] == 0.2
    assert payload["max_tokens"] == 16


def test_query_parameters_are_encoded(recorder: Recorder) -> None:
    recorder.reply = (200, "application/json", b'{"data": [], "object": "list", "total": 0}')
    files_api_routes_list_files.sync_detailed(
        client=_client(recorder), page=2, page_size=5, purpose=FilePurpose.BATCH, search="report q3"
    )

    sent = urlsplit(recorder.requests[-1].path)
    assert sent.path == "/v1/files"
    query = parse_qs(sent.query)
    assert query["page"] == ["2"]
    assert query["page_size"] == ["5"]
    assert query["purpose"] == ["batch"]
    assert query["search"] == ["report q3"]


def test_path_parameter_is_quoted(recorder: Recorder) -> None:
    retrieve_model.sync_detailed("ft:open-mistral-7b:abc/1", client=_client(recorder))

    assert recorder.requests[-1].path == "/v1/models/ft%3Aopen-mistral-7b%3Aabc%2F1"


def test_multipart_upload_sends_plain_strings(recorder: Recorder) -> None:
    content = b'{"prompt": "a"}\n{"prompt": "b"}\n'
    body = FilesApiRoutesUploadFileBody(
        file=File(payload=BytesIO(content), file_name="batch.jsonl", mime_type="application/jsonl"),
        visibility=FileVisibility.USER,
        purpose=FilePurpose.BATCH,
    )
    recorder.reply = (200, "application/json", json.dumps(UPLOAD_REPLY).encode())
    response = files_api_routes_upload_file.sync_detailed(client=_client(recorder), body=body)
    assert response.parsed is not None and response.parsed.filename == "batch.jsonl"

    sent = recorder.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/v1/files")
    parts = _form_parts(sent.headers["content-type"], sent.body)
    assert parts["visibility"].get_payload(decode=True) == b"user"  # the plain string, not "{}"
    assert parts["purpose"].get_payload(decode=True) == b"batch"
    assert parts["file"].get_filename() == "batch.jsonl"
    assert parts["file"].get_content_type() == "application/jsonl"
    assert parts["file"].get_payload(decode=True) == content


def test_binary_download_keeps_every_byte(recorder: Recorder) -> None:
    blob = bytes(range(256)) * 4
    recorder.reply = (200, "application/octet-stream", blob)
    file_id = uuid.UUID("6f1e7c52-3b3a-4f4e-9a51-2d0c1f7b9e10")

    response = files_api_routes_download_file.sync_detailed(file_id, client=_client(recorder))

    assert recorder.requests[-1].path == f"/v1/files/{file_id}/content"
    assert response.parsed is not None
    assert response.parsed.payload.read() == blob
