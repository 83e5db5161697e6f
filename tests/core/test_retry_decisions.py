"""The retry rules as plain decisions of `RetryPolicy` (no I/O), which every transport shares."""

from __future__ import annotations

import httpx
import pytest

from dbcloud._retry import EXT_MAX_RETRIES, EXT_RETRY_UNSAFE, RetryPolicy

POLICY = RetryPolicy()


def request(method: str, **extensions: object) -> httpx.Request:
    return httpx.Request(method, "https://api.test/x", extensions=extensions)


@pytest.mark.parametrize(
    ("method", "status", "retried"),
    [
        ("GET", 503, True),
        ("GET", 429, True),
        ("PUT", 502, True),
        ("GET", 500, False),  # a 500 may be a bug the next try repeats
        ("POST", 429, True),  # refused before acting: safe for any method
        ("PATCH", 429, True),
        ("POST", 503, False),  # a create that met a 503 may have created something
        ("PATCH", 502, False),
    ],
)
def test_which_answers_are_sent_again(method: str, status: int, retried: bool) -> None:
    repeatable = POLICY.repeatable(request(method))
    assert POLICY.retries_status(status, repeatable=repeatable) is retried


def test_transport_errors_repeat_only_what_is_repeatable() -> None:
    assert POLICY.retries_error(httpx.ReadError("reset"), repeatable=True)
    assert not POLICY.retries_error(httpx.ReadError("reset"), repeatable=False)
    assert not POLICY.retries_error(ValueError("not a transport error"), repeatable=True)


def test_the_budget_is_the_policys_or_the_requests_own() -> None:
    assert POLICY.budget(request("GET")) == 2
    assert POLICY.budget(request("POST")) == 2  # for its 429s
    assert POLICY.budget(request("GET", **{EXT_MAX_RETRIES: 5})) == 5
    assert RetryPolicy(any_method_statuses=frozenset()).budget(request("POST")) == 0
    assert POLICY.repeatable(request("POST", **{EXT_RETRY_UNSAFE: True}))
    with pytest.raises(ValueError, match="int of 0 or more"):
        POLICY.budget(request("GET", **{EXT_MAX_RETRIES: -1}))


def test_the_vendor_hook_is_asked_only_about_read_answers_of_repeatable_requests() -> None:
    seen: list[int] = []

    def busy(response: httpx.Response) -> bool:
        seen.append(response.status_code)
        return b"busy" in response.content

    policy = RetryPolicy(retry_on=busy)
    assert policy.needs_body(repeatable=True)
    assert not policy.needs_body(repeatable=False)
    assert policy.retries_answer(httpx.Response(200, content=b'{"error": "busy"}'))
    assert not policy.retries_answer(httpx.Response(200, content=b"{}"))
    assert seen == [200, 200]
    assert not RetryPolicy().retries_answer(httpx.Response(200))
