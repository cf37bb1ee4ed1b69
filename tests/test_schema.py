"""The alembic revisions build exactly the schema the SQLModel tables describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.config import Config
from pathlib import Path

from ledger.storage import engine, store
from ledger.storage.tables import SourceRow  # noqa: F401  (registers every table)
from sqlmodel import SQLModel


def test_blank_database_gets_the_model_schema(tmp_path):
    ledger = store.open_store(f"sqlite:///{tmp_path / 'blank.db'}")
    with ledger.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_schema_revision_is_the_alembic_head():
    config = Config()
    config.set_main_option("script_location", str(Path(engine.__file__).resolve().parent.parent / "migrations"))
    assert ScriptDirectory.from_config(config).get_current_head() == engine.SCHEMA_REVISION


def test_reopening_an_up_to_date_ledger_runs_no_migration(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'again.db'}"
    store.open_store(url)
    import alembic.command

    def refuse(*_args, **_kwargs):
        raise AssertionError("migration ran on an up-to-date ledger")

    monkeypatch.setattr(alembic.command, "upgrade", refuse)
    store.open_store(url).list_sources()
