"""A local, stateful stand-in for every API dbcloud wraps, for tests and demos without accounts.

    from dbcloud.emulator import running

    with running() as emu:            # 127.0.0.1, a free port, in this process
        acm = dbcloud.Altinity(base_url=emu.env["ACM_API_URL"], token=emu.env["ACM_API_KEY"])

Needs the `emulator` extra (uvicorn). See `_app.py` for the path prefixes and the control endpoint.
"""

from ._faults import FAULT_KINDS, Fault
from ._server import DEMO_CREDENTIALS, Emulator, build_app, running, serve

__all__ = ["DEMO_CREDENTIALS", "FAULT_KINDS", "Emulator", "Fault", "build_app", "running", "serve"]
