"""ACM node types: what an environment's clusters can run on."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, listing
from .._response import Expect
from .._results import read_list
from ._launch import environment_path_id
from ._records import NodeType

if TYPE_CHECKING:
    from ._client import _Acm

__all__ = ["NodeTypes"]

SCOPES = ("clickhouse", "zookeeper", "system")


class NodeTypes(Resource[H]):
    """The node types of ACM environments. Reached as `Altinity().node_types` (and
    `AsyncAltinity().node_types`, whose verbs are awaited)."""

    _client: _Acm

    def __init__(self, client: _Acm) -> None:
        self._client = client

    @listing
    def list(
        self, environment_id: int | str, *, scope: str | None = None, with_used: bool = False
    ) -> Listing[NodeType]:
        """The node types an environment offers (ACM answers them all at once).

        `GET /environment/{id}/nodetypes`, as the community Terraform provider asks for them.

        Args:
            scope: only those for "clickhouse", "zookeeper" or "system" nodes.
            with_used: also say whether a cluster uses each (`NodeType.used`; the provider always
                asks `withUsed=1`).

        Raises:
            ValidationError: the environment id is not a positive integer, or the scope unknown.
            NotFoundError: no such environment.
        """
        env = environment_path_id(environment_id)
        if scope is not None and scope not in SCOPES:
            raise ValidationError(f"scope must be one of {', '.join(SCOPES)}, got {scope!r}", field="scope")
        arguments: dict[str, str] = {}
        if scope is not None:
            arguments["scope"] = scope
        if with_used:
            arguments["with_used"] = "1"
        what = f"node types of environment {env}"

        def everything() -> Flow[builtins.list[NodeType]]:
            data = yield from self._client._call_flow(
                "node_types.get_environment_nodetypes", Expect.LIST, environment=env, **arguments
            )
            return read_list(NodeType.from_api, data, what=what, vendor="ACM")

        return Listing.of_one(everything, what=what, vendor="ACM")
