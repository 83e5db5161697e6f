"""Request bodies read by their Content-Type, and secrets refused on the URL, over real loopback HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from dbcloud.emulator import Emulator, running
from dbcloud.emulator.acm import LAUNCH_SECONDS
from dbcloud.emulator.clickhouse import ORG_ID

FORM = "application/x-www-form-urlencoded"
LAUNCH = {
    "name": "bodies",
    "nodes": 2,
    "shards": 1,
    "replicas": 2,
    "nodeType": "m5.large",
    "size": 100,
    "adminPass": "pw-in-the-body-1234",
    "secure": True,
    "zookeeper": "launch",
    "zookeeperOptions": {"tag": "", "size": "single"},
}


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running(speed=3000) as emulator:
        yield emulator


@pytest.fixture
def acm(emu: Emulator) -> Iterator[httpx.Client]:
    headers = {"X-Auth-Token": emu.env["ACM_API_KEY"]}
    with httpx.Client(base_url=emu.env["ACM_API_URL"], headers=headers) as client:
        yield client


def creates(emu: Emulator, api: str = "acm") -> int:
    return int(emu.stats()[api]["creates"])


# --- the launch takes a JSON body -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/environment/176/clusters/launch", "/176/cluster-launch"])
def test_a_json_launch_creates_a_cluster_at_both_paths(acm: httpx.Client, emu: Emulator, path: str) -> None:
    before = creates(emu)
    answer = acm.post(path, json=LAUNCH)
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    assert (data["name"], data["status"], data["secure"]) == ("bodies", "launching", True)
    assert creates(emu) == before + 1
    assert acm.get(f"/cluster/{data['id']}").json()["data"]["name"] == "bodies"


def test_numbers_and_booleans_may_come_as_text(acm: httpx.Client, emu: Emulator) -> None:
    before = creates(emu)
    text = {**LAUNCH, "nodes": "2", "shards": "1", "replicas": "2", "size": "100", "secure": "false"}
    answer = acm.post("/environment/176/clusters/launch", json=text)
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["secure"] is False
    assert creates(emu) == before + 1


@pytest.mark.parametrize(
    ("change", "word"),
    [
        ({"zookeeperOptions": "single"}, "zookeeperOptions"),
        ({"nodes": 2.5}, "nodes"),
        ({"secure": "maybe"}, "secure"),
    ],
)
def test_a_launch_of_the_wrong_types_is_refused(
    acm: httpx.Client, emu: Emulator, change: dict[str, Any], word: str
) -> None:
    before = creates(emu)
    answer = acm.post("/environment/176/clusters/launch", json={**LAUNCH, **change})
    assert answer.json()["data"] is None
    assert word in answer.json()["error"]
    assert creates(emu) == before


# --- secrets on the URL are refused ---------------------------------------------------------------


def test_the_old_query_launch_with_admin_pass_is_refused(acm: httpx.Client, emu: Emulator) -> None:
    before = creates(emu)
    params = {k: json.dumps(v) if isinstance(v, dict) else str(v) for k, v in LAUNCH.items()}
    answer = acm.post("/environment/176/clusters/launch", params=params)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert "adminPass" in error
    assert "body" in error
    assert LAUNCH["adminPass"] not in answer.text
    assert creates(emu) == before


def test_login_takes_a_form(emu: Emulator) -> None:
    with httpx.Client(base_url=emu.env["ACM_API_URL"]) as client:
        answer = client.post("/login", data={"login": "demo@example.com", "password": "demo-password"})
        assert answer.status_code == 200, answer.text
        token = answer.json()["data"]["token"]
        assert client.get("/environments", headers={"X-Auth-Token": token}).status_code == 200
        wrong = client.post("/login", data={"login": "demo@example.com", "password": "wrong"})
        assert wrong.status_code == 401


def test_login_also_takes_json(emu: Emulator) -> None:
    answer = httpx.post(
        f"{emu.env['ACM_API_URL']}/login", json={"login": "demo@example.com", "password": "demo-password"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["token"]


def test_a_password_in_the_login_url_is_refused_before_auth(emu: Emulator) -> None:
    answer = httpx.post(
        f"{emu.env['ACM_API_URL']}/login", params={"login": "demo@example.com", "password": "hunter2-secret"}
    )
    assert answer.status_code == 400
    assert "'password'" in answer.json()["error"]
    assert "hunter2-secret" not in answer.text


def test_a_secret_in_the_url_is_refused_even_without_credentials(emu: Emulator) -> None:
    answer = httpx.get(f"{emu.env['ACM_API_URL']}/environments", params={"token": "abc-secret"})
    assert answer.status_code == 400  # not 401: nothing past the door looks at it
    assert "abc-secret" not in answer.text


def test_every_api_refuses_a_secret_in_the_url_in_its_own_shape(emu: Emulator) -> None:
    clickhouse = httpx.get(
        f"{emu.env['CLICKHOUSE_API_URL']}/v1/organizations", params={"apiKeySecret": "s-1"}
    )
    assert clickhouse.status_code == 400
    assert clickhouse.json()["status"] == 400
    assert "apiKeySecret" in clickhouse.json()["error"]
    cockroach = httpx.get(f"{emu.env['COCKROACH_SERVER']}/api/v1/clusters", params={"password": "s-2"})
    assert cockroach.status_code == 400
    assert "password" in cockroach.json()["message"]
    anywhere = httpx.post(
        f"{emu.env['ALTINITYCLOUD_API_URL']}/api/v1/graphql",
        params={"access_token": "s-3"},
        json={"query": "{ __typename }"},
    )
    assert anywhere.status_code == 400
    assert "access_token" in anywhere.json()["errors"][0]["message"]
    for answer in (clickhouse, cockroach, anywhere):
        assert "s-1" not in answer.text
        assert "s-2" not in answer.text
        assert "s-3" not in answer.text


# --- the body's kind must be the operation's --------------------------------------------------------


def test_a_form_to_a_json_route_is_refused(acm: httpx.Client, emu: Emulator) -> None:
    before = creates(emu)
    fields = {k: v for k, v in LAUNCH.items() if not isinstance(v, dict)}
    answer = acm.post("/environment/176/clusters/launch", data=fields)  # type: ignore[arg-type]
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert "takes its body as application/json" in error
    assert FORM in error
    assert creates(emu) == before


def test_json_to_a_form_route_is_refused(emu: Emulator) -> None:
    answer = httpx.post(f"{emu.env['ACM_API_URL']}/login/reset", json={"code": "c", "password": "p"})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert f"takes its body as {FORM}" in error
    assert "application/json" in error


def test_a_form_field_given_twice_is_refused(emu: Emulator) -> None:
    answer = httpx.post(
        f"{emu.env['ACM_API_URL']}/login",
        content=b"login=demo%40example.com&password=a&password=b",
        headers={"Content-Type": FORM},
    )
    assert answer.status_code == 400
    assert "'password' is given more than once" in answer.json()["error"]


def test_a_form_to_a_form_route_is_read(emu: Emulator) -> None:
    answer = httpx.post(f"{emu.env['ACM_API_URL']}/login/reset", data={"code": "c", "password": "p"})
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("kind", ["form", "json list", "json text"])
def test_the_account_keys_come_in_the_body(acm: httpx.Client, kind: str) -> None:
    tokens = acm.get("/account").json()["data"]["tokens"]
    if kind == "form":
        answer = acm.post("/account", data={"tokens": json.dumps(tokens)})
    else:
        answer = acm.post("/account", json={"tokens": tokens if kind == "json list" else json.dumps(tokens)})
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["tokens"] == tokens
    refused = acm.post("/account", data={"tokens": "not json"})
    assert refused.status_code == 400


# --- the other vendors' JSON routes are as before ---------------------------------------------------


def test_clickhouse_and_cockroach_json_routes_are_unaffected(emu: Emulator) -> None:
    env = emu.env
    before = creates(emu, "clickhouse")
    auth = (env["CLICKHOUSE_CLOUD_API_KEY"], env["CLICKHOUSE_CLOUD_API_SECRET"])
    created = httpx.post(
        f"{env['CLICKHOUSE_API_URL']}/v1/organizations/{ORG_ID}/services",
        auth=auth,
        json={"name": "bodies", "provider": "aws", "region": "us-east-1"},
    )
    assert created.status_code == 200, created.text
    assert creates(emu, "clickhouse") == before + 1
    headers = {"Authorization": f"Bearer {env['COCKROACH_API_KEY']}"}
    body = {"name": "bodies-crdb", "provider": "GCP", "spec": {"serverless": {"regions": ["us-central1"]}}}
    cluster = httpx.post(f"{env['COCKROACH_SERVER']}/api/v1/clusters", headers=headers, json=body)
    assert cluster.status_code == 200, cluster.text
    listed = httpx.get(
        f"{env['COCKROACH_SERVER']}/api/v1/clusters", headers=headers, params={"pagination.limit": 1}
    )
    assert listed.status_code == 200, listed.text


# --- the cluster status has ACM's own shape -------------------------------------------------------


def test_the_status_answer_has_acms_shape(acm: httpx.Client, emu: Emulator) -> None:
    with emu.paused_clock():
        cid = acm.post("/environment/176/clusters/launch", json={**LAUNCH, "name": "shape"}).json()["data"][
            "id"
        ]
        launching = acm.get(f"/cluster/{cid}/status").json()["data"]
        emu.advance(LAUNCH_SECONDS)
        online = acm.get(f"/cluster/{cid}/status").json()["data"]
    for answer in (launching, online):
        assert set(answer) >= {"health", "actionProgress", "crashReport", "usesInstallationTemplate"}
        assert set(answer["health"]) == {"total", "passed", "ts", "details"}
        assert (answer["crashReport"], answer["usesInstallationTemplate"]) == (0, False)
        for counts in (answer["health"], answer["actionProgress"]):
            assert all(isinstance(counts[k], str) for k in counts if k in ("total", "passed", "completed"))
    assert int(launching["health"]["passed"]) < int(launching["health"]["total"])
    assert int(launching["actionProgress"]["completed"]) < int(launching["actionProgress"]["total"])
    assert launching["actionProgress"]["percent"] < 100
    assert online["health"]["passed"] == online["health"]["total"]
    assert online["actionProgress"]["completed"] == online["actionProgress"]["total"]
    assert online["actionProgress"]["percent"] == 100
