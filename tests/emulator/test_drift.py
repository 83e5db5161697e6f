"""The emulator's drift mode: each API's successful answers deviate from the spec as documented."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud._vendors import vendor_names
from dbcloud.emulator import DEMO_CREDENTIALS, DRIFT_KINDS, Drift, Emulator, running
from dbcloud.emulator._drift import UNKNOWN_ENUM_VALUE, drift_payload

_BASIC = base64.b64encode(DEMO_CREDENTIALS["clickhouse"].encode()).decode()

# One read per API whose answer holds records: (method, path, headers, body, where the records are).
READS: dict[str, tuple[str, str, dict[str, str], Any, Callable[[Any], list[dict[str, Any]]]]] = {
    "acm": (
        "GET",
        "/acm/api/environments",
        {"X-Auth-Token": DEMO_CREDENTIALS["acm"]},
        None,
        lambda b: b["data"],
    ),
    "clickhouse": (
        "GET",
        "/clickhouse/v1/organizations",
        {"Authorization": f"Basic {_BASIC}"},
        None,
        lambda b: b["result"],
    ),
    "clickstack": (
        "GET",
        "/clickstack/api/v2/sources",
        {"Authorization": f"Bearer {DEMO_CREDENTIALS['clickstack']}"},
        None,
        lambda b: b["data"],
    ),
    "cockroach": (
        "GET",
        "/cockroach/api/v1/clusters/available-regions?provider=GCP",
        {"Authorization": f"Bearer {DEMO_CREDENTIALS['cockroach']}"},
        None,
        lambda b: b["regions"],
    ),
    "anywhere": (
        "POST",
        "/anywhere/api/v1/graphql",
        {"Authorization": f"Bearer {DEMO_CREDENTIALS['anywhere']}"},
        {"query": "{ awsEnvs { name spec { region nodeGroups { capacityPerZone } } } }"},
        lambda b: b["data"]["awsEnvs"],
    ),
}


def test_every_registered_vendor_has_a_read() -> None:
    assert set(READS) == set(vendor_names())


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running() as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def no_drift(emu: Emulator) -> Iterator[None]:
    emu.clear_drift()
    yield
    emu.clear_drift()


def read(emu: Emulator, api: str) -> Any:
    method, path, headers, body, _ = READS[api]
    answer = httpx.request(method, emu.url + path, headers=headers, json=body, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def records(api: str, body: Any) -> list[dict[str, Any]]:
    found = READS[api][4](body)
    assert found, f"the {api} read returned no records"
    return found


# --- the rewriting rules, on a body of every shape ------------------------------------------------

BODY = {
    "status": 200,
    "requestId": "r-1",
    "result": [
        {
            "id": "s-1",
            "name": "svc",
            "state": "running",
            "tier": "PRODUCTION",
            "numReplicas": 3,
            "idleScaling": True,
            "endpoints": [{"protocol": "https", "host": "h", "port": 8443}],
            "region": "us-east-1",
        }
    ],
}


def test_unknown_enum_rewrites_state_fields_of_records_only() -> None:
    out = drift_payload(BODY, ["unknown-enum"])
    service = out["result"][0]
    assert service["state"] == UNKNOWN_ENUM_VALUE
    assert service["tier"] == "DRIFT_UNKNOWN"  # upper-case enums stay upper case
    assert service["region"] == "us-east-1"
    assert out["status"] == 200  # the envelope is not a record


def test_null_nulls_every_field_but_identity_and_state() -> None:
    service = drift_payload(BODY, ["null"])["result"][0]
    assert (service["id"], service["name"], service["state"]) == ("s-1", "svc", "running")
    assert [service[key] for key in ("numReplicas", "endpoints", "region")] == [None, None, None]


def test_missing_leaves_out_every_field_but_identity_and_state() -> None:
    service = drift_payload(BODY, ["missing"])["result"][0]
    assert service == {"id": "s-1", "name": "svc", "state": "running", "tier": "PRODUCTION"}


def test_text_number_sends_numbers_and_booleans_as_text_inside_records() -> None:
    out = drift_payload(BODY, ["text-number"])
    service = out["result"][0]
    assert (service["numReplicas"], service["idleScaling"]) == ("3", "true")
    assert service["endpoints"][0]["port"] == "8443"  # nested records too
    assert out["status"] == 200


def test_kinds_apply_in_the_documented_order() -> None:
    assert Drift(("text-number", "missing")).kinds == ("missing", "text-number")
    with pytest.raises(ValueError, match="unknown drift kinds"):
        Drift(("sideways",))
    with pytest.raises(ValueError, match="rate"):
        Drift(("null",), rate=2)


# --- per API, through the running emulator --------------------------------------------------------


@pytest.mark.parametrize("api", sorted(READS))
def test_without_drift_answers_are_unchanged(emu: Emulator, api: str) -> None:
    first = records(api, read(emu, api))
    emu.set_drift(api, ["unknown-enum"])
    emu.clear_drift()
    assert records(api, read(emu, api)) == first


@pytest.mark.parametrize("kind", DRIFT_KINDS)
@pytest.mark.parametrize("api", sorted(READS))
def test_each_kind_changes_the_answer_as_documented(emu: Emulator, api: str, kind: str) -> None:
    plain = records(api, read(emu, api))
    emu.set_drift(api, [kind])
    drifted = records(api, read(emu, api))
    expected = [drift_payload(record, [kind]) for record in plain]
    ids = [(r.get("id"), r.get("name")) for r in expected]
    assert [(r.get("id"), r.get("name")) for r in drifted] == ids
    assert drifted == expected
    if kind != "unknown-enum" or any(key in r for r in plain for key in ("state", "status", "kind")):
        assert drifted != plain


def test_drift_on_one_api_leaves_the_others_alone(emu: Emulator) -> None:
    before = read(emu, "acm")
    emu.set_drift("clickhouse", DRIFT_KINDS)
    assert read(emu, "acm") == before
    assert records("clickhouse", read(emu, "clickhouse"))[0]["name"] == "Emulated Organization"


def test_errors_do_not_drift(emu: Emulator) -> None:
    emu.set_drift("acm", DRIFT_KINDS)
    answer = httpx.get(f"{emu.url}/acm/api/environments", headers={"X-Auth-Token": "wrong"}, timeout=10)
    assert answer.status_code == 401
    assert "drift" not in answer.text


def test_a_rate_drifts_some_answers_repeatably() -> None:
    def run() -> list[bool]:
        with running(drift={"acm": Drift(("text-number",), rate=0.5)}) as emulator:
            return [isinstance(records("acm", read(emulator, "acm"))[0]["id"], str) for _ in range(12)]

    first = run()
    assert first == run()
    assert set(first) == {True, False}


# --- set at start, and through the control endpoint -----------------------------------------------


def test_drift_is_set_at_start() -> None:
    with running(drift={"cockroach": ["text-number"]}) as emulator:
        region = records("cockroach", read(emulator, "cockroach"))[0]
        assert isinstance(region["distance"], str)
        assert region["serverless"] == "true"
        assert emulator.stats()["cockroach"]["answers_drifted"] == 1


def test_the_control_endpoint_sets_reads_and_clears_drift(emu: Emulator) -> None:
    assert emu.control("POST", "/drift", {"api": "acm", "kinds": ["unknown-enum", "missing"]})["ok"]
    settings = emu.control("GET", "/drift")
    assert settings["acm"] == {"kinds": ["missing", "unknown-enum"], "rate": 1.0}
    assert settings["clickhouse"] is None
    assert set(records("acm", read(emu, "acm"))[0]) <= {"id", "name", "status", "state"}
    emu.control("POST", "/drift", {"api": "clickhouse", "kinds": "null"})
    emu.control("DELETE", "/drift?api=acm")
    assert emu.control("GET", "/drift")["acm"] is None
    assert emu.control("GET", "/drift")["clickhouse"] == {"kinds": ["null"], "rate": 1.0}
    emu.control("DELETE", "/drift")
    assert set(emu.control("GET", "/drift").values()) == {None}


@pytest.mark.parametrize(
    "payload",
    [
        {"api": "nope", "kinds": ["null"]},
        {"api": "acm", "kinds": ["sideways"]},
        {"api": "acm", "kind": "null"},
    ],
    ids=["unknown-api", "unknown-kind", "unknown-field"],
)
def test_the_control_endpoint_refuses_a_bad_plan(emu: Emulator, payload: dict[str, Any]) -> None:
    answer = httpx.post(
        f"{emu.url}/_emulator/drift",
        content=json.dumps(payload),
        headers={"Authorization": f"Bearer {emu.token}"},
        timeout=10,
    )
    assert answer.status_code == 400
    assert all(value is None for value in emu.control("GET", "/drift").values())


# --- what a user's code reads from a drifting emulator ----------------------------------------------


def test_a_facade_reads_typed_values_from_drifting_cockroach(emu: Emulator) -> None:
    emu.set_drift("cockroach", ["text-number"])
    client = dbcloud.CockroachCloud(
        api_key=emu.credentials["cockroach"], base_url=emu.env["COCKROACH_SERVER"]
    )
    with client:
        regions = list(client.clusters.available_regions(provider="GCP"))
    assert regions[0].name == "us-central1"
    assert isinstance(regions[0].distance, float)


def test_a_facade_reads_a_text_boolean_from_drifting_cockroach(emu: Emulator) -> None:
    emu.set_drift("cockroach", ["text-number"])
    client = dbcloud.CockroachCloud(
        api_key=emu.credentials["cockroach"], base_url=emu.env["COCKROACH_SERVER"]
    )
    with client:
        regions = list(client.clusters.available_regions(provider="GCP"))
    assert regions[0].serverless is True


def test_a_facade_keeps_an_unknown_source_kind_from_drifting_clickstack(emu: Emulator) -> None:
    emu.set_drift("clickstack", ["unknown-enum"])
    client = dbcloud.ClickStack(
        endpoint=emu.env["CLICKSTACK_ENDPOINT"], api_key=emu.credentials["clickstack"]
    )
    with client:
        sources = client.sources.list()
    assert [source.name for source in sources][:1] == ["Logs"]
    assert str(sources[0].kind) == UNKNOWN_ENUM_VALUE


def test_a_facade_reads_text_ids_from_drifting_acm(emu: Emulator) -> None:
    emu.set_drift("acm", ["text-number"])
    client = dbcloud.Altinity(token=emu.credentials["acm"], base_url=emu.env["ACM_API_URL"])
    with client:
        environments = client.environments.list()
    assert environments
    assert all(isinstance(env.id, str) and env.id.isdigit() for env in environments)  # ids as text
    assert all(isinstance(env.model.id, int) for env in environments)  # the model reads the number
