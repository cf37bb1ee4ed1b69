"""Opening a ledger's database: the URL, the engine, the schema brought up to date.

One URL picks the backend (``sqlite:///ledger.db`` by default, PostgreSQL for
teams). The schema comes from alembic revisions applied on open. Opening an
up-to-date SQLite ledger costs one query, made on a connection that cannot
change the file.

What opening never does:

- change a database that is not a ledger. A SQLite file is first read
  through a connection that can neither write nor leave a -wal/-shm file
  beside it (``immutable=1``; ``mode=ro`` while a -wal file shows a live
  database). Tables of another application, or a schema version that is not
  ours, are refused there, in one line, before anything else touches the
  file: no table, no switch to WAL;
- leave half a schema. A new ledger is made in one transaction that holds the
  write lock (``BEGIN IMMEDIATE``; an advisory lock on PostgreSQL), so a
  failure leaves the file as it was, and processes opening the same new file
  at once make the schema once: the others wait, then find it made;
- write to a ledger it may only read. A SQLite file that is read-only, or sits
  in a read-only folder (an archived copy), opens read-only, so ``verify``,
  ``audit``, ``report`` and the listings work, and no -wal/-shm/-journal file
  is made; any write fails in one line (:class:`ReadOnlyLedger`). A read-only
  ledger of an older schema revision is not migrated: the error says which
  revision it has and which this version reads;
- print a password: URLs in messages go through :func:`mask_url`.

``sqlite://`` (no file) is a ledger in memory, gone when the program ends: for
a notebook, a test or ``ledger demo``. An empty URL, or ``sqlite:///`` with no
file after it, is refused rather than read as that.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session

from ledger import interrupts
from ledger.errors import InputError, LedgerError
from ledger.storage.quick_read import (  # the schema's facts, which the standard-library reader checks too
    BUSY_TIMEOUT_SECONDS,
    KNOWN_REVISIONS,
    LEDGER_TABLES,
    SCHEMA_QUERY,
    SCHEMA_REVISION,
    TABLES_QUERY,
)
from ledger.storage.quick_read import DEFAULT_URL  # noqa: F401  (read as engine.DEFAULT_URL by store and seeds)
from ledger.storage.urls import mask_url  # noqa: F401  (ledger.storage.engine.mask_url, as before)

_URL_HINT = "give a ledger file (ledger.db) or a URL (sqlite:///ledger.db, postgresql+psycopg://…)"
# Taken by whoever builds or migrates a PostgreSQL ledger: "ledger" in ASCII.
_PG_SETUP_LOCK = 0x6C6564676572

# Engines opened read-only: why they may only read.
_READ_ONLY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class ReadOnlyLedger(LedgerError):
    """A write to a ledger this process may only read."""


# What reading or writing a table this user was not granted raises (a refused privilege becomes ReadOnlyLedger
# on a write): derived tables such as the kept report results are then simply not used.
REFUSED = (DBAPIError, ReadOnlyLedger)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for other backends and for an in-memory database."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:") or parsed.query.get("mode") == "memory":
        return None  # a SQLite URI: the user chose its options, and we leave them
    return Path(parsed.database)


def shared_by_threads(engine: Engine) -> bool:
    """Whether connections this engine opens in other threads reach the same database (not so for SQLite in
    memory, where each thread's connection is a database of its own)."""
    return engine.dialect.name != "sqlite" or sqlite_path(engine.url.render_as_string(hide_password=False)) is not None


def connect(url: str) -> Engine:
    """An engine for ``url`` with the schema at :data:`SCHEMA_REVISION` (read-only when the file may only be read)."""
    if not url.strip():
        raise InputError("--db", url, "is empty", _URL_HINT)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise InputError("--db", mask_url(url), "is not a database URL", _URL_HINT) from None
    if parsed.get_backend_name() == "sqlite" and parsed.database == "":
        raise InputError("--db", mask_url(url), "names no file",
                         "e.g. sqlite:///ledger.db (sqlite:// alone is a ledger in memory, gone when the program ends)")
    path = sqlite_path(url)
    if path is None:  # another backend, memory, or a SQLite URI: nothing to probe first
        engine = _engine(url, lambda: create_engine(url), mask_url(url))
        _bring_up_to_date(engine, url, mask_url(url), None)
        return engine
    reason = _read_only_reason(path)
    if reason and _wal_pending(path) and not path.with_name(path.name + "-shm").exists():
        raise ReadOnlyLedger(f"{path} is read-only: {reason}, and its -wal file holds changes not yet in it, which SQLite "
                             "reads only with a -shm file it cannot make here; copy the ledger with its -wal file to a "
                             "writable folder to read it")
    probed = _probe(path, url)
    engine = _engine(url, lambda: _sqlite_engine(url, path, reason), str(path))
    if probed is None or not probed.is_current:
        _bring_up_to_date(engine, url, str(path), probed)
    return engine


@dataclass(frozen=True)
class Schema:
    """What a database holds, as far as opening it cares: its tables and alembic's version rows."""

    tables: frozenset[str]
    versions: tuple[str, ...]

    @property
    def is_current(self) -> bool:
        return self.versions == (SCHEMA_REVISION,) and self.tables <= LEDGER_TABLES

    def refuse_unless_ours(self, where: str) -> None:
        """Raise unless this is empty or a ledger this version can open (perhaps after migrating it)."""
        if not self.tables:
            return
        foreign = sorted(self.tables - LEDGER_TABLES)
        unknown = [v for v in self.versions if v not in KNOWN_REVISIONS]
        if unknown and not foreign and {"claim", "history"} <= self.tables:
            raise LedgerError(f"{where} was made by a newer version of ledger (schema revision {', '.join(unknown)}; "
                              f"this one reads up to {SCHEMA_REVISION}): upgrade ledger to open it. It was not changed")
        if foreign or unknown or len(self.versions) != 1:
            shown = foreign or sorted(self.tables)
            listed = ", ".join(shown[:8]) + (f" and {len(shown) - 8} more" if len(shown) > 8 else "")
            what = f"it holds tables: {listed}" + ("" if foreign else ", but no ledger schema version")
            raise InputError("--db", where, f"is not a ledger ({what})", "give a new file or an existing ledger")


def _sqlite_schema(execute) -> Schema:
    """The schema through ``execute(sql) -> first row``, on any SQLite connection."""
    try:
        versions, tables = execute(SCHEMA_QUERY)
    except (sqlite3.OperationalError, OperationalError) as exc:
        if "no such table: alembic_version" not in str(getattr(exc, "orig", exc)):
            raise
        (tables,), versions = execute(TABLES_QUERY), "[]"
    return Schema(frozenset(json.loads(tables)), tuple(json.loads(versions)))


def _schema(conn) -> Schema:
    if conn.dialect.name == "sqlite":
        return _sqlite_schema(lambda sql: conn.exec_driver_sql(sql).one())
    tables = frozenset(inspect(conn).get_table_names())
    versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() if "alembic_version" in tables else ()
    return Schema(tables, tuple(versions))


def _probe(path: Path, url: str) -> Schema | None:
    """The file's schema, read without a lock, a write or a file left beside it (empty if it is not there yet).

    Refuses, in one line, a file that is not SQLite or holds no ledger of ours.
    None if it could not be read so: as another process wrote it, or not at
    all; opening it with locks then finds out.
    """
    try:
        if not path.is_file():
            return Schema(frozenset(), ())
    except OSError:
        return None
    try:
        probe = sqlite3.connect(_file_uri(path), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            schema = _sqlite_schema(lambda sql: probe.execute(sql).fetchone())
        finally:
            probe.close()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) and not _starts_like_sqlite(path):
            raise InputError("--db", str(path), "is not a ledger (not a SQLite database)",
                             "give a new file or an existing ledger") from None
        return None
    schema.refuse_unless_ours(str(path))
    return schema


def _starts_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(16) in (b"SQLite format 3\x00", b"")
    except OSError:
        return True  # unreadable: not ours to call it something else


def _file_uri(path: Path) -> str:
    # immutable=1 reads the file as it is and makes no -wal/-shm/-journal. A -wal
    # file beside it may hold commits not yet in the file: then mode=ro, which reads them.
    return f"{path.resolve().as_uri()}?{'mode=ro' if _wal_pending(path) else 'immutable=1'}"


def _wal_pending(path: Path) -> bool:
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def _read_only_reason(path: Path) -> str | None:
    """Why this process may only read the ledger file, or None if it may write it (or it is still to be made)."""
    if not path.exists():
        return None
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    # Writing takes a -wal or -journal file beside the ledger.
    if not os.access(path.resolve().parent, os.W_OK | os.X_OK):
        return "its folder is read-only"
    return None


# Every write of the ledger commits a Session (the import commits its connection and calls
# interrupts.committing itself); a read never does, so Ctrl-C still stops a long read after a schema
# upgrade's commit on open.
event.listen(Session, "before_commit", lambda _session: interrupts.committing())


def _engine(url: str, make, where: str) -> Engine:
    try:
        engine = make()
    except Exception as exc:  # bad URL or missing driver
        raise InputError("--db", mask_url(url), f"cannot be opened ({_first_line(exc, url)})", "e.g. sqlite:///ledger.db") from None
    event.listen(engine, "handle_error", lambda context: _read_only_in_one_line(context, where))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connection)
        event.listen(engine, "begin", _begin)
    return engine


def _sqlite_engine(url: str, path: Path, read_only: str | None) -> Engine:
    if read_only:
        uri, refusal = _file_uri(path), _refusal(str(path), read_only)

        def reader() -> sqlite3.Connection:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS,
                                   factory=_ReadOnlyConnection)
            conn.refusal = refusal
            return conn

        engine = create_engine(url, creator=reader)
        _READ_ONLY[engine] = read_only
    else:
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
    return engine


def _refusal(where: str, reason: str) -> str:
    return f"{where} is read-only: {reason}; nothing was changed (to record anything, work on a writable copy)"


def _is_read_only_error(error: BaseException) -> bool:
    return isinstance(error, sqlite3.Error) and (getattr(error, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_READONLY


class _ReadOnlyCursor(sqlite3.Cursor):
    """A cursor whose writes fail as :class:`ReadOnlyLedger`, also where code uses the driver directly (bulk writers)."""

    def execute(self, *args):
        try:
            return super().execute(*args)
        except sqlite3.OperationalError as exc:
            self.connection.refuse(exc)

    def executemany(self, *args):
        try:
            return super().executemany(*args)
        except sqlite3.OperationalError as exc:
            self.connection.refuse(exc)


class _ReadOnlyConnection(sqlite3.Connection):
    refusal = "the ledger is read-only"

    def cursor(self, factory=_ReadOnlyCursor):  # Connection.execute comes through here too
        return super().cursor(factory)

    def refuse(self, error: sqlite3.OperationalError):
        if _is_read_only_error(error):
            raise ReadOnlyLedger(self.refusal) from None
        raise error


def _sqlite_connection(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the driver, open transactions: pysqlite would
    # otherwise commit before every CREATE TABLE, and could not take the write
    # lock first (BEGIN IMMEDIATE) for a write that reads what it depends on.
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _begin(conn) -> None:
    """BEGIN, or BEGIN IMMEDIATE for a write: the write lock is taken before the write reads anything."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("ledger_write") else "BEGIN")


def _read_only_in_one_line(context, where: str) -> None:
    """A write refused by the database (the file made read-only since it was opened, a PostgreSQL standby): one line."""
    error = context.original_exception
    if _is_read_only_error(error):
        raise ReadOnlyLedger(_refusal(where, "the database refuses writes")) from None
    if getattr(error, "sqlstate", None) == "25006":  # PostgreSQL: a read-only transaction
        raise ReadOnlyLedger(_refusal(where, str(error).strip().splitlines()[0])) from None
    if getattr(error, "sqlstate", None) == "42501":  # PostgreSQL: this role may read, not write (docs/deployment.md)
        reason = str(error).strip().splitlines()[0]
        raise ReadOnlyLedger(f"{where} refuses this role's writes: {reason}; nothing was changed "
                             "(the database owner grants write access)") from None


def read_only_refusal(engine: Engine) -> str | None:
    """The one line a write to this engine's ledger fails with, or None if it may be written.

    For code that writes around the engine (a bulk writer in another
    process), so that it refuses as early and in the same words.
    """
    reason = _READ_ONLY.get(engine)
    return _refusal(str(sqlite_path(str(engine.url))), reason) if reason else None


def write_engine(engine: Engine) -> Engine:
    """The same database, for writes: on SQLite each transaction takes the write lock first (BEGIN IMMEDIATE).

    A read-only ledger gets its reading engine back: a write then fails in
    one line when it writes, not when it begins.
    """
    return engine if engine in _READ_ONLY else engine.execution_options(ledger_write=True)


def _bring_up_to_date(engine: Engine, url: str, where: str, probed: Schema | None) -> None:
    """Make or migrate the schema, in one transaction under the write lock, or say in one line why not.

    ``probed`` is what the file held when probed (empty if it was not there);
    None where nothing was probed, and the schema is read here first.
    """
    try:
        if probed is None:
            with engine.connect() as conn:
                probed = _schema(conn)
            probed.refuse_unless_ours(where)
            if probed.is_current:
                return
        read_only = _READ_ONLY.get(engine)
        if read_only:
            _refuse_read_only(where, read_only, probed)
        if not probed.tables and sqlite_path(url) is not None:
            _use_wal(engine)
        # Several processes may open a new ledger at once: the first to take the
        # write lock builds the schema; the others find it built.
        with write_engine(engine).begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_SETUP_LOCK})
            schema = _schema(conn)
            schema.refuse_unless_ours(where)
            if not schema.is_current:
                _upgrade(conn)
    except LedgerError:
        raise
    except Exception as exc:
        raise LedgerError(f"cannot open ledger at {mask_url(url)}: {_first_line(exc, url)}") from None


def _use_wal(engine: Engine) -> None:
    """Switch a new file to WAL: persistent, and impossible inside a transaction, so done before it is built.

    The switch needs the file to itself and, unlike other locks, does not wait
    for it: where several processes make the same new ledger, it is tried again.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        while True:
            try:
                driver.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.005)


def _refuse_read_only(where: str, reason: str, probed: Schema) -> None:
    if not probed.tables:
        raise ReadOnlyLedger(f"{where} is read-only: {reason}, and it holds no ledger yet")
    raise ReadOnlyLedger(f"{where} is read-only: {reason}, and its schema revision is {', '.join(probed.versions)}, "
                         f"older than {SCHEMA_REVISION}, which this version reads; open a writable copy, which is "
                         "brought up to date, or read it with the ledger version that wrote it")


def _upgrade(conn) -> None:
    """Every revision up to head, on ``conn``, inside its transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).resolve().parent.parent / "migrations"))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


def _first_line(exc: BaseException, url: str) -> str:
    line = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    line = line[0] if line else type(exc).__name__
    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):
        password = None
    return line.replace(password, "***") if password else line

