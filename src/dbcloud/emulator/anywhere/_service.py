"""The emulated Anywhere service: its one route, the error shape, and the GraphQL endpoint that
runs operations against the environments (resolvers, answers, demo data)."""

from __future__ import annotations

import hmac
import ipaddress
import json
import threading
from collections.abc import Callable, Mapping
from typing import Any

from .._clock import EmulatedClock
from .._http import EmuRequest, EmuResponse, json_response
from .._ids import IdSource
from ._coerce import _coerce, _InputError, _literal
from ._graphql import _Field, _GraphQLError, _invalid, _Operation, _Var
from ._schema import _fields, _RootField, _schema
from ._state import (
    _KINDS,
    _NAME,
    DELETE_SECONDS,
    PROVISION_SECONDS,
    UPDATE_SECONDS,
    _build,
    _Context,
    _digest,
    _Env,
    _Kind,
    _merge,
    _model_json,
    _require_model,
)
from ._terraform import _terraform
from ._validate import _prepared, _project

GRAPHQL_PATH = "/api/v1/graphql"

_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}

# --- the service ---------------------------------------------------------------------------------

_Resolver = Callable[[_Kind, dict[str, Any]], Any]


class EmulatedAnywhere:
    """The Anywhere GraphQL endpoint, with environments of every kind as state."""

    name = "anywhere"

    def __init__(
        self, clock: EmulatedClock, credential: str, *, seed_data: bool = True, ids: IdSource | None = None
    ) -> None:
        self.clock = clock
        self.credential = credential
        self.ids = ids if ids is not None else IdSource(f"{self.name}:0")  # mutation ids (see _ids.py)
        self.lock = threading.RLock()
        self.requests = 0
        self.creates = 0
        self.fail_next_launch = False
        self.environments: dict[str, _Env] = {}  # by name: names are unique across kinds
        actions: dict[str, _Resolver] = {
            "list": self._list,
            "get": self._get,
            "create": self._create,
            "update": self._update,
            "delete": self._delete,
            "code_gen": self._code_gen,
        }
        self._resolvers: dict[str, tuple[_Kind, _Resolver]] = {}
        for kind in _KINDS:
            for action, resolver in actions.items():
                root = getattr(kind, action)
                if root is not None:
                    self._resolvers[root] = (kind, resolver)
        if seed_data:
            self._seed()

    # --- vendor shapes -------------------------------------------------------------------------

    def error(self, status: int, message: str) -> EmuResponse:
        """An HTTP-level error, as a GraphQL answer with an `errors` list and no `data`."""
        code = _HTTP_CODES.get(status, "INTERNAL_SERVER_ERROR" if status >= 500 else "BAD_REQUEST")
        headers = {"WWW-Authenticate": 'Bearer realm="anywhere"'} if status == 401 else {}
        return json_response(
            status, {"errors": [{"message": message, "extensions": {"code": code}}]}, headers
        )

    # --- HTTP ----------------------------------------------------------------------------------

    def handle(self, request: EmuRequest) -> EmuResponse:
        self.requests += 1
        if request.path.rstrip("/") != GRAPHQL_PATH:
            return self.error(404, f"no such endpoint: {request.path}; GraphQL is served at {GRAPHQL_PATH}")
        if request.method != "POST":
            # Assumption: only POST is served (the facade and the Terraform provider post);
            # GraphQL-over-HTTP GET for queries is not.
            response = self.error(405, f"{request.method} is not allowed; POST a GraphQL request")
            response.headers["Allow"] = "POST"
            return response
        expected = f"Bearer {self.credential}".encode()
        given = request.headers.get("authorization", "").encode("latin-1")
        if not hmac.compare_digest(given, expected):
            return self.error(401, "missing or invalid API token")
        try:
            body = json.loads(request.body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return self.error(400, "the body is not valid JSON")
        if not isinstance(body, dict):
            return self.error(400, "the body must be a JSON object with `query`")
        document, variables, operation_name = (
            body.get("query"),
            body.get("variables"),
            body.get("operationName"),
        )
        if not isinstance(document, str) or not document.strip():
            return self.error(400, "`query` must be a non-empty string holding a GraphQL document")
        if variables is not None and not isinstance(variables, dict):
            return self.error(400, "`variables` must be a JSON object")
        if operation_name is not None and not isinstance(operation_name, str):
            return self.error(400, "`operationName` must be a string")
        with self.lock:
            return json_response(200, self._execute(document, variables or {}, operation_name))

    # --- GraphQL -------------------------------------------------------------------------------

    def _execute(
        self, document: str, variables: dict[str, Any], operation_name: str | None
    ) -> dict[str, Any]:
        try:
            operation = _prepared(document, operation_name)
            values = self._coerce_variables(operation, variables)
        except _GraphQLError as exc:
            return {"errors": [{"message": exc.message, "extensions": {"code": exc.code}}]}
        data: dict[str, Any] | None = {}
        errors: list[dict[str, Any]] = []
        schema = _schema()
        for selected in operation.selections:
            if selected.name == "__typename":
                if data is not None:
                    data[selected.key] = operation.kind.capitalize()
                continue
            root = schema[selected.name]
            try:
                arguments = self._arguments(root, selected, values)
                kind, resolver = self._resolvers[root.name]
                value = _project(resolver(kind, arguments), root.result, selected.selections)
            except _GraphQLError as exc:
                errors.append(
                    {"message": exc.message, "path": [selected.key], "extensions": {"code": exc.code}}
                )
                if not root.result.nullable:
                    data = None  # a non-null root field failed: the whole `data` is null
                    if operation.kind == "mutation":
                        break  # mutations run one after the other: the rest are not run
                elif data is not None:
                    data[selected.key] = None
                continue
            if data is not None:
                data[selected.key] = value
        return {"errors": errors, "data": data} if errors else {"data": data}

    def _coerce_variables(self, operation: _Operation, given: Mapping[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, definition in operation.variables.items():
            if name not in given:
                if definition.has_default:
                    try:
                        values[name] = _coerce(
                            _literal(definition.default, {}), definition.type, f'"${name}"'
                        )
                    except _InputError as exc:
                        raise _invalid(f"Invalid default value: {exc}") from None
                elif not definition.type.nullable:
                    raise _GraphQLError(
                        "BAD_USER_INPUT",
                        f'Variable "${name}" of required type "{definition.type}" was not provided.',
                    )
                continue
            try:
                values[name] = _coerce(given[name], definition.type, f'Variable "${name}"')
            except _InputError as exc:
                raise _GraphQLError("BAD_USER_INPUT", str(exc)) from None
        return values

    def _arguments(self, root: _RootField, selected: _Field, values: Mapping[str, Any]) -> dict[str, Any]:
        arguments: dict[str, Any] = {}
        for argument, wanted in root.arguments.items():
            if argument not in selected.arguments:
                continue
            raw = selected.arguments[argument]
            if isinstance(raw, _Var):
                if raw.name in values:
                    arguments[argument] = values[raw.name]
                elif not wanted.nullable:
                    raise _GraphQLError(
                        "BAD_USER_INPUT", f'Argument "{argument}" of required type "{wanted}" is null.'
                    )
                continue
            try:
                arguments[argument] = _coerce(_literal(raw, values), wanted, f'Argument "{argument}"')
            except _InputError as exc:
                raise _GraphQLError("BAD_USER_INPUT", str(exc)) from None
        return arguments

    # --- resolvers -----------------------------------------------------------------------------

    def _find(self, kind: _Kind, name: Any) -> _Env | None:
        env = self.environments.get(name) if isinstance(name, str) else None
        if env is None or env.kind is not kind or self._gone(env):
            return None
        return env

    def _gone(self, env: _Env) -> bool:
        if env.deleted_at is not None and self.clock.now() - env.deleted_at >= DELETE_SECONDS:
            self.environments.pop(env.name, None)
            return True
        return False

    def _required(self, kind: _Kind, name: Any) -> _Env:
        env = self._find(kind, name)
        if env is None:
            raise _GraphQLError("NOT_FOUND", f"{kind.label} {name!r} not found")
        return env

    def _list(self, kind: _Kind, arguments: dict[str, Any]) -> Any:
        names = (arguments.get("filter") or {}).get("names")
        envs = [e for e in list(self.environments.values()) if self._find(kind, e.name) is not None]
        if names is not None:
            envs = [e for e in envs if e.name in names]
        return [self._view(env) for env in envs]

    def _get(self, kind: _Kind, arguments: dict[str, Any]) -> Any:
        env = self._find(kind, arguments.get("name"))
        return None if env is None else self._view(env)

    def _create(self, kind: _Kind, arguments: dict[str, Any]) -> Any:
        given = arguments["input"]
        name, spec_input = given["name"], given["spec"]
        if not _NAME.match(name):
            raise _GraphQLError(
                "BAD_USER_INPUT",
                f"invalid environment name {name!r}: use 1 to 63 lower-case letters, digits and hyphens, "
                "starting and ending with a letter or digit",
            )
        if name in self.environments and not self._gone(self.environments[name]):
            raise _GraphQLError("CONFLICT", f"environment name {name!r} is already taken")
        cidr = spec_input.get("cidr")
        if cidr is not None:
            try:
                ipaddress.ip_network(cidr)
            except ValueError:
                raise _GraphQLError("BAD_USER_INPUT", f"spec.cidr: {cidr!r} is not a CIDR block") from None
        if "nodeGroups" in spec_input and not spec_input["nodeGroups"]:
            raise _GraphQLError("BAD_USER_INPUT", "spec.nodeGroups: at least one node group is required")
        spec = self._new_spec(kind, spec_input)
        env = _Env(kind, name, spec, changed_at=self.clock.now(), fails=self.fail_next_launch)
        self.fail_next_launch = False
        self.environments[name] = env
        self.creates += 1
        return self._mutation_result(env)

    def _new_spec(self, kind: _Kind, spec_input: Mapping[str, Any]) -> dict[str, Any]:
        """The full spec of a new environment: the create input, with the SDL's defaults."""
        given = dict(spec_input)
        ctx = self._context(kind, given)
        for wire in ("zones", "zoneIDs"):  # the environment's zones are derived when not given
            if wire in _fields(_require_model(kind.spec_type)) and not given.get(wire):
                given[wire] = ctx.zones
        return _model_json(kind.spec_type, _build(_require_model(kind.spec_type), given, ctx))

    def _update(self, kind: _Kind, arguments: dict[str, Any]) -> Any:
        given = arguments["input"]
        env = self._required(kind, given["name"])
        if env.deleted_at is not None:
            raise _GraphQLError("CONFLICT", f"{kind.label} {env.name!r} is being deleted")
        input_cls = _require_model(_fields(_require_model(self._input_type(kind.update)))["spec"].type.named)
        patch = given["spec"]
        merged = _merge(env.spec, patch, input_cls)
        if given.get("updateStrategy") == "REPLACE":
            # Everything the update can set takes the given value or its default; what it cannot
            # set (the immutable fields) stays.
            settable = set(_fields(input_cls))
            merged = {k: v for k, v in env.spec.items() if k not in settable}
            merged |= {k: v for k, v in patch.items() if v is not None and k in env.spec}
        built = _build(_require_model(kind.spec_type), merged, self._context(kind, env.spec))
        spec = _model_json(kind.spec_type, built)
        if spec != env.spec:  # assumption: an update that changes nothing keeps the revision
            env.spec = spec
            env.revision += 1
            env.changed_at = self.clock.now()
            env.fails = False  # a new revision is tried afresh, even after a failed one
        return self._mutation_result(env)

    def _delete(self, kind: _Kind, arguments: dict[str, Any]) -> Any:
        given = arguments["input"]
        env = self._find(kind, given["name"])
        if env is not None:
            if env.spec.get("clickHouseClusters") and not given.get("forceDestroyClusters"):
                # The SDL: without forceDestroyClusters "the deletion will fail until the clusters
                # get removed". Assumption: it fails at once, as a CONFLICT.
                raise _GraphQLError(
                    "CONFLICT",
                    f"{kind.label} {env.name!r} still has ClickHouse clusters; remove them or set "
                    "forceDestroyClusters",
                )
            if given.get("force"):
                self.environments.pop(env.name, None)
            elif env.deleted_at is None:
                env.deleted_at = self.clock.now()
        # Deleting an unknown name is not an error (the facade documents it as a no-op).
        return self._result(kind.delete, {"mutationId": self.ids.uuid4(), "pendingMFA": False})

    def _code_gen(self, kind: _Kind, arguments: dict[str, Any]) -> Any:
        env = self._required(kind, arguments.get("name"))
        text = _terraform(env, bool(arguments.get("boilerplate")))
        return self._result(str(kind.code_gen), {"terraform": text})

    # --- answers -------------------------------------------------------------------------------

    def _input_type(self, root: str) -> str:
        return _schema()[root].arguments["input"].named

    def _result(self, root: str, raw: dict[str, Any]) -> dict[str, Any]:
        """A root field's answer, passed through its generated model and the codec."""
        return _model_json(_schema()[root].result.named, raw)

    # The spec is stored as it came out of the model (see _model_json), once per revision; the
    # objects around it hold only required fields, so they are assembled without another pass.

    def _mutation_result(self, env: _Env) -> dict[str, Any]:
        return {"mutationId": self.ids.uuid4(), "spec": env.spec, "specRevision": env.revision}

    def _view(self, env: _Env) -> dict[str, Any]:
        status = _model_json(env.kind.status_type, self._status(env))
        return {"name": env.name, "spec": env.spec, "specRevision": env.revision, "status": status}

    def _status(self, env: _Env) -> dict[str, Any]:
        elapsed = self.clock.now() - env.changed_at
        due = elapsed >= (PROVISION_SECONDS if env.applied == 0 else UPDATE_SECONDS)
        errors = []
        if due and env.fails:
            errors.append(
                {
                    "code": "CLOUD_PROVIDER_QUOTA_EXCEEDED",
                    "message": f"provisioning {env.name} failed: the cloud account's quota is exhausted "
                    "(emulated failure)",
                }
            )
        elif due:
            env.applied = env.revision
        raw: dict[str, Any] = {
            "appliedSpecRevision": env.applied,
            "pendingDelete": env.deleted_at is not None,
            "errors": errors,
        }
        raw |= self._provider_status(env)
        return _build(_require_model(env.kind.status_type), raw, self._context(env.kind, env.spec))

    def _provider_status(self, env: _Env) -> dict[str, Any]:
        """What the cloud reports once the environment exists: resources, endpoints, peerings."""
        spec, ready = env.spec, env.applied > 0
        region, account = str(spec.get("region", "")), str(spec.get("awsAccountID", ""))
        internal = ((spec.get("loadBalancers") or {}).get("internal")) or {}
        extra: dict[str, Any] = {}
        if env.kind.type in ("AWSEnv", "AWSEnvHosted"):
            service = f"com.amazonaws.vpce.{region}.vpce-svc-{_digest(env.name)}"
            extra["loadBalancers"] = {
                "internal": {"endpointServiceName": service if ready and internal.get("enabled") else None}
            }
        if env.kind.type == "AzureEnv":
            alias = f"{env.name}.{_digest(env.name, size=8)}.{region}.azure.privatelinkservice"
            extra["loadBalancers"] = {
                "internal": {"privateLinkServiceAlias": alias if ready and internal.get("enabled") else None}
            }
        if env.kind.type == "AWSEnv":
            vpc = f"vpc-{_digest(env.name, 'vpc')}"
            extra["awsResources"] = (
                [
                    {"name": "vpc", "id": vpc, "arn": f"arn:aws:ec2:{region}:{account}:vpc/{vpc}"},
                    {
                        "name": "eks",
                        "id": env.name,
                        "arn": f"arn:aws:eks:{region}:{account}:cluster/{env.name}",
                    },
                ]
                if ready
                else []
            )
            extra["peeringConnections"] = [
                {
                    "vpcID": p.get("vpcID"),
                    "id": f"pcx-{_digest(env.name, str(p.get('vpcID')))}" if ready else None,
                }
                for p in spec.get("peeringConnections") or []
            ]
        return extra

    def _context(self, kind: _Kind, spec: Mapping[str, Any]) -> _Context:
        region = str(spec.get("region") or "")
        zones = spec.get("zones") or spec.get("zoneIDs") or spec.get("locations")
        if not zones and region:
            count = spec.get("numberOfZones") or 3
            if kind.type == "AWSEnvHosted":
                zones = [f"{region}-az{i + 1}" for i in range(count)]
            elif kind.type == "AzureEnv":
                zones = [str(i + 1) for i in range(count)]
            elif kind.type == "GCPEnv":
                zones = [f"{region}-{'abcdef'[i % 6]}" for i in range(count)]
            else:
                zones = [f"{region}{'abcdef'[i % 6]}" for i in range(count)]
        return _Context(region, list(zones or []), str(spec.get("awsAccountID") or ""))

    # --- demo data -----------------------------------------------------------------------------

    def _seed(self) -> None:
        """Two ready environments: an AWS one in the customer's account and a Kubernetes one."""
        settled = -PROVISION_SECONDS  # created long enough ago to be applied already
        aws = {
            "awsAccountID": "123456789012",
            "region": "us-east-1",
            "cidr": "10.67.0.0/21",
            "nodeGroups": [{"nodeType": "m6i.large", "capacityPerZone": 3, "reservations": ["CLICKHOUSE"]}],
        }
        k8s = {
            "distribution": "EKS",
            "nodeGroups": [
                {"nodeType": "m6i.large", "capacityPerZone": 2, "zones": ["us-east-1a", "us-east-1b"]}
            ],
        }
        for kind_type, name, spec_input in (("AWSEnv", "demo-aws", aws), ("K8SEnv", "demo-k8s", k8s)):
            kind = next(k for k in _KINDS if k.type == kind_type)
            spec = self._new_spec(kind, spec_input)
            self.environments[name] = _Env(kind, name, spec, changed_at=settled, applied=1)
