"""`AltinityAnywhere().api`: each generated GraphQL operation as a call that answers raw JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._flow import Flow
from .._resource import H, Resource, call

if TYPE_CHECKING:
    from ._client import _Anywhere

__all__ = ["Operations"]


class Operations(Resource[H]):
    """The operations of `dbcloud_anywhere_client.operations`, by root field name.

    `ops.awsEnvs(filter={"names": ["prod"]})` sends the generated document with those variables and
    returns `data["awsEnvs"]` as sent (on the async client, `await ops.awsEnvs(...)`). Variables use
    the API's names; models in them are encoded.
    """

    _client: _Anywhere

    def __init__(self, client: _Anywhere) -> None:
        self._client = client

    def __getattr__(self, field: str) -> Callable[..., Any]:
        bound: Callable[..., Any] = _operation(field).__get__(self)
        return bound

    def __dir__(self) -> list[str]:
        from dbcloud_anywhere_client.operations import OPERATIONS

        return sorted(OPERATIONS)

    def __repr__(self) -> str:
        return f"<Operations of {self._client!r}>"


_CALLS: dict[str, call[..., Any]] = {}


def _operation(field: str) -> call[..., Any]:
    """The `@call` of one root field's operation, made once per field (blocking or awaited as the
    client that reaches it)."""
    found = _CALLS.get(field)
    if found is not None:
        return found
    from dbcloud_anywhere_client.operations import OPERATIONS

    operation = OPERATIONS.get(field)
    if operation is None:
        raise AttributeError(f"the Anywhere schema has no operation {field!r}")

    def run(ops: Operations[Any], **variables: Any) -> Flow[Any]:
        from dbcloud_anywhere_client.codec import encode

        return (yield from ops._client._graphql_flow(field, encode(variables)))

    run.__name__ = run.__qualname__ = field
    run.__doc__ = f"Run the {operation.kind} {field}; returns its {operation.result} data as JSON."
    found = _CALLS[field] = call(run)
    return found
