"""An index of the history's corrections alone.

Revision ID: 0009
Revises: 0008
Every claim listing and report reads the value each corrected claim had before (the ``previous`` of its
``claim.correct`` entries). Found by scanning a million ``claim.add`` entries, that took 0.35 s before
the first claim of ``ledger claim list | head`` could be shown; a partial index holds only the
corrections, so finding them costs what there are of them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"

_CORRECTIONS = "action = 'claim.correct'"


def upgrade() -> None:
    op.create_index("ix_history_corrections", "history", ["seq"],
                    sqlite_where=sa.text(_CORRECTIONS), postgresql_where=sa.text(_CORRECTIONS))


def downgrade() -> None:
    op.drop_index("ix_history_corrections", "history")
