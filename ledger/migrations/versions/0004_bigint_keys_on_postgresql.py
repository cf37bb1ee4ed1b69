"""Ids and history seq numbers as 64-bit integers on PostgreSQL, as they always were on SQLite.

Revision ID: 0004
Revises: 0003
SQLite's INTEGER is 64-bit, so every id from 1 to 2^63-1 was accepted; PostgreSQL's INTEGER is 32-bit, so
`ledger claim show 9223372036854775807` failed with "integer out of range" instead of "not a claim", and a
team ledger would stop at 2,147,483,647 history entries. Every integer column becomes BIGINT there, and
every id sequence counts in BIGINT. Nothing changes on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    columns = bind.execute(sa.text(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type = 'integer' AND table_name <> 'alembic_version' "
        "ORDER BY table_name, ordinal_position")).all()
    for table, column in columns:
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE BIGINT')
    sequences = bind.execute(sa.text(
        "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()")).scalars().all()
    for sequence in sequences:
        op.execute(f'ALTER SEQUENCE "{sequence}" AS BIGINT')


def downgrade() -> None:
    pass  # 32-bit keys would refuse ids a BIGINT ledger may already hold
