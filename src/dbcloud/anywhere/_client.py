"""`dbcloud.AltinityAnywhere`: the Altinity.Cloud Anywhere GraphQL API (and its async twin)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx

from .._auth import BearerAuth
from .._base import (
    CONNECTION_FIELDS,
    AsyncAPIClient,
    BaseClient,
    Connection,
    SyncAPIClient,
    chosen_timeout,
    connection_args,
)
from .._config import Field, resolve
from .._errors import APIResponseError, ValidationError
from .._flow import Flow, Send
from .._http import redact_url
from .._response import Expect
from .._retry import EXT_RETRY_UNSAFE
from .._secret import Secret
from . import _graphql

if TYPE_CHECKING:
    from dbcloud_anywhere_client import models as m

    from ._environments import CodeGenEnvironments, Environments
    from ._operations import Operations

__all__ = ["DEFAULT_BASE_URL", "GRAPHQL_PATH", "AltinityAnywhere", "AsyncAltinityAnywhere"]

DEFAULT_BASE_URL = "https://anywhere.altinity.cloud"
GRAPHQL_PATH = "/api/v1/graphql"

_FIELDS = (
    Field("token", ("ALTINITYCLOUD_API_TOKEN",), secret=True, required=True, hint="API token"),
    Field("base_url", ("ALTINITYCLOUD_API_URL",), default=DEFAULT_BASE_URL),
    *CONNECTION_FIELDS,
)


def _server_root(url: str) -> str:
    # The endpoint itself is accepted too, since that is the URL people copy from a GraphQL tool.
    root = url.rstrip("/")
    return root.removesuffix(GRAPHQL_PATH).rstrip("/") if root.endswith(GRAPHQL_PATH) else root


class _Anywhere(BaseClient[Any]):
    """What the sync and the async Anywhere clients share: settings, connection, and every GraphQL
    request as a flow."""

    _PACKAGE = "dbcloud_anywhere_client"

    def _connection(
        self,
        *,
        token: str | Secret | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        profile: str | None,
    ) -> Connection:
        settings = resolve(
            "anywhere",
            _FIELDS,
            {"token": token, "base_url": base_url, **connection_args(timeout, max_retries)},
            profile=profile,
        )
        root = _server_root(str(settings["base_url"]))
        secret = settings["token"]
        assert isinstance(secret, Secret)
        return Connection(
            base_url=root,
            auth=BearerAuth(secret, origin=root),
            dialect=_graphql.DIALECT,
            secrets=(secret,),
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={redact_url(self._base_url)!r})"

    @property
    def endpoint(self) -> str:
        """The GraphQL endpoint every request is posted to (credentials in the URL masked)."""
        return redact_url(self._base_url + GRAPHQL_PATH)

    # --- for resources ---------------------------------------------------------------------------

    def _environments(self, attribute: str) -> Environments[Any, Any, Any, Any, Any, Any, Any, Any]:
        from ._environments import KINDS, Environments

        return Environments(self, KINDS[attribute], attribute)

    def _code_gen_environments(
        self, attribute: str
    ) -> CodeGenEnvironments[Any, Any, Any, Any, Any, Any, Any, Any]:
        from ._environments import KINDS, CodeGenEnvironments

        return CodeGenEnvironments(self, KINDS[attribute], attribute)

    # --- GraphQL requests, as flows --------------------------------------------------------------

    def _execute_flow(
        self, document: str, variables: Mapping[str, Any] | None, operation_name: str | None
    ) -> Flow[dict[str, Any]]:
        """`execute` (see `AltinityAnywhere.execute`): the arguments checked, then the document sent."""
        if not isinstance(document, str) or not document.strip():
            raise ValidationError("document must be a non-empty GraphQL document", field="document")
        if variables is not None and not isinstance(variables, Mapping):
            raise ValidationError("variables must be a mapping of names to JSON values", field="variables")
        kind = _graphql.operation_kind(document, operation_name)
        return (
            yield from self._post_flow(
                document, variables or {}, operation_name=operation_name, query=kind == "query"
            )
        )

    def _graphql_flow(self, field: str, variables: Mapping[str, Any]) -> Flow[Any]:
        """Run the generated operation of a root field; give that field's value (JSON)."""
        from dbcloud_anywhere_client.operations import OPERATIONS

        operation = OPERATIONS[field]
        data = yield from self._post_flow(
            operation.document, variables, operation_name=None, query=operation.kind == "query"
        )
        if field not in data:
            raise APIResponseError(f"the answer to {field} lacks its data", method="POST", url=self.endpoint)
        if data[field] is None and operation.kind == "mutation":
            # A query may answer null (no such environment); a mutation's result never is.
            raise APIResponseError(
                f"{_graphql.DIALECT.label} answered null where the result of {field} belongs",
                method="POST",
                url=self.endpoint,
            )
        return data[field]

    def _post_flow(
        self, document: str, variables: Mapping[str, Any], *, operation_name: str | None, query: bool
    ) -> Flow[dict[str, Any]]:
        body = {
            "query": document,
            "variables": dict(variables),
            "operationName": operation_name or _graphql.sole_operation_name(document),
        }
        # Every GraphQL request is a POST, which the retry layer leaves alone unless told that
        # this one only reads.
        extensions = {EXT_RETRY_UNSAFE: True} if query else {}
        request = {"method": "POST", "url": GRAPHQL_PATH, "json": body, "extensions": extensions}
        response = yield Send(request)
        # The variables travel in the body: secret ones a server echoes are masked with the token.
        data: dict[str, Any] = self._finish(response, expect=Expect.OBJECT)
        return data


class AltinityAnywhere(_Anywhere, SyncAPIClient[Any]):
    """Client of the Altinity.Cloud Anywhere API (GraphQL at `<base_url>/api/v1/graphql`).

    Settings come from the arguments, else `ALTINITYCLOUD_API_TOKEN` / `ALTINITYCLOUD_API_URL`
    (the variables of Altinity's Terraform provider), else the profile file (`[<profile>.anywhere]`
    in ~/.config/dbcloud/config.toml), else the defaults.

    Queries are retried when that is safe (see `max_retries`); a mutation is repeated only after a
    429 (the server refused before acting), never after a server error or a broken connection, since
    a repeated create could act twice.

    Args:
        token: an Anywhere API token; sent as `Authorization: Bearer <token>`, to the base URL's
            origin only.
        base_url: the server root (default https://anywhere.altinity.cloud); the full endpoint
            URL is accepted too.
        timeout: seconds (or an `httpx.Timeout`) per request (default: 5 s to connect, 30 s to read).
        max_retries: retries of queries after 429/502/503/504 or a broken connection, and of
            mutations after 429 (default 2).
        http_client: an httpx.Client whose transport (proxies, certificates) dbcloud should use.
        profile: the profile to read from the profile file (default `$DBCLOUD_PROFILE` or "default").

    Raises:
        ConfigError: no token is given anywhere (the message names `ALTINITYCLOUD_API_TOKEN`), or a
            setting is malformed.
    """

    def __init__(
        self,
        *,
        token: str | Secret | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        profile: str | None = None,
    ) -> None:
        connection = self._connection(
            token=token, base_url=base_url, timeout=timeout, max_retries=max_retries, profile=profile
        )
        self._open(connection, http_client=http_client)

    @property
    def api(self) -> Operations[httpx.Client]:
        """Every generated operation by its root field name, answering raw JSON.

        `anywhere.api.awsEnv(name="prod")` posts the generated `AwsEnv` document with the given
        variables (in the API's names; models are encoded) and returns the root field's value as
        the API sent it. It shares this client's auth, retries and timeouts.
        """
        from ._operations import Operations

        return Operations(self)

    def execute(
        self, document: str, variables: Mapping[str, Any] | None = None, *, operation_name: str | None = None
    ) -> dict[str, Any]:
        """Run any GraphQL document: the way to reach what the typed resources do not cover.

        A query is retried like any safe request; a mutation (or a document whose operation cannot
        be told apart) is repeated only after a 429.

        Args:
            document: the GraphQL document.
            variables: its variables, as JSON values in the API's names.
            operation_name: the operation to run, for a document that holds several.

        Returns:
            The answer's `data` object.

        Raises:
            ValidationError: the document is empty or the variables are not a mapping.
            APIStatusError: the answer lists GraphQL `errors` (the subclass follows their
                `extensions.code`: UNAUTHENTICATED → AuthenticationError, FORBIDDEN →
                PermissionDeniedError, NOT_FOUND → NotFoundError, BAD_USER_INPUT → BadRequestError,
                ...), or the HTTP status is an error. The message holds every error's message.
            APIResponseError: the answer is not a GraphQL response.
            APIConnectionError: no answer.
        """
        return self._run(self._execute_flow(document, variables, operation_name))

    # --- resources -------------------------------------------------------------------------------

    @cached_property
    def aws(
        self,
    ) -> CodeGenEnvironments[
        httpx.Client,
        m.AWSEnv,
        m.AWSEnvSpec,
        m.CreateAWSEnvSpecInput,
        m.AWSEnvUpdateSpecInput,
        m.CreateAWSEnvResult,
        m.UpdateAWSEnvResult,
        m.DeleteAWSEnvResult,
    ]:
        """AWS environments in the customer's own account: list, get, create, update, delete, terraform."""
        return self._code_gen_environments("aws")

    @cached_property
    def aws_hosted(
        self,
    ) -> Environments[
        httpx.Client,
        m.AWSEnvHosted,
        m.AWSEnvHostedSpec,
        m.CreateAWSEnvHostedSpecInput,
        m.AWSEnvHostedUpdateSpecInput,
        m.CreateAWSEnvHostedResult,
        m.UpdateAWSEnvHostedResult,
        m.DeleteAWSEnvHostedResult,
    ]:
        """AWS environments hosted by Altinity: list, get, create, update, delete."""
        return self._environments("aws_hosted")

    @cached_property
    def azure(
        self,
    ) -> CodeGenEnvironments[
        httpx.Client,
        m.AzureEnv,
        m.AzureEnvSpec,
        m.CreateAzureEnvSpecInput,
        m.UpdateAzureEnvSpecInput,
        m.CreateAzureEnvResult,
        m.UpdateAzureEnvResult,
        m.DeleteAzureEnvResult,
    ]:
        """Azure environments: list, get, create, update, delete, terraform."""
        return self._code_gen_environments("azure")

    @cached_property
    def gcp(
        self,
    ) -> CodeGenEnvironments[
        httpx.Client,
        m.GCPEnv,
        m.GCPEnvSpec,
        m.CreateGCPEnvSpecInput,
        m.UpdateGCPEnvSpecInput,
        m.CreateGCPEnvResult,
        m.UpdateGCPEnvResult,
        m.DeleteGCPEnvResult,
    ]:
        """GCP environments: list, get, create, update, delete, terraform."""
        return self._code_gen_environments("gcp")

    @cached_property
    def hcloud(
        self,
    ) -> CodeGenEnvironments[
        httpx.Client,
        m.HCloudEnv,
        m.HCloudEnvSpec,
        m.CreateHCloudEnvSpecInput,
        m.UpdateHCloudEnvSpecInput,
        m.CreateHCloudEnvResult,
        m.UpdateHCloudEnvResult,
        m.DeleteHCloudEnvResult,
    ]:
        """Hetzner Cloud environments: list, get, create, update, delete, terraform."""
        return self._code_gen_environments("hcloud")

    @cached_property
    def k8s(
        self,
    ) -> CodeGenEnvironments[
        httpx.Client,
        m.K8SEnv,
        m.K8SEnvSpec,
        m.CreateK8SEnvSpecInput,
        m.UpdateK8SEnvSpecInput,
        m.CreateK8SEnvResult,
        m.UpdateK8SEnvResult,
        m.DeleteK8SEnvResult,
    ]:
        """Kubernetes environments (bring your own cluster): list, get, create, update, delete, terraform."""
        return self._code_gen_environments("k8s")


class AsyncAltinityAnywhere(_Anywhere, AsyncAPIClient[Any]):
    """The async client of the Altinity.Cloud Anywhere API: `AltinityAnywhere`'s resources, verbs,
    arguments, settings and results, over `httpx.AsyncClient` (every call is awaited, every list
    an `AsyncPager`, `execute` and the operations of `api` are awaited, and `async with` closes it).

    Args:
        http_client: an `httpx.AsyncClient` whose transport dbcloud should use; the other
            arguments are `AltinityAnywhere`'s.
    """

    def __init__(
        self,
        *,
        token: str | Secret | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        profile: str | None = None,
    ) -> None:
        connection = self._connection(
            token=token, base_url=base_url, timeout=timeout, max_retries=max_retries, profile=profile
        )
        self._open(connection, http_client=http_client)

    @property
    def api(self) -> Operations[httpx.AsyncClient]:
        """Every generated operation by its root field name, answering raw JSON, awaited:
        `await anywhere.api.awsEnv(name="prod")` (see `AltinityAnywhere.api`)."""
        from ._operations import Operations

        return Operations(self)

    async def execute(
        self, document: str, variables: Mapping[str, Any] | None = None, *, operation_name: str | None = None
    ) -> dict[str, Any]:
        """Run any GraphQL document, awaited (see `AltinityAnywhere.execute`, whose arguments,
        answer, retries and errors this shares)."""
        return await self._arun(self._execute_flow(document, variables, operation_name))

    # --- resources -------------------------------------------------------------------------------

    @cached_property
    def aws(
        self,
    ) -> CodeGenEnvironments[
        httpx.AsyncClient,
        m.AWSEnv,
        m.AWSEnvSpec,
        m.CreateAWSEnvSpecInput,
        m.AWSEnvUpdateSpecInput,
        m.CreateAWSEnvResult,
        m.UpdateAWSEnvResult,
        m.DeleteAWSEnvResult,
    ]:
        """AWS environments, as `AltinityAnywhere.aws`, awaited."""
        return self._code_gen_environments("aws")

    @cached_property
    def aws_hosted(
        self,
    ) -> Environments[
        httpx.AsyncClient,
        m.AWSEnvHosted,
        m.AWSEnvHostedSpec,
        m.CreateAWSEnvHostedSpecInput,
        m.AWSEnvHostedUpdateSpecInput,
        m.CreateAWSEnvHostedResult,
        m.UpdateAWSEnvHostedResult,
        m.DeleteAWSEnvHostedResult,
    ]:
        """AWS environments hosted by Altinity, as `AltinityAnywhere.aws_hosted`, awaited."""
        return self._environments("aws_hosted")

    @cached_property
    def azure(
        self,
    ) -> CodeGenEnvironments[
        httpx.AsyncClient,
        m.AzureEnv,
        m.AzureEnvSpec,
        m.CreateAzureEnvSpecInput,
        m.UpdateAzureEnvSpecInput,
        m.CreateAzureEnvResult,
        m.UpdateAzureEnvResult,
        m.DeleteAzureEnvResult,
    ]:
        """Azure environments, as `AltinityAnywhere.azure`, awaited."""
        return self._code_gen_environments("azure")

    @cached_property
    def gcp(
        self,
    ) -> CodeGenEnvironments[
        httpx.AsyncClient,
        m.GCPEnv,
        m.GCPEnvSpec,
        m.CreateGCPEnvSpecInput,
        m.UpdateGCPEnvSpecInput,
        m.CreateGCPEnvResult,
        m.UpdateGCPEnvResult,
        m.DeleteGCPEnvResult,
    ]:
        """GCP environments, as `AltinityAnywhere.gcp`, awaited."""
        return self._code_gen_environments("gcp")

    @cached_property
    def hcloud(
        self,
    ) -> CodeGenEnvironments[
        httpx.AsyncClient,
        m.HCloudEnv,
        m.HCloudEnvSpec,
        m.CreateHCloudEnvSpecInput,
        m.UpdateHCloudEnvSpecInput,
        m.CreateHCloudEnvResult,
        m.UpdateHCloudEnvResult,
        m.DeleteHCloudEnvResult,
    ]:
        """Hetzner Cloud environments, as `AltinityAnywhere.hcloud`, awaited."""
        return self._code_gen_environments("hcloud")

    @cached_property
    def k8s(
        self,
    ) -> CodeGenEnvironments[
        httpx.AsyncClient,
        m.K8SEnv,
        m.K8SEnvSpec,
        m.CreateK8SEnvSpecInput,
        m.UpdateK8SEnvSpecInput,
        m.CreateK8SEnvResult,
        m.UpdateK8SEnvResult,
        m.DeleteK8SEnvResult,
    ]:
        """Kubernetes environments, as `AltinityAnywhere.k8s`, awaited."""
        return self._code_gen_environments("k8s")
