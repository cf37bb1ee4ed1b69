"""Kept report text layout: where each finding's rows lie in a kept table, so one event's rows can be replaced.

Revision ID: 0010
Revises: 0009
After one new claim a report re-judges one event but laid the whole table out again, decoding every other
event's findings to do it (14 s of 23 at a million claims). With each finding's order, length and widest
columns kept beside the table (``ledger.reports.splice``), the kept table is brought up to date by taking
the changed events' rows out and putting the new ones in. Derived; a kept text without it is made anew.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    with op.batch_alter_table("kept_text") as batch:
        batch.add_column(sa.Column("layout", sa.String, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kept_text") as batch:
        batch.drop_column("layout")
