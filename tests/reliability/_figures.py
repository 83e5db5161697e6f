"""The figures the reliability tests measure, printed as one "Reliability" table after the run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Figures", "format_table"]


@dataclass
class Figures:
    """Rows per area ("faults", "secrets", ...); every row of an area has the same columns."""

    areas: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    checks: dict[str, dict[str, list[bool]]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # areas as first recorded

    def add(self, area: str, **columns: object) -> None:
        self._seen(area)
        self.areas.setdefault(area, []).append({name: str(value) for name, value in columns.items()})

    def check(self, area: str, subject: str, passed: bool) -> None:
        """Count one check of a subject; the table shows checks and passes per subject."""
        self._seen(area)
        self.checks.setdefault(area, {}).setdefault(subject, []).append(passed)

    def rows(self) -> dict[str, list[dict[str, str]]]:
        """Every area's rows, counted checks included."""
        rows: dict[str, list[dict[str, str]]] = {area: list(self.areas.get(area, [])) for area in self.order}
        for area, subjects in self.checks.items():
            for subject, results in subjects.items():
                counts = {"subject": subject, "checks": str(len(results)), "passed": str(sum(results))}
                rows[area].append(counts)
        return rows

    def _seen(self, area: str) -> None:
        if area not in self.order:
            self.order.append(area)


def format_table(figures: Figures, write: Callable[[str], None]) -> None:
    """Each area as an aligned table, areas and rows in the order recorded (tests run in file order)."""
    for area, rows in figures.rows().items():
        names = list(dict.fromkeys(name for row in rows for name in row))
        widths = {n: max(len(n), *(len(row.get(n, "")) for row in rows)) for n in names}
        write("")
        write(f"[{area}]")
        write("  ".join(n.ljust(widths[n]) for n in names).rstrip())
        write("  ".join("-" * widths[n] for n in names))
        for row in rows:
            write("  ".join(row.get(n, "").ljust(widths[n]) for n in names).rstrip())
