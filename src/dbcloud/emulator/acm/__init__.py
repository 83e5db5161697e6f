"""Emulated Altinity.Cloud Manager: environments, clusters with a launch lifecycle, keys, sign-in.

Every other ACM operation is served with a synthesized `{data, error}` answer. The cluster status
answer has ACM's own shape (a `health` summary and `actionProgress`, counts as text); the other
untyped answers (action log, account keys, login) follow the facade's documented assumptions (see
dbcloud/altinity), so the two agree. Bodies come as ACM takes them: the launch as JSON (numbers as
JSON numbers or digit text), sign-in and the account's keys as form fields (or JSON).
"""

from ._service import EmulatedACM
from ._state import DELETE_SECONDS, DEMO_USER, LAUNCH_SECONDS

__all__ = ["DELETE_SECONDS", "DEMO_USER", "LAUNCH_SECONDS", "EmulatedACM"]
