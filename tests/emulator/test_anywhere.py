"""The Altinity Anywhere facade end to end against the emulator, over real loopback HTTP."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from dbcloud_anywhere_client import models as m
from dbcloud_anywhere_client.operations import OPERATIONS

import dbcloud
from dbcloud.anywhere import AsyncAltinityAnywhere
from dbcloud.emulator import Emulator, Fault, running
from dbcloud.emulator.anywhere import DELETE_SECONDS, PROVISION_SECONDS, UPDATE_SECONDS
from tests._bridge import Flavour

API = "anywhere"
_names = itertools.count(1)


def unique(stem: str) -> str:
    """An environment name no other test uses (names are global and the emulator is shared)."""
    return f"{stem}-{next(_names)}"


# A minimal create spec per kind, in the API's field names.
NODES = {"nodeType": "m6i.large", "capacityPerZone": 1}
CREATE: dict[str, dict[str, Any]] = {
    "aws": {
        "awsAccountID": "111122223333",
        "region": "eu-west-1",
        "cidr": "10.1.0.0/21",
        "nodeGroups": [NODES],
    },
    "aws_hosted": {"region": "us-west-2", "nodeGroups": [NODES]},
    "azure": {
        "region": "eastus",
        "cidr": "10.2.0.0/21",
        "subscriptionID": "00000000-0000-4000-8000-000000000001",
        "tenantID": "00000000-0000-4000-8000-000000000002",
        "nodeGroups": [NODES],
    },
    "gcp": {
        "region": "us-east1",
        "cidr": "10.3.0.0/21",
        "gcpProjectId": "emu-project",
        "nodeGroups": [NODES],
    },
    "hcloud": {
        "cidr": "10.4.0.0/21",
        "hcloudTokenEnc": "enc:not-a-real-token",
        "locations": ["fsn1"],
        "networkZone": "eu-central",
        "nodeGroups": [{"nodeType": "cpx31", "capacityPerLocation": 1}],
    },
    "k8s": {"distribution": "GKE", "nodeGroups": [{**NODES, "zones": ["us-east1-b"]}]},
}
KINDS = sorted(CREATE)
HUGE_GROUP = {**CREATE["gcp"], "nodeGroups": [{"nodeType": "n2", "capacityPerZone": 2**40}]}  # not an Int


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    # Real-time speed: nothing finishes by itself during a test, so the states seen are
    # repeatable; the tests move the clock with emu.advance.
    with running(speed=1) as emulator:
        yield emulator


@pytest.fixture
def client(emu: Emulator, flavour: Flavour) -> Iterator[dbcloud.AltinityAnywhere]:
    """`AltinityAnywhere`, and `AsyncAltinityAnywhere` behind the same API: every test runs on both."""
    with flavour.client(
        dbcloud.AltinityAnywhere,
        AsyncAltinityAnywhere,
        token=emu.env["ALTINITYCLOUD_API_TOKEN"],
        base_url=emu.env["ALTINITYCLOUD_API_URL"],
    ) as anywhere:
        yield anywhere


@pytest.fixture
def anywhere(client: dbcloud.AltinityAnywhere, emu: Emulator, flavour: Flavour) -> dbcloud.AltinityAnywhere:
    emu.clear_faults()
    # Retry pauses take no real time (the Anywhere client has no clock of its own to swap).
    flavour.set_sleep(client, lambda seconds: None)
    return client


class Raw:
    """Requests to the GraphQL endpoint without the facade (for what it would refuse to send)."""

    def __init__(self, emu: Emulator, http: httpx.Client) -> None:
        self.url = emu.env["ALTINITYCLOUD_API_URL"] + "/api/v1/graphql"
        self.token = emu.env["ALTINITYCLOUD_API_TOKEN"]
        self.http = http

    def request(
        self, method: str, content: bytes, *, path: str = "", token: str | None = None
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return self.http.request(method, self.url + path, content=content, headers=headers)

    def post(self, body: Any, *, token: str | None = None) -> httpx.Response:
        return self.request("POST", json.dumps(body).encode(), token=token)


@pytest.fixture(scope="module")
def raw(emu: Emulator) -> Iterator[Raw]:
    with httpx.Client() as http:  # one client: building one per request costs ~50 ms of TLS set-up
        yield Raw(emu, http)


# --- environments --------------------------------------------------------------------------------


def test_the_seeded_environments(anywhere: dbcloud.AltinityAnywhere) -> None:
    aws = anywhere.aws.get("demo-aws")
    assert aws.applied_spec_revision == aws.spec_revision == 1
    assert (aws.id, aws.kind, aws.state) == ("demo-aws", "aws", dbcloud.ClusterState.RUNNING)
    assert aws.spec.zones == ["us-east-1a", "us-east-1b", "us-east-1c"]
    assert [r.name for r in aws.model.status.aws_resources] == ["vpc", "eks"]
    assert "demo-aws" in [e.name for e in anywhere.aws.list()]
    assert [e.name for e in anywhere.k8s.list(names=["demo-k8s", "no-such-env"])] == ["demo-k8s"]
    assert anywhere.k8s.get("demo-k8s").spec.distribution is m.K8SDistribution.EKS
    with pytest.raises(dbcloud.NotFoundError):
        anywhere.aws.get("no-such-env")
    with pytest.raises(dbcloud.NotFoundError):
        anywhere.gcp.get("demo-aws")  # a name of another kind


@pytest.mark.parametrize("kind", KINDS)
def test_the_lifecycle_of_every_kind(anywhere: dbcloud.AltinityAnywhere, emu: Emulator, kind: str) -> None:
    envs = getattr(anywhere, kind)
    name = unique(kind.replace("_", "-"))
    creates = emu.stats()[API]["creates"]

    created = envs.create(name, CREATE[kind])
    assert created.spec_revision == 1
    assert created.mutation_id
    assert emu.stats()[API]["creates"] == creates + 1
    env = envs.get(name)
    assert (env.applied_spec_revision, env.errors, env.pending_delete) == (0, (), False)
    assert env.state is dbcloud.ClusterState.PROVISIONING
    emu.advance(PROVISION_SECONDS)
    env = envs.get(name)
    assert (env.applied_spec_revision, env.state) == (1, dbcloud.ClusterState.RUNNING)

    updated = envs.update(name, {"customDomains": [f"{name}.example.com"]})
    assert updated.spec_revision == 2
    assert updated.spec.custom_domains == [f"{name}.example.com"]
    env = envs.get(name)
    assert (env.applied_spec_revision, env.state) == (1, dbcloud.ClusterState.UPDATING)  # not applied yet
    emu.advance(UPDATE_SECONDS)
    env = envs.get(name)
    assert (env.spec_revision, env.applied_spec_revision, env.applied) == (2, 2, True)
    assert name in [e.name for e in envs.list()]

    if envs.kind.code_gen is not None:
        code = envs.terraform(name)
        assert f'name = "{name}"' in code
        assert "terraform {" in envs.terraform(name, boilerplate=True)
        assert "terraform {" not in code

    deleted = envs.delete(name)
    assert deleted.pending_mfa is False
    env = envs.get(name)
    assert (env.pending_delete, env.state) == (True, dbcloud.ClusterState.DELETING)
    emu.advance(DELETE_SECONDS)
    with pytest.raises(dbcloud.NotFoundError):
        envs.get(name)
    assert name not in [e.name for e in envs.list()]


def test_a_create_takes_models_too(anywhere: dbcloud.AltinityAnywhere) -> None:
    name = unique("model")
    spec = m.CreateAWSEnvSpecInput(
        aws_account_id="111122223333",
        region="ap-south-1",
        cidr="10.9.0.0/21",
        number_of_zones=2,
        node_groups=[m.AWSEnvNodeGroupSpecInput(node_type="m6i.large", capacity_per_zone=2)],
        peering_connections=[m.AWSEnvPeeringConnectionSpecInput(vpc_id="vpc-0abc")],
        tags=[m.KeyValueInput(key="team", value="data")],
    )
    result = anywhere.aws.create(name, spec)
    assert result.spec.zones == ["ap-south-1a", "ap-south-1b"]
    group = result.spec.node_groups[0]
    # Defaults the SDL documents: the node type as the name, every environment zone, all roles.
    assert (group.name, group.zones) == ("m6i.large", ["ap-south-1a", "ap-south-1b"])
    assert set(group.reservations) == set(m.NodeReservation)
    peering = result.spec.peering_connections[0]
    assert (peering.vpc_region, peering.aws_account_id) == ("ap-south-1", "111122223333")
    assert anywhere.aws.get(name).model.status.peering_connections[0].id is None  # not peered yet


def test_a_failed_create_ends_with_errors_in_its_status(
    anywhere: dbcloud.AltinityAnywhere, emu: Emulator
) -> None:
    doomed, fine = unique("doomed"), unique("fine")
    emu.fail_next_launch(API)
    anywhere.gcp.create(doomed, CREATE["gcp"])
    anywhere.gcp.create(fine, CREATE["gcp"])  # only the next create fails
    assert anywhere.gcp.get(doomed).errors == ()  # still provisioning
    emu.advance(PROVISION_SECONDS)
    env = anywhere.gcp.get(doomed)
    assert (env.applied_spec_revision, env.state) == (0, dbcloud.ClusterState.DEGRADED)
    assert [e.code for e in env.errors] == [m.EnvStatusErrorCode.CLOUD_PROVIDER_QUOTA_EXCEEDED]
    assert anywhere.gcp.get(fine).applied_spec_revision == 1
    # A new revision is tried afresh.
    anywhere.gcp.update(doomed, {"labels": [{"key": "retry", "value": "1"}]})
    emu.advance(PROVISION_SECONDS)
    env = anywhere.gcp.get(doomed)
    assert (env.applied_spec_revision, env.errors, env.state) == (2, (), dbcloud.ClusterState.RUNNING)


CLUSTER = {
    "name": "main",
    "image": "altinity/clickhouse-server:25.3",
    "instanceType": "m6i.xlarge",
    "shards": 1,
    "replicas": 2,
    "disk": {"name": "default", "size": 200},
    "keeper": {"enabled": True, "name": "keeper"},
    "users": [{"name": "app", "passwordValue": "s3cret-Passw0rd", "databases": ["app"]}],
}
KEEPER = {"name": "keeper", "instanceType": "m6i.large", "disk": {"name": "default", "size": 20}}


def test_updates_merge_or_replace(anywhere: dbcloud.AltinityAnywhere, emu: Emulator) -> None:
    name = unique("clusters")
    spec = {**CREATE["aws"], "clickHouseClusters": [CLUSTER], "clickHouseKeepers": [KEEPER]}
    created = anywhere.aws.create(name, spec)
    cluster = created.spec.click_house_clusters[0]
    assert (cluster.replicas, cluster.keeper, cluster.disk.size) == (
        2,
        m.ClickHouseKeeperRefSpec(name="keeper"),
        200,
    )
    assert cluster.users[0].password_type is m.ClickHouseUserPasswordTypeSpec.PLAIN_TEXT
    assert "s3cret" not in repr(created)  # the password is never answered
    assert created.spec.click_house_keepers[0].ha is True

    # MERGE: entries matched by name are patched, new ones added, named ones deleted.
    patch = {
        "clickHouseClusters": [
            {"name": "main", "replicas": 3, "usersToDelete": ["app"]},
            {**CLUSTER, "name": "extra"},
        ],
        "tags": [{"key": "env", "value": "prod"}],
    }
    merged = anywhere.aws.update(name, patch).spec
    assert [(c.name, c.replicas, len(c.users)) for c in merged.click_house_clusters] == [
        ("main", 3, 0),
        ("extra", 2, 1),
    ]
    assert merged.cidr == "10.1.0.0/21"  # immutable, kept

    merged = anywhere.aws.update(name, {"clickHouseClustersToDelete": ["extra"]}).spec
    assert [c.name for c in merged.click_house_clusters] == ["main"]
    assert merged.tags == [m.KeyValue(key="env", value="prod")]
    with pytest.raises(dbcloud.BadRequestError, match="BAD_USER_INPUT"):
        anywhere.aws.update(name, {"clickHouseKeepersToDelete": ["no-such-keeper"]})

    # An update that changes nothing keeps the revision.
    same = anywhere.aws.update(name, {"tags": [{"key": "env", "value": "prod"}]})
    assert same.spec_revision == 3

    # REPLACE: what the update can set and leaves out goes back to its default.
    replaced = anywhere.aws.update(
        name, m.AWSEnvUpdateSpecInput(custom_domains=["x.example.com"]), update_strategy="REPLACE"
    )
    assert replaced.spec_revision == 4
    assert (replaced.spec.tags, replaced.spec.click_house_clusters) == ([], [])
    assert (replaced.spec.custom_domains, replaced.spec.cidr) == (["x.example.com"], "10.1.0.0/21")


def test_deleting_an_environment_with_clusters(anywhere: dbcloud.AltinityAnywhere) -> None:
    name = unique("busy")
    anywhere.azure.create(name, {**CREATE["azure"], "clickHouseClusters": [CLUSTER]})
    with pytest.raises(dbcloud.ConflictError, match="forceDestroyClusters"):
        anywhere.azure.delete(name)
    # force skips deprovisioning: the environment is gone at once.
    anywhere.azure.delete(name, force=True, force_destroy_clusters=True)
    with pytest.raises(dbcloud.NotFoundError):
        anywhere.azure.get(name)
    assert anywhere.azure.delete("never-existed").mutation_id  # a no-op


def test_what_the_api_refuses(anywhere: dbcloud.AltinityAnywhere) -> None:
    name = unique("taken")
    anywhere.hcloud.create(name, CREATE["hcloud"])
    with pytest.raises(dbcloud.ConflictError, match="already taken"):
        anywhere.hcloud.create(name, CREATE["hcloud"])
    with pytest.raises(dbcloud.ConflictError):
        anywhere.k8s.create(name, CREATE["k8s"])  # names are unique across kinds
    with pytest.raises(dbcloud.BadRequestError, match="invalid environment name"):
        anywhere.k8s.create("../etc", CREATE["k8s"])
    with pytest.raises(dbcloud.BadRequestError, match="CIDR"):
        anywhere.gcp.create(unique("cidr"), {**CREATE["gcp"], "cidr": "10.0.0.0/99"})
    with pytest.raises(dbcloud.NotFoundError):
        anywhere.gcp.update("no-such-env", {"customDomains": []})
    with pytest.raises(dbcloud.NotFoundError):
        anywhere.gcp.terraform("no-such-env")
    anywhere.hcloud.delete(name)
    with pytest.raises(dbcloud.ConflictError, match="being deleted"):
        anywhere.hcloud.update(name, {"customDomains": []})


def test_the_terraform_code(anywhere: dbcloud.AltinityAnywhere) -> None:
    code = anywhere.aws.terraform("demo-aws", boilerplate=True)
    assert 'resource "altinitycloud_env_aws" "demo_aws" {' in code
    assert 'aws_account_id = "123456789012"' in code
    assert "node_groups {" in code
    assert 'source = "altinity/altinitycloud"' in code
    assert 'resource "altinitycloud_env_k8s"' in anywhere.k8s.terraform("demo-k8s")


# --- raw operations and documents ----------------------------------------------------------------


def test_every_generated_operation_through_api(anywhere: dbcloud.AltinityAnywhere) -> None:
    listed = anywhere.api.awsEnvs(filter={"names": ["demo-aws"]})
    assert [env["name"] for env in listed] == ["demo-aws"]
    assert anywhere.api.k8sEnv(name="no-such-env") is None
    assert "altinitycloud_env_k8s" in anywhere.api.codeGenK8SEnv(name="demo-k8s")["terraform"]
    name = unique("raw")
    spec = m.CreateAWSEnvHostedSpecInput(region="us-west-2", node_groups=[m.AWSEnvHostedNodeGroupSpecInput(
        node_type="m6i.large", capacity_per_zone=1)])  # fmt: skip
    created = anywhere.api.createAWSEnvHosted(input=m.CreateAWSEnvHostedInput(name=name, spec=spec))
    assert created["specRevision"] == 1
    assert created["spec"]["zoneIDs"] == ["us-west-2-az1", "us-west-2-az2", "us-west-2-az3"]


def test_documents_of_our_own(anywhere: dbcloud.AltinityAnywhere) -> None:
    data = anywhere.execute(
        """
        # aliases, __typename, two root fields and a literal argument
        query Mine {
          first: awsEnv(name: "demo-aws") { __typename name rev: specRevision status { appliedSpecRevision } }
          k8sEnvs(filter: {names: ["demo-k8s"]}) { name spec { distribution } }
          __typename
        }
        """
    )
    assert data == {
        "first": {"__typename": "AWSEnv", "name": "demo-aws", "rev": 1, "status": {"appliedSpecRevision": 1}},
        "k8sEnvs": [{"name": "demo-k8s", "spec": {"distribution": "EKS"}}],
        "__typename": "Query",
    }
    two = "query A { awsEnvs { name } } query B($n: String!) { gcpEnv(name: $n) { name } }"
    assert anywhere.execute(two, {"n": "nope"}, operation_name="B") == {"gcpEnv": None}
    defaulted = 'query ($n: String! = "demo-k8s") { k8sEnv(name: $n) { name } }'
    assert anywhere.execute(defaulted) == {"k8sEnv": {"name": "demo-k8s"}}


def test_a_failed_mutation_stops_the_ones_after_it(anywhere: dbcloud.AltinityAnywhere, raw: Raw) -> None:
    name = unique("serial")
    document = """
    mutation ($gone: UpdateGCPEnvInput!, $new: CreateK8SEnvInput!) {
      updateGCPEnv(input: $gone) { specRevision }
      createK8SEnv(input: $new) { specRevision }
    }
    """
    variables = {"gone": {"name": "no-such-env", "spec": {}}, "new": {"name": name, "spec": CREATE["k8s"]}}
    body = raw.post({"query": document, "variables": variables}).json()
    assert body["data"] is None
    assert [e["path"] for e in body["errors"]] == [["updateGCPEnv"]]
    with pytest.raises(dbcloud.NotFoundError):
        anywhere.k8s.get(name)


def test_refused_values_are_not_echoed(anywhere: dbcloud.AltinityAnywhere) -> None:
    user = {"name": "app", "passwordValue": ["s3cret-Passw0rd"]}
    spec = {**CREATE["k8s"], "clickHouseClusters": [{**CLUSTER, "users": [user]}]}
    with pytest.raises(dbcloud.BadRequestError) as caught:
        anywhere.api.createK8SEnv(input={"name": unique("echo"), "spec": spec})
    assert "passwordValue: String cannot represent a list" in str(caught.value)
    assert "s3cret" not in json.dumps(caught.value.body)


@pytest.mark.parametrize(
    ("document", "variables", "code"),
    [
        ("{ awsEnvs { name nope } }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("{ awsEnvs }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("{ awsEnvs { name { x } } }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("{ createAWSEnv(input: {}) { mutationId } }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("{ awsEnv { name } }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("query ($n: Int!) { awsEnv(name: $n) { name } }", {"n": 1}, "GRAPHQL_VALIDATION_FAILED"),
        ("query ($n: String!) { awsEnvs { name } }", {"n": "x"}, "GRAPHQL_VALIDATION_FAILED"),
        ("{ ...F } fragment F on Query { awsEnvs { name } }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("subscription { awsEnvs { name } }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("{ awsEnvs { name }", None, "GRAPHQL_PARSE_FAILED"),
        ("query { awsEnvs { name } } ^", None, "GRAPHQL_PARSE_FAILED"),
        ("{" * 5000, None, "GRAPHQL_PARSE_FAILED"),
        (OPERATIONS["awsEnv"].document, {}, "BAD_USER_INPUT"),
        (OPERATIONS["awsEnv"].document, {"name": 7}, "BAD_USER_INPUT"),
        (OPERATIONS["awsEnvs"].document, {"filter": {"name": ["x"]}}, "BAD_USER_INPUT"),
        (OPERATIONS["createK8SEnv"].document, {"input": {"name": "x", "spec": {"distribution": "NOPE"}}},
         "BAD_USER_INPUT"),
        (OPERATIONS["updateAWSEnv"].document, {"input": {"name": "x", "spec": {}, "updateStrategy": 1}},
         "BAD_USER_INPUT"),
        (OPERATIONS["createGCPEnv"].document, {"input": {"name": "x", "spec": HUGE_GROUP}}, "BAD_USER_INPUT"),
    ],
)  # fmt: skip
def test_documents_and_variables_are_checked(
    anywhere: dbcloud.AltinityAnywhere, document: str, variables: dict[str, Any] | None, code: str
) -> None:
    with pytest.raises(dbcloud.BadRequestError) as caught:
        anywhere.execute(document, variables)
    assert caught.value.body["errors"][0]["code"] == code


def test_graphql_errors_come_with_http_200(raw: Raw) -> None:
    answer = raw.post({"query": "{ awsEnvs { nope } }"})
    assert answer.status_code == 200
    assert "data" not in answer.json()  # the request never ran
    answer = raw.post({"query": OPERATIONS["codeGenGCPEnv"].document, "variables": {"name": "nope"}})
    assert answer.status_code == 200
    (error,) = answer.json()["errors"]
    assert (answer.json()["data"], error["path"], error["extensions"]["code"]) == (
        None,
        ["codeGenGCPEnv"],
        "NOT_FOUND",
    )


# --- HTTP: auth and bad input --------------------------------------------------------------------


def test_a_wrong_token_is_refused(emu: Emulator, raw: Raw) -> None:
    client = dbcloud.AltinityAnywhere(token="not-the-token", base_url=emu.env["ALTINITYCLOUD_API_URL"])
    with client, pytest.raises(dbcloud.AuthenticationError):
        client.aws.list()
    answer = raw.post({"query": "{ awsEnvs { name } }"}, token="not-the-token")
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("body", "method", "path", "status"),
    [
        (b"{not json", "POST", "", 400),
        (b'["a", "list"]', "POST", "", 400),
        (b'{"variables": {}}', "POST", "", 400),
        (b'{"query": 5}', "POST", "", 400),
        (b'{"query": "{ awsEnvs { name } }", "variables": [1]}', "POST", "", 400),
        (b'{"query": "{ awsEnvs { name } }", "operationName": 1}', "POST", "", 400),
        (b"[" * 100_000, "POST", "", 400),
        (b"x" * (1 << 21), "POST", "", 413),
        (b"", "GET", "", 405),
        (b"", "POST", "/../../etc/passwd", 404),
        (b"", "POST", "/..%2F..%2Fetc", 404),
    ],
)
def test_bad_requests_get_graphql_errors(raw: Raw, body: bytes, method: str, path: str, status: int) -> None:
    answer = raw.request(method, body, path=path)
    assert answer.status_code == status
    assert answer.json()["errors"][0]["message"]
    assert answer.json()["errors"][0]["extensions"]["code"]


# --- faults --------------------------------------------------------------------------------------

FAULTS = [
    Fault("429", count=1, retry_after=2),
    Fault("503", count=2),
    Fault("502", count=1),
    Fault("504", count=1),
    Fault("reset", count=1),
    Fault("slow", count=1, delay=0.2),
]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f"{f.kind}x{f.count}")
def test_a_query_survives_every_fault(
    anywhere: dbcloud.AltinityAnywhere, emu: Emulator, fault: Fault, flavour: Flavour
) -> None:
    waits: list[float] = []
    flavour.set_sleep(anywhere, waits.append)
    expected = emu.stats()[API]["faults_injected"] + (fault.count or 0)
    emu.add_fault(API, dataclasses.replace(fault))  # a copy: the emulator counts it down
    assert anywhere.aws.get("demo-aws").name == "demo-aws"
    assert emu.stats()[API]["faults_injected"] == expected
    if fault.kind == "429":
        assert 0 < waits[0] <= 3


def test_a_rate_limited_create_is_sent_once_more_and_creates_once(
    anywhere: dbcloud.AltinityAnywhere, emu: Emulator, flavour: Flavour
) -> None:
    waits: list[float] = []
    flavour.set_sleep(anywhere, waits.append)
    before = emu.stats()[API]
    emu.add_fault(API, Fault("429", count=1, retry_after=2))
    anywhere.k8s.create(unique("limited"), CREATE["k8s"])
    after = emu.stats()[API]
    assert after["creates"] == before["creates"] + 1
    assert after["faults_injected"] == before["faults_injected"] + 1
    assert waits == [2]


@pytest.mark.parametrize("kind", ["503", "reset"])
def test_a_create_is_sent_exactly_once(anywhere: dbcloud.AltinityAnywhere, emu: Emulator, kind: str) -> None:
    creates = emu.stats()[API]["creates"]
    emu.add_fault(API, Fault(kind, count=1))
    with pytest.raises(dbcloud.APIError):
        anywhere.k8s.create(unique(f"once-{kind}"), CREATE["k8s"])
    # The fault answered instead of the server, and the facade did not try again.
    assert emu.stats()[API]["creates"] == creates
    anywhere.k8s.create(unique(f"then-{kind}"), CREATE["k8s"])
    assert emu.stats()[API]["creates"] == creates + 1


# --- conformance ---------------------------------------------------------------------------------


def test_every_answer_validates_against_the_sdl(emu: Emulator, raw: Raw, shared_specs: Path) -> None:
    """Each generated document is sent, and its answer is checked by graphql-core against the SDL.

    The answer is fed back as the root value of an execution of the same document: graphql-core
    then enforces every non-null field, enum value and scalar type of the schema on it.
    """
    graphql = pytest.importorskip("graphql")
    # The vendor's file only extends Query and Mutation; the base types are declared first.
    sdl = "type Query\ntype Mutation\n" + (shared_specs / "altinity-anywhere.graphql").read_text()
    schema = graphql.build_schema(sdl)
    kinds = {"AWSEnv": "aws", "AWSEnvHosted": "aws_hosted", "AzureEnv": "azure", "GCPEnv": "gcp",
             "HCloudEnv": "hcloud", "K8SEnv": "k8s"}  # fmt: skip
    names = {kind: unique(f"sdl-{kind.replace('_', '-')}") for kind in CREATE}

    def variables(field: str) -> dict[str, Any]:
        env_type = next(t for t in sorted(kinds, key=len, reverse=True) if t.lower() in field.lower())
        kind = kinds[env_type]
        if field.startswith("create"):
            spec = {**CREATE[kind], "clickHouseClusters": [CLUSTER], "clickHouseKeepers": [KEEPER]}
            return {"input": {"name": names[kind], "spec": spec}}
        if field.startswith("update"):
            return {"input": {"name": names[kind], "spec": {"customDomains": ["a.example.com"]}}}
        if field.startswith("delete"):
            return {"input": {"name": names[kind], "forceDestroyClusters": True}}
        if field.startswith("codeGen"):
            return {"name": names[kind], "boilerplate": True}
        return {"name": names[kind]} if not field.endswith(("Envs", "EnvsHosted")) else {}

    order = sorted(OPERATIONS, key=lambda f: ["create", "update", "", "delete"].index(
        next((p for p in ("create", "update", "delete") if f.startswith(p)), "")))  # fmt: skip
    for field in order:
        document = OPERATIONS[field].document
        given = variables(field)
        answer = raw.post({"query": document, "variables": given})
        assert answer.status_code == 200, (field, answer.text)
        body = answer.json()
        assert "errors" not in body, (field, body)
        parsed = graphql.parse(document)
        assert graphql.validate(schema, parsed) == []
        again = graphql.execute_sync(schema, parsed, root_value=body["data"], variable_values=given)
        assert again.errors is None, (field, again.errors)
        assert again.data == body["data"], field
        if field.startswith("update"):
            emu.advance(PROVISION_SECONDS)  # applied, so the reads below show a settled status too


def _moving(emu: Emulator, seconds: float) -> dict[str, Any]:
    """Wait arguments that move the emulated clock `seconds` after every poll."""
    return {
        "interval": 0.01,
        "max_interval": 0.01,
        "timeout": 30,
        "on_progress": lambda _: emu.advance(seconds),
    }


def test_wait_until_applied_follows_each_revision(anywhere: dbcloud.AltinityAnywhere, emu: Emulator) -> None:
    name = unique("waited")
    created = anywhere.gcp.create(name, CREATE["gcp"])
    env = anywhere.gcp.wait_until_applied(name, created.spec_revision, **_moving(emu, PROVISION_SECONDS / 3))
    assert (env.applied_spec_revision, env.state) == (1, dbcloud.ClusterState.RUNNING)
    updated = anywhere.gcp.update(name, {"labels": [{"key": "tier", "value": "gold"}]})
    assert updated.spec_revision == 2
    env = anywhere.gcp.wait_until_applied(name, updated.spec_revision, **_moving(emu, UPDATE_SECONDS / 2))
    assert env.applied_spec_revision == 2


def test_wait_until_applied_ends_on_a_provisioning_error(
    anywhere: dbcloud.AltinityAnywhere, emu: Emulator
) -> None:
    name = unique("waitfail")
    emu.fail_next_launch(API)
    anywhere.gcp.create(name, CREATE["gcp"])
    with pytest.raises(dbcloud.ClusterFailed, match="CLOUD_PROVIDER_QUOTA_EXCEEDED") as caught:
        anywhere.gcp.wait_until_applied(name, 1, **_moving(emu, PROVISION_SECONDS / 2))
    assert caught.value.last_state.applied_spec_revision == 0
