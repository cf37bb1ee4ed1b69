"""`ledger copy`: a whole ledger moved between backends with its history chain intact.

In the SQLite run both ends are SQLite files; in the PostgreSQL run (``--postgres``) the test's own
ledger is on the server, so the copy goes PostgreSQL → SQLite and back.
"""

from __future__ import annotations

import json

from ledger import open_ledger


def _state(cli, *db: str) -> tuple:
    return (cli.run(*db, "report", "--all", "-f", "json").stdout, cli.json(*db, "claim", "list"),
            cli.json(*db, "log"), cli.run(*db, "audit", "3").stdout, cli.json(*db, "source", "list"))


def test_copy_there_and_back_keeps_the_history_head_and_every_read(cli, tmp_path, isolated_db, postgres):
    cli.run("demo")
    cli.run("claim", "correct", "3", "--value", "about 45", "--reason", "rounded in a later post")
    cli.run("claim", "retract", "2", "--reason", "misread")
    cli.run("event", "merge", "ISIS attacks on Ghweran prison", "Ghweran prison attack")
    before = _state(cli)
    head = cli.json("verify")["head"]
    elsewhere = str(tmp_path / "elsewhere.db")
    said = cli.run("copy", "--to", elsewhere).stdout
    assert said == f"copied 11 claims, 11 sources, 1 document, 26 history entries; history head {head[:12]} verified in the copy\n"
    assert _state(cli, "--db", elsewhere) == before and cli.json("--db", elsewhere, "verify")["head"] == head
    if postgres is not None:
        postgres.drop(isolated_db)  # the server's ledger emptied: the copy comes back into it
        back = isolated_db
    else:
        back = str(tmp_path / "back.db")
    cli.run("copy", "--from", elsewhere, "--to", back)
    assert _state(cli, "--db", back) == before
    cli.run("--db", back, "claim", "add", "-e", "E", "-m", "killed", "--value", "3", "-s", "SOHR")  # ids go on from 12
    assert cli.json("--db", back, "claim", "show", "12")["said_by"] == "Syrian Observatory for Human Rights"


def test_copy_refuses_a_target_that_holds_anything_and_changes_nothing(cli, tmp_path):
    cli.run("demo")
    target = str(tmp_path / "used.db")
    cli.run("--db", target, "source", "add", "Reuters")
    before = cli.json("--db", target, "log")
    refused = cli.run("copy", "--to", target, code=2)
    assert refused.stderr == f"error: --to: 'sqlite:///{target}' already holds a ledger; copy fills an empty ledger; give a new one\n"
    assert cli.json("--db", target, "log") == before
    empty = str(tmp_path / "empty.db")
    open_ledger(f"sqlite:///{empty}").store.engine.dispose()  # a ledger made, with nothing in it
    assert cli.run("copy", "--from", empty, "--to", str(tmp_path / "x.db"), code=2).stderr.startswith(
        f"error: --from: 'sqlite:///{empty}' is an empty ledger; nothing to copy")


def test_copy_never_prints_a_password(cli):
    cli.run("source", "add", "Reuters")
    result = cli.run("copy", "--to", "postgresql+psycopg://reporter:s3cret-pw@127.0.0.1:1/ledger", ok=False)
    assert result.exit_code in (1, 2) and "s3cret-pw" not in result.output and "reporter:***@" in result.output
    assert [e["action"] for e in json.loads(cli.run("log", "--json").stdout)] == ["source.add"]


def test_copy_names_the_option_of_a_file_that_is_not_a_ledger(cli, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n", encoding="utf-8")
    cli.run("demo")
    for args, field in ((("--from", str(notes), "--to", str(tmp_path / "a.db")), "--from"), (("--to", str(notes)), "--to")):
        refused = cli.run("copy", *args, code=2)
        assert refused.stderr == f"error: {field}: {str(notes)!r} is not a ledger (not a SQLite database); give a new file or an existing ledger\n"
    assert notes.read_text(encoding="utf-8") == "hello\n" and not (tmp_path / "a.db").exists()

