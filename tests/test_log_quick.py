"""`ledger log -n N` and `ledger claim list` read an up-to-date SQLite ledger with the standard library alone
(the listing when the last report kept the names at its head), and give what the ledger's own reader gives;
any other ledger is opened as every command opens it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

from ledger.api import open_ledger, read_log
from ledger.storage import quick_read

LEDGER_IN_CHILD = ("import atexit, sys\n"
                   "atexit.register(lambda: print('sqlalchemy loaded:', 'sqlalchemy' in sys.modules, file=sys.stderr))\n"
                   "from ledger.cli import main\nmain()\n")


@pytest.fixture
def demo(cli, isolated_db):
    cli.run("demo")
    return isolated_db


@pytest.mark.parametrize("since, limit, newest_first", [
    (0, 10, True), (0, 10, False), (5, 3, True), (5, 3, False), (0, 0, True), (22, 10, True), (23, 5, False), (0, 100, True),
])
def test_read_log_gives_what_the_ledger_gives(demo, since, limit, newest_first):
    expected = list(open_ledger(demo).log(since, limit=limit, newest_first=newest_first))
    assert list(read_log(demo, since, limit, newest_first)) == expected
    assert len(expected) == min(limit, max(0, 23 - since))


def test_the_quick_path_is_taken_on_a_current_sqlite_file(demo, monkeypatch):
    if not demo.startswith("sqlite:///"):
        assert quick_read.history_page(demo, 0, 5, True) is None  # PostgreSQL: always the engine
        return
    page = quick_read.history_page(demo, 0, 5, True)
    assert [e.seq for e in page] == [23, 22, 21, 20, 19]


def test_log_starts_without_sqlalchemy_and_prints_the_newest_entries(demo, cli):
    if not demo.startswith("sqlite:///"):
        return  # a PostgreSQL ledger is read through the engine: test_read_log_gives_what_the_ledger_gives holds it
    done = subprocess.run([sys.executable, "-c", LEDGER_IN_CHILD, "log", "-n", "2"], capture_output=True, text=True,
                          env={**os.environ, "LEDGER_DB": demo}, check=True)
    assert done.stderr.strip() == "sqlalchemy loaded: False"
    assert done.stdout == cli.run("log", "-n", "2").stdout
    assert [line.split()[0] for line in done.stdout.splitlines()[2:]] == ["23", "22"]


def test_a_ledger_the_quick_path_may_not_read_is_opened_as_usual(demo, cli, tmp_path, monkeypatch):
    if not demo.startswith("sqlite:///"):
        return
    path = demo.removeprefix("sqlite:///")
    expected = cli.run("log", "-n", "3").stdout
    with monkeypatch.context() as patched:  # a file this process may only read (root may write any: pretend)
        patched.setattr(quick_read.os, "access", lambda *_: False)
        assert quick_read.history_page(demo, 0, 3, True) is None
        assert cli.run("log", "-n", "3").stdout == expected
    with closing(sqlite3.connect(path)) as conn:  # a foreign table: refused by the engine, in its words
        conn.execute("CREATE TABLE notes (x)")
    assert quick_read.history_page(demo, 0, 3, True) is None
    refused = cli.run("log", "-n", "3", code=2)
    assert refused.output.startswith("error: --db") and "notes" in refused.output
    assert not (tmp_path / "new.db").exists()
    cli.run("--db", str(tmp_path / "new.db"), "log", "-n", "3", code=2)  # a typo is not made a ledger
    assert not (tmp_path / "new.db").exists()


def test_bad_since_and_limit_are_refused_before_anything_is_read(demo):
    from ledger.errors import InputError

    with pytest.raises(InputError, match="--since"):
        read_log(demo, -1, 5)
    with pytest.raises(InputError, match="--limit"):
        read_log(demo, 0, -5)


LISTINGS = [("claim", "list"), ("claim", "list", "-n", "4"), ("claim", "list", "-n", "3", "--reverse"),
            ("claim", "list", "--json"), ("claim", "list", "--csv", "--reverse"), ("claim", "list", "--nl", "-n", "0")]


def test_claim_list_reads_the_kept_names_without_sqlalchemy_and_lists_what_the_ledger_lists(demo, cli):
    if not demo.startswith("sqlite:///"):
        from ledger.api import quick_listing

        assert quick_listing(demo, 3) is None  # PostgreSQL: always the engine
        return
    listed = subprocess.run([sys.executable, "-c", LEDGER_IN_CHILD, "claim", "list", "-n", "3", "--reverse"],
                            capture_output=True, text=True, env={**os.environ, "LEDGER_DB": demo}, check=True)
    assert listed.stderr.strip() == "sqlalchemy loaded: False"  # the demo's report kept the names
    assert [line.split()[0] for line in listed.stdout.splitlines()[2:]] == ["11", "10", "9"]
    for listing in LISTINGS:  # -v opens the ledger (it names it and its head): the engine's listing
        assert cli.run(*listing).stdout == cli.run("-v", *listing).stdout, listing


def test_claim_list_after_a_change_is_the_ledgers_listing_until_the_next_report(demo, cli):
    from ledger.api import quick_listing

    cli.run("claim", "correct", "1", "--event", "Ghwayran prison attack", "--reason", "as Reuters spells it")
    cli.run("claim", "add", "-e", "Ghwayran prison raid", "-m", "killed", "--value", "3", "-s", "Reuters", "--create-sources")
    assert quick_listing(demo) is None  # the kept names were made before these claims
    listed = cli.run("claim", "list", "--json").stdout
    assert '"event": "Ghwayran prison raid"' in listed
    cli.run("report")
    if demo.startswith("sqlite:///"):
        with quick_listing(demo) as listing:
            assert [claim.id for claim in listing.claims][-1] == 12
    assert cli.run("claim", "list", "--json").stdout == listed
    cli.run("claim", "retract", "12", "--reason", "misread")  # its event now named by a retracted claim only
    cli.run("report")
    for listing in LISTINGS:
        assert cli.run(*listing).stdout == cli.run("-v", *listing).stdout, listing


def test_claim_list_on_a_ledger_whose_kept_name_rows_are_gone_is_the_ledgers_listing(demo, cli):
    if not demo.startswith("sqlite:///"):
        return  # the quick listing reads SQLite files only
    from ledger.api import quick_listing

    expected = cli.run("claim", "list", "--json").stdout
    with closing(sqlite3.connect(demo.removeprefix("sqlite:///"))) as conn:  # behind the ledger's back
        conn.execute("DROP TABLE kept_name")
    assert quick_listing(demo) is None
    assert cli.run("claim", "list", "--json").stdout == expected
