"""What an import row holds: the field lists, the three records, and :class:`RowError`.

A claim row carries the fields of ``ledger claim add`` (:data:`CLAIM_FIELDS`);
a JSONL file may also hold source and document lines
(:data:`SOURCE_FIELDS`, :data:`DOCUMENT_FIELDS`). Parsing a row gives one of
the records below or its problems as RowErrors (:mod:`ledger.transfer.rows`);
:func:`claim_row` goes the other way, a ledger claim as the row that records
it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ledger.model import Claim, Period
from ledger.figures import Quantity

# Columns of a CSV import/export, in order; also the keys of a JSONL claim line.
CLAIM_FIELDS = (
    "event", "metric", "group", "value", "said_by", "via", "doc", "published", "as_of", "period",
    "location", "quote", "unverified_quote", "credibility", "retracted",
)
SOURCE_FIELDS = ("record", "name", "kind", "aliases", "affiliation", "grade")
DOCUMENT_FIELDS = ("record", "id", "outlet", "published", "url", "title", "text")
_REQUIRED = ("event", "metric", "value", "said_by")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem with one row: ``FILE:LINE: field: problem``."""

    file: str
    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.problem}"


class ClaimRecord(NamedTuple):
    """A claim row, parsed and checked on its own (names are resolved by storage).

    A named tuple rather than a frozen dataclass: a million-row import builds a
    million of them, and a tuple is built in a third of the time.
    """

    line: int
    event: str
    metric: str
    value: Quantity
    said_by: str
    group: str | None = None
    via: tuple[str, ...] = ()
    doc: int | None = None
    published: date | None = None
    period: Period | None = None
    location: str | None = None
    quote: str | None = None
    unverified_quote: bool = False
    credibility: int | None = None
    retracted: bool = False


@dataclass(frozen=True, slots=True)
class SourceRecord:
    line: int
    name: str
    kind: str = "other"
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None
    grade: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    line: int
    id: int  # its id in the file, which claims' ``doc`` refer to
    outlet: str
    published: date
    url: str | None = None
    title: str | None = None
    text: str | None = None


Record = ClaimRecord | SourceRecord | DocumentRecord


def claim_row(claim: Claim) -> dict:
    """A claim as an import row: exactly what ``import`` needs to record it again."""
    # Keys in CLAIM_FIELDS order: the CSV export writes the values under that header.
    period = claim.period
    return {
        "event": claim.event,
        "metric": claim.metric,
        "group": claim.group,
        "value": claim.value.text,
        "said_by": claim.said_by,
        "via": list(claim.via),
        "doc": claim.document_id,
        "published": claim.published.isoformat() if claim.published else None,
        "as_of": period.end.isoformat() if period and period.start is None else None,
        "period": f"{period.start.isoformat()}..{period.end.isoformat()}" if period and period.start else None,
        "location": claim.location,
        "quote": claim.quote,
        "unverified_quote": bool(claim.quote) and not claim.quote_verified,
        "credibility": claim.credibility,
        "retracted": claim.retracted,
    }
