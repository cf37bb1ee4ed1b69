"""Documents keep an archive address, when their text was fetched, and the version they replace.

Revision ID: 0005
Revises: 0004
Every new column is nullable: a document recorded before this revision is a first version with no
archive copy and no retrieval date, and its history payload (which carries the new fields only when
set) and hash stay as they were. ``url`` gains an index, as the newest version of an address is
looked up by it; ``previous_id`` one, as a version's successors are.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.add_column("document", sa.Column("archive_url", sa.String))
    op.add_column("document", sa.Column("retrieved", sa.String))
    if op.get_bind().dialect.name == "sqlite":
        # Added in place with its reference, as SQLite allows for a column that defaults to NULL: batch mode
        # would copy the table and drop the old one, which the claims' foreign keys (enforced) refuse.
        op.execute("ALTER TABLE document ADD COLUMN previous_id INTEGER REFERENCES document (id)")
    else:
        op.add_column("document", sa.Column("previous_id", sa.BigInteger))  # keys are BIGINT since 0004
        op.create_foreign_key("document_previous_id_fkey", "document", "document", ["previous_id"], ["id"])
    op.create_index("ix_document_url", "document", ["url"])
    op.create_index("ix_document_previous_id", "document", ["previous_id"])


def downgrade() -> None:
    op.drop_index("ix_document_previous_id", "document")
    op.drop_index("ix_document_url", "document")
    with op.batch_alter_table("document") as batch:
        for column in ("previous_id", "retrieved", "archive_url"):
            batch.drop_column(column)
