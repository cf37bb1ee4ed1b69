"""`ledger extract`: candidates shown, recorded with --accept-all or walked with --review (scripted input),
marked as extracted in the history, shown by `audit`, filtered by `report --extracted`, kept by export/import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SEED = str(Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt")
EVENT = ("--event", "Ghweran prison attack")
NEW_DOC = ("--outlet", "Al Jazeera", "--published", "2022-01-22")


def test_candidates_are_shown_with_speakers_matched_to_sources_and_nothing_is_recorded(seeded):
    proposals = seeded.json("extract", SEED, *NEW_DOC)
    assert [p["figure"] for p in proposals] == ["more than 70", "all the fugitives were arrested", "28", "45", "5",
                                                "hundreds", "dozens", "10,000"]
    by_figure = {p["figure"]: p for p in proposals}
    assert (by_figure["28"]["said_by"], by_figure["28"]["said_by_is"]) == ("Syrian Observatory for Human Rights", "known")
    assert (by_figure["hundreds"]["said_by"], by_figure["hundreds"]["speaker_as_written"]) == (
        "Syrian Observatory for Human Rights", "The observatory")
    assert by_figure["more than 70"]["said_by"] == "local sources"  # matched across case and the article's "Local"
    assert (by_figure["10,000"]["said_by"], by_figure["10,000"]["said_by_is"]) == ("Anthony Blinken", "new")
    assert (by_figure["more than 70"]["date"], by_figure["more than 70"]["period"]) == ("2022-01-20", "as of 2022-01-20")
    assert by_figure["10,000"]["period"] == "2021-01-01..2021-12-31"
    text = Path(SEED).read_text(encoding="utf-8")
    assert all(text[slice(*p["span"])] == p["figure"] and text[slice(*p["quote_span"])] == p["quote"] for p in proposals)
    table = seeded.run("extract", SEED, *NEW_DOC).stdout
    assert "Anthony Blinken (new)" in table and "10,000" in table
    assert seeded.json("claim", "list") == [] and seeded.json("doc", "list") == []


def test_accept_all_makes_the_document_records_verified_claims_and_marks_them(seeded):
    out = seeded.run("--by", "zeynep", "extract", SEED, *NEW_DOC, *EVENT, "--accept-all", "--json")
    printed = json.loads(out.stdout)
    claims = seeded.json("claim", "list")
    assert [c["id"] for c in printed["claims"]] == [c["id"] for c in claims] and len(claims) == 8
    assert {c["document_id"] for c in claims} == {printed["document"]}
    assert all(c["quote_verified"] and c["quote_states_figure"] for c in claims)
    assert {c["said_by"] for c in claims} == {"local sources", "Mazloum Abdi", "Syrian Observatory for Human Rights",
                                              "Anthony Blinken"}
    audit = seeded.run("audit", str(claims[0]["id"])).stdout
    assert "claim.extracted" in audit and "extracted by ledger-rules 1 from hasaka-prison-2022.txt" in audit
    assert "accepted (--accept-all) by zeynep" in audit
    assert seeded.run("verify").stdout.startswith("ok: ")
    again = seeded.run("extract", SEED, "--doc", str(printed["document"]), *EVENT, "--accept-all")
    assert "recorded 0 of 8 candidates" in again.stdout and "already recorded as" in again.stderr


def test_figures_the_demo_already_recorded_are_not_proposed_again(cli):
    """The README's demo records the seed's claims by hand on document 1; extracting the same article onto it must
    not count them twice (a report once summed SOHR's parts to 106 after it)."""
    cli.run("demo")
    before = cli.json("report", "--json")
    listed = cli.json("extract", SEED, "--doc", "1", "--json")
    by_figure = {p["figure"]: p["recorded_as"] for p in listed}
    assert by_figure["28"] == 2 and by_figure["45"] == 3 and by_figure["more than 70"] == 1
    assert "recorded" in cli.run("extract", SEED, "--doc", "1").stdout.splitlines()[0]
    done = cli.run("extract", SEED, "--doc", "1", *EVENT, "--accept-all")
    assert "recorded 0 of 8 candidates" in done.stdout
    assert done.stderr.count("already recorded as claim") == 8
    reviewed = cli.run("extract", SEED, "--doc", "1", *EVENT, "--review", input="\n" * 8)  # Enter: the default
    assert "recorded 0 of 8 candidates" in reviewed.stdout and "skip is the default" in reviewed.stdout
    after = cli.json("report", "--json")
    assert len(cli.json("claim", "list")) == 11
    assert {k: v for k, v in after.items() if k != "made"} == {k: v for k, v in before.items() if k != "made"}


def test_a_figure_typed_in_without_a_quote_is_matched_by_speaker_and_interval(seeded):
    seeded.run("doc", "add", *NEW_DOC, "--file", SEED)
    seeded.run("claim", "add", *EVENT, "-m", "killed", "-g", "ISIS fighters", "--value", "45", "-s", "SOHR", "--doc", "1")
    seeded.run("claim", "add", *EVENT, "-m", "killed", "--value", "45", "-s", "local sources", "--doc", "1")
    listed = {p["figure"]: p["recorded_as"] for p in seeded.json("extract", SEED, "--doc", "1", "--json")}
    assert listed["45"] == 1 and listed["28"] is None  # the local sources' 45 is another speaker's figure
    done = seeded.run("extract", SEED, "--doc", "1", *EVENT, "--accept-all")
    assert "recorded 7 of 8 candidates" in done.stdout


def test_review_accepts_edits_and_skips_as_answered(seeded):
    # 1 accept; 2 skip; 3 edit (group, metric, speaker); then quit
    script = "a\ns\ne\nSDF fighters\nkilled\nSOHR\n\n\nq\n"  # Enter keeps the relays and period
    out = seeded.run("--by", "ayse", "extract", SEED, *NEW_DOC, *EVENT, "--review", input=script).stdout
    assert "[1/8] 'more than 70'" in out and "recorded as claim 1" in out and "recorded as claim 2" in out
    claims = seeded.json("claim", "list")
    assert [(c["value"]["text"], c["group"], c["said_by"]) for c in claims] == [
        ("more than 70", "people", "local sources"), ("28", "SDF fighters", "Syrian Observatory for Human Rights")]
    history = seeded.run("audit", "2").stdout
    assert "edited and accepted by ayse" in history
    assert "recorded 2 of 8 candidates" in out


def test_review_with_json_talks_on_stderr_and_prints_only_the_json(seeded):
    # found by the fuzz test: the questions went to stdout, in the middle of the JSON a script reads
    script = "a\ns\ne\nSDF fighters\nkilled\nSOHR\n\n\nq\n"  # Enter keeps the relays and period
    result = seeded.run("extract", SEED, *NEW_DOC, *EVENT, "--review", "--json", input=script)
    printed = json.loads(result.stdout)
    assert [claim["figure"] for claim in printed["claims"]] == ["more than 70", "28"]
    assert "[1/8] 'more than 70'" in result.stderr and "accept, edit, skip or quit?" in result.stderr
    assert "group (- for none)" in result.stderr


def test_review_stops_at_the_end_of_the_input_keeping_what_was_accepted(seeded):
    out = seeded.run("extract", SEED, *NEW_DOC, *EVENT, "--review", input="a\n").stdout
    assert "recorded 1 of 8 candidates" in out
    assert len(seeded.json("claim", "list")) == 1


def test_review_skipping_everything_makes_no_document(seeded):
    out = seeded.run("extract", SEED, *NEW_DOC, *EVENT, "--review", input="s\n" * 8).stdout
    assert "recorded 0 of 8 candidates; no document made" in out
    assert seeded.json("doc", "list") == []


def test_report_leaves_extracted_claims_out_or_shows_only_them(seeded):
    seeded.run("claim", "add", *EVENT, "-m", "killed", "-g", "civilians", "--value", "7", "-s", "SOHR")
    seeded.run("claim", "add", *EVENT, "-m", "killed", "-g", "civilians", "--value", "9", "-s", "local sources")
    seeded.run("extract", SEED, *NEW_DOC, *EVENT, "--accept-all")

    def summary(*args: str) -> str:
        return seeded.run("report", *args).stdout.strip().splitlines()[-1]

    assert summary().startswith("10 claims")
    assert summary("--extracted", "exclude").startswith("2 claims, 1 quantity: 1 contradiction")
    assert summary("--extracted", "only").startswith("8 claims")
    assert "contradiction" not in summary("--extracted", "only")


def test_the_mark_survives_an_export_and_import(seeded, tmp_path):
    seeded.run("--by", "zeynep", "extract", SEED, *NEW_DOC, *EVENT, "--accept-all")
    exported = tmp_path / "ledger.jsonl"
    seeded.run("export", "--format", "jsonl", "-o", str(exported))
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    seeded.run("--db", copy, "import", str(exported))
    assert seeded.run("--db", copy, "verify").stdout.startswith("ok: ")
    assert "accepted (--accept-all) by zeynep" in seeded.run("--db", copy, "audit", "3").stdout
    assert seeded.run("--db", copy, "report", "--extracted", "exclude", "--json").stdout.count('"text"') == 0


@pytest.mark.parametrize("content, problem", [
    (b"", "is empty"), (b"  \n\t\n", "is empty"), (b"\x00\x01\x02binary", "is binary"),
    ("tu\u00e9s 45".encode("latin-1"), "is not UTF-8 text"),
])
def test_a_bad_file_is_one_error_line(cli, tmp_path, content, problem):
    bad = tmp_path / "article.txt"
    bad.write_bytes(content)
    result = cli.run("extract", str(bad), code=2)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [result.stderr.splitlines()[0]]
    assert result.stderr.startswith(f"error: FILE: '{bad}' {problem}")


@pytest.mark.parametrize("args, field", [
    (("--accept-all",), "--event"),
    ((*EVENT, "--accept-all"), "--outlet"),
    ((*EVENT, "--accept-all", "--review", *NEW_DOC), "--review"),
    (("--doc", "1", "--published", "2022-01-22"), "--published"),
    (("--doc", "9"), "--doc"),
    (("--outlet", "Nobody at all"), "--outlet"),
    (("--published", "22/01/2022"), "--published"),
])
def test_bad_options_are_one_error_line_and_record_nothing(seeded, args, field):
    result = seeded.run("extract", SEED, *args, code=2)
    assert result.stderr.startswith(f"error: {field}"), result.stderr
    assert seeded.json("doc", "list") == [] and seeded.json("claim", "list") == []


def test_a_document_with_another_text_is_refused(seeded, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Five civilians were killed, the observatory said.", encoding="utf-8")
    seeded.run("doc", "add", *NEW_DOC, "--file", str(other))
    result = seeded.run("extract", SEED, "--doc", "1", *EVENT, "--accept-all", code=2)
    assert result.stderr.startswith("error: --doc: 1 holds another text than")


def test_verify_names_an_extraction_mark_altered_behind_the_ledgers_back(seeded):
    import os

    from ledger import open_ledger

    seeded.run("--by", "zeynep", "extract", SEED, *NEW_DOC, *EVENT, "--accept-all")
    book = open_ledger(os.environ["LEDGER_DB"])
    with book.store.engine.begin() as conn:
        changed = conn.exec_driver_sql(
            "UPDATE history SET payload = replace(payload, 'accept-all', 'review') WHERE action = 'claim.extracted'").rowcount
    assert changed == 8
    result = seeded.run("verify", code=1)
    assert "FAILED" in result.stdout and "hash" in result.stdout
