"""ClickHouse Cloud, async: what mypy must refuse (each marked line)."""

from dbcloud.clickhouse import AsyncClickHouseCloud


async def main() -> None:
    cloud = AsyncClickHouseCloud()
    await cloud.services.set_scaling("id", num_replica=3)  # mypy-error: call-arg
    cloud.services.list(filter=["tag:a=b"])  # mypy-error: call-arg
    print(cloud.services.get("id").name)  # mypy-error: attr-defined
    print((await cloud.services.get("id")).state.uper())  # mypy-error: attr-defined
    for service in cloud.services.list():  # mypy-error: attr-defined
        print(service)
    print(cloud.org_id)  # mypy-error: attr-defined
    cloud.keys.delete("id")  # mypy-error: unused-coroutine
    print((await cloud.usage("2025-01-01", "2025-01-31")).total)  # mypy-error: attr-defined
    cloud.query_endpoints.delete("id")  # mypy-error: unused-coroutine
