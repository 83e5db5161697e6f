"""`AltinityAnywhere().api`: each generated GraphQL operation as a call that answers raw JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._client import AltinityAnywhere

__all__ = ["Operations"]


class Operations:
    """The operations of `dbcloud_anywhere_client.operations`, by root field name.

    `ops.awsEnvs(filter={"names": ["prod"]})` sends the generated document with those variables and
    returns `data["awsEnvs"]` as sent. Variables use the API's names; models in them are encoded.
    """

    def __init__(self, client: AltinityAnywhere) -> None:
        self._client = client

    def __getattr__(self, field: str) -> Callable[..., Any]:
        from dbcloud_anywhere_client.operations import OPERATIONS

        operation = OPERATIONS.get(field)
        if operation is None:
            raise AttributeError(f"the Anywhere schema has no operation {field!r}")
        client = self._client

        def call(**variables: Any) -> Any:
            from dbcloud_anywhere_client.codec import encode

            return client._graphql(field, encode(variables))

        call.__name__ = call.__qualname__ = field
        call.__doc__ = f"Run the {operation.kind} {field}; returns its {operation.result} data as JSON."
        return call

    def __dir__(self) -> list[str]:
        from dbcloud_anywhere_client.operations import OPERATIONS

        return sorted(OPERATIONS)

    def __repr__(self) -> str:
        return f"<Operations of {self._client!r}>"
