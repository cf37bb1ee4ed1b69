"""What only PostgreSQL has: its access control (a role that may only read, as docs/deployment.md sets it
up), its column types, and the bulk import through COPY.

These need a real server (``--postgres``; ``scripts/test`` always gives one). SQLite's read-only
ledgers (a read-only file or folder) are tested in test_opening.py.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def reader_url(postgres):
    """The test's ledger, as a role granted SELECT only (made once per server)."""
    import sqlalchemy

    with postgres.tests.connect() as conn:
        conn.exec_driver_sql("DO $$ BEGIN CREATE ROLE ledger_reader LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        conn.exec_driver_sql("GRANT USAGE ON SCHEMA public TO ledger_reader")
        conn.exec_driver_sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO ledger_reader")
    return sqlalchemy.make_url(postgres.url).set(username="ledger_reader").render_as_string(hide_password=False)


def test_a_read_only_role_reads_everything_and_each_write_is_one_line_changing_nothing(cli, reader_url):
    cli.run("demo")
    owner_report = cli.run("report").stdout
    assert cli.run("--db", reader_url, "report").stdout == owner_report
    assert cli.run("--db", reader_url, "verify").stdout.startswith("ok: 23 entries")
    before = cli.json("log")
    for args in (("claim", "retract", "1", "--reason", "x"), ("source", "add", "Reuters Arabic"),
                 ("claim", "add", "-e", "E", "-m", "killed", "--value", "3", "-s", "SOHR"), ("event", "merge", "a", "b")):
        result = cli.run("--db", reader_url, *args, ok=False)
        lines = result.stderr.splitlines()
        assert result.exit_code in (1, 2) and len(lines) == 1 and lines[0].startswith("error: "), (args, result.output)
        if result.exit_code == 1:
            assert "refuses this role's writes: permission denied for table" in lines[0], lines[0]
            assert "nothing was changed" in lines[0]
    assert cli.json("log") == before


def test_a_role_not_granted_the_kept_results_still_gets_the_report(cli, reader_url, postgres):
    """As after an upgrade added the kept tables to a ledger whose grants were made before: judged afresh."""
    cli.run("demo")
    owner_report = cli.run("report").stdout.split("Made ")[0]
    with postgres.tests.connect() as conn:
        conn.exec_driver_sql("REVOKE SELECT ON kept_report, kept_event, kept_name, kept_text FROM ledger_reader")
    try:
        assert cli.run("--db", reader_url, "report").stdout.split("Made ")[0] == owner_report
        assert cli.run("--db", reader_url, "claim", "list").exit_code == 0
        assert cli.run("--db", reader_url, "verify").stdout.startswith("ok: 23 entries")
    finally:
        with postgres.tests.connect() as conn:
            conn.exec_driver_sql("GRANT SELECT ON kept_report, kept_event, kept_name, kept_text TO ledger_reader")


def test_the_backend_is_the_one_asked_for(isolated_db, postgres):
    from ledger import open_ledger

    assert isolated_db == postgres.url
    with open_ledger().store.engine.connect() as conn:
        assert conn.dialect.name == "postgresql"
        bigint = conn.exec_driver_sql("SELECT data_type FROM information_schema.columns "
                                      "WHERE table_name = 'history' AND column_name = 'seq'").scalar()
    assert bigint == "bigint"  # revision 0004: ids up to 2^63-1, as on SQLite


def test_a_bulk_import_goes_through_copy_and_reads_back_as_recorded(cli, tmp_path, monkeypatch):
    from ledger.storage import writers

    used = []
    real = writers.PostgresCopyWriter.write
    monkeypatch.setattr(writers.PostgresCopyWriter, "write", lambda self, inserts: (used.append(len(inserts)), real(self, inserts)))
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        '{"record": "source", "name": "SOHR", "kind": "ngo", "grade": "B"}\n'
        '{"record": "document", "id": 1, "outlet": "SOHR", "published": "2022-01-22", "text": "At least 136 people were killed."}\n'
        '{"event": "A", "metric": "killed", "value": "at least 136", "said_by": "SOHR", "doc": 1, '
        '"quote": "At least 136 people were killed", "via": ["Reuters"], "retracted": true}\n', encoding="utf-8")
    cli.run("import", str(rows), "--create-sources")
    assert used  # the rows went through COPY
    claim = cli.json("claim", "show", "1")
    assert (claim["value"]["low"], claim["quote_verified"], claim["via"], claim["retracted"]) == (136, True, ["Reuters"], True)
    assert cli.json("doc", "show", "1")["published"] == "2022-01-22"
    assert cli.run("verify").stdout.startswith("ok: ")
    cli.run("claim", "add", "-e", "A", "-m", "killed", "--value", "140", "-s", "SOHR")  # the id sequences moved on
    assert [c["id"] for c in cli.json("claim", "list")] == [1, 2]


def test_a_bad_row_after_batches_went_to_the_server_rolls_everything_back(cli, tmp_path, monkeypatch):
    from ledger.storage import importer

    monkeypatch.setattr(importer, "BATCH", 3)  # batches of 3: the first rows are COPYed before the bad one is read
    cli.run("source", "add", "SOHR")
    good = "".join(f'{{"event": "A", "metric": "killed", "value": "{n}", "said_by": "SOHR"}}\n' for n in range(10))
    rows = tmp_path / "rows.jsonl"
    rows.write_text(good + '{"event": "A", "metric": "killed", "value": "a lot of", "said_by": "SOHR"}\n', encoding="utf-8")
    before = cli.json("log")
    refused = cli.run("import", str(rows), code=2)
    assert refused.stderr.startswith("error: 1 problem in ") and f"{rows}:11: value:" in refused.stderr
    assert cli.json("claim", "list") == [] and cli.json("log") == before
    rows.write_text(good, encoding="utf-8")
    assert cli.run("import", str(rows)).stdout.splitlines()[0] == "imported 10 claims (ids 1–10)"
    assert cli.run("verify").stdout.startswith("ok: 12 entries, 10 claims")


# Edits behind the tool's back, made on the server with its own SQL: verify names each (the full table of
# tamperings runs on SQLite in test_every_command_and_table.py; these are the shapes PostgreSQL types differently).
TAMPERINGS = [
    ("UPDATE claim SET value_text = '60', value_low = 60, value_high = 60, value_best = 60 WHERE id = 3",
     'claim 3: stored value "60" differs from history ("45")'),
    ("UPDATE claim SET retracted = true WHERE id = 1", "claim 1: stored retracted"),
    ("DELETE FROM claim WHERE id = 1", "claim 1: in the history but not in the tables"),
    ("UPDATE document SET text = replace(text, '45 fighters', '55 fighters') WHERE id = 1", "document 1: stored text hashes to "),
    ("UPDATE source SET grade = 'A' WHERE id = 1", "source 1: stored grade"),
    ("UPDATE history SET payload = replace(payload, '\"28\"', '\"38\"') WHERE subject = 'claim:2' AND action = 'claim.add'",
     "entry 14 (claim.add claim:2): contents do not match its hash (altered after recording)"),
    ("UPDATE history SET \"user\" = 'someone else' WHERE seq = 5", "entry 5 (source.add source:5): contents do not match its hash"),
]


@pytest.mark.parametrize("edit, names", TAMPERINGS, ids=[names[:40] for _, names in TAMPERINGS])
def test_verify_names_an_edit_made_on_the_server(cli, postgres, edit, names):
    cli.run("demo")
    assert cli.run("verify").stdout.startswith("ok: 23 entries")
    with postgres.tests.connect() as conn:
        for statement in edit.split("; "):
            assert conn.exec_driver_sql(statement).rowcount >= 1, statement
    result = cli.run("verify", ok=False)
    lines = result.stdout.splitlines()
    assert result.exit_code == 1 and lines[-1].startswith("FAILED: "), result.output
    assert any(line.startswith(names) for line in lines[:-1]), result.stdout


@pytest.mark.parametrize("stop", ["SIGINT", "SIGKILL"])
def test_an_import_stopped_midway_leaves_all_or_nothing(cli, isolated_db, tmp_path, stop):
    """Ctrl-C or a kill while the COPY thread has batches on the wire: the server keeps none of them."""
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import synth

    data = tmp_path / "claims.jsonl"
    synth.write_jsonl(data, 30_000, quotes=False)
    cli.run("source", "add", "Syrian Observatory for Human Rights", "--alias", "SOHR")
    command = [sys.executable, "-c", "from ledger.cli import main; main()", "--db", isolated_db, "import", str(data), "--create-sources"]
    started = time.monotonic()
    subprocess.run([*command, "--dry-run"], check=True, capture_output=True)  # reads and checks it all, writes nothing
    checking = time.monotonic() - started
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(0.6 * checking)  # past start-up, batches on their way to the server; the writes make the real run longer
    assert proc.poll() is None, "the import ended before it could be stopped: nothing was tested"
    proc.send_signal(getattr(signal, stop))
    proc.wait(timeout=60)
    count = len(cli.json("claim", "list"))
    assert count in (0, 30_000), f"{count} of 30,000 claims landed after {stop}"
    if stop == "SIGINT" and proc.returncode != 0:
        message = proc.stderr.read().decode()
        assert message.startswith("error: interrupted") and len(message.splitlines()) == 1, message
    assert cli.run("verify").stdout.startswith("ok: ")
