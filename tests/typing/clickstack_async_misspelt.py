"""ClickStack, async: what mypy must refuse (each marked line)."""

from dbcloud.clickstack import AsyncClickStack


async def main() -> None:
    stack = AsyncClickStack()
    await stack.dashboards.create(name="x", tiles=[], colour="red")  # mypy-error: call-arg
    await stack.alerts.create(threshold="high", interval="1h", threshold_type="above")  # mypy-error: arg-type
    stack.alerts.list(limit=10)  # mypy-error: call-arg
    print(stack.alerts.get("id").name)  # mypy-error: attr-defined
    print((await stack.sources.get("id")).name + 1)  # mypy-error: operator
    for dashboard in stack.dashboards.list():  # mypy-error: attr-defined
        print(dashboard)
    AsyncClickStack.managed("org", "svc", http_client=object())  # mypy-error: arg-type
    stack.dashboards.delete("id")  # mypy-error: unused-coroutine
