"""Fleet work: one async call over many resources, a bounded number in flight.

    async with dbcloud.AsyncCockroachCloud() as crdb:
        clusters = await crdb.clusters.list()
        outcomes = await dbcloud.for_each(clusters, lambda c: crdb.clusters.get(c.id), concurrency=32)
        for outcome in outcomes:
            print(outcome.item.name, outcome.value.state if outcome.ok else outcome.error)

What keeps it safe:

- At most `concurrency` calls run at once; each item's call is made exactly once. `for_each`
  never repeats a call: the client's retry rules already decide what may be sent again (a read
  after a 503, any request after a 429, never a create after a 5xx or a broken connection), so a
  create is never sent twice by the fleet.
- The calls share one client, so they share its pace (`client.throttle`): a 429 met by one holds
  them all for the wait it asked for, and `client.throttle.per_second = 10` keeps them under a
  vendor's limit (CockroachDB Cloud allows about 10 requests per second per user).
- One failure does not lose the others: every item gets an `Outcome` (its value or its error), in
  the order of the items, unless `stop_on_error` asks to stop starting new calls after the first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Outcome", "for_each"]

I = TypeVar("I")  # noqa: E741 - the item, as in the docs
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Outcome(Generic[I, R]):
    """What one item's call gave.

    Attributes:
        item: the item the call was made for.
        value: the call's result, when it succeeded.
        error: the exception it raised, when it failed (None on success).
        started: whether the call was made (False only after `stop_on_error` stopped the run).
    """

    item: I
    value: R | None = None
    error: BaseException | None = None
    started: bool = True

    @property
    def ok(self) -> bool:
        """Whether the call was made and succeeded."""
        return self.started and self.error is None

    def result(self) -> R:
        """The value, or the call's exception raised again (RuntimeError if it was never made)."""
        if self.error is not None:
            raise self.error
        if not self.started:
            raise RuntimeError(f"the call for {self.item!r} was not made (the run stopped at an error)")
        return self.value  # type: ignore[return-value]  # a successful call's value, None included


async def for_each(
    items: Iterable[I],
    call: Callable[[I], Awaitable[R]],
    *,
    concurrency: int = 16,
    stop_on_error: bool = False,
) -> list[Outcome[I, R]]:
    """Await `call(item)` for every item, at most `concurrency` at a time.

    Args:
        items: the resources (or ids) to work on; read once, as calls are started.
        call: the async call for one item, e.g. `lambda c: crdb.clusters.get(c.id)`.
        concurrency: the most calls in flight (at least 1).
        stop_on_error: start no further call after the first failure (those already running
            finish); the items never started get an `Outcome` with `started=False`.

    Returns:
        One `Outcome` per item, in the items' order.

    Raises:
        ValueError: `concurrency` is below 1.
        Exceptions of `call` are not raised: each is in its item's `Outcome`. Cancellation (and
        KeyboardInterrupt) is not caught: it ends the run.
    """
    import asyncio  # here, so that `import dbcloud` does not import asyncio

    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be a whole number of 1 or more, got {concurrency!r}")
    listed = list(items)
    outcomes: list[Outcome[I, R] | None] = [None] * len(listed)
    queue = iter(enumerate(listed))
    stopped = False

    async def worker() -> None:
        nonlocal stopped
        for index, item in queue:  # one shared iterator: each item is taken by one worker only
            if stopped:
                outcomes[index] = Outcome(item, started=False)
                continue
            try:
                value = await call(item)
            except Exception as exc:  # kept in the item's outcome, as documented
                outcomes[index] = Outcome(item, error=exc)
                if stop_on_error:
                    stopped = True
            else:
                outcomes[index] = Outcome(item, value=value)

    await asyncio.gather(*(worker() for _ in range(min(concurrency, len(listed)))))
    return [outcome for outcome in outcomes if outcome is not None]
