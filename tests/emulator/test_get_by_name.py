"""`get_by_name` on every resource that has one, against the emulator, on both flavours: a script
adopts what exists (the same id the list gives) and learns, as a `NotFoundError`, what does not."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import dbcloud
from dbcloud.emulator import Emulator, running
from dbcloud.emulator.clickhouse import ORG_ID
from tests._bridge import Flavour


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running(speed=3000) as emulator:
        yield emulator


def cockroach(emu: Emulator, flavour: Flavour) -> Any:
    env = emu.env
    return flavour.client(
        dbcloud.CockroachCloud,
        dbcloud.AsyncCockroachCloud,
        api_key=env["COCKROACH_API_KEY"],
        base_url=env["COCKROACH_SERVER"],
    )


def acm(emu: Emulator, flavour: Flavour) -> Any:
    env = emu.env
    return flavour.client(
        dbcloud.Altinity, dbcloud.AsyncAltinity, token=env["ACM_API_KEY"], base_url=env["ACM_API_URL"]
    )


def clickhouse(emu: Emulator, flavour: Flavour) -> Any:
    env = emu.env
    return flavour.client(
        dbcloud.ClickHouseCloud,
        dbcloud.AsyncClickHouseCloud,
        key_id=env["CLICKHOUSE_CLOUD_API_KEY"],
        key_secret=env["CLICKHOUSE_CLOUD_API_SECRET"],
        base_url=env["CLICKHOUSE_API_URL"],
        org_id=ORG_ID,
    )


def clickstack(emu: Emulator, flavour: Flavour) -> Any:
    env = emu.env
    return flavour.client(
        dbcloud.ClickStack,
        dbcloud.AsyncClickStack,
        endpoint=env["CLICKSTACK_ENDPOINT"],
        api_key=env["CLICKSTACK_API_KEY"],
    )


def new_cluster(client: Any, name: str) -> tuple[Any, tuple[Any, ...]]:
    return client.clusters.create_serverless(name), ()


def new_service_account(client: Any, name: str) -> tuple[Any, tuple[Any, ...]]:
    return client.service_accounts.create(name, "adopted by name"), ()


def new_acm_cluster(client: Any, name: str) -> tuple[Any, tuple[Any, ...]]:
    cluster = client.clusters.launch(
        176, name=name, admin_pass="pw-1234567", node_type="m5.large", nodes=1, replicas=1, size=100
    )
    return cluster, (176,)


def new_dashboard(client: Any, name: str) -> tuple[Any, tuple[Any, ...]]:
    return client.dashboards.create(name=name, tiles=[]), ()


def new_webhook(client: Any, name: str) -> tuple[Any, tuple[Any, ...]]:
    return client.webhooks.create(name=name, service="generic", url="https://hooks.example.com/by-name"), ()


def new_saved_search(client: Any, name: str) -> tuple[Any, tuple[Any, ...]]:
    source = next(iter(client.sources.list()))
    return client.saved_searches.create(name=name, source_id=source.id, where="level:error"), ()


def seeded(resource: str, *scope: Any) -> Callable[[Any, str], tuple[Any, tuple[Any, ...]]]:
    """The first of what the emulator holds from the start (its name is the one looked up)."""

    def first(client: Any, _name: str) -> tuple[Any, tuple[Any, ...]]:
        return next(iter(getattr(client, resource).list(*scope))), scope

    return first


# (client, resource, how to get one that exists) for every resource with a get_by_name.
CASES: dict[str, tuple[Callable[[Emulator, Flavour], Any], str, Callable[[Any, str], Any]]] = {
    "cockroach-clusters": (cockroach, "clusters", new_cluster),
    "cockroach-service-accounts": (cockroach, "service_accounts", new_service_account),
    "acm-environments": (acm, "environments", seeded("environments")),
    "acm-clusters": (acm, "clusters", new_acm_cluster),
    "clickhouse-services": (clickhouse, "services", seeded("services")),
    "clickhouse-organizations": (clickhouse, "organizations", seeded("organizations")),
    "clickhouse-keys": (clickhouse, "keys", seeded("keys")),
    "clickstack-sources": (clickstack, "sources", seeded("sources")),
    "clickstack-dashboards": (clickstack, "dashboards", new_dashboard),
    "clickstack-webhooks": (clickstack, "webhooks", new_webhook),
    "clickstack-saved-searches": (clickstack, "saved_searches", new_saved_search),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_exists_is_adopted_and_what_does_not_is_not_found(
    case: str, emu: Emulator, flavour: Flavour
) -> None:
    connect, resource, make = CASES[case]
    with connect(emu, flavour) as client:
        made, scope = make(client, f"by-name-{flavour.name}")
        resources = getattr(client, resource)
        found = resources.get_by_name(*scope, made.name)
        assert (found.id, found.name) == (made.id, made.name)
        with pytest.raises(dbcloud.NotFoundError) as caught:
            resources.get_by_name(*scope, "nothing-is-called-this")
        assert "nothing-is-called-this" in str(caught.value)


# Resources the emulator cannot make yet, looked up by name over MockTransport instead.
ELSEWHERE = {"clickstack.Alerts"}  # tests/clickstack/test_by_name.py


def test_every_resource_with_a_get_by_name_is_covered(emu: Emulator) -> None:
    from dbcloud._resource import Resource

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    sync = Flavour("sync")
    covered = set(ELSEWHERE)
    for connect, resource, _make in CASES.values():
        with connect(emu, sync) as client:
            cls = type(getattr(client, resource))
            covered.add(f"{cls.__module__.split('.')[1]}.{cls.__name__}")
    # Resource modules load lazily: load every one of each vendor's package first.
    for vendor in ("altinity", "clickhouse", "clickstack", "cockroach"):
        package = importlib.import_module(f"dbcloud.{vendor}")
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"dbcloud.{vendor}.{module.name}")
    having = {
        f"{cls.__module__.split('.')[1]}.{cls.__name__}"
        for cls in subclasses(Resource)
        if "get_by_name" in vars(cls)
    }
    assert covered == having
