"""Hand-written requests for the calls whose real scenario needs more than the smallest valid request.

Keyed by operation id, with ``#stream`` for the streaming call of an operation that answers both
JSON and SSE. A case stays here where it says something a derived one cannot: a streaming chat with
realistic messages, a transcription giving its audio exactly one way, ids in the shapes the API uses,
uploads with their real media types. Every other call gets the case derived from the spec
(``derive.py``); a call neither can serve fails, naming it. A case whose operation left the spec fails.
"""

from __future__ import annotations

import os

from mistral_sdk.testing import Operation

from .derive import RequiredOnly, derive_case
from .sdk_adapter import Case

FILE_ID = "3b6d3c68-2c1e-4c3f-9a55-6a0a4c5e7f10"
USER = {"role": "user", "content": "Write a haiku about the sea."}
CHAT = {"model": "mistral-small-latest", "messages": [USER], "temperature": 0.2, "max_tokens": 64}
FIM = {"model": "codestral-latest", "prompt": "def fibonacci(n):", "suffix": "    return a", "max_tokens": 32}
AGENT = {"agent_id": "ag_0123456789abcdef", "messages": [USER]}
TRAINING_LINE = b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n'
JOB_ID = "7ad642c1-fc6c-4c35-a9bd-d8a8e0ae3c2a"
FT_MODEL = "ft:open-mistral-7b:587a6b29:20240514:7e773925"
VOICE_ID = "c0a8e2f4-5b1d-4e9a-8f3c-2d7b6a1e9f04"
CONVERSATION_ID = "conv_0195f3a8c2e47d1b9a6c5e2f8d4b7a10"
ENTRY_ID = "msg_0195f3a8c2e47d1b9a6c5e2f8d4b7a11"
AGENT_ID = "ag_0195f3a8c2e47d1b9a6c5e2f8d4b7a12"
LIBRARY_ID = "5e1c7a9b-3f2d-4b8e-a6c1-9d0f2e4b7a35"
DOCUMENT_ID = "a4f9c2e1-7b3d-4e6a-9c8f-1b2d3e4f5a60"
USER_UUID = "b8d2e4f6-1a3c-4e5b-9d7f-2c4e6a8b0d12"
# a RIFF/WAVE header with no samples: enough for a multipart audio part
TINY_WAV = (
    b"RIFF$\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00@\x1f\x00\x00"
    b"\x80>\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"
)
TRANSCRIPTION = {
    "model": "voxtral-mini-latest",
    "file": TINY_WAV,
    "language": "en",
    "timestamp_granularities": ["segment"],
}
WAV_PART = {"file": ("hello.wav", "audio/wav")}
SPEECH = {
    "model": "voxtral-mini-tts-latest",
    "input": "Bonjour à tous.",
    "voice_id": "en_paul_neutral",
    "response_format": "mp3",
}
CONVERSATION = {
    "model": "mistral-medium-latest",
    "inputs": "Which planet has the most moons?",
    "instructions": "Answer in one sentence.",
    "store": True,
}
APPEND = {"inputs": [{"role": "user", "content": "And the second most?"}]}
RESTART = {"inputs": "Which planet has the largest moon?", "from_entry_id": ENTRY_ID}
NEW_AGENT = {
    "model": "mistral-medium-latest",
    "name": "Astronomy helper",
    "description": "Answers questions about the solar system.",
    "instructions": "Answer briefly and cite your source.",
    "tools": [{"type": "web_search"}],
    "completion_args": {"temperature": 0.3},
}

CASES: dict[str, Case] = {
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
    "files_api_routes_get_signed_url": Case(params={"file_id": FILE_ID, "expiry": 24}),
    "jobs_api_routes_fine_tuning_get_fine_tuning_jobs": Case(
        params={"page": 0, "page_size": 20, "status": "RUNNING", "created_by_me": True}
    ),
    "jobs_api_routes_fine_tuning_create_fine_tuning_job": Case(
        params={"dry_run": False},
        body={
            "model": "open-mistral-nemo",
            "training_files": [{"file_id": FILE_ID, "weight": 1.0}],
            "suffix": "support-bot",
            "auto_start": False,
            "hyperparameters": {"training_steps": 10, "learning_rate": 0.0001},
        },
    ),
    "jobs_api_routes_fine_tuning_update_fine_tuned_model": Case(
        params={"model_id": FT_MODEL}, body={"name": "support-bot-v2", "description": "Answers support tickets."}
    ),
    "jobs_api_routes_fine_tuning_archive_fine_tuned_model": Case(params={"model_id": FT_MODEL}),
    "jobs_api_routes_fine_tuning_unarchive_fine_tuned_model": Case(params={"model_id": FT_MODEL}),
    "jobs_api_routes_batch_get_batch_jobs": Case(params={"page": 0, "page_size": 20, "model": "mistral-small-latest"}),
    "jobs_api_routes_batch_create_batch_job": Case(
        body={
            "input_files": [FILE_ID],
            "endpoint": "/v1/chat/completions",
            "model": "mistral-small-latest",
            "metadata": {"project": "support"},
            "timeout_hours": 24,
        }
    ),
    "jobs_api_routes_batch_get_batch_job": Case(params={"job_id": JOB_ID, "inline": False}),
    "audio_api_v1_transcriptions_post": Case(body=TRANSCRIPTION, files=WAV_PART),
    "audio_api_v1_transcriptions_post_stream#stream": Case(body={**TRANSCRIPTION, "stream": True}, files=WAV_PART),
    "speech_v1_audio_speech_post": Case(body=SPEECH),
    "speech_v1_audio_speech_post#stream": Case(body={**SPEECH, "stream": True}),
    "list_voices_v1_audio_voices_get": Case(params={"limit": 10, "offset": 0}),
    "create_voice_v1_audio_voices_post": Case(
        body={
            "name": "Narrator",
            "languages": ["en", "fr"],
            "tags": ["calm"],
            "sample_audio": "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=",
            "sample_filename": "narrator.wav",
        }
    ),
    "update_voice_v1_audio_voices__voice_id__patch": Case(
        params={"voice_id": VOICE_ID}, body={"name": "Narrator (calm)"}
    ),
    "agents_api_v1_conversations_list": Case(params={"page": 0, "page_size": 20}),
    "agents_api_v1_conversations_start": Case(body=CONVERSATION),
    "agents_api_v1_conversations_start_stream#stream": Case(body={**CONVERSATION, "stream": True}),
    "agents_api_v1_conversations_append": Case(params={"conversation_id": CONVERSATION_ID}, body=APPEND),
    "agents_api_v1_conversations_append_stream#stream": Case(
        params={"conversation_id": CONVERSATION_ID}, body={**APPEND, "stream": True}
    ),
    "agents_api_v1_conversations_restart": Case(params={"conversation_id": CONVERSATION_ID}, body=RESTART),
    "agents_api_v1_conversations_restart_stream#stream": Case(
        params={"conversation_id": CONVERSATION_ID}, body={**RESTART, "stream": True}
    ),
    "agents_api_v1_agents_list": Case(params={"page": 0, "page_size": 20, "sources": ["api"]}),
    "agents_api_v1_agents_list_pages": Case(params={"page_size": 20, "name": "Astronomy helper"}),
    "agents_api_v1_agents_create": Case(body=NEW_AGENT),
    "agents_api_v1_agents_update": Case(
        params={"agent_id": AGENT_ID}, body={"instructions": "Answer briefly.", "version_message": "shorter answers"}
    ),
    "agents_api_v1_agents_update_version": Case(params={"agent_id": AGENT_ID, "version": 2}),
    "agents_api_v1_agents_list_versions": Case(params={"agent_id": AGENT_ID, "page": 0, "page_size": 20}),
    "agents_api_v1_agents_get_version": Case(params={"agent_id": AGENT_ID, "version": "2"}),
    "agents_api_v1_agents_create_or_update_alias": Case(
        params={"agent_id": AGENT_ID, "alias": "production", "version": 2}
    ),
    "agents_api_v1_agents_delete_alias": Case(params={"agent_id": AGENT_ID, "alias": "production"}),
    "libraries_create_v1": Case(body={"name": "Support articles", "description": "Public help-centre pages."}),
    "libraries_update_v1": Case(params={"library_id": LIBRARY_ID}, body={"description": "Help-centre pages, 2026."}),
    "libraries_documents_list_v1": Case(
        params={"library_id": LIBRARY_ID, "search": "refund", "page_size": 20, "page": 0}
    ),
    "libraries_documents_upload_v1": Case(
        params={"library_id": LIBRARY_ID},
        body={"file": b"# Refunds\n\nRefunds are issued within 14 days.\n"},
        files={"file": ("refunds.md", "text/markdown")},
    ),
    "libraries_documents_update_v1": Case(
        params={"library_id": LIBRARY_ID, "document_id": DOCUMENT_ID},
        body={"name": "refunds.md", "attributes": {"reviewed": True, "team": "support"}},
    ),
    "libraries_share_create_v1": Case(
        params={"library_id": LIBRARY_ID},
        body={"share_with_uuid": USER_UUID, "share_with_type": "User", "level": "Viewer"},
    ),
    "libraries_share_delete_v1": Case(
        params={"library_id": LIBRARY_ID}, body={"share_with_uuid": USER_UUID, "share_with_type": "User"}
    ),
}


def case_for(tools: RequiredOnly, op: Operation, key: str, streaming: bool) -> Case:
    """The hand-written case of a call, or the one derived from the spec (CaseSynthesisError if none can be)."""
    hand_written = CASES.get(key)
    if hand_written is not None and not os.environ.get("CONTRACT_DERIVE_ALL"):
        return hand_written
    return derive_case(tools, op, streaming)
