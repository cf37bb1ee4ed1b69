"""The ledger's settings: kept in the history, checked when set, carried by export, and what a ClaimReview names."""

from __future__ import annotations

import json
import sqlite3

import pytest

from ledger.errors import InputError
from ledger.settings import SETTINGS, check_setting, review_url

pytestmark = pytest.mark.postgres


def _settings(cli) -> dict:
    return {row["key"]: row["value"] for row in cli.json("setting", "list")}


def test_a_new_ledger_has_every_setting_unset(cli):
    cli.make_empty()
    assert _settings(cli) == dict.fromkeys(SETTINGS)


def test_set_and_unset_are_history_entries_and_the_newest_wins(cli):
    cli.run("--by", "editor", "setting", "set", "reviewer.name", "  Example Fact Check ")
    cli.run("setting", "set", "reviewer.name", "Second Name")
    assert _settings(cli)["reviewer.name"] == "Second Name"
    cli.run("setting", "unset", "reviewer.name")
    assert _settings(cli)["reviewer.name"] is None
    entries = [e for e in cli.json("log", "--reverse") if e["action"] == "setting.set"]
    assert [e["payload"]["value"] for e in entries] == ["Example Fact Check", "Second Name", None]
    assert entries[0]["user"] == "editor" and entries[0]["subject"] == "setting:reviewer.name"
    assert cli.run("verify").stdout.startswith("ok: ")


@pytest.mark.parametrize("key, value, says", [
    ("reviewer", "X", "is not a setting; closest: reviewer."),
    ("review-url", "X", "is not a setting; closest: review.url"),
    ("review.url", "https://example.org/checks", "has no {id}"),
    ("review.url", "https://example.org/{claim}/{id}", "has braces other than {id}"),
    ("review.url", "https://example.org/{id}{", "has braces other than {id}"),
    ("reviewer.url", "javascript:alert(1)", "is not a web address"),
    ("reviewer.url", "https://exa mple.org", "is not a web address"),
    ("reviewer.name", "   ", "is empty"),
    ("review.url", "https://example.org/checks/{{id}}", "gives every claim the same address"),
    ("reviewer.url", "http://example.org", "is not https"),
    ("review.url", "http://example.org/checks/{id}", "is not https"),
])
def test_bad_settings_are_refused_and_change_nothing(cli, key, value, says):
    cli.make_empty()
    head = cli.json("verify")["head_seq"]
    result = cli.run("setting", "set", key, value, code=2)
    assert result.output.startswith("error: ") and says in result.output and result.output.count("\n") == 1
    assert cli.json("verify")["head_seq"] == head


def test_a_setting_edited_behind_the_tools_back_fails_verify(cli, tmp_path):
    db = tmp_path / "s.db"
    cli.run("--db", str(db), "setting", "set", "reviewer.name", "Example Fact Check")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE history SET payload = ? WHERE action = 'setting.set'", (json.dumps({"value": "Someone Else"}),))
    result = cli.run("--db", str(db), "verify", code=1)
    assert "entry 1" in result.output


def test_settings_travel_with_a_jsonl_export(cli, tmp_path):
    cli.run("demo")
    cli.run("setting", "set", "review.url", "https://example.org/checks/{id}")
    cli.run("export", "--format", "jsonl", "-o", str(tmp_path / "all.jsonl"))
    copy = tmp_path / "copy.db"
    cli.run("--db", str(copy), "import", str(tmp_path / "all.jsonl"))
    assert _settings(cli) == {row["key"]: row["value"] for row in cli.json("--db", str(copy), "setting", "list")}


def test_claimreview_export_refused_without_a_reviewer_writes_no_file(cli, tmp_path):
    cli.run("demo")
    out = tmp_path / "reviews.json"
    result = cli.run("export", "--format", "claimreview", "-o", str(out), code=2)
    assert "ledger setting set reviewer.name" in result.output and not out.exists()
    cli.run("setting", "set", "reviewer.name", "Example Fact Check")
    result = cli.run("export", "--format", "claimreview", "-o", str(out), code=2)
    assert "needs the settings reviewer.url and review.url;" in result.output and not out.exists()
    cli.run("setting", "set", "review.url", "https://example.org/checks/{id}")
    result = cli.run("export", "--format", "claimreview", "-o", str(out), code=2)
    assert "needs the setting reviewer.url;" in result.output and not out.exists()  # validators want the author's url
    cli.run("setting", "set", "reviewer.url", "https://example.org")
    cli.run("export", "--format", "claimreview", "-o", str(out))
    reviews = json.loads(out.read_text(encoding="utf-8"))
    assert reviews and {r["url"] for r in reviews} == {f"https://example.org/checks/{r['identifier'].split('/')[-1]}" for r in reviews}
    assert len({r["url"] for r in reviews}) == len(reviews)
    assert {(r["author"]["name"], r["author"]["url"]) for r in reviews} == {("Example Fact Check", "https://example.org")}


def test_check_setting_keeps_a_stripped_value():
    assert check_setting("reviewer.name", "  X  ") == "X"
    assert review_url(check_setting("review.url", "https://example.org/c/{id}?x={{y}}"), 7) == "https://example.org/c/7?x={y}"
    with pytest.raises(InputError):
        check_setting("reviewer.url", "ftp://example.org")
