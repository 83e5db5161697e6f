"""ACM environments: where clusters run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._response import Expect, parsed
from ._launch import environment_path_id

if TYPE_CHECKING:
    from dbcloud_acm_client.models.environment import Environment

    from ._client import Altinity

__all__ = ["Environments"]


class Environments:
    """The environments the API key can see. Reached as `Altinity().environments`."""

    def __init__(self, client: Altinity) -> None:
        self._client = client

    def _parse(self, data: Any) -> Environment:
        from dbcloud_acm_client.models.environment import Environment

        environment: Environment = parsed(
            lambda: Environment.from_dict(data), what="ACM answered an environment"
        )
        return environment

    def list(self) -> list[Environment]:
        """Every environment the key can see (ids and names are what a launch needs)."""
        return [
            self._parse(item) for item in self._client._call("environments.get_environments", Expect.LIST)
        ]

    def get(self, environment_id: int | str) -> Environment:
        """One environment's complete record.

        Raises:
            ValidationError: the id is not a positive integer.
            NotFoundError: no such environment.
        """
        data = self._client._call(
            "environments.get_environment", Expect.OBJECT, id=environment_path_id(environment_id)
        )
        return self._parse(data)
