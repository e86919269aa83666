"""The suite's own rules: the unit tier refuses processes, `make test` selects it, Hypothesis checks no clock."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests._tiers import TIERS, UNIT_SELECTION, ProcessInUnitTier, refuse_processes

MAKEFILE = Path(__file__).resolve().parents[1] / "Makefile"


def test_a_unit_test_cannot_start_a_process() -> None:
    with refuse_processes() as refused, pytest.raises(ProcessInUnitTier, match=r"mark it @pytest\.mark\.integration"):
        subprocess.run(["true"], check=False)
    assert refused and refused[0].startswith("subprocess.Popen")


def test_a_shell_command_is_refused_too() -> None:
    with refuse_processes() as refused, pytest.raises(ProcessInUnitTier):
        os.system("true")
    assert [r.split("(")[0] for r in refused] == ["os.system"]


@pytest.mark.integration
def test_a_marked_test_starts_processes() -> None:
    assert subprocess.run(["true"], check=False).returncode == 0


def test_make_test_selects_exactly_the_unmarked_tests() -> None:
    selection = re.search(r"^UNIT_TIER := (.+)$", MAKEFILE.read_text(encoding="utf-8"), re.M)
    assert selection is not None and selection.group(1) == UNIT_SELECTION
    assert all(f"not {tier}" in UNIT_SELECTION for tier in TIERS)


def test_the_hypothesis_profile_checks_inputs_not_the_clock() -> None:
    current = settings.default
    assert current is not None
    assert current.deadline is None
    assert HealthCheck.too_slow in current.suppress_health_check
    assert current.print_blob
    assert settings.get_current_profile_name() == ("mistral_sdk_ci" if os.environ.get("CI") else "mistral_sdk")
