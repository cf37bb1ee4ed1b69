"""`ledger import` / `ledger export`: round trips, atomic rejection, history, and the fast reader."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def snapshot(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


@pytest.fixture
def full(cli, tmp_path):
    """The seed ledger plus a correction, a retraction, relays, an unverified quote and a credibility."""
    cli.run("demo", "--db", str(tmp_path / "ledger.db"))
    cli.run("claim", "correct", "3", "--value", "about 45", "--reason", "rounded in a later post")
    cli.run("claim", "correct", "3", "--value", "46")
    cli.run("claim", "retract", "2", "--reason", "misread")
    cli.run("claim", "add", "-e", "Ghwayran prison attack", "-m", "escaped", "-v", "dozens", "-s", "local sources",
            "--via", "Al-Jazeera", "--via", "Reuters", "--period", "2022-01-20..2022-01-21", "--credibility", "3",
            "--doc", "1", "--quote", "not in the article", "--unverified-quote")
    cli.run("claim", "add", "-e", "Raqqa raid", "-m", "killed", "-g", "civilians", "-v", "between 4 and 7",
            "-s", "SOHR", "--published", "2022-02-01", "--location", "Raqqa, \"old city\"")
    return cli


def test_jsonl_round_trip_is_byte_identical_with_sources_and_documents(full, tmp_path):
    first = full.run("export", "--format", "jsonl").stdout
    (tmp_path / "a.jsonl").write_text(first, encoding="utf-8")
    copy = tmp_path / "copy.db"
    result = full.run("--db", str(copy), "import", str(tmp_path / "a.jsonl"))
    assert result.stdout.strip() == "imported 13 claims (ids 1–13), 11 sources, 1 document"
    again = full.run("--db", str(copy), "export", "--format", "jsonl").stdout
    assert again == first
    sources = {s["name"]: s for s in full.json("--db", str(copy), "source", "list")}
    assert sources["Syrian Observatory for Human Rights"]["aliases"] == ["SOHR", "the observatory"]
    assert sources["Mazloum Abdi"]["affiliation"] == "Syrian Democratic Forces"
    claim = full.json("--db", str(copy), "claim", "show", "12")
    assert claim["via"] == ["Al Jazeera", "Reuters"] and claim["quote_verified"] is False and claim["credibility"] == 3
    assert full.json("--db", str(copy), "claim", "show", "2")["retracted"] is True
    assert full.json("--db", str(copy), "claim", "show", "1")["quote_verified"] is True  # checked again on import


def test_csv_round_trip_into_a_ledger_with_the_sources(seeded, tmp_path):
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "-v", "more than 70", "-s", "local sources", "--via", "al jazeera",
               "--via", "SDF", "--as-of", "2022-01-22", "--quote", "a, \"quoted\"\nline", "--credibility", "2")
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "-g", "ISIS fighters", "-v", "45", "-s", "the observatory",
               "--period", "2022-01-20..2022-01-22", "--location", "Hasakah")
    seeded.run("claim", "add", "-e", "B", "-m", "at-large", "-v", "dozens", "-s", "SOHR", "--published", "2022-01-23")
    seeded.run("claim", "retract", "3", "--reason", "duplicate")
    first = seeded.run("export", "--format", "csv").stdout
    assert first.splitlines()[0] == "event,metric,group,value,said_by,via,doc,published,as_of,period,location,quote,unverified_quote,credibility,retracted"
    (tmp_path / "claims.csv").write_text(first, encoding="utf-8")
    copy = str(tmp_path / "copy.db")
    for name, alias in (("Al Jazeera", "AJ"), ("Syrian Observatory for Human Rights", "SOHR"),
                        ("Syrian Democratic Forces", "SDF"), ("local sources", None)):
        seeded.run("--db", copy, "source", "add", name, *(["--alias", alias] if alias else []))
    seeded.run("--db", copy, "import", str(tmp_path / "claims.csv"))
    assert seeded.run("--db", copy, "export", "--format", "csv").stdout == first
    assert seeded.json("--db", copy, "claim", "show", "1")["via"] == ["Al Jazeera", "Syrian Democratic Forces"]


def test_csv_import_with_create_sources_and_via_lists(cli, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        "event,metric,value,said-by,via,as_of\n"
        "Ghweran prison attack,killed,78,SOHR,Al Jazeera|Reuters,2022-01-22\n"
        'Ghweran prison attack,killed,more than 70,local sources,"[""Al Jazeera""]",2022-01-22\n',
        encoding="utf-8",
    )
    assert cli.run("import", str(path), code=2).stderr.count("is not a known source") == 5
    assert cli.run("import", str(path), "--create-sources").stdout.strip() == "imported 2 claims (ids 1–2), 4 sources"
    claims = cli.json("claim", "list")
    assert [c["via"] for c in claims] == [["Al Jazeera", "Reuters"], ["Al Jazeera"]]
    assert claims[1]["value"]["low"] == 71


def test_bad_rows_reject_the_whole_file_with_every_line(seeded, tmp_path):
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "-v", "5", "-s", "SOHR")
    db = tmp_path / "ledger.db"
    before = snapshot(db)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([
        json.dumps({"event": "A", "metric": "killed", "value": "7", "said_by": "SOHR"}),
        json.dumps({"event": "A", "metric": "killed", "value": "a lot of", "said_by": "SOHR"}),
        "",
        json.dumps({"event": "A", "metric": "killed", "value": "7", "said_by": "SOHR", "as_of": "2022-02-30"}),
        "{not json",
        json.dumps({"event": "A", "metric": "killed", "value": "7", "said_by": "SOHR", "credibilty": 2}),
        json.dumps({"event": "A", "metric": "killed", "value": "9", "said_by": "SOHR", "doc": 4}),
        json.dumps({"event": "A", "value": "9", "said_by": "SOHR", "period": "2022-01-22..2022-01-20"}),
        json.dumps({"event": "A", "metric": "killed", "value": "7", "said_by": "Syrian Observatory"}),
    ]) + "\n", encoding="utf-8")
    result = seeded.run("import", str(path), code=2)
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: 8 problems in {path}; nothing was imported"
    assert [line.split(": ", 2)[:2] for line in lines[1:]] == [
        [f"{path}:2", "value"], [f"{path}:4", "as_of"], [f"{path}:5", "line"],
        [f"{path}:6", "credibilty"], [f"{path}:7", "doc"], [f"{path}:8", "metric"], [f"{path}:8", "period"],
        [f"{path}:9", "said_by"],
    ]
    assert "closest known: the observatory, Syrian Observatory for Human Rights" in lines[8]
    assert "2022-01-22..2022-01-20' ends before it starts" in lines[7]
    assert snapshot(db) == before
    assert seeded.run("import", str(path), "--dry-run", code=2).stderr == result.stderr


def test_error_list_is_capped_with_a_count(seeded, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("event,metric,value,said_by\n" + "A,killed,lots,SOHR\n" * 60, encoding="utf-8")
    err = seeded.run("import", str(path), code=2).stderr.splitlines()
    assert err[0] == f"error: 60 problems in {path}; nothing was imported"
    assert err[1].startswith(f"{path}:2: value: 'lots'") and err[50].startswith(f"{path}:51: value")
    assert err[-1] == "… and 10 more"


def test_csv_header_problems_and_wrong_width(cli, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("event,metric,value,speaker\nA,killed,5,SOHR\n", encoding="utf-8")
    assert f"{path}:1: speaker: is not a claim field" in cli.run("import", str(path), code=2).stderr
    path.write_text("event,metric,value,said_by\nA,killed,5\n", encoding="utf-8")
    assert f"{path}:2: line: has 3 cells; the header has 4" in cli.run("import", str(path), code=2).stderr
    assert "--format: None cannot be guessed" in cli.run("import", "claims.txt", code=2).stderr


def test_dry_run_checks_and_writes_nothing(seeded, tmp_path):
    db = tmp_path / "ledger.db"
    before = snapshot(db)
    path = tmp_path / "ok.csv"
    path.write_text("event,metric,value,said_by\nA,killed,5,SOHR\nA,killed,6,New Source\n", encoding="utf-8")
    assert seeded.run("import", str(path), "--dry-run", "--create-sources").stdout.strip() == "would import 2 claims, 1 source"
    assert snapshot(db) == before


def test_import_writes_the_same_history_as_claim_add(seeded, tmp_path):
    from ledger import chain
    from ledger.storage import open_ledger

    seeded.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22",
               "--file", str(SEEDS / "hasaka-prison-2022.txt"))
    args = {"event": "E", "metric": "killed", "group": "civilians", "value": "5", "said_by": "SOHR", "via": ["SDF"],
            "doc": 1, "as_of": "2022-01-21", "quote": "5 civilians in the Ghweran neighborhood", "credibility": 2}
    seeded.run("claim", "add", "-e", "E", "-m", "killed", "-g", "civilians", "-v", "5", "-s", "SOHR", "--via", "SDF",
               "--doc", "1", "--as-of", "2022-01-21", "--quote", args["quote"], "--credibility", "2")
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({**args, "retracted": True}) + "\n", encoding="utf-8")
    assert seeded.run("import", str(path)).stdout.strip() == "imported 1 claim (id 2)"
    ledger = open_ledger()
    entries = ledger.history()
    assert chain.verify_chain(entries) == []
    by_subject = {(e.subject, e.action): e for e in entries}
    added = json.loads(by_subject["claim:1", "claim.add"].payload)
    imported = json.loads(by_subject["claim:2", "claim.add"].payload)
    assert imported["recorded_at"] != added["recorded_at"]
    assert {**imported, "recorded_at": None} == {**added, "recorded_at": None}
    assert imported["quote_verified"] is True and imported["quote_start"] is not None
    assert by_subject["claim:2", "claim.retract"].seq == by_subject["claim:2", "claim.add"].seq + 1
    state = chain.replay(entries)["claim:2"]
    assert state["retracted"] is True and state["value"]["text"] == "5"


def test_fast_reader_matches_list_claims(full):
    from ledger.storage import open_ledger, readers as bulk

    ledger = open_ledger()
    assert bulk.list_claims(ledger) == ledger.list_claims()
    assert bulk.list_claims(ledger, event="ghweran  PRISON attack") == ledger.list_claims(event="Ghweran prison attack")
    fast, sources = bulk.claims_for_report(ledger)
    slow, slow_sources = ledger.claims_for_report()
    assert fast == slow and sources == slow_sources
    corrected = next(c for c in fast if c.id == 3)
    assert [q.text for q in corrected.corrections] == ["45", "about 45"]


def test_claimreview_export(full):
    reviews = json.loads(full.run("export", "--format", "claimreview").stdout)
    assert reviews and all(r["@type"] == "ClaimReview" and r["@context"] == "https://schema.org" for r in reviews)
    by_id = {r["identifier"]: r for r in reviews}
    local = by_id["urn:ledger:claim/1"]
    assert local["itemReviewed"]["@type"] == "Claim"
    assert local["itemReviewed"]["author"] == {"@type": "Organization", "name": "local sources"}
    assert local["itemReviewed"]["appearance"]["publisher"]["name"] == "Al Jazeera"
    assert local["claimReviewed"] == "Ghweran prison attack: killed more than 70"
    assert local["reviewRating"]["alternateName"] in ("contradiction", "divergence")
    assert local["reviewRating"]["ratingExplanation"]
    assert "urn:ledger:claim/2" not in by_id  # retracted: no verdict
    assert {r["reviewRating"]["alternateName"] for r in reviews} <= {"contradiction", "divergence", "revision", "agreement"}


def test_prov_json_export_has_derived_totals_and_revisions(full, tmp_path):
    doc = json.loads(full.run("export", "--format", "prov-json", "-o", str(tmp_path / "p.json")).stdout or
                     (tmp_path / "p.json").read_text(encoding="utf-8"))
    entity = doc["entity"]
    assert any(k.startswith("ledger:derived/") for k in entity)
    versions = sorted(k for k in entity if k.startswith("ledger:claim/3/before/"))
    assert len(versions) == 2 and entity[versions[0]]["ledger:value"] == "45"
    revisions = [r for r in doc["wasDerivedFrom"].values() if r.get("prov:type", {}).get("$") == "prov:Revision"]
    assert len(revisions) == 2
    assert entity["ledger:claim/2"]["ledger:retracted"] is True


def test_unknown_export_format(cli):
    assert "--format: 'xml' is not an export format" in cli.run("export", "--format", "xml", code=2).stderr
