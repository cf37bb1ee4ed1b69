"""Opening a ledger's database: the URL, the engine, the schema brought up to date.

One URL picks the backend (``sqlite:///ledger.db`` by default, PostgreSQL for
teams). The schema comes from alembic revisions applied on open; opening an
up-to-date database costs one query.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine

from ledger.errors import InputError, LedgerError

SCHEMA_REVISION = "0002"
DEFAULT_URL = "sqlite:///ledger.db"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def connect(url: str) -> Engine:
    """An engine for ``url`` with the schema at :data:`SCHEMA_REVISION`."""
    try:
        engine = create_engine(url)
    except Exception as exc:  # bad URL or missing driver
        raise InputError("--db", url, f"cannot be opened ({exc})", "e.g. sqlite:///ledger.db") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    _migrate(engine, url)
    return engine


def _migrate(engine: Engine, url: str) -> None:
    try:
        with engine.begin() as conn:
            if _current_revision(conn) == SCHEMA_REVISION:
                return
            from alembic.config import Config
            from alembic import command

            config = Config()
            config.set_main_option("script_location", str(Path(__file__).resolve().parent.parent / "migrations"))
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except LedgerError:
        raise
    except Exception as exc:
        cause = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise LedgerError(f"cannot open ledger at {url}: {cause}") from None


def _current_revision(conn) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
