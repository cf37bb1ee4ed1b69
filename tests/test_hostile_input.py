"""Input a hostile or careless user gives: names that show nothing, a recorder's name that is not one line,
dates that have not come yet. Each is one error line naming the field, and the ledger is unchanged."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

INVISIBLE = ["\u200b", "\u200f", "\u200e\u200b", "\ufeff", " \u2060 ", "\u0301"]


@pytest.fixture
def ledger(cli):
    cli.run("source", "add", "SOHR", "--kind", "ngo")
    return cli


def _unchanged(cli, before):
    assert cli.json("log") == before


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_name_of_invisible_characters_is_as_empty_as_none(ledger, name):
    before = ledger.json("log")
    for args, field in ((["source", "add", name, "--kind", "ngo"], "NAME"),
                        (["claim", "add", "-e", name, "-m", "killed", "--value", "5", "-s", "SOHR"], "--event"),
                        (["claim", "add", "-e", "A", "-m", name, "--value", "5", "-s", "SOHR"], "--metric"),
                        (["claim", "add", "-e", "A", "-m", "killed", "-g", name, "--value", "5", "-s", "SOHR"], "--group"),
                        (["claim", "add", "-e", "A", "-m", "killed", "--value", "5", "-s", name], "--said-by")):
        result = ledger.run(*args, code=2)
        assert result.stderr.startswith(f"error: {field}: ") and result.stderr.count("\n") == 1, (args, result.stderr)
    _unchanged(ledger, before)
    ledger.run("source", "add", "Reuters", "--kind", "media", "--alias", name)  # an invisible alias is dropped, as a blank one
    assert ledger.json("source", "list")[-1]["aliases"] == []


@pytest.mark.parametrize("user", ["", "   ", "\u200b", "ann\nbob", "ann\rbob", "tab\there", "x" * 201])
def test_the_recorders_name_is_one_visible_line(ledger, user):
    before = ledger.json("log")
    result = ledger.run("--by", user, "source", "add", "Reuters", "--kind", "media", code=2)
    assert result.stderr.startswith("error: --by: ") and result.stderr.count("\n") == 1
    _unchanged(ledger, before)


def test_a_date_after_tomorrow_is_refused_everywhere_a_source_gives_one(ledger, tmp_path):
    today = datetime.now(timezone.utc).date()
    soon, later = (today + timedelta(days=1)).isoformat(), (today + timedelta(days=2)).isoformat()
    before = ledger.json("log")
    claim = ["claim", "add", "-e", "A", "-m", "killed", "--value", "5", "-s", "SOHR"]
    for extra, field in ((["--published", later], "--published"), (["--as-of", later], "--as-of"),
                         (["--as-of", f"{later}T01:00+14:00"], "--as-of"), (["--period", f"{today}..{later}"], "--period")):
        result = ledger.run(*claim, *extra, code=2)
        assert result.stderr.startswith(f"error: {field}: ") and "is in the future" in result.stderr, result.stderr
    refused = ledger.run("doc", "add", "--outlet", "SOHR", "--published", later, code=2)
    assert "is in the future" in refused.stderr
    rows = tmp_path / "rows.csv"
    rows.write_text(f"event,metric,value,said_by,published\nA,killed,5,SOHR,{later}\n")
    refused = ledger.run("import", str(rows), code=2)
    assert "rows.csv:2: published: " in refused.stderr and "is in the future" in refused.stderr
    _unchanged(ledger, before)
    ledger.run(*claim, "--published", soon)  # tomorrow is today somewhere east of UTC
