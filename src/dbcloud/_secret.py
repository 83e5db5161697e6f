"""A credential that does not show itself: `repr()` and `str()` print a mask, `.reveal()` the value."""

from __future__ import annotations

__all__ = ["Secret"]


class Secret:
    """Holds a credential so that printing, logging or formatting an object never shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The credential itself, for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    def __str__(self) -> str:
        return "********"

    def __format__(self, spec: str) -> str:
        return "********"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling would write the credential to wherever the pickle goes.
        raise TypeError("a Secret cannot be pickled")
