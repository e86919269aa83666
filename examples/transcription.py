"""Transcribe audio: a file you name on the command line, else a short tone made in memory (so the example
runs anywhere); then print the text and its segments."""

import io
import math
import struct
import sys
import wave
from pathlib import Path

from _connect import connect

from mistral_sdk import File


def tone(seconds: float = 0.5, rate: int = 8000) -> bytes:
    """A 440 Hz mono WAV: real audio bytes, though there is nothing in it to transcribe."""
    samples = (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setparams((1, 2, rate, 0, "NONE", "not compressed"))  # mono, 16-bit
        wav.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return buffer.getvalue()


path = Path(sys.argv[1]) if len(sys.argv) > 1 else None
audio = path.read_bytes() if path else tone()
name = path.name if path else "tone.wav"

with connect() as client:
    result = client.audio.transcriptions.complete(
        model="voxtral-mini-latest", file=File(payload=io.BytesIO(audio), file_name=name, mime_type="audio/wav")
    )
    print(f"{name} ({len(audio)} bytes), language={result.language}:\n{result.text}")
    for segment in result.segments or []:
        print(f"  [{segment.start:6.2f}s - {segment.end:6.2f}s] {segment.text}")
