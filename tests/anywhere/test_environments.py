"""The typed environment resources: documents and variables sent, records read, inputs checked."""

from __future__ import annotations

import logging
import re
import typing
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from dbcloud_anywhere_client import models
from dbcloud_anywhere_client.operations import OPERATIONS

from dbcloud import APIResponseError, ClusterState, ConflictError, NotFoundError, ValidationError
from dbcloud.anywhere import (
    AltinityAnywhere,
    AsyncAltinityAnywhere,
    CodeGenEnvironments,
    Environment,
    StatusError,
)
from dbcloud.anywhere._environments import KINDS, input_model, result_model

from ._support import Server, data, errors, sample

Connect = Callable[..., tuple[AltinityAnywhere, Server]]

AWS_SPEC_INPUT = {
    "awsAccountID": "123456789012",
    "cidr": "10.67.0.0/21",
    "region": "us-east-1",
    "nodeGroups": [{"nodeType": "m6i.large", "capacityPerZone": 3, "reservations": ["CLICKHOUSE"]}],
}


def _aws_env(**spec: Any) -> dict[str, Any]:
    return sample(
        models.AWSEnv,
        name="prod",
        spec=sample(models.AWSEnvSpec, region="us-east-1", **spec),
        status=sample(
            models.AWSEnvStatus,
            errors=[{"code": "DISCONNECTED", "message": "the cloud connect agent is offline"}],
        ),
    )


# --- queries ---------------------------------------------------------------------------------------


def test_list_sends_the_generated_document(connect: Connect) -> None:
    client, server = connect(data(awsEnvs=[]))
    assert client.aws.list() == []
    assert server.bodies == [
        {"query": OPERATIONS["awsEnvs"].document, "variables": {}, "operationName": "AwsEnvs"}
    ]


def test_list_filters_by_name(connect: Connect) -> None:
    client, server = connect(data(gcpEnvs=[]))
    client.gcp.list(names=["a", "b"])
    assert server.bodies[0]["variables"] == {"filter": {"names": ["a", "b"]}}
    assert server.bodies[0]["query"] == OPERATIONS["gcpEnvs"].document


def test_list_refuses_a_single_string(connect: Connect) -> None:
    client, server = connect()
    with pytest.raises(ValidationError):
        client.gcp.list(names="prod")
    assert server.requests == []


def test_get_sends_the_generated_document(connect: Connect) -> None:
    client, server = connect(data(awsEnv=_aws_env()))
    client.aws.get("prod")
    assert server.bodies == [
        {"query": OPERATIONS["awsEnv"].document, "variables": {"name": "prod"}, "operationName": "AwsEnv"}
    ]


def test_results_are_records_with_the_generated_models_beside_them(connect: Connect) -> None:
    answer = _aws_env(loadBalancingStrategy="ZONE_BEST_EFFORT", awsAccountID="42")
    client, _ = connect(data(awsEnvs=[answer]))
    (env,) = client.aws.list()
    assert isinstance(env, Environment)
    assert (env.id, env.name, env.kind) == ("prod", "prod", "aws")
    assert (env.spec_revision, env.applied_spec_revision, env.pending_delete) == (1, 1, False)
    assert env.errors == (StatusError("DISCONNECTED", "the cloud connect agent is offline"),)
    assert env.state is ClusterState.DEGRADED  # applied, but its status reports a problem
    assert env.raw == answer
    # The spec as the kind's generated model, typed.
    assert isinstance(env.spec, models.AWSEnvSpec)
    assert env.spec.aws_account_id == "42"  # renamed from awsAccountID
    assert env.spec.load_balancing_strategy is models.LoadBalancingStrategy.ZONE_BEST_EFFORT
    # The whole answer as the generated environment model, status included.
    model = env.model
    assert isinstance(model, models.AWSEnv)
    (error,) = model.status.errors
    assert error.code is models.EnvStatusErrorCode.DISCONNECTED
    assert model.spec == env.spec


STATES = {
    "applied": ({"appliedSpecRevision": 3}, 3, ClusterState.RUNNING, True),
    "provisioning": ({"appliedSpecRevision": 0}, 1, ClusterState.PROVISIONING, False),
    "updating": ({"appliedSpecRevision": 2}, 3, ClusterState.UPDATING, False),
    "pending-delete": ({"appliedSpecRevision": 3, "pendingDelete": True}, 3, ClusterState.DELETING, True),
    "errors": (
        {"appliedSpecRevision": 0, "errors": [{"code": "CLOUD_PROVIDER_QUOTA_EXCEEDED"}]},
        1,
        ClusterState.DEGRADED,
        False,
    ),
    "text": ({"appliedSpecRevision": "3"}, "3", ClusterState.RUNNING, True),  # numbers as text
    "no-revision": ({}, 3, ClusterState.UNKNOWN, None),
    "no-status": (None, 3, ClusterState.UNKNOWN, None),
}


@pytest.mark.parametrize(("status", "spec_revision", "state", "applied"), STATES.values(), ids=STATES.keys())
def test_the_state_follows_the_revisions_the_status_reports(
    connect: Connect, status: Any, spec_revision: Any, state: ClusterState, applied: bool | None
) -> None:
    client, _ = connect(data(gcpEnv={"name": "g", "specRevision": spec_revision, "status": status}))
    env = client.gcp.get("g")
    assert (env.state, env.applied) == (state, applied)


def test_an_environment_without_a_name_is_left_out_of_a_list(
    connect: Connect, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dbcloud import _results

    monkeypatch.setattr(_results, "_warned", set())  # the reader warns once per list and process
    nameless = _aws_env()
    del nameless["name"]
    client, _ = connect(data(awsEnvs=[nameless, _aws_env(), {**_aws_env(), "name": ""}]))
    with caplog.at_level(logging.WARNING, logger="dbcloud.reading"):
        assert [env.id for env in client.aws.list()] == ["prod"]
    assert "cannot be read" in caplog.text


def test_a_get_without_the_name_reads_with_the_name_asked_for(connect: Connect) -> None:
    # A missing "required" field never fails the call: the name is the one the request named.
    nameless = _aws_env()
    del nameless["name"]
    client, _ = connect(data(awsEnv=nameless))
    env = client.aws.get("prod")
    assert (env.id, env.name, env.state) == ("prod", "prod", ClusterState.DEGRADED)


def test_an_enum_value_newer_than_the_package_is_kept_as_text(connect: Connect) -> None:
    client, _ = connect(data(awsEnv=_aws_env(loadBalancingStrategy="SOMETHING_NEW")))
    spec = client.aws.get("prod").spec
    assert spec is not None
    assert spec.load_balancing_strategy == "SOMETHING_NEW"


def test_get_raises_not_found_when_the_api_answers_null(connect: Connect) -> None:
    client, _ = connect(data(azureEnv=None))
    with pytest.raises(NotFoundError, match="Azure environment 'nope' not found") as caught:
        client.azure.get("nope")
    assert caught.value.status_code == 404


@pytest.mark.parametrize("name", ["", "  ", None, 7])
def test_get_refuses_a_bad_name_before_sending(connect: Connect, name: Any) -> None:
    client, server = connect()
    with pytest.raises(ValidationError):
        client.k8s.get(name)
    assert server.requests == []


def test_an_answer_of_the_wrong_shape_is_a_response_error(connect: Connect) -> None:
    client, _ = connect(
        data(awsEnv={"name": "prod"}),
        data(awsEnvs={"not": "a list"}),
        data(),
        data(awsEnvs=[{"name": "prod", "spec": "not an object"}]),
        data(awsEnv=["not", "an", "object"]),
    )
    # Fields the schema requires but the answer lacks read as None (tolerant reading).
    env = client.aws.get("prod")
    assert (env.name, env.spec, env.spec_revision, env.state) == ("prod", None, None, ClusterState.UNKNOWN)
    with pytest.raises(APIResponseError, match="list"):
        client.aws.list()
    with pytest.raises(APIResponseError, match="awsEnvs"):
        client.aws.list()
    with pytest.raises(APIResponseError, match="expected an object"):
        client.aws.list()
    with pytest.raises(APIResponseError, match="not an object"):
        client.aws.get("prod")


@pytest.mark.parametrize("attribute", sorted(KINDS))
def test_every_kind_lists_and_gets_its_records(connect: Connect, attribute: str) -> None:
    kind = KINDS[attribute]
    env_model = result_model(kind.get)
    payload = sample(env_model, name="e1")
    client, server = connect(
        httpx.Response(200, json={"data": {kind.list: [payload]}}), data(**{kind.get: payload})
    )
    resource = getattr(client, attribute)
    (listed,) = resource.list()
    got = resource.get("e1")
    assert isinstance(listed, Environment)
    assert (listed.id, listed.kind, listed.state) == ("e1", attribute, ClusterState.RUNNING)
    assert isinstance(listed.spec, typing.get_type_hints(env_model)["spec"])
    assert isinstance(listed.model, env_model)
    assert got == listed
    assert [body["query"] for body in server.bodies] == [
        OPERATIONS[kind.list].document,
        OPERATIONS[kind.get].document,
    ]


@pytest.mark.parametrize("attribute", ["aws", "azure", "gcp", "hcloud", "k8s"])
def test_terraform_returns_the_generated_code(connect: Connect, attribute: str) -> None:
    field = KINDS[attribute].code_gen
    assert field is not None
    client, server = connect(data(**{field: {"terraform": 'resource "altinitycloud_env" "x" {}'}}))
    code = getattr(client, attribute).terraform("x", boilerplate=True)
    assert code == 'resource "altinitycloud_env" "x" {}'
    assert server.bodies[0]["query"] == OPERATIONS[field].document
    assert server.bodies[0]["variables"] == {"name": "x", "boilerplate": True}


def test_hosted_aws_has_no_code_generator(connect: Connect) -> None:
    client, _ = connect()
    assert not isinstance(client.aws_hosted, CodeGenEnvironments)
    assert not hasattr(client.aws_hosted, "terraform")


# --- mutations -------------------------------------------------------------------------------------


def _created(**spec: Any) -> httpx.Response:
    result = sample(
        models.CreateAWSEnvResult, mutationId="m-1", specRevision=1, spec=sample(models.AWSEnvSpec, **spec)
    )
    return data(createAWSEnv=result)


def test_create_from_a_dict_sends_it_in_the_vendor_names(connect: Connect) -> None:
    client, server = connect(_created(region="us-east-1"))
    result = client.aws.create("prod", AWS_SPEC_INPUT)
    assert server.bodies == [
        {
            "query": OPERATIONS["createAWSEnv"].document,
            "variables": {"input": {"name": "prod", "spec": AWS_SPEC_INPUT}},
            "operationName": "CreateAWSEnv",
        }
    ]
    assert isinstance(result, models.CreateAWSEnvResult)
    assert result.mutation_id == "m-1"
    assert result.spec.region == "us-east-1"


def test_create_from_a_model_sends_only_what_is_set(connect: Connect) -> None:
    client, server = connect(_created())
    spec = models.CreateAWSEnvSpecInput(
        aws_account_id="123456789012",
        cidr="10.67.0.0/21",
        region="us-east-1",
        node_groups=[
            models.AWSEnvNodeGroupSpecInput(
                node_type="m6i.large", capacity_per_zone=3, reservations=[models.NodeReservation.CLICKHOUSE]
            )
        ],
    )
    client.aws.create("prod", spec)
    assert server.bodies[0]["variables"] == {"input": {"name": "prod", "spec": AWS_SPEC_INPUT}}


def test_create_keeps_an_explicit_null_of_a_dict(connect: Connect) -> None:
    client, server = connect(_created())
    client.aws.create("prod", {**AWS_SPEC_INPUT, "customDomain": None})
    assert server.bodies[0]["variables"]["input"]["spec"]["customDomain"] is None


def test_create_of_a_taken_name_is_a_conflict(connect: Connect) -> None:
    client, _ = connect(errors("environment name is already taken", code="CONFLICT"))
    with pytest.raises(ConflictError, match="already taken"):
        client.aws.create("prod", AWS_SPEC_INPUT)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({**AWS_SPEC_INPUT, "awsAccountId": "1"}, "did you mean 'awsAccountID'"),
        (
            {**AWS_SPEC_INPUT, "nodeGroups": [{"node_type": "m6i.large", "capacityPerZone": 1}]},
            "nodeGroups\\[0\\].node_type",
        ),
        ({k: v for k, v in AWS_SPEC_INPUT.items() if k != "region"}, "region"),
        ({**AWS_SPEC_INPUT, "nodeGroups": {"nodeType": "m6i.large"}}, "list"),
        ("region=us-east-1", "CreateAWSEnvSpecInput or a dict"),
    ],
    ids=["misspelt", "snake-case-nested", "missing", "wrong-shape", "not-a-dict"],
)
def test_create_refuses_a_malformed_spec_before_sending(connect: Connect, spec: Any, message: str) -> None:
    client, server = connect()
    with pytest.raises(ValidationError, match=message):
        client.aws.create("prod", spec)
    assert server.requests == []


def test_create_refuses_a_model_of_another_kind(connect: Connect) -> None:
    client, server = connect()
    with pytest.raises(ValidationError, match="CreateGCPEnvSpecInput"):
        client.gcp.create("prod", models.AWSEnvUpdateSpecInput())  # type: ignore[arg-type]
    assert server.requests == []


def test_update_sends_spec_and_strategy(connect: Connect) -> None:
    result = sample(models.UpdateAWSEnvResult, mutationId="m-2", specRevision=7)
    client, server = connect(data(updateAWSEnv=result))
    updated = client.aws.update(
        "prod",
        models.AWSEnvUpdateSpecInput(custom_domains=["ch.example.com"]),
        update_strategy=models.UpdateStrategy.MERGE,
    )
    assert server.bodies[0]["query"] == OPERATIONS["updateAWSEnv"].document
    assert server.bodies[0]["variables"] == {
        "input": {"name": "prod", "spec": {"customDomains": ["ch.example.com"]}, "updateStrategy": "MERGE"}
    }
    assert updated.spec_revision == 7


@pytest.mark.parametrize("strategy", ["merge", "APPEND", 1])
def test_update_refuses_a_strategy_the_schema_lacks_before_sending(connect: Connect, strategy: Any) -> None:
    client, server = connect()
    with pytest.raises(ValidationError, match="MERGE, REPLACE") as caught:
        client.aws.update("prod", {"customDomains": []}, update_strategy=strategy)
    assert caught.value.field == "update_strategy"
    assert server.requests == []


def test_update_without_strategy_leaves_it_to_the_api(connect: Connect) -> None:
    client, server = connect(data(updateK8SEnv=sample(models.UpdateK8SEnvResult)))
    client.k8s.update("prod", {"customDomains": []})
    assert server.bodies[0]["variables"] == {"input": {"name": "prod", "spec": {"customDomains": []}}}


def test_delete_sends_its_flags_and_parses_the_result(connect: Connect) -> None:
    client, server = connect(data(deleteHCloudEnv={"mutationId": "m-3", "pendingMFA": True}))
    result = client.hcloud.delete("edge", force_destroy_clusters=True)
    assert server.bodies[0]["query"] == OPERATIONS["deleteHCloudEnv"].document
    assert server.bodies[0]["variables"] == {
        "input": {"name": "edge", "force": False, "forceDestroyClusters": True}
    }
    assert isinstance(result, models.DeleteHCloudEnvResult)
    assert result.pending_mfa is True


# --- the registry and the annotations agree ------------------------------------------------------


def test_kinds_cover_every_operation_of_the_schema() -> None:
    used = [
        f
        for kind in KINDS.values()
        for f in (kind.list, kind.get, kind.create, kind.update, kind.delete, kind.code_gen)
        if f
    ]
    assert sorted(used) == sorted(OPERATIONS)
    for kind in KINDS.values():
        assert {OPERATIONS[f].kind for f in (kind.list, kind.get)} == {"query"}
        assert {OPERATIONS[f].kind for f in (kind.create, kind.update, kind.delete)} == {"mutation"}


# The sync client's classes: a test on the async flavour would see the stand-in of tests._bridge.
@pytest.mark.parametrize("flavour", ["sync"], indirect=True)
@pytest.mark.parametrize("attribute", sorted(KINDS))
def test_property_types_match_the_registry(connect: Connect, attribute: str) -> None:
    # The properties' annotations are written by hand; the classes used at run time come from the
    # registry. Both must name the same models, in the order of the type parameters.
    kind = KINDS[attribute]
    annotation = getattr(AltinityAnywhere, attribute).func.__annotations__["return"]
    head = annotation.split("[", 1)[0].strip()
    declared = re.findall(r"\bm\.(\w+)", annotation)
    expected = [
        result_model(kind.get),
        typing.get_type_hints(result_model(kind.get))["spec"],
        typing.get_type_hints(input_model(kind.create))["spec"],
        typing.get_type_hints(input_model(kind.update))["spec"],
        result_model(kind.create),
        result_model(kind.update),
        result_model(kind.delete),
    ]
    assert declared == [cls.__name__ for cls in expected]
    client, _ = connect()
    assert type(getattr(client, attribute)).__name__ == head
    assert (head == "CodeGenEnvironments") == (kind.code_gen is not None)


# --- the raw operations ----------------------------------------------------------------------------


def test_api_runs_any_generated_operation(connect: Connect) -> None:
    client, server = connect(data(awsEnvHosted=None))
    assert client.api.awsEnvHosted(name="h1") is None
    assert server.bodies[0] == {
        "query": OPERATIONS["awsEnvHosted"].document,
        "variables": {"name": "h1"},
        "operationName": "AwsEnvHosted",
    }


def test_api_encodes_models_in_variables(connect: Connect) -> None:
    client, server = connect(data(awsEnvs=[]))
    client.api.awsEnvs(filter=models.AWSEnvFilter(names=["a"]))
    assert server.bodies[0]["variables"] == {"filter": {"names": ["a"]}}


# dir() of the async flavour's stand-in would list the stand-in's own names (see the async test below).
@pytest.mark.parametrize("flavour", ["sync"], indirect=True)
def test_api_lists_and_refuses_unknown_operations(connect: Connect) -> None:
    client, _ = connect()
    assert "createAWSEnv" in dir(client.api)
    with pytest.raises(AttributeError, match="noSuchField"):
        client.api.noSuchField  # noqa: B018


@pytest.mark.parametrize("attribute", sorted(KINDS))
def test_the_async_properties_name_the_sync_ones_models(attribute: str) -> None:
    # The same per-kind typing on both clients: only the flavour (the first parameter) differs.
    sync = getattr(AltinityAnywhere, attribute).func.__annotations__["return"]
    awaited = getattr(AsyncAltinityAnywhere, attribute).func.__annotations__["return"]
    assert "httpx.Client," in sync
    assert awaited == sync.replace("httpx.Client,", "httpx.AsyncClient,")
    client = AsyncAltinityAnywhere(
        token="t", http_client=httpx.AsyncClient(transport=httpx.MockTransport(Server()))
    )
    assert type(getattr(client, attribute)) is type(getattr(AltinityAnywhere(token="t"), attribute))


def test_the_async_api_lists_its_operations() -> None:
    client = AsyncAltinityAnywhere(
        token="t", http_client=httpx.AsyncClient(transport=httpx.MockTransport(Server()))
    )
    assert dir(client.api) == sorted(OPERATIONS)
    with pytest.raises(AttributeError, match="noSuchField"):
        client.api.noSuchField  # noqa: B018
