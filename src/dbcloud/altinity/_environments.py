"""ACM environments: where clusters run."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_list, read_one
from ._launch import environment_path_id
from ._records import Environment

if TYPE_CHECKING:
    from ._client import _Acm

__all__ = ["Environments"]


class Environments(Resource[H]):
    """The environments the API key can see. Reached as `Altinity().environments` (and
    `AsyncAltinity().environments`, whose verbs are awaited)."""

    _client: _Acm

    def __init__(self, client: _Acm) -> None:
        self._client = client

    @listing
    def list(self) -> Listing[Environment]:
        """Every environment the key can see (ids and names are what a launch needs)."""

        def everything() -> Flow[builtins.list[Environment]]:
            data = yield from self._client._call_flow("environments.get_environments", Expect.LIST)
            return read_list(Environment.from_api, data, what="environments", vendor="ACM")

        return Listing.of_one(everything, what="environments", vendor="ACM")

    @call
    def get_by_name(self, name: str) -> Flow[Environment]:
        """The environment called `name` (the environments the key may see are read), so that a script adopts
        an environment that exists instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no environment has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from Environments.list.build(self).named(name))

    @call
    def get(self, environment_id: int | str) -> Flow[Environment]:
        """One environment's complete record (an answer without the id keeps the id asked for).

        Raises:
            ValidationError: the id is not a positive integer.
            NotFoundError: no such environment.
        """
        env = environment_path_id(environment_id)
        data = yield from self._client._call_flow("environments.get_environment", Expect.OBJECT, id=env)
        return read_one(Environment.from_api, data, what="an environment", vendor="ACM", asked_id=str(env))
