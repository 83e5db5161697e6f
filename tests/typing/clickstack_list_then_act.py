"""ClickStack (OSS or managed): list, then act on each id, as a user's script does."""

import dbcloud
from dbcloud.clickstack import Alert

stack = dbcloud.ClickStack()
for dashboard in stack.dashboards.list():
    print(dashboard.id.upper(), dashboard.name, [tile.name for tile in dashboard.tiles])
    if dashboard.name.startswith("tmp-"):
        stack.dashboards.delete(dashboard.id)
    elif dashboard.name.startswith("old-"):
        stack.dashboards.update(
            dashboard.id, name=dashboard.name[4:], tiles=dashboard.tiles, tags=dashboard.tags
        )
    print(dashboard.model.containers, [tile.model.container_id for tile in dashboard.tiles])
alerts = stack.alerts.list()
print(alerts.total)
for alert in alerts:
    print(alert.id, alert.state, alert.threshold, alert.interval, alert.channels, alert.model.silenced)
for source in stack.sources.list():
    print(source.id, source.kind, source.table, source.model.name)
for hook in stack.webhooks.list():
    print(hook.service, hook.url.reveal() if hook.url else None, hook.model.updated_at)
hooks = [hook.id for hook in stack.webhooks.list()]
made = stack.dashboards.create(name="typed", tiles=[], tags=["prod"])
first: Alert = stack.alerts.create(
    dashboard_id=made.id,
    tile_id="t1",
    threshold=100,
    interval="1h",
    source="tile",
    threshold_type="above",
    channel={"type": "webhook", "webhookId": hooks[0]},
)
stack.alerts.update(first.id, threshold=50, interval="5m", threshold_type="below", channel=first.channel)
managed = dbcloud.ClickStack.managed("org-id", "service-id")
print(len(managed.alerts.list()), stack.alerts.get(first.id).name)
