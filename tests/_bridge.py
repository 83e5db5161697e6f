"""Run a test written against a sync object on its async twin.

`Blocking(target, loop, proxied)` stands in for an async object: a method call that returns a
coroutine is run to its end on `loop` and its result given back (wrapped again when `proxied`
says so); `with` uses `async with`; iteration takes an `async for`. A test body written for the sync
client then exercises the async one, unchanged, so the two flavours are held to the same tests.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from typing import Any


class Blocking:
    """A blocking stand-in for an async object (see the module's docstring)."""

    __slots__ = ("_loop", "_proxied", "_target")

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop, proxied: Callable[[Any], bool]) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_loop", loop)
        object.__setattr__(self, "_proxied", proxied)

    def _wrap(self, value: Any) -> Any:
        if inspect.isawaitable(value):
            value = self._loop.run_until_complete(_awaited(value))
        if callable(value) and (inspect.ismethod(value) or inspect.isfunction(value)):
            return _BlockingCall(value, self)
        if self._proxied(value):
            return Blocking(value, self._loop, self._proxied)
        return value

    def __getattr__(self, name: str) -> Any:
        return self._wrap(getattr(self._target, name))

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._wrap(self._target(*args, **kwargs))

    def __enter__(self) -> Any:
        entered = self._loop.run_until_complete(self._target.__aenter__())
        return self if entered is self._target else self._wrap(entered)

    def __exit__(self, *exc: Any) -> Any:
        return self._loop.run_until_complete(self._target.__aexit__(*exc))

    def __iter__(self) -> Iterator[Any]:
        iterator = self._target.__aiter__()
        while True:
            try:
                item = self._loop.run_until_complete(_awaited(iterator.__anext__()))
            except StopAsyncIteration:
                return
            yield self._wrap(item)

    def __repr__(self) -> str:
        return repr(self._target)

    @property
    def target(self) -> Any:
        """The async object behind this stand-in."""
        return self._target


class _BlockingCall:
    __slots__ = ("_function", "_owner")

    def __init__(self, function: Callable[..., Any], owner: Blocking) -> None:
        self._function = function
        self._owner = owner

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._owner._wrap(self._function(*args, **kwargs))


async def _awaited(awaitable: Any) -> Any:
    return await awaitable
