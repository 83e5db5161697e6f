"""ACM environments: where clusters run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._pager import Pager
from .._response import Expect
from .._results import read_list, read_one
from ._launch import environment_path_id
from ._records import Environment

if TYPE_CHECKING:
    from ._client import Altinity

__all__ = ["Environments"]


class Environments:
    """The environments the API key can see. Reached as `Altinity().environments`."""

    def __init__(self, client: Altinity) -> None:
        self._client = client

    def list(self) -> Pager[Environment]:
        """Every environment the key can see (ids and names are what a launch needs)."""

        def everything() -> list[Environment]:
            data = self._client._call("environments.get_environments", Expect.LIST)
            return read_list(Environment.from_api, data, what="environments", vendor="ACM")

        return Pager.of_one(everything, what="environments", vendor="ACM")

    def get(self, environment_id: int | str) -> Environment:
        """One environment's complete record (an answer without the id keeps the id asked for).

        Raises:
            ValidationError: the id is not a positive integer.
            NotFoundError: no such environment.
        """
        env = environment_path_id(environment_id)
        data = self._client._call("environments.get_environment", Expect.OBJECT, id=env)
        return read_one(Environment.from_api, data, what="an environment", vendor="ACM", asked_id=str(env))
