"""A local, stateful stand-in for every API dbcloud wraps, for tests and demos without accounts.

    from dbcloud.emulator import running

    with running() as emu:            # 127.0.0.1, a free port, in this process
        acm = dbcloud.Altinity(base_url=emu.env["ACM_API_URL"], token=emu.env["ACM_API_KEY"])

Needs the `emulator` extra (uvicorn). See `_app.py` for the path prefixes and the control endpoint,
which needs the run's token (`emu.token`, `DBCLOUD_EMULATOR_TOKEN` in `emu.env`; `emu.control(...)`
sends it), and `_daemon.py` for `dbcloud emulator --detach` / `--stop`.

Faults (`running(faults=...)`, `POST /_emulator/faults`) make an API fail; drift
(`running(drift={"clickhouse": ["unknown-enum", "null", "missing", "text-number"]})`,
`POST/GET/DELETE /_emulator/drift`) makes its successful answers deviate from the spec as real
servers do: enum values the spec never listed, nulls, required fields left out, numbers as text.
See `_drift.py` for exactly what each kind rewrites.
"""

from ._drift import DRIFT_KINDS, Drift
from ._faults import FAULT_KINDS, Fault
from ._server import DEMO_CREDENTIALS, Emulator, build_app, running, serve

__all__ = [
    "DEMO_CREDENTIALS",
    "DRIFT_KINDS",
    "FAULT_KINDS",
    "Drift",
    "Emulator",
    "Fault",
    "build_app",
    "running",
    "serve",
]
