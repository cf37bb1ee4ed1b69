"""SQLModel tables, built from the field descriptions in :mod:`ledger.model.fields`.

Only ``ledger.storage`` imports this module. The columns are not written here
a second time: each table class is made from its :class:`~ledger.model.fields.Record`,
as SQLModel's ``Hero(HeroBase, table=True)`` is made from its base. Claims keep
the original words of their figure beside the interval, so a reader of the raw
database (sqlite3, datasette) sees what the source said, not just numbers. The
schema itself is created and evolved by the alembic revisions in
``ledger/migrations``; a test checks the two agree.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, text
from sqlmodel import Field, SQLModel

from ledger.model.fields import CLAIM, CLAIM_RELAY, DOCUMENT, HISTORY, NAME_RULE, SOURCE, SOURCE_NAME, Column, Record


# 64-bit keys on every backend: SQLite's INTEGER already is (and must stay INTEGER to be the rowid);
# PostgreSQL's would be 32-bit, and SQLAlchemy casts bound values to the column's type (revision 0004).
_KEY_TYPE = BigInteger().with_variant(Integer(), "sqlite")


def _field(column: Column):
    options = {}
    if column.type is int:
        options["sa_type"] = _KEY_TYPE
    if column.primary_key:
        options["primary_key"] = True
    if column.unique:
        options["unique"] = True
    if column.index:
        options["index"] = True
    if column.references:
        options["foreign_key"] = column.references
    if column.generated or column.nullable:
        return column.type | None, Field(default=None, **options)
    if column.type is bool:
        return bool, Field(default=False, **options)
    return column.type, Field(**options)


def table_class(name: str, record: Record, doc: str) -> type[SQLModel]:
    """The SQLModel table class of ``record``: one attribute per column, in order."""
    annotations, namespace = {}, {"__tablename__": record.table, "__doc__": doc, "__module__": __name__}
    for column in record.columns:
        annotations[column.name], namespace[column.name] = _field(column)
    namespace["__annotations__"] = annotations
    return type(name, (SQLModel,), namespace, table=True)


SourceRow = table_class("SourceRow", SOURCE, "A source: one row per speaker or publisher.")
SourceNameRow = table_class("SourceNameRow", SOURCE_NAME, "Every name a source answers to (its own name included), keyed for lookup.")
DocumentRow = table_class("DocumentRow", DOCUMENT, "A document that published claims, with its text.")
ClaimRow = table_class("ClaimRow", CLAIM, "A claim: the figure in its words and as an interval, and who said it.")
ClaimRelayRow = table_class("ClaimRelayRow", CLAIM_RELAY, "The relays a claim travelled through, in order from the origin outwards.")
HistoryRow = table_class("HistoryRow", HISTORY, "The append-only, hash-chained log of every change.")
# The few corrections among a million additions, found without reading the additions (revision 0009).
_CORRECTIONS = text("action = 'claim.correct'")
Index("ix_history_corrections", HistoryRow.__table__.c.seq, sqlite_where=_CORRECTIONS, postgresql_where=_CORRECTIONS)
NameRuleRow = table_class("NameRuleRow", NAME_RULE, "A researcher's ruling on event, group or place names (merge, split, within, an event's date or place).")


# Results kept between reports (``ledger.storage.kept``): derived from the tables above, never part of the
# history. ``ledger verify`` rebuilds them to check them; deleting them only makes the next report slower.
class KeptReportRow(SQLModel, table=True):
    """The history entry the kept results were made at, their format, and the ledger's names resolved then."""

    __tablename__ = "kept_report"
    id: int = Field(primary_key=True)  # always 1: one row
    made_at_seq: int = Field(sa_type=_KEY_TYPE)
    made_at_hash: str
    format: str
    names: bytes


class KeptEventRow(SQLModel, table=True):
    """One canonical event's findings (agreements included), quantities and live claims, as of ``kept_report``."""

    __tablename__ = "kept_event"
    event: str = Field(primary_key=True)
    claims: int
    quantities: int
    findings: bytes


class KeptNameRow(SQLModel, table=True):
    """A name as written on claims → the name the kept report files it under (``ledger.reconcile.kept.name_rows``):
    what a listing looks up for the claims it shows, without decoding every name of the ledger."""

    __tablename__ = "kept_name"
    kind: str = Field(primary_key=True)  # event, group, place, event place
    written: str = Field(primary_key=True)
    canonical: str


class KeptTextRow(SQLModel, table=True):
    """A report's text as of ``kept_report`` but its ending, compressed, with its tally (``ledger.reports.kept_text``)."""

    __tablename__ = "kept_text"
    options: str = Field(primary_key=True)  # its format, and --all
    text: bytes
    tally: str
    layout: str | None = None  # a table's (``ledger.reports.splice.TextLayout``), to bring it up to date
