"""Opening a database: never changing one that is not a ledger, making a new one whole, reading one it may not write.

The read-only cases run the CLI in a child process that truly cannot write:
as root (where chmod stops nothing) the child runs without the capabilities
that let root past file permissions (``setpriv --bounding-set``), so a chmod'ed
file or folder is read-only to it as to any user; the child checks that first.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from ledger import open_ledger
from ledger.cli import app
from ledger.errors import InputError, LedgerError
from ledger.storage import engine


def fingerprint(path: Path) -> tuple[str, list[str]]:
    """The file's bytes (sha256) and what lies beside it in its folder."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), sorted(p.name for p in path.parent.iterdir())


def journal_mode(path: Path) -> str:
    """The journal mode the file records (its header's read and write versions: 2 for WAL), read without opening it."""
    header = path.read_bytes()[:20]
    return "wal" if header[18:20] == b"\x02\x02" else "rollback"


def one_error_line(result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def tables(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return sorted(n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))


def build_revision_0001(path: Path) -> None:
    """A ledger as the first released schema made it, with a claim relayed through a second source."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    made = create_engine(f"sqlite:///{path}")
    with made.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(Path(engine.__file__).resolve().parent.parent / "migrations"))
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    made.dispose()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executemany("INSERT INTO source VALUES (?, ?, 'media', NULL, NULL, NULL)", [(1, "Reuters"), (2, "AFP")])
        conn.execute("INSERT INTO claim (id, event, event_key, metric, value_text, value_low, value_kind, said_by_id, "
                     "quote_verified, recorded_at, retracted) VALUES (1, 'A', 'a', 'killed', '5', 5, 'exact', 1, 0, "
                     "'2022-01-22T10:00:00+00:00', 0)")
        conn.execute("INSERT INTO claim_relay VALUES (1, 0, 2)")
        conn.commit()


# -- a database that is not a ledger ---------------------------------------------


@pytest.fixture
def other_app(tmp_path):
    """Another application's SQLite file, in WAL mode as many are, with a table named like one of ours."""
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER)")
        conn.execute("CREATE TABLE claim (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO users VALUES (1, 'ada')")
        conn.commit()
    return path


@pytest.mark.parametrize("args", [("claim", "list"), ("source", "add", "Reuters"), ("verify",), ("report",)])
def test_a_database_of_another_application_is_refused_and_left_as_it_was(cli, other_app, args):
    before, mode = fingerprint(other_app), journal_mode(other_app)
    line = one_error_line(cli.run("--db", "other.db", *args, code=2), 2)
    assert line == ("error: --db: 'other.db' is not a ledger (it holds tables: orders, users); "
                    "give a new file or an existing ledger\n")
    assert fingerprint(other_app) == before  # same bytes, and no -wal, -shm or -journal left beside it
    assert journal_mode(other_app) == mode == "wal"


def test_a_rollback_journal_database_keeps_its_journal_mode(cli, tmp_path):
    path = tmp_path / "notes.sqlite"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE note (body TEXT)")
        conn.commit()
    before = fingerprint(path)
    assert "is not a ledger (it holds tables: note)" in one_error_line(cli.run("--db", str(path), "claim", "list", code=2), 2)
    assert fingerprint(path) == before and journal_mode(path) == "rollback"


def test_a_file_that_is_not_sqlite_is_refused_and_left_as_it_was(cli, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my notes, not a database\n" * 200, encoding="utf-8")
    before = fingerprint(path)
    line = one_error_line(cli.run("--db", "notes.txt", "source", "list", code=2), 2)
    assert line.startswith("error: --db: 'notes.txt' is not a ledger (not a SQLite database)")
    assert fingerprint(path) == before


def test_tables_of_a_ledger_without_its_schema_version_are_not_taken_for_one(cli, tmp_path):
    path = tmp_path / "half.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE source (id INTEGER PRIMARY KEY)")
        conn.commit()
    before = fingerprint(path)
    line = one_error_line(cli.run("--db", "half.db", "source", "list", code=2), 2)
    assert "is not a ledger (it holds tables: source, but no ledger schema version)" in line
    assert fingerprint(path) == before


def test_a_ledger_of_a_newer_version_is_refused_without_change(cli, tmp_path):
    path = tmp_path / "future.db"
    book = open_ledger(f"sqlite:///{path}")
    book.add_source("Reuters", kind="media")
    book.store.engine.dispose()  # closed, so the -wal is folded into the file
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
    before = fingerprint(path)
    line = one_error_line(cli.run("--db", "future.db", "source", "list", code=1), 1)
    assert "future.db was made by a newer version of ledger (schema revision 9999" in line
    assert fingerprint(path) == before


def test_an_empty_existing_file_becomes_a_ledger(cli, tmp_path):
    (tmp_path / "empty.db").touch()
    cli.run("--db", "empty.db", "source", "add", "Reuters", "--kind", "media")
    assert [s["name"] for s in cli.json("--db", "empty.db", "source", "list")] == ["Reuters"]
    assert journal_mode(tmp_path / "empty.db") == "wal"


# -- making the schema -------------------------------------------------------------


def test_a_setup_that_fails_half_way_leaves_no_table_and_can_be_tried_again(tmp_path, monkeypatch):
    import alembic.command

    real_upgrade = alembic.command.upgrade

    def upgrade_then_fail(config, revision):
        real_upgrade(config, revision)  # every table made ...
        raise RuntimeError("disk full")  # ... then the setup fails

    path = tmp_path / "new.db"
    monkeypatch.setattr(alembic.command, "upgrade", upgrade_then_fail)
    with pytest.raises(LedgerError, match="cannot open ledger at sqlite:///.*: disk full"):
        engine.connect(f"sqlite:///{path}")
    assert tables(path) == []
    monkeypatch.setattr(alembic.command, "upgrade", real_upgrade)
    open_ledger(f"sqlite:///{path}").add_source("Reuters", kind="media")
    assert "alembic_version" in tables(path)


def test_a_ledger_of_an_older_revision_is_migrated_in_place_keeping_its_claims(tmp_path):
    path = tmp_path / "old.db"
    build_revision_0001(path)
    claim = open_ledger(f"sqlite:///{path}").list_claims()[0]
    assert (claim.said_by, claim.via, claim.value.text) == ("Reuters", ("AFP",), "5")
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(engine.SCHEMA_REVISION,)]


def test_the_revisions_and_tables_opening_accepts_are_those_the_migrations_and_model_make():
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlmodel import SQLModel

    import ledger.storage.tables  # noqa: F401  (registers every table)

    config = Config()
    config.set_main_option("script_location", str(Path(engine.__file__).resolve().parent.parent / "migrations"))
    assert set(engine.KNOWN_REVISIONS) == {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    assert engine.LEDGER_TABLES == {*SQLModel.metadata.tables, "alembic_version"}


def test_opening_an_up_to_date_ledger_is_one_query_on_a_connection_that_cannot_write(tmp_path, monkeypatch):
    path = tmp_path / "ledger.db"
    open_ledger(f"sqlite:///{path}").add_source("Reuters", kind="media")
    statements, real_connect = [], sqlite3.connect

    def traced(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", traced)  # the module SQLAlchemy's driver calls
    engine.connect(f"sqlite:///{path}")
    assert len(statements) == 1 and statements[0].startswith("SELECT"), statements


def _open_at_the_barrier(url: str, barrier, turn, worker: int) -> None:
    barrier.wait()
    book = open_ledger(url, user=f"worker-{worker}")
    with turn:  # writes one after another: this test is about opening (tests/test_concurrency.py races writes)
        book.add_source(f"Source {worker}", kind="media")


def test_four_processes_opening_a_new_ledger_at_once_make_one_schema(cli, tmp_path):
    context = multiprocessing.get_context("fork")  # already imported: the four start within a millisecond
    for attempt in range(3):
        path = tmp_path / f"new-{attempt}.db"
        barrier, turn = context.Barrier(4), context.Lock()
        workers = [context.Process(target=_open_at_the_barrier, args=(f"sqlite:///{path}", barrier, turn, w)) for w in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [w.exitcode for w in workers] == [0, 0, 0, 0]
        assert sorted(s["name"] for s in cli.json("--db", str(path), "source", "list")) == [f"Source {w}" for w in range(4)]
        assert cli.run("--db", str(path), "verify").stdout.startswith("ok:")
        with closing(sqlite3.connect(path)) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(engine.SCHEMA_REVISION,)]


# -- URLs: empty, in memory, with a password -----------------------------------


def test_an_empty_db_option_or_variable_is_refused(cli, monkeypatch, tmp_path):
    line = one_error_line(cli.run("--db", "", "source", "list", code=2), 2)
    assert line.startswith("error: --db: '' is empty; give a ledger file")
    monkeypatch.setenv("LEDGER_DB", "")
    assert one_error_line(cli.run("source", "list", code=2), 2).startswith("error: LEDGER_DB: '' is empty")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # not the working directory's ledger.db either
    for url in ("", " ", "sqlite:///"):
        with pytest.raises(InputError, match="--db: .* (is empty|names no file)"):
            engine.connect(url)


def test_an_explicit_in_memory_url_is_a_scratch_ledger_for_the_library():
    book = open_ledger("sqlite://")
    book.add_source("Reuters", kind="media")
    assert [s.name for s in book.list_sources()] == ["Reuters"]


@pytest.mark.parametrize("url", ["postgresql+psycopg://user:s3cret@127.0.0.1:1/x", "sqlite://user:s3cret@/missing/folder/x.db",
                                 "postgresql://user:s3cret@host:notaport/x"])
def test_a_password_in_the_url_is_never_printed(cli, url):
    result = cli.run("--db", url, "source", "list", ok=False)
    assert result.exit_code in (1, 2)
    assert "s3cret" not in result.output and "user:***@" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_password_the_driver_repeats_when_the_connection_is_refused_is_masked(cli, monkeypatch):
    from sqlalchemy import create_engine

    def refused():  # as a driver may word it, the connection string included
        raise sqlite3.OperationalError('connection to "postgresql://user:s3cret@127.0.0.1:1/x" failed: Connection refused')

    monkeypatch.setattr(engine, "create_engine", lambda url, **_: create_engine("sqlite://", creator=refused))
    line = one_error_line(cli.run("--db", "postgresql+psycopg://user:s3cret@127.0.0.1:1/x", "source", "list", code=1), 1)
    assert line == ("error: cannot open ledger at postgresql+psycopg://user:***@127.0.0.1:1/x: "
                    'connection to "postgresql://user:***@127.0.0.1:1/x" failed: Connection refused\n')


def test_mask_url_hides_only_the_password():
    mask_url = engine.mask_url
    assert mask_url("postgresql+psycopg://user:s3cret@db.example:5432/ledger") == "postgresql+psycopg://user:***@db.example:5432/ledger"
    assert mask_url("postgresql://user:s3cret@host:notaport/x") == "postgresql://user:***@host:notaport/x"
    assert mask_url("sqlite:///ledger.db") == "sqlite:///ledger.db"


# -- read-only ledgers -------------------------------------------------------------

READS = [("verify",), ("audit", "1"), ("report",), ("claim", "list"), ("source", "list"), ("doc", "list"), ("log",)]
WRITES = [("source", "add", "Newcomer"), ("claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "--value", "5", "-s", "SOHR"),
          ("import", "rows.jsonl")]

# Run in the child: proves it cannot write what it was given, then runs each command through the CLI.
CHILD = """
import json, sys
from typer.testing import CliRunner
from ledger.cli import app
jobs = json.loads(sys.argv[1])
out = {}
for label, job in jobs.items():
    try:
        open(job["must_not_write"], "ab").close()
        out[label] = {"privileged": True}
        continue
    except PermissionError:
        pass
    runs = []
    for args in job["commands"]:
        r = CliRunner().invoke(app, ["--db", job["db"], *args])
        runs.append({"code": r.exit_code, "stdout": r.stdout, "stderr": r.stderr, "crash": repr(r.exception) if r.exit_code not in (0, 1, 2) else None})
    out[label] = {"runs": runs}
    if job.get("refusal"):  # what a bulk writer working around the engine is told to refuse with
        from ledger.storage.engine import connect, read_only_refusal
        out[label]["refusal"] = read_only_refusal(connect("sqlite:///" + job["db"]))
print(json.dumps(out))
"""


def run_unprivileged(jobs: dict) -> dict:
    """Run CHILD as a process that file permissions bind, even when the tests run as root."""
    command = [sys.executable, "-c", CHILD, json.dumps(jobs)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "running as root, these tests need setpriv (util-linux) to drop the right to ignore permissions"
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner,-linux_immutable", "--", *command]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "LEDGER_USER": "reader"}, cwd=next(iter(jobs.values()))["cwd"])
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory):
    """The demo's ledger in WAL mode, and what each read command prints on it while it is writable."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "ledger.db"
    from typer.testing import CliRunner

    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--db", str(path)]).exit_code == 0
    expected = {args: runner.invoke(app, ["--db", str(path), *args]) for args in READS}
    assert all(r.exit_code == 0 for r in expected.values())
    with closing(sqlite3.connect(path)) as conn:  # every commit into the file itself, so that a copy of it is whole
        assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    assert journal_mode(path) == "wal"
    return path, {args: r.stdout for args, r in expected.items()}


def test_a_read_only_ledger_reads_as_before_and_refuses_writes_in_one_line(cli, demo_ledger, tmp_path):
    original, expected = demo_ledger
    (tmp_path / "rows.jsonl").write_text(json.dumps({"event": "A", "metric": "killed", "value": "7", "said_by": "SOHR"}) + "\n")
    writable = tmp_path / "writable"
    writable.mkdir()
    shutil.copy(original, writable / "ledger.db")
    for args in WRITES:  # each write works on a writable copy: a refusal below is the read-only file's doing
        cli.run("--db", str(writable / "ledger.db"), *args)

    read_only_file = tmp_path / "file" / "ledger.db"  # chmod 444 in a folder it could write
    read_only_folder = tmp_path / "folder" / "ledger.db"  # a writable file in a chmod 555 folder: no -wal, -shm, -journal
    old = tmp_path / "old" / "ledger.db"  # schema revision 0001, read-only: not migrated
    live = tmp_path / "live" / "ledger.db"  # copied with a -wal file holding a commit, into a chmod 555 folder
    for path in (read_only_file, read_only_folder, old, live):
        path.parent.mkdir()
    shutil.copy(original, read_only_file)
    shutil.copy(original, read_only_folder)
    build_revision_0001(old)
    copy_with_pending_wal(original, live)
    for path in (read_only_file, old):
        path.chmod(0o444)
    for path in (read_only_folder, live):
        path.parent.chmod(0o555)
    before = {path: fingerprint(path) for path in (read_only_file, read_only_folder, old, live)}
    try:
        results = run_unprivileged({
            "file": {"db": str(read_only_file), "must_not_write": str(read_only_file), "cwd": str(tmp_path),
                     "commands": [*READS, *WRITES], "refusal": True},
            "folder": {"db": str(read_only_folder), "must_not_write": str(read_only_folder.parent / "x"),
                       "cwd": str(tmp_path), "commands": [*READS, *WRITES]},
            "old": {"db": str(old), "must_not_write": str(old), "cwd": str(tmp_path), "commands": [("claim", "list")]},
            "live": {"db": str(live), "must_not_write": str(live.parent / "x"), "cwd": str(tmp_path),
                     "commands": [("source", "list")]},
        })
    finally:
        for path in (read_only_folder, live):
            path.parent.chmod(0o755)
    assert {label: "privileged" in result for label, result in results.items()} == dict.fromkeys(results, False)
    for label, path in (("file", read_only_file), ("folder", read_only_folder)):
        runs = results[label]["runs"]
        for args, run in zip(READS, runs):
            assert (run["code"], run["stdout"], run["stderr"]) == (0, expected[args], ""), (label, args, run)
        for args, run in zip(WRITES, runs[len(READS):]):
            assert run["code"] == 1 and run["stdout"] == "" and run["stderr"].count("\n") == 1, (label, args, run)
            reason = "the file is read-only" if label == "file" else "its folder is read-only"
            assert run["stderr"].startswith(f"error: {path} is read-only: {reason}; nothing was changed"), (label, args, run)
    assert results["file"]["refusal"] == results["file"]["runs"][-1]["stderr"].removeprefix("error: ").rstrip("\n")
    (run,) = results["old"]["runs"]
    assert run["code"] == 1 and run["stderr"].count("\n") == 1
    assert f"{old} is read-only: the file is read-only, and its schema revision is 0001, older than" in run["stderr"]
    (run,) = results["live"]["runs"]
    assert run["code"] == 1 and run["stderr"].count("\n") == 1
    assert run["stderr"].startswith(f"error: {live} is read-only: its folder is read-only, and its -wal file holds changes")
    assert {path: fingerprint(path) for path in before} == before


def copy_with_pending_wal(original: Path, target: Path) -> None:
    """``original`` copied to ``target`` as a running ledger leaves it: a commit still in its -wal file."""
    with closing(sqlite3.connect(target)) as conn:
        with closing(sqlite3.connect(original)) as source:
            source.backup(conn)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("UPDATE source SET grade = 'A' WHERE id = 1")
        conn.commit()
        # Closing would fold the -wal into the file: copy both first, as a backup of a running ledger would.
        shutil.copy(target, target.with_name("copy.db"))
        shutil.copy(target.with_name("ledger.db-wal"), target.with_name("copy.db-wal"))
    target.unlink()
    target.with_name("copy.db").rename(target)
    target.with_name("copy.db-wal").rename(target.with_name("ledger.db-wal"))
    assert target.with_name("ledger.db-wal").stat().st_size > 0
