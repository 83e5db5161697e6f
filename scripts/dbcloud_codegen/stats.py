"""What one generator run produced, for the per-API coverage line."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["GenStats"]


@dataclass
class GenStats:
    api: str
    operations: int = 0  # operations (GraphQL: root fields) in the vendor's spec
    generated: int = 0  # endpoint functions (GraphQL: operation documents) generated
    models: int = 0  # model classes generated
    warnings: list[str] = field(default_factory=list)
    secret_fields: list[str] = field(default_factory=list)  # `Class.attribute`s declared repr=False
    seconds: float = 0.0

    def line(self) -> str:
        # The format is fixed (scripts and the README read it); details go to --verbose.
        return (
            f"{self.api}: operations={self.operations} generated={self.generated} "
            f"models={self.models} warnings={len(self.warnings)} seconds={self.seconds:.1f}"
        )
