"""The core records: plain frozen dataclasses that the pure functions work on.

Sources, documents and claims are built from their one description in
:mod:`ledger.model.fields`; the storage layer turns database rows into them,
and the reconciler, the resolver and the provenance checks never see a
database session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime  # noqa: F401  (datetime: the records' annotations name it)

from ledger.model.fields import CLAIM, DOCUMENT, INPUT, READ, SOURCE

# The largest key SQLite's INTEGER and PostgreSQL's BIGINT hold; ids run from 1 to it.
MAX_ID = 2**63 - 1

SOURCE_KINDS = ("ngo", "media", "government", "armed-group", "person", "anonymous", "other")
GRADES = ("A", "B", "C", "D", "E", "F")
CREDIBILITIES = (1, 2, 3, 4, 5, 6)


def grade_label(grade: str | None, credibility: int | None) -> str:
    """Admiralty code such as ``B2``; unknown parts read as F / 6, 'cannot be judged'."""
    return f"{grade or 'F'}{credibility or 6}"


@dataclass(frozen=True)
class Period:
    """The time a figure covers: up to ``end`` (as of), or from ``start`` to ``end``."""

    start: date | None
    end: date

    def label(self) -> str:
        if self.start is None:
            return f"as of {self.end.isoformat()}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True)
class QuoteSpan:
    start: int
    end: int


Source = SOURCE.record_class(
    "Source", READ, "A speaker or publisher, with the other names it goes by.", __name__)
Document = DOCUMENT.record_class("Document", READ, "Where claims were published.", __name__)
Claim = CLAIM.record_class("Claim", READ, "One assertion of a figure, with who said it and how it reached us.", __name__)
ClaimInput = CLAIM.record_class(
    "ClaimInput", INPUT, "What a user supplies for a new claim, after parsing but before names are resolved.", __name__)
