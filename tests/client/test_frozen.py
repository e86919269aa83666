"""The SDK's small immutable records (``_frozen.Frozen``) behave as the frozen dataclasses they replace."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import httpx
import pytest

from mistral_sdk._base_client import APIResponse, ClientOptions
from mistral_sdk._retry import RetryPolicy


def _options(**changes: object) -> ClientOptions:
    options = ClientOptions("https://api.example", httpx.Timeout(5.0), 60.0, RetryPolicy(), {"X-Team": "a"})
    return options.replace(**changes) if changes else options


def test_fields_are_set_once_and_compared_hashed_and_shown() -> None:
    options = _options()
    assert options.stream_error_mode == "raise" and options.retry == RetryPolicy()
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.base_url = "https://other.example"
    with pytest.raises(AttributeError):
        del options.timeout
    assert options == _options() and options != _options(stream_idle_timeout=None)
    assert hash(RetryPolicy(max_retries=3)) == hash(RetryPolicy(max_retries=3))
    assert repr(RetryPolicy()) == (
        "RetryPolicy(max_retries=2, initial_delay=0.5, max_delay=8.0, max_retry_after=60.0, jitter=0.25)"
    )
    assert options != ("https://api.example",)


def test_a_hidden_field_is_neither_compared_nor_shown() -> None:
    one, other = RetryPolicy(random=lambda: 0.0), RetryPolicy(random=lambda: 1.0)
    assert one == other and "random" not in repr(one)
    assert one.delay(0, None, 0.0) == 0.5 and other.delay(0, None, 0.0) == 0.375


def test_replace_builds_through_init_and_refuses_unknown_fields() -> None:
    policy = RetryPolicy()
    assert policy.replace(max_retries=5).max_retries == 5 and policy.max_retries == 2
    with pytest.raises(ValueError, match="max_retries must be >= 0"):
        policy.replace(max_retries=-1)
    with pytest.raises(TypeError, match="no field"):
        policy.replace(retries=1)


def test_copies_and_pickles_keep_every_field() -> None:
    options = _options(stream_error_mode="in_band")
    assert copy.copy(options) == options and copy.deepcopy(options) == options
    assert pickle.loads(pickle.dumps(options)) == options
    response: APIResponse[object] = APIResponse(httpx.Response(200, json={"ok": True}), {"ok": True})
    assert response.replace(parsed=[1]).parsed == [1] and response.parsed == {"ok": True}
    assert repr(response) == "APIResponse(http_response=<Response [200 OK]>, parsed={'ok': True})"
