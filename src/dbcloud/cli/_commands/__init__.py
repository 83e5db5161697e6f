"""The command table: one module per API, each a plain `Api` value (see `.._spec`).

The modules import no vendor client: their `run` functions import what they use when they run.
"""

from __future__ import annotations

from .._spec import Api
from .acm import ACM
from .anywhere import ANYWHERE
from .clickhouse import CLICKHOUSE
from .clickstack import CLICKSTACK
from .cockroach import COCKROACH

__all__ = ["APIS", "api_named"]

APIS: tuple[Api, ...] = (ACM, ANYWHERE, CLICKHOUSE, CLICKSTACK, COCKROACH)


def api_named(name: str) -> Api | None:
    return next((api for api in APIS if api.name == name), None)
