"""``ledger claim list -n 10`` on a large SQLite ledger, read with the standard library alone.

Listing ten claims of a million costs little in itself; filing them under the
quantity the report files them under means knowing how every name of the
ledger resolves. The last report keeps that (``ledger.storage.kept``); as
rows (``kept_name``) it is looked up for the ten claims' names only. So when
the ledger is an up-to-date, writable SQLite file (``quick_read.open_current``)
and the kept names were made at its head, the claims and their quantities are
read here on one ``sqlite3`` snapshot, without SQLAlchemy's imports; anything
else (claims changed since the last report, another backend, filters that
resolve names) is ``Ledger.iter_claims`` and ``Ledger.quantity_keys``' work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from ledger.model import Claim
from ledger.reconcile.kept import KEPT_FORMAT, KeysFromRows
from ledger.storage.quick_read import open_current
from ledger.storage.readers import iter_claims

_KEPT_AT = "SELECT made_at_seq, made_at_hash, format FROM kept_report"
_HEAD = "SELECT seq, hash FROM history ORDER BY seq DESC LIMIT 1"


class QuickListing:
    """The claims of a listing (``claims``, streamed) and what files each (``quantity_of(claim)``), read on
    one snapshot; close it (or use it in a ``with``) when done."""

    def __init__(self, conn: sqlite3.Connection, limit: int | None, newest_first: bool):
        self._conn = conn
        self.claims: Iterator[Claim] = iter_claims(conn, limit=limit, newest_first=newest_first)
        self.quantity_of = KeysFromRows(self._name_row, self._canonical_events)

    def _name_row(self, kind: str, written: str) -> str | None:
        row = self._conn.execute("SELECT canonical FROM kept_name WHERE kind = ? AND written = ?", (kind, written)).fetchone()
        return row[0] if row is not None else None

    def _canonical_events(self) -> list[str]:
        return [name for (name,) in self._conn.execute("SELECT DISTINCT canonical FROM kept_name WHERE kind = 'event'")]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> QuickListing:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def quick_listing(url: str, limit: int | None, newest_first: bool) -> QuickListing | None:
    """Every claim (at most ``limit``, oldest or newest first) with the kept names to file them by, or None
    where the ledger must be opened as usual: not such a SQLite file, or no names kept at its head."""
    conn = open_current(url)
    if conn is None:
        return None
    try:
        kept, head = conn.execute(_KEPT_AT).fetchone(), conn.execute(_HEAD).fetchone()
        conn.execute("SELECT kind, written, canonical FROM kept_name LIMIT 1").fetchall()  # the rows looked up later
        if kept is not None and head is not None and kept[2] == KEPT_FORMAT and (kept[0], kept[1]) == tuple(head):
            return QuickListing(conn, limit, newest_first)
    except sqlite3.DatabaseError:  # a table altered behind the ledger's back: the engine says what is wrong
        pass
    conn.close()
    return None
