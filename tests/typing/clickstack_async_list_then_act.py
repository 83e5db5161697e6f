"""ClickStack (OSS or managed), async: list, then act on each id, as a fleet script does."""

import asyncio

from dbcloud.clickstack import Alert, AsyncClickStack, Dashboard


async def main() -> None:
    async with AsyncClickStack() as stack:
        async for dashboard in stack.dashboards.list():
            print(dashboard.id.upper(), dashboard.name, [tile.name for tile in dashboard.tiles])
            if dashboard.name.startswith("tmp-"):
                await stack.dashboards.delete(dashboard.id)
            elif dashboard.name.startswith("old-"):
                await stack.dashboards.update(
                    dashboard.id, name=dashboard.name[4:], tiles=dashboard.tiles, tags=dashboard.tags
                )
            print(dashboard.model.containers, [tile.model.container_id for tile in dashboard.tiles])
        print(await stack.alerts.list().total())
        async for alert in stack.alerts.list():
            print(
                alert.id, alert.state, alert.threshold, alert.interval, alert.channels, alert.model.silenced
            )
        async for page in stack.sources.list().pages():
            print(page.number, [source.kind for source in page], [source.model.name for source in page])
        hooks = [hook.id for hook in await stack.webhooks.list()]
        made: Dashboard = await stack.dashboards.create(name="typed", tiles=[], tags=["prod"])
        first: Alert = await stack.alerts.create(
            dashboard_id=made.id,
            tile_id="t1",
            threshold=100,
            interval="1h",
            source="tile",
            threshold_type="above",
            channel={"type": "webhook", "webhookId": hooks[0]},
        )
        await stack.alerts.update(
            first.id, threshold=50, interval="5m", threshold_type="below", channel=first.channel
        )
        every: list[Alert] = await stack.alerts.list()
        alerts = await asyncio.gather(*(stack.alerts.get(a.id) for a in every))
        print([a.name for a in alerts], (await stack.sources.get("s1")).table)
    async with AsyncClickStack.managed("org-id", "service-id") as managed:
        print(managed.mode, managed.known_org_id or "-", len(await managed.alerts.list()))


asyncio.run(main())
