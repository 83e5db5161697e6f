"""`dbcloud anywhere`: Altinity.Cloud Anywhere environments of every kind (`dbcloud.AltinityAnywhere`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._spec import Api, Resource, Setting, Verb, a, arg, opt

if TYPE_CHECKING:
    from .._invoke import Call

__all__ = ["ANYWHERE"]

_NAME = arg("NAME", "the environment's name")
_SPEC = opt(
    "--file", "the spec: JSON (or YAML) in the API's field names; - for stdin", to="cli", required=True,
    metavar="FILE",
)  # fmt: skip


def _spec(call: Call) -> Any:
    from .._invoke import UsageError, read_document

    spec = read_document(call.get("file"), option="--file")
    if not isinstance(spec, dict):
        raise UsageError(f"{call.get('file')} must hold an object (the spec, in the API's field names)")
    return spec


def _create(call: Call) -> Any:
    return call.target.create(call.get("name"), _spec(call))


def _update(call: Call) -> Any:
    return call.target.update(call.get("name"), _spec(call), update_strategy=call.get("strategy"))


def _until_applied(call: Call, result: Any) -> Any:
    # After a create or update: the revision it answered, as Altinity's Terraform provider waits.
    name = call.get("name")
    revision = getattr(result, "spec_revision", None)
    return call.wait(
        f"Anywhere environment {name}",
        lambda p: call.target.wait_until_applied(name, revision, on_progress=p, **call.wait_args()),
    )


def _wait(call: Call) -> Any:
    name = call.get("name")
    return call.wait(
        f"Anywhere environment {name}",
        lambda p: call.target.wait_until_applied(
            name, call.get("revision"), on_progress=p, **call.wait_args()
        ),
    )


def _verbs(label: str, *, terraform: bool) -> tuple[Verb, ...]:
    verbs: tuple[Verb, ...] = (
        Verb(
            "list",
            f"list {_plural(label)}",
            (opt("--name", "only these environments (repeatable)", "list", key="names"),),
        ),
        Verb("get", f"show one {label}", (_NAME,)),
        Verb(
            "create",
            f"create {a(label)} (repeated only after a rate limit)",
            (_NAME, _SPEC),
            run=_create,
            mutates=True,
            wait=_until_applied,
        ),
        Verb(
            "update",
            f"change the spec of {a(label)} (repeated only after a rate limit)",
            (_NAME, _SPEC, opt("--strategy", "MERGE or REPLACE", to="cli", choices=("MERGE", "REPLACE"))),
            run=_update,
            mutates=True,
            wait=_until_applied,
        ),
        Verb(
            "delete",
            f"mark {a(label)} for removal (repeated only after a rate limit)",
            (
                _NAME,
                opt("--force", "remove the record without waiting for deprovisioning", "flag"),
                opt("--force-destroy-clusters", "delete its ClickHouse clusters too", "flag"),
            ),
            mutates=True,
        ),
        Verb(
            "wait",
            f"wait until {a(label)} has applied its spec (or the revision given)",
            (_NAME, opt("--revision", "the spec revision to wait for", "int", to="cli")),
            run=_wait,
            always_waits=True,
        ),
    )
    if terraform:
        verbs += (
            Verb(
                "terraform",
                f"write Terraform code describing {a(label)}",
                (_NAME, opt("--boilerplate", "include the provider boilerplate", "flag")),
            ),
        )
    return verbs


def _plural(label: str) -> str:
    return label.replace("environment", "environments", 1)


_KINDS = (
    ("aws", "AWS environment in your account", True),
    ("aws-hosted", "AWS environment hosted by Altinity", False),
    ("azure", "Azure environment", True),
    ("gcp", "GCP environment", True),
    ("hcloud", "Hetzner Cloud environment", True),
    ("k8s", "Kubernetes environment in your cluster", True),
)

ANYWHERE = Api(
    name="anywhere",
    label="Altinity.Cloud Anywhere",
    help="Altinity.Cloud Anywhere (GraphQL): environments in AWS, Azure, GCP, Hetzner, Kubernetes",
    settings=(
        Setting(
            "ALTINITYCLOUD_API_TOKEN", "token", "Anywhere API token (sent as a Bearer token)", secret=True
        ),
        Setting(
            "ALTINITYCLOUD_API_URL", "base_url", "Anywhere server (default https://anywhere.altinity.cloud)"
        ),
    ),
    resources=tuple(
        Resource(name, _plural(label), _verbs(label, terraform=terraform), columns=("name", "specRevision"))
        for name, label, terraform in _KINDS
    ),
)
