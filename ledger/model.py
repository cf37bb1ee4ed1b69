"""The core data model: plain frozen records that the pure functions work on.

The storage layer turns database rows into these; the reconciler, the resolver
and the provenance checks never see a database session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ledger.figures import Quantity

SOURCE_KINDS = ("ngo", "media", "government", "armed-group", "person", "anonymous", "other")
GRADES = ("A", "B", "C", "D", "E", "F")
CREDIBILITIES = (1, 2, 3, 4, 5, 6)


def grade_label(grade: str | None, credibility: int | None) -> str:
    """Admiralty code such as ``B2``; unknown parts read as F / 6, 'cannot be judged'."""
    return f"{grade or 'F'}{credibility or 6}"


@dataclass(frozen=True)
class Source:
    """A speaker or publisher, with the other names it goes by."""

    id: int
    name: str
    kind: str = "other"
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None  # name of the source this one belongs to
    grade: str | None = None  # Admiralty reliability, A–F


@dataclass(frozen=True)
class Document:
    """Where claims were published."""

    id: int
    outlet: str  # source name
    published: date
    url: str | None = None
    title: str | None = None
    text: str | None = None
    sha256: str | None = None


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


@dataclass(frozen=True)
class Claim:
    """One assertion of a figure, with who said it and how it reached us."""

    id: int
    event: str
    metric: str
    value: Quantity
    said_by: str  # origin source name
    group: str | None = None  # None: the total
    via: tuple[str, ...] = ()  # relays, in order from the origin outwards
    document_id: int | None = None
    outlet: str | None = None  # the document's outlet, when there is a document
    published: date | None = None
    period: Period | None = None
    location: str | None = None
    quote: str | None = None
    quote_span: QuoteSpan | None = None
    quote_verified: bool = False
    credibility: int | None = None  # Admiralty information credibility, 1–6
    recorded_at: datetime | None = None
    retracted: bool = False
    corrections: tuple[Quantity, ...] = ()  # earlier values, oldest first
    notes: tuple[str, ...] = field(default=())
