"""Where an import's rows go: one writer per kind of database, all inside the import's one transaction.

The importer hands a writer the rows of a batch as ``(table, columns, rows)``,
each row a tuple in the column order given and in the form the SQLite driver
stores (dates as ISO text), then commits; closing without a commit rolls back:

- :class:`CoreWriter`: SQLAlchemy Core ``insert`` executemany on the import's
  connection; any dialect;
- :class:`PostgresCopyWriter`: PostgreSQL's ``COPY`` through psycopg, on that
  connection and in its transaction, from a thread that overlaps the server's
  work with the importer's;
- :class:`SQLiteWriter`: the DBAPI cursor's ``executemany`` on that connection,
  SQLite's physical limit (Core's per-row overhead is 3× that);
- :class:`SQLiteProcessWriter`: for a large import into a SQLite file, the same
  executemany in a child process (``sqlite_sink.py``) that holds the
  transaction on its own connection. ``sqlite3`` holds the GIL between rows,
  so a writer *thread* would stall on every row while the importer works;
  a process runs SQLite's B-tree work on the second core while the importer
  parses, checks and hashes the next batch. The import stays one
  transaction: the child commits only when told to, after the last row of a
  file without problems, and anything else (a bad row, an error, either
  process dying) leaves the ledger as it was.
"""

from __future__ import annotations

import marshal
import subprocess
import sys
from datetime import date
from pathlib import Path

from ledger import interrupts
from ledger.errors import LedgerError
from ledger.model.fields import TABLES

# Columns whose tuple values need converting for SQLAlchemy Core, read from the tables' description.
_DATE_COLUMNS = {c.name for record in TABLES for c in record.columns if c.type is date}
_BOOL_COLUMNS = {c.name for record in TABLES for c in record.columns if c.type is bool}
_SINK = Path(__file__).with_name("sqlite_sink.py")

# Settings of the child's connection for the length of the import. The page
# cache keeps the index B-trees in memory while a million rows go in.
# synchronous stays FULL, the ledger's default: see docs/performance.md.
SINK_PRAGMAS = {"cache_size": -262_144}  # KiB: 256 MiB

Inserts = list[tuple[str, tuple[str, ...], list[tuple]]]


class CoreWriter:
    """Core ``insert`` on the import's connection: any dialect; rows turned back into Python values."""

    def __init__(self, conn):
        from ledger.storage.tables import ClaimRelayRow, ClaimRow, DocumentRow, HistoryRow, NameRuleRow, SourceNameRow, SourceRow

        self.conn = conn
        self.tables = {t.__tablename__: t.__table__
                       for t in (ClaimRow, ClaimRelayRow, DocumentRow, HistoryRow, NameRuleRow, SourceNameRow, SourceRow)}
        self.written: set[str] = set()

    def write(self, inserts: Inserts) -> None:
        for table, columns, rows in inserts:
            if rows:
                self.conn.execute(self.tables[table].insert(), [self._values(columns, row) for row in rows])
                self.written.add(table)

    @staticmethod
    def _values(columns: tuple[str, ...], row: tuple) -> dict:
        values = dict(zip(columns, row))
        for column, value in values.items():
            if value is not None and column in _DATE_COLUMNS:
                values[column] = date.fromisoformat(value)
            elif value is not None and column in _BOOL_COLUMNS:
                values[column] = bool(value)
        return values

    def commit(self) -> None:
        """The import's transaction commits these rows; PostgreSQL's id sequences must catch up first.

        The importer assigns ids itself, so a serial column's sequence has not
        moved: without this, the next single ``claim add`` would reuse id 1.
        """
        if self.conn.dialect.name != "postgresql":
            return
        from sqlalchemy import text

        for table in sorted(self.written):
            if "id" in self.tables[table].c and table != "history":
                self.conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM \"{table}\"))"
                ))

    def close(self) -> None:
        pass


class PostgresCopyWriter(CoreWriter):
    """PostgreSQL's ``COPY … FROM STDIN`` through psycopg on the import's connection, in its transaction, from
    a thread: psycopg waits for the server without holding the GIL, so the server's work on one batch (its
    indexes and foreign keys: most of a write, docs/performance.md) overlaps the importer's reading of the
    next. Dates travel as their ISO text and 0/1 as booleans, which COPY's text input reads as the columns'
    types. A failed COPY is raised at the next write or at commit; a rollback first stops the thread, so no
    batch reaches the connection after it."""

    def __init__(self, conn):
        import queue
        import threading

        from sqlalchemy import event

        super().__init__(conn)
        self.batches: queue.Queue = queue.Queue(maxsize=1)  # one batch on the wire, one waiting: memory stays bounded
        self.failure: BaseException | None = None
        self.cancelled = False
        self.thread = threading.Thread(target=self._copy_batches, name="ledger-copy", daemon=True)
        self.thread.start()
        event.listen(conn, "rollback", self._stop_before_rollback)

    def _copy_batches(self) -> None:
        cursor = self.conn.connection.driver_connection.cursor()
        while (inserts := self.batches.get()) is not None:
            if self.failure is not None or self.cancelled:
                continue
            try:
                for table, columns, rows in inserts:
                    if rows:
                        names = ", ".join(f'"{c}"' for c in columns)
                        with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                            for row in rows:
                                copy.write_row(row)
                        self.written.add(table)
            except BaseException as exc:  # noqa: BLE001  (handed to the importer's thread, which raises it)
                self.failure = exc

    def _finish(self) -> None:
        if self.thread.is_alive():
            self.batches.put(None)
            self.thread.join()

    def _stop_before_rollback(self, _conn) -> None:
        self.cancelled = True
        self._finish()

    def write(self, inserts: Inserts) -> None:
        if self.failure is not None:
            raise self.failure
        self.batches.put(inserts)

    def commit(self) -> None:
        self._finish()
        if self.failure is not None:
            raise self.failure
        super().commit()

    def close(self) -> None:
        from sqlalchemy import event

        self._finish()  # the thread skips what is left after a failure or a rollback
        event.remove(self.conn, "rollback", self._stop_before_rollback)


class SQLiteWriter:
    """The DBAPI cursor's executemany, inside the import's SQLAlchemy transaction: no per-row Python work."""

    def __init__(self, conn):
        self.cursor = conn.connection.driver_connection.cursor()
        self.cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB, for this connection until close()

    def write(self, inserts: Inserts) -> None:
        for table, columns, rows in inserts:
            if rows:
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" * len(columns))
                self.cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def commit(self) -> None:
        """Nothing to do: the import's transaction commits these rows."""

    def close(self) -> None:
        self.cursor.execute("PRAGMA cache_size=-2000")
        self.cursor.close()


class SQLiteProcessWriter:
    """Rows sent to ``sqlite_sink.py`` in a child process, which writes and commits them in one transaction."""

    def __init__(self, path: str, head: tuple[int, str] | None):
        self.proc = subprocess.Popen([sys.executable, "-I", str(_SINK), path], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.committing = False
        self._send(("begin", *(head or (None, None)), SINK_PRAGMAS))

    def _send(self, message: tuple) -> None:
        body = marshal.dumps(message)
        try:
            self.proc.stdin.write(len(body).to_bytes(8, "big"))
            self.proc.stdin.write(body)
            self.proc.stdin.flush()
        except BrokenPipeError:  # the child stopped: it says why
            self._raise_reply()

    def write(self, inserts: Inserts) -> None:
        self._send(("rows", inserts))

    def commit(self) -> None:
        """Wait until the child has written every row, then tell it to commit.

        Two steps so that the ``commit`` message is never queued behind rows:
        until the child answers ``sync``, stopping this process (a kill, a
        Ctrl-C) leaves the child with no commit to obey.
        """
        self._send(("sync",))
        self._raise_reply()
        interrupts.committing()
        self.committing = True
        self._send(("commit",))
        self._raise_reply()

    def _raise_reply(self) -> None:
        """Read the child's one reply; raise unless it is ``ok``."""
        header = self.proc.stdout.read(8)
        reply = marshal.loads(self.proc.stdout.read(int.from_bytes(header, "big"))) if len(header) == 8 else None
        if reply == ("ok",):
            return
        self.close()
        if reply is None:
            raise LedgerError(f"the import's writer process stopped (exit code {self.proc.returncode}); nothing was imported")
        raise LedgerError(f"database: {reply[2]} ({reply[1]}); nothing was imported")

    def close(self) -> None:
        """Wait for the child; without a commit, it rolls back.

        An import abandoned before its commit (an error, Ctrl-C) stops the
        child at once rather than letting it write the queued rows first:
        SQLite discards the uncommitted transaction either way.
        """
        if not self.committing and self.proc.poll() is None:
            self.proc.kill()
        if self.proc.stdin and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
        self.proc.wait()
        self.proc.stdout.close()


def _sqlite_file(conn) -> str | None:
    """The main database file of a SQLite connection; None in memory (another process cannot see it)."""
    for _, name, path in conn.connection.driver_connection.execute("PRAGMA database_list"):
        if name == "main":
            return path or None
    return None


def writer_for(conn, large: bool, head: tuple[int, str] | None):
    """The writer for an import on ``conn``; ``large`` when it holds more than one batch."""
    from ledger.storage.engine import ReadOnlyLedger, read_only_refusal

    if (refusal := read_only_refusal(conn.engine)) is not None:
        raise ReadOnlyLedger(refusal)  # before a writer process starts, in the words every write uses
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        return PostgresCopyWriter(conn)
    if conn.dialect.name != "sqlite":
        return CoreWriter(conn)
    path = _sqlite_file(conn) if large else None
    if path is not None:
        return SQLiteProcessWriter(path, head)
    return SQLiteWriter(conn)
