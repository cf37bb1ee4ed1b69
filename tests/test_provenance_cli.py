"""Provenance through the CLI: audit every attribution shape, verify against tampering, merge, log."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt"
URL = "https://www.aljazeera.net/news/2022/1/22/hasaka"
EVENT = ["--event", "Ghweran prison attack", "--doc", "1", "--as-of", "2022-01-22"]

# Each attribution shape in the seed article: (claim id, path as audited, grade code).
SHAPES = [
    (1, "local sources (anonymous) → Al Jazeera (media, B)", "F6"),
    (2, "Syrian Observatory for Human Rights (ngo) → Al Jazeera (media, B)", "F3"),
    (3, "a military source in the SDF (anonymous, affiliated with Syrian Democratic Forces) → Reuters (media, A) "
        "→ Al Jazeera (media, B)", "F6"),
    (4, "Mazloum Abdi (person, affiliated with Syrian Democratic Forces) → Al Jazeera (media, B)", "F4"),
    (5, "US Department of Defense (government, B) → Al Jazeera (media, B)", "B2"),
]


def db_file() -> Path:
    return Path(os.environ["LEDGER_DB"].removeprefix("sqlite:///"))


def tamper(sql: str, *params) -> None:
    """Change the database behind the ledger's back, as someone with the file could."""
    with sqlite3.connect(db_file()) as conn:
        conn.execute(sql, params)
    conn.close()


def record_shapes(run) -> None:
    """The seed article's sources (as conftest's ``seeded``) and one claim of each attribution shape."""
    run("source", "add", "Al Jazeera", "--alias", "Al-Jazeera", "--kind", "media", "--grade", "B")
    run("source", "add", "Syrian Observatory for Human Rights", "--alias", "SOHR", "--alias", "the observatory", "--kind", "ngo")
    run("source", "add", "Syrian Democratic Forces", "--alias", "SDF", "--kind", "armed-group")
    run("source", "add", "local sources", "--kind", "anonymous")
    run("source", "add", "Mazloum Abdi", "--kind", "person", "--affiliation", "SDF")
    run("source", "add", "Reuters", "--kind", "media", "--grade", "A")
    run("source", "add", "a military source in the SDF", "--kind", "anonymous", "--affiliation", "SDF")
    run("source", "add", "US Department of Defense", "--alias", "Pentagon", "--kind", "government", "--grade", "B")
    run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22", "--file", str(SEED),
        "--url", URL, "--title", "Clashes continue in Hasaka")
    run("claim", "add", *EVENT, "-m", "killed", "--value", "more than 70", "-s", "local sources",
        "--quote", "which resulted in the death of more than 70 people")
    run("claim", "add", *EVENT, "-m", "killed", "-g", "ISIS fighters", "--value", "45", "-s", "SOHR", "--credibility", "3",
        "--quote", "45 fighters from the “Islamic State” organization")
    run("claim", "add", *EVENT, "-m", "prison attacks", "--value", "1", "-s", "a military source in the SDF", "--via", "Reuters",
        "--quote", "the attack on the prison coincided with the organization's movements in Deir ez-Zor province")
    run("claim", "add", *EVENT, "-m", "at-large", "--value", "none", "-s", "Mazloum Abdi", "--credibility", "4",
        "--quote", "all the fugitives were arrested")
    run("claim", "add", *EVENT, "-m", "coalition air strikes", "--value", "more than one", "-s", "Pentagon", "--credibility", "2",
        "--quote", "the US-led coalition launched air strikes")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """``record_shapes`` run once per module; each test starts from a copy (keeps the file fast)."""
    from typer.testing import CliRunner

    from ledger.cli import app

    path = tmp_path_factory.mktemp("template") / "ledger.db"
    runner = CliRunner()

    def run(*args: str) -> None:
        result = runner.invoke(app, ["--db", str(path), "--by", "tester", *args], catch_exceptions=False)
        assert result.exit_code == 0, f"{args}: {result.output}"

    record_shapes(run)
    return path


@pytest.fixture
def recorded(cli, template):
    """This test's ledger: a copy of the template, driven through the ``cli`` fixture."""
    source, target = sqlite3.connect(template), sqlite3.connect(db_file())
    source.backup(target)
    source.close()
    target.close()
    return cli


# -- audit -------------------------------------------------------------------------


@pytest.mark.parametrize("claim_id, path, grade", SHAPES)
def test_audit_shows_each_attribution_shape(recorded, claim_id, path, grade):
    text = recorded.run("audit", str(claim_id)).stdout
    assert f"path: {path}\n" in text
    assert f"grade: {grade} (" in text
    view = recorded.json("audit", str(claim_id))
    assert view["path_label"] == path and view["grade"] == grade
    assert view["path"][0]["role"] == "origin" and view["path"][-1]["name"] == "Al Jazeera"


def test_audit_relay_path_roles_and_grade_meaning(recorded):
    view = recorded.json("audit", "3")
    assert [(h["role"], h["name"], h["kind"], h["grade"]) for h in view["path"]] == [
        ("origin", "a military source in the SDF", "anonymous", None),
        ("relay", "Reuters", "media", "A"),
        ("outlet", "Al Jazeera", "media", "B"),
    ]
    assert view["path"][0]["affiliation"] == "Syrian Democratic Forces"
    assert "grade: B2 (usually reliable; probably true)" in recorded.run("audit", "5").stdout
    assert "grade: F6 (reliability cannot be judged; truth cannot be judged)" in recorded.run("audit", "1").stdout


def test_audit_document_quote_and_history(recorded):
    text = SEED.read_text(encoding="utf-8")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    view = recorded.json("audit", "2")
    assert view["document"] == {
        "id": 1, "outlet": "Al Jazeera", "published": "2022-01-22", "url": URL, "title": "Clashes continue in Hasaka",
        "sha256": sha, "recorded_sha256": sha, "text_sha256": sha, "matches": True, "status": "matches the stored text",
        "archive_url": None, "retrieved": None, "version": 1, "versions": [1], "newest": None,
    }
    quote = view["quote"]
    start, end = quote["span"]
    assert quote["verified"] is True and text[start:end] == "45 fighters from the “Islamic State” organization"
    assert quote["context"].startswith("The Syrian Observatory for Human Rights stated today, Saturday,")
    assert quote["context"].endswith("is located.")
    assert [(h["seq"], h["user"], h["action"], h["summary"]) for h in view["history"]] == [(11, "tester", "claim.add", 'recorded "45"')]
    out = recorded.run("audit", "2").stdout
    assert f'document 1: Al Jazeera, published 2022-01-22, "Clashes continue in Hasaka", {URL}\n' in out
    assert f"sha256: {sha} matches the stored text\n" in out
    assert f'quote: verified at characters {start}–{end}: "45 fighters from the “Islamic State” organization"\n' in out


def test_audit_lists_verdicts_involving_the_claim_directly_or_as_a_part(recorded):
    recorded.run("claim", "add", *EVENT, "-m", "killed", "-g", "SDF", "--value", "28", "-s", "SOHR")
    recorded.run("claim", "add", *EVENT, "-m", "killed", "-g", "civilians", "--value", "5", "-s", "SOHR")
    recorded.run("claim", "add", *EVENT, "-m", "at-large", "--value", "dozens", "-s", "SOHR")
    part = recorded.json("audit", "2")["verdicts"]
    assert [(v["verdict"], v["label"], v["claims"]) for v in part] == [
        ("divergence", "Ghweran prison attack / killed / total", ["1", "2+6+7"])
    ]
    direct = recorded.json("audit", "4")["verdicts"]
    assert [(v["verdict"], v["claims"]) for v in direct] == [("contradiction", ["4", "8"])]
    assert recorded.json("audit", "5")["verdicts"] == []
    assert "verdicts: none (no other figure to compare it with)" in recorded.run("audit", "5").stdout


def test_wrong_quote_is_refused_naming_the_closest_passage_and_kept_only_as_unverified(recorded):
    result = recorded.run("claim", "add", *EVENT, "-m", "killed", "-g", "civilians", "--value", "5", "-s", "SOHR",
                          "--quote", "five civilians in the Ghweran district", code=2)
    assert result.stderr == ("error: --quote: 'five civilians in the Ghweran district' does not occur in the document; "
                             "closest passage (74%): “5 civilians in the Ghweran neighborhood”\n")
    recorded.run("claim", "add", *EVENT, "-m", "killed", "-g", "civilians", "--value", "5", "-s", "SOHR",
                 "--quote", "five civilians in the Ghweran district", "--unverified-quote")
    view = recorded.json("audit", "6")
    assert view["quote"] == {"text": "five civilians in the Ghweran district", "original": None, "span": None,
                             "verified": False, "found": None, "states_figure": True, "context": None}
    assert 'quote: UNVERIFIED (not found in the document\'s text): "five civilians in the Ghweran district"' in recorded.run("audit", "6").stdout


def test_corrections_and_retractions_show_in_audit_and_report(recorded):
    recorded.run("claim", "add", *EVENT, "-m", "killed", "-g", "ISIS fighters", "--value", "40", "-s", "SDF")
    recorded.run("--by", "editor", "claim", "correct", "2", "--value", "50", "--reason", "misread the figure")
    recorded.run("--by", "editor", "claim", "correct", "2", "--value", "47", "--reason", "SOHR update")
    view = recorded.json("audit", "2")
    assert view["claim"]["value"]["text"] == "47"
    assert [q["text"] for q in view["claim"]["corrections"]] == ["45", "50"]
    assert [(h["user"], h["action"], h["summary"]) for h in view["history"]] == [
        ("tester", "claim.add", 'recorded "45"'),
        ("editor", "claim.correct", '"45" → "50"; reason: misread the figure'),
        ("editor", "claim.correct", '"50" → "47"; reason: SOHR update'),
    ]
    assert 'value: "47" (47, exact), corrected from "50" ← "45"\n' in recorded.run("audit", "2").stdout
    report = json.loads(recorded.run("report", "--format", "json").stdout)["findings"]
    reasons = [f["reason"] for f in report if f["quantity"]["group"] == "ISIS fighters"]
    # The quote gave 45 and the corrections moved the figure: the report says the quote no longer states it.
    assert reasons == ["SOHR's \"47\" (corrected from \"50\") (its quote does not state it) and SDF's \"40\" cannot both "
                       "be true: the intervals do not overlap"]

    recorded.run("claim", "retract", "6", "--reason", "misattributed: it was an SDF estimate of something else")
    view = recorded.json("audit", "6")
    assert view["claim"]["retracted"] is True
    assert view["claim"]["retraction_reason"] == "misattributed: it was an SDF estimate of something else"
    assert view["history"][-1]["summary"] == "retracted; reason: misattributed: it was an SDF estimate of something else"
    assert view["verdicts"] == []
    out = recorded.run("audit", "6").stdout
    assert "status: RETRACTED: misattributed: it was an SDF estimate of something else\n" in out
    assert "verdicts: none (retracted claims are left out of the report)" in out
    report = json.loads(recorded.run("report", "--format", "json").stdout)["findings"]
    assert all(c["id"] != 6 for f in report for c in f["claims"])


def test_audit_unknown_claim_is_one_line_exit_2(recorded):
    result = recorded.run("audit", "99", code=2)
    assert result.stderr == "error: ID: 99 is not a claim in this ledger; known ids: 1..5 (`ledger claim list`)\n"


# -- verify ------------------------------------------------------------------------


def head_hash(cli) -> str:
    return cli.json("log")[0]["hash"]


def test_verify_clean_ledger(recorded):
    result = recorded.run("verify")
    assert result.stdout == f"ok: 14 entries, 5 claims, 1 document verified; head {head_hash(recorded)}\n"
    data = recorded.json("verify")
    assert data["ok"] is True and data["problems"] == []
    assert (data["entries"], data["sources"], data["documents"], data["claims"], data["head_seq"]) == (14, 8, 1, 5, 14)


def test_verify_empty_ledger(cli):
    cli.make_empty()
    assert cli.run("verify").stdout == "ok: 0 entries, 0 claims, 0 documents verified; head (empty history)\n"


def test_verify_catches_an_altered_claim_value(recorded):
    tamper("UPDATE claim SET value_text = '60', value_low = 60, value_high = 60, value_best = 60 WHERE id = 2")
    result = recorded.run("verify", code=1)
    assert result.stdout.splitlines() == [
        'claim 2: stored value "60" differs from history ("45")',
        f"FAILED: 1 problem in 14 entries, 5 claims, 1 document; head {head_hash(recorded)}",
    ]


def test_verify_catches_an_altered_document_text(recorded):
    tamper("UPDATE document SET text = replace(text, '45 fighters', '55 fighters') WHERE id = 1")
    lines = recorded.run("verify", code=1).stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("document 1: stored text hashes to ") and lines[0].endswith("(text altered)")
    assert recorded.json("audit", "2")["document"]["matches"] is False
    assert "DOES NOT MATCH the stored text" in recorded.run("audit", "2").stdout


def test_verify_catches_an_altered_history_payload(recorded):
    tamper("UPDATE history SET payload = replace(payload, '\"45\"', '\"46\"') WHERE seq = 11")
    lines = recorded.run("verify", code=1).stdout.splitlines()
    assert lines[:2] == [
        "entry 11 (claim.add claim:2): contents do not match its hash (altered after recording)",
        'claim 2: stored value "45" differs from history ("46")',
    ]


def test_verify_catches_a_deleted_history_entry(recorded):
    tamper("DELETE FROM history WHERE seq = 12")
    lines = recorded.run("verify", code=1).stdout.splitlines()
    assert lines[:2] == [
        "entry 12 missing before entry 13 (claim.add claim:4) (deleted?)",
        "claim 3: in the tables but never recorded in the history",
    ]


def test_verify_catches_a_deleted_claim_row(recorded):
    tamper("DELETE FROM claim WHERE id = 5")
    assert recorded.run("verify", code=1).stdout.splitlines()[0] == "claim 5: in the history but not in the tables (deleted?)"


def test_verify_catches_a_retraction_flag_set_behind_the_ledgers_back(recorded):
    tamper("UPDATE claim SET retracted = 1 WHERE id = 1")
    assert recorded.run("verify", code=1).stdout.splitlines()[0] == 'claim 1: stored retracted "true" differs from history ("false")'


def test_verify_json_lists_problems(recorded):
    tamper("UPDATE source SET grade = 'A' WHERE name = 'Al Jazeera'")
    data = json.loads(recorded.run("verify", "--json", code=1).stdout)
    assert data["ok"] is False
    assert data["problems"] == [{"seq": None, "kind": "row-altered", "message": 'source 1: stored grade "A" differs from history ("B")'}]


def test_truncation_is_caught_only_against_a_kept_head(recorded):
    kept = head_hash(recorded)
    # Remove the last claim and its entry together: the chain that is left is internally consistent.
    tamper("DELETE FROM claim_relay WHERE claim_id = 5")
    tamper("DELETE FROM claim WHERE id = 5")
    tamper("DELETE FROM history WHERE seq = 14")
    assert recorded.run("verify").stdout.startswith("ok: 13 entries, 4 claims")
    lines = recorded.run("verify", "--head", kept[:12], code=1).stdout.splitlines()
    assert lines[0] == f"head {kept[:12]}… is not the hash of any entry: entries were removed or the history rewritten since it was copied"
    older = recorded.json("log")[0]["hash"]
    assert recorded.run("verify", "--head", older[:8]).stdout.endswith("; --head is entry 13\n")
    assert recorded.run("verify", "--head", "xyz", code=2).stderr.startswith("error: --head: 'xyz' is not a head hash")


def test_verify_streams_in_batches_and_still_finds_a_gap(recorded):
    from ledger.storage.store import open_store
    from ledger.storage.verify import verify

    assert verify(open_store(), batch=2).ok
    tamper("DELETE FROM history WHERE seq = 4")
    result = verify(open_store(), batch=3)
    assert [p.kind for p in result.problems] == ["gap", "row-unrecorded"]
    assert result.problems[0].message == "entry 4 missing before entry 5 (source.add source:5) (deleted?)"


def test_claim_import_entries_plug_into_verify(recorded):
    """A bulk importer's one-entry-per-batch ``claim.import``, full payloads or hashes, replays like claim.add."""
    from sqlmodel import Session

    from ledger.provenance import chain
    from ledger.storage.rows import claim_payload, now_utc
    from ledger.storage.store import open_store
    from ledger.storage.tables import ClaimRow

    ledger = open_store(user="importer")
    with Session(ledger.engine) as session:
        rows = []
        for value in (11, 12):
            row = ClaimRow(event="Ghweran prison attack", event_key="ghweran prison attack", metric="injured",
                           value_text=str(value), value_low=value, value_high=value, value_kind="exact", value_best=value,
                           said_by_id=2, recorded_at=now_utc())
            session.add(row)
            rows.append(row)
        session.flush()
        full, hashed = (claim_payload(r, []) for r in rows)
        ledger.append_entry(session, "claim.import", "import:1", {"claims": {
            str(rows[0].id): full,
            str(rows[1].id): hashlib.sha256(chain.canonical_json(hashed).encode()).hexdigest(),
        }})
        session.commit()
    assert recorded.run("verify").stdout.startswith("ok: 15 entries, 7 claims")
    tamper("UPDATE claim SET value_text = '13' WHERE id = 7")
    tamper("UPDATE claim SET location = 'Hasakah' WHERE id = 6")
    lines = recorded.run("verify", code=1).stdout.splitlines()
    assert lines[:2] == [
        'claim 6: stored location "Hasakah" differs from history ("null")',
        f'claim 7: stored add_sha256 "{_row_hash(7)}" differs from history ("{hashlib.sha256(chain.canonical_json(hashed).encode()).hexdigest()}")',
    ]


def _row_hash(claim_id: int) -> str:
    from sqlmodel import Session

    from ledger.provenance import chain
    from ledger.storage.rows import claim_payload
    from ledger.storage.store import open_store
    from ledger.storage.tables import ClaimRow

    with Session(open_store().engine) as session:
        return hashlib.sha256(chain.canonical_json(claim_payload(session.get(ClaimRow, claim_id), [])).encode()).hexdigest()


# -- merge -------------------------------------------------------------------------


@pytest.fixture
def duplicate(recorded):
    """The same observatory recorded twice under a French name, with a claim under each."""
    recorded.run("source", "add", "Observatoire syrien des droits de l'homme", "--alias", "OSDH", "--kind", "ngo")
    recorded.run("claim", "add", *EVENT, "-m", "killed", "-g", "civilians", "--value", "5", "-s", "OSDH", "--via", "Reuters")
    return recorded


def test_merge_makes_names_resolve_to_the_target_and_is_in_the_history(duplicate):
    result = duplicate.run("--by", "editor", "source", "merge", "OSDH", "SOHR", "--reason", "same organisation, French name")
    assert result.stdout == "source 9 \"Observatoire syrien des droits de l'homme\" merged into source 2 'Syrian Observatory for Human Rights'\n"
    assert "Observatoire syrien des droits de l'homme" not in [s["name"] for s in duplicate.json("source", "list")]
    # New claims under the old name are SOHR's.
    duplicate.run("claim", "add", *EVENT, "-m", "injured", "--value", "12", "-s", "osdh")
    assert duplicate.json("claim", "show", "7")["said_by"] == "Syrian Observatory for Human Rights"
    # The old claim's audit reads as SOHR, says how it was recorded, and shows the merge.
    view = duplicate.json("audit", "6")
    assert view["path_label"] == ("Syrian Observatory for Human Rights (ngo) [recorded as Observatoire syrien des droits de l'homme] "
                                  "→ Reuters (media, A) → Al Jazeera (media, B)")
    merge = view["history"][-1]
    assert (merge["user"], merge["action"], merge["subject"]) == ("editor", "source.merge", "source:9")
    assert merge["summary"] == ('source "Observatoire syrien des droits de l\'homme" merged into '
                                '"Syrian Observatory for Human Rights"; reason: same organisation, French name')
    assert merge["payload"] == {"from": "Observatoire syrien des droits de l'homme", "into": "Syrian Observatory for Human Rights",
                                "from_id": 9, "into_id": 2, "reason": "same organisation, French name"}
    assert duplicate.run("verify").stdout.startswith("ok: 18 entries, 7 claims")
    tamper("UPDATE source SET merged_into_id = NULL WHERE id = 9")
    assert duplicate.run("verify", code=1).stdout.splitlines()[0] == (
        'source 9: stored merged_into "null" differs from history ("Syrian Observatory for Human Rights")')


def test_merged_sources_claims_list_under_the_target(duplicate):
    duplicate.run("source", "merge", "OSDH", "SOHR")
    assert duplicate.json("claim", "show", "6")["said_by"] == "Syrian Observatory for Human Rights"


def test_merge_twice_moves_earlier_merges_on(duplicate):
    duplicate.run("source", "add", "SOHR (Arabic desk)", "--kind", "ngo")
    duplicate.run("source", "merge", "SOHR (Arabic desk)", "OSDH")
    duplicate.run("source", "merge", "OSDH", "SOHR", "--reason", "same organisation")
    log = duplicate.json("log", "--since", "17", "--reverse")
    assert [(e["action"], e["subject"], e["payload"]["into"], e["payload"]["reason"]) for e in log] == [
        ("source.merge", "source:10", "Observatoire syrien des droits de l'homme", None),
        ("source.merge", "source:9", "Syrian Observatory for Human Rights", "same organisation"),
        ("source.merge", "source:10", "Syrian Observatory for Human Rights",
         "follows the merge of \"Observatoire syrien des droits de l'homme\" into 'Syrian Observatory for Human Rights'"),
    ]
    duplicate.run("claim", "add", "-e", "E", "-m", "killed", "--value", "3", "-s", "SOHR (Arabic desk)")
    assert duplicate.json("claim", "show", "7")["said_by"] == "Syrian Observatory for Human Rights"
    duplicate.run("verify")


def test_merge_errors_are_one_line_exit_2(duplicate):
    assert duplicate.run("source", "merge", "OSDH", "Observatoire syrien des droits de l'homme", code=2).stderr == (
        "error: FROM: 'OSDH' is already a name of source \"Observatoire syrien des droits de l'homme\"; nothing to merge\n")
    assert duplicate.run("source", "merge", "Nobody", "SOHR", code=2).stderr.startswith("error: FROM: 'Nobody' is not a known source")
    assert duplicate.run("source", "merge", "OSDH", "Nobody", code=2).stderr.startswith("error: INTO: 'Nobody' is not a known source")


# -- log ---------------------------------------------------------------------------


def test_log_lists_entries_with_short_hashes(recorded):
    recorded.run("--by", "editor", "claim", "correct", "2", "--value", "47", "--reason", "update")
    lines = recorded.run("log", "--since", "13", "--reverse").stdout.splitlines()
    entries = recorded.json("log", "--since", "13", "--reverse")
    assert lines[0].split() == ["seq", "time", "(UTC)", "user", "action", "subject", "hash"]
    assert lines[2].split()[0] == "14" and lines[3].split()[3:] == ["editor", "claim.correct", "claim:2", entries[1]["hash"][:12]]
    assert [e["seq"] for e in entries] == [14, 15]
    payload = entries[1]["payload"]
    assert (payload["value"], payload["reason"]) == ({"text": "47", "low": 47, "high": 47, "kind": "exact", "best": 47}, "update")
    assert entries[1]["prev_hash"] == entries[0]["hash"] and len(entries[1]["hash"]) == 64
    assert [e["action"] for e in recorded.json("log", "--reverse")][:4] == ["source.add"] * 4
    newest = recorded.json("log", "-n", "2")
    assert [e["seq"] for e in newest] == [15, 14] and newest[0]["action"] == "claim.correct"
    assert [e["seq"] for e in recorded.json("log", "-n", "2", "--reverse")] == [1, 2]
    assert [e["seq"] for e in recorded.json("log")] == list(range(15, 0, -1))
    assert [e["seq"] for e in recorded.json("log", "--since", "12", "-n", "5")] == [15, 14, 13]
    assert recorded.run("log", "-n", "1").stdout.splitlines()[2].split()[0] == "15"
    assert recorded.run("log", "--since", "99").stdout == "(none)\n"
    assert recorded.run("log", "--since", "-1", code=2).stderr.startswith("error: --since: -1 is negative")
