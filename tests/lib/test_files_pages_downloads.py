"""File inputs, pages over list operations and streamed downloads, against the mock server."""

from __future__ import annotations

import io
import pathlib
from typing import Any

import pytest

from mistral_sdk import AsyncMistral, File, Mistral, StreamError
from mistral_sdk.lib._binary import BinaryResponse, PendingBinaryResponse
from mistral_sdk.lib._files import open_file, to_file
from mistral_sdk.lib._pagination import AsyncPaginator, SyncPage, has_more
from mistral_sdk.testing import Fault, MockServer, ScriptedResponse

# -- file inputs -----------------------------------------------------------------------------------


def test_to_file_accepts_every_input(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_bytes(b'{"a": 1}\n')
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF")

    cases: list[tuple[Any, str, str | None, bytes]] = [
        (str(path), "train.jsonl", None, b'{"a": 1}\n'),
        (pdf, "report.pdf", "application/pdf", b"%PDF"),
        (b"raw", "upload", "application/octet-stream", b"raw"),
        (("notes.txt", "héllo"), "notes.txt", "text/plain", "héllo".encode()),
        (("data.bin", b"\x00\x01", "application/x-custom"), "data.bin", "application/x-custom", b"\x00\x01"),
        (("img.png", io.BytesIO(b"png")), "img.png", "image/png", b"png"),
    ]
    for value, filename, mime, content in cases:
        with open_file(value) as file:
            assert file.file_name == filename
            if mime is not None:
                assert file.mime_type == mime
            assert file.payload.read() == content

    with path.open("rb") as handle:
        file = to_file(handle)
        assert (file.file_name, file.payload) == ("train.jsonl", handle)
    given = File(payload=io.BytesIO(b"x"), file_name="x")
    assert to_file(given) is given


def test_open_file_closes_only_what_it_opened(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"a")
    with open_file(path) as file:
        pass
    assert file.payload.closed
    caller_owned = io.BytesIO(b"b")
    with open_file(("b.txt", caller_owned)):
        pass
    assert not caller_owned.closed


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("/nonexistent/x.jsonl", FileNotFoundError, "file: no file at"),
        (("only-name",), TypeError, "a tuple must be"),
        (("a.txt", 3), TypeError, "expected bytes, text or a binary file"),
        (("a.txt", b"x", 5), TypeError, "MIME type must be a string"),
        (io.StringIO("text"), TypeError, "text mode"),
        (42, TypeError, "got int"),
    ],
)
def test_to_file_refuses_bad_input_clearly(value: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        to_file(value)


def test_files_upload_takes_a_path_and_a_tuple(
    client: Mistral, mistral_mock: MockServer, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(b'{"custom_id": "1"}\n')

    client.files.upload(file=path, purpose="batch")
    client.files.upload(file=("named.jsonl", b"{}\n"), purpose="batch")

    first, second = (r.body for r in mistral_mock.requests)
    assert b'filename="batch.jsonl"' in first and b'{"custom_id": "1"}' in first
    assert b'filename="named.jsonl"' in second
    mistral_mock.assert_no_violations()


@pytest.mark.anyio
async def test_async_files_upload_takes_bytes(aclient: AsyncMistral, mistral_mock: MockServer) -> None:
    await aclient.files.upload(file=("a.jsonl", b"{}\n"), purpose="batch")
    assert b'filename="a.jsonl"' in mistral_mock.requests[0].body
    mistral_mock.assert_no_violations()


def test_every_file_parameter_takes_file_inputs(
    client: Mistral, mistral_mock: MockServer, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    audio = tmp_path / "memo.mp3"
    audio.write_bytes(b"ID3-audio")
    opened: list[Any] = []
    real_open = open

    def spying_open(*args: Any, **kwargs: Any) -> Any:
        handle = real_open(*args, **kwargs)
        opened.append(handle)
        return handle

    monkeypatch.setattr("builtins.open", spying_open)
    client.audio.transcriptions.complete(model="voxtral-mini-latest", file=audio)
    monkeypatch.undo()
    assert opened and all(handle.closed for handle in opened)  # the path was opened for the request only
    sent = mistral_mock.requests[-1].body
    assert b'filename="memo.mp3"' in sent and b"ID3-audio" in sent and b"audio/mpeg" in sent

    library = "00000000-0000-0000-0000-00000000000a"
    client.beta.libraries.documents.upload(library, file=("notes.md", "# Notes", "text/markdown"))
    sent = mistral_mock.requests[-1].body
    assert b'filename="notes.md"' in sent and b"# Notes" in sent and b"text/markdown" in sent
    with pytest.raises(TypeError, match="file: expected a path"):
        client.files.upload(file=42)  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_async_file_parameters_take_paths(
    aclient: AsyncMistral, mistral_mock: MockServer, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(b'{"custom_id": "2"}\n')
    await aclient.files.upload(file=path, purpose="batch")
    assert b'filename="batch.jsonl"' in mistral_mock.requests[-1].body
    async with aclient.audio.transcriptions.stream(model="voxtral-mini-latest", file=b"RIFF") as stream:
        async for _ in stream:
            pass
    assert b"RIFF" in mistral_mock.requests[-1].body
    mistral_mock.assert_no_violations()


# -- pages -----------------------------------------------------------------------------------------


def _file(n: int) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-0000-0000-{n:012d}",
        "object": "file",
        "bytes": 1,
        "created_at": 1,
        "filename": f"f{n}.jsonl",
        "purpose": "batch",
        "sample_type": "batch_request",
        "source": "upload",
    }


def _enqueue_pages(mock: MockServer, sizes: list[int], total: int | None) -> None:
    n = 0
    for size in sizes:
        body: dict[str, Any] = {"object": "list", "data": [_file(n + i) for i in range(size)]}
        if total is not None:
            body["total"] = total
        mock.enqueue(ScriptedResponse(json=body))
        n += size


def test_list_returns_a_page_that_iterates_every_item_lazily(client: Mistral, mistral_mock: MockServer) -> None:
    _enqueue_pages(mistral_mock, [2, 2, 1], total=5)

    page = client.files.list(page_size=2, purpose="batch")
    assert isinstance(page, SyncPage)
    assert page.total == 5 and len(page.items) == 2  # the page's own fields are kept
    assert len(mistral_mock.requests) == 1  # nothing fetched before it is needed
    names = [f.filename for f in page]
    assert names == [f"f{n}.jsonl" for n in range(5)]
    queries = [dict(r.query) for r in mistral_mock.requests]
    assert [(q["page"], q["page_size"], q["purpose"]) for q in queries] == [
        ("0", "2", "batch"),
        ("1", "2", "batch"),
        ("2", "2", "batch"),
    ]  # every other argument is sent again with each page
    assert len(mistral_mock.requests) == 3  # total reached: no fourth request
    mistral_mock.assert_no_violations()


def test_a_page_number_given_starts_there(client: Mistral, mistral_mock: MockServer) -> None:
    _enqueue_pages(mistral_mock, [1, 0], total=None)
    page = client.files.list(page=3, page_size=1)
    assert page.number == 3 and [f.filename for f in page] == ["f0.jsonl"]
    assert [dict(r.query)["page"] for r in mistral_mock.requests] == ["3", "4"]


def test_raw_list_is_the_first_page_with_its_response(client: Mistral, mistral_mock: MockServer) -> None:
    _enqueue_pages(mistral_mock, [2, 1], total=3)
    raw = client.with_raw_response.files.list(page_size=2)
    assert raw.status_code == 200 and isinstance(raw.parsed, SyncPage)
    assert [f.filename for f in raw.parsed] == ["f0.jsonl", "f1.jsonl", "f2.jsonl"]


def _job(n: int) -> dict[str, Any]:
    counts = {"total_requests": 1, "completed_requests": 1, "succeeded_requests": 1, "failed_requests": 0}
    return {
        "id": f"job-{n}",
        "input_files": [],
        "endpoint": "/v1/chat/completions",
        "errors": [],
        "status": "SUCCESS",
        "created_at": 1,
        **counts,
    }


def test_batch_jobs_list_iterates_jobs_across_pages(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(ScriptedResponse(json={"object": "list", "total": 3, "data": [_job(0), _job(1)]}))
    mistral_mock.enqueue(ScriptedResponse(json={"object": "list", "total": 3, "data": [_job(2)]}))
    assert [job.id for job in client.batch.jobs.list(page_size=2)] == ["job-0", "job-1", "job-2"]
    assert len(mistral_mock.requests) == 2


@pytest.mark.anyio
async def test_async_list_iterates_with_async_for(aclient: AsyncMistral, mistral_mock: MockServer) -> None:
    _enqueue_pages(mistral_mock, [2, 2, 0], total=None)

    paginator = aclient.files.list(page_size=2)
    assert isinstance(paginator, AsyncPaginator)
    names = [f.filename async for f in paginator]
    assert names == ["f0.jsonl", "f1.jsonl", "f2.jsonl", "f3.jsonl"]
    assert len(mistral_mock.requests) == 3  # the empty third page ends it

    _enqueue_pages(mistral_mock, [1], total=1)
    first = await aclient.files.list()
    assert first.total == 1 and not first.has_next_page()

    _enqueue_pages(mistral_mock, [2, 1], total=3)
    raw = await aclient.with_raw_response.files.list(page_size=2)
    assert raw.status_code == 200
    assert [f.filename async for f in raw.parsed] == ["f0.jsonl", "f1.jsonl", "f2.jsonl"]


@pytest.mark.parametrize(
    ("page", "seen", "count", "page_size", "expected"),
    [
        ({"pagination": {"has_more": False, "total_pages": 9}}, 2, 2, 2, False),
        ({"pagination": {"total_pages": 3, "current_page": 1}}, 4, 2, 2, True),
        ({"pagination": {"total_pages": 3, "current_page": 2}}, 6, 2, 2, False),
        ({"total": 4}, 4, 2, 2, False),
        ({"data": []}, 3, 1, 2, False),
        ({"data": []}, 2, 2, 2, True),
        ({"data": []}, 0, 0, None, False),
    ],
)
def test_has_more(page: Any, seen: int, count: int, page_size: int | None, expected: bool) -> None:
    assert has_more(page, number=0, seen=seen, count=count, page_size=page_size) is expected


# -- streamed downloads ------------------------------------------------------------------------------

FILE_ID = "00000000-0000-0000-0000-000000000001"
BODY = bytes(range(256)) * 4096  # 1 MiB


def test_download_stream_reads_in_pieces(client: Mistral, mistral_mock: MockServer, tmp_path: pathlib.Path) -> None:
    mistral_mock.enqueue(ScriptedResponse(body=BODY))
    with client.files.download_stream(FILE_ID) as download:
        assert isinstance(download, BinaryResponse)
        assert download.content_length == len(BODY)
        pieces = list(download.iter_bytes(chunk_size=65536))
    assert max(len(p) for p in pieces) <= 65536 and len(pieces) >= 16
    assert b"".join(pieces) == BODY

    mistral_mock.enqueue(ScriptedResponse(body=BODY))
    with client.files.download_stream(FILE_ID, timeout=30) as download:
        assert download.write_to_file(tmp_path / "out.bin") == len(BODY)
    assert (tmp_path / "out.bin").read_bytes() == BODY
    assert mistral_mock.requests[-1].path == f"/v1/files/{FILE_ID}/content"
    with pytest.raises(ValueError, match="file_id: not a UUID: 'nope'"):
        client.files.download_stream("nope")

    mistral_mock.enqueue(ScriptedResponse(body=b"bytes form"))
    assert client.files.download(FILE_ID) == b"bytes form"  # the bytes form stays


def test_every_binary_operation_has_a_streamed_twin(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(ScriptedResponse(body=b"RIFF-sample"))
    with client.audio.voices.get_sample_audio_stream("voice-1") as sample:
        assert sample.read() == b"RIFF-sample"
    assert mistral_mock.requests[-1].path == "/v1/audio/voices/voice-1/sample"


def test_a_cut_download_is_a_typed_error(client: Mistral, mistral_mock: MockServer) -> None:
    mistral_mock.enqueue(ScriptedResponse(body=BODY, fault=Fault.disconnect()))
    with client.files.download_stream(FILE_ID) as download, pytest.raises(StreamError):
        download.read()


@pytest.mark.anyio
async def test_async_download_stream(aclient: AsyncMistral, mistral_mock: MockServer, tmp_path: pathlib.Path) -> None:
    mistral_mock.enqueue(ScriptedResponse(body=BODY))
    pending = aclient.files.download_stream(FILE_ID)
    assert isinstance(pending, PendingBinaryResponse)
    assert not mistral_mock.requests  # sent on ``async with`` / ``await``
    async with pending as download:
        assert await download.write_to_file(tmp_path / "a.bin") == len(BODY)
    assert (tmp_path / "a.bin").read_bytes() == BODY

    mistral_mock.enqueue(ScriptedResponse(body=b"small"))
    download = await aclient.files.download_stream(FILE_ID)
    assert await download.read() == b"small"
    await download.close()
