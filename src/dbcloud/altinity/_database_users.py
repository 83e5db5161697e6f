"""ACM database users: the ClickHouse users of a cluster, as ACM manages them."""

from __future__ import annotations

import builtins
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._errors import NotFoundError, ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_list, read_one
from .._retry import once
from .._secret import Secret
from ._clusters import _cluster_id
from ._records import DatabaseUser

if TYPE_CHECKING:
    from ._client import _Acm

__all__ = ["DatabaseUsers"]

# ClickHouse's unquoted identifiers; ACM creates users with them (assumption: no quoting).
_LOGIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
_DATABASE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_NETWORK = re.compile(r"^[0-9A-Fa-f:.]+(/\d{1,3})?$")  # an IPv4 or IPv6 address or CIDR


def _login(value: Any) -> str:
    if not isinstance(value, str) or not _LOGIN.match(value):
        raise ValidationError(
            f"login must be a ClickHouse user name (letters, digits, _ . -), got {value!r}", field="login"
        )
    return value


def _password(value: Any) -> str:
    text = value.reveal() if isinstance(value, Secret) else value
    if not isinstance(text, str):
        raise ValidationError(
            f"password must be a string or a dbcloud.Secret, got {type(value).__name__}", field="password"
        )
    if not text or "\x00" in text:
        raise ValidationError("password must be non-empty, without NUL characters", field="password")
    return text


def _user_ref(value: Any) -> str:
    """A user id ("17") or a login, checked."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return str(value)
    if isinstance(value, str) and (value.isdigit() or _LOGIN.match(value)):
        return value
    raise ValidationError(f"user must be a user id or login, got {value!r}", field="user")


def _fields(
    *,
    databases: Sequence[str] | None,
    networks: Sequence[str] | None,
    profile_id: int | str | None,
    quota_id: int | str | None,
    access_management: bool | None,
) -> dict[str, Any]:
    """The body's fields in the API's names and in the community Terraform provider's wire types:
    `databases` and `networks` as JSON lists, the ids as numbers, `accessManagement` as 0 or 1.

    The generated model types them all as text, because ACM's spec declares them as query
    parameters; the provider found live that text there is wrong ("a plain string causes ACM to
    emit malformed ClickHouse SQL", internal/acm/users_test.go), so the lists go as lists.
    """
    fields: dict[str, Any] = {}
    for key, values, pattern in (("databases", databases, _DATABASE), ("networks", networks, _NETWORK)):
        if values is None:
            continue
        names = [] if isinstance(values, str) else list(values)
        if isinstance(values, str) or not all(isinstance(v, str) and pattern.match(v) for v in names):
            raise ValidationError(f"{key} must be a list of {key[:-1]} names", field=key)
        fields[key] = names
    for key, value in (("id_profile", profile_id), ("id_quota", quota_id)):
        if value is not None:
            if isinstance(value, bool) or not str(value).isdigit() or int(value) <= 0:
                raise ValidationError(f"{key} must be a positive integer, got {value!r}", field=key)
            fields[key] = int(value)
    if access_management is not None:
        if not isinstance(access_management, bool):
            raise ValidationError("access_management must be True or False", field="access_management")
        fields["accessManagement"] = int(access_management)
    return fields


class DatabaseUsers(Resource[H]):
    """The ClickHouse users of ACM clusters. Reached as `Altinity().database_users` (and
    `AsyncAltinity().database_users`, whose verbs are awaited)."""

    _client: _Acm

    def __init__(self, client: _Acm) -> None:
        self._client = client

    @listing
    def list(self, cluster_id: int | str) -> Listing[DatabaseUser]:
        """The cluster's users (`GET /cluster/{id}/users`); never their passwords."""
        cid = _cluster_id(cluster_id)
        what = f"users of cluster {cid}"

        def everything() -> Flow[builtins.list[DatabaseUser]]:
            data = yield from self._client._call_flow(
                "database_users.get_cluster_users", Expect.LIST, cluster=cid
            )
            return read_list(DatabaseUser.from_api, data, what=what, vendor="ACM")

        return Listing.of_one(everything, what=what, vendor="ACM")

    def _user_id(self, cid: int, ref: str) -> Flow[int]:
        # The spec types the path's user as an integer id; a login is looked up in the list first
        # (ACM's summary says "by name", the Terraform provider passes either).
        if ref.isdigit():
            return int(ref)
        data = yield from self._client._call_flow(
            "database_users.get_cluster_users", Expect.LIST, cluster=cid
        )
        users = read_list(DatabaseUser.from_api, data, what=f"users of cluster {cid}", vendor="ACM")
        found = next((u for u in users if u.name == ref and u.id.isdigit()), None)
        if found is None:
            raise NotFoundError(f"cluster {cid} has no user {ref!r}", status_code=404)
        return int(found.id)

    @call
    def create(
        self,
        cluster_id: int | str,
        login: str,
        password: str | Secret,
        *,
        databases: Sequence[str] | None = None,
        networks: Sequence[str] | None = None,
        profile_id: int | str | None = None,
        quota_id: int | str | None = None,
        access_management: bool | None = None,
    ) -> Flow[DatabaseUser]:
        """Add a ClickHouse user to the cluster (`POST /cluster/{id}/users` with a JSON body, as
        the community Terraform provider sends it; the password only in the body, never logged).
        A POST: never repeated after a 5xx or a broken connection.

        Args:
            login: the user name.
            password: its password (text or a `dbcloud.Secret`).
            databases: the databases it may use (None: ACM's default, all).
            networks: the addresses or CIDRs it may connect from (None: ACM's default).
            profile_id, quota_id: its settings profile and quota.
            access_management: let it manage users and grants with SQL.
        """
        from dbcloud_acm_client.models.post_cluster_users_body import PostClusterUsersBody

        cid = _cluster_id(cluster_id)
        fields: dict[str, Any] = {"login": _login(login)}
        fields.update(
            _fields(
                databases=databases,
                networks=networks,
                profile_id=profile_id,
                quota_id=quota_id,
                access_management=access_management,
            )
        )
        fields["password"] = _password(password)
        data = yield from self._client._call_flow(
            "database_users.post_cluster_users",
            Expect.OBJECT,
            fields,
            cluster=cid,
            body=PostClusterUsersBody(login=fields["login"]),
        )
        return read_one(DatabaseUser.from_api, data, what="a database user", vendor="ACM")

    @call
    def update(
        self,
        cluster_id: int | str,
        user: int | str,
        *,
        password: str | Secret | None = None,
        databases: Sequence[str] | None = None,
        networks: Sequence[str] | None = None,
        profile_id: int | str | None = None,
        quota_id: int | str | None = None,
        access_management: bool | None = None,
    ) -> Flow[DatabaseUser]:
        """Change a user: its password, databases, profile, quota or access management
        (`POST /cluster/{id}/user/{user}` with a JSON body of the fields given, as the Terraform
        provider sends it). Never repeated after a 5xx or a broken connection.

        Args:
            user: the user's id, or its login.
        """
        from dbcloud_acm_client.models.post_cluster_user_body import PostClusterUserBody

        cid, ref = _cluster_id(cluster_id), _user_ref(user)
        fields = _fields(
            databases=databases,
            networks=networks,
            profile_id=profile_id,
            quota_id=quota_id,
            access_management=access_management,
        )
        if password is not None:
            fields["password"] = _password(password)
        if not fields:
            raise ValidationError("update needs at least one field to change", field="user")
        uid = yield from self._user_id(cid, ref)
        data = yield from self._client._call_flow(
            "database_users.post_cluster_user",
            Expect.OBJECT,
            fields,
            cluster=cid,
            id=uid,
            body=PostClusterUserBody(),
        )
        return read_one(DatabaseUser.from_api, data, what="a database user", vendor="ACM", asked_id=str(uid))

    @call
    def delete(self, cluster_id: int | str, user: int | str) -> Flow[None]:
        """Remove a user from the cluster (`DELETE /cluster/{id}/user/{user id}`; a login is looked
        up first).

        Sent once (repeated only after a 429): it removes the user's access, and a repeat after a
        lost answer would be told the user is gone.
        """
        cid, ref = _cluster_id(cluster_id), _user_ref(user)
        uid = yield from self._user_id(cid, ref)
        yield from once(self._client._call_flow("database_users.delete_cluster_user", cluster=cid, id=uid))
