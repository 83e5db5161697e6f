"""Check a cluster launch request completely before anything is sent, and spell it as ACM expects.

The launch goes to the spec's `POST /environment/{environment}/clusters/launch`, whose parameters
are all query strings (this is what the official ACM CLI sends). Values are written the way ACM's
own examples write them: integers as decimal text, booleans as `true`/`false`, `zookeeperOptions`
as a JSON object.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from .._errors import ValidationError

__all__ = ["LAUNCH_OPERATION", "build_launch_params"]

LAUNCH_OPERATION = "clusters.post_environment_clusters_launch"

# Assumption: ACM derives Kubernetes and DNS names from the cluster name, so it must be a DNS label
# (lower-case letters, digits and hyphens, starting with a letter). The 63-character limit is the
# DNS label's; ACM may allow less.
_NAME = re.compile(r"^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_ZOOKEEPER_SIZES = ("single", "multi")
_ZOOKEEPER_OPTION_KEYS = ("tag", "size", "root")

# The launch's own keyword arguments, which `**extra` may not repeat. The generated operation
# turns them into ACM's parameter names (adminPass, nodeType, ...).
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


def _check_zookeeper(value: Any, options: Any) -> tuple[str, str | None]:
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
    return zookeeper, json.dumps(dict(options), separators=(",", ":"))


def _declared_parameters(get_kwargs: Callable[..., Any]) -> frozenset[str]:
    """The Python argument names of every parameter the generated launch operation declares."""
    return frozenset(p for p in inspect.signature(get_kwargs).parameters if p != "environment")


def _check_extra(extra: Mapping[str, Any], declared: frozenset[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, value in extra.items():
        if key in _FACADE_ARGUMENTS:
            raise ValidationError(f"{key} was given twice", field=key)
        if key not in declared:
            close = [d for d in declared if d.replace("_", "") == key.replace("_", "").lower()]
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValidationError(
                f"{key!r} is not a parameter of ACM's cluster launch{hint} "
                f"(it declares: {', '.join(sorted(declared))})",
                field=key,
            )
        if isinstance(value, bool):
            params[key] = "true" if value else "false"
        elif isinstance(value, int | float):
            params[key] = str(value)
        elif isinstance(value, Mapping | list):
            params[key] = json.dumps(value, separators=(",", ":"))
        else:
            params[key] = _text(key, value, empty_ok=True)
    return params


def build_launch_params(
    get_kwargs: Callable[..., Any],
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
) -> dict[str, str]:
    """Validate a launch and return the generated operation's keyword arguments (snake_case).

    Raises:
        ValidationError: the first problem found; nothing has been sent.
    """
    if node_type is not None and instance_type is not None and node_type != instance_type:
        raise ValidationError(
            "node_type and instance_type name the same setting; give one", field="instance_type"
        )
    node_type = node_type if node_type is not None else instance_type
    if node_type is None:
        raise ValidationError("node_type (or instance_type) is required, e.g. 'm5.large'", field="node_type")
    values: dict[str, Any] = {
        "name": _check_name(name),
        "admin_user": _text("admin_user", admin_user),
        "admin_pass": _text("admin_pass", admin_pass),
        "node_type": _text("node_type", node_type),
        "nodes": _positive("nodes", nodes),
        "shards": _positive("shards", shards),
        "replicas": _positive("replicas", replicas),
        "size": _positive("size", size),
        "disks": _positive("disks", disks),
    }
    if values["nodes"] != values["shards"] * values["replicas"]:
        raise ValidationError(
            f"nodes must equal shards × replicas ({values['shards']} × {values['replicas']} = "
            f"{values['shards'] * values['replicas']}), got {values['nodes']}",
            field="nodes",
        )
    if not isinstance(secure, bool):
        raise ValidationError(f"secure must be True or False, got {secure!r}", field="secure")
    values["secure"] = secure
    for field, value in (("version", version),):
        if value is not None:
            values[field] = _text(field, value, empty_ok=True)
    for field, value in (
        ("storage_class", storage_class),
        ("lb_type", lb_type),
        ("node_placement", node_placement),
    ):
        if value is not None:
            values[field] = _text(field, value)
    for field, value in (("https_port", https_port), ("tcp_port_secure", tcp_port_secure)):
        if value is not None:
            values[field] = _port(field, value)
    values["zookeeper"], options = _check_zookeeper(zookeeper, zookeeper_options)
    if options is not None:
        values["zookeeper_options"] = options
    params = {key: _wire_text(value) for key, value in values.items()}
    declared = _declared_parameters(get_kwargs)
    missing = sorted(set(params) - declared)
    if missing:  # the spec dropped a parameter the facade sends: say so instead of failing oddly
        raise ValidationError(f"ACM's launch operation no longer declares {missing}; regenerate the client")
    params.update(_check_extra(extra, declared))
    return params


def _wire_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
