"""CockroachDB Cloud, async: list, then act on each id, as a fleet script does."""

import asyncio

import dbcloud
from dbcloud.cockroach import Cluster


async def main() -> None:
    async with dbcloud.AsyncCockroachCloud() as crdb:
        async for cluster in crdb.clusters.list(show_inactive=False, page_size=50):
            print(cluster.id.upper(), cluster.name, cluster.state.is_ready, cluster.plan or "-")
            async for node in crdb.clusters.nodes(cluster.id):
                print(node.id, node.name, node.live)
        made: Cluster = await crdb.clusters.create_serverless("typed-moose", regions=["us-central1"])
        ready = await crdb.clusters.wait_until_ready(made.id)
        every: list[Cluster] = await crdb.clusters.list()
        async for page in crdb.clusters.list().pages():
            print(page.number, len(page), [c.name for c in page])
        clusters = await asyncio.gather(*(crdb.clusters.get(c.id) for c in every))
        print(ready.model.cockroach_version, [c.name for c in clusters], await crdb.clusters.list().total())


asyncio.run(main())
