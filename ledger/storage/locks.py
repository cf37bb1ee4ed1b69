"""Rows by id and the write lock: what every record kind's writes share.

A write takes the write lock (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory
lock) before it reads what it depends on, so writers queue and each sees the
last one's result.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlmodel import Session

from ledger.model import MAX_ID
from ledger.storage.engine import BUSY_TIMEOUT_SECONDS

# PostgreSQL: every writer of a ledger first takes this transaction-scoped advisory lock ("ledger.w" in ASCII).
PG_WRITE_LOCK = 0x6C65646765722E77


def row_by_id(session: Session, table: type, ident: object, lock: bool = False):
    """The row with this id, or None: also for an id no table could hold (0, -1, 2**63, "2"), which the driver would raise on."""
    if type(ident) is not int or not 1 <= ident <= MAX_ID:
        return None
    return session.get(table, ident, with_for_update=True if lock else None)  # FOR UPDATE: PostgreSQL only


def pg_write_lock(session: Session | Connection) -> None:
    """On PostgreSQL, take the write lock in this transaction (a session's, or an import's connection's)."""
    bind = session.get_bind() if isinstance(session, Session) else session
    if bind.dialect.name == "postgresql":  # SQLite's writer began with BEGIN IMMEDIATE
        session.execute(text(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_SECONDS}s'"))
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})  # re-entrant
