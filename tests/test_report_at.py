"""Every report says what it was made from; `report --at SEQ` makes the report of any earlier moment again."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.postgres

EVENT = ("-e", "Ghweran prison attack")
STEPS = [  # each changes what a report says, in a different way
    ("claim", "add", *EVENT, "-m", "killed", "--value", "136", "-s", "SOHR", "--published", "2022-01-24"),
    ("claim", "correct", "3", "--value", "50", "--reason", "a later count"),
    ("claim", "retract", "1", "--reason", "local sources withdrew it"),
    ("source", "edit", "SOHR", "--grade", "A"),
    ("event", "merge", "ISIS attacks on Ghweran prison", "Ghweran prison attack"),
    ("claim", "restore", "1", "--reason", "it stands after all"),
    ("source", "merge", "Mazloum Abdi", "Syrian Democratic Forces"),
    ("claim", "add", "-e", "Hasakah clashes", "-m", "killed", "--value", "more than 20", "-s", "SOHR"),
    ("event", "split", "Ghweran prison attack", "--as", "Ghweran prison break", "--claim", "5"),
]


def _report(cli, *args) -> dict:
    return json.loads(cli.run("report", "--all", "--json", *args).stdout)


def test_every_earlier_report_is_made_again_exactly(cli):
    cli.run("demo")
    made = [_report(cli)]
    for step in STEPS:
        cli.run(*step)
        made.append(_report(cli))
    assert len({json.dumps(r["findings"]) for r in made}) >= 6  # the steps did change the report
    for then in made:
        seq = then["ledger"]["history_seq"]
        again = _report(cli, "--at", str(seq))
        assert again["findings"] == then["findings"], f"--at {seq}"
        assert (again["ledger"]["history_seq"], again["ledger"]["history_head"]) == (seq, then["ledger"]["history_head"])
        assert again["ledger"]["at"] == seq and then["ledger"]["at"] is None


def test_the_stamp_names_the_head_and_the_filters_in_every_format(cli):
    cli.run("demo")
    head = cli.json("log", "-n", "1")[0]
    stamp = _report(cli, "--event", "Ghwayran prison attack")["ledger"]
    assert stamp == {"history_seq": head["seq"], "history_head": head["hash"], "made_at": "2026-01-01T00:00:00Z",
                     "filters": {"--event": "Ghwayran prison attack", "--all": True}, "at": None}
    table = cli.run("report", "--event", "Ghwayran prison attack").stdout.splitlines()
    assert table[-2] == (f"Made 2026-01-01T00:00:00Z from history entry {head['seq']} ({head['hash'][:12]}…); "
                         f"filters: --event 'Ghwayran prison attack'. Again: ledger report --event 'Ghwayran prison attack' "
                         f"--at {head['seq']}")
    earlier = json.loads(cli.run("report", "--at", "20", "--extracted", "exclude", "--json").stdout)["ledger"]
    assert earlier["filters"] == {"--extracted": "exclude"} and earlier["at"] == earlier["history_seq"] == 20
    rows = cli.run("report", "-f", "csv").stdout.splitlines()
    assert rows[0].endswith(",history_seq,history_head,made_at,filters")
    assert all(row.endswith(f",{head['seq']},{head['hash']},2026-01-01T00:00:00Z,") for row in rows[1:])


def test_at_leaves_the_ledger_as_it_is_and_no_copy_behind(cli, tmp_path, monkeypatch):
    import tempfile

    cli.run("demo")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    before = (cli.json("log"), cli.json("claim", "list"))
    cli.run("report", "--at", "5")
    assert (cli.json("log"), cli.json("claim", "list")) == before
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("seq", ["0", "999", "-1", "x"])
def test_an_entry_the_history_does_not_have_is_refused(cli, seq):
    cli.run("demo")
    result = cli.run("report", "--at", seq, code=2)
    assert result.output.startswith("error: --at: ") and result.output.count("\n") == 1


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown", "nl", "json"])
def test_at_writes_every_format_as_it_was_written_then(cli, fmt):
    cli.run("demo")
    then = cli.run("report", "-f", fmt).stdout
    assert "23" in then  # the stamp names the head it was made from, in every format
    cli.run(*STEPS[1])
    assert cli.run("report", "-f", fmt).stdout != then  # the correction changed the report
    again = cli.run("report", "--at", "23", "-f", fmt).stdout
    # the same report, but for the stamp saying it was made again with --at
    assert (again.replace("--at 23 --at 23", "--at 23").replace('"at": 23', '"at": null')
            .replace("the ledger as it stood after history entry", "history entry")) == then


def test_at_writes_the_page(cli, tmp_path):
    cli.run("demo")
    cli.run(*STEPS[1])
    cli.run("report", "--at", "23", "-f", "html", "-o", str(tmp_path / "then.html"))
    cli.run("report", "-f", "html", "-o", str(tmp_path / "now.html"))
    then, now = ((tmp_path / name).read_text(encoding="utf-8") for name in ("then.html", "now.html"))
    assert "entry 23, hash" in then and "entry 24, hash" in now
    # the correction of claim 3 (45 -> 50) came after entry 23
    assert "claim 3: ISIS fighters, <q>45</q>" in then and "claim 3: ISIS fighters, <q>50</q>" in now
