"""Reading an up-to-date SQLite ledger with the standard library alone, for a command whose work is one query.

``ledger log -n 10`` reads ten rows through the seq index: a millisecond. Opening
the ledger through SQLAlchemy first costs ~0.3 s of imports, three times
``ledger --help``. So the log of a SQLite ledger file is read here, on a
plain ``sqlite3`` connection, when that is safe: the file is there and this
process may write it (a read-only file needs the engine's read-only opening),
and its schema is exactly the current revision with no table that is not a
ledger's (anything else, to migrate or to refuse, is the engine's work).
Otherwise the functions return None and the caller opens the ledger as
every other command does.

This module and the facts about the schema it holds import nothing beyond
the standard library and the core, so neither does the command line's start.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path

from ledger.provenance.chain import Entry

DEFAULT_URL = "sqlite:///ledger.db"
SCHEMA_REVISION = "0010"
# Every revision this version can bring up to date; anything else is not ours, or newer.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010")
# Every table any known revision makes, and alembic's own: any other table is not a ledger's.
LEDGER_TABLES = frozenset({"source", "source_name", "document", "claim", "claim_relay", "history", "name_rule",
                           "kept_report", "kept_event", "kept_name", "kept_text",
                           "alembic_version"})
# Writers queue behind one another for this long before giving up.
BUSY_TIMEOUT_SECONDS = 60

# One query tells an up-to-date ledger; it fails where alembic_version is missing, and then the tables are listed.
TABLES_QUERY = "SELECT json_group_array(name) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite~_%' ESCAPE '~'"
SCHEMA_QUERY = f"SELECT (SELECT json_group_array(version_num) FROM alembic_version), ({TABLES_QUERY})"

_ENTRY_COLUMNS = ", ".join(f'"{name}"' for name in Entry.__dataclass_fields__)


def plain_sqlite_file(url: str) -> Path | None:
    """The file of ``sqlite:///path`` (no query, no URI options); None for anything else."""
    prefix = "sqlite:///"
    path = url[len(prefix):]
    # A query, %-escapes or a URI are read as SQLAlchemy reads them, by the engine.
    if not url.startswith(prefix) or not path or any(c in path for c in "?%#") or path.startswith("file:") or path == ":memory:":
        return None
    return Path(path)


def missing_file(url: str | None) -> Path | None:
    """The SQLite file ``url`` (default: ``LEDGER_DB``, then ./ledger.db) names when it does not exist, else None."""
    path = plain_sqlite_file(url if url is not None else os.environ.get("LEDGER_DB", DEFAULT_URL))
    return path if path is not None and not path.exists() else None


def _writable_ledger(path: Path) -> bool:
    try:
        return path.is_file() and os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK | os.X_OK)
    except OSError:
        return False


def open_current(url: str) -> sqlite3.Connection | None:
    """A plain ``sqlite3`` connection to the ledger ``url`` names, in a read transaction (what it then reads is
    one snapshot, the schema check's), when that ledger is an up-to-date, writable SQLite file; else None."""
    path = plain_sqlite_file(url)
    if path is None or not _writable_ledger(path):
        return None
    conn = None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        conn.execute("BEGIN")
        versions, tables = conn.execute(SCHEMA_QUERY).fetchone()
        if tuple(json.loads(versions)) == (SCHEMA_REVISION,) and frozenset(json.loads(tables)) <= LEDGER_TABLES:
            return conn
    except sqlite3.DatabaseError:  # no alembic_version, not a database, locked past the timeout: the engine's words
        pass
    if conn is not None:
        conn.close()
    return None


def history_page(url: str, since: int, limit: int, newest_first: bool) -> list[Entry] | None:
    """At most ``limit`` entries after seq ``since``, newest or oldest first; None where only the engine may read."""
    opened = open_current(url)
    if opened is None:
        return None
    try:
        with closing(opened) as conn:
            order = "DESC" if newest_first else ""
            rows = conn.execute(f"SELECT {_ENTRY_COLUMNS} FROM history WHERE seq > ? ORDER BY seq {order} LIMIT ?",
                                (since, limit)).fetchall()
    except sqlite3.DatabaseError:  # not a database, locked past the timeout, …: the engine says it in its words
        return None
    return [Entry(*row) for row in rows]
