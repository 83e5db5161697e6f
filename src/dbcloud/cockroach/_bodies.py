"""Check create and update requests before anything is sent, and spell them as the spec expects.

The field names are the spec's own (snake_case already), so nested objects may be given as dicts
in the vendor's names. The known keys below are those of spec version 2024-09-16; a test holds
them equal to the generated models', so a regeneration that changes them is noticed.

int64 values (`usage_limits`) are sent as decimal strings, as the spec types them (the proto3 JSON
rule); ints are accepted and converted.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from .._errors import ValidationError
from .._reading import SpecMismatchError
from ._models import UsageLimits

__all__ = [
    "CREATE_KEYS",
    "PROVIDERS",
    "UPDATE_KEYS",
    "check_name",
    "check_provider",
    "create_body",
    "spend_limit_error",
    "to_model",
    "update_body",
]

M = TypeVar("M")

PROVIDERS = ("GCP", "AWS", "AZURE")

# Spec: "Name must be 6-20 characters in length and can include numbers, lowercase letters, and
# dashes (but no leading or trailing dashes)."
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{4,18}[a-z0-9]$")

# Known keys of the nested request objects, per spec schema.
CREATE_KEYS: dict[str, frozenset[str]] = {
    "ServerlessClusterCreateSpecification": frozenset(
        {"regions", "primary_region", "upgrade_type", "usage_limits", "with_empty_ip_allowlist"}
    ),
    "DedicatedClusterCreateSpecification": frozenset(
        {
            "region_nodes",
            "hardware",
            "cockroach_version",
            "cidr_range",
            "network_visibility",
            "restrict_egress_traffic",
            "supports_cluster_virtualization",
        }
    ),
    "UsageLimits": frozenset({"request_unit_limit", "storage_mib_limit", "provisioned_virtual_cpus"}),
}
UPDATE_KEYS: dict[str, frozenset[str]] = {
    "ServerlessClusterUpdateSpecification": frozenset(
        {"regions", "primary_region", "upgrade_type", "usage_limits"}
    ),
    "DedicatedClusterUpdateSpecification": frozenset({"region_nodes", "hardware", "cmek_region_specs"}),
}

_SPEND_LIMIT_KEYS = frozenset({"spend_limit", "spendLimit"})
_USAGE_EXAMPLE = 'usage_limits={"request_unit_limit": ..., "storage_mib_limit": ...}'


def spend_limit_error(instead: str) -> ValidationError:
    """The error for any use of the spend limit, naming the call to make instead."""
    return ValidationError(
        "spend_limit no longer exists: since API version 2024-09-16, CockroachDB Cloud caps a "
        "Basic or Standard cluster with usage_limits (request_unit_limit: request units per month; "
        "storage_mib_limit: MiB of storage; provisioned_virtual_cpus: vCPUs of a Standard cluster) "
        "instead of a monthly spend in US cents, and PUT /api/v1/clusters/{cluster_id}/spend-limit "
        f"is gone. Use {instead} instead",
        field="spend_limit",
    )


def check_name(value: Any) -> str:
    """A cluster name as the spec allows it."""
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValidationError(
            f"cluster name {value!r} is invalid: use 6-20 lower-case letters, digits and dashes, "
            "not starting or ending with a dash",
            field="name",
        )
    return value


def check_provider(value: Any) -> str:
    """A cloud provider in the spec's spelling (`gcp` is accepted as `GCP`)."""
    provider = value.strip().upper() if isinstance(value, str) else None
    if provider not in PROVIDERS:
        raise ValidationError(
            f"provider must be one of {', '.join(PROVIDERS)}, got {value!r}", field="provider"
        )
    return provider


def _mapping(value: Any, field: str) -> dict[str, Any]:
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):  # a generated model given as is
        value = to_dict()
    if not isinstance(value, Mapping):
        raise ValidationError(f"{field} must be a dict, got {type(value).__name__}", field=field)
    return dict(value)


def _only_known(data: Mapping[str, Any], known: frozenset[str], field: str, spend_instead: str) -> None:
    if _SPEND_LIMIT_KEYS & set(data):
        raise spend_limit_error(spend_instead)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValidationError(
            f"{field} has unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}", field=field
        )


def _positive_int64(value: Any, field: str) -> str:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        # The spec: "It is an error for this to be zero."
        raise ValidationError(f"{field} must be a whole number of 1 or more, got {value!r}", field=field)
    return str(value)


def _usage_limits(value: Any, field: str, spend_instead: str) -> dict[str, str]:
    if isinstance(value, UsageLimits):
        value = dataclasses.asdict(value)
    data = _mapping(value, field)
    _only_known(data, CREATE_KEYS["UsageLimits"], field, spend_instead)
    limits = {key: _positive_int64(v, f"{field}.{key}") for key, v in data.items() if v is not None}
    if not limits:
        raise ValidationError(f"{field} sets no limit; leave it out to keep the plan's defaults", field=field)
    return limits


def _regions(value: Any, field: str) -> list[str]:
    regions = [value] if isinstance(value, str) else value
    if not isinstance(regions, Sequence) or not regions:
        raise ValidationError(f"{field} must name at least one region", field=field)
    for region in regions:
        if not isinstance(region, str) or not region.strip():
            raise ValidationError(f"{field} must hold region codes such as 'us-central1'", field=field)
    return list(regions)


def _serverless(
    value: Any, field: str, *, known: frozenset[str], creating: bool, spend_instead: str
) -> dict[str, Any]:
    spec = _mapping(value, field)
    _only_known(spec, known, field, spend_instead)
    if creating or "regions" in spec:
        spec["regions"] = _regions(spec.get("regions"), f"{field}.regions")
        primary = spec.get("primary_region")
        if primary is not None and primary not in spec["regions"]:
            raise ValidationError(
                f"{field}.primary_region {primary!r} is not one of its regions", field=field
            )
        if creating and primary is None and len(spec["regions"]) > 1:
            # Spec: primary_region "is required if you create the cluster in more than one region".
            raise ValidationError(
                f"{field}.primary_region is required with more than one region", field=field
            )
    if spec.get("usage_limits") is not None:
        spec["usage_limits"] = _usage_limits(spec["usage_limits"], f"{field}.usage_limits", spend_instead)
    return {k: v for k, v in spec.items() if v is not None}


def _region_nodes(value: Any, field: str) -> dict[str, int]:
    nodes = _mapping(value, field)
    if not nodes:
        raise ValidationError(f"{field} must give a node count for at least one region", field=field)
    for region, count in nodes.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValidationError(f"{field}[{region!r}] must be a node count of 1 or more", field=field)
    return nodes


def _dedicated(value: Any, field: str, *, known: frozenset[str], creating: bool) -> dict[str, Any]:
    spec = _mapping(value, field)
    _only_known(spec, known, field, "clusters.update(cluster_id, usage_limits=...)")
    if creating:
        missing = [key for key in ("region_nodes", "hardware") if spec.get(key) is None]
        if missing:
            raise ValidationError(f"{field} needs {' and '.join(missing)}", field=field)
    if spec.get("region_nodes") is not None:
        spec["region_nodes"] = _region_nodes(spec["region_nodes"], f"{field}.region_nodes")
    if spec.get("hardware") is not None:
        hardware = _mapping(spec["hardware"], f"{field}.hardware")
        if creating and ("machine_spec" not in hardware or "storage_gib" not in hardware):
            raise ValidationError(f"{field}.hardware needs machine_spec and storage_gib", field=field)
        spec["hardware"] = hardware
    return {k: v for k, v in spec.items() if v is not None}


def _common(labels: Any, parent_id: Any, delete_protection: Any) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if labels is not None:
        pairs = _mapping(labels, "labels")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in pairs.items()):
            raise ValidationError("labels must map strings to strings", field="labels")
        extra["labels"] = pairs
    if parent_id is not None:
        if not isinstance(parent_id, str):
            raise ValidationError("parent_id must be a folder id (or 'root')", field="parent_id")
        extra["parent_id"] = parent_id
    if delete_protection is not None:
        if not isinstance(delete_protection, bool):
            raise ValidationError("delete_protection must be True or False", field="delete_protection")
        extra["delete_protection"] = "ENABLED" if delete_protection else "DISABLED"
    return extra


def create_body(
    name: Any,
    provider: Any,
    *,
    serverless: Any,
    dedicated: Any,
    standard: Any,
    labels: Any = None,
    parent_id: Any = None,
    delete_protection: Any = None,
) -> dict[str, Any]:
    """The JSON body of `POST /api/v1/clusters` (`CreateClusterRequest`).

    `standard` is a serverless specification sent with `plan: STANDARD`: in the current spec a
    Standard cluster is a serverless one with provisioned vCPUs, and it has no spec of its own.
    """
    given = [
        key
        for key, value in (("serverless", serverless), ("dedicated", dedicated), ("standard", standard))
        if value is not None
    ]
    if len(given) != 1:
        raise ValidationError(
            "give exactly one of serverless= (Basic), standard= or dedicated= (Advanced)"
            + (f", not {' and '.join(given)}" if given else ""),
            field="spec",
        )
    instead = f"clusters.create_serverless(name, {_USAGE_EXAMPLE})"
    keys = CREATE_KEYS["ServerlessClusterCreateSpecification"]
    spec: dict[str, Any] = {}
    if serverless is not None:
        spec["serverless"] = _serverless(
            serverless, "serverless", known=keys, creating=True, spend_instead=instead
        )
    elif standard is not None:
        spec["serverless"] = _serverless(
            standard, "standard", known=keys, creating=True, spend_instead=instead
        )
        spec["plan"] = "STANDARD"
    else:
        spec["dedicated"] = _dedicated(
            dedicated, "dedicated", known=CREATE_KEYS["DedicatedClusterCreateSpecification"], creating=True
        )
    spec.update(_common(labels, parent_id, delete_protection))
    return {"name": check_name(name), "provider": check_provider(provider), "spec": spec}


def update_body(
    *,
    usage_limits: Any = None,
    serverless: Any = None,
    dedicated: Any = None,
    plan: Any = None,
    cockroach_version: Any = None,
    upgrade_status: Any = None,
    labels: Any = None,
    parent_id: Any = None,
    delete_protection: Any = None,
) -> dict[str, Any]:
    """The JSON body of `PATCH /api/v1/clusters/{cluster_id}` (`UpdateClusterSpecification`)."""
    instead = f"clusters.update(cluster_id, {_USAGE_EXAMPLE})"
    body: dict[str, Any] = {}
    if serverless is not None or usage_limits is not None:
        keys = UPDATE_KEYS["ServerlessClusterUpdateSpecification"]
        spec = _serverless(serverless or {}, "serverless", known=keys, creating=False, spend_instead=instead)
        if usage_limits is not None:
            if "usage_limits" in spec:
                raise ValidationError(
                    "give usage_limits once, not also inside serverless", field="usage_limits"
                )
            spec["usage_limits"] = _usage_limits(usage_limits, "usage_limits", instead)
        body["serverless"] = spec
    if dedicated is not None:
        keys = UPDATE_KEYS["DedicatedClusterUpdateSpecification"]
        body["dedicated"] = _dedicated(dedicated, "dedicated", known=keys, creating=False)
    if plan is not None:
        if not isinstance(plan, str):
            raise ValidationError("plan must be BASIC, STANDARD or ADVANCED", field="plan")
        body["plan"] = plan.upper()
    if cockroach_version is not None and upgrade_status is not None:
        # Spec: "Only one of `upgrade_status` or `cockroach_version` is allowed in the request."
        raise ValidationError("give cockroach_version or upgrade_status, not both", field="upgrade_status")
    if cockroach_version is not None:
        body["cockroach_version"] = cockroach_version
    if upgrade_status is not None:
        body["upgrade_status"] = upgrade_status
    body.update(_common(labels, parent_id, delete_protection))
    if not body:
        raise ValidationError("nothing to update: give at least one field", field="spec")
    return body


def to_model(model: type[M], body: Mapping[str, Any], what: str) -> M:
    """The generated model for a checked body; its enum checks become `ValidationError`s."""
    try:
        # Strictly: a request must be what the spec describes (answers are read tolerantly).
        built: M = model.from_dict(body, strict=True)  # type: ignore[attr-defined]
    except SpecMismatchError as exc:
        if exc.missing:
            raise ValidationError(f"{what} lacks the required field {exc.field!r}", field=exc.field) from None
        raise ValidationError(f"{what} is invalid: {exc}", field="spec") from None
    return built
