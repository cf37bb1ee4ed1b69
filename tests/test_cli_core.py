"""The core slice through the CLI: sources, documents, claims, figures and bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt"


def snapshot(tmp_path) -> list[str]:
    db = tmp_path / "ledger.db"
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def add_doc(cli) -> str:
    return cli.run("doc", "add", "--outlet", "al jazeera", "--published", "2022-01-22", "--file", str(SEED),
                   "--title", "Clashes continue in Hasaka").stdout.strip()


def test_source_add_and_list(seeded):
    sources = seeded.json("source", "list")
    by_name = {s["name"]: s for s in sources}
    assert by_name["Syrian Observatory for Human Rights"]["aliases"] == ["SOHR", "the observatory"]
    assert by_name["Mazloum Abdi"]["affiliation"] == "Syrian Democratic Forces"
    assert by_name["Al Jazeera"]["grade"] == "B"
    assert by_name["local sources"]["kind"] == "anonymous"
    table = seeded.run("source", "list").stdout
    assert "SOHR, the observatory" in table


def test_source_name_clash_is_refused(seeded):
    result = seeded.run("source", "add", "Observatory", "--alias", "sohr", code=2)
    assert "error: --alias: 'sohr' is already a name of source 'Syrian Observatory for Human Rights'" in result.stderr


def test_source_bad_kind_suggests_closest(cli):
    result = cli.run("source", "add", "X", "--kind", "goverment", code=2)
    assert "--kind: 'goverment' is not a valid choice" in result.stderr
    assert "closest: government" in result.stderr


def test_doc_add_stores_text_hash(seeded):
    doc_id = add_doc(seeded)
    assert doc_id == "1"
    docs = seeded.json("doc", "list")
    import hashlib

    assert docs[0]["sha256"] == hashlib.sha256(SEED.read_text(encoding="utf-8").encode()).hexdigest()
    assert docs[0]["outlet"] == "Al Jazeera" and docs[0]["published"] == "2022-01-22" and docs[0]["has_text"]


def test_claim_add_list_show(seeded):
    add_doc(seeded)
    claim_id = seeded.run(
        "claim", "add", "--event", "Ghweran prison attack", "--metric", "killed", "--group", "ISIS fighters",
        "--value", "45", "--said-by", "sohr", "--doc", "1", "--period", "2022-01-20..2022-01-22",
        "--quote", "45 fighters from the \"Islamic State\" organization",
    ).stdout.strip()
    assert claim_id == "1"
    seeded.run("claim", "add", "--event", "ghweran  prison attack", "--metric", "killed", "--value", "more than 70",
               "--said-by", "local sources", "--via", "Al-Jazeera", "--as-of", "2022-01-22")
    claims = seeded.json("claim", "list", "--event", "Ghweran Prison Attack")
    assert [c["id"] for c in claims] == [1, 2]
    first, second = claims
    assert first["said_by"] == "Syrian Observatory for Human Rights"
    assert first["value"] == {"text": "45", "low": 45, "high": 45, "kind": "exact", "best": 45}
    assert first["period"] == {"start": "2022-01-20", "end": "2022-01-22"}
    assert first["published"] == "2022-01-22"  # taken from the document
    assert first["outlet"] == "Al Jazeera"
    assert first["quote_verified"] is True
    assert second["via"] == ["Al Jazeera"] and second["as_of"] == "2022-01-22"
    assert second["value"]["low"] == 71 and second["value"]["high"] is None and second["value"]["kind"] == "lower-bound"
    assert second.pop("quantity") == {"event": "Ghweran prison attack", "metric": "killed", "group": None, "place": None}
    shown = seeded.json("claim", "show", "2")
    assert shown == second
    assert "local sources → Al Jazeera" in seeded.run("claim", "show", "2").stdout


def test_claim_list_filters_by_source(seeded):
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "5", "-s", "SOHR")
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "6", "-s", "local sources", "--via", "SOHR")
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "7", "-s", "SDF")
    assert [c["id"] for c in seeded.json("claim", "list", "--source", "the observatory")] == [1, 2]
    # --event means what it means in the report: an event nobody recorded is an error, as there
    refused = seeded.run("claim", "list", "--event", "nothing", code=2)
    assert refused.stderr == "error: --event: 'nothing' matches no event in the ledger; see `ledger claim list`\n"


def test_claim_list_shows_the_quantity_and_lists_an_events_variants(seeded):
    seeded.run("claim", "add", "-e", "Ghweran prison attack", "-m", "dead", "-g", "SDF members", "--value", "28", "-s", "SOHR")
    seeded.run("claim", "add", "-e", "Ghwayran prison attack", "-m", "killed", "-g", "Syrian Democratic Forces", "--value", "30",
               "-s", "SOHR")
    listed = seeded.json("claim", "list", "--event", "Ghuwayran prison attack")
    assert [c["id"] for c in listed] == [1, 2]
    (event, metric, group, _), = {tuple(c["quantity"].values()) for c in listed}  # one quantity for both
    assert event in ("Ghweran prison attack", "Ghwayran prison attack") and (metric, group) == ("killed", "Syrian Democratic Forces")
    assert f"{event} / killed / Syrian Democratic Forces" in seeded.run("claim", "list").stdout


def test_claim_list_limit_and_reverse_pick_from_either_end(seeded):
    for value in ("5", "6", "7", "8"):
        seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", value, "-s", "SOHR")
    seeded.run("claim", "retract", "2", "--reason", "misread")
    assert [c["id"] for c in seeded.json("claim", "list", "-n", "2")] == [1, 2]
    assert [c["id"] for c in seeded.json("claim", "list", "-n", "3", "--reverse")] == [4, 3, 2]
    assert [c["id"] for c in seeded.json("claim", "list", "--reverse")] == [4, 3, 2, 1]
    assert seeded.json("claim", "list", "--limit", "0") == []
    limited = seeded.json("claim", "list", "-n", "1", "--reverse")
    assert limited == [c for c in seeded.json("claim", "list") if c["id"] == 4]  # the same record, quantity included
    lines = seeded.run("claim", "list", "-n", "1").stdout.splitlines()
    assert len(lines) == 3 and lines[2].split()[:2] == ["1", "A"]
    refused = seeded.run("claim", "list", "-n", "-1", code=2)
    assert refused.stderr.startswith("error: --limit: -1 is negative; a count is a whole number from 0")


def test_claim_list_resolves_names_over_the_whole_ledger_not_the_listed_claims(seeded):
    # SOHR alone wrote "Ghwayran"; the commoner spelling, from other sources, names the event in the report.
    for source in ("SDF", "local sources"):
        seeded.run("claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "--value", "70", "-s", source)
    seeded.run("claim", "add", "-e", "Ghwayran prison attack", "-m", "killed", "--value", "78", "-s", "SOHR")
    report_events = {f["quantity"]["event"] for f in json.loads(seeded.run("report", "--all", "--format", "json").stdout)["findings"]}
    assert report_events == {"Ghweran prison attack"}
    (only,) = seeded.json("claim", "list", "--source", "SOHR")
    assert only["quantity"]["event"] == "Ghweran prison attack"
    assert [c["id"] for c in seeded.json("claim", "list", "--source", "SOHR", "--event", "ghweran prison attack")] == [3]


def test_unknown_source_lists_closest_and_create_sources_records_it(seeded):
    result = seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "5", "-s", "Syrian Observatory", code=2)
    assert "--said-by: 'Syrian Observatory' is not a known source" in result.stderr
    assert "Syrian Observatory for Human Rights" in result.stderr
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "5", "-s", "Kurdish Red Crescent", "--create-sources")
    names = [s["name"] for s in seeded.json("source", "list")]
    assert "Kurdish Red Crescent" in names


def test_quantity_command(cli):
    data = cli.json("quantity", "more than 70")
    assert {k: data[k] for k in ("text", "low", "high", "kind")} == {"text": "more than 70", "low": 71, "high": None, "kind": "lower-bound"}
    data = cli.json("quantity", "٧٨")
    assert (data["low"], data["high"], data["kind"]) == (78, 78, "exact")
    assert "71–∞" in cli.run("quantity", "more than 70").stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--value", "a lot of"], "error: --value: 'a lot of'"),
        (["--value", "5", "--published", "2022-02-30"], "error: --published: '2022-02-30' is not a valid date"),
        (["--value", "5", "--as-of", "yesterday"], "error: --as-of: 'yesterday' is not a valid date"),
        # The help says YYYY-MM-DD; Python's own ISO reader would also take these.
        (["--value", "5", "--published", "20220122"], "error: --published: '20220122' is not a valid date"),
        (["--value", "5", "--as-of", "2022-W03-6"], "error: --as-of: '2022-W03-6' is not a valid date"),
        (["--value", "5", "--period", "2022-01-20..2022-1-22"], "error: --period: '2022-1-22' is not a valid date"),
        (["--value", "5", "--published", "٢٠٢٢-٠١-٢٢"], "error: --published: '٢٠٢٢-٠١-٢٢' is not a valid date"),
        (["--value", "5", "--period", "2022-01-22..2022-01-20"], "error: --period: '2022-01-22..2022-01-20' ends before it starts"),
        (["--value", "5", "--period", "2022-01-22"], "error: --period: '2022-01-22' is not a period"),
        (["--value", "5", "--doc", "9"], "error: --doc: 9 is not a document in this ledger"),
        (["--value", "5", "--event", " "], "error: --event: ' ' is empty"),
        (["--value", "5", "--via", "Nobody Known"], "error: --via: 'Nobody Known' is not a known source"),
        (["--value", "5", "--credibility", "9"], "error: --credibility: 9 is out of range"),
        (["--value", "5", "--as-of", "2022-01-22", "--period", "2022-01-20..2022-01-22"], "error: --as-of"),
    ],
)
def test_bad_claim_input_is_one_line_exit_2_and_ledger_unchanged(seeded, tmp_path, args, message):
    before = snapshot(tmp_path)
    base = {"--event": "Ghweran prison attack", "--metric": "killed", "--said-by": "SOHR"}
    for flag in args[::2]:
        base.pop(flag, None)
    flat = [part for pair in base.items() for part in pair]
    result = seeded.run("claim", "add", *flat, *args, code=2)
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert snapshot(tmp_path) == before


def test_wrong_quote_is_refused_with_closest_passage(seeded, tmp_path):
    add_doc(seeded)
    before = snapshot(tmp_path)
    result = seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "45", "-s", "SOHR", "--doc", "1",
                        "--quote", "45 fighters of the Islamic State group", code=2)
    assert "error: --quote" in result.stderr or "error: quote" in result.stderr
    assert "Islamic State" in result.stderr and "organization" in result.stderr
    assert snapshot(tmp_path) == before
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "45", "-s", "SOHR", "--doc", "1",
               "--quote", "45 fighters of the Islamic State group", "--unverified-quote")
    assert seeded.json("claim", "show", "1")["quote_verified"] is False


def test_doc_add_errors(seeded, tmp_path):
    before = snapshot(tmp_path)
    assert "error: --published: '22/01/2022' is not a valid date" in seeded.run(
        "doc", "add", "--outlet", "Al Jazeera", "--published", "22/01/2022", code=2).stderr
    assert "error: --outlet: 'Al Jazira' is not a known source; closest known: Al Jazeera" in seeded.run(
        "doc", "add", "--outlet", "Al Jazira", "--published", "2022-01-22", code=2).stderr
    assert "error: --file:" in seeded.run(
        "doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22", "--file", "missing.txt", code=2).stderr
    assert snapshot(tmp_path) == before


def test_show_unknown_claim(cli):
    cli.make_empty()
    result = cli.run("claim", "show", "4", code=2)
    assert result.stderr.strip() == "error: ID: 4 is not a claim in this ledger; no claims recorded yet"


def test_usage_errors_exit_2(cli):
    assert cli.run("claim", "add", "--event", "A", code=2).exit_code == 2
    assert cli.run("claim", "show", "x", code=2).exit_code == 2


def test_db_option_and_plain_path(cli, tmp_path):
    other = tmp_path / "other.db"
    cli.run("--db", str(other), "source", "add", "Reuters", "--kind", "media")
    assert other.exists()
    assert [s["name"] for s in cli.json("--db", f"sqlite:///{other}", "source", "list")] == ["Reuters"]
    cli.make_empty()
    assert cli.json("source", "list") == []


def test_a_reading_command_refuses_a_ledger_file_that_is_not_there_and_makes_none(cli, tmp_path):
    """`ledger --db typo.db verify` once made an empty typo.db and answered "ok"."""
    typo = tmp_path / "typo.db"
    for args in (["verify"], ["report"], ["audit", "1"], ["log"], ["log", "-n", "3"], ["claim", "list"], ["source", "list"],
                 ["doc", "list"], ["export"], ["setting", "list"], ["event", "list"], ["resolve", "SDF"],
                 ["extract", str(SEED)]):  # listing an article's candidates reads the ledger's sources
        result = cli.run("--db", str(typo), *args, code=2)
        assert result.stderr == f"error: --db: '{typo}' is not a ledger: there is no such file; check the path; a command that " \
                                "records creates it, `ledger demo` one from the seeds\n", args
        assert not typo.exists(), args
    refused = cli.run("copy", "--from", str(tmp_path / "nothere.db"), "--to", str(tmp_path / "copy.db"), code=2)
    assert refused.stderr.startswith("error: --from: ") and not (tmp_path / "nothere.db").exists()
    cli.run("--db", str(typo), "source", "add", "Reuters", "--kind", "media")  # recording makes it
    assert cli.run("--db", str(typo), "verify").stdout.startswith("ok: ")


def test_every_command_has_help_with_text(cli):
    from ledger.cli import app
    import typer.main

    group = typer.main.get_command(app)
    missing = []

    def walk(command, path):
        if getattr(command, "commands", None):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])
        elif not (command.help or "").strip():
            missing.append(" ".join(path))

    walk(group, [])
    assert missing == []
    assert "claim" in cli.run("--help").stdout


def test_unopenable_database_is_one_line_exit_1(cli, tmp_path):
    result = cli.run("--db", str(tmp_path / "missing" / "dir" / "x.db"), "source", "add", "X", code=1)
    assert result.stderr.startswith("error: cannot open ledger at sqlite:///") and result.stderr.count("\n") == 1
    result = cli.run("--db", "nosuch://x", "source", "list", code=2)
    assert result.stderr.startswith("error: --db: 'nosuch://x' cannot be opened")


def test_doc_show_gives_the_document_and_the_claims_citing_it(seeded):
    seeded.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22", "--file", str(SEED))
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "5", "-s", "SOHR", "--doc", "1")
    seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "6", "-s", "SOHR")
    shown = seeded.json("doc", "show", "1")
    assert shown["outlet"] == "Al Jazeera" and shown["claims"] == [1] and shown["characters"] > 1000
    assert shown["sha256"] == seeded.json("doc", "list")[0]["sha256"]
    refused = seeded.run("doc", "show", "9", code=2)
    assert refused.stderr.startswith("error: ID: 9 is not a document in this ledger")


def test_tables_wrap_to_the_terminal_width_and_keep_every_word(seeded, monkeypatch):
    seeded.run("claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "-g", "Syrian Democratic Forces fighters",
               "--value", "more than 70", "-s", "SOHR", "--via", "Al Jazeera", "--period", "2022-01-20..2022-01-22")
    # a figure written with a thousands separator: tabulate's own wrapping read "10,000" as a number and failed
    seeded.run("claim", "add", "-e", "ISIS detention in north-east Syria", "-m", "held", "--value", "10,000", "-s", "SOHR")
    wide = seeded.run("claim", "list").stdout
    assert max(map(len, wide.splitlines())) > 120  # piped, no COLUMNS: the natural width, one line per claim
    monkeypatch.setenv("COLUMNS", "100")
    narrow = seeded.run("claim", "list").stdout
    assert max(map(len, narrow.splitlines())) <= 100 and len(narrow.splitlines()) > len(wide.splitlines())
    def words(text: str) -> list[str]:  # wrapping moves letters between lines, never drops one (the rule line aside)
        return sorted("".join(line for line in text.splitlines() if set(line) - {"-", " "}).replace(" ", ""))

    assert words(narrow) == words(wide)


def test_claim_list_by_event_still_lists_retracted_claims_and_their_spellings(seeded):
    # Names are resolved from the live claims; a spelling only retracted claims use must still file where it belongs.
    seeded.run("claim", "add", "-e", "Zeta clash", "-m", "killed", "--value", "3", "-s", "SOHR")
    seeded.run("claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "--value", "5", "-s", "SOHR")
    seeded.run("claim", "add", "-e", "Ghwayran prison attack", "-m", "killed", "--value", "7", "-s", "SOHR")
    for claim_id in ("1", "3"):
        seeded.run("claim", "retract", claim_id, "--reason", "misread")
    assert [c["id"] for c in seeded.json("claim", "list", "--event", "Zeta clash")] == [1]
    listed = seeded.json("claim", "list", "--event", "Ghweran prison attack")
    assert [c["id"] for c in listed] == [2, 3]
    assert {c["quantity"]["event"] for c in listed} == {"Ghweran prison attack"}
