"""Members of a ClickHouse Cloud organization, and invitations to join it."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_list, read_one
from ._body import require_some
from ._client import uuid_text
from ._records import Invitation, Member

if TYPE_CHECKING:
    from ._client import _ClickHouse

_VENDOR = "ClickHouse Cloud"

__all__ = ["Invitations", "Members"]

_ROLES = ("admin", "developer")  # the spec's deprecated `role` enum


def _check_role(role: Any) -> None:
    if role is not None and role not in _ROLES:
        raise ValidationError(f"role must be one of {list(_ROLES)}, got {role!r}", field="role")


class Members(Resource[H]):
    """People with access to the organization. Reached as `ClickHouseCloud().members` (and
    `AsyncClickHouseCloud().members`, whose verbs are awaited)."""

    _client: _ClickHouse

    def __init__(self, client: _ClickHouse) -> None:
        self._client = client

    def _parse(self, data: Any, asked_id: str | None = None) -> Member:
        return read_one(Member.from_api, data, what="Member", vendor=_VENDOR, asked_id=asked_id)

    def _ids(self, user_id: Any) -> dict[str, str]:
        return {"user_id": uuid_text(user_id, "user_id")}

    @listing
    def list(self) -> Listing[Member]:
        """Every member of the organization."""

        def everything() -> Flow[builtins.list[Member]]:
            data = yield from self._client._call_flow("user_management.member_get_list", Expect.LIST)
            return read_list(Member.from_api, data, what="members", vendor=_VENDOR)

        return Listing.of_one(everything, what="members", vendor=_VENDOR)

    @call
    def get(self, user_id: str) -> Flow[Member]:
        """One member's details."""
        ids = self._ids(user_id)
        data = yield from self._client._call_flow("user_management.member_get", Expect.OBJECT, **ids)
        return self._parse(data, ids["user_id"])

    @call
    def update(
        self,
        user_id: str,
        *,
        assigned_role_ids: Sequence[str] | None = None,
        role: str | None = None,
    ) -> Flow[Member]:
        """Change a member's roles.

        Args:
            assigned_role_ids: the role ids the member should have.
            role: "admin" or "developer" (deprecated by the API in favour of role ids).
        """
        from dbcloud_clickhouse_client.models.member_patch_request import MemberPatchRequest

        _check_role(role)
        changes = {"role": role, "assigned_role_ids": assigned_role_ids}
        require_some(changes, what="member update")
        data = yield from self._client._call_with_body_flow(
            "user_management.member_update",
            MemberPatchRequest,
            changes,
            Expect.OBJECT,
            what="member update",
            **self._ids(user_id),
        )
        return self._parse(data)

    @call
    def delete(self, user_id: str) -> Flow[None]:
        """Remove a member from the organization."""
        yield from self._client._call_flow("user_management.member_delete", **self._ids(user_id))


class Invitations(Resource[H]):
    """Invitations not yet accepted. Reached as `ClickHouseCloud().invitations` (and
    `AsyncClickHouseCloud().invitations`, whose verbs are awaited)."""

    _client: _ClickHouse

    def __init__(self, client: _ClickHouse) -> None:
        self._client = client

    def _parse(self, data: Any, asked_id: str | None = None) -> Invitation:
        return read_one(Invitation.from_api, data, what="Invitation", vendor=_VENDOR, asked_id=asked_id)

    def _ids(self, invitation_id: Any) -> dict[str, str]:
        return {"invitation_id": uuid_text(invitation_id, "invitation_id")}

    @listing
    def list(self) -> Listing[Invitation]:
        """Every open invitation."""

        def everything() -> Flow[builtins.list[Invitation]]:
            data = yield from self._client._call_flow("user_management.invitation_get_list", Expect.LIST)
            return read_list(Invitation.from_api, data, what="invitations", vendor=_VENDOR)

        return Listing.of_one(everything, what="invitations", vendor=_VENDOR)

    @call
    def get(self, invitation_id: str) -> Flow[Invitation]:
        """One invitation's details."""
        ids = self._ids(invitation_id)
        data = yield from self._client._call_flow("user_management.invitation_get", Expect.OBJECT, **ids)
        return self._parse(data, ids["invitation_id"])

    @call
    def create(
        self,
        *,
        email: str,
        assigned_role_ids: Sequence[str] | None = None,
        role: str | None = None,
    ) -> Flow[Invitation]:
        """Invite someone by e-mail. Sent once, never retried.

        Args:
            email: only a user with this address can accept.
            assigned_role_ids: the role ids the new member gets.
            role: "admin" or "developer" (deprecated by the API in favour of role ids).
        """
        from dbcloud_clickhouse_client.models.invitation_post_request import InvitationPostRequest

        if not isinstance(email, str) or "@" not in email.strip(" @"):
            raise ValidationError(f"email must be an e-mail address, got {email!r}", field="email")
        _check_role(role)
        data = yield from self._client._call_with_body_flow(
            "user_management.invitation_create",
            InvitationPostRequest,
            {"email": email, "role": role, "assigned_role_ids": assigned_role_ids},
            Expect.OBJECT,
            what="invitation",
        )
        return self._parse(data)

    @call
    def delete(self, invitation_id: str) -> Flow[None]:
        """Withdraw an invitation."""
        yield from self._client._call_flow("user_management.invitation_delete", **self._ids(invitation_id))
