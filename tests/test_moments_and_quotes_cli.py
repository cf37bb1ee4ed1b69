"""Issue 10 through the CLI: times of day, quotes that do not state their figure, translated quotes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt"
EVENT = ("-e", "Ghweran prison attack", "-m", "killed")


def dump() -> list[str]:
    with sqlite3.connect("ledger.db") as conn:
        return list(conn.iterdump())


def test_same_day_updates_are_reported_in_the_order_of_their_times(seeded):
    # the evening's figure is recorded first
    seeded.run("claim", "add", *EVENT, "--value", "136", "-s", "SOHR", "--as-of", "2022-01-22T18:00+03:00")
    seeded.run("claim", "add", *EVENT, "--value", "138", "-s", "SOHR", "--as-of", "2022-01-22T09:00+03:00")
    report = json.loads(seeded.run("report", "--format", "json").stdout)["findings"]
    assert report[0]["reason"] == 'SOHR changed its figure: "138" as of 2022-01-22 06:00 UTC → "136" as of 2022-01-22 15:00 UTC'
    shown = seeded.json("claim", "show", "1")
    assert shown["as_of"] == "2022-01-22" and shown["as_of_at"] == "2022-01-22T15:00:00+00:00"


def test_a_time_without_its_offset_is_one_error_line_and_nothing_changes(seeded):
    before = dump()
    result = seeded.run("claim", "add", *EVENT, "--value", "5", "-s", "SOHR", "--published", "2022-01-22T14:05", code=2)
    assert result.stderr == ("error: --published: '2022-01-22T14:05' has a time but no UTC offset; add the offset the "
                             "source used, e.g. 2022-01-22T14:05+03:00 (or Z for UTC)\n")
    assert dump() == before


def test_a_claim_inherits_its_documents_time(seeded):
    seeded.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22T10:30+03:00", "--file", str(SEED))
    seeded.run("claim", "add", *EVENT, "--value", "more than 70", "-s", "local sources", "--doc", "1")
    shown = seeded.json("claim", "show", "1")
    assert shown["published"] == "2022-01-22" and shown["published_at"] == "2022-01-22T07:30:00+00:00"
    assert "document 1: Al Jazeera, published 2022-01-22 07:30 UTC" in seeded.run("audit", "1").stdout


def test_a_quote_that_does_not_state_the_figure_is_kept_and_flagged(seeded):
    seeded.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22", "--file", str(SEED))
    # SOHR's total, 78, is nowhere in the article: only its parts are
    seeded.run("claim", "add", *EVENT, "--value", "78", "-s", "SOHR", "--doc", "1",
               "--quote", "45 fighters from the “Islamic State” organization")
    seeded.run("claim", "add", *EVENT, "--value", "more than 70", "-s", "local sources", "--doc", "1",
               "--quote", "in the death of more than 70 people")
    assert seeded.json("claim", "show", "1")["quote_states_figure"] is False
    assert seeded.json("claim", "show", "2")["quote_states_figure"] is True
    assert 'figure: the quote DOES NOT STATE "78"' in seeded.run("audit", "1").stdout
    report = json.loads(seeded.run("report", "--format", "json", "--all").stdout)["findings"]
    assert "(its quote does not state it)" in report[0]["reason"]
    assert seeded.run("verify").stdout.startswith("ok:")


def test_a_correction_is_judged_against_the_same_quote(seeded):
    seeded.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22", "--file", str(SEED))
    seeded.run("claim", "add", *EVENT, "-g", "ISIS fighters", "--value", "54", "-s", "SOHR", "--doc", "1",
               "--quote", "45 fighters from the “Islamic State” organization")
    assert seeded.json("claim", "show", "1")["quote_states_figure"] is False
    seeded.run("claim", "correct", "1", "--value", "45", "--reason", "digits swapped")
    assert seeded.json("claim", "show", "1")["quote_states_figure"] is True
    assert seeded.run("verify").stdout.startswith("ok:")


def test_a_translated_quote_is_verified_by_its_original_and_audit_shows_both(seeded):
    seeded.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22", "--file", str(SEED))
    seeded.run("claim", "add", *EVENT, "-g", "civilians", "--value", "5", "-s", "SOHR", "--doc", "1",
               "--quote", "cinq civils dans le quartier de Ghweran",
               "--quote-original", "5 civilians in the Ghweran neighborhood")
    audit = seeded.run("audit", "1").stdout
    assert 'original: verified at characters ' in audit and '"5 civilians in the Ghweran neighborhood"' in audit
    assert 'quote (translation): "cinq civils dans le quartier de Ghweran"' in audit
    assert 'figure: the quote states "5"' in audit
    # neither the quote nor the original in the document: refused, naming the quote
    result = seeded.run("claim", "add", *EVENT, "-g", "civilians", "--value", "6", "-s", "SOHR", "--doc", "1",
                        "--quote", "six civils", "--quote-original", "6 civilians were killed", code=2)
    assert result.stderr.startswith("error: --quote: 'six civils' does not occur in the document")
    assert "the original words were not found either" in result.stderr


def test_times_translations_and_checks_survive_export_and_import(seeded, tmp_path):
    seeded.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22T10:30+03:00", "--file", str(SEED))
    seeded.run("claim", "add", *EVENT, "-g", "civilians", "--value", "5", "-s", "SOHR", "--doc", "1",
               "--quote", "cinq civils", "--quote-original", "5 civilians in the Ghweran neighborhood",
               "--as-of", "2022-01-22T09:00+03:00")
    exported = tmp_path / "out.jsonl"
    seeded.run("export", "-o", str(exported))
    seeded.run("--db", str(tmp_path / "copy.db"), "import", str(exported), "--create-sources")
    original, copy = seeded.json("claim", "show", "1"), seeded.json("--db", str(tmp_path / "copy.db"), "claim", "show", "1")
    for field in ("published_at", "as_of", "as_of_at", "quote", "quote_original", "quote_verified", "quote_states_figure",
                  "quote_span"):
        assert copy[field] == original[field], field
    assert seeded.run("--db", str(tmp_path / "copy.db"), "verify").stdout.startswith("ok:")
