"""ACM ZooKeeper clusters: the ones an environment's clusters can share."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from .._flow import Flow
from .._resource import H, Listing, Resource, listing
from .._response import Expect
from .._results import read_list
from ._launch import environment_path_id
from ._records import Zookeeper

if TYPE_CHECKING:
    from ._client import _Acm

__all__ = ["Zookeepers"]


class Zookeepers(Resource[H]):
    """The ZooKeeper clusters of ACM environments. Reached as `Altinity().zookeepers` (and
    `AsyncAltinity().zookeepers`, whose verbs are awaited)."""

    _client: _Acm

    def __init__(self, client: _Acm) -> None:
        self._client = client

    @listing
    def list(self, environment_id: int | str, *, show_dedicated: bool = False) -> Listing[Zookeeper]:
        """The environment's ZooKeeper clusters (`GET /environment/{id}/zookeepers`); their ids are
        what `clusters.launch(zookeeper=...)` takes.

        Args:
            show_dedicated: also those dedicated to one cluster (ACM's `showDedicated`).
        """
        env = environment_path_id(environment_id)
        what = f"ZooKeepers of environment {env}"
        arguments = {"show_dedicated": "1"} if show_dedicated else {}

        def everything() -> Flow[builtins.list[Zookeeper]]:
            data = yield from self._client._call_flow(
                "zookeepers.get_environment_zookeepers", Expect.LIST, environment=env, **arguments
            )
            return read_list(Zookeeper.from_api, data, what=what, vendor="ACM")

        return Listing.of_one(everything, what=what, vendor="ACM")
