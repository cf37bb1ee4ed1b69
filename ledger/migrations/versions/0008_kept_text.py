"""Kept report text: the table (or markdown) of the last report, made at the kept results' history entry.

Revision ID: 0008
Revises: 0007
On a million claims the same report of an unchanged ledger was laid out again each time: 137 MB of
wrapped table from findings decoded one by one. Kept compressed with its tally, it is read back
(``ledger.reports.kept_text``); every change to the kept results drops it, and ``verify`` makes it
again to check it. Derived data like the rest of the kept results.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.create_table(
        "kept_text",
        sa.Column("options", sa.String, primary_key=True),
        sa.Column("text", sa.LargeBinary, nullable=False),
        sa.Column("tally", sa.String, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kept_text")
