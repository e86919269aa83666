"""One realistic request per operation (and per streaming mode) of openapi.yaml.

Keyed by operation id, with ``#stream`` for the streaming call of an operation that answers both
JSON and SSE. The suite fails for any operation of the spec without a case here, and for any case
whose operation left the spec.
"""

from __future__ import annotations

from .sdk_adapter import Case

FILE_ID = "3b6d3c68-2c1e-4c3f-9a55-6a0a4c5e7f10"
USER = {"role": "user", "content": "Write a haiku about the sea."}
CHAT = {"model": "mistral-small-latest", "messages": [USER], "temperature": 0.2, "max_tokens": 64}
FIM = {"model": "codestral-latest", "prompt": "def fibonacci(n):", "suffix": "    return a", "max_tokens": 32}
AGENT = {"agent_id": "ag_0123456789abcdef", "messages": [USER]}
TRAINING_LINE = b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n'

CASES: dict[str, Case] = {
    "list_models_v1_models_get": Case(),
    "retrieve_model_v1_models__model_id__get": Case(params={"model_id": "mistral-small-latest"}),
    "delete_model_v1_models__model_id__delete": Case(
        params={"model_id": "ft:open-mistral-7b:587a6b29:20240514:7e773925"}
    ),
    "chat_completion_v1_chat_completions_post": Case(body=CHAT),
    "chat_completion_v1_chat_completions_post#stream": Case(body={**CHAT, "stream": True}),
    "fim_completion_v1_fim_completions_post": Case(body=FIM),
    "fim_completion_v1_fim_completions_post#stream": Case(body={**FIM, "stream": True}),
    "agents_completion_v1_agents_completions_post": Case(body=AGENT),
    "agents_completion_v1_agents_completions_post#stream": Case(body={**AGENT, "stream": True}),
    "embeddings_v1_embeddings_post": Case(body={"model": "mistral-embed", "input": ["first text", "second text"]}),
    "moderations_v1_moderations_post": Case(body={"model": "mistral-moderation-latest", "input": "some text"}),
    "chat_moderations_v1_chat_moderations_post": Case(body={"model": "mistral-moderation-latest", "input": [USER]}),
    "classifications_v1_classifications_post": Case(body={"model": "ft:classifier:abc", "input": ["some text"]}),
    "chat_classifications_v1_chat_classifications_post": Case(
        body={"model": "ft:classifier:abc", "input": [{"messages": [USER]}]}
    ),
    "ocr_v1_ocr_post": Case(
        body={
            "model": "mistral-ocr-latest",
            "document": {"type": "document_url", "document_url": "https://example.com/a.pdf"},
        }
    ),
    "files_api_routes_list_files": Case(params={"page": 0, "page_size": 10}),
    "files_api_routes_upload_file": Case(
        body={"file": TRAINING_LINE, "purpose": "fine-tune"}, files={"file": ("train.jsonl", "application/jsonl")}
    ),
    "files_api_routes_retrieve_file": Case(params={"file_id": FILE_ID}),
    "files_api_routes_delete_file": Case(params={"file_id": FILE_ID}),
    "files_api_routes_download_file": Case(params={"file_id": FILE_ID}),
    "files_api_routes_get_signed_url": Case(params={"file_id": FILE_ID, "expiry": 24}),
}
