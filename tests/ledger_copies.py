"""One ledger seeded once per module, laid down afresh for each test, on SQLite or on the PostgreSQL server.

The tamper tests edit a ledger behind the tool's back with the backend's own SQL, as a forger with
database access would. Their edits are written in SQL both backends read (``true``/``false`` for
booleans, ``"user"`` quoted), so one table of edits serves both; a Python edit gets a connection whose
``execute(sql, params)`` takes ``?`` placeholders on either.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

Edit = str | Callable[[object], None]


class SQLiteCopies:
    """The template is a ledger file; each test's ledger (conftest's LEDGER_DB) is a copy of it."""

    def __init__(self, template: Path):
        self.template = template
        self.path: Path | None = None

    def lay_down(self, url: str) -> None:
        self.path = Path(url.removeprefix("sqlite:///"))
        with closing(sqlite3.connect(self.template)) as source, closing(sqlite3.connect(self.path)) as target:
            source.backup(target)

    def edit(self, edit: Edit) -> None:
        # sqlite3 leaves foreign keys off, as any tool opening the file would
        with closing(sqlite3.connect(self.path)) as conn:
            conn.executescript(edit) if isinstance(edit, str) else edit(conn)
            conn.commit()

    def dump(self) -> list[str]:
        """The ledger's rows; not the report results kept beside them (derived, rewritten by any report)."""
        with closing(sqlite3.connect(self.path)) as conn:
            return [line for line in conn.iterdump() if not line.startswith(KEPT_ROWS)]


KEPT_ROWS = ('INSERT INTO "kept_report"', 'INSERT INTO "kept_event"', 'INSERT INTO "kept_name"', 'INSERT INTO "kept_text"')


class _PostgresConnection:
    """``execute(sql, params)`` with sqlite3's ``?`` placeholders, on a SQLAlchemy connection to PostgreSQL."""

    def __init__(self, conn):
        self.conn = conn

    def execute(self, sql: str, params: tuple = ()):
        return self.conn.exec_driver_sql(sql.replace("?", "%s"), tuple(params))


class PostgresCopies:
    """The template is every row of the seeded ledger, read once; each test's ledger (the shared test
    database, emptied after every test by conftest) gets them back with its id sequences where they were."""

    def __init__(self, postgres):
        import sqlalchemy

        # no pool: conftest ends every connection to the test database after each test
        self.engine = sqlalchemy.create_engine(postgres.url, poolclass=sqlalchemy.pool.NullPool)
        self.tables = postgres.tables
        with self.engine.connect() as conn:
            self.rows = {table: self._rows(conn, table) for table in self.tables}
            self.sequences = conn.exec_driver_sql(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND column_default LIKE 'nextval(%%'").all()

    @staticmethod
    def _rows(conn, table: str) -> tuple[list[str], list[tuple]]:
        result = conn.exec_driver_sql(f'SELECT * FROM "{table}"')
        columns = list(result.keys())
        order = ", ".join(str(i) for i in range(1, len(columns) + 1))
        return columns, [tuple(row) for row in conn.exec_driver_sql(f'SELECT * FROM "{table}" ORDER BY {order}')]

    def _without_checks(self):
        """A transaction in which foreign keys are not enforced: a forger with the server's superuser can do that."""
        conn = self.engine.connect()
        conn.begin()
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        return conn

    def lay_down(self, url: str) -> None:
        with closing(self._without_checks()) as conn:
            for table, (columns, rows) in self.rows.items():
                if rows:
                    names = ", ".join(f'"{c}"' for c in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    conn.exec_driver_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
            for table, column in self.sequences:
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                                     f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)')
            conn.commit()

    def edit(self, edit: Edit) -> None:
        with closing(self._without_checks()) as conn:
            if isinstance(edit, str):
                for statement in edit.split("; "):  # the edits' statements, as sqlite3's executescript runs them
                    conn.exec_driver_sql(statement)
            else:
                edit(_PostgresConnection(conn))
            conn.commit()

    def dump(self) -> list:
        """The ledger's rows; not the report results kept beside them (derived, rewritten by any report)."""
        with self.engine.connect() as conn:
            return [(table, self._rows(conn, table)) for table in self.tables if not table.startswith("kept_")]

    def close(self) -> None:
        self.engine.dispose()
