"""Transfer: claims, sources and documents in and out of files (JSONL, CSV, ClaimReview)."""

from ledger.transfer.formats import FORMATS, EXPORT_FORMATS, read_records, guess_format
from ledger.transfer.records import (
    CLAIM_FIELDS,
    SOURCE_FIELDS,
    DOCUMENT_FIELDS,
    RowError,
    ClaimRecord,
    SourceRecord,
    DocumentRecord,
    Record,
    claim_row,
)
from ledger.transfer.rows import parse_claim
from ledger.transfer.jsonl import read_jsonl, source_line, document_line, sources_in_dependency_order, jsonl_lines
from ledger.transfer.csv_format import read_csv, csv_lines
from ledger.transfer.claimreview import claim_reviews
from ledger.transfer.derived import derived_totals

__all__ = [
    "FORMATS",
    "EXPORT_FORMATS",
    "CLAIM_FIELDS",
    "SOURCE_FIELDS",
    "DOCUMENT_FIELDS",
    "RowError",
    "ClaimRecord",
    "SourceRecord",
    "DocumentRecord",
    "Record",
    "parse_claim",
    "read_jsonl",
    "read_csv",
    "read_records",
    "guess_format",
    "claim_row",
    "source_line",
    "document_line",
    "sources_in_dependency_order",
    "jsonl_lines",
    "csv_lines",
    "claim_reviews",
    "derived_totals",
]
