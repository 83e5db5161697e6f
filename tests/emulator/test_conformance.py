"""The emulator's answers validate against the vendors' own specs.

Each operation of each emulated REST API is called once with sample arguments (and a body built
from the request model); every 2xx answer is validated against the response schema of the vendor's
spec, as the pipeline prepares it (repairs and overlays applied), with openapi-schema-validator.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30Validator, OAS31Validator

from dbcloud.emulator import Emulator, running
from dbcloud.emulator._models import model_class, synthesize
from tests.emulator._spec import prepared

# API (sources.toml) → emulator prefix, and the facade setting holding its base URL.
APIS = {
    "acm": ("acm", "ACM_API_URL"),
    "clickhouse": ("clickhouse", "CLICKHOUSE_API_URL"),
    "clickstack_oss": ("clickstack", "CLICKSTACK_ENDPOINT"),
    "cockroach": ("cockroach", "COCKROACH_SERVER"),
}


# Measured: acm 256 of 269, clickhouse 108 of 142, clickstack_oss 24 of 38, cockroach 123 of 144.
# The rest answer 400 or 404, as the vendor would, to sample ids and bodies that `_real_ids` does not
# replace (CockroachDB's service accounts and API keys, ClickHouse's keys and roles, ClickPipe,
# setting and ClickStack bodies, exports the sample bodies do not fit); those answers are validated
# with real objects in each API's own emulator tests (tests/emulator/test_*.py).
MINIMUM_VALIDATED = {"acm": 256, "clickhouse": 108, "clickstack_oss": 24, "cockroach": 123}


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running(speed=3000) as emulator:
        yield emulator


def _sample(kind: str, package: str) -> Any:
    simple = {"int": 1, "float": 1.0, "bool": "true", "UUID": "00000000-0000-4000-8000-000000000001"}
    if kind in simple:
        return simple[kind]
    if kind.startswith("datetime"):
        return dt.datetime(2026, 1, 1, tzinfo=dt.UTC).isoformat()
    if kind[:1].isupper():
        index = getattr(importlib.import_module(f"{package}.models"), "_MODULES", {})
        if kind in index:
            found = getattr(importlib.import_module(index[kind], f"{package}.models"), kind)
            if isinstance(found, type) and issubclass(found, enum.Enum):
                return next(iter(found)).value
    return "x"


def _clickstack_objects(client: httpx.Client, base: str) -> dict[str, str]:
    """One of each ClickStack object under `base` (the OSS API's root, or a managed service's
    `clickstack`), by the collection its path names: {"sources": id, "webhooks": id, ...}."""

    def made(path: str, body: dict[str, Any]) -> str:
        answer = client.post(f"{base}/{path}", json=body).json()
        found = answer.get("result") or answer.get("data") or answer
        return str(found.get("id") or found.get("_id") or "")

    listed = client.get(f"{base}/sources").json()
    source = str(((listed.get("result") or listed.get("data") or [{}])[0]).get("id") or "")
    webhook = made(
        "webhooks", {"name": "conformance", "service": "generic", "url": "https://hooks.example.com/c"}
    )
    search = made(
        "saved-searches",
        {"name": "conformance", "sourceId": source, "where": "level:error", "whereLanguage": "lucene"},
    )
    dashboard = made("dashboards", {"name": "conformance", "tiles": [], "tags": []})
    alert = made(
        "alerts",
        {
            "name": "conformance",
            "source": "saved_search",
            "savedSearchId": search,
            "threshold": 1,
            "interval": "5m",
            "thresholdType": "above",
            "channel": {"type": "webhook", "webhookId": webhook},
        },
    )
    return {
        "sources": source,
        "webhooks": webhook,
        "saved-searches": search,
        "dashboards": dashboard,
        "alerts": alert,
    }


def _real_ids(api: str, client: httpx.Client, emu: Emulator) -> dict[str, str]:
    """Ids of objects that exist, for the path parameters that name a parent the emulator checks
    (an operation it does not emulate answers 404 for a cluster, service or organization that does
    not exist, so sample ids would leave those answers unchecked)."""
    if api == "cockroach":
        # An Advanced AWS cluster: the one plan every cluster operation applies to (log and metric
        # exports, maintenance windows), holding one of each thing its deeper paths name.
        hardware = {"machine_spec": {"num_virtual_cpus": 4}, "storage_gib": 15}
        made = client.post(
            "/api/v1/clusters",
            json={
                "name": "conformance",
                "provider": "AWS",
                "spec": {"dedicated": {"region_nodes": {"us-east-1": 3}, "hardware": hardware}},
            },
        )
        cid = made.json()["id"]
        emu.advance(3600)  # ready: a cluster takes changes only then
        under = f"/api/v1/clusters/{cid}"
        # "conformance" names both a SQL user and a database: the `name` of either kind of path.
        client.post(f"{under}/sql-users", json={"name": "conformance", "password": "conformance-pw-1"})
        client.post(f"{under}/databases", json={"name": "conformance"})
        entry = {"cidr_ip": "10.0.0.0", "cidr_mask": 8, "ui": True, "sql": True, "name": "office"}
        client.post(f"{under}/networking/allowlist", json=entry)
        restore = client.post(f"{under}/restores", json={"type": "CLUSTER"}).json()
        folder = client.post("/api/v1/folders", json={"name": "conformance", "parent_id": "root"}).json()
        return {
            "cluster_id": cid,
            "name": "conformance",
            "cidr_ip": "10.0.0.0",
            "cidr_mask": "8",
            "restore_id": str(restore.get("id", "")),
            "folder_id": str(folder.get("resource_id", "")),
        }
    if api == "clickstack_oss":
        return {f"{kind}/id": made for kind, made in _clickstack_objects(client, "/api/v2").items()}
    if api == "clickhouse":
        from dbcloud.emulator.clickhouse import ORG_ID

        services = client.get(f"/v1/organizations/{ORG_ID}/services").json()["result"]
        ids = {"organization_id": ORG_ID, "service_id": services[0]["id"]}
        # A ClickPipe of that service, for the pipe operations the emulator answers statefully.
        pipe = client.post(
            f"/v1/organizations/{ORG_ID}/services/{ids['service_id']}/clickpipes",
            json={
                "name": "conformance",
                "source": {
                    "kafka": {
                        "type": "kafka",
                        "format": "JSONEachRow",
                        "brokers": "b:9092",
                        "topics": "t",
                        "authentication": "PLAIN",
                        "credentials": {"username": "u", "password": "p"},
                    }
                },
                "destination": {"database": "default", "table": "t", "managedTable": True},
            },
        )
        # A scaling schedule of that service, so that reading and deleting it answer 200.
        client.post(
            f"/v1/organizations/{ORG_ID}/services/{ids['service_id']}/scalingSchedule",
            json={"entries": [{"name": "weekdays", "weekdays": [1, 2], "startHourUtc": 8, "endHourUtc": 18}]},
        )
        under = f"/v1/organizations/{ORG_ID}"
        service = f"{under}/services/{ids['service_id']}"
        # A query endpoint, an invitation and the first of what the organization holds already.
        client.post(
            f"{service}/serviceQueryEndpoint",
            json={"roles": ["sql_console_read_only"], "openApiKeys": [], "allowedOrigins": ""},
        )
        invitation = client.post(
            f"{under}/invitations", json={"email": "conformance@example.com", "role": "developer"}
        )

        def first(path: str) -> str:
            result = client.get(path).json().get("result") or [{}]
            return str(result[0].get("id") or result[0].get("userId") or "")

        return {
            **ids,
            "click_pipe_id": pipe.json()["result"]["id"],
            "invitation_id": str((invitation.json().get("result") or {}).get("id") or ""),
            "user_id": first(f"{under}/members"),
            "activity_id": first(f"{under}/activities"),
            "backup_id": first(f"{service}/backups"),
            **{
                f"click_stack_{kind.replace('-', '_').rstrip('s')}_id": made
                for kind, made in _clickstack_objects(client, f"{service}/clickstack").items()
            },
        }
    if api == "acm":
        launch = {
            "name": "conformance",
            "nodes": 1,
            "shards": 1,
            "replicas": 1,
            "nodeType": "m5.large",
            "adminPass": "conformance-pw",
            "size": 10,
        }
        made = client.post("/environment/176/clusters/launch", json=launch)
        cluster = str(made.json()["data"]["id"])
        return {"id": cluster, "cluster": cluster}
    return {}


def _schema(doc: dict[str, Any], route: Any, status: int) -> dict[str, Any] | None:
    path = route.path
    for wire, python, _ in route.path_params:
        path = path.replace("{" + python + "}", "{" + wire + "}")
    responses = doc["paths"][path][route.method.lower()]["responses"]
    content = (responses.get(str(status)) or {}).get("content") or {}
    media = next((m for m in content if "json" in m), None)
    return content[media].get("schema") if media else None


@pytest.mark.parametrize("api", sorted(APIS))
def test_every_answer_validates_against_the_vendor_spec(api: str, emu: Emulator, shared_specs: Path) -> None:
    prefix, setting = APIS[api]
    if prefix not in emu.app.services:
        pytest.skip(f"{api} is not emulated")
    service = emu.app.services[prefix]
    package: str = service.package  # type: ignore[attr-defined]
    routes = importlib.import_module(f"{package}._routes")
    doc = prepared(shared_specs, api)
    validator = OAS31Validator if doc["openapi"].startswith("3.1") else OAS30Validator
    base = emu.env[setting]
    headers = _auth_headers(routes.SECURITY, service.credential)  # type: ignore[attr-defined]
    validated, failures = 0, []
    with httpx.Client(base_url=base, headers=headers) as client:
        real = _real_ids(api, client, emu)
        emu.advance(3600)  # what was made for `real` is ready
        # Deletes last, so that every other operation still finds the objects of `real`, and the
        # deeper paths first, so that a cluster is deleted only after what it holds (whether a
        # deleted cluster is gone already would otherwise depend on how long the run took).
        for route in sorted(routes.ROUTES, key=lambda r: (r.method == "DELETE", -r.path.count("/"))):
            path = route.path
            for _, python, kind in route.path_params:
                # A parameter is looked up by the collection it names first ("sources/id"), as one
                # name (`id`) stands for the ids of every kind of ClickStack object.
                collection = path.split("{" + python + "}")[0].rstrip("/").rsplit("/", 1)[-1]
                value = real.get(f"{collection}/{python}") or real.get(python) or str(_sample(kind, package))
                path = path.replace("{" + python + "}", value)
            params = {wire: _sample(kind, package) for wire, _, required, kind in route.query if required}
            sent: dict[str, Any] = {}
            if route.body is not None and route.body[1] is not None:
                body = synthesize(model_class(route.body[1].split(" | ")[0]))
                sent = (
                    {"data": body} if route.body[0] == "application/x-www-form-urlencoded" else {"json": body}
                )
            answer = client.request(route.method, path, params=params, **sent)
            assert answer.status_code < 500, (route.name, answer.text)
            schema = _schema(doc, route, answer.status_code) if answer.status_code < 300 else None
            if schema is None:
                continue
            wrapped = {**schema, "components": doc.get("components", {})}
            errors = list(validator(wrapped).iter_errors(answer.json()))
            if errors:
                failures.append(f"{route.name}: {errors[0].message} at {list(errors[0].absolute_path)}")
            validated += 1
    print(f"{api}: {validated} of {len(routes.ROUTES)} answers validated against the spec")
    assert failures == [], "\n".join(failures[:20])
    # Operations answered 2xx with a body to check, at the least; the rest need existing objects the
    # sample ids don't name (they answer 404 or 400, as the vendor would). The stateful answers are
    # also checked against the specs with real ids in each API's own emulator tests.
    assert validated >= MINIMUM_VALIDATED[api], validated


def _auth_headers(security: str, credential: str) -> dict[str, str]:
    import base64

    if security.startswith("apiKey:header:"):
        return {security.split(":", 2)[2]: credential}
    if security == "http:basic":
        return {"Authorization": "Basic " + base64.b64encode(credential.encode()).decode()}
    return {"Authorization": f"Bearer {credential}"}


@pytest.mark.parametrize(
    ("api", "path"),
    [
        ("cockroach", "/api/v1/clusters/3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b/cmek"),
        (
            "clickhouse",
            "/v1/organizations/3c1b7a8e-52d4-4f60-9a3e-6d2b8f1c0e57/services/"
            "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/clickpipes",
        ),
        (
            "clickhouse",
            "/v1/organizations/00000000-0000-4000-8000-000000000000/privateEndpointConfig"
            "?cloud_provider=aws&region_id=us-east-1",
        ),
    ],
)
def test_an_operation_it_does_not_emulate_answers_404_for_what_does_not_exist(
    api: str, path: str, emu: Emulator
) -> None:
    # A synthesized answer would otherwise describe a cluster, service or organization that is not
    # there (200 and an empty list), which no real service does and no test could rely on.
    prefix, setting = APIS[api]
    service = emu.app.services[prefix]
    routes = importlib.import_module(f"{service.package}._routes")  # type: ignore[attr-defined]
    headers = _auth_headers(routes.SECURITY, service.credential)  # type: ignore[attr-defined]
    answer = httpx.get(emu.env[setting] + path, headers=headers)
    assert answer.status_code == 404, answer.text
