"""Kept names as rows: each name as written on a claim → the name the report files it under.

Revision ID: 0007
Revises: 0006
``ledger claim list -n 10`` files ten claims by the names the last report kept; read from a blob it had to
decode every name of the ledger (85,000 at a million claims), read as rows through their key it looks up
only the ten claims' names. Derived data like the rest of the kept results: the kept results of revision
0006 are dropped here (they have no rows yet), and the next report keeps them anew.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_table(
        "kept_name",
        sa.Column("kind", sa.String, primary_key=True),
        sa.Column("written", sa.String, primary_key=True),
        sa.Column("canonical", sa.String, nullable=False),
    )
    op.execute("DELETE FROM kept_event")
    op.execute("DELETE FROM kept_report")


def downgrade() -> None:
    op.drop_table("kept_name")
