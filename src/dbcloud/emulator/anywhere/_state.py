"""The emulated Anywhere environments' state: the six kinds, the records, the durations of their
lifecycle on the emulated clock, and how a full spec is built from an input (the SDL's defaults,
MERGE updates) and passed through the generated models (no requests, no GraphQL)."""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._graphql import _GraphQLError, _Type
from ._schema import _SCALARS, _FieldInfo, _fields, _model

PROVISION_SECONDS = 600.0  # emulated seconds from a create to its spec being applied
UPDATE_SECONDS = 120.0  # ... from an update to its revision being applied
DELETE_SECONDS = 300.0  # ... from a (non-forced) delete to the environment being gone

# Environment names are DNS labels here (they become host names). Assumption: the SDL only says
# "globally-unique"; this also keeps `../` and control characters out of names.
_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


# --- environments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """One environment kind: its GraphQL type and root fields, and its Terraform resource."""

    label: str
    type: str  # the GraphQL object type of the environment ("AWSEnv")
    list: str
    get: str
    has_code_gen: bool
    terraform: str  # the resource type of the altinitycloud Terraform provider

    @property
    def create(self) -> str:
        return f"create{self.type}"

    @property
    def update(self) -> str:
        return f"update{self.type}"

    @property
    def delete(self) -> str:
        return f"delete{self.type}"

    @property
    def code_gen(self) -> str | None:
        return f"codeGen{self.type}" if self.has_code_gen else None

    @property
    def spec_type(self) -> str:
        return _fields(_require_model(self.type))["spec"].type.named

    @property
    def status_type(self) -> str:
        return _fields(_require_model(self.type))["status"].type.named


_KINDS = (
    _Kind("AWS environment", "AWSEnv", "awsEnvs", "awsEnv", True, "altinitycloud_env_aws"),
    _Kind("Altinity-hosted AWS environment", "AWSEnvHosted", "awsEnvsHosted", "awsEnvHosted", False, ""),
    _Kind("Azure environment", "AzureEnv", "azureEnvs", "azureEnv", True, "altinitycloud_env_azure"),
    _Kind("GCP environment", "GCPEnv", "gcpEnvs", "gcpEnv", True, "altinitycloud_env_gcp"),
    _Kind("HCloud environment", "HCloudEnv", "hcloudEnvs", "hcloudEnv", True, "altinitycloud_env_hcloud"),
    _Kind("Kubernetes environment", "K8SEnv", "k8sEnvs", "k8sEnv", True, "altinitycloud_env_k8s"),
)


def _require_model(name: str) -> type[Any]:
    cls = _model(name)
    if cls is None:
        raise KeyError(f"no model for {name}")
    return cls


@dataclass
class _Env:
    kind: _Kind
    name: str
    spec: dict[str, Any]  # the full spec, as JSON in GraphQL names
    changed_at: float  # when the current revision was asked for
    revision: int = 1
    applied: int = 0
    fails: bool = False  # the current revision ends with an error instead of being applied
    deleted_at: float | None = None


@dataclass
class _Context:
    """What defaults inside a spec derive from (the SDL: "defaults to environment zones", ...)."""

    region: str = ""
    zones: list[str] = field(default_factory=list)
    account: str = ""


# Defaults the SDL documents for fields a create leaves out, by GraphQL field name and by
# (type, field). The rest default to the empty value of their type.
_DEFAULTS: dict[str, Any] = {
    "sourceIPRanges": ["0.0.0.0/0"],
    "crossZone": True,
    "loadBalancingStrategy": "ZONE_BEST_EFFORT",
    "domain": "datadoghq.com",
    "aksSKUTier": "FREE",
    "aksSupportPolicy": "STANDARD",
    "mode": "STANDARD",
    "ha": True,
    "reservations": ["CLICKHOUSE", "SYSTEM", "ZOOKEEPER"],
    "storageClass": "",  # "empty when the environment default is used"
    "resourcePrefix": "altinity",  # assumption: the SDL gives no default
    "size": 100,  # assumption: GiB of a volume created without a size
    "iops": 3000,  # assumption: gp3's baseline
    "throughput": 125,  # assumption: gp3's baseline
    "lengthInHours": 4,  # assumption
}
_TYPE_DEFAULTS: dict[tuple[str, str], Any] = {
    ("MaintenanceWindowSpec", "enabled"): True,  # "True by default."
    ("ClickHouseDiskSpec", "name"): "default",  # "named `default`"
}


def _build(cls: type[Any], given: Mapping[str, Any] | None, ctx: _Context) -> dict[str, Any]:
    """A complete JSON object of output type `cls`: the values given, defaults for the rest.

    Input objects map onto output objects by field name; input-only fields (passwords, tokens, the
    `...ToDelete` lists) are dropped, so a secret never reaches an answer.
    """
    given = given or {}
    out: dict[str, Any] = {}
    for wire, info in _fields(cls).items():
        value = given.get(wire)
        if value is None:
            value = _default(cls, wire, info, given, ctx)
        out[wire] = _convert(value, info.type, ctx)
    if cls.__name__ == "ClickHouseClusterSpec":
        keeper = given.get("keeper")
        if isinstance(keeper, Mapping) and keeper.get("enabled") is False:
            out["keeper"] = None  # the input says whether a keeper is used; the output names it
    has_password = given.get("passwordValue") is not None or given.get("passwordValueFromSecret") is not None
    if cls.__name__ == "ClickHouseUserSpec" and out.get("passwordType") is None and has_password:
        out["passwordType"] = "PLAIN_TEXT"  # assumption: a password given without its form is plain text
    return out


def _default(cls: type[Any], wire: str, info: _FieldInfo, given: Mapping[str, Any], ctx: _Context) -> Any:
    if (cls.__name__, wire) in _TYPE_DEFAULTS:
        return _TYPE_DEFAULTS[(cls.__name__, wire)]
    if wire in ("zones", "zoneIDs", "locations") and ctx.zones:
        return list(ctx.zones)
    if wire == "name" and "nodeType" in _fields(cls):
        return given.get("nodeType", "")  # a node group's name "defaults to $nodeType"
    if wire == "vpcRegion" and ctx.region:
        return ctx.region
    if wire == "awsAccountID" and ctx.account:
        return ctx.account
    if wire in _DEFAULTS:
        return _DEFAULTS[wire]
    if info.type.nullable:
        return None
    return _empty(info.type)


def _empty(wanted: _Type) -> Any:
    if wanted.item is not None:
        return []
    simple: dict[str, Any] = {
        "String": "",
        "ID": "",
        "Sensitive": "",
        "Int": 0,
        "Float": 0.0,
        "Boolean": False,
    }
    if wanted.name in simple:
        return simple[wanted.name]
    cls = _require_model(wanted.name)
    if issubclass(cls, enum.Enum):
        return next(iter(cls)).value
    return {}


def _convert(value: Any, wanted: _Type, ctx: _Context) -> Any:
    if value is None:
        return None
    if wanted.item is not None:
        item = wanted.item
        return [_convert(v, item, ctx) for v in value] if isinstance(value, list) else []
    if wanted.name in _SCALARS:
        return value
    cls = _require_model(wanted.name)
    if issubclass(cls, enum.Enum):
        return value if value in {m.value for m in cls} else next(iter(cls)).value
    return _build(cls, value if isinstance(value, Mapping) else {}, ctx)


def _merge(current: Mapping[str, Any], patch: Mapping[str, Any], input_cls: type[Any]) -> dict[str, Any]:
    """An update (MERGE) applied to JSON: objects merge, lists are replaced, except lists with a
    `<list>ToDelete` sibling, whose entries are patched, added or removed by name (or key)."""
    result = dict(current)
    fields = _fields(input_cls)
    for wire, names in patch.items():
        if not wire.endswith("ToDelete") or not names or wire[: -len("ToDelete")] not in fields:
            continue
        base = wire[: -len("ToDelete")]
        key = _entry_key(fields[base].type)
        present = {entry.get(key) for entry in result.get(base) or []}
        missing = [name for name in names if name not in present]
        if missing:
            raise _GraphQLError("BAD_USER_INPUT", f"{wire}: no entry named {', '.join(map(repr, missing))}")
        result[base] = [entry for entry in result.get(base) or [] if entry.get(key) not in names]
    for wire, value in patch.items():
        if value is None or (wire.endswith("ToDelete") and wire[: -len("ToDelete")] in fields):
            continue  # assumption: under MERGE an explicit null leaves the field as it is
        wanted = fields[wire].type
        sub = _model(wanted.named)
        if wanted.item is not None and sub is not None and f"{wire}ToDelete" in fields:
            result[wire] = _merge_entries(result.get(wire) or [], value, sub, _entry_key(wanted))
        elif wanted.item is None and sub is not None and dataclasses.is_dataclass(sub):
            result[wire] = _merge(result.get(wire) or {}, value, sub)
        else:
            result[wire] = value
    return result


def _entry_key(wanted: _Type) -> str:
    cls = _require_model(wanted.named)
    return "name" if "name" in _fields(cls) else "key"


def _merge_entries(current: list[Any], patch: list[Any], item_cls: type[Any], key: str) -> list[Any]:
    entries = [dict(entry) for entry in current]
    for item in patch:
        match = next((i for i, entry in enumerate(entries) if entry.get(key) == item.get(key)), None)
        if match is None:
            entries.append(_merge({}, item, item_cls))
        else:
            entries[match] = _merge(entries[match], item, item_cls)
    return entries


def _model_json(type_name: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """JSON of a GraphQL object type, built with its generated model and the codec.

    Decoding checks that every required field is there; encoding with `omit_none=False` writes
    each nullable field, as GraphQL answers every field selected.
    """
    from dbcloud_anywhere_client import codec

    cls = _require_model(type_name)
    return codec.to_dict(codec.from_dict(cls, raw), omit_none=False)


def _digest(*parts: str, size: int = 17) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:size]
