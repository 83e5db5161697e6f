"""`dbcloud.AltinityAnywhere`: the Altinity.Cloud Anywhere GraphQL API."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx

from .._auth import BearerAuth
from .._base import CONNECTION_FIELDS, SyncAPIClient, chosen_timeout, connection_args
from .._config import Field, resolve
from .._errors import APIResponseError, ValidationError
from .._http import build_http_client, redact_url, transport_of
from .._response import Expect
from .._retry import EXT_RETRY_UNSAFE
from .._secret import Secret
from . import _graphql

if TYPE_CHECKING:
    from dbcloud_anywhere_client import models as m

    from ._environments import CodeGenEnvironments, Environments
    from ._operations import Operations

__all__ = ["DEFAULT_BASE_URL", "GRAPHQL_PATH", "AltinityAnywhere"]

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


class AltinityAnywhere(SyncAPIClient[Any]):
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

    _PACKAGE = "dbcloud_anywhere_client"

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
        settings = resolve(
            "anywhere",
            _FIELDS,
            {"token": token, "base_url": base_url, **connection_args(timeout, max_retries)},
            profile=profile,
        )
        root = _server_root(str(settings["base_url"]))
        secret = settings["token"]
        assert isinstance(secret, Secret)
        # Retry pauses go through self._sleep, as in the other clients, so tests can swap time out.
        self._sleep: Callable[[float], None] = time.sleep
        http = build_http_client(
            base_url=root,
            auth=BearerAuth(secret, origin=root),
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
            transport=transport_of(http_client, root) if http_client is not None else None,
            sleep=lambda seconds: self._sleep(seconds),
        )
        super().__init__(
            http=http, owns_http=True, base_url=root, dialect=_graphql.DIALECT, secrets=(secret,)
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={redact_url(self._base_url)!r})"

    @property
    def endpoint(self) -> str:
        """The GraphQL endpoint every request is posted to (credentials in the URL masked)."""
        return redact_url(self._base_url + GRAPHQL_PATH)

    @property
    def api(self) -> Operations:
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
        if not isinstance(document, str) or not document.strip():
            raise ValidationError("document must be a non-empty GraphQL document", field="document")
        if variables is not None and not isinstance(variables, Mapping):
            raise ValidationError("variables must be a mapping of names to JSON values", field="variables")
        kind = _graphql.operation_kind(document, operation_name)
        return self._post(document, variables or {}, operation_name=operation_name, query=kind == "query")

    # --- resources -------------------------------------------------------------------------------

    @cached_property
    def aws(
        self,
    ) -> CodeGenEnvironments[
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

    # --- for resources ---------------------------------------------------------------------------

    def _environments(self, attribute: str) -> Environments[Any, Any, Any, Any, Any, Any, Any]:
        from ._environments import KINDS, Environments

        return Environments(self, KINDS[attribute], attribute)

    def _code_gen_environments(
        self, attribute: str
    ) -> CodeGenEnvironments[Any, Any, Any, Any, Any, Any, Any]:
        from ._environments import KINDS, CodeGenEnvironments

        return CodeGenEnvironments(self, KINDS[attribute], attribute)

    def _graphql(self, field: str, variables: Mapping[str, Any]) -> Any:
        """Run the generated operation of a root field; return that field's value (JSON)."""
        from dbcloud_anywhere_client.operations import OPERATIONS

        operation = OPERATIONS[field]
        data = self._post(operation.document, variables, operation_name=None, query=operation.kind == "query")
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

    def _post(
        self, document: str, variables: Mapping[str, Any], *, operation_name: str | None, query: bool
    ) -> dict[str, Any]:
        body = {
            "query": document,
            "variables": dict(variables),
            "operationName": operation_name or _graphql.sole_operation_name(document),
        }
        # Every GraphQL request is a POST, which the retry layer leaves alone unless told that
        # this one only reads.
        extensions = {EXT_RETRY_UNSAFE: True} if query else {}
        request = {"method": "POST", "url": GRAPHQL_PATH, "json": body, "extensions": extensions}
        # The variables travel in the body: secret ones a server echoes are masked with the token.
        data: dict[str, Any] = self._finish(self._send(request), expect=Expect.OBJECT)
        return data
