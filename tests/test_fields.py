"""Each record's fields are described once (ledger.model.fields); every shape is read from that description."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlmodel import SQLModel

from ledger.figures import parse_quantity
from ledger.model import CLAIM, DOCUMENT, SOURCE, TABLES, Claim, ClaimInput, Document, Period, Source
from ledger.model.fields import INPUT, READ
from ledger.storage import tables  # noqa: F401  (builds the table classes)
from ledger.transfer import CLAIM_FIELDS, ClaimRecord, DocumentRecord, SourceRecord
from ledger.transfer.records import claim_row


def _names(cls) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def test_records_carry_the_described_fields_in_their_positional_order():
    assert _names(Claim) == [f.name for f in CLAIM.shape(READ)]
    assert _names(ClaimInput) == [f.name for f in CLAIM.shape(INPUT)]
    assert _names(Source) == [f.name for f in SOURCE.shape(READ)]
    assert _names(Document) == [f.name for f in DOCUMENT.shape(READ)]
    # The positional order records always had: required first.
    assert _names(Claim)[:5] == ["id", "event", "metric", "value", "said_by"]


def test_tables_have_exactly_the_described_columns():
    for record in TABLES:
        table = SQLModel.metadata.tables[record.table]
        assert [c.name for c in table.columns] == list(record.column_names)
        for column in record.columns:
            stored = table.columns[column.name]
            assert stored.primary_key == column.primary_key, column
            assert bool(stored.index) == column.index, column
            assert stored.nullable == column.nullable, column
            assert {fk.target_fullname for fk in stored.foreign_keys} == ({column.references} if column.references else set())


def test_file_rows_carry_the_described_keys():
    assert CLAIM_FIELDS == CLAIM.keys
    assert ClaimRecord._fields[1:] == tuple(f.name for f in CLAIM.shape("transfer"))
    assert _names(SourceRecord)[1:] == [f.name for f in SOURCE.shape("transfer")]
    assert _names(DocumentRecord)[1:] == [f.name for f in DOCUMENT.shape("transfer")]


def test_an_exported_row_has_every_file_key_in_order():
    claim = Claim(id=1, event="E", metric="killed", value=parse_quantity("more than 70"), said_by="S",
                  period=Period(None, date(2022, 1, 22)), quote="q", quote_verified=False)
    row = claim_row(claim)
    assert tuple(row) == CLAIM_FIELDS
    assert (row["as_of"], row["period"], row["unverified_quote"]) == ("2022-01-22", None, True)
