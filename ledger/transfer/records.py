"""What an import row holds: the field lists, the three records, and :class:`RowError`.

A claim row carries the fields of ``ledger claim add`` (:data:`CLAIM_FIELDS`);
a JSONL file may also hold source and document lines
(:data:`SOURCE_FIELDS`, :data:`DOCUMENT_FIELDS`). Parsing a row gives one of
the records below or its problems as RowErrors (:mod:`ledger.transfer.rows`);
:func:`claim_row` goes the other way, a ledger claim as the row that records
it again.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

from ledger.dates import moment_text
from ledger.model import CLAIM, DOCUMENT, SOURCE, Claim
from ledger.model.fields import TRANSFER, Field

# Columns of a CSV import/export, in order; also the keys of a JSONL claim line. From the one description.
CLAIM_FIELDS = CLAIM.keys
SOURCE_FIELDS = ("record", *SOURCE.keys)
DOCUMENT_FIELDS = ("record", *DOCUMENT.keys)
_REQUIRED = tuple(key for f in CLAIM.shape(TRANSFER) if f.required for key in f.keys)


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem with one row: ``FILE:LINE: field: problem``."""

    file: str
    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{shown_file(self.file)}:{self.line}: {self.field}: {self.problem}"


def shown_file(name: str) -> str:
    """A file name as one line shows it: a newline or other control character escaped, as Python writes it."""
    return name if name.isprintable() else repr(name)[1:-1]


# Every file row starts with the line it was read from.
_LINE = Field("line", int, help="The line of the file the row was read from.")

# A named tuple rather than a frozen dataclass: a million-row import builds a
# million of them, and a tuple is built in a third of the time.
ClaimRecord = namedtuple("ClaimRecord", [f.name for f in (_LINE, *CLAIM.shape(TRANSFER))],
                         defaults=[f.default for f in CLAIM.shape(TRANSFER) if not f.required], module=__name__)
ClaimRecord.__doc__ = "A claim row, parsed and checked on its own (names are resolved by storage)."
SourceRecord = SOURCE.record_class("SourceRecord", TRANSFER, "A source line of a JSONL file.", __name__,
                                   first=(_LINE,), slots=True)
DocumentRecord = DOCUMENT.record_class(
    "DocumentRecord", TRANSFER, "A document line of a JSONL file; ``id`` is its id in the file, which claims' ``doc`` refer to.",
    __name__, first=(_LINE,), slots=True)


# A table row as the ledger stored it (``ledger export --format jsonl`` writes every one, history included): an
# import into an empty ledger restores them as they were, so the copy's history head is the original's.
RowRecord = namedtuple("RowRecord", ["line", "table", "values"], module=__name__)

Record = ClaimRecord | SourceRecord | DocumentRecord | RowRecord


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
        "published_at": moment_text(claim.published_at),
        "as_of": period.end.isoformat() if period and period.start is None else None,
        "period": f"{period.start.isoformat()}..{period.end.isoformat()}" if period and period.start else None,
        "as_of_at": moment_text(claim.as_of_at),
        "location": claim.location,
        "quote": claim.quote,
        "quote_original": claim.quote_original,
        "unverified_quote": bool(claim.quote) and not claim.quote_verified,
        "credibility": claim.credibility,
        "retracted": claim.retracted,
    }
