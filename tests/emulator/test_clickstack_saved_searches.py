"""ClickStack saved searches end to end against the emulator, both deployments and flavours: a
lifecycle with real ids and HyperDX's defaults, its rules and their order, 404, alerts taken along."""

from __future__ import annotations

import re

import pytest

import dbcloud
from dbcloud.emulator._api import ApiError
from dbcloud.emulator.clickstack import ClickStackState

from .test_clickstack import emu, http, http_of, new_webhook, no_local_settings, path, service_id
from .test_clickstack import stack as stack

__all__ = ["emu", "http", "no_local_settings", "service_id", "stack"]  # fixtures, imported for pytest

IN_FILTER = {"type": "sql", "condition": "ServiceName IN ('checkout', 'payments')"}
UNKNOWN = "65f5e4a3ffffffffffff0003"


def _logs(stack: dbcloud.ClickStack) -> str:
    return str(next(s.id for s in stack.sources.list() if s.kind == "log"))


def test_saved_search_lifecycle(stack: dbcloud.ClickStack) -> None:
    source = _logs(stack)
    made = stack.saved_searches.create(
        name=" Production Errors ",
        source_id=source,
        where="SeverityText:ERROR",
        tags=["prod"],
        filters=[IN_FILTER],
    )
    assert re.fullmatch(r"[0-9a-f]{24}", made.id)
    # HyperDX's defaults for what was left out, the name trimmed.
    assert (made.name, made.where_language) == ("Production Errors", "lucene")
    assert (made.raw["select"], made.raw["orderBy"]) == ("", "")
    assert (made.source_id, made.tags, made.filters) == (source, ("prod",), (IN_FILTER,))
    assert made.raw["teamId"]
    assert stack.saved_searches.get(made.id) == made
    assert made.id in [s.id for s in stack.saved_searches.list()]
    replaced = stack.saved_searches.update(made.id, name="Errors", source_id=source, where_language="sql")
    # A PUT resets what it leaves out.
    assert (replaced.name, replaced.raw["where"], replaced.tags, replaced.filters) == ("Errors", "", (), ())
    assert replaced.created_at == made.created_at
    stack.saved_searches.delete(made.id)
    for gone in (stack.saved_searches.get, stack.saved_searches.delete):
        with pytest.raises(dbcloud.NotFoundError, match="Saved search not found"):
            gone(made.id)


def test_the_source_must_exist_and_is_checked_first(stack: dbcloud.ClickStack) -> None:
    with pytest.raises(dbcloud.BadRequestError, match="sourceId must be an existing source id"):
        stack.saved_searches.create(name="x", source_id=UNKNOWN)
    # On an update too, before the saved search is looked up: a 400, not a 404.
    with pytest.raises(dbcloud.BadRequestError, match="existing source id"):
        stack.saved_searches.update(UNKNOWN, name="x", source_id=UNKNOWN)
    with pytest.raises(dbcloud.NotFoundError):
        stack.saved_searches.update(UNKNOWN, name="x", source_id=_logs(stack))


@pytest.mark.parametrize(
    "condition",
    ["ServiceName = 'checkout'", "a IN ('x') AND b IN ('y')", "Duration NOT BETWEEN 1 AND 2"],
)
def test_a_filter_the_sidebar_cannot_show_is_refused(stack: dbcloud.ClickStack, condition: str) -> None:
    with pytest.raises(dbcloud.BadRequestError, match="sidebar-renderable"):
        stack.saved_searches.create(
            name="x", source_id=_logs(stack), filters=[{"type": "sql", "condition": condition}]
        )


def test_a_stored_filter_passes_unchanged_on_update() -> None:
    state = ClickStackState(lambda: "2026-01-01T00:00:00.000Z", managed=False)
    source = next(iter(state.items["sources"]))
    made = state.call("savedSearches", "create", None, {"name": "x", "sourceId": source})
    legacy = {"type": "lucene", "condition": "level:error"}  # made in the UI, say
    state.items["savedSearches"][made["id"]] = {**made, "filters": [legacy]}
    again = {"name": "x", "sourceId": source, "filters": [legacy]}
    kept = state.call("savedSearches", "update", made["id"], again)
    assert kept["filters"] == [legacy]
    with pytest.raises(ApiError, match="sidebar-renderable"):
        state.call("savedSearches", "create", None, {"name": "y", "sourceId": source, "filters": [legacy]})


def test_the_servers_own_checks_answer_400(stack: dbcloud.ClickStack) -> None:
    refused = http_of(stack).post(
        path(stack, "saved-searches"), json={"name": " ", "sourceId": "nope", "tags": ["t" * 33]}
    )
    assert refused.status_code == 400
    assert "Body validation failed: name:" in refused.text
    assert "sourceId: Invalid ObjectId" in refused.text
    if stack.mode == "oss":
        with pytest.raises(dbcloud.BadRequestError, match="Params validation failed: id: Invalid ObjectId"):
            stack.saved_searches.get("not-an-object-id")


def test_deleting_a_saved_search_takes_its_alerts(stack: dbcloud.ClickStack) -> None:
    search = stack.saved_searches.create(name="Alerted", source_id=_logs(stack))
    webhook = new_webhook(stack, f"saved-{search.id}")
    alert = stack.alerts.create(
        threshold=1,
        interval="5m",
        threshold_type="above",
        source="saved_search",
        saved_search_id=search.id,
        channel={"type": "webhook", "webhookId": webhook},
    )
    stack.saved_searches.delete(search.id)
    with pytest.raises(dbcloud.NotFoundError):
        stack.alerts.get(alert.id)
    stack.webhooks.delete(webhook)
