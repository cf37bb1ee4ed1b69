"""SQLModel tables: the one place the database schema is spelled out.

Only ``ledger.storage`` imports this module. Claims keep the original words of
their figure beside the interval, so a reader of the raw database (sqlite3,
datasette) sees what the source said, not just numbers. The schema itself is
created and evolved by the alembic revisions in ``ledger/migrations``; a test
checks the two agree.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel


class SourceRow(SQLModel, table=True):
    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    kind: str
    affiliation_id: int | None = Field(default=None, foreign_key="source.id")
    grade: str | None = None
    merged_into_id: int | None = Field(default=None, foreign_key="source.id")


class SourceNameRow(SQLModel, table=True):
    """Every name a source answers to (its own name included), keyed for lookup."""

    __tablename__ = "source_name"

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    name: str
    name_key: str = Field(index=True)  # casefolded, whitespace-collapsed
    is_alias: bool = True


class DocumentRow(SQLModel, table=True):
    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    outlet_id: int = Field(foreign_key="source.id", index=True)
    published: date
    url: str | None = None
    title: str | None = None
    text: str | None = None
    sha256: str | None = None


class ClaimRow(SQLModel, table=True):
    __tablename__ = "claim"

    id: int | None = Field(default=None, primary_key=True)
    event: str
    event_key: str = Field(index=True)
    metric: str
    group_name: str | None = None
    value_text: str
    value_low: int
    value_high: int | None = None
    value_kind: str
    value_best: int | None = None
    said_by_id: int = Field(foreign_key="source.id", index=True)
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    published: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    location: str | None = None
    quote: str | None = None
    quote_start: int | None = None
    quote_end: int | None = None
    quote_verified: bool = False
    credibility: int | None = None
    recorded_at: str
    retracted: bool = False


class ClaimRelayRow(SQLModel, table=True):
    """The relays a claim travelled through, in order from the origin outwards."""

    __tablename__ = "claim_relay"

    claim_id: int = Field(foreign_key="claim.id", primary_key=True)
    position: int = Field(primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)


class HistoryRow(SQLModel, table=True):
    """The append-only, hash-chained log of every change."""

    __tablename__ = "history"

    seq: int = Field(primary_key=True)
    recorded_at: str
    user: str
    action: str
    subject: str = Field(index=True)
    payload: str
    prev_hash: str
    hash: str
