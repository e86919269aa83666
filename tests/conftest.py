"""Suite-wide settings: the Hypothesis profile and the unit tier's guard (docs/decisions.md, "Test tiers")."""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest
from hypothesis import HealthCheck, settings

from tests._tiers import TIERS, ProcessInUnitTier, refuse_processes

# Generated inputs are checked, never the machine's speed: no deadline, no ``too_slow`` health check
# (a cold .hypothesis database and a busy 2-core machine make the first examples slow), and every
# failure prints the ``@reproduce_failure`` blob that replays it. Locally each run explores new
# inputs, and the local database replays a failure until it is fixed; under CI (``CI`` set, as
# .ci/run is started) the inputs are derandomized, as in Hypothesis' own CI profile: the landing gate
# gives the same verdict for the same commit, and it has no database to replay from.
settings.register_profile(
    "mistral_sdk", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True, derandomize=False
)
settings.register_profile("mistral_sdk_ci", settings.get_profile("mistral_sdk"), derandomize=True, database=None)
settings.load_profile("mistral_sdk_ci" if os.environ.get("CI") else "mistral_sdk")


def pytest_configure(config: pytest.Config) -> None:
    for tier, what in TIERS.items():
        config.addinivalue_line("markers", f"{tier}: {what}")


def _in_unit_tier(item: pytest.Item) -> bool:
    return not any(item.get_closest_marker(tier) for tier in TIERS)


def _guarded(item: pytest.Item) -> Generator[None, None, None]:
    """Run one phase of ``item``; in the unit tier, with processes refused (tests/_tiers.py)."""
    if not _in_unit_tier(item):
        return (yield)
    with refuse_processes() as refused:
        result = yield
    if refused:  # the test caught the error: it fails all the same
        raise ProcessInUnitTier(f"{item.nodeid} started {refused[0]} without a tier marker")
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _guarded(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _guarded(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _guarded(item))
