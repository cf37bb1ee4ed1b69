"""A kept table brought up to date by replacing the rows of the events judged again (``ledger.reports.splice``):
what it prints is always what a report judging everything again prints, and a layout that does not fit its
table is never used to cut it."""

from __future__ import annotations

import pytest

ATTACKS = ("-e", "ISIS attacks on Ghweran prison", "-m", "attacks")


@pytest.fixture
def spliced(monkeypatch):
    """Each report's splice: True when the kept table was brought up to date, False when it was made anew."""
    import ledger.api.spliced as module

    made = []
    real = module.spliced_report
    monkeypatch.setattr(module, "spliced_report", lambda *a, **k: _recorded(real, made, a, k))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the same stamp in every report: outputs comparable
    return made


def _recorded(real, made, args, kwargs):
    tally = real(*args, **kwargs)
    made.append(tally is not None)
    return tally


def _two_events_with_findings(cli, fmt: str, spliced: list) -> None:
    cli.run("demo")
    cli.run("claim", "add", *ATTACKS, "--value", "3", "-s", "SOHR", "--published", "2022-01-22")
    cli.run("report", "--format", fmt)  # keeps its table and the table's layout
    spliced.clear()


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_new_claim_replaces_its_events_rows_in_the_kept_table(cli, spliced, fmt):
    _two_events_with_findings(cli, fmt, spliced)
    before = cli.run("report", "--format", fmt).stdout
    cli.run("claim", "add", *ATTACKS, "--value", "3", "-s", "Reuters", "--published", "2022-01-22")
    after = cli.run("report", "--format", fmt).stdout
    assert spliced == [True]
    assert after != before and "3 (A6)" not in before
    assert after == cli.run("report", "--format", fmt, "--rebuild").stdout
    assert cli.run("report", "--format", fmt).stdout == after  # kept as spliced, read back as kept
    assert cli.run("verify").stdout.startswith("ok:")


def test_rows_that_would_narrow_or_widen_the_table_make_it_anew(cli, spliced):
    _two_events_with_findings(cli, "table", spliced)
    # the event's new reason is shorter, and its old rows were the only ones as wide as the reason column
    cli.run("claim", "add", *ATTACKS, "--value", "2", "-s", "SOHR", "--published", "2022-01-23")
    narrower = cli.run("report").stdout
    assert narrower == cli.run("report", "--rebuild").stdout
    cli.run("claim", "add", *ATTACKS, "--value", "4", "-s", "Reuters", "--published", "2022-01-23")  # a longer reason
    wider = cli.run("report").stdout
    assert wider == cli.run("report", "--rebuild").stdout
    assert spliced == [False, False]


def test_a_retraction_that_leaves_an_event_without_findings_takes_its_rows_out(cli, spliced):
    _two_events_with_findings(cli, "table", spliced)
    cli.run("claim", "add", *ATTACKS, "--value", "3", "-s", "Reuters", "--published", "2022-01-22")
    cli.run("report")
    new_id = cli.json("claim", "list", "--limit", "1", "--reverse")[0]["id"]
    cli.run("claim", "retract", str(new_id), "--reason", "misread")
    cli.run("claim", "retract", "12", "--reason", "misread")
    after = cli.run("report").stdout
    assert "ISIS attacks on Ghweran prison / attacks" not in after.split("Grades")[0]
    assert after == cli.run("report", "--rebuild").stdout
    assert spliced[-1] is False  # its rows were the only ones as wide as the reason column: made anew


@pytest.mark.parametrize("edit", [
    "UPDATE kept_text SET layout = replace(layout, '\"lengths\":[', '\"lengths\":[1')",  # the first row 1,000 longer
    "UPDATE kept_text SET layout = replace(layout, '\"head\":', '\"head\":1')",
    "UPDATE kept_text SET layout = replace(layout, '\"ranks\":[0,', '\"ranks\":[1,')",  # a verdict not its row's
    "UPDATE kept_text SET layout = replace(layout, '\"ranks\":[0,', '\"ranks\":[99,')",  # a verdict there is not
])
def test_a_layout_that_does_not_fit_its_table_is_not_used_and_verify_names_it(cli, spliced, edit):
    from ledger import open_ledger

    _two_events_with_findings(cli, "table", spliced)
    book = open_ledger()
    with book.store.engine.begin() as conn:
        conn.exec_driver_sql(edit)
    book.store.engine.dispose()
    assert "its layout is not the table's" in cli.run("verify", code=1).stdout
    cli.run("claim", "add", *ATTACKS, "--value", "3", "-s", "Reuters", "--published", "2022-01-22")
    after = cli.run("report").stdout
    assert spliced == [False]
    assert after == cli.run("report", "--rebuild").stdout
    assert cli.run("verify").stdout.startswith("ok:")  # the report kept its results, text and layout anew
