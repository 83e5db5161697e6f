"""ACM's cluster status as ACM really answers it.

The shape of GET /cluster/{id}/status below is the one of a live capture quoted in the community ACM
Terraform provider's client tests (gorgias-oss/terraform-provider-altinity): a `health` summary
(`total`, `passed`), `actionProgress` with its counts as text, and flags such as `crashReport: 0`
and `usesInstallationTemplate: false` that are not checks. The bodies are our own, cut to that shape.
"""

from __future__ import annotations

from typing import Any

import pytest

import dbcloud

from .conftest import FakeACM
from .test_clusters import action, serve_status


def real_status(*, passed: int, total: int = 7, completed: str = "3", crash: int = 0) -> dict[str, Any]:
    return {
        "health": {"total": total, "passed": passed, "ts": "Fri, 05 Jun 2026 20:53:34 +0000", "details": []},
        "uptime": "4787",
        "action": "Wait for host to catch replication lag",
        "actionProgress": {"total": "3", "completed": completed, "percent": int(completed) * 100 // 3},
        "latestBackup": "",
        "throughput": None,
        "crashReport": crash,
        "usesInstallationTemplate": False,
    }


def test_a_finished_operation_with_every_check_passing_is_ready(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    serve_status(fake, "online", [action(1, "launch", success=True)], real_status(passed=7))
    status = acm.clusters.status(42)
    assert (status.healthy, status.checks_passed, status.checks_total) == (True, 7, 7)
    assert status.checks == {}  # crashReport 0 and usesInstallationTemplate false are no failures
    assert status.action_done is True
    assert status.ready


def test_five_of_seven_checks_passing_is_not_ready(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    serve_status(fake, "online", [action(1, "launch", success=True)], real_status(passed=5))
    status = acm.clusters.status(42)
    assert status.healthy is False
    assert not status.ready
    assert "5 of 7 health checks passing" in status.describe()


def test_a_partial_operation_is_not_done_even_when_the_log_says_so(
    acm: dbcloud.Altinity, fake: FakeACM
) -> None:
    serve_status(fake, "online", [action(1, "launch", success=True)], real_status(passed=7, completed="2"))
    status = acm.clusters.status(42)
    assert status.action_done is False
    assert not status.ready


def test_a_finished_step_count_completes_an_operation_the_log_still_shows_running(
    acm: dbcloud.Altinity, fake: FakeACM
) -> None:
    serve_status(fake, "online", [action(2, "rescale")], real_status(passed=7))
    assert acm.clusters.status(42).ready


def test_a_crash_report_is_a_failing_check(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    serve_status(fake, "online", [action(1, "launch", success=True)], real_status(passed=7, crash=2))
    status = acm.clusters.status(42)
    assert status.checks == {"crashReport": False}
    assert not status.ready


@pytest.mark.parametrize(
    ("summary", "healthy"),
    [
        ({"total": "7", "passed": "7"}, True),  # counts as text
        ({"total": 0, "passed": 0}, None),  # no checks ran: health unknown
        ({"total": None, "passed": 3}, None),
    ],
)
def test_the_summary_is_read_tolerantly(
    acm: dbcloud.Altinity, fake: FakeACM, summary: dict[str, Any], healthy: bool | None
) -> None:
    body = {**real_status(passed=0), "health": summary}
    serve_status(fake, "online", [action(1, "launch", success=True)], body)
    assert acm.clusters.status(42).healthy is healthy


def test_flags_beside_named_checks_are_not_checks(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    body = {"ping": True, "crashReport": 0, "usesInstallationTemplate": False}
    serve_status(fake, "online", [action(1, "launch", success=True)], body)
    status = acm.clusters.status(42)
    assert status.checks == {"ping": True}
    assert status.ready
