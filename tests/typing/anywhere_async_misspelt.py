"""Altinity Anywhere, async: what mypy must refuse (each marked line)."""

from dbcloud.anywhere import AsyncAltinityAnywhere


async def main() -> None:
    anywhere = AsyncAltinityAnywhere()
    anywhere.aws.list(name=["prod"])  # mypy-error: call-arg
    await anywhere.aws.delete("prod", forse=True)  # mypy-error: call-arg
    count = (await anywhere.aws.get("prod")).spec_revision + "1"  # mypy-error: operator
    print(anywhere.aws.get("prod").name)  # mypy-error: attr-defined
    zones = (await anywhere.gcp.get("prod")).model.spec.zonez  # mypy-error: attr-defined
    await anywhere.aws.update("prod", {}, update_strategy="merge")  # mypy-error: arg-type
    for env in anywhere.aws.list():  # mypy-error: attr-defined
        print(env)
    anywhere.aws.get("prod")  # mypy-error: unused-coroutine
    print(count, zones)
