"""Emulated ClickHouse Cloud control plane, with managed ClickStack in every service.

State: one organization (always present: the demo key belongs to it) with its system roles, members,
invitations, API keys and activities, and its services with their backups and ClickStack objects.
`seed_data` adds a running service and a second member. Every other operation of the spec answers
`{status, requestId}`, with a synthesized `result` where the spec requires one.

Service lifecycle, in emulated seconds, with the states of the spec's `Service.state` enum:

    create  → provisioning (300 s) → running      (→ failed after `fail_next_launch`)
    stop    → stopping (60 s) → stopped
    start   → starting (120 s) → running          (a start on an idle service wakes it)
    (quiet) running with idleScaling for idleTimeoutMinutes → idle
    awake   → awaking (30 s) → running
    delete  (stopped or failed only) → terminating (60 s) → gone, then 404

API keys authenticate: any enabled, unexpired key of the organization is accepted for HTTP Basic,
so a key works as soon as it is created, and a disabled, expired or deleted one gets 401. Every call
that changes something records an activity of the matching type of the spec's enum, where the enum
has one. Managed ClickStack answers 424 while its service is idle (see `_stack_handler`).

The modules: `_state` (records, constants, the lifecycle from the clock), `_wire` (the envelope,
errors, field checks, views), the handlers by resource (`_services`, `_backups`, `_keys`, `_members`
for the organization, roles, activities, members and invitations, `_day2`, `_pipes`, `_schedules`)
and `_service` (registration, the calls routed by hand, `EmulatedClickHouse`).
"""

from ._pipes import PIPE_PROVISION_SECONDS, PIPE_START_SECONDS, PIPE_STOP_SECONDS
from ._service import EmulatedClickHouse
from ._state import BACKUP_SECONDS, ORG_ID, PROVISION_SECONDS

__all__ = [
    "BACKUP_SECONDS",
    "ORG_ID",
    "PIPE_PROVISION_SECONDS",
    "PIPE_START_SECONDS",
    "PIPE_STOP_SECONDS",
    "PROVISION_SECONDS",
    "EmulatedClickHouse",
]
