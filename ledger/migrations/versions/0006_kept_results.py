"""Kept report results: each event's findings and the resolved names, made at a history entry.

Revision ID: 0006
Revises: 0005
Derived data, outside the hash chain: a report re-judges only the events changed since ``made_at_seq``
(``ledger.storage.kept``), and ``ledger verify`` rebuilds them to check them. A ledger upgraded to this
revision has none yet; its next report makes them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def _key():
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "kept_report",
        sa.Column("id", _key(), primary_key=True),
        sa.Column("made_at_seq", _key(), nullable=False),
        sa.Column("made_at_hash", sa.String, nullable=False),
        sa.Column("format", sa.String, nullable=False),
        sa.Column("names", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "kept_event",
        sa.Column("event", sa.String, primary_key=True),
        sa.Column("claims", _key(), nullable=False),
        sa.Column("quantities", _key(), nullable=False),
        sa.Column("findings", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kept_event")
    op.drop_table("kept_report")
