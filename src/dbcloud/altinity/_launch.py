"""Check a cluster launch request completely before anything is sent, and spell it as ACM expects.

The launch is a JSON body posted to `POST /environment/{environment}/clusters/launch`: the path the
spec declares and ACM's current CLI (acmctl `cluster launch`) and the community Terraform provider
post to. Both vendor pages post the same JSON to `/{environment}/cluster-launch`; the body is the
same, and the spec's path brings the operation's declared security with it (see the ACM overlay).
Values go as the documented examples write them: numbers as JSON numbers, `secure` as a boolean,
`zookeeperOptions` as an object. Nothing travels on the URL, so the admin password never reaches an
access log.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from .._errors import ValidationError
from .._reading import SpecMismatchError

__all__ = ["LAUNCH_OPERATION", "build_launch_body", "check_launch_fields", "environment_path_id"]

LAUNCH_OPERATION = "clusters.post_environment_clusters_launch"

# Assumption: ACM derives Kubernetes and DNS names from the cluster name, so it must be a DNS label
# (lower-case letters, digits and hyphens, starting with a letter). The 63-character limit is the
# DNS label's; ACM may allow less.
_NAME = re.compile(r"^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_ZOOKEEPER_SIZES = ("single", "multi")
_ZOOKEEPER_OPTION_KEYS = ("tag", "size", "root")

# The launch arguments that `build_launch_body` checks one by one (they are also the body model's
# attribute names for the same fields); every other field of the body goes through `_check_extra`.
_FACADE_ARGUMENTS = frozenset(
    {
        "name", "admin_user", "admin_pass", "node_type", "instance_type", "nodes", "shards", "replicas",
        "size", "disks", "version", "secure", "storage_class", "lb_type", "node_placement", "zookeeper",
        "zookeeper_options", "https_port", "tcp_port_secure",
    }
)  # fmt: skip


def _positive(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{field} must be a whole number, got {value!r}", field=field)
    if value <= 0:
        raise ValidationError(f"{field} must be 1 or more, got {value}", field=field)
    return value


def _port(field: str, value: Any) -> int:
    port = _positive(field, value)
    if port > 65535:
        raise ValidationError(f"{field} must be a TCP port (1-65535), got {port}", field=field)
    return port


def _text(field: str, value: Any, *, empty_ok: bool = False) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a string, got {type(value).__name__}", field=field)
    if not value and not empty_ok:
        raise ValidationError(f"{field} must not be empty", field=field)
    if any(c in value for c in "\r\n\x00"):
        raise ValidationError(f"{field} must not contain line breaks or NUL characters", field=field)
    return value


def environment_path_id(environment_id: Any) -> int:
    """An environment id as ACM's path takes it: a positive integer (also given as digits)."""
    if isinstance(environment_id, str) and environment_id.isdigit():
        environment_id = int(environment_id)
    return _positive("environment_id", environment_id)


def _check_name(value: Any) -> str:
    name = _text("name", value)
    if not _NAME.match(name):
        raise ValidationError(
            f"name {name!r} is not a valid cluster name: use lower-case letters, digits and hyphens, "
            "start with a letter, end with a letter or digit, at most 63 characters",
            field="name",
        )
    return name


def _check_zookeeper(value: Any, options: Any) -> tuple[str, dict[str, str] | None]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(_positive("zookeeper", value))
    zookeeper = _text("zookeeper", value)
    # "launch" starts a new ZooKeeper for the cluster; otherwise ACM takes the id of an existing one.
    if zookeeper != "launch" and not zookeeper.isdigit():
        raise ValidationError(
            'zookeeper must be "launch" (start a new one) or the id of an existing ZooKeeper, '
            f"got {zookeeper!r}",
            field="zookeeper",
        )
    if options is None:
        return zookeeper, None
    if zookeeper != "launch":
        raise ValidationError(
            'zookeeper_options only apply when zookeeper="launch"', field="zookeeper_options"
        )
    if not isinstance(options, Mapping):
        raise ValidationError(
            "zookeeper_options must be a dict with tag, size and root", field="zookeeper_options"
        )
    unknown = sorted(set(options) - set(_ZOOKEEPER_OPTION_KEYS))
    if unknown:
        raise ValidationError(
            f"zookeeper_options has unknown keys {unknown}; known: {list(_ZOOKEEPER_OPTION_KEYS)}",
            field="zookeeper_options",
        )
    for key, value in options.items():
        _text(f"zookeeper_options[{key!r}]", value, empty_ok=True)
    if "size" in options and options["size"] not in _ZOOKEEPER_SIZES:
        raise ValidationError(
            f"zookeeper_options['size'] must be one of {list(_ZOOKEEPER_SIZES)}, got {options['size']!r}",
            field="zookeeper_options",
        )
    # Key order as the caller gave it: the documented examples list tag, size, root.
    return zookeeper, dict(options)


def _check_extra(extra: Mapping[str, Any], model: type[Any]) -> dict[str, Any]:
    """Other fields of the launch body, by their Python names, as JSON values in ACM's names."""
    table = {attr: wire for attr, wire, _, _ in model._dbcloud_fields.fields}
    body: dict[str, Any] = {}
    for key, value in extra.items():
        wire = table.get(key)
        if wire is None:
            # ACM's own spelling (`storageClass`) names its Python one; else the nearest name.
            flat = key.replace("_", "").lower()
            close = [a for a in table if a.replace("_", "") == flat] or difflib.get_close_matches(
                key, [a for a in table if a not in _FACADE_ARGUMENTS], n=1
            )
            hint = f"; did you mean {close[0]!r}?" if close else ""
            others = sorted(set(table) - _FACADE_ARGUMENTS)
            raise ValidationError(
                f"{key!r} is not a field of ACM's cluster launch{hint} (it also takes: {', '.join(others)})",
                field=key,
            )
        if value is not None:
            body[wire] = value
    return body


def check_launch_fields(fields: Mapping[str, Any]) -> None:
    """Refuse a field the launch does not take, naming the close one (for fields given as data:
    the CLI's --param and --file; the facade's own keywords are checked by Python).

    Raises:
        ValidationError: a field is unknown (ACM's own spelling names the Python one).
    """
    from dbcloud_acm_client.models.cluster_launch_request import ClusterLaunchRequest

    _check_extra({k: v for k, v in fields.items() if k not in _FACADE_ARGUMENTS}, ClusterLaunchRequest)


def build_launch_body(
    model: type[Any],
    *,
    name: Any,
    admin_pass: Any,
    admin_user: Any,
    node_type: Any,
    instance_type: Any,
    nodes: Any,
    shards: Any,
    replicas: Any,
    size: Any,
    disks: Any,
    version: Any,
    secure: Any,
    storage_class: Any,
    lb_type: Any,
    node_placement: Any,
    zookeeper: Any,
    zookeeper_options: Any,
    https_port: Any,
    tcp_port_secure: Any,
    extra: Mapping[str, Any],
) -> tuple[Any, dict[str, Any]]:
    """Validate a launch; return the generated body model and the JSON object to send.

    The JSON is in ACM's names and in the order of the arguments (the documented examples' values
    come out as they wrote them); an argument left as None is not sent. `node_type` goes as
    `nodeType` (the quick start's name) and `instance_type` as `instanceType` (the API guide's).

    Raises:
        ValidationError: the first problem found; nothing has been sent.
    """
    if node_type is not None and instance_type is not None:
        raise ValidationError(
            "node_type and instance_type name the same setting; give one", field="instance_type"
        )
    if node_type is None and instance_type is None:
        raise ValidationError("node_type (or instance_type) is required, e.g. 'm5.large'", field="node_type")
    body: dict[str, Any] = {"name": _check_name(name)}
    counts = {key: _positive(key, value) for key, value in (("nodes", nodes), ("shards", shards))}
    counts["replicas"] = _positive("replicas", replicas)
    if counts["nodes"] != counts["shards"] * counts["replicas"]:
        raise ValidationError(
            f"nodes must equal shards × replicas ({counts['shards']} × {counts['replicas']} = "
            f"{counts['shards'] * counts['replicas']}), got {counts['nodes']}",
            field="nodes",
        )
    body.update(counts)
    body["adminPass"] = _text("admin_pass", admin_pass)
    if admin_user is not None:
        body["adminUser"] = _text("admin_user", admin_user)
    if not isinstance(secure, bool):
        raise ValidationError(f"secure must be True or False, got {secure!r}", field="secure")
    body["secure"] = secure
    if node_type is not None:
        body["nodeType"] = _text("node_type", node_type)
    else:
        body["instanceType"] = _text("instance_type", instance_type)
    if version is not None:
        body["version"] = _text("version", version, empty_ok=True)
    body["size"] = _positive("size", size)
    if disks is not None:
        body["disks"] = _positive("disks", disks)
    for wire, field, value in (
        ("storageClass", "storage_class", storage_class),
        ("lbType", "lb_type", lb_type),
        ("nodePlacement", "node_placement", node_placement),
    ):
        if value is not None:
            body[wire] = _text(field, value)
    for field, value in (("https_port", https_port), ("tcp_port_secure", tcp_port_secure)):
        if value is not None:
            body[field] = _port(field, value)
    body["zookeeper"], options = _check_zookeeper(zookeeper, zookeeper_options)
    if options is not None:
        body["zookeeperOptions"] = options
    body.update(_check_extra(extra, model))
    try:
        # Strictly: what we send must be what the (overlaid) spec describes.
        parsed = model.from_dict(body, strict=True)
    except SpecMismatchError as exc:
        raise ValidationError(f"invalid cluster launch: {exc}", field=exc.field) from None
    return parsed, body
