"""An environment described as Terraform code for the altinitycloud provider (`codeGen...`)."""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from collections.abc import Mapping
from typing import Any

from ._schema import _model, _type_of_hint
from ._state import _Env, _require_model

# --- Terraform -----------------------------------------------------------------------------------


def _hcl_string(text: str) -> str:
    # JSON escapes are HCL escapes; template sequences must be doubled to stay literal.
    return json.dumps(text).replace("${", "$${").replace("%{", "%%{")


def _hcl_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_hcl_value(v) for v in value) + "]"
    return _hcl_string(str(value))


def _hcl_body(cls: type[Any], value: Mapping[str, Any], depth: int) -> list[str]:
    """The attributes and blocks of an object, with the provider's snake_case names."""
    from dbcloud_anywhere_client.names import FIELD_NAMES

    renamed = FIELD_NAMES.get(cls.__name__, {})
    hints = typing.get_type_hints(cls)
    pad = "  " * depth
    lines: list[str] = []
    for item in dataclasses.fields(cls):
        found = value.get(renamed.get(item.name, item.name))
        if found is None or found == [] or found == "":
            continue
        wanted = _type_of_hint(hints[item.name])
        sub = _model(wanted.named)
        if sub is not None and dataclasses.is_dataclass(sub):
            for entry in found if isinstance(found, list) else [found]:
                lines += [f"{pad}{item.name} {{", *_hcl_body(sub, entry, depth + 1), f"{pad}}}"]
        else:
            lines.append(f"{pad}{item.name} = {_hcl_value(found)}")
    return lines


def _terraform(env: _Env, boilerplate: bool) -> str:
    label = re.sub(r"[^A-Za-z0-9_]", "_", env.name)
    label = label if label[:1].isalpha() else f"env_{label}"
    resource = env.kind.terraform
    spec_cls = _require_model(env.kind.spec_type)
    lines = [f'resource "{resource}" "{label}" {{', f"  name = {_hcl_string(env.name)}"]
    lines += _hcl_body(spec_cls, env.spec, 1)
    lines.append("}")
    if boilerplate:
        # Assumption: the boilerplate is the provider set-up and a status data source that waits
        # for the spec to be applied, as in the provider's examples.
        header = [
            "terraform {",
            "  required_providers {",
            "    altinitycloud = {",
            '      source = "altinity/altinitycloud"',
            "    }",
            "  }",
            "}",
            "",
            'provider "altinitycloud" {',
            "  # api_token: set ALTINITYCLOUD_API_TOKEN",
            "}",
            "",
        ]
        footer = [
            "",
            f'data "{resource}_status" "{label}" {{',
            f"  name                           = {resource}.{label}.name",
            f"  wait_for_applied_spec_revision = {resource}.{label}.spec_revision",
            "}",
        ]
        lines = header + lines + footer
    return "\n".join(lines) + "\n"
