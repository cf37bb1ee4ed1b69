"""Figures as intervals: the record a source's words become.

A figure keeps the original words (``text``) next to the interval they allow
(``low``..``high``, ``high`` None when unbounded) and a ``kind`` saying what sort
of statement it was. This module owns that record, the kinds, and the limits on
what counts as a figure. ``docs/quantities.md`` lists every mapping and why.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("exact", "lower-bound", "upper-bound", "range", "approximate", "vague")

MAX_COUNT = 10**12  # larger than any head count; guards against pasted noise
MAX_TEXT = 200  # a figure, not a sentence: the sentence belongs in --quote


@dataclass(frozen=True)
class Quantity:
    text: str
    low: int
    high: int | None  # None: no upper bound
    kind: str
    best: int | None = None  # the single figure the words point at, when there is one

    def to_dict(self) -> dict:
        return {"text": self.text, "low": self.low, "high": self.high, "kind": self.kind, "best": self.best}

    def interval_label(self) -> str:
        """``78``, ``71–∞``, ``63–77``."""
        if self.high == self.low:
            return str(self.low)
        high = "∞" if self.high is None else str(self.high)
        return f"{self.low}–{high}"

    def contains(self, other: "Quantity") -> bool:
        return self.low <= other.low and (self.high is None or (other.high is not None and other.high <= self.high))

    def overlaps(self, other: "Quantity") -> bool:
        return (self.high is None or other.low <= self.high) and (other.high is None or self.low <= other.high)
