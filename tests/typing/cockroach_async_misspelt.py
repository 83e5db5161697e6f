"""CockroachDB Cloud, async: what mypy must refuse (each marked line)."""

import dbcloud


async def main() -> None:
    crdb = dbcloud.AsyncCockroachCloud()
    await crdb.clusters.create_serverless("x", region=["us-central1"])  # mypy-error: call-arg
    crdb.clusters.list(pagesize=10)  # mypy-error: call-arg
    print(crdb.clusters.get("id").name)  # mypy-error: attr-defined
    print((await crdb.clusters.get("id")).name + 1)  # mypy-error: operator
    for cluster in crdb.clusters.list():  # mypy-error: attr-defined
        print(cluster)
    crdb.clusters.get("id")  # mypy-error: unused-coroutine
