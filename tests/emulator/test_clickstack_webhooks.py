"""ClickStack webhooks end to end against the emulator, both deployments and flavours: a lifecycle
with real ids, HyperDX's rules, 404 and 409, and the write-only fields kept as HyperDX keeps them."""

from __future__ import annotations

import itertools
import re

import pytest

import dbcloud
from dbcloud.emulator.clickstack import ClickStackState

from .test_clickstack import documented_alert, emu, http, http_of, no_local_settings, path, service_id, snake
from .test_clickstack import stack as stack

__all__ = ["emu", "http", "no_local_settings", "service_id", "stack"]  # fixtures, imported for pytest

_names = itertools.count(1)
HOOK = "https://ops.example.com/hooks/4e1d"


def _name(stack: dbcloud.ClickStack, what: str) -> str:
    return f"{what}-{stack.mode}-{next(_names)}"  # a name of its own on every run of a test


def test_webhook_lifecycle(stack: dbcloud.ClickStack) -> None:
    name = _name(stack, "lifecycle")
    made = stack.webhooks.create(name=f"  {name} ", service="generic", url=HOOK, body='{"t": "{{title}}"}')
    assert re.fullmatch(r"[0-9a-f]{24}", made.id)
    assert (made.name, made.service, made.raw["body"]) == (name, "generic", '{"t": "{{title}}"}')  # trimmed
    assert made.url is not None
    assert made.url.reveal() == HOOK
    assert made.created_at is not None
    assert made.id in [w.id for w in stack.webhooks.list()]
    renamed = stack.webhooks.update(made.id, name=f"{name}-2", service="generic", url=HOOK)
    assert (renamed.id, renamed.name) == (made.id, f"{name}-2")
    assert "body" not in renamed.raw  # a PUT clears what it leaves out
    assert renamed.created_at == made.created_at
    stack.webhooks.delete(made.id)
    assert made.id not in [w.id for w in stack.webhooks.list()]
    with pytest.raises(dbcloud.NotFoundError):
        stack.webhooks.delete(made.id)
    with pytest.raises(dbcloud.NotFoundError):
        stack.webhooks.update(made.id, name=name, service="generic", url=HOOK)


def test_a_name_is_unique_per_service(stack: dbcloud.ClickStack) -> None:
    name = _name(stack, "unique")
    first = stack.webhooks.create(name=name, service="generic", url=HOOK)
    with pytest.raises(dbcloud.BadRequestError, match="already exists"):
        stack.webhooks.create(name=name, service="generic", url=HOOK)
    other = stack.webhooks.create(name=name, service="incidentio", url=HOOK)  # another service
    with pytest.raises(dbcloud.BadRequestError, match="already exists"):
        stack.webhooks.update(other.id, name=name, service="generic", url=HOOK)
    for made in (first, other):
        stack.webhooks.delete(made.id)


@pytest.mark.parametrize(
    "url", ["http://localhost:8080/h", "http://10.0.0.7/h", "http://127.0.0.1/h", "http://[::1]/h"]
)
def test_a_private_destination_is_refused(stack: dbcloud.ClickStack, url: str) -> None:
    with pytest.raises(dbcloud.BadRequestError, match="private or reserved address"):
        stack.webhooks.create(name=_name(stack, "private"), service="generic", url=url)


def test_the_servers_own_checks_answer_400(stack: dbcloud.ClickStack) -> None:
    # Sent past the facade's checks, as another client would send them.
    hooks = path(stack, "webhooks")
    slack = http_of(stack).post(
        hooks, json={"name": _name(stack, "slack"), "service": "slack", "url": "https://x.example/T0"}
    )
    assert slack.status_code == 400
    assert "does not have hostname that ends in 'slack.com'" in slack.text
    header = http_of(stack).post(
        hooks,
        json={"name": "h", "service": "generic", "url": HOOK, "headers": {"Bad Name": "v"}},
    )
    assert header.status_code == 400
    assert "Body validation failed: headers.Bad Name: Invalid header name" in header.text


def test_ids_that_are_not_object_ids(stack: dbcloud.ClickStack) -> None:
    if stack.mode == "oss":
        # HyperDX validates the id before it looks: a 400, not a 404.
        with pytest.raises(dbcloud.BadRequestError, match="Params validation failed: id: Invalid ObjectId"):
            stack.webhooks.delete("not-an-object-id")
    else:
        with pytest.raises(dbcloud.NotFoundError):
            stack.webhooks.delete("not-an-object-id")


def test_a_webhook_alerts_notify_is_not_deleted(stack: dbcloud.ClickStack) -> None:
    wire = documented_alert(stack)
    alert = stack.alerts.create(**snake(wire))
    webhook = wire["channel"]["webhookId"]
    with pytest.raises(dbcloud.ConflictError, match=r"1 alert\(s\) still reference it"):
        stack.webhooks.delete(webhook)
    stack.alerts.delete(alert.id)
    stack.webhooks.delete(webhook)


def test_write_only_fields_are_kept_as_hyperdx_keeps_them() -> None:
    state = ClickStackState(lambda: "2026-01-01T00:00:00.000Z", managed=False, seed_sources=False)
    made = state.call(
        "webhooks",
        "create",
        None,
        {"name": "w", "service": "generic", "url": HOOK, "headers": {"A": "1"}, "queryParams": {"q": "2"}},
    )
    hook = made["id"]
    assert "headers" not in made
    assert "queryParams" not in made
    # Left out on an update to the same destination: kept.
    state.call("webhooks", "update", hook, {"name": "w", "service": "generic", "url": HOOK})
    assert state.write_only[hook] == {"headers": {"A": "1"}, "queryParams": {"q": "2"}}
    # `{}` clears one.
    state.call("webhooks", "update", hook, {"name": "w", "service": "generic", "url": HOOK, "headers": {}})
    assert state.write_only[hook] == {"queryParams": {"q": "2"}}
    # A new destination: what was left out is cleared, so no secret follows it.
    state.call("webhooks", "update", hook, {"name": "w", "service": "generic", "url": HOOK + "/new"})
    assert state.write_only[hook] == {}
