"""How users start the mock: the ``serve`` command, the pytest plugin, and a cheap import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def test_serve_command_prints_its_url_and_stops_on_sigterm() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "mistral_sdk.testing", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        response = httpx.get(f"{url}/v1/models", headers={"Authorization": "Bearer k"}, timeout=10)
        assert response.status_code == 200
        assert response.json()["object"] == "list"
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_serve_command_reports_a_bad_spec_without_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "mistral_sdk.testing", "serve", "--spec", str(missing)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "cannot read OpenAPI description" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.timeout(180)  # above the 120 s of its run of pytest
def test_plugin_fixture_in_a_users_test_suite(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent("""
        import httpx

        def test_first(mistral_mock):
            r = httpx.get(mistral_mock.url + "/v1/models", headers={"Authorization": "Bearer k"})
            assert r.status_code == 200
            httpx.get(mistral_mock.url + "/v1/models")  # no key: a violation, cleared before the next test
            assert len(mistral_mock.violations) == 1

        def test_second_starts_clean(mistral_mock, mistral_mock_server):
            assert mistral_mock is mistral_mock_server
            assert mistral_mock.requests == [] and mistral_mock.violations == []
    """)
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_importing_the_package_loads_no_spec_machinery() -> None:
    code = (
        "import sys, mistral_sdk.testing\n"
        "print(sorted(m for m in ('openapi_core', 'jsonschema', 'yaml') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
