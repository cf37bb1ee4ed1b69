"""`ledger extract`: who a figure is filed under (anonymous speakers, listeners that relay), recording an article
twice, the files it refuses (too long, a BOM kept), editing relays and period in --review, and clean option errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ledger.api.extraction import MAX_CHARACTERS, is_anonymous, read_article
from ledger.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SEED = str(ROOT / "seeds" / "hasaka-prison-2022.txt")
EVENT = ("--event", "Ghweran prison attack")
REUTERS = ("--outlet", "Reuters", "--published", "2022-01-22")
NEW_DOC = ("--outlet", "Al Jazeera", "--published", "2022-01-22")


@pytest.fixture
def wire(seeded, tmp_path):
    seeded.run("source", "add", "Reuters", "--kind", "media")
    return seeded


def _proposals(cli, path, *args) -> dict[str, dict]:
    return {p["figure"]: p for p in cli.json("extract", str(path), *args)}


def _article(tmp_path, text: str, name: str = "article.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _state(cli) -> tuple:
    return cli.json("doc", "list"), cli.json("claim", "list"), cli.json("source", "list"), cli.json("log")


# 1. anonymous speakers are not filed under a named source

@pytest.mark.parametrize("name", [
    "a military source in the US-backed Syrian Democratic Forces", "A military source in the SDF", "an officer",
    "two officials in the Syrian Democratic Forces", "several witnesses", "SDF officials", "Local sources",
    "one resident of Hasakah", "a medic",
])
def test_unnamed_speakers_are_anonymous(name):
    assert is_anonymous(name)


@pytest.mark.parametrize("name", [
    "The Syrian Observatory for Human Rights", "US Secretary of State Anthony Blinken", "Mazloum Abdi", "The SDF",
    "Doctors Without Borders", "senior official Farhad Shami", "Police",
])
def test_named_speakers_are_not_anonymous(name):
    assert not is_anonymous(name)


def test_an_anonymous_speaker_is_its_own_new_source_not_the_named_one_it_belongs_to(wire, tmp_path):
    article = _article(tmp_path, "A military source in the US-backed Syrian Democratic Forces said 12 fighters were killed.\n"
                                 "Two officials in the Syrian Democratic Forces said 40 were arrested.\n"
                                 "The SDF said 3 were arrested.\n"
                                 "Local sources said 70 people died.\n")
    found = _proposals(wire, article, *REUTERS)
    assert (found["12"]["said_by"], found["12"]["said_by_is"]) == (
        "A military source in the US-backed Syrian Democratic Forces", "new")
    assert found["40"]["said_by"] == "Two officials in the Syrian Democratic Forces"
    assert (found["3"]["said_by"], found["3"]["said_by_is"]) == ("Syrian Democratic Forces", "known")  # named: matched
    assert (found["70"]["said_by"], found["70"]["said_by_is"]) == ("local sources", "known")  # the recorded one itself
    wire.run("extract", str(article), *REUTERS, *EVENT, "--accept-all")
    kinds = {s["name"]: s["kind"] for s in wire.json("source", "list")}
    assert kinds["A military source in the US-backed Syrian Democratic Forces"] == "anonymous"
    said_by = {c["value"]["text"]: c["said_by"] for c in wire.json("claim", "list")}
    assert said_by["12"] != "Syrian Democratic Forces" and said_by["3"] == "Syrian Democratic Forces"


def test_named_speakers_still_match_and_titles_still_drop(seeded):
    found = _proposals(seeded, SEED, *NEW_DOC)
    assert found["28"]["said_by"] == "Syrian Observatory for Human Rights"
    assert found["hundreds"]["said_by"] == "Syrian Observatory for Human Rights"  # "The observatory"
    assert (found["10,000"]["said_by"], found["10,000"]["said_by_is"]) == ("Anthony Blinken", "new")


def test_an_unknown_organisation_keeps_its_whole_name(cli, tmp_path):
    cli.run("source", "add", "Al Jazeera", "--kind", "media")
    found = _proposals(cli, SEED, *NEW_DOC)  # a ledger that knows no observatory: it was filed as "Human Rights"
    assert (found["28"]["said_by"], found["28"]["said_by_is"]) == ("Syrian Observatory for Human Rights", "new")
    assert found["10,000"]["said_by"] == "Anthony Blinken"


# 2. a listener other than the outlet relays the figure

def test_a_news_agency_told_is_a_relay_but_reporters_and_the_outlet_itself_are_not(wire, tmp_path):
    article = _article(tmp_path, "Police told AFP that 6 were killed.\nOfficials told reporters that 9 were wounded.\n"
                                 "Police told Reuters that 8 were killed.\nA medic told journalists that 4 were wounded.\n")
    found = _proposals(wire, article, *REUTERS)
    assert (found["6"]["said_by"], found["6"]["via"], found["6"]["new_sources"]) == ("Police", ["AFP"], ["Police", "AFP"])
    assert found["9"]["via"] == [] and found["8"]["via"] == [] and found["4"]["via"] == []
    wire.run("extract", str(article), *REUTERS, *EVENT, "--accept-all")
    claims = {c["value"]["text"]: c for c in wire.json("claim", "list")}
    assert claims["6"]["via"] == ["AFP"] and claims["8"]["via"] == []
    path = wire.json("audit", str(claims["6"]["id"]))["path"]
    assert [(step["role"], step["name"]) for step in path] == [("origin", "Police"), ("relay", "AFP"), ("outlet", "Reuters")]


def test_the_seeds_listener_is_its_outlet_and_relays_nothing(seeded):
    found = _proposals(seeded, SEED, *NEW_DOC)
    assert found["more than 70"]["listener"] == "Al-Jazeera" and found["more than 70"]["via"] == []


# 3. the same article twice records nothing new

def test_accept_all_twice_without_doc_reuses_the_document_and_records_nothing_new(seeded):
    first = seeded.run("extract", SEED, *NEW_DOC, *EVENT, "--accept-all")
    assert "recorded 8 of 8 candidates on document 1" in first.stdout
    docs, claims = seeded.json("doc", "list"), seeded.json("claim", "list")
    again = seeded.run("extract", SEED, *NEW_DOC, *EVENT, "--accept-all")
    assert seeded.json("doc", "list") == docs and seeded.json("claim", "list") == claims
    assert "recorded 0 of 8 candidates on document 1; nothing new" in again.stdout
    assert "is document 1 already" in again.stderr
    listed = _proposals(seeded, SEED, *NEW_DOC)
    assert all(p["recorded_as"] is not None for p in listed.values())


def test_the_same_text_under_another_outlet_is_another_document(seeded):
    seeded.run("extract", SEED, *NEW_DOC, *EVENT, "--accept-all")
    seeded.run("source", "add", "Reuters", "--kind", "media")
    done = seeded.run("extract", SEED, *REUTERS, *EVENT, "--accept-all")
    assert "on document 2" in done.stdout and len(seeded.json("doc", "list")) == 2


# 4, 5. files too long, a BOM, and every other bad file: one line, the ledger unchanged

def test_a_file_too_long_for_an_article_is_refused_without_reading_it_whole(seeded, tmp_path):
    huge = tmp_path / "dump.txt"
    with huge.open("wb") as handle:
        handle.truncate(113_000_000)  # sparse: zeros, so a full read would call it binary, not too long
    before = _state(seeded)
    result = seeded.run("extract", str(huge), *NEW_DOC, *EVENT, "--accept-all", code=2)
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: FILE: '{huge}' is 113,000,000 bytes")
    assert f"{MAX_CHARACTERS:,} characters" in result.stderr
    assert _state(seeded) == before


def test_a_file_of_more_characters_than_an_article_may_have_is_refused(seeded, tmp_path):
    long = _article(tmp_path, "SOHR said 28 were killed. " + "x" * MAX_CHARACTERS)
    result = seeded.run("extract", str(long), *NEW_DOC, *EVENT, "--accept-all", code=2)
    assert result.stderr.startswith(f"error: FILE: '{long}' has {MAX_CHARACTERS + 26:,} characters")
    assert result.stderr.count("\n") == 1 and seeded.json("doc", "list") == []


def test_an_endless_file_is_refused_after_a_bounded_read():
    with pytest.raises(InputError, match="is more than"):
        read_article(Path("/dev/zero"))


def test_a_byte_order_mark_is_not_kept_in_the_text(seeded, tmp_path):
    text = "The observatory stated that 28 members were killed."
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert read_article(path) == text
    seeded.run("extract", str(path), *NEW_DOC, *EVENT, "--accept-all")
    assert seeded.json("doc", "show", "1")["characters"] == len(text)
    assert seeded.json("claim", "list")[0]["quote_verified"]


@pytest.mark.parametrize("data, problem", [
    (b"", "is empty"), (b"\xef\xbb\xbf \n", "is empty"), (b"\x89PNG\r\n\x1a\n\x00\x00", "is binary, not text"),
    ("Hasaké 45".encode("latin-1"), "is not UTF-8 text"), ("45 killed".encode("utf-16"), "is UTF-16 text"),
])
def test_bad_files_are_one_line_and_change_nothing(seeded, tmp_path, data, problem):
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    before = _state(seeded)
    result = seeded.run("extract", str(path), *NEW_DOC, *EVENT, "--accept-all", code=2)
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: FILE: '{path}' {problem}")
    assert _state(seeded) == before


@pytest.mark.parametrize("where, problem", [("folder", "is a folder"), ("missing.txt", "cannot be read")])
def test_a_folder_or_a_missing_file_is_one_line(seeded, tmp_path, where, problem):
    (tmp_path / "folder").mkdir()
    result = seeded.run("extract", str(tmp_path / where), *NEW_DOC, *EVENT, "--accept-all", code=2)
    assert result.stderr.startswith(f"error: FILE: '{tmp_path / where}' {problem}") and result.stderr.count("\n") == 1


# 6. --review edits relays and period too

def test_review_edits_relays_and_period(seeded):
    # candidate 1: edit group, metric, speaker, relays, period; then quit
    script = "e\npeople\nkilled\nlocal sources\nAl Jazeera → SDF\n2022-01-19..2022-01-21\nq\n"
    out = seeded.run("extract", SEED, *NEW_DOC, *EVENT, "--review", input=script).stdout
    assert "via (relays" in out and "period (" in out and "recorded as claim 1" in out
    claim = seeded.json("claim", "list")[0]
    assert claim["via"] == ["Al Jazeera", "Syrian Democratic Forces"]
    assert (claim["period"]["start"], claim["period"]["end"]) == ("2022-01-19", "2022-01-21")


def test_review_keeps_relays_and_period_on_enter_clears_them_with_a_dash_and_asks_again_on_a_bad_date(seeded):
    script = "e\n\n\n\n\n\ne\n\n\n\n-\nyesterday\n-\nq\n"  # 1: every default; 2: no relays, a bad period, then none
    out = seeded.run("extract", SEED, *NEW_DOC, *EVENT, "--review", input=script).stdout
    assert "--period: 'yesterday'" in out
    first, second = seeded.json("claim", "list")
    assert first["as_of"] == "2022-01-20" and first.get("period") is None
    assert second["via"] == [] and second["as_of"] is None and second.get("period") is None


# 7, 8. option errors and the benchmark's usage

def test_accept_all_with_review_is_one_clean_line(seeded):
    result = seeded.run("extract", SEED, *NEW_DOC, *EVENT, "--accept-all", "--review", code=2)
    assert result.stderr == "error: --review: cannot be combined with --accept-all; give one of them\n"


def test_csv_when_recording_is_one_clean_line(seeded):
    result = seeded.run("extract", SEED, *NEW_DOC, *EVENT, "--accept-all", "--csv", code=2)
    assert result.stderr.startswith("error: --csv: lists candidates, not what was recorded;")


def test_the_benchmark_prints_its_usage_on_help():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "extraction.py"), "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("usage:") and "gold" in done.stdout
    assert "article" not in done.stdout.splitlines()[-1]  # the table was not printed
