"""The data model: each record's fields described once, and the frozen records built from them."""

from ledger.model.fields import CLAIM, CLAIM_RELAY, DOCUMENT, HISTORY, SOURCE, SOURCE_NAME, TABLES, Column, Field, Record
from ledger.model.records import (
    CREDIBILITIES,
    GRADES,
    MAX_ID,
    SOURCE_KINDS,
    Claim,
    ClaimInput,
    Document,
    Period,
    QuoteSpan,
    Source,
    grade_label,
)

__all__ = [
    "CLAIM", "CLAIM_RELAY", "DOCUMENT", "HISTORY", "SOURCE", "SOURCE_NAME", "TABLES", "Column", "Field", "Record",
    "CREDIBILITIES", "GRADES", "MAX_ID", "SOURCE_KINDS", "Claim", "ClaimInput", "Document", "Period", "QuoteSpan", "Source",
    "grade_label",
]
