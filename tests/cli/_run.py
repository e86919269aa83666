"""Running the ``mistral-sdk`` command in a child process, as a user would, against a chosen server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping

MODULE_COMMAND = (sys.executable, "-m", "mistral_sdk")
#: What the client reads from the environment (others, like the mock's cache folder, are kept).
CLIENT_SETTINGS = frozenset({"MISTRAL_API_KEY", "MISTRAL_BASE_URL"})


def environment(**mistral: str) -> dict[str, str]:
    """This process's environment without the client's MISTRAL_* settings, plus the given ones (api_key=...)."""
    env = {k: v for k, v in os.environ.items() if k not in CLIENT_SETTINGS}
    env.update({f"MISTRAL_{name.upper()}": value for name, value in mistral.items()})
    return env


def run_cli(
    *args: str, env: Mapping[str, str], command: tuple[str, ...] = MODULE_COMMAND
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command, *args], capture_output=True, text=True, env=dict(env), timeout=60, check=False)


def assert_one_error_line(result: subprocess.CompletedProcess[str], expected_status: int, *fragments: str) -> str:
    """The command failed with ``expected_status`` and said why in exactly one line, with no traceback."""
    assert result.returncode == expected_status, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mistral-sdk"), lines[0]
    assert ": error: " in lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]
