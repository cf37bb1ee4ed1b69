"""The researcher's rulings on event, group and place names.

Revision ID: 0003
Revises: 0002
A new table only: ledgers made before it have no rulings, and the matcher alone
decides their names, as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "name_rule",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("rule", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("name_key", sa.String, nullable=False),
        sa.Column("other", sa.String, nullable=False),
        sa.Column("reason", sa.String),
    )
    op.create_index("ix_name_rule_name_key", "name_rule", ["name_key"])


def downgrade() -> None:
    op.drop_index("ix_name_rule_name_key", "name_rule")
    op.drop_table("name_rule")
