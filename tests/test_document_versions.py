"""Documents from the web with versions: an archive URL, when the text was retrieved, and the same URL with changed
text recorded as a new version linked to the old one, while claims keep citing the version they were read from.

The pure rules (``ledger.provenance.versions``) are tested directly; the rest goes through the CLI, on SQLite and on
PostgreSQL (``--postgres``): recording, refusing, showing, auditing, verifying, exporting and importing, copying,
extracting, and opening a ledger made at revision 0004 by the previous code.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy

from ledger.errors import InputError
from ledger.provenance.versions import (
    Version, chain_of, check_retrieved, later_versions, newest_of, retrieved_of, retrieved_text, version_of,
)

pytestmark = pytest.mark.postgres

SEED = Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt"
URL = "https://www.aljazeera.net/news/2022/1/22/hasaka"
ARCHIVE = "https://web.archive.org/web/20220122/" + URL
DOC = ("--outlet", "Al Jazeera", "--published", "2022-01-22")
QUOTE_V1 = "45 fighters from the “Islamic State” organization"


# -- the pure rules ------------------------------------------------------------------------------------------


def test_a_first_document_at_an_address_replaces_nothing():
    assert version_of(None, "abc") == Version() and version_of(None, None) == Version()


def test_another_text_replaces_the_newest_version_and_the_same_text_is_that_version():
    assert version_of((3, "abc"), "def") == Version(replaces=3)
    assert version_of((3, "abc"), "abc") == Version(same_as=3)
    assert version_of((3, None), "abc") == Version(replaces=3)  # a text where there was none: changed
    assert version_of((3, "abc"), None) == Version(replaces=3)
    assert version_of((3, None), None) == Version(same_as=3)  # no text again: nothing shows a change


def test_a_chain_is_read_from_any_of_its_versions_oldest_first():
    links = {2: 1, 5: 2, 9: 4}
    assert chain_of(1, links) == chain_of(2, links) == chain_of(5, links) == (1, 2, 5)
    assert chain_of(4, links) == (4, 9) and chain_of(7, links) == (7,)
    assert newest_of(1, links) == 5 and newest_of(9, links) == 9
    assert later_versions(links) == {1: 2, 2: 5, 4: 9}


def test_a_fork_follows_its_lowest_successor_and_a_loop_ends_where_it_closes():
    assert later_versions({3: 1, 2: 1}) == {1: 2}
    assert chain_of(1, {3: 1, 2: 1}) == (1, 2)
    assert chain_of(1, {1: 2, 2: 1}) == (2, 1)  # only an edit behind the ledger's back makes one
    assert chain_of(3, {3: 3}) == (3,)


@pytest.mark.parametrize("value, stored", [
    (date(2024, 3, 1), "2024-03-01"),
    (datetime(2024, 3, 1, 10, 5, tzinfo=timezone(timedelta(hours=1))), "2024-03-01T09:05:00+00:00"),
    (None, None),
])
def test_retrieved_is_stored_as_a_day_or_a_moment_in_utc_and_read_back(value, stored):
    assert retrieved_text(value) == stored
    back = retrieved_of(stored)
    assert back == value and type(back) is type(value)


@pytest.mark.parametrize("text", ["", "2024-02-30", "yesterday", "2024-03-01T10:05"])
def test_stored_text_that_is_no_day_or_moment_reads_as_none(text):
    assert retrieved_of(text) is None


def test_a_text_is_not_retrieved_before_it_was_published():
    published, at = date(2022, 1, 22), datetime(2022, 1, 22, 11, 5, tzinfo=timezone.utc)
    check_retrieved("--retrieved", date(2022, 1, 22), published, None)  # the same day
    check_retrieved("--retrieved", datetime(2022, 1, 22, 11, 5, tzinfo=timezone.utc), published, at)  # the same moment
    check_retrieved("--retrieved", None, published, at)
    with pytest.raises(InputError) as refused:
        check_retrieved("--retrieved", date(2022, 1, 21), published, None)
    assert (refused.value.field, refused.value.value) == ("--retrieved", "2022-01-21")
    with pytest.raises(InputError, match="before the document was published"):
        check_retrieved("--retrieved", datetime(2022, 1, 22, 11, 4, tzinfo=timezone.utc), published, at)


# -- through the CLI ---------------------------------------------------------------------------------------


@pytest.fixture
def texts(tmp_path) -> tuple[Path, Path]:
    """The seed article, and the same page after an edit raised a figure."""
    first = tmp_path / "v1.txt"
    first.write_bytes(SEED.read_bytes())
    second = tmp_path / "v2.txt"
    second.write_text(SEED.read_text(encoding="utf-8").replace("45 fighters", "52 fighters"), encoding="utf-8")
    return first, second


@pytest.fixture
def versioned(seeded, texts):
    """Version 1 of URL with a claim read from it, then version 2 of the same URL (with a claim of its own)."""
    first, second = texts
    seeded.run("doc", "add", *DOC, "--file", str(first), "--url", URL, "--archive-url", ARCHIVE, "--retrieved", "2022-01-22T15:00+03:00")
    seeded.run("claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "-g", "ISIS fighters", "--value", "45", "-s", "SOHR",
               "--doc", "1", "--quote", QUOTE_V1)
    added = seeded.run("doc", "add", *DOC, "--file", str(second), "--url", URL, "--retrieved", "2022-01-24")
    assert added.stdout == "2\n"
    assert added.stderr == f"document 2 is version 2 of {URL}, replacing document 1\n"
    seeded.run("claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "-g", "ISIS fighters", "--value", "52", "-s", "SOHR",
               "--doc", "2", "--quote", "52 fighters from the “Islamic State” organization")
    return seeded


def test_a_document_keeps_its_archive_url_and_when_it_was_retrieved(versioned):
    first = versioned.json("doc", "show", "1")
    assert (first["url"], first["archive_url"], first["retrieved"]) == (URL, ARCHIVE, "2022-01-22T12:00:00+00:00")
    assert (first["previous_id"], first["replaced_by"], first["version"]) == (None, 2, 1)
    assert (first["versions"], first["earlier"], first["later"]) == ([1, 2], [], [2])
    second = versioned.json("doc", "show", "2")
    assert (second["archive_url"], second["retrieved"], second["previous_id"], second["replaced_by"]) == (None, "2022-01-24", 1, None)
    assert (second["version"], second["earlier"], second["later"]) == (2, [1], [])
    shown = versioned.run("doc", "show", "1").stdout
    assert f"archive_url   {ARCHIVE}" in shown and "version       1 of 2\n" in shown and "later         2\n" in shown
    assert "version       2 of 2 (the newest)" in versioned.run("doc", "show", "2").stdout


def test_claims_keep_citing_the_version_they_were_read_from(versioned):
    assert versioned.json("claim", "show", "1")["document_id"] == 1
    assert versioned.json("claim", "show", "1")["quote_verified"] is True  # still checked against version 1's text
    assert versioned.json("claim", "show", "2")["document_id"] == 2
    assert versioned.json("doc", "show", "1")["claims"] == [1] and versioned.json("doc", "show", "2")["claims"] == [2]


def test_doc_list_marks_a_version_a_later_one_replaces(versioned):
    listed = versioned.json("doc", "list")
    assert [(d["id"], d["previous_id"], d["replaced_by"]) for d in listed] == [(1, None, 2), (2, 1, None)]
    rows = versioned.run("doc", "list").stdout.splitlines()
    assert rows[0].split()[-1] == "version" and rows[2].endswith("replaced by 2") and not rows[3].endswith("replaced by 2")
    assert "replaced_by" in versioned.run("doc", "list", "--csv").stdout.splitlines()[0]


def test_a_third_text_replaces_the_newest_version_and_a_json_add_prints_it(versioned, tmp_path):
    third = tmp_path / "v3.txt"
    third.write_text("A later text of the page.", encoding="utf-8")
    added = versioned.run("doc", "add", *DOC, "--file", str(third), "--url", URL, "--json")
    printed = json.loads(added.stdout)
    assert (printed["id"], printed["previous_id"]) == (3, 2)
    assert added.stderr == f"document 3 is version 3 of {URL}, replacing document 2\n"
    assert printed == {d["id"]: d for d in versioned.json("doc", "list")}[3]
    assert versioned.json("doc", "show", "1")["versions"] == [1, 2, 3]


def test_the_same_url_and_text_is_refused_naming_the_document_and_nothing_changes(versioned, texts):
    before = versioned.json("log")
    refused = versioned.run("doc", "add", *DOC, "--file", str(texts[1]), "--url", URL, "--retrieved", "2022-02-01", code=2)
    assert refused.stdout == ""  # a re-fetch that finds the text unchanged: the newest version, named
    assert refused.stderr == (f"error: --url: {URL!r} is already recorded with this text as document 2; "
                              "cite document 2 (--doc 2); a new version needs a changed text\n")
    assert versioned.json("log") == before


def test_the_text_of_an_older_version_again_is_a_new_version(versioned, texts):
    assert versioned.run("doc", "add", *DOC, "--file", str(texts[0]), "--url", URL).stdout == "3\n"
    assert versioned.json("doc", "show", "3")["earlier"] == [1, 2]


def test_without_a_url_or_text_nothing_is_versioned(seeded, texts):
    seeded.run("doc", "add", *DOC, "--file", str(texts[0]))
    seeded.run("doc", "add", *DOC, "--file", str(texts[0]))  # no address: two documents, as always
    assert [d["previous_id"] for d in seeded.json("doc", "list")] == [None, None]
    seeded.run("doc", "add", *DOC, "--url", URL)
    refused = seeded.run("doc", "add", *DOC, "--url", URL, "--title", "no text again", code=2)
    assert "already recorded with this text as document 3" in refused.stderr


def test_a_retrieved_date_that_is_no_date_or_before_publication_is_refused(seeded):
    bad = seeded.run("doc", "add", *DOC, "--retrieved", "2022-01-22T10:00", code=2)
    assert bad.stderr.startswith("error: --retrieved: '2022-01-22T10:00' has a time but no UTC offset")
    early = seeded.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22T14:05+03:00",
                       "--retrieved", "2022-01-22T11:00+00:00", code=2)
    assert early.stderr == ("error: --retrieved: '2022-01-22T11:00:00+00:00' is before the document was published "
                            "(2022-01-22T11:05:00+00:00); give the day (or moment) the text was fetched\n")
    assert seeded.json("doc", "list") == []


def test_a_version_a_later_one_replaces_is_not_removed_until_that_one_is(versioned):
    versioned.run("claim", "correct", "1", "--clear", "doc", "--clear", "quote", "--reason", "moved")
    refused = versioned.run("doc", "remove", "1", "--reason", "old", code=2)
    assert refused.stderr.startswith("error: ID: 1 is replaced by a later version, document 2")
    versioned.run("claim", "correct", "2", "--clear", "doc", "--clear", "quote", "--reason", "moved")
    versioned.run("doc", "remove", "2", "--reason", "a wrong fetch")
    assert versioned.json("doc", "show", "1")["versions"] == [1]
    versioned.run("doc", "remove", "1", "--reason", "old")
    assert versioned.run("verify").stdout.startswith("ok: ")


def test_audit_shows_the_version_a_claim_cites_and_that_a_newer_one_exists(versioned):
    view = versioned.json("audit", "1")["document"]
    assert (view["version"], view["versions"], view["newest"]) == (1, [1, 2], 2)
    assert (view["archive_url"], view["retrieved"]) == (ARCHIVE, "2022-01-22T12:00:00+00:00")
    text = versioned.run("audit", "1").stdout
    assert f"retrieved 2022-01-22T12:00:00+00:00; archived at {ARCHIVE}\n" in text
    assert ("version 1 of 2 at its address (documents 1, 2): a newer version exists: document 2; "
            "the claim cites this version") in text
    assert "version 2 of 2 at its address (documents 1, 2): the newest" in versioned.run("audit", "2").stdout


def test_history_payloads_carry_the_new_fields_only_when_set_and_verify_passes(versioned):
    adds = {e["subject"]: e["payload"] for e in versioned.json("log") if e["action"] == "document.add"}
    assert adds["document:1"]["archive_url"] == ARCHIVE and adds["document:1"]["retrieved"] == "2022-01-22T12:00:00+00:00"
    assert "previous_id" not in adds["document:1"] and adds["document:2"]["previous_id"] == 1
    assert "archive_url" not in adds["document:2"]
    assert versioned.run("verify").stdout.startswith("ok: ")


@pytest.mark.parametrize("column, value, stored", [
    ("archive_url", "'https://archive.example/forged'", '"https://archive.example/forged"'),
    ("retrieved", "'2022-01-25'", '"2022-01-25"'),
    ("previous_id", "NULL", '"null"'),
])
def test_verify_names_an_edit_of_a_new_column_behind_the_ledgers_back(versioned, isolated_db, column, value, stored):
    engine = sqlalchemy.create_engine(isolated_db)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE document SET {column} = {value} WHERE id = 2")
    engine.dispose()
    result = versioned.run("verify", code=1)
    assert f"document 2: stored {column} {stored} differs from history" in result.stdout


def test_extract_passes_the_url_archive_url_and_retrieved_to_the_document_it_makes(seeded, texts):
    seeded.run("doc", "add", *DOC, "--file", str(texts[0]), "--url", URL)
    out = seeded.run("extract", str(texts[1]), *DOC, "--url", URL, "--archive-url", ARCHIVE, "--retrieved", "2022-01-24",
                     "-e", "Ghweran prison attack", "--accept-all", "--json")
    made = json.loads(out.stdout)["document"]
    doc = seeded.json("doc", "show", str(made))
    assert (doc["url"], doc["archive_url"], doc["retrieved"], doc["previous_id"]) == (URL, ARCHIVE, "2022-01-24", 1)
    refused = seeded.run("extract", str(texts[0]), "--doc", "1", "--retrieved", "2022-01-24", code=2)
    assert refused.stderr.startswith("error: --retrieved: '2022-01-24' cannot be combined with --doc")


# -- export, import, copy ----------------------------------------------------------------------------------


def test_a_jsonl_export_restores_every_version_exactly_into_an_empty_ledger(versioned, tmp_path):
    out = tmp_path / "whole.jsonl"
    versioned.run("export", "-o", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    documents = [line for line in lines if line.get("record") == "document"]
    assert documents[0]["archive_url"] == ARCHIVE and documents[0]["retrieved"] == "2022-01-22T12:00:00+00:00"
    assert "previous" not in documents[0] and documents[1]["previous"] == 1
    copy = str(tmp_path / "copy.db")
    versioned.run("--db", copy, "import", str(out))
    assert versioned.json("--db", copy, "verify")["head"] == versioned.json("verify")["head"]
    for command in (("doc", "list"), ("doc", "show", "1"), ("audit", "1")):
        assert versioned.json("--db", copy, *command) == versioned.json(*command), command


def test_document_lines_import_into_a_ledger_with_their_versions_linked(versioned, tmp_path):
    out = tmp_path / "whole.jsonl"
    versioned.run("export", "-o", str(out))
    records = "".join(line + "\n" for line in out.read_text(encoding="utf-8").splitlines() if '"record":"row"' not in line)
    (tmp_path / "records.jsonl").write_text(records, encoding="utf-8")
    other = str(tmp_path / "other.db")
    versioned.run("--db", other, "source", "add", "Reuters")  # not empty: the plain records are imported
    versioned.run("--db", other, "import", str(tmp_path / "records.jsonl"))
    docs = versioned.json("--db", other, "doc", "list")
    assert [(d["id"], d["previous_id"], d["archive_url"], d["retrieved"]) for d in docs] == [
        (1, None, ARCHIVE, "2022-01-22T12:00:00+00:00"), (2, 1, None, "2022-01-24")]
    assert [c["document_id"] for c in versioned.json("--db", other, "claim", "list")] == [1, 2]
    assert versioned.run("--db", other, "verify").stdout.startswith("ok: ")


def test_an_imported_document_at_a_recorded_url_with_another_text_is_a_new_version(seeded, texts, tmp_path):
    seeded.run("doc", "add", *DOC, "--file", str(texts[0]), "--url", URL)
    line = {"record": "document", "id": 7, "outlet": "Al Jazeera", "published": "2022-01-22", "url": URL,
            "text": texts[1].read_text(encoding="utf-8"), "retrieved": "2022-01-24T09:00Z"}
    again = dict(line, id=8, text="A third text.", title="later")
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps(line) + "\n" + json.dumps(again) + "\n", encoding="utf-8")
    seeded.run("import", str(path))
    docs = versioned_pairs(seeded)
    assert docs == [(1, None), (2, 1), (3, 2)]
    assert seeded.json("doc", "show", "2")["retrieved"] == "2022-01-24T09:00:00+00:00"
    assert seeded.run("verify").stdout.startswith("ok: ")


def versioned_pairs(cli) -> list[tuple[int, int | None]]:
    return [(d["id"], d["previous_id"]) for d in cli.json("doc", "list")]


@pytest.mark.parametrize("extra, problem", [
    ({"previous": 9}, "previous: 9 is not a document earlier in this file"),
    ({"previous": "x"}, "previous: 'x' is not a whole number"),
    ({"retrieved": "2022-01-21"}, "retrieved: '2022-01-21' is before the document was published (2022-01-22)"),
    ({"retrieved": "22/01/2022"}, "retrieved: '22/01/2022' is not a valid date"),
])
def test_a_bad_version_or_retrieved_in_a_file_names_its_line(seeded, tmp_path, extra, problem):
    path = tmp_path / "docs.jsonl"
    line = {"record": "document", "id": 1, "outlet": "Al Jazeera", "published": "2022-01-22", "url": URL, **extra}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = seeded.run("import", str(path), code=2)
    assert f"{path}:1: {problem}" in result.stderr
    assert seeded.json("doc", "list") == []


def test_copy_keeps_every_version(versioned, tmp_path):
    elsewhere = str(tmp_path / "elsewhere.db")
    versioned.run("copy", "--to", elsewhere)
    assert versioned.json("--db", elsewhere, "doc", "list") == versioned.json("doc", "list")
    assert versioned.json("--db", elsewhere, "verify")["head"] == versioned.json("verify")["head"]


# -- a ledger made by the previous code ----------------------------------------------------------------------


def _build_revision_0004(url: str) -> None:
    """A ledger at revision 0004 as the previous code wrote it: a source, a document with its text and URL, a claim,
    and their history entries with the payloads that code made (no archive_url, retrieved or previous_id)."""
    from alembic import command
    from alembic.config import Config

    from ledger.provenance import chain
    from ledger.storage import engine as ledger_engine

    made = sqlalchemy.create_engine(url)
    with made.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(Path(ledger_engine.__file__).resolve().parent.parent / "migrations"))
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
    text = SEED.read_text(encoding="utf-8")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    payloads = [
        ("source.add", "source:1", {"name": "Al Jazeera", "kind": "media", "aliases": [], "affiliation_id": None, "grade": None}),
        ("document.add", "document:1", {"outlet_id": 1, "published": "2022-01-22", "url": URL, "title": None, "sha256": sha}),
    ]
    prev, entries = None, []
    for seq, (action, subject, payload) in enumerate(payloads, start=1):
        prev = chain.make_entry(prev, f"2022-01-22T10:00:0{seq}+00:00", "old", action, subject, payload)
        entries.append(prev)
    with made.begin() as conn:
        conn.execute(sqlalchemy.text("INSERT INTO source (id, name, kind) VALUES (1, 'Al Jazeera', 'media')"))
        conn.execute(sqlalchemy.text("INSERT INTO source_name (id, source_id, name, name_key, is_alias) "
                                     "VALUES (1, 1, 'Al Jazeera', 'al jazeera', false)"))
        conn.execute(sqlalchemy.text("INSERT INTO document (id, outlet_id, published, url, text, sha256) "
                                     "VALUES (1, 1, '2022-01-22', :url, :text, :sha)"), {"url": URL, "text": text, "sha": sha})
        for entry in entries:
            conn.execute(sqlalchemy.text("INSERT INTO history (seq, recorded_at, \"user\", action, subject, payload, prev_hash, hash) "
                                         "VALUES (:seq, :recorded_at, :user, :action, :subject, :payload, :prev_hash, :hash)"),
                         entry.__dict__)
        if conn.dialect.name == "postgresql":  # ids given explicitly: the sequences move on as the code's inserts would
            conn.exec_driver_sql("SELECT setval('source_id_seq', 1), setval('source_name_id_seq', 1), setval('document_id_seq', 1)")
    made.dispose()


@pytest.fixture
def old_ledger(tmp_path, postgres):
    """The URL of a ledger at revision 0004 made as the previous code made it: a SQLite file, or its own database
    on the PostgreSQL server of the run."""
    if postgres is None:
        url = f"sqlite:///{tmp_path / 'old.db'}"
        _build_revision_0004(url)
        yield url
        return
    name = "ledger_tests_revision_0004"
    with postgres.admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = postgres.server.set(database=name).render_as_string(hide_password=False)
    _build_revision_0004(url)
    yield url
    with postgres.admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_ledger_of_revision_0004_is_migrated_keeping_its_hashes_and_versions_follow(cli, old_ledger, texts):
    from ledger.storage.engine import SCHEMA_REVISION

    verified = cli.json("--db", old_ledger, "verify")  # opening migrates it to 0005
    assert verified["ok"] and verified["entries"] == 2
    engine = sqlalchemy.create_engine(old_ledger)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_REVISION
    engine.dispose()
    old = cli.json("--db", old_ledger, "doc", "show", "1")
    assert (old["url"], old["archive_url"], old["retrieved"], old["versions"]) == (URL, None, None, [1])
    cli.run("--db", old_ledger, "doc", "add", *DOC, "--file", str(texts[0]), "--url", URL, code=2)  # its text: refused
    added = cli.run("--db", old_ledger, "doc", "add", *DOC, "--file", str(texts[1]), "--url", URL, "--retrieved", "2022-01-24")
    assert added.stderr == f"document 2 is version 2 of {URL}, replacing document 1\n"
    assert cli.json("--db", old_ledger, "doc", "show", "2")["previous_id"] == 1
    assert cli.json("--db", old_ledger, "verify")["ok"]
