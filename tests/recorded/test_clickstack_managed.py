"""Managed ClickStack (in a ClickHouse Cloud service) through the facade, replayed from
tests/cassettes/clickstack/ (test names carry `managed_`, beside the OSS scenarios).

Each scenario first finds its service through `ClickHouseCloud`, as a user would: the first running
service of the organization (the emulator seeds one; against the vendor, one is created when none
runs). So the service id comes from the recording itself, in every mode.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import dbcloud

from ._targets import TEST_SECRETS, Target
from .test_clickstack import (
    HOOK_URL,
    UNKNOWN_ALERT,
    UNKNOWN_DASHBOARD,
    check_alert_lifecycle,
    check_dashboard_lifecycle,
    check_documented_alert,
    check_not_found,
    check_rate_limited_read,
    check_saved_search_lifecycle,
    check_source_lifecycle,
    check_sources,
    check_unavailable_read,
    check_webhook_lifecycle,
    check_webhooks,
    check_wrong_key,
)

API = "clickhouse"
CASSETTES = "clickstack"
pytestmark = pytest.mark.vcr


@pytest.fixture
def cloud(target: Target) -> Iterator[dbcloud.ClickHouseCloud]:
    with target.connect(dbcloud.ClickHouseCloud) as client:
        yield client


@pytest.fixture
def service_id(cloud: dbcloud.ClickHouseCloud) -> str:
    """A running service of the organization: its ClickStack answers (an idle one answers 424)."""
    running = [s for s in cloud.services.list() if s.state == "running"]
    if running:
        return str(running[0].id)
    made = cloud.services.create(name="dbcloud-cassettes-clickstack", provider="aws", region="us-east-1")
    cloud.services.wait_until_ready(made.id)
    return made.id


def managed(target: Target, service_id: str, **changes: str) -> dbcloud.ClickStack:
    settings = {**target.settings, **changes}
    client = target.flavour.twin(dbcloud.ClickStack).managed(
        settings["org_id"],
        service_id,
        key_id=settings["key_id"],
        key_secret=settings["key_secret"],
        base_url=settings.get("base_url"),
    )
    return target.pace(client)


@pytest.fixture
def stack(target: Target, service_id: str) -> Iterator[dbcloud.ClickStack]:
    with managed(target, service_id) as client:
        assert client.mode == "managed"
        yield client


def new_webhook(target: Target, stack: dbcloud.ClickStack, name: str) -> str:
    """A generic webhook, made through the generated client (the recorded scenarios that predate
    `webhooks.create` keep the requests they recorded)."""
    from dbcloud_clickhouse_client.api.click_stack import click_stack_create_webhook
    from dbcloud_clickhouse_client.models.click_stack_webhook_input import ClickStackWebhookInput
    from dbcloud_clickhouse_client.models.click_stack_webhook_input_service import (
        ClickStackWebhookInputService,
    )

    ids = stack._path_args
    body = ClickStackWebhookInput(name=name, service=ClickStackWebhookInputService.GENERIC, url=HOOK_URL)
    response = target.detailed(
        click_stack_create_webhook, ids["organization_id"], ids["service_id"], client=stack.api, body=body
    )
    assert response.status_code == 200, response.content
    return str(response.parsed.result.id)


def delete_webhook(target: Target, stack: dbcloud.ClickStack, webhook_id: str) -> None:
    from dbcloud_clickhouse_client.api.click_stack import click_stack_delete_webhook

    ids = stack._path_args
    response = target.detailed(
        click_stack_delete_webhook, ids["organization_id"], ids["service_id"], webhook_id, client=stack.api
    )
    assert response.status_code == 200, response.content


def test_managed_sources(stack: dbcloud.ClickStack) -> None:
    check_sources(stack)


def test_managed_webhooks(target: Target, stack: dbcloud.ClickStack) -> None:
    check_webhooks(target, stack, "cassette-managed-webhooks", new_webhook, delete_webhook)


def test_managed_dashboard_lifecycle(stack: dbcloud.ClickStack) -> None:
    check_dashboard_lifecycle(stack)


def test_managed_documented_alert(target: Target, stack: dbcloud.ClickStack) -> None:
    webhook = new_webhook(target, stack, "cassette-managed-documented-alert")
    alert, dashboard_id = check_documented_alert(stack, webhook)
    assert alert.state == "OK"
    stack.alerts.delete(str(alert.id))
    stack.dashboards.delete(dashboard_id)
    delete_webhook(target, stack, webhook)


def test_managed_alert_lifecycle(target: Target, stack: dbcloud.ClickStack) -> None:
    webhook = new_webhook(target, stack, "cassette-managed-alert-lifecycle")
    dashboard_id = check_alert_lifecycle(stack, webhook)
    stack.dashboards.delete(dashboard_id)
    delete_webhook(target, stack, webhook)


def test_managed_wrong_key_is_an_authentication_error(target: Target, service_id: str) -> None:
    check_wrong_key(lambda: managed(target, service_id, key_secret=TEST_SECRETS[1]))


def test_managed_unknown_dashboard_is_not_found(stack: dbcloud.ClickStack) -> None:
    check_not_found(stack.dashboards.get, UNKNOWN_DASHBOARD)


def test_managed_unknown_alert_is_not_found(stack: dbcloud.ClickStack) -> None:
    check_not_found(stack.alerts.get, UNKNOWN_ALERT)


@pytest.mark.emulator_only
def test_managed_rate_limited_read_is_retried(stack: dbcloud.ClickStack, target: Target) -> None:
    check_rate_limited_read(stack, target)


@pytest.mark.emulator_only
def test_managed_unavailable_read_is_retried(stack: dbcloud.ClickStack, target: Target) -> None:
    check_unavailable_read(stack, target)


def test_managed_webhook_lifecycle(stack: dbcloud.ClickStack) -> None:
    check_webhook_lifecycle(stack, "cassette-managed-webhook-lifecycle")


def test_managed_saved_search_lifecycle(stack: dbcloud.ClickStack) -> None:
    check_saved_search_lifecycle(stack)


def test_managed_source_lifecycle(stack: dbcloud.ClickStack) -> None:
    check_source_lifecycle(stack)
