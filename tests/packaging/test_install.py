"""What users install works, not only the editable checkout: build, install the wheel in a fresh venv, run it.

``python -m build`` makes the sdist and then the wheel from that sdist (so a file missing from the sdist
shows up here too). The wheel, with its ``testing`` extra, goes into a new virtualenv that has none of
the dev tools; there, from outside the checkout, ``mistral-sdk chat`` streams from the embedded mock
and one call goes through ``import mistral_sdk``. pip fetches the runtime dependencies from the package
index as a user's pip would (its cache makes later runs quick).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Seconds for each step, about three times what it took on a 2-core machine with a load of 12:
# build 40 s, install 60 s, each run of the SDK 10 s. pytest's timeout is above their sum.
BUILD, INSTALL, RUN = 150, 200, 60

pytestmark = [pytest.mark.integration, pytest.mark.timeout(BUILD + INSTALL + 2 * RUN + 60)]

ONE_CALL = """
import mistral_sdk
from mistral_sdk.testing import MockServer

with MockServer() as mock, mistral_sdk.Mistral(api_key="k", base_url=mock.url) as client:
    models = client.models.list()
    mock.assert_no_violations()
print(mistral_sdk.__file__)
print(len(models.data or []), "models")
"""


def _run(command: list[str], timeout: float, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env, check=False)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_the_built_wheel_installs_and_runs_without_the_checkout(tmp_path: Path) -> None:
    # A user's environment: no MISTRAL_* settings (so the mock answers), nothing pointing into the checkout.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MISTRAL_", "PYTHON", "VIRTUAL_ENV"))}
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], BUILD, tmp_path, env)
    wheels, sdists = list(dist.glob("*.whl")), list(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in dist.iterdir())

    venv.create(tmp_path / "user-env", with_pip=True)
    bin_dir = tmp_path / "user-env" / "bin"
    install = [str(bin_dir / "python"), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    _run([*install, f"{wheels[0]}[testing]"], INSTALL, tmp_path, env)
    installed = _run([str(bin_dir / "python"), "-m", "pip", "list", "--format=freeze"], RUN, tmp_path, env).stdout
    assert "mistral-sdk==" in installed
    assert not {"pytest", "mypy", "ruff", "hypothesis"} & {line.split("==")[0] for line in installed.split()}

    chat = _run([str(bin_dir / "mistral-sdk"), "chat", "hi"], RUN, tmp_path, env)
    assert chat.stderr.startswith("MISTRAL_API_KEY is not set: using the embedded mock Mistral server at http://")
    assert chat.stdout.startswith("This is a deterministic reply")
    assert "finish reason: stop" in chat.stdout

    call = _run([str(bin_dir / "python"), "-c", ONE_CALL], RUN, tmp_path, env).stdout.splitlines()
    assert Path(call[0]).is_relative_to(tmp_path / "user-env"), call  # the installed copy, not the checkout
    assert call[1].endswith(" models") and int(call[1].split()[0]) > 0
