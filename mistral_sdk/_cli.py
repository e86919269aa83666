"""The ``mistral-sdk`` command: a streamed chat, the model list and embeddings, from a terminal.

Without ``MISTRAL_API_KEY`` it starts the embedded mock server and says so in one line, so the first
command a new user types works with no account. Failures print one line on stderr and exit non-zero,
never a traceback: a person reads this output, and a traceback buries the one fact they need.

Only ``argparse`` and a few small stdlib modules load at start; the SDK is imported once a command runs,
so ``--help`` and argument errors answer at once.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

if TYPE_CHECKING:
    from mistral_sdk._client import Mistral

__all__ = ["CLIError", "run"]

PROG = "mistral-sdk"
DEFAULT_CHAT_MODEL = "mistral-small-latest"
DEFAULT_EMBED_MODEL = "mistral-embed"
#: Events and seconds between them asked of the embedded mock, so its answer streams visibly, like a model's.
MOCK_STREAM_EVENTS = 30
MOCK_STREAM_DELAY = 0.04
#: Exit statuses: 1 the request failed, 2 the command line is wrong (argparse's convention), 130 Ctrl-C.
EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130


class CLIError(Exception):
    """A failure the user can act on; its message is printed as the command's one line of error."""


class Output:
    """stdout as the commands write it: flushed at each write (the point of streaming) and aware of
    whether the cursor sits mid-line, so a later error or summary starts on a line of its own."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.mid_line = False

    def write(self, text: str) -> None:
        if text:
            self._stream.write(text)
            self._stream.flush()
            self.mid_line = not text.endswith("\n")

    def end_line(self) -> None:
        if self.mid_line:
            self.write("\n")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints the whole usage block first; one line that points at --help is easier to read.
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def _temperature(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value < float("inf"):  # also rejects NaN
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from mistral_sdk._version import __version__

    parser = _Parser(
        prog=PROG,
        description="Talk to the Mistral API from a terminal. Uses MISTRAL_API_KEY (and MISTRAL_BASE_URL); "
        "without a key, an embedded mock server answers.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    chat = commands.add_parser("chat", help="stream a chat answer, then its finish reason, usage and latencies")
    chat.add_argument("prompt", nargs="+", help="the user message (several words are joined by spaces)")
    chat.add_argument("--model", default=DEFAULT_CHAT_MODEL, help=f"model id (default {DEFAULT_CHAT_MODEL})")
    chat.add_argument("--system", help="a system message sent before the prompt")
    chat.add_argument("--temperature", type=_temperature, help="sampling temperature (the model's default if unset)")
    chat.add_argument("--max-tokens", type=_positive_int, help="stop after this many generated tokens")
    chat.add_argument("--json", action="store_true", help="print each raw chunk as one JSON line instead")
    chat.add_argument("--no-stream", action="store_true", help="wait for the whole answer instead of streaming")

    models = commands.add_parser("models", help="list the available models as a table")
    models.add_argument("--json", action="store_true", help="print the raw model list as JSON instead")

    embed = commands.add_parser("embed", help="embed one or more texts")
    embed.add_argument("texts", nargs="+", metavar="TEXT", help="a text to embed (one vector each)")
    embed.add_argument("--model", default=DEFAULT_EMBED_MODEL, help=f"model id (default {DEFAULT_EMBED_MODEL})")
    embed.add_argument("--json", action="store_true", help="print the raw response as JSON instead")
    return parser


# -- which server ---------------------------------------------------------------------------------


@contextlib.contextmanager
def connect(err: TextIO) -> Iterator[Mistral]:
    """The real API when MISTRAL_API_KEY is set, else a client of an embedded mock server started here."""
    from mistral_sdk import Mistral
    from mistral_sdk._base_client import DEFAULT_TIMEOUT

    if os.environ.get("MISTRAL_API_KEY", "").strip():
        with Mistral() as client:
            yield client
        return
    if os.environ.get("MISTRAL_BASE_URL", "").strip():
        # A base URL without a key is a half-configured environment: answering from the mock would hide it.
        raise CLIError("MISTRAL_BASE_URL is set but MISTRAL_API_KEY is not (set both, or neither for the mock server)")
    from mistral_sdk.testing import DELAY_HEADER, EVENTS_HEADER, MockServer, SpecError

    mock = MockServer()
    try:
        mock.start()
    except ImportError as exc:
        raise CLIError(
            f"MISTRAL_API_KEY is not set and the mock server needs the testing extra "
            f"(pip install 'mistral-sdk[testing]'): {exc}"
        ) from None
    except (SpecError, OSError) as exc:
        raise CLIError(f"MISTRAL_API_KEY is not set and the mock server could not start: {exc}") from None
    try:
        print(f"MISTRAL_API_KEY is not set: using the embedded mock Mistral server at {mock.url}", file=err, flush=True)
        pacing = {EVENTS_HEADER: str(MOCK_STREAM_EVENTS), DELAY_HEADER: str(MOCK_STREAM_DELAY)}
        # The mock is in this process, on loopback: a proxy from the environment must not be asked for it.
        import httpx

        local = httpx.Client(trust_env=False)
        with Mistral(
            api_key="mock-key", base_url=mock.url, default_headers=pacing, http_client=local, timeout=DEFAULT_TIMEOUT
        ) as client:
            yield client
    finally:
        mock.stop()


# -- commands -------------------------------------------------------------------------------------


def _chat(args: argparse.Namespace, client: Mistral, out: Output) -> None:
    import json

    from mistral_sdk import new_chat_completion_request, new_system_message_from_string, new_user_message_from_string

    messages: list[Any] = [new_user_message_from_string(" ".join(args.prompt))]
    if args.system is not None:
        messages.insert(0, new_system_message_from_string(args.system))
    request = new_chat_completion_request(
        args.model, messages, temperature=args.temperature, max_tokens=args.max_tokens
    )
    if args.no_stream:
        started = time.perf_counter()
        response = client.chat_completion(request)
        elapsed = time.perf_counter() - started
        body = response.to_dict()
        if args.json:
            out.write(json.dumps(body, ensure_ascii=False) + "\n")
            return
        choice = (body.get("choices") or [{}])[0]
        text = _message_text(choice.get("message", {}).get("content"))
        out.write(text)
        out.end_line()
        out.write("\n")
        _summary(out, choice.get("finish_reason"), body.get("usage"), f"total {elapsed:.3f} s")
        return
    with client.chat_completion_stream(request) as stream:
        first_latency: float | None = None
        for chunk in stream:
            if args.json:
                out.write(json.dumps(chunk.raw, ensure_ascii=False) + "\n")
                continue
            if first_latency is None:
                first_latency = chunk.chunk_latency
            out.write(chunk.text)
            if chunk.is_last_chunk:
                out.end_line()
                out.write("\n")
                latency = f"first chunk {(first_latency or 0.0) * 1000:.0f} ms, total {chunk.total_latency:.3f} s"
                usage = chunk.raw.get("usage")
                _summary(out, chunk.finish_reason(), usage, f"{latency}, {len(stream.chunks)} chunks")


def _message_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: keep the text ones
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def _summary(out: Output, finish_reason: object, usage: object, latency: str) -> None:
    out.write(f"finish reason: {finish_reason if finish_reason is not None else 'none'}\n")
    if isinstance(usage, dict):
        prompt, completion, total = (usage.get(k, "?") for k in ("prompt_tokens", "completion_tokens", "total_tokens"))
        out.write(f"usage: {prompt} prompt + {completion} completion = {total} tokens\n")
    else:
        out.write("usage: not reported\n")
    out.write(f"latency: {latency}\n")


def _models(args: argparse.Namespace, client: Mistral, out: Output) -> None:
    body = client.models.list().to_dict()
    if args.json:
        import json

        out.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
        return
    rows = [("ID", "CONTEXT", "CAPABILITIES", "ALIASES")]
    for card in body.get("data") or []:
        capabilities = card.get("capabilities") or {}
        rows.append(
            (
                str(card.get("id", "")),
                str(card.get("max_context_length", "")),
                ",".join(name for name, on in capabilities.items() if on is True) or "-",
                ",".join(card.get("aliases") or []) or "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[3] + "\n")
    out.write(f"{len(rows) - 1} models\n")


def _embed(args: argparse.Namespace, client: Mistral, out: Output) -> None:
    body = client.embeddings.create(model=args.model, input=list(args.texts)).to_dict()
    if args.json:
        import json

        out.write(json.dumps(body, ensure_ascii=False) + "\n")
        return
    for item in body.get("data") or []:
        index = item.get("index", 0)
        vector = item.get("embedding") or []
        head = ", ".join(f"{x:.4f}" for x in vector[:4]) + (", ..." if len(vector) > 4 else "")
        text = args.texts[index] if isinstance(index, int) and 0 <= index < len(args.texts) else "?"
        shown = text if len(text) <= 40 else text[:37] + "..."
        out.write(f"{index}  {len(vector)} dimensions  [{head}]  {shown!r}\n")
    usage = body.get("usage") or {}
    out.write(f"model: {body.get('model', args.model)}, {usage.get('prompt_tokens', '?')} tokens\n")


_COMMANDS = {"chat": _chat, "models": _models, "embed": _embed}


# -- errors ---------------------------------------------------------------------------------------


def describe(exc: BaseException, base_url: str | None) -> str:
    """One line saying what went wrong, in the user's terms (never the API key: the SDK's errors omit it)."""
    from mistral_sdk._exceptions import (
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        StreamError,
        UnprocessableEntityError,
    )

    where = base_url or "the server"
    if isinstance(exc, CLIError):
        return str(exc)
    if isinstance(exc, StreamError):
        return f"the answer stream broke after {len(exc.chunks)} chunks: {exc.message}"
    if isinstance(exc, AuthenticationError):
        return f"{where} refused the API key (401): check MISTRAL_API_KEY"
    if isinstance(exc, UnprocessableEntityError) and exc.details:
        problems = "; ".join(str(d) for d in exc.details[:3])
        return f"the request was rejected (422): {problems}"
    if isinstance(exc, APIStatusError):
        return str(exc).replace("Error code: ", "the server answered ", 1)
    if isinstance(exc, APITimeoutError):
        return f"{where} did not answer in time"
    if isinstance(exc, APIConnectionError):
        cause = exc.__cause__
        return f"cannot connect to {where}" + (f" ({cause})" if cause is not None and str(cause) else "")
    return f"{type(exc).__name__}: {exc}"


def run(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command; returns the exit status (the caller exits with it)."""
    output = Output(sys.stdout if out is None else out)
    err = sys.stderr if err is None else err
    args = build_parser().parse_args(argv)
    base_url: str | None = None
    try:
        with connect(err) as client:
            base_url = client.base_url
            _COMMANDS[args.command](args, client, output)
    except KeyboardInterrupt:
        output.end_line()
        err.write("interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): not an error of ours. Point stdout at devnull so the
        # interpreter's final flush does not complain either.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
    except Exception as exc:
        with contextlib.suppress(Exception):
            output.end_line()  # a streamed answer may have stopped mid-line: the error gets its own line
        err.write(f"{PROG}: error: {describe(exc, base_url)}\n")
        return EXIT_FAILURE
    return 0
