"""Altinity.Cloud Anywhere answers, read through `AltinityAnywhere`.

Source of the error shapes: Altinity/terraform-provider-altinitycloud, internal/sdk/client/
errors_test.go and internal/provider/env/common/delete_helpers_test.go: GraphQL errors with a
`path` naming the operation, with `extensions.code` `NOT_FOUND` or `CONFLICT`, or with no
extensions at all (a validation message). Bodies are ours, in those shapes.
The environment answer the drifts are applied to is shaped by the GraphQL schema's `AWSEnv`
(built by `tests/anywhere/_support.sample`): no public capture of one was found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from dbcloud_anywhere_client import models

import dbcloud
from dbcloud.anywhere import AltinityAnywhere
from tests._bridge import Flavour

from ..anywhere._support import sample
from ._support import UNKNOWN

TF = "Altinity/terraform-provider-altinitycloud internal/sdk/client/errors_test.go"


def graphql_error(message: str, path: str, code: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "path": [path]}
    if code is not None:
        error["extensions"] = {"code": code}
    return {"errors": [error], "data": None}


@pytest.fixture(autouse=True)
def _no_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in (
        "ALTINITYCLOUD_API_TOKEN",
        "ALTINITYCLOUD_API_URL",
        "DBCLOUD_PROFILE",
        "DBCLOUD_TIMEOUT",
        "DBCLOUD_MAX_RETRIES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))


def anywhere(flavour: Flavour, body: Any) -> AltinityAnywhere:
    """`AltinityAnywhere` answering `body` to every query, or its async twin on the async flavour."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    client: AltinityAnywhere = flavour.twin(AltinityAnywhere)(
        token="anywhere-token", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    return client


REAL = [
    pytest.param(
        graphql_error("env not found", "awsEnv", "NOT_FOUND"),
        dbcloud.NotFoundError,
        "env not found",
        id="not-found-with-extension",
    ),
    pytest.param(
        graphql_error("env has active clusters, use forceDestroyClusters=true", "deleteAWSEnv", "CONFLICT"),
        dbcloud.ConflictError,
        "active clusters",
        id="conflict-on-delete",
    ),
    pytest.param(
        graphql_error('catalog "x": table "a.b": invalid path: "a/"', "updateAWSEnv"),
        dbcloud.APIError,
        "invalid path",
        id="validation-without-extensions",
    ),
]


@pytest.mark.parametrize(("body", "error", "text"), REAL)
def test_a_real_error_answer_is_a_typed_error(
    flavour: Flavour, body: Any, error: type[Exception], text: str
) -> None:
    with anywhere(flavour, body) as client, pytest.raises(error) as caught:
        client.aws.delete("prod") if "delete" in str(body) else client.aws.get("prod")
    assert text in str(caught.value)


# --- the four drifts, on an environment shaped by the schema ------------------------------------------


def environment() -> dict[str, Any]:
    return sample(
        models.AWSEnv,
        name="prod",
        specRevision=3,
        spec=sample(models.AWSEnvSpec, region="us-east-1"),
        status=sample(
            models.AWSEnvStatus,
            appliedSpecRevision=3,
            pendingDelete=False,
            errors=[{"code": "DISCONNECTED", "message": "the cloud connect agent is offline"}],
        ),
    )


def _unknown(env: dict[str, Any]) -> None:
    env["status"]["errors"][0]["code"] = UNKNOWN


def _null(env: dict[str, Any]) -> None:
    env["status"]["errors"][0]["message"] = None


def _missing(env: dict[str, Any]) -> None:
    del env["status"]["pendingDelete"]


def _text(env: dict[str, Any]) -> None:
    env["status"]["appliedSpecRevision"] = "3"


def _sees_unknown(env: Any) -> None:
    assert env.errors[0].code == UNKNOWN
    status = env.model.status
    assert str(getattr(status.errors[0].code, "value", status.errors[0].code)) == UNKNOWN


def _sees_null(env: Any) -> None:
    assert env.errors[0].message is None
    assert env.model.status.errors[0].message is None


def _sees_missing(env: Any) -> None:
    assert (env.pending_delete, env.applied_spec_revision) == (None, 3)
    assert env.state is dbcloud.ClusterState.DEGRADED  # the agent is offline; nothing says "deleting"
    status = env.model.status
    assert status.pending_delete is None or type(status.pending_delete).__name__ == "Unset"
    assert status.applied_spec_revision == 3


def _sees_text(env: Any) -> None:
    assert env.applied_spec_revision == 3
    assert env.applied is True
    assert env.model.status.applied_spec_revision == 3


DRIFTS: list[Any] = [
    pytest.param(_unknown, _sees_unknown, id="unknown-enum-error-code"),
    pytest.param(_null, _sees_null, id="null-error-message"),
    pytest.param(_missing, _sees_missing, id="missing-required-pendingDelete"),
    pytest.param(_text, _sees_text, id="text-number-appliedSpecRevision"),
]


def test_the_undrifted_environment_reads(flavour: Flavour) -> None:
    with anywhere(flavour, {"data": {"awsEnv": environment()}}) as client:
        env = client.aws.get("prod")
    assert (env.id, env.name, env.spec.region, env.applied_spec_revision) == ("prod", "prod", "us-east-1", 3)
    assert env.state is dbcloud.ClusterState.DEGRADED
    assert env.errors[0].code == "DISCONNECTED"


@pytest.mark.parametrize(("drift", "check"), DRIFTS)
def test_a_drifted_answer_still_reads(
    flavour: Flavour, drift: Callable[[Any], None], check: Callable[[Any], None]
) -> None:
    env = environment()
    drift(env)
    with anywhere(flavour, {"data": {"awsEnv": env}}) as client:
        check(client.aws.get("prod"))
