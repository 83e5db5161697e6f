"""`wait_until_applied`: the wait of Altinity's Terraform provider, on scripted status answers.

The cases follow the provider's own tests of its status wait (altinity/terraform-provider-
altinitycloud, internal/provider/env/common: `ReadEnvStatus`): a target already met reads once; a
disconnect before the first provisioning is waited through; a disconnect after it, or any other
error, ends the wait naming the error (and only the blocking ones).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from dbcloud_anywhere_client import models

import dbcloud
from dbcloud.anywhere import AltinityAnywhere

from ._support import Server, data, sample

Connect = Callable[..., tuple[AltinityAnywhere, Server]]


def status(applied: int, revision: int = 2, *errors: tuple[str, str], pending_delete: bool = False) -> Any:
    env = sample(
        models.AWSEnv,
        name="prod",
        specRevision=revision,
        status=sample(
            models.AWSEnvStatus,
            appliedSpecRevision=applied,
            pendingDelete=pending_delete,
            errors=[{"code": code, "message": message} for code, message in errors],
        ),
    )
    return data(awsEnv=env)


def waiting(client: AltinityAnywhere, seen: list[str]) -> dict[str, Any]:
    client._clock = lambda: 0.0  # the fake sleep does not move a clock: no deadline is reached
    return {"interval": 1.0, "timeout": 3600, "on_progress": lambda p: seen.append(p.state)}


def connect_paused(connect: Connect, flavour: Any, *replies: Any) -> tuple[AltinityAnywhere, Server]:
    client, server = connect(*replies)
    flavour.set_sleep(client, lambda seconds: None)
    return client, server


def test_a_target_already_met_reads_once(connect: Connect, flavour: Any) -> None:
    client, server = connect_paused(connect, flavour, status(5, 5))
    env = client.aws.wait_until_applied("prod", 5)
    assert (env.applied_spec_revision, env.state) == (5, dbcloud.ClusterState.RUNNING)
    assert len(server.bodies) == 1


def test_revision_zero_reads_once(connect: Connect, flavour: Any) -> None:
    client, server = connect_paused(connect, flavour, status(0, 3))
    assert client.aws.wait_until_applied("prod", 0).applied_spec_revision == 0
    assert len(server.bodies) == 1


def test_the_wait_polls_until_the_revision_is_applied(connect: Connect, flavour: Any) -> None:
    client, server = connect_paused(connect, flavour, status(1, 2), status(1, 2), status(2, 2))
    seen: list[str] = []
    env = client.aws.wait_until_applied("prod", 2, **waiting(client, seen))
    assert env.applied_spec_revision == 2
    assert seen == ["revision 1 of 2 applied", "revision 1 of 2 applied", "revision 2 of 2 applied"]
    assert len(server.bodies) == 3


def test_without_a_revision_the_wait_is_for_the_reported_spec_revision(
    connect: Connect, flavour: Any
) -> None:
    client, _ = connect_paused(connect, flavour, status(3, 4), status(4, 4))
    assert client.aws.wait_until_applied("prod").applied_spec_revision == 4


def test_a_disconnect_before_the_first_provisioning_is_waited_through(connect: Connect, flavour: Any) -> None:
    client, _ = connect_paused(
        connect, flavour, status(0, 2), status(0, 2, ("DISCONNECTED", "not connected")), status(2, 2)
    )
    seen: list[str] = []
    assert client.aws.wait_until_applied("prod", 2, **waiting(client, seen)).applied_spec_revision == 2
    assert seen[1] == "revision 0 of 2 applied (DISCONNECTED)"


def test_a_disconnect_after_provisioning_ends_the_wait(connect: Connect, flavour: Any) -> None:
    client, _ = connect_paused(
        connect, flavour, status(1, 2), status(1, 2, ("DISCONNECTED", "lost the tunnel"))
    )
    with pytest.raises(dbcloud.ClusterFailed, match="DISCONNECTED: lost the tunnel") as caught:
        client.aws.wait_until_applied("prod", 2, **waiting(client, []))
    assert caught.value.last_state.applied_spec_revision == 1


def test_a_provisioning_error_ends_the_wait_naming_only_the_blocking_errors(
    connect: Connect, flavour: Any
) -> None:
    client, _ = connect_paused(
        connect,
        flavour,
        status(0, 2, ("DISCONNECTED", "not connected"), ("QUOTA_EXCEEDED", "no capacity")),
    )
    with pytest.raises(dbcloud.ClusterFailed) as caught:
        client.aws.wait_until_applied("prod", 2)
    assert "QUOTA_EXCEEDED: no capacity" in str(caught.value)
    assert "DISCONNECTED" not in str(caught.value)


def test_an_environment_being_deleted_ends_the_wait(connect: Connect, flavour: Any) -> None:
    client, _ = connect_paused(connect, flavour, status(1, 2, pending_delete=True))
    with pytest.raises(dbcloud.ClusterFailed, match="being deleted"):
        client.aws.wait_until_applied("prod", 2)


def test_the_wait_gives_up_at_its_timeout(connect: Connect, flavour: Any) -> None:
    client, server = connect_paused(connect, flavour, status(1, 2))
    ticks = iter(range(0, 10_000, 30))
    client._clock = lambda: float(next(ticks))
    with pytest.raises(dbcloud.WaitTimeout, match="revision 1 of 2 applied"):
        client.aws.wait_until_applied("prod", 2, timeout=100, interval=1)
    assert 2 <= len(server.bodies) <= 5


def test_an_unknown_environment_is_not_found(connect: Connect, flavour: Any) -> None:
    client, _ = connect_paused(connect, flavour, data(awsEnv=None))
    with pytest.raises(dbcloud.NotFoundError):
        client.aws.wait_until_applied("prod", 2)


@pytest.mark.parametrize(
    ("name", "revision", "field"),
    [("", 1, "name"), ("prod", -1, "revision"), ("prod", True, "revision"), ("prod", "2", "revision")],
)
def test_bad_arguments_are_refused_before_sending(
    connect: Connect, flavour: Any, name: Any, revision: Any, field: str
) -> None:
    client, server = connect_paused(connect, flavour, status(2, 2))
    with pytest.raises(dbcloud.ValidationError) as caught:
        client.aws.wait_until_applied(name, revision)
    assert caught.value.field == field
    assert server.bodies == []
