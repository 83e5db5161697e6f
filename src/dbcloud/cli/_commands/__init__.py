"""The command table: one module per API, each a plain `Api` value (see `.._spec`).

Which APIs there are comes from the one vendor registry (`dbcloud._vendors`): each entry names its
command table. The modules import no vendor client: their `run` functions import what they use
when they run.
"""

from __future__ import annotations

from ..._vendors import load, vendors
from .._spec import Api

__all__ = ["all_apis", "api_named"]


def all_apis() -> tuple[Api, ...]:
    """Every registered API's command table, in the registry's order."""
    tables: tuple[Api, ...] = tuple(load(v.commands) for v in vendors())
    return tables


def api_named(name: str) -> Api | None:
    return next((api for api in all_apis() if api.name == name), None)
