"""The ClickStack facade end to end against the emulator, both deployments, over real loopback HTTP.

Managed ClickStack is served by the emulated ClickHouse Cloud (paths under a service), ClickStack OSS
by its own emulated API: every test below runs against both.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.clickstack import AsyncClickStack
from dbcloud.emulator import Emulator, Fault, running
from dbcloud.emulator.clickhouse import ORG_ID
from dbcloud.emulator.clickstack import EmulatedClickStack
from tests._bridge import Blocking, Flavour
from tests.emulator._spec import SpecCheck

MODES = ["oss", "managed"]
# The body of "Example: Create an alert" in the vendor's ClickStack API reference, ids left open.
DOCUMENTED = {
    "dashboardId": "<DASHBOARD_ID>",
    "tileId": "<TILE_ID>",
    "threshold": 100,
    "interval": "1h",
    "source": "tile",
    "thresholdType": "above",
    "channel": {"type": "webhook", "webhookId": "<WEBHOOK_ID>"},
    "name": "Error Spike Alert",
    "message": "Error rate exceeded 100 in the last hour",
}


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running(speed=3000) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """One connection pool for the module: each facade borrows it (a new pool costs ~50 ms)."""
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture(autouse=True)
def no_local_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CLICKSTACK_ENDPOINT", "CLICKSTACK_API_KEY", "CLICKHOUSE_API_URL", "DBCLOUD_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))


@pytest.fixture(scope="module")
def service_id(emu: Emulator, http: httpx.Client) -> str:
    """The emulator's seeded, running ClickHouse Cloud service (it never idles)."""
    auth = (emu.env["CLICKHOUSE_CLOUD_API_KEY"], emu.env["CLICKHOUSE_CLOUD_API_SECRET"])
    services = http.get(f"{emu.env['CLICKHOUSE_API_URL']}/v1/organizations/{ORG_ID}/services", auth=auth)
    return str(next(s["id"] for s in services.json()["result"] if s["name"] == "emulated-service"))


def connect(emu: Emulator, http: httpx.Client, mode: str, service_id: str) -> dbcloud.ClickStack:
    if mode == "oss":
        return dbcloud.ClickStack(
            endpoint=emu.env["CLICKSTACK_ENDPOINT"], api_key=emu.env["CLICKSTACK_API_KEY"], http_client=http
        )
    return dbcloud.ClickStack.managed(
        ORG_ID,
        service_id,
        key_id=emu.env["CLICKHOUSE_CLOUD_API_KEY"],
        key_secret=emu.env["CLICKHOUSE_CLOUD_API_SECRET"],
        base_url=emu.env["CLICKHOUSE_API_URL"],
        http_client=http,
    )


@pytest.fixture(params=MODES)
def stack(
    request: pytest.FixtureRequest, emu: Emulator, http: httpx.Client, service_id: str, flavour: Flavour
) -> Iterator[dbcloud.ClickStack]:
    """`ClickStack` and `AsyncClickStack` (behind the same API) of each deployment: every test
    runs on both flavours."""
    emu.clear_faults()
    if request.param == "oss":
        settings: dict[str, Any] = {
            "endpoint": emu.env["CLICKSTACK_ENDPOINT"],
            "api_key": emu.env["CLICKSTACK_API_KEY"],
        }
        classes: tuple[Any, Any] = (dbcloud.ClickStack, AsyncClickStack)
    else:
        settings = {
            "org_id": ORG_ID,
            "service_id": service_id,
            "key_id": emu.env["CLICKHOUSE_CLOUD_API_KEY"],
            "key_secret": emu.env["CLICKHOUSE_CLOUD_API_SECRET"],
            "base_url": emu.env["CLICKHOUSE_API_URL"],
        }
        classes = (dbcloud.ClickStack.managed, AsyncClickStack.managed)
    # The module's pool is a sync one: the async client opens its own.
    with flavour.client(*classes, http_client=None if flavour.is_async else http, **settings) as client:
        yield client


def http_of(stack: dbcloud.ClickStack) -> Any:
    """The client's own httpx client, for requests the facade does not make: the async client's
    behind a stand-in that runs each request on the test's loop."""
    if isinstance(stack, Blocking):
        return Blocking(stack.target.http_client, stack._loop, lambda value: False)
    return stack.http_client


def generated(stack: dbcloud.ClickStack, operation: Any, *args: Any, **kwargs: Any) -> Any:
    """A generated operation's detailed response, through `stack.api`: `sync_detailed` on the sync
    client, `asyncio_detailed` awaited on the async one."""
    if isinstance(stack, Blocking):
        return stack._loop.run_until_complete(operation.asyncio_detailed(*args, client=stack.api, **kwargs))
    return operation.sync_detailed(*args, client=stack.api, **kwargs)


def api(stack: dbcloud.ClickStack) -> str:
    """The emulated API that serves this deployment (its prefix, as `emu.stats()` names it)."""
    return "clickstack" if stack.mode == "oss" else "clickhouse"


def path(stack: dbcloud.ClickStack, resource: str) -> str:
    if stack.mode == "oss":
        return f"/api/v2/{resource}"
    ids = stack._path_args
    return f"/v1/organizations/{ids['organization_id']}/services/{ids['service_id']}/clickstack/{resource}"


def payload(stack: dbcloud.ClickStack, response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["data" if stack.mode == "oss" else "result"]


def new_webhook(stack: dbcloud.ClickStack, name: str, service: str = "generic") -> str:
    """A webhook, made through the generated client (`stack.api`), as another tool would make it
    (`webhooks.create` has tests of its own: test_clickstack_webhooks.py)."""
    if stack.mode == "oss":
        from dbcloud_clickstack_oss_client.api.webhooks import create_webhook
        from dbcloud_clickstack_oss_client.models.webhook_input import WebhookInput
        from dbcloud_clickstack_oss_client.models.webhook_input_service import WebhookInputService

        body = WebhookInput(name=name, service=WebhookInputService(service), url="https://example.com/hook")
        made = generated(stack, create_webhook, body=body).parsed.data
    else:
        from dbcloud_clickhouse_client.api.click_stack import click_stack_create_webhook
        from dbcloud_clickhouse_client.models.click_stack_webhook_input import ClickStackWebhookInput
        from dbcloud_clickhouse_client.models.click_stack_webhook_input_service import (
            ClickStackWebhookInputService,
        )

        ids = stack._path_args
        managed_body = ClickStackWebhookInput(
            name=name, service=ClickStackWebhookInputService(service), url="https://example.com/hook"
        )
        made = generated(
            stack, click_stack_create_webhook, ids["organization_id"], ids["service_id"], body=managed_body
        ).parsed.result
    return str(made.id)


def tile(stack: dbcloud.ClickStack, name: str = "Error Rate", **extra: Any) -> dict[str, Any]:
    logs = next(s for s in stack.sources.list() if s.kind == "log")
    config = {"displayType": "line", "sourceId": logs.id, "select": [{"aggFn": "count"}]}
    return {"name": name, "x": 0, "y": 0, "w": 6, "h": 3, "config": config, **extra}


def documented_alert(stack: dbcloud.ClickStack) -> dict[str, Any]:
    """The vendor's example alert, with the ids of a real dashboard, tile and webhook."""
    dashboard = stack.dashboards.create(name="Errors", tiles=[tile(stack)])
    webhook = new_webhook(stack, f"alerts-{dashboard.id}")
    channel = {"type": "webhook", "webhookId": webhook}
    return {**DOCUMENTED, "dashboardId": dashboard.id, "tileId": dashboard.tiles[0].id, "channel": channel}


def snake(wire: dict[str, Any]) -> dict[str, Any]:
    """An alert body in the API's names as the facade's keyword arguments."""
    return {re.sub(r"([A-Z])", r"_\1", k).lower(): v for k, v in wire.items()}


def create_alert(stack: dbcloud.ClickStack, wire: dict[str, Any]) -> Any:
    return stack.alerts.create(**snake(wire))


_webhook_names = itertools.count(1)


# --- sources and webhooks --------------------------------------------------------------------------


def test_sources_are_there_from_the_start(stack: dbcloud.ClickStack) -> None:
    sources = stack.sources.list()
    assert sorted(s.kind for s in sources) == ["log", "metric", "session", "trace"]
    traces = next(s for s in sources if s.kind == "trace")
    got = stack.sources.get(str(traces.id))
    assert (got.name, got.table) == ("Traces", "otel_traces")
    with pytest.raises(dbcloud.NotFoundError):
        stack.sources.get("65f5e4a3ffffffffffffffff")


def test_webhooks_list_shows_what_was_made_and_hides_write_only_fields(stack: dbcloud.ClickStack) -> None:
    name = f"listed-{next(_webhook_names)}"  # a name of its own on each flavour's run
    made = new_webhook(stack, name)
    listed = {w.id: w for w in stack.webhooks.list()}
    assert listed[made].name == name
    response = http_of(stack).post(
        path(stack, "webhooks"),
        json={
            "name": f"write-only-{name}",
            "service": "generic",
            "url": "https://x.test",
            "headers": {"X-Token": "s"},
        },
    )
    created = payload(stack, response)
    assert "headers" not in created
    assert "X-Token" not in json.dumps(http_of(stack).get(path(stack, "webhooks")).json())
    clash = http_of(stack).post(
        path(stack, "webhooks"), json={"name": name, "service": "generic", "url": "https://x.test"}
    )
    assert clash.status_code == 400
    slack_body = http_of(stack).post(
        path(stack, "webhooks"), json={"name": "s", "service": "slack", "url": "https://x.test", "body": "{}"}
    )
    assert slack_body.status_code == 400


# --- dashboards ------------------------------------------------------------------------------------


def test_dashboard_lifecycle(stack: dbcloud.ClickStack) -> None:
    made = stack.dashboards.create(name="Service Overview", tiles=[tile(stack)], tags=["prod"])
    assert made.name == "Service Overview"
    assert made.tiles[0].id
    assert list(made.tags) == ["prod"]
    assert stack.dashboards.get(str(made.id)).tiles[0].name == "Error Rate"
    assert made.id in [d.id for d in stack.dashboards.list()]
    kept = {**tile(stack), "id": made.tiles[0].id}
    updated = stack.dashboards.update(str(made.id), name="Renamed", tiles=[kept, tile(stack, "Latency")])
    assert updated.name == "Renamed"
    assert updated.tiles[0].id == made.tiles[0].id  # a matching tile id is kept
    assert updated.tiles[1].id not in (None, made.tiles[0].id)
    assert updated.tags == ()  # PUT replaces: what is left out is cleared
    stack.dashboards.delete(str(made.id))
    with pytest.raises(dbcloud.NotFoundError):
        stack.dashboards.get(str(made.id))
    assert made.id not in [d.id for d in stack.dashboards.list()]


def test_a_dashboard_goes_back_with_its_own_tiles(stack: dbcloud.ClickStack) -> None:
    made = stack.dashboards.create(name="Round trip", tiles=[tile(stack), tile(stack, "Latency")], tags=["a"])
    renamed = stack.dashboards.update(made.id, name="Round trip 2", tiles=made.tiles, tags=made.tags)
    assert [t.id for t in renamed.tiles] == [t.id for t in made.tiles]
    assert [t.config for t in renamed.tiles] == [t.config for t in made.tiles]
    assert (renamed.name, renamed.tags) == ("Round trip 2", ("a",))
    # Read by the deployment's own generated models, whichever answered.
    package = "dbcloud_clickhouse_client" if stack.mode == "managed" else "dbcloud_clickstack_oss_client"
    assert type(renamed.model).__module__.startswith(package)
    assert renamed.tiles[0].model.id == renamed.tiles[0].id
    stack.dashboards.delete(made.id)


# --- alerts ----------------------------------------------------------------------------------------


def test_the_documented_alert_round_trips(stack: dbcloud.ClickStack) -> None:
    wire = documented_alert(stack)
    created = create_alert(stack, wire)
    sent = created.raw
    assert {k: sent[k] for k in wire} == wire
    assert created.state == "OK"
    assert created.id
    fetched = stack.alerts.get(str(created.id)).raw
    assert {k: fetched[k] for k in wire} == wire
    if stack.mode == "oss":
        assert fetched["channels"] == [wire["channel"]]  # OSS answers both, channel = channels[0]


def test_alert_lifecycle(stack: dbcloud.ClickStack) -> None:
    wire = documented_alert(stack)
    alert = create_alert(stack, wire)
    assert alert.id in [a.id for a in stack.alerts.list()]
    changed = {**wire, "threshold": 5, "thresholdType": "between", "thresholdMax": 10}
    del changed["message"]
    updated = stack.alerts.update(str(alert.id), **snake(changed))
    assert (updated.threshold, updated.threshold_max, updated.threshold_type) == (5, 10, "between")
    assert "message" not in updated.raw  # PUT replaces the configuration
    stack.alerts.delete(str(alert.id))
    with pytest.raises(dbcloud.NotFoundError):
        stack.alerts.get(str(alert.id))


def test_alerts_must_point_at_what_exists(stack: dbcloud.ClickStack) -> None:
    with pytest.raises(dbcloud.BadRequestError, match="Dashboard not found"):
        create_alert(stack, DOCUMENTED)
    wire = documented_alert(stack)
    with pytest.raises(dbcloud.BadRequestError, match="Tile not found"):
        create_alert(stack, {**wire, "tileId": "no-such-tile"})
    with pytest.raises(dbcloud.BadRequestError, match="Webhook not found"):
        create_alert(stack, {**wire, "channel": {"type": "webhook", "webhookId": "nope"}})


def test_deleting_a_dashboard_takes_its_alerts_and_a_used_webhook_stays(stack: dbcloud.ClickStack) -> None:
    wire = documented_alert(stack)
    alert = create_alert(stack, wire)
    webhook = wire["channel"]["webhookId"]
    in_use = http_of(stack).delete(f"{path(stack, 'webhooks')}/{webhook}")
    assert in_use.status_code == 409
    stack.dashboards.delete(wire["dashboardId"])
    with pytest.raises(dbcloud.NotFoundError):
        stack.alerts.get(str(alert.id))
    assert http_of(stack).delete(f"{path(stack, 'webhooks')}/{webhook}").status_code == 200
    assert webhook not in [w.id for w in stack.webhooks.list()]


# --- pages (OSS) -----------------------------------------------------------------------------------


def test_oss_alert_pages_are_all_fetched(emu: Emulator, http: httpx.Client, service_id: str) -> None:
    with connect(emu, http, "oss", service_id) as stack:
        wire = documented_alert(stack)
        state = _oss(emu).state
        made = [state.save("alerts", dict(wire))["id"] for _ in range(1001)]  # beyond one page of 1,000
        before = emu.stats()["clickstack"]["requests"]
        listed = [a.id for a in stack.alerts.list()]
        assert emu.stats()["clickstack"]["requests"] - before == 2
        assert set(made) <= set(listed)
        assert len(listed) == len(set(listed))
        page = stack.http_client.get("/api/v2/alerts", params={"limit": 2, "offset": 1}).json()
        assert len(page["data"]) == 2
        assert page["meta"] == {"total": len(listed), "limit": 2, "offset": 1}
        assert page["data"][0]["id"] == listed[1]
        refused = stack.http_client.get("/api/v2/alerts", params={"limit": 0})
        assert refused.status_code == 400
        assert refused.json() == {"message": "limit must be between 1 and 1000"}
        for alert_id in made:
            state.delete("alerts", alert_id)


def _oss(emu: Emulator) -> EmulatedClickStack:
    service = emu.app.services["clickstack"]
    assert isinstance(service, EmulatedClickStack)
    return service


# --- faults ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["429", "502", "503", "504", "reset"])
def test_gets_survive_two_faults(
    stack: dbcloud.ClickStack, emu: Emulator, kind: str, flavour: Flavour
) -> None:
    flavour.set_sleep(stack, lambda seconds: None)
    before = emu.stats()[api(stack)]["faults_injected"]
    emu.add_fault(api(stack), Fault(kind, count=2))
    assert stack.sources.list()
    assert emu.stats()[api(stack)]["faults_injected"] == before + 2


def test_a_500_is_surfaced_not_retried(stack: dbcloud.ClickStack, emu: Emulator) -> None:
    emu.add_fault(api(stack), Fault("500", count=2))
    with pytest.raises(dbcloud.InternalServerError):
        stack.sources.list()
    emu.clear_faults()  # the second 500 was never asked for
    assert stack.sources.list()


def test_a_rate_limited_creation_is_sent_once_more_and_creates_once(
    stack: dbcloud.ClickStack, emu: Emulator, flavour: Flavour
) -> None:
    waits: list[float] = []
    flavour.set_sleep(stack, waits.append)
    name = api(stack)
    before = emu.stats()[name]
    emu.add_fault(name, Fault("429", count=1, methods=("POST",), retry_after=3))
    stack.dashboards.create(name="limited-once", tiles=[])
    after = emu.stats()[name]
    assert after["creates"] == before["creates"] + 1
    assert after["faults_injected"] == before["faults_injected"] + 1
    assert waits == [3]


@pytest.mark.parametrize("kind", ["502", "reset"])
def test_a_creation_is_sent_exactly_once(
    stack: dbcloud.ClickStack, emu: Emulator, kind: str, flavour: Flavour
) -> None:
    flavour.set_sleep(stack, lambda seconds: None)
    name = api(stack)
    creates = emu.stats()[name]["creates"]
    emu.add_fault(name, Fault(kind, count=1, methods=("POST",), retry_after=3))
    with pytest.raises(dbcloud.APIError):
        stack.dashboards.create(name=f"once-{kind}", tiles=[])
    assert emu.stats()[name]["creates"] == creates
    stack.dashboards.create(name=f"then-{kind}", tiles=[])
    assert emu.stats()[name]["creates"] == creates + 1


# --- bad input never makes a 500 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "resource", "content", "status"),
    [
        ("POST", "dashboards", b"{not json", 400),
        ("POST", "dashboards", b'{"name": 5, "tiles": []}', 400),
        ("POST", "dashboards", b'{"tiles": []}', 400),
        ("POST", "dashboards", b'["a", "list"]', 400),
        ("POST", "alerts", b'{"threshold": "high", "interval": "1h", "thresholdType": "above"}', 400),
        ("POST", "alerts", b'{"threshold": 1, "interval": "2h", "thresholdType": "above"}', 400),
        ("POST", "dashboards", b"x" * (1 << 21), 413),
        ("GET", "dashboards/..%2F..%2Fetc", None, 404),
        ("GET", "alerts/no-such-alert", None, 404),
        ("PATCH", "dashboards", None, 405),
    ],
)
def test_bad_requests_get_the_deployments_errors(
    stack: dbcloud.ClickStack, method: str, resource: str, content: bytes | None, status: int
) -> None:
    headers = {"Content-Type": "application/json"}
    response = http_of(stack).request(method, path(stack, resource), content=content, headers=headers)
    assert response.status_code == status
    body = response.json()
    if stack.mode == "oss":
        assert set(body) == {"message"}
    else:
        assert set(body) == {"status", "error", "requestId"}


def test_a_wrong_oss_key_is_refused(emu: Emulator, http: httpx.Client) -> None:
    with (
        dbcloud.ClickStack(
            endpoint=emu.env["CLICKSTACK_ENDPOINT"], api_key="wrong", http_client=http
        ) as stack,
        pytest.raises(dbcloud.AuthenticationError, match="CLICKSTACK_API_KEY"),
    ):
        stack.dashboards.list()
    response = http.get(emu.env["CLICKSTACK_ENDPOINT"] + "/api/v2/dashboards")
    assert response.status_code == 401
    assert set(response.json()) == {"message"}


# --- the stateful answers match the specs ----------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_stateful_answers_validate_against_the_spec(
    emu: Emulator, http: httpx.Client, service_id: str, shared_specs: Path, mode: str
) -> None:
    api = "clickstack_oss" if mode == "oss" else "clickhouse"
    check = SpecCheck(shared_specs, api)
    with connect(emu, http, mode, service_id) as stack:
        client = stack.http_client
        wire = documented_alert(stack)
        alert = check.answer(client.post(path(stack, "alerts"), json=wire))
        alert_id = (alert.get("data") or alert.get("result"))["id"]
        source = next(s for s in stack.sources.list() if s.kind == "log")
        search = {"name": "Errors", "sourceId": source.id, "where": "SeverityText:error"}
        saved = check.answer(client.post(path(stack, "saved-searches"), json=search))
        saved_id = (saved.get("data") or saved.get("result"))["id"]
        for resource in (
            "dashboards", f"dashboards/{wire['dashboardId']}", "alerts", f"alerts/{alert_id}", "sources",
            f"sources/{source.id}", "webhooks", "saved-searches", f"saved-searches/{saved_id}",
        ):  # fmt: skip
            check.answer(client.get(path(stack, resource)))
        check.answer(client.put(path(stack, f"alerts/{alert_id}"), json={**wire, "threshold": 7}))
        check.answer(client.delete(path(stack, f"alerts/{alert_id}")))
    assert check.checked == 13
