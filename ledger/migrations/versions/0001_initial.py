"""The first schema: sources and their names, documents, claims with relays, and the history chain.

Revision ID: 0001
Revises:
Shipped revisions are never edited: a schema change is a new revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "source",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False, unique=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("affiliation_id", sa.Integer, sa.ForeignKey("source.id")),
        sa.Column("grade", sa.String),
        sa.Column("merged_into_id", sa.Integer, sa.ForeignKey("source.id")),
    )
    op.create_table(
        "source_name",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("source.id"), nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("name_key", sa.String, nullable=False),
        sa.Column("is_alias", sa.Boolean, nullable=False),
    )
    op.create_index("ix_source_name_source_id", "source_name", ["source_id"])
    op.create_index("ix_source_name_name_key", "source_name", ["name_key"])
    op.create_table(
        "document",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("outlet_id", sa.Integer, sa.ForeignKey("source.id"), nullable=False),
        sa.Column("published", sa.Date, nullable=False),
        sa.Column("url", sa.String),
        sa.Column("title", sa.String),
        sa.Column("text", sa.String),
        sa.Column("sha256", sa.String),
    )
    op.create_index("ix_document_outlet_id", "document", ["outlet_id"])
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event", sa.String, nullable=False),
        sa.Column("event_key", sa.String, nullable=False),
        sa.Column("metric", sa.String, nullable=False),
        sa.Column("group_name", sa.String),
        sa.Column("value_text", sa.String, nullable=False),
        sa.Column("value_low", sa.Integer, nullable=False),
        sa.Column("value_high", sa.Integer),
        sa.Column("value_kind", sa.String, nullable=False),
        sa.Column("value_best", sa.Integer),
        sa.Column("said_by_id", sa.Integer, sa.ForeignKey("source.id"), nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("document.id")),
        sa.Column("published", sa.Date),
        sa.Column("period_start", sa.Date),
        sa.Column("period_end", sa.Date),
        sa.Column("location", sa.String),
        sa.Column("quote", sa.String),
        sa.Column("quote_start", sa.Integer),
        sa.Column("quote_end", sa.Integer),
        sa.Column("quote_verified", sa.Boolean, nullable=False),
        sa.Column("credibility", sa.Integer),
        sa.Column("recorded_at", sa.String, nullable=False),
        sa.Column("retracted", sa.Boolean, nullable=False),
    )
    op.create_index("ix_claim_event_key", "claim", ["event_key"])
    op.create_index("ix_claim_said_by_id", "claim", ["said_by_id"])
    op.create_index("ix_claim_document_id", "claim", ["document_id"])
    op.create_table(
        "claim_relay",
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claim.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("source.id"), nullable=False),
    )
    op.create_index("ix_claim_relay_source_id", "claim_relay", ["source_id"])
    op.create_table(
        "history",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("recorded_at", sa.String, nullable=False),
        sa.Column("user", sa.String, nullable=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("subject", sa.String, nullable=False),
        sa.Column("payload", sa.String, nullable=False),
        sa.Column("prev_hash", sa.String, nullable=False),
        sa.Column("hash", sa.String, nullable=False),
    )
    op.create_index("ix_history_subject", "history", ["subject"])
