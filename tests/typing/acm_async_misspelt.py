"""ACM, async: what mypy must refuse (each marked line)."""

from dbcloud.altinity import AsyncAltinity


async def main() -> None:
    acm = AsyncAltinity()
    run = acm.clusters.launch
    await run(1, name="x", admin_pass="", node_typ="m5", nodes=1, replicas=1, size=1)  # mypy-error: call-arg
    await run(176, name="x", admin_pass="x", nodes="2", replicas=1, size=1)  # mypy-error: arg-type
    acm.clusters.list(env_id=176)  # mypy-error: call-arg
    print(acm.clusters.get(1).name)  # mypy-error: attr-defined
    print((await acm.clusters.get(1)).id + 1)  # mypy-error: operator
    for env in acm.environments.list():  # mypy-error: attr-defined
        print(env)
    acm.clusters.status(1)  # mypy-error: unused-coroutine
    signed_in = AsyncAltinity.login("ops@example.com", "pw")
    await signed_in.keys.list()  # mypy-error: attr-defined
