"""Anywhere environments: one resource class for every kind (AWS, hosted AWS, Azure, GCP, HCloud, K8S).

Every kind has the same root fields in the SDL (list, look up, create, update, delete, and for most
a code generator), so one generic class serves them all. A `Kind` names its root fields; the
operation documents and the model classes come from the generated package's registry.
"""

from __future__ import annotations

import builtins
import dataclasses
import difflib
import functools
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from .._errors import APIResponseError, NotFoundError, ValidationError
from .._flow import Flow
from .._reading import strict_reading
from .._resource import H, Listing, Resource, call, listing
from .._results import read_list, read_one
from .._wait import Progress, wait_flow
from ._records import Environment, StatusError

if TYPE_CHECKING:
    from dbcloud_anywhere_client.models import UpdateStrategy

    from ._client import _Anywhere

__all__ = ["KINDS", "CodeGenEnvironments", "Environments", "Kind"]

ModelT = TypeVar("ModelT")
SpecT = TypeVar("SpecT")
CreateSpecT = TypeVar("CreateSpecT")
UpdateSpecT = TypeVar("UpdateSpecT")
CreatedT = TypeVar("CreatedT")
UpdatedT = TypeVar("UpdatedT")
DeletedT = TypeVar("DeletedT")
R = TypeVar("R")


@dataclass(frozen=True)
class Kind:
    """The root fields of one environment kind in the Anywhere SDL.

    Attributes:
        label: the kind in words, for messages ("AWS environment").
        list: the query listing environments (`awsEnvs`).
        get: the query looking one up by name (`awsEnv`); it returns null for an unknown name.
        create: the create mutation (`createAWSEnv`).
        update: the update mutation (`updateAWSEnv`).
        delete: the delete mutation (`deleteAWSEnv`).
        code_gen: the query that writes Terraform code for an environment, if the kind has one.
    """

    label: str
    list: str
    get: str
    create: str
    update: str
    delete: str
    code_gen: str | None = None


KINDS: dict[str, Kind] = {
    "aws": Kind(
        "AWS environment",
        "awsEnvs",
        "awsEnv",
        "createAWSEnv",
        "updateAWSEnv",
        "deleteAWSEnv",
        "codeGenAWSEnv",
    ),
    "aws_hosted": Kind(
        "Altinity-hosted AWS environment",
        "awsEnvsHosted",
        "awsEnvHosted",
        "createAWSEnvHosted",
        "updateAWSEnvHosted",
        "deleteAWSEnvHosted",
    ),
    "azure": Kind(
        "Azure environment",
        "azureEnvs",
        "azureEnv",
        "createAzureEnv",
        "updateAzureEnv",
        "deleteAzureEnv",
        "codeGenAzureEnv",
    ),
    "gcp": Kind(
        "GCP environment",
        "gcpEnvs",
        "gcpEnv",
        "createGCPEnv",
        "updateGCPEnv",
        "deleteGCPEnv",
        "codeGenGCPEnv",
    ),
    "hcloud": Kind(
        "Hetzner Cloud environment",
        "hcloudEnvs",
        "hcloudEnv",
        "createHCloudEnv",
        "updateHCloudEnv",
        "deleteHCloudEnv",
        "codeGenHCloudEnv",
    ),
    "k8s": Kind(
        "Kubernetes environment",
        "k8sEnvs",
        "k8sEnv",
        "createK8SEnv",
        "updateK8SEnv",
        "deleteK8SEnv",
        "codeGenK8SEnv",
    ),
}
"""Every environment kind, by the client attribute that serves it (`AltinityAnywhere().aws`)."""

_INPUT_VARIABLE = re.compile(r"\$input\s*:\s*([_A-Za-z][_0-9A-Za-z]*)")


@functools.lru_cache(maxsize=64)
def result_model(field: str) -> type[Any]:
    """The model class of what a root field returns (`awsEnv` → `models.AWSEnv`)."""
    from dbcloud_anywhere_client.codec import model_class
    from dbcloud_anywhere_client.operations import OPERATIONS

    return model_class(OPERATIONS[field].result)


@functools.lru_cache(maxsize=64)
def input_model(field: str) -> type[Any]:
    """The model class of a mutation's `$input` variable (`createAWSEnv` → `CreateAWSEnvInput`)."""
    from dbcloud_anywhere_client.codec import model_class
    from dbcloud_anywhere_client.operations import OPERATIONS

    match = _INPUT_VARIABLE.search(OPERATIONS[field].document)
    if match is None:
        raise LookupError(f"the generated document of {field} declares no $input variable")
    return model_class(match.group(1))


def _strategy(value: object) -> str:
    from dbcloud_anywhere_client.models import UpdateStrategy

    # The input enum of the schema: a misspelt strategy is refused here, not by the server.
    allowed = [member.value for member in UpdateStrategy]
    if not isinstance(value, str) or value not in allowed:
        raise ValidationError(
            f"update_strategy must be one of {', '.join(allowed)}, got {value!r}", field="update_strategy"
        )
    return str(value)


def _check_name(name: object, what: str = "name") -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(f"{what} must be a non-empty string, got {name!r}", field=what)
    return name


def input_payload(cls: type[Any], value: object, *, what: str) -> dict[str, Any]:
    """A mutation input as JSON in the vendor's field names, checked against its model first.

    Args:
        cls: the input's model class.
        value: an instance of `cls`, or a mapping in the vendor's field names (camelCase), whose
            nested values may be models too.
        what: the argument, for messages.

    Returns:
        The JSON object to send. A model is written without its unset (None) attributes; a mapping
        is sent as given (an explicit null stays null), with any models in it encoded.

    Raises:
        ValidationError: `value` is neither; a key is not a field of the input (the message
            suggests the closest one); a required field is missing; or a value has the wrong shape.
    """
    from dbcloud_anywhere_client import codec

    if isinstance(value, cls):
        return codec.to_dict(value)
    if not isinstance(value, Mapping):
        raise ValidationError(
            f"{what} must be a {cls.__name__} or a dict in the API's field names, not {type(value).__name__}",
            field=what,
        )
    payload = codec.encode(value)
    # The codec ignores keys it does not know, so a misspelt field would be dropped without a word;
    # checked first, since a misspelt required field would otherwise be reported as missing.
    unknown = _unknown_keys(payload, cls, cls.__name__)
    if unknown:
        raise ValidationError(f"unknown field(s): {'; '.join(unknown)}", field=what)
    try:
        with strict_reading():  # a request we send: exactly the schema (answers are read tolerantly)
            codec.from_dict(cls, payload)
    except (codec.DecodeError, TypeError) as exc:
        raise ValidationError(str(exc), field=what) from None
    return typing.cast(dict[str, Any], payload)


_WIRE_FIELDS: dict[type[Any], dict[str, Any]] = {}


def _wire_fields(cls: type[Any]) -> dict[str, Any]:
    """A model's GraphQL field names and their type hints."""
    found = _WIRE_FIELDS.get(cls)
    if found is None:
        from dbcloud_anywhere_client.names import FIELD_NAMES

        renamed = FIELD_NAMES.get(cls.__name__, {})
        hints = typing.get_type_hints(cls)
        found = _WIRE_FIELDS[cls] = {
            renamed.get(f.name, f.name): hints[f.name] for f in dataclasses.fields(cls)
        }
    return found


def _unknown_keys(given: Any, hint: Any, path: str) -> builtins.list[str]:
    """Keys of `given` that the type `hint` does not declare, as readable paths."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _unknown_keys(given, options[0], path) if len(options) == 1 else []
    if origin is builtins.list and isinstance(given, builtins.list):
        (item_hint,) = typing.get_args(hint)
        return [key for i, item in enumerate(given) for key in _unknown_keys(item, item_hint, f"{path}[{i}]")]
    if not (isinstance(hint, type) and dataclasses.is_dataclass(hint) and isinstance(given, Mapping)):
        return []
    known = _wire_fields(hint)
    found: builtins.list[str] = []
    for key, value in given.items():
        if key in known:
            found += _unknown_keys(value, known[key], f"{path}.{key}")
            continue
        close = difflib.get_close_matches(str(key).replace("_", ""), builtins.list(known), n=1, cutoff=0.7)
        found.append(f"{path}.{key}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return found


_VENDOR = "Altinity Anywhere"

# Errors an environment reports while its agent has not connected for the first time: part of
# setting it up, not a failure (Altinity's Terraform provider keeps waiting through them).
_SETTING_UP = frozenset({"DISCONNECTED", "K8S_DISCONNECTED"})


def _blocking_errors(env: Environment[Any, Any]) -> list[StatusError]:
    """The errors that stop a revision being applied: all of them once the environment has been
    provisioned (a revision applied), all but a first connection's disconnect before."""
    provisioned = (env.applied_spec_revision or 0) > 0
    return [e for e in env.errors if provisioned or e.code not in _SETTING_UP]


class Environments(
    Resource[H], Generic[H, ModelT, SpecT, CreateSpecT, UpdateSpecT, CreatedT, UpdatedT, DeletedT]
):
    """The environments of one kind. Reached as `AltinityAnywhere().aws`, `.azure`, `.gcp`, ...
    (and on `AsyncAltinityAnywhere()`, whose verbs are awaited and whose lists are `AsyncPager`s).

    Environments are read as `Environment` records (`id` and `name` as text, `state` as a
    `ClusterState`, the spec as the kind's generated model, the answer at `.raw`, the generated
    environment model at `.model`). Mutations answer the generated result models of
    `dbcloud_anywhere_client.models` (snake_case attributes, enums as `StrEnum` members, an enum
    value the package does not know kept as a string).

    Type parameters, in order: the client's flavour (`httpx.Client` or `httpx.AsyncClient`), the
    kind's environment model and spec model (what `.model` and `.spec` are), the create and update
    spec inputs, and the create, update and delete results.
    """

    _client: _Anywhere

    def __init__(self, client: _Anywhere, kind: Kind, attribute: str) -> None:
        self._client = client
        self._kind = kind
        self._attribute = attribute

    @property
    def kind(self) -> Kind:
        """The root fields this resource calls."""
        return self._kind

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._kind.label}s>"

    @listing
    def list(self, names: Iterable[str] | None = None) -> Listing[Environment[ModelT, SpecT]]:
        """The environments of this kind that the token can see.

        Args:
            names: only these environments; names that match none are ignored (by the API).

        Returns:
            The environments, as `Environment` records, in a `Pager` (an `AsyncPager` on the
            async client). One without a name is left out (and logged at WARNING on
            `dbcloud.reading`).

        Raises:
            ValidationError: a name is not a non-empty string.
            APIError: the request failed.
        """
        variables: dict[str, Any] = {}
        if names is not None:
            if isinstance(names, str):
                raise ValidationError("names must be a list of names, not one string", field="names")
            variables["filter"] = {"names": [_check_name(name, "names") for name in names]}

        what = f"{self._kind.label}s"

        def everything() -> Flow[builtins.list[Environment[ModelT, SpecT]]]:
            data = yield from self._client._graphql_flow(self._kind.list, variables)
            if not isinstance(data, builtins.list):
                raise self._shape_error(f"expected a list of {what}, got {type(data).__name__}")
            return self._read(lambda: read_list(self._record, data, what=what, vendor=_VENDOR))

        # Anywhere answers the whole list at once: one page of the one pager.
        return Listing.of_one(everything, what=what, vendor=_VENDOR)

    @call
    def get(self, name: str) -> Flow[Environment[ModelT, SpecT]]:
        """One environment, by name.

        The API answers null for an unknown name; like every facade `get`, this raises
        `NotFoundError` instead of returning None (`list(names=[name])` gives an empty list).

        Args:
            name: the environment's name.

        Returns:
            The environment, as an `Environment` record (an answer without the name reads with
            the name asked for).

        Raises:
            NotFoundError: the API knows no environment of this kind by that name.
            ValidationError: the name is not a non-empty string.
            APIResponseError: the answer is not an environment.
            APIError: the request failed.
        """
        data = yield from self._client._graphql_flow(self._kind.get, {"name": _check_name(name)})
        if data is None:
            raise NotFoundError(
                f"{self._kind.label} {name!r} not found",
                status_code=404,
                method="POST",
                url=self._client.endpoint,
            )
        what = f"{self._kind.label} {name!r}"
        return self._read(lambda: read_one(self._record, data, what=what, vendor=_VENDOR, asked_id=name))

    @call
    def wait_until_applied(
        self,
        name: str,
        revision: int | None = None,
        *,
        timeout: float = 3600,
        interval: float = 10.0,
        max_interval: float = 60.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[Environment[ModelT, SpecT]]:
        """Poll until the environment reports `revision` (or a later one) as applied.

        This is the wait of Altinity's Terraform provider (`wait_for_applied_spec_revision`, up to
        an hour): give the `spec_revision` a `create` or `update` answered. Without `revision`,
        the wait is for the spec revision the environment reports when read.

        A `DISCONNECTED` (or `K8S_DISCONNECTED`) error before the environment was ever provisioned
        is part of setting it up (its agent has not connected yet) and the wait goes on; any other
        error in its status, or a disconnect once it has been provisioned, ends the wait.

        Args:
            name: the environment.
            revision: the spec revision to wait for (0 reads once and returns).
            timeout: seconds before giving up.
            interval, max_interval: first and longest pause between polls, in seconds.
            on_progress: called with a `Progress` after every poll.

        Returns:
            The environment, as read when the revision was applied.

        Raises:
            ValidationError: the name or revision is invalid; nothing was sent.
            ClusterFailed: the status reports an error that stops the revision being applied, or
                the environment is being deleted (the error's `last_state` is the environment).
            WaitTimeout: not applied within `timeout` seconds.
            NotFoundError: there is no such environment.
        """
        checked = _check_name(name)
        if revision is not None and (
            isinstance(revision, bool) or not isinstance(revision, int) or revision < 0
        ):
            raise ValidationError(
                f"revision must be a whole number of 0 or more, got {revision!r}", field="revision"
            )

        def target(env: Environment[ModelT, SpecT]) -> int:
            return revision if revision is not None else (env.spec_revision or 0)

        def applied(env: Environment[ModelT, SpecT]) -> bool:
            return (env.applied_spec_revision or 0) >= target(env) and not _blocking_errors(env)

        def failed(env: Environment[ModelT, SpecT]) -> str | None:
            if env.pending_delete:
                return "it is being deleted"
            blocking = _blocking_errors(env)
            return "; ".join(f"{e.code}: {e.message}" for e in blocking) if blocking else None

        def describe(env: Environment[ModelT, SpecT]) -> str:
            shown = f"revision {env.applied_spec_revision} of {target(env)} applied"
            codes = [e.code or "error" for e in env.errors]
            return f"{shown} ({', '.join(codes)})" if codes else shown

        return (
            yield from wait_flow(
                lambda: Environments.get.flow(self, checked),
                ready=applied,
                failed=failed,
                describe=describe,
                timeout=timeout,
                interval=interval,
                max_interval=max_interval,
                clock=self._client._clock,
                on_progress=on_progress,
                what=f"{self._kind.label} {checked!r}",
            )
        )

    @call
    def create(self, name: str, spec: CreateSpecT | Mapping[str, Any]) -> Flow[CreatedT]:
        """Create an environment record. The mutation is sent once: it is never retried.

        Args:
            name: the new environment's name (globally unique, immutable).
            spec: its configuration, as the kind's create-spec model (`CreateAWSEnvSpecInput`) or a
                dict in the API's field names (`{"awsAccountID": ..., "nodeGroups": [...]}`).

        Returns:
            The mutation's result: `mutation_id`, the active `spec` and its `spec_revision`.

        Raises:
            ValidationError: the name or spec is malformed; nothing was sent.
            ConflictError: the name is taken.
            APIError: the request failed.
        """
        payload = self._input(self._kind.create, {"name": _check_name(name), "spec": spec}, "spec")
        data = yield from self._client._graphql_flow(self._kind.create, {"input": payload})
        return typing.cast(CreatedT, self._decode(result_model(self._kind.create), data))

    @call
    def update(
        self,
        name: str,
        spec: UpdateSpecT | Mapping[str, Any],
        *,
        update_strategy: UpdateStrategy | Literal["MERGE", "REPLACE"] | None = None,
    ) -> Flow[UpdatedT]:
        """Change an environment's configuration. The mutation is sent once: it is never retried.

        Args:
            name: the environment's name.
            spec: the changes, as the kind's update-spec model or a dict in the API's field names.
            update_strategy: "MERGE" or "REPLACE" (`models.UpdateStrategy`); the API's default
                when None.

        Returns:
            The mutation's result: `mutation_id`, the active `spec` and its `spec_revision`.

        Raises:
            ValidationError: the name, spec or strategy is malformed; nothing was sent.
            APIError: the request failed (NotFoundError for an unknown environment, when the API
                reports it with that code).
        """
        fields: dict[str, Any] = {"name": _check_name(name), "spec": spec}
        if update_strategy is not None:
            fields["updateStrategy"] = _strategy(update_strategy)
        payload = self._input(self._kind.update, fields, "spec")
        data = yield from self._client._graphql_flow(self._kind.update, {"input": payload})
        return typing.cast(UpdatedT, self._decode(result_model(self._kind.update), data))

    @call
    def delete(
        self, name: str, *, force: bool = False, force_destroy_clusters: bool = False
    ) -> Flow[DeletedT]:
        """Mark an environment for removal (a no-op for an unknown name). Never retried.

        Deprovisioning deletes the environment's data (backups excepted) and the cloud resources
        Altinity provisioned for it.

        Args:
            name: the environment's name.
            force: remove the record without waiting for deprovisioning.
            force_destroy_clusters: delete the environment's ClickHouse clusters too; without it, the
                deletion fails while clusters remain.

        Returns:
            The mutation's result: `mutation_id` and `pending_mfa`.

        Raises:
            ValidationError: the name is not a non-empty string.
            APIError: the request failed.
        """
        fields = {"name": _check_name(name), "force": force, "forceDestroyClusters": force_destroy_clusters}
        payload = self._input(self._kind.delete, fields, "input")
        data = yield from self._client._graphql_flow(self._kind.delete, {"input": payload})
        return typing.cast(DeletedT, self._decode(result_model(self._kind.delete), data))

    def _input(self, field: str, fields: dict[str, Any], what: str) -> dict[str, Any]:
        cls = input_model(field)
        spec = fields.get("spec")
        if "spec" in fields and not isinstance(spec, Mapping):
            # Only the declared class is accepted as a model: one of another kind (or the create
            # spec given to update) could encode into a dict that happens to fit.
            expected = _wire_fields(cls)["spec"]
            if not isinstance(spec, expected):
                wanted = getattr(expected, "__name__", str(expected))
                raise ValidationError(
                    f"spec must be a {wanted} or a dict, not a {type(spec).__name__}", field="spec"
                )
        return input_payload(cls, fields, what=what)

    def _record(self, data: Mapping[str, Any]) -> Environment[ModelT, SpecT]:
        return typing.cast(Environment[ModelT, SpecT], Environment.from_api(data, kind=self._attribute))

    def _read(self, read: Callable[[], R]) -> R:
        """`read()`, with a spec of the wrong shape reported as an `APIResponseError`."""
        from dbcloud_anywhere_client import codec

        try:
            return read()
        except codec.DecodeError as exc:
            raise self._shape_error(str(exc)) from None

    def _decode(self, hint: Any, data: Any) -> Any:
        from dbcloud_anywhere_client import codec

        try:
            return codec.decode(hint, data)
        except codec.DecodeError as exc:
            raise self._shape_error(str(exc)) from None

    def _shape_error(self, detail: str) -> APIResponseError:
        return APIResponseError(
            f"{self._kind.label}: the answer does not have the shape the schema promises: {detail}",
            method="POST",
            url=self._client.endpoint,
        )


class CodeGenEnvironments(
    Environments[H, ModelT, SpecT, CreateSpecT, UpdateSpecT, CreatedT, UpdatedT, DeletedT]
):
    """Environments of a kind for which the API also writes infrastructure code."""

    @call
    def terraform(self, name: str, *, boilerplate: bool = False) -> Flow[str]:
        """Terraform code (for the altinitycloud provider) that describes an environment.

        Args:
            name: the environment's name.
            boilerplate: ask for the boilerplate around the resource too (the API's `boilerplate`).

        Returns:
            The code, as text.

        Raises:
            ValidationError: the name is not a non-empty string.
            APIError: the request failed.
        """
        field = self._kind.code_gen
        if field is None:  # only a wrong KINDS entry gets here
            raise TypeError(f"{self._kind.label}s have no code generator")
        data = yield from self._client._graphql_flow(
            field, {"name": _check_name(name), "boilerplate": boilerplate}
        )
        output = self._decode(result_model(field), data)
        return str(output.terraform)
