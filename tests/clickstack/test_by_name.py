"""`get_by_name` on ClickStack's webhooks and alerts, both deployments: names are not unique in
HyperDX, so a second one of the same name is an `AmbiguousNameError` naming both ids."""

from __future__ import annotations

import pytest

import dbcloud

from .conftest import FakeStack

# Ids in HyperDX's form (24-hex ObjectIds), as its list answers carry them under `id`.
HOOK_A = {"id": "65f0c0ffee0000000000000a", "name": "pager", "service": "generic", "url": "https://h/a"}
HOOK_B = {"id": "65f0c0ffee0000000000000b", "name": "pager", "service": "generic", "url": "https://h/b"}
HOOK_C = {"id": "65f0c0ffee0000000000000c", "name": "chat", "service": "slack", "url": "https://h/c"}


def test_a_webhook_of_a_unique_name_is_adopted(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("GET", "/webhooks", [HOOK_A, HOOK_C])
    assert stack.webhooks.get_by_name("chat").id == HOOK_C["id"]
    assert [request.method for request in fake.requests] == ["GET"]


def test_two_webhooks_of_one_name_are_named_by_their_ids(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("GET", "/webhooks", [HOOK_A, HOOK_B, HOOK_C])
    with pytest.raises(dbcloud.AmbiguousNameError) as caught:
        stack.webhooks.get_by_name("pager")
    assert caught.value.ids == (HOOK_A["id"], HOOK_B["id"])
    assert "https://h/" not in str(caught.value)  # a webhook's URL is its secret


def test_an_alert_that_is_not_there_is_not_found(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    alert = {"id": "65f0c0ffee00000000000011", "name": "Error Spike Alert", "threshold": 100}
    fake.on("GET", "/alerts", [alert])
    assert stack.alerts.get_by_name("Error Spike Alert").id == alert["id"]
    with pytest.raises(dbcloud.NotFoundError):
        stack.alerts.get_by_name("Quiet")
