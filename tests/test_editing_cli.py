"""Correcting any field of a claim, undoing a retraction, editing a source, removing a document: each a history entry that audit shows and verify checks."""

from __future__ import annotations

import json
import sqlite3

import pytest

from test_provenance_cli import EVENT, db_file, record_shapes, tamper


@pytest.fixture
def recorded(cli):
    record_shapes(cli.run)
    return cli


def dump() -> list[str]:
    conn = sqlite3.connect(db_file())
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def show(cli, claim_id: int) -> dict:
    return cli.json("claim", "show", str(claim_id))


def last_entry(cli) -> dict:
    return cli.json("log")[0]


@pytest.mark.parametrize("option, given, field, expected", [
    ("--event", "Ghwayran prison break", "event", "Ghwayran prison break"),
    ("--metric", "dead", "metric", "dead"),
    ("--group", "IS fighters", "group", "IS fighters"),
    ("--said-by", "SDF", "said_by", "Syrian Democratic Forces"),
    ("--via", "Reuters", "via", ["Reuters"]),
    ("--published", "2022-01-23", "published", "2022-01-23"),
    ("--as-of", "2022-01-21", "as_of", "2022-01-21"),
    ("--location", "Hasakah", "location", "Hasakah"),
    ("--credibility", "2", "credibility", 2),
])
def test_each_field_can_be_corrected_and_verify_still_passes(recorded, option, given, field, expected):
    before = show(recorded, 2)
    out = recorded.run("--by", "editor", "claim", "correct", "2", option, given, "--reason", "recoded").stdout
    assert out.startswith("claim 2: ")
    after = show(recorded, 2)
    assert after[field] == expected
    untouched = {"id", "event", "metric", "group", "value", "said_by", "via", "location", "quote", "credibility"} - {field}
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    entry = last_entry(recorded)
    assert (entry["user"], entry["action"], entry["subject"], entry["payload"]["reason"]) == (
        "editor", "claim.correct", "claim:2", "recoded")
    assert "value" not in entry["payload"], "a figure that did not change is not a correction of the figure"
    assert after["corrections"] == []
    assert recorded.run("verify").stdout.startswith("ok: ")


def test_the_audit_names_the_fields_as_they_stood_with_the_sources_by_name(recorded):
    recorded.run("claim", "correct", "2", "--said-by", "SDF", "--via", "Reuters", "--group", "IS fighters",
                 "--reason", "misattributed")
    summary = recorded.json("audit", "2")["history"][-1]["summary"]
    assert summary == ('group: "ISIS fighters" → "IS fighters"; said by: "Syrian Observatory for Human Rights" → '
                       '"Syrian Democratic Forces"; via: [] → [Reuters]; reason: misattributed')


def quantities(cli) -> dict[int, dict]:
    """Each claim in the reconciler's grouping, by id (`claim list` shows it)."""
    return {c["id"]: c["quantity"] for c in cli.json("claim", "list")}


def test_a_new_event_moves_the_claim_to_another_quantity(recorded):
    recorded.run("claim", "add", *EVENT, "-m", "killed", "--value", "more than 100", "-s", "SDF")
    assert quantities(recorded)[6] == quantities(recorded)[1]
    recorded.run("claim", "correct", "6", "--event", "Hasakah clashes", "--reason", "another incident")
    assert quantities(recorded)[6]["event"] == "Hasakah clashes"
    assert quantities(recorded)[1]["event"] == "Ghweran prison attack"


def test_a_corrected_quote_is_checked_against_the_document_as_when_recorded(recorded):
    result = recorded.run("claim", "correct", "2", "--quote", "forty-five jihadists", "--reason", "x", code=2)
    assert result.output.startswith("error: --quote")
    assert show(recorded, 2)["quote"] == "45 fighters from the “Islamic State” organization"
    recorded.run("claim", "correct", "2", "--quote", "45 fighters", "--reason", "shorter quote")
    after = show(recorded, 2)
    assert after["quote"] == "45 fighters" and after["quote_verified"] is True
    # Moving the figure away from what the quote says is allowed, and the claim says so.
    recorded.run("claim", "correct", "2", "--value", "50", "--reason", "SOHR update")
    assert show(recorded, 2)["quote_states_figure"] is False


def test_clearing_fields(recorded):
    recorded.run("claim", "correct", "3", "--clear", "via", "--clear", "doc", "--reason", "was a direct statement")
    after = show(recorded, 3)
    assert after["via"] == [] and after["document_id"] is None and after["outlet"] is None
    assert after["quote_verified"] is False, "a quote with no document to hold it cannot stay verified"
    recorded.run("claim", "correct", "2", "--clear", "group", "--reason", "the figure is the total")
    assert show(recorded, 2)["group"] is None
    assert recorded.run("verify").stdout.startswith("ok: ")


@pytest.mark.parametrize("args, message", [
    (("--clear", "event"), "error: --clear: 'event' is not a field that can be cleared"),
    (("--clear", "grup"), "did you mean 'group'?"),
    (("--clear", "via", "--via", "Reuters"), "error: --clear: 'via' also has a new value in this command"),
    (("--as-of", "2022-01-21", "--period", "2022-01-20..2022-01-22"), "error: --as-of"),
    (("--event", "Ghweran prison attack"), "error: ID: 2 already says that"),
    ((), "error: ID: 2 names no change"),
    (("--said-by", "Nobody"), "error: --said-by: 'Nobody' is not a known source"),
])
def test_bad_corrections_are_one_line_and_change_nothing(recorded, args, message):
    before = dump()
    result = recorded.run("claim", "correct", "2", *args, "--reason", "x", code=2)
    assert message in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert dump() == before


def test_restore_undoes_a_retraction_and_both_stay_in_the_history(recorded):
    recorded.run("claim", "retract", "2", "--reason", "thought misattributed")
    recorded.run("claim", "add", *EVENT, "-m", "killed", "-g", "ISIS fighters", "--value", "60", "-s", "SDF")
    assert all(c["id"] != 2 for f in json.loads(recorded.run("report", "--all", "--format", "json").stdout)["findings"] for c in f["claims"])
    recorded.run("claim", "correct", "2", "--value", "50", "--reason", "x", code=2)  # retracted: restore first
    assert recorded.run("claim", "restore", "2", "--reason", "it was SOHR after all").stdout.strip() == "claim 2 restored"
    view = recorded.json("audit", "2")
    assert view["claim"]["retracted"] is False and view["claim"]["retraction_reason"] is None
    assert [h["summary"] for h in view["history"]][-2:] == [
        "retracted; reason: thought misattributed", "restored (retraction undone); reason: it was SOHR after all"]
    assert any(c["id"] == 2 for f in json.loads(recorded.run("report", "--all", "--format", "json").stdout)["findings"] for c in f["claims"])
    assert recorded.run("verify").stdout.startswith("ok: ")
    result = recorded.run("claim", "restore", "2", "--reason", "again", code=2)
    assert result.output.startswith("error: ID: 2 is not retracted")


def test_verify_names_a_corrected_field_changed_behind_the_ledgers_back(recorded):
    recorded.run("claim", "correct", "2", "--group", "IS fighters", "--location", "Hasakah", "--reason", "recoded")
    tamper("UPDATE claim SET group_name = 'SDF members' WHERE id = 2")
    problems = recorded.run("verify", code=1).stdout.splitlines()
    assert problems[0] == 'claim 2: stored group "SDF members" differs from history ("IS fighters")'


def test_verify_names_a_restoration_undone_behind_the_ledgers_back(recorded):
    recorded.run("claim", "retract", "2", "--reason", "x")
    recorded.run("claim", "restore", "2", "--reason", "y")
    tamper("UPDATE claim SET retracted = 1 WHERE id = 2")
    assert recorded.run("verify", code=1).stdout.splitlines()[0].startswith("claim 2: ")


def test_a_forged_correction_entry_breaks_the_chain(recorded):
    recorded.run("claim", "correct", "2", "--group", "IS fighters", "--reason", "recoded")
    with sqlite3.connect(db_file()) as conn:
        (payload,) = conn.execute("SELECT payload FROM history ORDER BY seq DESC LIMIT 1").fetchone()
        conn.execute("UPDATE history SET payload = ? WHERE seq = (SELECT max(seq) FROM history)",
                     (payload.replace("IS fighters", "SDF members"),))
    conn.close()
    assert recorded.run("verify", code=1).stdout.splitlines()[:2] == [
        "entry 15 (claim.correct claim:2): contents do not match its hash (altered after recording)",
        'claim 2: stored group "IS fighters" differs from history ("SDF members")',
    ]


# -- sources and documents -------------------------------------------------------------------


def test_a_source_edit_changes_its_grade_in_the_audit_and_is_in_its_history(recorded):
    assert recorded.json("audit", "2")["grade"] == "F3"
    out = recorded.run("--by", "editor", "source", "edit", "the observatory", "--grade", "b", "--reason", "track record").stdout
    assert out.strip() == "source 2: grade (none) → 'B'"
    view = recorded.json("audit", "2")
    assert view["grade"] == "B3"
    assert view["history"][-1]["summary"] == 'source "Syrian Observatory for Human Rights" edited: grade: (none) → "B"; reason: track record'
    assert recorded.run("verify").stdout.startswith("ok: ")


def test_an_added_alias_names_the_source_for_new_claims(recorded):
    recorded.run("source", "edit", "SOHR", "--alias", "OSDH", "--kind", "ngo", "--reason", "French name")
    recorded.run("claim", "add", *EVENT, "-m", "killed", "--value", "80", "-s", "OSDH")
    assert show(recorded, 6)["said_by"] == "Syrian Observatory for Human Rights"
    assert recorded.run("verify").stdout.startswith("ok: ")


def test_a_spokesman_edited_to_speak_for_his_organisation(recorded):
    recorded.run("source", "add", "Farhad Shami")
    recorded.run("source", "edit", "Farhad Shami", "--kind", "person", "--affiliation", "SDF", "--reason", "SDF media centre head")
    source = next(s for s in recorded.json("source", "list") if s["name"] == "Farhad Shami")
    assert (source["kind"], source["affiliation"]) == ("person", "Syrian Democratic Forces")
    recorded.run("source", "edit", "Farhad Shami", "--clear", "affiliation", "--reason", "left the SDF")
    assert next(s for s in recorded.json("source", "list") if s["name"] == "Farhad Shami")["affiliation"] is None
    assert recorded.run("verify").stdout.startswith("ok: ")


def test_verify_names_a_source_field_changed_after_an_edit(recorded):
    recorded.run("source", "edit", "SOHR", "--grade", "B", "--alias", "OSDH", "--reason", "x")
    tamper("UPDATE source SET grade = 'A' WHERE name = 'Syrian Observatory for Human Rights'")
    tamper("UPDATE source_name SET name_key = 'osdh syria' WHERE name = 'OSDH'")
    problems = recorded.run("verify", code=1).stdout.splitlines()
    assert problems[0].startswith("source 2: stored grade \"A\" differs from history (\"B\")")
    assert problems[1].startswith("source 2: stored names ")


def test_a_document_is_removed_only_when_no_claim_cites_it(recorded):
    recorded.run("doc", "add", "--outlet", "Reuters", "--published", "2022-01-23", "--title", "duplicate upload")
    recorded.run("claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "--value", "80", "-s", "Reuters", "--doc", "2")
    recorded.run("claim", "retract", "6", "--reason", "wrong figure")
    result = recorded.run("doc", "remove", "2", "--reason", "duplicate", code=2)
    assert result.output.strip() == ("error: ID: 2 is cited by 1 claim (6); point them elsewhere first: "
                                     "`ledger claim correct 6 --clear doc` or --doc ID")
    recorded.run("claim", "restore", "6", "--reason", "to move it")
    recorded.run("claim", "correct", "6", "--doc", "1", "--reason", "the article was the source")
    assert recorded.run("doc", "remove", "2", "--reason", "duplicate").stdout.strip() == "document 2 removed (Reuters, 2022-01-23)"
    assert [d["id"] for d in recorded.json("doc", "list")] == [1]
    assert recorded.json("log")[0]["action"] == "document.remove"
    assert recorded.run("verify").stdout.startswith("ok: ")
    # The removed document's number is not handed out again: the history's "document 2" stays one document.
    assert recorded.run("doc", "add", "--outlet", "Reuters", "--published", "2022-01-24").stdout.strip() == "3"
    assert recorded.run("verify").stdout.startswith("ok: ")


def test_verify_names_a_removed_document_put_back_behind_the_ledgers_back(recorded):
    recorded.run("doc", "add", "--outlet", "Reuters", "--published", "2022-01-23")
    recorded.run("doc", "remove", "2", "--reason", "duplicate")
    tamper("INSERT INTO document (id, outlet_id, published, title) VALUES (2, 6, '2022-01-23', NULL)")
    assert recorded.run("verify", code=1).stdout.splitlines()[0].startswith("document 2: ")


def test_an_import_after_a_removal_does_not_reuse_the_removed_documents_id(recorded, tmp_path):
    recorded.run("doc", "add", "--outlet", "Reuters", "--published", "2022-01-23")
    recorded.run("doc", "remove", "2", "--reason", "duplicate")
    path = tmp_path / "docs.jsonl"
    path.write_text('{"record": "document", "id": 1, "outlet": "Reuters", "published": "2022-01-24", "title": "later"}\n'
                    '{"event": "X", "metric": "killed", "value": "5", "said_by": "Reuters", "doc": 1}\n', encoding="utf-8")
    recorded.run("import", str(path))
    assert [d["id"] for d in recorded.json("doc", "list")] == [1, 3]
    assert recorded.run("verify").stdout.startswith("ok: ")
