"""Rows of the reliability table (docs/RELIABILITY.md), collected while the tests run."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Reliability"]


@dataclass
class Reliability:
    rows: list[dict[str, str]] = field(default_factory=list)

    def add(self, area: str, fault: str, outcome: str, bound: str = "") -> None:
        self.rows.append({"area": area, "fault": fault, "outcome": outcome, "bound": bound})

    def keys(self) -> set[tuple[str, str]]:
        return {(r["area"], r["fault"]) for r in self.rows}
