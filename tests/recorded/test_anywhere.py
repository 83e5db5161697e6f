"""Altinity.Cloud Anywhere (GraphQL) through the facade, replayed from tests/cassettes/anywhere/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dbcloud_anywhere_client import models as m

import dbcloud
from dbcloud.anywhere import Environment
from dbcloud.emulator import Fault

from ._targets import TEST_SECRETS, Target, on_request

API = "anywhere"
pytestmark = pytest.mark.vcr

NAME = "cassette-aws"
# An AWS environment in the documentation's example account (never a real one).
AWS_SPEC = {
    "awsAccountID": "123456789012",
    "region": "us-east-1",
    "cidr": "10.67.0.0/21",
    "nodeGroups": [{"nodeType": "m6i.large", "capacityPerZone": 2, "reservations": ["CLICKHOUSE"]}],
}


@pytest.fixture
def anywhere(target: Target) -> Iterator[dbcloud.AltinityAnywhere]:
    with target.connect(dbcloud.AltinityAnywhere) as client:
        yield client


def count_requests(client: dbcloud.AltinityAnywhere) -> list[str]:
    """The GraphQL requests the client sends from now on (retries are not counted)."""
    sent: list[str] = []
    on_request(client, lambda request: sent.append(request.content.decode()))
    return sent


def test_environments(anywhere: dbcloud.AltinityAnywhere) -> None:
    environments = anywhere.aws.list()
    assert environments
    assert all(isinstance(env, Environment) and env.kind == "aws" for env in environments)
    first = anywhere.aws.get(environments[0].name)
    assert isinstance(first, Environment)
    assert first.id == first.name == environments[0].name
    assert isinstance(first.spec, m.AWSEnvSpec)
    assert environments[0].spec is not None
    assert first.spec.region == environments[0].spec.region
    assert first.spec.node_groups
    assert first.spec.node_groups[0].node_type
    assert isinstance(first.applied_spec_revision, int)
    assert isinstance(first.state, dbcloud.ClusterState)
    assert isinstance(first.model, m.AWSEnv)
    assert first.model.status.applied_spec_revision == first.applied_spec_revision
    assert anywhere.aws.list(names=[first.name]) == [first]


def test_environment_lifecycle(anywhere: dbcloud.AltinityAnywhere) -> None:
    created = anywhere.aws.create(NAME, AWS_SPEC)
    assert isinstance(created, m.CreateAWSEnvResult)
    assert created.mutation_id
    assert created.spec_revision == 1
    assert created.spec.aws_account_id == "123456789012"
    # What was left out comes back with the API's defaults, typed.
    assert created.spec.load_balancing_strategy == m.LoadBalancingStrategy.ZONE_BEST_EFFORT

    env = anywhere.aws.get(NAME)
    assert env.spec == created.spec
    assert env.applied is False, "provisioning has only begun"
    assert env.state is dbcloud.ClusterState.PROVISIONING

    updated = anywhere.aws.update(NAME, {"tags": [{"key": "team", "value": "data"}]}, update_strategy="MERGE")
    assert updated.spec_revision == 2
    assert [(tag.key, tag.value) for tag in updated.spec.tags] == [("team", "data")]
    assert updated.spec.node_groups == created.spec.node_groups, "a merge keeps what it does not name"

    deleted = anywhere.aws.delete(NAME)
    assert isinstance(deleted, m.DeleteAWSEnvResult)
    assert deleted.pending_mfa is False
    gone = anywhere.aws.get(NAME)
    assert gone.pending_delete
    assert gone.state is dbcloud.ClusterState.DELETING


def test_terraform(anywhere: dbcloud.AltinityAnywhere) -> None:
    name = anywhere.aws.list()[0].name
    code = anywhere.aws.terraform(name)
    assert 'resource "altinitycloud_env_aws"' in code
    assert f'name = "{name}"' in code


def test_unknown_token_is_an_authentication_error(target: Target) -> None:
    with (
        target.connect(dbcloud.AltinityAnywhere, token=TEST_SECRETS[1]) as client,
        pytest.raises(dbcloud.AuthenticationError) as caught,
    ):
        client.aws.list()
    assert caught.value.status_code == 401
    assert TEST_SECRETS[1] not in str(caught.value)
    assert TEST_SECRETS[1] not in repr(caught.value.body)


def test_unknown_environment_is_not_found(anywhere: dbcloud.AltinityAnywhere) -> None:
    # A GraphQL error (HTTP 200, `errors` with extensions.code NOT_FOUND) becomes NotFoundError.
    with pytest.raises(dbcloud.NotFoundError) as caught:
        anywhere.aws.terraform("no-such-environment")
    assert caught.value.status_code == 404
    assert caught.value.body is not None
    assert [error["code"] for error in caught.value.body["errors"]] == ["NOT_FOUND"]
    assert "no-such-environment" in str(caught.value)


@pytest.mark.emulator_only
def test_rate_limited_query_is_retried(anywhere: dbcloud.AltinityAnywhere, target: Target) -> None:
    target.inject(Fault("429", count=1, retry_after=2))
    assert anywhere.aws.list()
    if target.mode == "replay":
        assert target.time.slept == [2.0], "the replay waits out the recorded Retry-After"


@pytest.mark.emulator_only
def test_unavailable_query_is_retried(anywhere: dbcloud.AltinityAnywhere, target: Target) -> None:
    target.inject(Fault("503", count=2))
    assert anywhere.aws.list()
    if target.mode == "replay":
        assert len(target.time.slept) == 2, "two failed attempts, two pauses, then the answer"


@pytest.mark.emulator_only
def test_unavailable_mutation_is_not_retried(anywhere: dbcloud.AltinityAnywhere, target: Target) -> None:
    target.inject(Fault("503", count=1))
    sent = count_requests(anywhere)
    with pytest.raises(dbcloud.APIStatusError) as caught:
        anywhere.aws.create(NAME, AWS_SPEC)
    assert caught.value.status_code == 503
    assert len(sent) == 1
    assert "createAWSEnv" in sent[0]
    if target.mode == "replay":
        assert target.time.slept == [], "a mutation is sent once: a repeat could act twice"


def test_waiting_for_each_revision_to_be_applied(anywhere: dbcloud.AltinityAnywhere) -> None:
    created = anywhere.aws.create("cassette-waited", AWS_SPEC)
    env = anywhere.aws.wait_until_applied("cassette-waited", created.spec_revision)
    assert (env.applied_spec_revision, env.state) == (created.spec_revision, dbcloud.ClusterState.RUNNING)
    updated = anywhere.aws.update("cassette-waited", {"customDomains": ["waited.example.com"]})
    assert updated.spec_revision == created.spec_revision + 1
    env = anywhere.aws.wait_until_applied("cassette-waited")
    assert env.applied_spec_revision == updated.spec_revision
    anywhere.aws.delete("cassette-waited")
