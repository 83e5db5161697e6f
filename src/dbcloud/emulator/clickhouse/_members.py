"""The emulated ClickHouse Cloud organization, its system roles, activities, members and invitations."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .._api import ApiError
from .._http import EmuRequest
from ._state import INVITATION_DAYS, ORG_ID, ClickHouseState, _Key
from ._wire import _parse_time


class MemberHandlers(ClickHouseState):
    """The organization, role, activity, member and invitation operations of `EmulatedClickHouse`."""

    if TYPE_CHECKING:

        def _key_of(self, request: EmuRequest) -> _Key | None: ...  # KeyHandlers'

    # --- organization, roles, activities ---------------------------------------------------------

    def _check_org(self, request: EmuRequest) -> None:
        # Assumption: an organization the key does not belong to is "not found" (404).
        if request.params.get("organization_id", "").lower() != ORG_ID:
            raise ApiError(404, "Organization not found")

    def _get_org(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        return self.org

    def _update_org(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        changes = dict(body or {})
        org = dict(self.org)
        if "name" in changes:
            if not str(changes["name"]).strip():
                raise ApiError(400, "name must not be empty")
            org["name"] = changes["name"]
            self._record("organization_update_name", request)
        if "enableCoreDumps" in changes:
            org["enableCoreDumps"] = changes["enableCoreDumps"]
        patch = changes.get("privateEndpoints") or {}
        if patch:
            removed = {e.get("id") for e in patch.get("remove") or []}
            kept = [e for e in org["privateEndpoints"] if e.get("id") not in removed]
            org["privateEndpoints"] = kept + list(patch.get("add") or [])
        self.org = org
        return org

    def _legacy_role(self, legacy: str) -> str:
        return next(rid for rid, role in self.roles.items() if role["legacy"] == legacy)

    def _role_ids(self, ids: Any) -> list[str]:
        chosen = [str(i).lower() for i in ids]
        unknown = [i for i in chosen if i not in self.roles]
        if unknown:
            raise ApiError(400, f"unknown role id(s): {', '.join(unknown)}")
        return chosen

    def _assigned(self, role_ids: list[str]) -> list[dict[str, Any]]:
        return [{"roleId": r, "roleName": self.roles[r]["name"], "roleType": "system"} for r in role_ids]

    def _role_view(self, role_id: str) -> dict[str, Any]:
        actors = [f"user/{m['userId']}" for m in self.members.values() if role_id in m["roleIds"]]
        actors += [f"apiKey/{k.fields['id']}" for k in self.keys.values() if role_id in k.role_ids]
        tenant = f"organization/{ORG_ID}"
        return {
            "id": role_id,
            "tenantId": tenant,
            "ownerId": tenant,
            "name": self.roles[role_id]["name"],
            "type": "system",
            "actors": actors,
            "policies": [],
            "createdAt": self.org["createdAt"],
            "updatedAt": self.org["createdAt"],
        }

    def _list_roles(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        return [self._role_view(role_id) for role_id in self.roles]

    def _get_role(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        role_id = request.params["role_id"].lower()
        if role_id not in self.roles:
            raise ApiError(404, "Role not found")
        return self._role_view(role_id)

    def _record(
        self, kind: str, request: EmuRequest | None = None, *, at: float | None = None, **extra: str
    ) -> None:
        moment = self.clock.now() if at is None else at
        actor: dict[str, Any] = {"actorType": "system"}
        key = self._key_of(request) if request is not None else None
        if request is not None and key is not None:
            actor = {
                "actorType": "api",
                "actorId": key.fields["id"],
                "actorDetails": f"API key {key.fields['name']}",
                "actorIpAddress": "127.0.0.1",
            }
            if "user-agent" in request.headers:
                actor["userAgent"] = request.headers["user-agent"]
        entry = {
            "id": self.ids.uuid4(),
            "createdAt": self._iso(moment),
            "type": kind,
            **actor,
            "organizationId": ORG_ID,
            **extra,
        }
        self.activities.append((moment, entry))

    def _list_activities(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        start = _parse_time(request.query.get("from_date"), "from_date")
        end = _parse_time(request.query.get("to_date"), "to_date")
        found = []
        for _, entry in sorted(self.activities, key=lambda pair: pair[0]):
            wall = _parse_time(entry["createdAt"], "createdAt")  # at the precision shown
            assert wall is not None
            if (start is None or wall >= start) and (end is None or wall <= end):
                found.append(entry)
        return found

    def _get_activity(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        wanted = request.params["activity_id"]
        entry = next((e for _, e in self.activities if e["id"] == wanted), None)
        if entry is None:
            raise ApiError(404, "Activity not found")
        return entry

    # --- members and invitations -----------------------------------------------------------------

    def _add_member(self, user_id: str, name: str, email: str, legacy: str, *, at: float) -> None:
        self.members[user_id] = {
            "userId": user_id,
            "name": name,
            "email": email,
            "joinedAt": self._iso(at),
            "roleIds": [self._legacy_role(legacy)],
        }

    def _person_view(self, person: dict[str, Any]) -> dict[str, Any]:
        view = {k: v for k, v in person.items() if k != "roleIds"}
        view["role"] = "admin" if self._legacy_role("admin") in person["roleIds"] else "developer"
        view["assignedRoles"] = self._assigned(person["roleIds"])
        return view

    def _member(self, request: EmuRequest) -> dict[str, Any]:
        self._check_org(request)
        member = self.members.get(request.params["user_id"].lower())
        if member is None:
            raise ApiError(404, "Member not found")
        return member

    def _list_members(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        return [self._person_view(m) for m in self.members.values()]

    def _person_roles(self, given: dict[str, Any]) -> list[str] | None:
        if given.get("assignedRoleIds") is not None:
            return self._role_ids(given["assignedRoleIds"])
        return [self._legacy_role(given["role"])] if given.get("role") else None

    def _keep_an_admin(self, user_id: str, roles_after: list[str]) -> None:
        admin = self._legacy_role("admin")
        for uid, member in self.members.items():
            if admin in (roles_after if uid == user_id else member["roleIds"]):
                return
        raise ApiError(400, "The organization must keep at least one admin")

    def _update_member(self, request: EmuRequest, body: Any) -> Any:
        member = self._member(request)
        roles = self._person_roles(dict(body or {}))
        if roles is not None:
            self._keep_an_admin(member["userId"], roles)
            self.members[member["userId"]] = member = {**member, "roleIds": roles}
            by_ids = (body or {}).get("assignedRoleIds") is not None
            kind = "organization_member_update_roles" if by_ids else "organization_member_update_role"
            self._record(kind, request)
        return self._person_view(member)

    def _delete_member(self, request: EmuRequest, body: Any) -> Any:
        member = self._member(request)
        self._keep_an_admin(member["userId"], [])
        del self.members[member["userId"]]
        self._record("organization_member_delete", request)
        return None

    def _invitation(self, request: EmuRequest) -> dict[str, Any]:
        self._check_org(request)
        invitation = self.invitations.get(request.params["invitation_id"].lower())
        if invitation is None:
            raise ApiError(404, "Invitation not found")
        return invitation

    def _list_invitations(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        return [self._person_view(i) for i in self.invitations.values()]

    def _create_invitation(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        given = dict(body or {})
        email = str(given.get("email") or "").strip().lower()  # stored in lower case (the spec)
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise ApiError(400, "email must be an e-mail address")
        if any(m["email"] == email for m in self.members.values()):
            raise ApiError(400, f"{email} is already a member of the organization")
        if any(i["email"] == email for i in self.invitations.values()):
            raise ApiError(400, f"{email} has already been invited")
        now = self.clock.now()
        invitation: dict[str, Any] = {
            "id": self.ids.uuid4(),
            "email": email,
            "createdAt": self._iso(now),
            "expireAt": self._iso(now + INVITATION_DAYS * 86400),
            "roleIds": self._person_roles(given) or [self._legacy_role("developer")],
        }
        self.invitations[invitation["id"]] = invitation
        self.creates += 1
        self._record("organization_invite_create", request)
        return self._person_view(invitation)

    def _delete_invitation(self, request: EmuRequest, body: Any) -> Any:
        invitation = self._invitation(request)
        del self.invitations[invitation["id"]]
        self._record("organization_invite_delete", request)
        return None
