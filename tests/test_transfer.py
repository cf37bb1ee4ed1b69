"""`ledger import` / `ledger export`: round trips, atomic rejection, history, and the fast reader."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def snapshot(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


@pytest.fixture
def full(cli, tmp_path):
    """The seed ledger plus a correction, a retraction, relays, an unverified quote and a credibility."""
    cli.run("demo")  # into the ledger every command of the test uses (conftest: SQLite, or PostgreSQL)
    cli.run("claim", "correct", "3", "--value", "about 45", "--reason", "rounded in a later post")
    cli.run("claim", "correct", "3", "--value", "46")
    cli.run("claim", "retract", "2", "--reason", "misread")
    cli.run("claim", "add", "-e", "Ghwayran prison attack", "-m", "escaped", "--value", "dozens", "-s", "local sources",
            "--via", "Al-Jazeera", "--via", "Reuters", "--period", "2022-01-20..2022-01-21", "--credibility", "3",
            "--doc", "1", "--quote", "not in the article", "--unverified-quote")
    cli.run("claim", "add", "-e", "Raqqa raid", "-m", "killed", "-g", "civilians", "--value", "between 4 and 7",
            "-s", "SOHR", "--published", "2022-02-01", "--location", "Raqqa, \"old city\"")
    return cli


def test_jsonl_round_trip_is_byte_identical_with_sources_and_documents(full, tmp_path):
    first = full.run("export", "--format", "jsonl").stdout
    (tmp_path / "a.jsonl").write_text(first, encoding="utf-8")
    copy = tmp_path / "copy.db"
    result = full.run("--db", str(copy), "import", str(tmp_path / "a.jsonl"))
    assert result.stdout.startswith("restored the whole ledger: 13 claims, 11 sources, 1 document, ")
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
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "more than 70", "-s", "local sources", "--via", "al jazeera",
               "--via", "SDF", "--as-of", "2022-01-22", "--quote", "a, \"quoted\"\nline", "--credibility", "2")
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "-g", "ISIS fighters", "--value", "45", "-s", "the observatory",
               "--period", "2022-01-20..2022-01-22", "--location", "Hasakah")
    seeded.run("claim", "add", "-e", "B", "-m", "at-large", "--value", "dozens", "-s", "SOHR", "--published", "2022-01-23")
    seeded.run("claim", "retract", "3", "--reason", "duplicate")
    first = seeded.run("export", "--format", "csv").stdout
    assert first.splitlines()[0] == ("id,event,metric,group,value,low,high,said_by,via,doc,published,published_at,as_of,period,"
                                     "as_of_at,location,quote,quote_original,unverified_quote,credibility,retracted")
    assert first.splitlines()[1].startswith("1,A,killed,,more than 70,71,,local sources,")
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
    assert cli.run("import", str(path), "--create-sources").stdout.splitlines()[0] == "imported 2 claims (ids 1–2), 4 sources"
    claims = cli.json("claim", "list")
    assert [c["via"] for c in claims] == [["Al Jazeera", "Reuters"], ["Al Jazeera"]]
    assert claims[1]["value"]["low"] == 71


def test_bad_rows_reject_the_whole_file_with_every_line(seeded, tmp_path):
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "5", "-s", "SOHR")
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
    assert (f"{path}:1: said_by: column is missing; the header's other columns: 'speaker' "
            f'(name one with --map "speaker=said_by")') in cli.run("import", str(path), code=2).stderr
    path.write_text("event,metric,value,said_by\nA,killed,5\n", encoding="utf-8")
    assert f"{path}:2: line: has 3 cells; the header has 4" in cli.run("import", str(path), code=2).stderr
    assert "FILE: 'claims.txt' has no .csv or .jsonl ending to tell its format by" in cli.run("import", "claims.txt", code=2).stderr


def test_dry_run_checks_and_writes_nothing(seeded, tmp_path):
    db = tmp_path / "ledger.db"
    before = snapshot(db)
    path = tmp_path / "ok.csv"
    path.write_text("event,metric,value,said_by\nA,killed,5,SOHR\nA,killed,6,New Source\n", encoding="utf-8")
    assert seeded.run("import", str(path), "--dry-run", "--create-sources").stdout.strip() == "would import 2 claims, 1 source"
    assert snapshot(db) == before


def test_import_writes_the_same_history_as_claim_add(seeded, tmp_path):
    from ledger.provenance import chain
    from ledger.provenance.replay import replay
    from ledger.storage.store import open_store

    seeded.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22",
               "--file", str(SEEDS / "hasaka-prison-2022.txt"))
    args = {"event": "E", "metric": "killed", "group": "civilians", "value": "5", "said_by": "SOHR", "via": ["SDF"],
            "doc": 1, "as_of": "2022-01-21", "quote": "5 civilians in the Ghweran neighborhood", "credibility": 2}
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({**args, "retracted": True}) + "\n", encoding="utf-8")
    assert seeded.run("import", str(path)).stdout.splitlines()[0] == "imported 1 claim (id 1)"
    # The same claim again, by hand (--again: the import holds it already).
    seeded.run("claim", "add", "-e", "E", "-m", "killed", "-g", "civilians", "--value", "5", "-s", "SOHR", "--via", "SDF",
               "--doc", "1", "--as-of", "2022-01-21", "--quote", args["quote"], "--credibility", "2", "--again")
    ledger = open_store()
    entries = ledger.history()
    assert chain.verify_chain(entries) == []
    by_subject = {(e.subject, e.action): e for e in entries}
    imported = json.loads(by_subject["claim:1", "claim.add"].payload)
    added = json.loads(by_subject["claim:2", "claim.add"].payload)
    assert imported["recorded_at"] != added["recorded_at"]
    assert {**imported, "recorded_at": None} == {**added, "recorded_at": None}
    assert imported["quote_verified"] is True and imported["quote_start"] is not None
    assert by_subject["claim:1", "claim.retract"].seq == by_subject["claim:1", "claim.add"].seq + 1
    state = replay(entries)["claim:1"]
    assert state["retracted"] is True and state["value"]["text"] == "5"


def test_fast_reader_matches_list_claims(full):
    from ledger.storage.store import open_store
    from ledger.storage import readers

    ledger = open_store()
    assert readers.list_claims(ledger) == ledger.list_claims()
    assert readers.list_claims(ledger, event="ghweran  PRISON attack") == ledger.list_claims(event="Ghweran prison attack")
    fast, sources = readers.claims_for_report(ledger)
    slow, slow_sources = ledger.claims_for_report()
    assert fast == slow and sources == slow_sources
    corrected = next(c for c in fast if c.id == 3)
    assert [q.text for q in corrected.corrections] == ["45", "about 45"]


def test_claimreview_export(full):
    refused = full.run("export", "--format", "claimreview", code=2)
    assert refused.output.startswith("error: --format: 'claimreview' needs the settings reviewer.name, reviewer.url and review.url")
    full.run("setting", "set", "reviewer.name", "Example Fact Check")
    full.run("setting", "set", "reviewer.url", "https://example.org")
    full.run("setting", "set", "review.url", "https://example.org/checks/{id}.html")
    reviews = json.loads(full.run("export", "--format", "claimreview").stdout)
    assert all(r["url"] == f"https://example.org/checks/{r['identifier'].rsplit('/', 1)[1]}.html" for r in reviews)
    assert all(r["author"] == {"@type": "Organization", "name": "Example Fact Check", "url": "https://example.org"} for r in reviews)
    assert reviews and all(r["@type"] == "ClaimReview" and r["@context"] == "https://schema.org" for r in reviews)
    by_id = {r["identifier"]: r for r in reviews}
    local = by_id["urn:ledger:claim/1"]
    assert local["itemReviewed"]["@type"] == "Claim"
    assert local["itemReviewed"]["author"] == {"@type": "Person", "name": "local sources",
                                               "description": "an unnamed source, as the publisher describes it"}
    sohr = next(r for r in reviews if r["itemReviewed"]["author"]["name"] == "Syrian Observatory for Human Rights")
    assert sohr["itemReviewed"]["author"] == {"@type": "Organization", "name": "Syrian Observatory for Human Rights"}
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


# -- the import's fast paths give exactly what the careful ones give ----------------------

# Field values as a JSONL row may carry them: (usual values, unusual spellings and junk).
_FIELD_VALUES = {
    "event": (["Ghweran prison attack", "  Raqqa raid "], ["", "   ", 7, None]),
    "metric": (["killed", " arrested"], ["", "  ", None, ["killed"]]),
    "value": (["78", "more than 70", "dozens", "all", 45], ["a lot of", "", " ", 4.5, True, None]),
    "said_by": (["SOHR", " Syrian Observatory "], ["", "  ", None, 1]),
    "group": (["civilians", " children ", None], ["", "  ", 3]),
    "via": ([[], ["SDF"], ["SDF", "Reuters"], None], [[" "], ["SDF", 2], "SDF|Reuters", '["SDF"]', ""]),
    "doc": ([1, 12, None], ["3", "x", True, 1.5, ""]),
    "published": (["2022-01-22", " 2022-01-20", None], ["2022-02-30", "22-01-2022", "", 20220122]),
    "as_of": (["2022-01-22", None], ["2022-02-30", "", 5]),
    "period": (["2022-01-20..2022-01-23", None], ["2022-01-23..2022-01-20", "2022-01-20", "2022-01-20..x", "", 3]),
    "location": (["Hasakah", " ", None], ["", 1]),
    "quote": (['a "quoted"\nline', None], ["", ["x"]]),
    "unverified_quote": ([True, False, None], ["yes", 1]),
    "credibility": ([1, 6, None], [0, 7, "3", True, ""]),
    "retracted": ([True, False, None], ["no", 0]),
    "credibilty": ([], [2]),  # a misspelt field
}


@st.composite
def _rows(draw):
    """A usual row with up to two fields spoiled: both paths must then agree, or the fast one step aside."""
    row = {}
    for name, (usual, _) in _FIELD_VALUES.items():
        if usual and (name in ("event", "metric", "value", "said_by") or draw(st.booleans())):
            row[name] = draw(st.sampled_from(usual))
    for name in draw(st.lists(st.sampled_from(sorted(_FIELD_VALUES)), max_size=2)):
        row[name] = draw(st.sampled_from(_FIELD_VALUES[name][1]))
    return row


@settings(max_examples=400, deadline=None)
@given(row=_rows())
def test_clean_row_fast_path_accepts_only_what_parse_claim_accepts(row):
    from ledger.transfer.rows import ClaimRecord, _Checker, _clean_claim, parse_claim

    checker = _Checker("f.jsonl")
    fast, careful = _clean_claim(row, 3, checker), parse_claim(row, 3, checker)
    if fast is not None:
        assert type(careful) is ClaimRecord and fast == careful


def test_clean_row_fast_path_takes_the_usual_rows():
    from ledger.transfer.rows import _Checker, _clean_claim, parse_claim

    checker = _Checker("f.jsonl")
    row = {"event": " A ", "metric": "killed", "group": "civilians", "value": "more than 70", "said_by": "SOHR",
           "via": ["SDF", "Reuters"], "doc": 1, "period": "2022-01-20..2022-01-23", "location": "Hasakah",
           "quote": "q", "unverified_quote": True, "credibility": 2, "retracted": False}
    assert _clean_claim(row, 1, checker) == parse_claim(row, 1, checker)
    assert _clean_claim({"event": "A", "metric": "killed", "value": 7, "said_by": "SOHR", "as_of": "2022-01-22"},
                        1, checker) is not None


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_INTS = st.integers(min_value=0, max_value=10**12)


@settings(max_examples=300, deadline=None)
@given(
    event=_TEXT, metric=_TEXT, group=st.none() | _TEXT, location=st.none() | _TEXT, quote=st.none() | _TEXT,
    value=st.tuples(_TEXT, _INTS, st.none() | _INTS, st.sampled_from(["exact", "range", "vague"]), st.none() | _INTS),
    said_by_id=_INTS, via_ids=st.lists(_INTS, max_size=3), document_id=st.none() | _INTS,
    published=st.none() | st.dates(), period=st.none() | st.tuples(st.none() | st.dates(), st.dates()),
    quote_span=st.none() | st.tuples(_INTS, _INTS), verified=st.booleans(), credibility=st.none() | st.integers(1, 6),
    published_at=st.none() | _TEXT, as_of_at=st.none() | _TEXT, quote_original=st.none() | _TEXT,
    states_figure=st.none() | st.booleans(),
)
def test_claim_add_json_is_the_canonical_json_of_claim_payload(
    event, metric, group, location, quote, value, said_by_id, via_ids, document_id, published, period, quote_span,
    verified, credibility, published_at, as_of_at, quote_original, states_figure,
):
    from ledger.provenance import chain
    from ledger.figures import Quantity
    from ledger.storage.rows import claim_add_json, claim_payload, claim_row_json

    at = "2026-11-25T20:00:00.123456+00:00"
    start, end = period or (None, None)
    qstart, qend = quote_span or (None, None)
    row = SimpleNamespace(
        event=event, metric=metric, group_name=group, value_text=value[0], value_low=value[1], value_high=value[2],
        value_kind=value[3], value_best=value[4], said_by_id=said_by_id, document_id=document_id, published=published,
        period_start=start, period_end=end, location=location, quote=quote, quote_start=qstart, quote_end=qend,
        quote_verified=verified, credibility=credibility, recorded_at=at, published_at=published_at,
        as_of_at=as_of_at, quote_original=quote_original, quote_states_figure=states_figure,
    )
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    fast = claim_add_json(
        chain.canonical_json(event), metric, group, chain.canonical_json(Quantity(*value).to_dict()), said_by_id, via_ids, document_id,
        iso(published), iso(start), iso(end), location, quote, qstart, qend, verified, credibility,
        chain.canonical_json(at), published_at, as_of_at, quote_original, states_figure,
    )
    assert fast == chain.canonical_json(claim_payload(row, via_ids))
    assert claim_row_json(vars(row), via_ids) == fast  # verify's quick check of a row against its add entry


def test_history_rows_chain_and_hash_like_make_entries():
    from ledger.provenance import chain

    at = "2026-11-25T20:00:00.123456+00:00"
    items = [("claim.add", f"claim:{i}", chain.canonical_json({"n": i, "é": "\n"})) for i in range(5)]
    rows = chain.history_rows("f" * 64, 8, at, "tester", items)
    entries = chain.make_entries("f" * 64, 8, [(at, "tester", a, s, json.loads(p)) for a, s, p in items])
    assert rows == [tuple(e.__dict__.values()) for e in entries]
    assert rows[0][0] == 8 and rows[1][6] == rows[0][7] == chain.entry_hash(*rows[0][:7])


# -- a large import writes through a child process, still in one transaction -------------


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 3 claims: any import of more than 3 takes the large-import path (a writer process)."""
    from ledger.storage import importer, writers

    monkeypatch.setattr(importer, "BATCH", 3)
    used = []
    real = writers.SQLiteProcessWriter

    def spy(*args):
        used.append(args)
        return real(*args)

    monkeypatch.setattr(writers, "SQLiteProcessWriter", spy)
    return used


def _claim_lines(n: int, bad_line: int | None = None) -> str:
    rows = []
    for i in range(1, n + 1):
        row = {"event": f"Event {i % 4}", "metric": "killed", "value": str(i), "said_by": "SOHR",
               "via": ["SDF"] if i % 2 else [], "as_of": "2022-01-22", "retracted": i == 5}
        if i == bad_line:
            row["value"] = "a lot of"
        rows.append(json.dumps(row))
    return "\n".join(rows) + "\n"


def test_large_import_goes_through_the_writer_process_and_matches_a_small_one(seeded, tmp_path, small_batches):
    from ledger.storage import importer

    db, copy = tmp_path / "ledger.db", tmp_path / "copy.db"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # the seeded ledger, twice
    path = tmp_path / "many.jsonl"
    path.write_text(_claim_lines(10), encoding="utf-8")
    assert seeded.run("import", str(path)).stdout.splitlines()[0] == "imported 10 claims (ids 1–10)"
    assert len(small_batches) == 1
    assert seeded.run("verify").stdout.startswith("ok:")
    importer.BATCH = 10_000  # the same file in one batch: no writer process
    seeded.run("--db", str(copy), "import", str(path))
    assert len(small_batches) == 1
    with sqlite3.connect(db) as a, sqlite3.connect(copy) as b:
        at_a, at_b = (c.execute("SELECT recorded_at FROM claim LIMIT 1").fetchone()[0] for c in (a, b))
        assert a.execute("SELECT * FROM claim_relay").fetchall() == b.execute("SELECT * FROM claim_relay").fetchall()
        claims = "SELECT * FROM claim ORDER BY id"
        assert a.execute(claims).fetchall() == [(*r[:21], at_a, *r[22:]) for r in b.execute(claims)]
        history = "SELECT seq, action, subject, payload FROM history ORDER BY seq"
        assert a.execute(history).fetchall() == [(*r[:3], r[3].replace(at_b, at_a)) for r in b.execute(history)]


def test_bad_row_after_rows_were_sent_to_the_writer_process_rolls_everything_back(seeded, tmp_path, small_batches):
    db = tmp_path / "ledger.db"
    before = snapshot(db)
    path = tmp_path / "bad.jsonl"
    path.write_text(_claim_lines(10, bad_line=9), encoding="utf-8")
    err = seeded.run("import", str(path), code=2).stderr.splitlines()
    assert err[0] == f"error: 1 problem in {path}; nothing was imported"
    assert err[1].startswith(f"{path}:9: value: 'a lot of'")
    assert len(small_batches) == 1  # batches of lines 1–3 and 4–6 had gone to the writer process
    assert snapshot(db) == before


def test_writer_process_refuses_a_ledger_that_changed_since_it_was_read(seeded, tmp_path):
    from ledger.errors import LedgerError
    from ledger.storage.writers import SQLiteProcessWriter

    db = tmp_path / "ledger.db"
    before = snapshot(db)
    writer = SQLiteProcessWriter(str(db), (1, "0" * 64))  # not this ledger's head
    writer.write([("claim_relay", ("claim_id", "position", "source_id"), [])])
    with pytest.raises(LedgerError, match="the ledger changed while the file was being read"):
        writer.commit()
    writer.close()
    assert snapshot(db) == before


def test_jsonl_lines_the_fast_scanner_leaves_to_json_loads():
    from ledger.transfer import ClaimRecord, read_jsonl

    good = '{"event":"A","metric":"killed","value":"7","said_by":"S"}'
    lines = [good + "\n", "\n", "  \t\n", "  " + good + "  \n", good + " x\n", good + good + "\n", "[1]\n", "nul\n",
             good + "\r\n", good]
    found = [(r.line if type(r) is ClaimRecord else (r[0].line, r[0].problem)) for r in read_jsonl(lines, "f")]
    column = len(good) + 2
    assert found == [1, 4, (5, f"is not valid JSON (Extra data at column {column})"),
                     (6, f"is not valid JSON (Extra data at column {column - 1})"), (7, "is not a JSON object"),
                     (8, "is not valid JSON (Expecting value at column 1)"), 9, 10]


def test_core_writer_for_other_databases_records_the_same_rows(seeded, tmp_path, monkeypatch):
    """The portable writer (PostgreSQL's path) turns the driver-shaped rows back into dates and booleans."""
    from ledger.storage import importer, writers

    db, copy = tmp_path / "ledger.db", tmp_path / "copy.db"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    path = tmp_path / "many.jsonl"
    path.write_text(_claim_lines(6), encoding="utf-8")
    seeded.run("import", str(path))
    monkeypatch.setattr(importer, "writer_for", lambda conn, large, head: writers.CoreWriter(conn))
    seeded.run("--db", str(copy), "import", str(path))
    assert seeded.run("--db", str(copy), "verify").stdout.startswith("ok:")
    claims = "SELECT * FROM claim ORDER BY id"
    with sqlite3.connect(db) as a, sqlite3.connect(copy) as b:
        at_b = b.execute("SELECT recorded_at FROM claim LIMIT 1").fetchone()[0]
        assert [(*r[:21], at_b, *r[22:]) for r in a.execute(claims)] == b.execute(claims).fetchall()


def test_import_reads_dates_only_as_yyyy_mm_dd(seeded, tmp_path):
    path = tmp_path / "dates.csv"
    path.write_text("event,metric,value,said_by,published,as_of\n"
                    "A,killed,5,SOHR,20220122,\nA,killed,5,SOHR,,2022-W03-6\nA,killed,5,SOHR, 2022-01-22 ,\n",
                    encoding="utf-8")
    result = seeded.run("import", str(path), "--dry-run", code=2)
    assert "dates.csv:2: published: '20220122' is not a valid date" in result.stderr
    assert "dates.csv:3: as_of: '2022-W03-6' is not a valid date" in result.stderr
    assert "2 problems in" in result.stderr and "dates.csv:4" not in result.stderr


# -- importing what the ledger already holds (issue 12) -----------------------------------------


def history_length(cli) -> int:
    return len(cli.json("log"))


def test_importing_a_ledgers_own_export_adds_nothing(full, tmp_path):
    out = tmp_path / "own.jsonl"
    full.run("export", "-o", str(out))
    before = (full.json("claim", "list"), history_length(full))
    dry = full.run("import", str(out), "--dry-run").stdout.strip()
    assert dry == "would import 0 claims; 13 claims, 11 sources, 1 document already in the ledger, skipped"
    assert full.run("import", str(out)).stdout.strip() == (
        "imported 0 claims; 13 claims, 11 sources, 1 document already in the ledger, skipped")
    assert (full.json("claim", "list"), history_length(full)) == before
    csv_out = tmp_path / "own.csv"
    full.run("export", "-f", "csv", "-o", str(csv_out))
    assert full.run("import", str(csv_out)).stdout.strip() == "imported 0 claims; 13 claims already in the ledger, skipped"
    assert full.run("verify").stdout.startswith("ok: ")


def test_an_export_imported_into_a_ledger_holding_records_says_what_of_its_history_is_left_out(full, tmp_path):
    out = tmp_path / "own.jsonl"
    full.run("export", "-o", str(out))
    other = str(tmp_path / "other.db")
    full.run("--db", other, "source", "add", "Someone else", "--kind", "media")
    for dry in (["--dry-run"], []):
        done = full.run("--db", other, "import", str(out), *dry)
        assert done.stderr == ("warning: the file's history holds 2 corrections and 1 retraction reason, not replayed into a "
                               "ledger that already held records: the new claims come in as they stand now; import the file "
                               "into an empty ledger to keep its whole history\n")
    assert len(full.json("--db", other, "claim", "list")) == 13


def test_an_export_imported_twice_into_a_fresh_ledger_is_imported_once(full, tmp_path):
    out = tmp_path / "own.jsonl"
    full.run("export", "-o", str(out))
    other = str(tmp_path / "other.db")
    assert full.run("--db", other, "import", str(out)).stdout.startswith("restored the whole ledger: 13 claims, 11 sources")
    assert full.run("--db", other, "import", str(out)).stdout.startswith("imported 0 claims; 13 claims")
    assert len(full.json("--db", other, "claim", "list")) == 13


def test_only_the_new_rows_of_an_overlapping_file_are_imported(seeded, tmp_path):
    rows = "event,metric,value,said_by\nA,killed,5,SOHR\nA,killed,6,SOHR\n"
    first = tmp_path / "first.csv"
    first.write_text(rows, encoding="utf-8")
    seeded.run("import", str(first))
    second = tmp_path / "second.csv"
    second.write_text(rows + "A,killed,7,SOHR\n", encoding="utf-8")
    said = seeded.run("import", str(second)).stdout.splitlines()
    assert said[0] == "imported 1 claim (id 3); 2 claims already in the ledger, skipped"
    assert [c["value"]["text"] for c in seeded.json("claim", "list")] == ["5", "6", "7"]


def test_an_import_ends_with_one_entry_naming_the_files_sha256(seeded, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_bytes(b"\xef\xbb\xbfevent;metric;value;said_by\r\nA;killed;5;SOHR\r\nA;killed;6;Reporter\r\n")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()  # of the bytes as stored: byte-order mark and CRLF included
    before = seeded.json("log", "-n", "1")[0]["seq"]
    said = seeded.run("import", str(path), "--create-sources").stdout.splitlines()
    entries = seeded.json("log", "--since", str(before), "--reverse")
    assert sorted(e["action"] for e in entries) == ["claim.add", "claim.add", "import", "source.add"]
    assert entries[-1]["action"] == "import"
    entry = entries[-1]
    assert said == ["imported 2 claims (ids 1–2), 1 source", f"history entry {entry['seq']} names the file: sha256 {sha}"]
    assert entry["subject"] == f"file:{sha}"
    reporter = next(src["id"] for src in seeded.json("source", "list") if src["name"] == "Reporter")
    assert entry["payload"] == {"file": str(path), "sha256": sha, "claims": [1, 2], "sources": [reporter, reporter], "documents": 0,
                                "skipped": {"claims": 0, "sources": 0, "documents": 0}}
    assert f"imported from {path} (sha256 {sha[:16]}…)" in seeded.run("audit", "2").stdout
    # The same bytes through standard input: the same sha256; nothing new, so no entry at all.
    again = seeded.run("import", "-", input=path.read_bytes())
    assert again.stdout.strip() == "imported 0 claims; 2 claims already in the ledger, skipped"
    assert seeded.json("log", "-n", "1")[0]["seq"] == entry["seq"]
    extra = tmp_path / "extra.csv"
    extra.write_bytes(path.read_bytes() + b"A;killed;7;SOHR\r\n")
    piped = seeded.run("import", "-", input=extra.read_bytes()).stdout.splitlines()
    assert piped[-1].endswith(f"names the file: sha256 {hashlib.sha256(extra.read_bytes()).hexdigest()}")
    assert seeded.json("log", "-n", "1")[0]["payload"]["file"] == "<stdin>"
    assert seeded.run("import", str(path), "--dry-run").stdout.strip() == "would import 0 claims; 2 claims already in the ledger, skipped"
    seeded.run("verify")


def test_a_source_the_file_describes_otherwise_is_a_conflict_and_nothing_is_written(seeded, tmp_path):
    path = tmp_path / "conflict.jsonl"
    path.write_text('{"record": "source", "name": "SOHR", "kind": "media", "grade": "A"}\n'
                    '{"event": "A", "metric": "killed", "value": "5", "said_by": "SOHR"}\n', encoding="utf-8")
    before = history_length(seeded)
    result = seeded.run("import", str(path), code=2)
    assert f"{path}:1: name: 'SOHR' is in the ledger as ngo, the file says media, grade A; make them agree first" in result.stderr
    assert history_length(seeded) == before


# -- a whole ledger through its own JSONL export (issue 12) ---------------------------------------


def test_an_export_restores_the_whole_ledger_with_its_history_into_an_empty_one(full, tmp_path):
    full.run("event", "edit", "Ghweran prison attack", "--date", "2022-01-20", "--reason", "the attack began on the 20th")
    full.run("source", "edit", "SOHR", "--grade", "A", "--reason", "track record")
    full.run("claim", "restore", "2", "--reason", "read again")
    full.run("claim", "correct", "4", "--location", "Ghweran prison, Hasakah", "--reason", "place")
    out = tmp_path / "whole.jsonl"
    full.run("export", "-o", str(out))
    copy = str(tmp_path / "copy.db")
    summary = full.run("--db", copy, "import", str(out)).stdout.strip()
    original_head = full.run("verify").stdout.split("head ")[1].strip()
    assert summary.startswith("restored the whole ledger: 13 claims, 11 sources, 1 document, ")
    assert summary.endswith(f"history head {original_head[:12]}")
    assert full.run("--db", copy, "verify").stdout.split("head ")[1].strip() == original_head
    for command in (("claim", "list", "--json"), ("claim", "show", "3", "--json"), ("audit", "2", "--json"),
                    ("report", "--all", "--format", "json"), ("log", "--json"), ("event", "list", "--json")):
        assert full.run("--db", copy, *command).stdout == full.run(*command).stdout, command
    # Into the copy again: it holds everything, so nothing is added.
    again = full.run("--db", copy, "import", str(out)).stdout.strip()
    assert again.startswith("imported 0 claims; 13 claims") and full.run("--db", copy, "verify").stdout.startswith("ok: ")


def test_a_whole_ledger_export_with_a_row_changed_is_refused_and_leaves_the_target_empty(full, tmp_path):
    out = tmp_path / "whole.jsonl"
    full.run("export", "-o", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        if line.get("record") == "row" and line["table"] == "claim" and line["values"]["id"] == 3:
            line["values"]["value_text"] = "460"
    forged = tmp_path / "forged.jsonl"
    forged.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    copy = str(tmp_path / "copy.db")
    result = full.run("--db", copy, "import", str(forged), code=1)
    assert "its rows do not replay from its own history: claim 3: stored value \"460\" differs from history" in result.stderr
    assert full.json("--db", copy, "claim", "list") == [] and full.json("--db", copy, "log") == []


def test_held_means_what_claim_add_calls_the_same_claim(seeded, tmp_path):
    # Two updates of one day differ only in their time: claim add records both, so an import must not skip one.
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "5", "-s", "SOHR", "--as-of", "2022-01-22T09:00+03:00")
    path = tmp_path / "evening.jsonl"
    path.write_text('{"event": "A", "metric": "killed", "value": "5", "said_by": "SOHR", "as_of": "2022-01-22T18:00+03:00"}\n'
                    '{"event": "a", "metric": "killed", "value": "5", "said_by": "SOHR", "as_of": "2022-01-22T09:00+03:00", '
                    '"credibility": 2}\n', encoding="utf-8")
    # The second row is the first claim again (event by its key; credibility is a judgement, not what was said).
    assert seeded.run("import", str(path)).stdout.splitlines()[0] == "imported 1 claim (id 2); 1 claim already in the ledger, skipped"


def test_a_jsonl_key_given_twice_is_refused_and_a_quote_holding_a_colon_is_not(seeded, tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"event":"A","metric":"killed","value":"5","value":"50","said_by":"SOHR"}\n'
                    '{"event":"A","metric":"killed","value":"7","said_by":"SOHR","quote":"he said \\"x\\": 7"}\n')
    refused = seeded.run("import", str(rows), code=2)
    assert refused.stderr.endswith("rows.jsonl:1: value: is given twice in the line: which value is meant cannot be told\n")
    assert seeded.json("claim", "list") == []
    rows.write_text('{"event":"A","metric":"killed","value":"7","said_by":"SOHR","quote":"he said \\"x\\": 7"}\n')
    seeded.run("import", str(rows))
    assert [c["quote"] for c in seeded.json("claim", "list")] == ['he said "x": 7']
