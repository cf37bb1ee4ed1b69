"""Times of day for publication and as-of, a quote's original-language words, and whether the quote states the figure.

Revision ID: 0002
Revises: 0001
Every new column is nullable: claims recorded before this revision keep their
meaning (a day without a time, a quote without an original, not yet checked).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("published_at", sa.String))
    with op.batch_alter_table("claim") as batch:
        batch.add_column(sa.Column("published_at", sa.String))
        batch.add_column(sa.Column("as_of_at", sa.String))
        batch.add_column(sa.Column("quote_original", sa.String))
        batch.add_column(sa.Column("quote_states_figure", sa.Boolean))


def downgrade() -> None:
    with op.batch_alter_table("claim") as batch:
        for column in ("quote_states_figure", "quote_original", "as_of_at", "published_at"):
            batch.drop_column(column)
    with op.batch_alter_table("document") as batch:
        batch.drop_column("published_at")
