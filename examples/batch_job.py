"""Run a batch job: upload the requests as a JSONL mock_file, start the mock_job, poll it a few times (backing off)."""

import io
import json
import time
from uuid import UUID

from _connect import connect

from mistral_sdk import File
from mistral_sdk.testing import ScriptedResponse

questions = ["What is the capital of France?", "Name a French cheese.", "How tall is the Eiffel Tower?"]
lines = [{"custom_id": str(i), "body": {"messages": [{"role": "user", "content": q}]}} for i, q in enumerate(questions)]
content = "".join(json.dumps(line) + "\n" for line in lines).encode()
FINAL = {"SUCCESS", "FAILED", "TIMEOUT_EXCEEDED", "CANCELLED"}

# What the mock answers (the real API never sees these): its generic job's id is not a UUID to poll with.
mock_file = {"id": "5f3c2b1a-8d7e-4c6b-9a5f-1e2d3c4b5a69", "object": "file", "bytes": len(content), "created_at": 0}
mock_file |= {"filename": "questions.jsonl", "purpose": "batch", "sample_type": "batch_request", "source": "upload"}
mock_job = {"id": "0b9e5d4a-2c71-4f0e-9a8b-3d6c1e7f2a10", "endpoint": "/v1/chat/completions", "created_at": 0}
mock_job |= {"errors": [], "input_files": [mock_file["id"]], "total_requests": 3, "failed_requests": 0}
steps = [("QUEUED", 0), ("RUNNING", 2), ("SUCCESS", 3)]
mock_jobs = [{**mock_job, "status": s, "completed_requests": n, "succeeded_requests": n} for s, n in steps]

with connect([ScriptedResponse(json=body) for body in [mock_file, *mock_jobs]]) as client:
    source = File(payload=io.BytesIO(content), file_name="questions.jsonl", mime_type="application/jsonl")
    upload = client.files.upload(file=source, purpose="batch")
    job = client.batch.jobs.create(
        endpoint="/v1/chat/completions", input_files=[upload.id], model="mistral-small-latest"
    )
    print(f"job {job.id} created from {upload.filename}: {job.status}, {job.total_requests} requests")
    delays = [1, 2, 4, 8, 16]
    while job.status not in FINAL and delays:
        time.sleep(delays.pop(0))
        job = client.batch.jobs.get(UUID(job.id))
        print(f"  {job.status}: {job.completed_requests}/{job.total_requests} done, {job.failed_requests} failed")
    print(f"finished: {job.status}" if job.status in FINAL else "still running: look again later")
