"""ClickStack: what mypy must refuse (each marked line)."""

import dbcloud

stack = dbcloud.ClickStack()
alert = stack.alerts.create
stack.dashboards.create(name="x", tiles=[], colour="red")  # mypy-error: call-arg
alert(threshold=1, interval="1h", threshold_type="above", silence_until="x")  # mypy-error: call-arg
alert(threshold="high", interval="1h", threshold_type="above")  # mypy-error: arg-type
stack.dashboards.update("d", name="x", tiles=[], tag=["prod"])  # mypy-error: call-arg
stack.dashboards.create(name="x", tiles=["not a tile"])  # mypy-error: list-item
