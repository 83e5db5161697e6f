"""What the Anywhere facade returns for an environment: a record of the same shape as every vendor's
(see `dbcloud._results`), with the generated models of `dbcloud_anywhere_client` beside it.

The generated dataclasses annotate every non-null GraphQL field as a plain type (`name: str`,
`spec_revision: int`), but the codec reads answers tolerantly, so a field the server leaves out
arrives as None under a plain annotation. The record says what is really there: `id` and `name`
are always text (an environment without a name cannot be read: it is left out of a list), the
revisions, flags and errors are `X | None` or empty, and `state` is a `ClusterState` made from them.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .._results import as_bool, as_int, identifier, mapping, text
from .._wait import ClusterState

__all__ = ["Environment", "StatusError", "environment_state"]

ModelT = TypeVar("ModelT")
SpecT = TypeVar("SpecT")


@dataclass(frozen=True, slots=True)
class StatusError:
    """A problem the environment's status reports.

    Attributes:
        code: the API's code, e.g. `CLOUD_PROVIDER_QUOTA_EXCEEDED` or `DISCONNECTED`
            (`models.EnvStatusErrorCode`; a code the package does not know is kept as sent).
        message: the API's words.
    """

    code: str | None
    message: str | None

    @classmethod
    def from_api(cls, data: Any) -> StatusError:
        item = mapping(data)
        return cls(code=text(item.get("code")), message=text(item.get("message")))


def environment_state(
    spec_revision: int | None,
    applied_spec_revision: int | None,
    *,
    pending_delete: bool | None,
    errors: tuple[StatusError, ...],
) -> ClusterState:
    """Where an environment stands, from what its status reports.

    `DELETING` once it is marked for removal; `DEGRADED` while the status lists errors (they last
    until someone acts: a quota, an offline agent, a missing permission); `RUNNING` once the latest
    spec revision is applied (what Altinity's Terraform provider waits for); `PROVISIONING` before
    any revision is applied, `UPDATING` while a later one is being applied; `UNKNOWN` when the
    answer lacks a revision.
    """
    if pending_delete:
        return ClusterState.DELETING
    if spec_revision is None or applied_spec_revision is None:
        return ClusterState.UNKNOWN
    if errors:
        return ClusterState.DEGRADED
    if applied_spec_revision >= spec_revision:
        return ClusterState.RUNNING
    return ClusterState.PROVISIONING if applied_spec_revision <= 0 else ClusterState.UPDATING


@dataclass(frozen=True, slots=True)
class Environment(Generic[ModelT, SpecT]):
    """An Anywhere environment of any kind (AWS, hosted AWS, Azure, GCP, HCloud, Kubernetes).

    Attributes:
        id: the environment's name: Anywhere identifies environments by name, and `id` is there so
            that scripts read `.id` on every vendor's records.
        name: the same name.
        kind: the kind, as the client attribute that serves it: `aws`, `aws_hosted`, `azure`,
            `gcp`, `hcloud` or `k8s`.
        state: where it stands, as a `ClusterState` (see `environment_state`).
        spec_revision: the revision of its current spec (it grows with every update).
        applied_spec_revision: the latest revision the platform has applied.
        pending_delete: whether it is marked for removal.
        errors: the problems its status reports.
        spec: its configuration, as the kind's generated spec model (`models.AWSEnvSpec`, ...);
            None when the answer has none.
        raw: the JSON object as received, in the API's field names.
    """

    id: str
    name: str
    kind: str
    state: ClusterState
    spec_revision: int | None = None
    applied_spec_revision: int | None = None
    pending_delete: bool | None = None
    errors: tuple[StatusError, ...] = ()
    spec: SpecT | None = field(default=None, repr=False)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], *, kind: str) -> Environment[Any, Any]:
        """Read one environment of `kind` (a key of `KINDS`).

        Raises:
            MissingIdentifier: it has no name.
            DecodeError: its spec does not have the shape of the kind's spec model.
        """
        name = identifier(data, "name")
        status = mapping(data.get("status"))
        listed = status.get("errors")
        errors = tuple(StatusError.from_api(e) for e in listed) if isinstance(listed, list) else ()
        spec_revision = as_int(data.get("specRevision"))
        applied = as_int(status.get("appliedSpecRevision"))
        pending_delete = as_bool(status.get("pendingDelete"))
        spec = data.get("spec")
        return cls(
            id=name,
            name=name,
            kind=kind,
            state=environment_state(spec_revision, applied, pending_delete=pending_delete, errors=errors),
            spec_revision=spec_revision,
            applied_spec_revision=applied,
            pending_delete=pending_delete,
            errors=errors,
            spec=None if spec is None else _codec().decode(_spec_type(kind), spec),
            raw=data,
        )

    @property
    def applied(self) -> bool | None:
        """The latest spec revision is applied (None when the answer lacks a revision)."""
        if self.spec_revision is None or self.applied_spec_revision is None:
            return None
        return self.applied_spec_revision >= self.spec_revision

    @property
    def model(self) -> ModelT:
        """The answer read by the kind's generated model (`models.AWSEnv`, ...), status included."""
        parsed: ModelT = _codec().from_dict(_model_type(self.kind), self.raw)
        return parsed


def _codec() -> Any:
    from dbcloud_anywhere_client import codec

    return codec


@functools.lru_cache(maxsize=16)
def _model_type(kind: str) -> type[Any]:
    from ._environments import KINDS, result_model

    return result_model(KINDS[kind].get)


@functools.lru_cache(maxsize=16)
def _spec_type(kind: str) -> Any:
    return typing.get_type_hints(_model_type(kind))["spec"]
