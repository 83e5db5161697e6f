"""ACM, async: list, then act on each id, as a fleet script does."""

import asyncio
import datetime as dt

import dbcloud
from dbcloud.altinity import AsyncAltinity, Cluster, ClusterStatus


async def main() -> None:
    async with AsyncAltinity() as acm:
        async for env in acm.environments.list():
            print(env.id.upper(), env.display_name or env.name, env.domain or "-")
            async for cluster in acm.clusters.list(env.id):
                status = await acm.clusters.status(cluster.id)
                if status.ready and cluster.state is dbcloud.ClusterState.RUNNING:
                    print(cluster.name, cluster.nodes, cluster.endpoint)
                if cluster.name.startswith("tmp-"):
                    await acm.clusters.delete(cluster.id)
                    await acm.clusters.wait_until_deleted(cluster.id, timeout=600)
        envs = await acm.environments.list()
        first: Cluster = await acm.clusters.launch(
            envs[0].id,
            name="typed",
            admin_pass="x",
            node_type="m5.large",
            nodes=2,
            replicas=2,
            size=100,
            zone_awareness=True,
            azlist=["us-east-1a"],
        )
        ready: ClusterStatus = await acm.clusters.wait_until_ready(first.id)
        print(ready.cluster_id, ready.describe(), first.model.endpoint)
        async for page in acm.clusters.list(176).pages():
            print(page.number, len(page))
        statuses = await asyncio.gather(*(acm.clusters.status(c.id) for c in await acm.clusters.list(176)))
        print([s.ready for s in statuses], await acm.clusters.list(176).total())
        key = await acm.keys.create(expires_in=dt.timedelta(hours=1))
        print(key.fingerprint, [k.expires for k in await acm.keys.list()])
        await acm.keys.delete(key)
        stopped = await acm.clusters.stop(first.id, wait=True)
        resumed: Cluster = await acm.clusters.resume(stopped.id, wait=True)
        result = await acm.clusters.query(resumed.id, "SELECT 1")
        print(result.text, [t.code async for t in acm.node_types.list(176)])
        async for user in acm.database_users.list(first.id):
            await acm.database_users.delete(first.id, user.id)
        await acm.settings.push(first.id)
        print(len(await acm.backups.list(first.id)), len(await acm.zookeepers.list(176)))
    signed_in: AsyncAltinity = await AsyncAltinity.login("ops@example.com", "pw")
    async with signed_in:
        print(len(await signed_in.environments.list()))


asyncio.run(main())
