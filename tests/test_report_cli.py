"""`ledger report` and `ledger demo` through the CLI, in every format."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import open_ledger
from ledger.reports import render_report, summary

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def contested(seeded):
    """SOHR's parts against local sources' total, and two clashing fugitive figures."""
    seeded.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22")
    common = ["--event", "Ghweran prison attack", "--doc", "1", "--as-of", "2022-01-22"]
    seeded.run("claim", "add", *common, "-m", "killed", "--value", "more than 70", "-s", "local sources")
    seeded.run("claim", "add", *common, "-m", "killed", "-g", "SDF", "--value", "28", "-s", "SOHR")
    seeded.run("claim", "add", *common, "-m", "killed", "-g", "ISIS fighters", "--value", "45", "-s", "SOHR")
    seeded.run("claim", "add", *common, "-m", "killed", "-g", "civilians", "--value", "5", "-s", "SOHR")
    seeded.run("claim", "add", "--event", "Ghwayran prison attack", "--as-of", "2022-01-22",
               "-m", "at-large", "--value", "none", "-s", "Mazloum Abdi")
    seeded.run("claim", "add", *common, "-m", "at-large", "--value", "dozens", "-s", "SOHR")
    return seeded


def test_report_json_shape(contested):
    findings = json.loads(contested.run("report", "--format", "json").stdout)["findings"]
    assert [(f["verdict"], f["quantity"]["metric"]) for f in findings] == [("contradiction", "at-large"), ("divergence", "killed")]
    divergence = findings[1]
    assert divergence["quantity"] == {"event": "Ghweran prison attack", "metric": "killed", "group": None, "place": None}
    assert divergence["envelope"] == {"low": 71, "high": None}
    assert divergence["consensus"] == {"low": 78, "high": 78}
    assert "SOHR total 78 (= 28 SDF + 45 ISIS fighters + 5 civilians)" in divergence["reason"]
    stated, derived = divergence["claims"]
    assert stated["id"] == 1 and stated["derived"] is False and "parts" not in stated
    assert stated["value"] == {"text": "more than 70", "low": 71, "high": None, "kind": "lower-bound", "best": None}
    assert derived["id"] is None and derived["derived"] is True and derived["parts"] == [2, 3, 4]
    assert derived["said_by"] == "Syrian Observatory for Human Rights"
    assert findings[0]["consensus"] is None
    assert {c["id"] for c in findings[0]["claims"]} == {5, 6}  # Ghwayran joined Ghweran


def test_report_table_csv_markdown(contested):
    table = contested.run("report").stdout
    assert table.index("contradiction") < table.index("divergence")
    assert "8 claims" not in table and "6 claims" in table
    text = contested.run("report", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    # one figure per row, one value per cell: no cell spans lines, bounds are plain numbers
    assert len(text.splitlines()) == len(rows) + 1
    findings = json.loads(contested.run("report", "-f", "json").stdout)["findings"]
    assert len(rows) == sum(len(f["claims"]) for f in findings)
    assert [r["verdict"] for r in rows] == [f["verdict"] for f in findings for _ in f["claims"]]
    divergence = [r for r in rows if r["verdict"] == "divergence"]
    assert {(r["envelope_low"], r["envelope_high"], r["consensus_low"], r["consensus_high"]) for r in divergence} == {("71", "", "78", "78")}
    assert {(r["event"], r["metric"], r["group"], r["place"]) for r in divergence} == {("Ghweran prison attack", "killed", "", "")}
    total = next(r for r in divergence if r["parts"])
    assert (total["claim"], total["parts"], total["low"], total["high"]) == ("", "[2, 3, 4]", "78", "78")  # a list in a cell is JSON
    local = next(r for r in divergence if r["value"] == "more than 70")
    assert (local["claim"], local["low"], local["high"], local["grade"]) == ("1", "71", "", "F6")
    markdown = contested.run("report", "-f", "markdown").stdout
    assert markdown.splitlines()[0].startswith("| verdict") and "|---" in markdown.replace(":", "").replace(" ", "")


def test_report_all_shows_agreement(seeded):
    seeded.run("claim", "add", "-e", "E", "-m", "killed", "--value", "78", "-s", "SOHR")
    seeded.run("claim", "add", "-e", "E", "-m", "killed", "--value", "78", "-s", "SDF")
    assert json.loads(seeded.run("report", "-f", "json").stdout)["findings"] == []
    assert [f["verdict"] for f in json.loads(seeded.run("report", "--all", "-f", "json").stdout)["findings"]] == ["agreement"]


def test_fail_on_exit_codes(contested):
    assert contested.run("report", "--fail-on", "contradiction", code=1).exit_code == 1
    assert contested.run("report", "--fail-on", "divergence", code=1).exit_code == 1
    contested.run("claim", "retract", "5", "--reason", "misattributed")
    contested.run("report", "--fail-on", "contradiction", code=0)
    contested.run("report", "--fail-on", "divergence", code=1)


def test_report_event_filter_uses_name_resolution(contested):
    findings = json.loads(contested.run("report", "--event", "Ghuwayran Prison Attack", "-f", "json").stdout)["findings"]
    assert len(findings) == 2
    result = contested.run("report", "--event", "Raqqa", code=2)
    assert result.stderr.startswith("error: --event: 'Raqqa' matches no event in the ledger")


def test_report_bad_options(cli):
    cli.make_empty()
    assert "error: --format: 'xml' is not a valid choice; one of table, json, csv, markdown, nl" in cli.run("report", "-f", "xml", code=2).stderr
    assert "error: --fail-on: 'agreement'" in cli.run("report", "--fail-on", "agreement", code=2).stderr
    assert "No discrepancies found." in cli.run("report").stdout


def test_correction_is_named_in_the_report(contested):
    contested.run("claim", "correct", "6", "--value", "more than 20", "--reason", "misread the article")
    findings = json.loads(contested.run("report", "-f", "json").stdout)["findings"]
    assert 'corrected from "dozens"' in findings[0]["reason"]


def test_demo_reports_the_seed_discrepancies(cli):
    result = cli.run("demo", "--seeds", str(SEEDS), "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    summary = [(f["verdict"], f["quantity"]["metric"], f["quantity"]["group"]) for f in findings]
    assert summary == [("contradiction", "at-large", "escaped prisoners"), ("divergence", "killed", None)]
    fugitives, dead = findings
    assert {c["said_by"] for c in fugitives["claims"]} == {"Mazloum Abdi", "Syrian Observatory for Human Rights"}
    assert dead["reason"] == (
        'SOHR total 78 (= 28 SDF and allied forces + 45 ISIS fighters + 5 civilians) lies within '
        'local sources\' "more than 70" (71–∞), but the figures differ'
    )
    assert [p for c in dead["claims"] if c["derived"] for p in c["parts"]] == [2, 3, 4]
    lines = cli.run("demo", "--seeds", str(SEEDS), "--nl").stdout.splitlines()  # the flags every report takes
    assert [json.loads(line)["verdict"] for line in lines] == ["contradiction", "divergence"]
    assert json.loads(cli.run("demo", "--seeds", str(SEEDS), "--json").stdout)["findings"] == findings


def test_demo_keeps_ledger_when_asked_and_refuses_a_used_one(cli, tmp_path):
    target = tmp_path / "demo.db"
    table = cli.run("demo", "--seeds", str(SEEDS), "--db", str(target)).stdout
    assert "contradiction" in table and "11 claims" in table
    claims = cli.json("--db", str(target), "claim", "list")
    assert len(claims) == 11 and all(c["quote_verified"] for c in claims)
    assert cli.run("demo", "--seeds", str(SEEDS), "--db", str(target)).stdout == table  # the demo it built: reported again
    cli.run("--db", str(target), "claim", "retract", "2", "--reason", "misread")
    refused = cli.run("demo", "--seeds", str(SEEDS), "--db", str(target), code=2)
    assert refused.stderr.startswith(f"error: --db: {str(target)!r} already holds a ledger that is not the demo")
    assert cli.json("--db", str(target), "claim", "show", "2")["retracted"] is True  # untouched


def test_the_readme_flow_demo_leaves_ledger_db_for_the_next_commands(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("LEDGER_DB")
    monkeypatch.chdir(tmp_path)
    report = cli.run("demo", "--seeds", str(SEEDS)).stdout
    assert (tmp_path / "ledger.db").is_file()
    assert cli.run("report").stdout == report
    assert cli.run("audit", "1").stdout.startswith("claim 1: Ghweran prison attack / killed / total")
    assert cli.run("verify").stdout.startswith("ok: 23 entries, 11 claims, 1 document verified")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.setenv("LEDGER_DB", str(tmp_path / "elsewhere" / "team.db"))  # the demo goes where every command goes
    cli.run("demo", "--seeds", str(SEEDS))
    assert len(cli.json("claim", "list")) == 11 and (tmp_path / "elsewhere" / "team.db").is_file()


def test_global_options_work_after_the_command(cli, tmp_path):
    other = str(tmp_path / "other.db")
    cli.run("demo", "--seeds", str(SEEDS), "--db", other)
    assert len(cli.json("claim", "list", "--db", other)) == 11
    assert len(cli.json("claim", "--db", other, "list")) == 11
    assert cli.run("report", f"--db={other}").stdout == cli.run("--db", other, "report").stdout
    unused = tmp_path / "unused.db"
    assert cli.run("report", "--db", str(unused), "--db", other).stdout == cli.run("--db", other, "report").stdout
    assert not unused.exists()  # the last --db wins, as anywhere else
    # also when the first stands before the command and the last after it
    assert cli.run("--db", str(unused), "report", "--db", other).stdout == cli.run("--db", other, "report").stdout
    assert len(cli.json("--db", str(unused), "claim", "--db", other, "list")) == 11
    cli.run("--db", str(unused), "source", "add", "Kurdistan 24", "--db", other)
    assert "Kurdistan 24" in [s["name"] for s in cli.json("source", "list", "--db", other)]
    assert not unused.exists()
    # an option's value that reads "--db" stays that option's value
    cli.run("claim", "retract", "1", "--reason", "--db", "--by", "ann", "--db", other)
    entry = cli.json("--db", other, "log", "-n", "1")[0]
    assert (entry["user"], entry["payload"]["reason"]) == ("ann", "--db")
    # the default ledger was never touched: not even made (a PostgreSQL database is there, empty)
    assert cli.run("claim", "list", ok=False).stdout in ("", "(none)\n")
    assert cli.run("report", "--db", code=2).stderr == "error: --db: needs a value; see `ledger report --help`\n"


def test_resolve_command(contested):
    data = contested.json("resolve", "Ghuwayran prison attack")
    assert data["canonical"] == "Ghweran prison attack" and data["status"] in ("normalised", "fuzzy")
    weak = contested.json("resolve", "Ghweran prison siege")
    assert weak["canonical"] is None and weak["status"] == "possible"
    assert weak["candidates"][0]["name"] == "Ghweran prison attack"
    assert "→" in contested.run("resolve", "SDF").stdout


# -- large reports: two processes, and the streaming table writer ------------------

import ledger.api.report as report_command  # noqa: E402
from ledger.reconcile import share_of  # noqa: E402
from ledger.reports import FORMATS  # noqa: E402


@pytest.fixture
def several_events(contested):
    for event, first, second in [("Raqqa stadium siege", "12", "30"), ("Idlib market bombing", "4", "dozens"),
                                 ("Deir ez-Zor raid", "7", "7"), ("Manbij ambush", "about 20", "22")]:
        contested.run("claim", "add", "--event", event, "-m", "killed", "--value", first, "-s", "SOHR", "--as-of", "2022-01-22")
        contested.run("claim", "add", "--event", event, "-m", "killed", "--value", second, "-s", "local sources",
                      "--as-of", "2022-01-23")
    return contested


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_in_two_processes_is_the_same_report(several_events, monkeypatch, fmt):
    events = ["Ghweran prison attack", "Raqqa stadium siege", "Idlib market bombing", "Deir ez-Zor raid", "Manbij ambush"]
    assert {share_of(e, 2) for e in events} == {0, 1}  # both processes have findings to write
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the same stamp on every report
    alone = several_events.run("report", "--all", "-f", fmt).stdout
    one_event = several_events.run("report", "-f", fmt, "--event", "raqqa stadium siege").stdout
    monkeypatch.setattr(report_command, "SHARES_FROM", 0)
    monkeypatch.setattr(report_command, "NAMES_MEANWHILE", 0)  # names resolved in a second process too

    def judged_again(**options) -> str:  # as a report judging everything does: --at, --extracted
        out = io.StringIO()
        open_ledger().write_report(out.write, fmt=fmt, kept=False, **options)
        return out.getvalue()

    assert judged_again(include_agreement=True) == alone
    assert judged_again(event="raqqa stadium siege") == one_event
    assert "Raqqa stadium siege" in one_event and "Deir" not in one_event
    several_events.run("report", "--fail-on", "contradiction", code=1)


def tabulate_report(report, fmt: str) -> str:
    """The report as rendered before the streaming writer: one tabulate call (the reference)."""
    from tabulate import tabulate

    from ledger.reports.findings import GRADE_LEGEND, HEADERS, _claim_lines, _interval_label

    rows = [[f.verdict, f.quantity.label(), f.reason, _interval_label(f.envelope), _interval_label(f.consensus),
             "\n".join(_claim_lines(f))] for f in report.findings]
    lines = [tabulate(rows, headers=HEADERS, tablefmt="github" if fmt == "markdown" else "simple",
                      disable_numparse=True, maxcolwidths=[None, 30, 72, None, None, None] if fmt == "table" else None)]
    lines += ["", GRADE_LEGEND, "", summary(report)]  # the legend under every table that has grades in it
    return "\n".join(lines)


WORDS = st.text(alphabet=st.sampled_from(list("abcdefghij-'\".,;–∞0123456789")), min_size=1, max_size=14)
TEXTS = st.lists(st.one_of(WORDS, st.text(alphabet="xyz", min_size=70, max_size=90)), min_size=1, max_size=40).map(
    lambda words: " ".join(words))


@st.composite
def reports(draw):
    from ledger.figures import Quantity
    from ledger.reconcile import Figure, Finding, QuantityKey, Report

    findings = []
    for i in range(draw(st.integers(1, 6))):
        figures = tuple(
            Figure(claim_id=draw(st.integers(1, 10**6)), said_by="S", via=(), outlet=None,
                   value=Quantity("1", 1, 1, "exact", 1), published=None, as_of=None,
                   grade=draw(st.sampled_from(["F6", "B2"])))
            for _ in range(draw(st.integers(1, 5)))
        )
        findings.append(Finding(
            quantity=QuantityKey(draw(TEXTS), draw(st.sampled_from(["killed", "at-large"])),
                                 draw(st.one_of(st.none(), WORDS))),
            verdict=draw(st.sampled_from(["contradiction", "divergence", "revision"])), reason=draw(TEXTS),
            figures=figures, envelope=(1, draw(st.one_of(st.none(), st.integers(1, 10**5)))),
            consensus=draw(st.one_of(st.none(), st.just((3, 3)))), gap=0.5,
        ))
    return Report(findings=findings, claims=draw(st.integers(0, 99)), quantities=7)


@settings(max_examples=100, deadline=None)
@given(reports(), st.sampled_from(["table", "markdown"]))
def test_the_streaming_table_is_tabulates_table(report, fmt):
    assert render_report(report, fmt) == tabulate_report(report, fmt)


@settings(max_examples=60, deadline=None)
@given(reports())
def test_streamed_json_and_csv_are_the_plain_renderings(report):
    from ledger.reports import render
    from ledger.reports.findings import CSV_HEADERS, _csv_rows, finding_dict

    assert render_report(report, "json") == render.to_json([finding_dict(f) for f in report.findings])
    assert render_report(report, "csv") == render.to_csv([row for f in report.findings for row in _csv_rows(f)],
                                                         CSV_HEADERS).rstrip("\n")


def test_the_report_survives_a_failed_second_process(several_events, monkeypatch):
    alone = several_events.run("report", "-f", "json").stdout
    monkeypatch.setattr(report_command, "SHARES_FROM", 0)
    monkeypatch.setattr(report_command, "_other_share", lambda *args: os._exit(1))
    assert several_events.run("report", "-f", "json").stdout == alone


@pytest.mark.parametrize("judged", [(), ("--rebuild",), ("--extracted", "exclude")], ids=["kept", "rebuilt", "judged"])
def test_a_report_on_one_event_counts_that_events_claims_and_quantities(several_events, monkeypatch, judged):
    summaries = {}
    for event in several_events.json("event", "list"):
        last = several_events.run("report", "--event", event["name"], *judged).stdout.splitlines()[-1]
        claims, quantities = (int(part.split()[0]) for part in last.split(":")[0].split(", "))
        assert claims == event["claims"], last
        summaries[event["name"]] = quantities
    monkeypatch.setattr(report_command, "SHARES_FROM", 0)  # in two processes, the one without the event counts nothing
    assert several_events.run("report", "--event", "Manbij ambush", *judged).stdout.splitlines()[-1].startswith(
        f"2 claims, {summaries['Manbij ambush']} quantit")
    whole = several_events.run("report").stdout.splitlines()[-1]
    assert whole.startswith(f"{sum(e['claims'] for e in several_events.json('event', 'list'))} claims, "
                            f"{sum(summaries.values())} quantities")


def test_a_report_that_found_nothing_still_says_what_it_was_made_from(cli):
    cli.run("source", "add", "Reuters", "--kind", "media")  # a history, and no claims
    head = cli.json("log")[-1]
    (row,) = csv.DictReader(io.StringIO(cli.run("report", "--csv").stdout))
    assert (row["verdict"], row["history_seq"], row["history_head"]) == ("", str(head["seq"]), head["hash"])
    (line,) = cli.run("report", "--nl").stdout.splitlines()
    assert json.loads(line)["ledger"]["history_head"] == head["hash"]
    assert json.loads(cli.run("report", "--json").stdout)["ledger"]["history_seq"] == head["seq"]


def test_an_event_that_matches_nothing_is_told_where_the_events_are(cli):
    cli.make_empty()
    assert cli.run("report", "--event", "nothing here", code=2).stderr == (
        "error: --event: 'nothing here' matches no event in the ledger; no claims recorded yet\n")
    cli.run("demo", "--seeds", str(SEEDS))
    assert cli.run("report", "--event", "nothing here", code=2).stderr == (  # events exist: never "none recorded yet"
        "error: --event: 'nothing here' matches no event in the ledger; see `ledger event list`\n")


def test_the_summary_counts_in_good_english(cli):
    cli.run("source", "add", "SOHR")
    cli.run("claim", "add", "-e", "A", "-m", "killed", "--value", "5", "-s", "SOHR")
    assert cli.run("report").stdout.splitlines()[-1] == "1 claim, 1 quantity: no discrepancies"
    cli.run("claim", "add", "-e", "A", "-m", "killed", "--value", "7", "-s", "SOHR", "--as-of", "2022-01-23")
    assert cli.run("report").stdout.splitlines()[-1] == "2 claims, 1 quantity: 1 revision"


def test_verdicts_are_counted_in_good_english():
    from ledger.reports.findings import Tally

    tally = Tally(12, 5, {"contradiction": 2, "relay-discrepancy": 2, "revision": 1})
    assert tally.summary() == "12 claims, 5 quantities: 2 contradictions, 2 relay-discrepancies, 1 revision"



def test_a_big_ledger_is_judged_in_one_process_to_stay_within_its_memory(several_events, monkeypatch):
    """A report that judges everything without keeping its results (--extracted, --at) may share the judging
    with a second process, but not on a ledger so big that the copy would break the memory budget."""
    asked = []
    monkeypatch.setattr(report_command, "_can_fork", lambda: asked.append(True) or True)
    monkeypatch.setattr(report_command, "SHARES_FROM", 0)
    monkeypatch.setattr(report_command, "SHARES_UNTIL", 1)  # every ledger here is "big"
    several_events.run("report", "--extracted", "exclude")
    assert asked == []  # no second share was even considered
    monkeypatch.setattr(report_command, "SHARES_UNTIL", 10**9)
    several_events.run("report", "--extracted", "exclude")
    assert asked == [True]
