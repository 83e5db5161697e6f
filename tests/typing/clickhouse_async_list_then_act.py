"""ClickHouse Cloud, async: list, then act on each id, as a fleet script does."""

import asyncio

import dbcloud
from dbcloud.clickhouse import AsyncClickHouseCloud, NewService, Service


async def main() -> None:
    async with AsyncClickHouseCloud() as cloud:
        org: str = await cloud.organization_id()
        print(org.upper(), cloud.known_org_id or "-")
        async for organization in cloud.organizations.list():
            print(organization.id.upper(), organization.name)
        async for service in cloud.services.list(filters=["tag:team=data"]):
            print(service.id.upper(), service.name, service.state.is_ready, service.status or "-")
            async for backup in cloud.backups.list(service.id):
                print(backup.id, backup.status, backup.size_bytes)
            if service.name.startswith("tmp-"):
                await cloud.services.stop(service.id)
                await cloud.services.wait_until(service.id, dbcloud.ClusterState.STOPPED)
                await cloud.services.delete(service.id, wait=True)
        new: NewService = await cloud.services.create(
            name="typed", provider="aws", region="us-east-1", min_replica_memory_gb=8, idle_scaling=True
        )
        made: Service = await cloud.services.wait_until_ready(new.id)
        await cloud.services.set_scaling(made.id, num_replicas=3, idle_timeout_minutes=7.5)
        state: dbcloud.ClusterState = await cloud.services.state(made.id)
        every: list[Service] = await cloud.services.list()
        async for page in cloud.keys.list().pages():
            print(page.number, len(page), [k.name for k in page])
        services = await asyncio.gather(*(cloud.services.get(s.id) for s in every))
        print(state, [s.name for s in services], await cloud.members.list().total())
        print(made.model.ip_access_list)


asyncio.run(main())
