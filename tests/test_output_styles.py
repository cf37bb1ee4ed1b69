"""Every read command prints --json, --csv and --nl the same way, and `claim list` narrows by metric, words and date."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ledger.cli.output import flatten, to_csv

pytestmark = pytest.mark.postgres

# read command → what its --json holds: a list of records, or one object
LISTS = [
    ("source", "list"), ("doc", "list"), ("claim", "list"), ("log",), ("event", "list"), ("group", "list"),
    ("place", "list"),
]
OBJECTS = [("claim", "show", "3"), ("doc", "show", "1"), ("verify",)]


@pytest.fixture
def demo(cli):
    cli.run("demo")
    return cli


def _csv_records(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("command", LISTS, ids=" ".join)
def test_a_listing_prints_the_same_records_as_json_nl_and_csv(demo, command):
    records = demo.json(*command)
    assert records, command
    lines = demo.run(*command, "--nl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == records
    rows = _csv_records(demo.run(*command, "--csv").stdout)
    assert len(rows) == len(records)
    key = "seq" if command == ("log",) else ("name" if command[0] in ("event", "group", "place") else "id")
    assert [row[key] for row in rows] == [str(record[key]) for record in records]


@pytest.mark.parametrize("command", OBJECTS, ids=" ".join)
def test_a_command_about_one_thing_prints_one_record(demo, command):
    record = demo.json(*command)
    (line,) = demo.run(*command, "--nl").stdout.splitlines()
    assert json.loads(line) == record
    if command != ("verify",):
        (row,) = _csv_records(demo.run(*command, "--csv").stdout)
        assert row["id"] == str(record["id"])


def test_csv_cells_hold_one_value_each_with_nested_fields_as_columns(demo):
    rows = _csv_records(demo.run("claim", "list", "--csv").stdout)
    first = next(row for row in rows if row["value.text"] == "more than 70")
    assert (first["value.low"], first["value.high"], first["value.kind"]) == ("71", "", "lower-bound")
    assert first["quantity.event"] == "Ghweran prison attack"
    assert all("\n" not in cell for row in rows for cell in row.values())


def test_audit_csv_is_a_row_per_history_entry_of_the_claim(demo):
    audit = demo.json("audit", "3")
    rows = _csv_records(demo.run("audit", "3", "--csv").stdout)
    assert [row["entry.seq"] for row in rows] == [str(e["seq"]) for e in audit["history"]]
    assert {row["claim.id"] for row in rows} == {"3"}


def test_verify_csv_says_the_ledger_verified_in_a_row_as_its_json_does(demo):
    verified = demo.json("verify")
    (row,) = _csv_records(demo.run("verify", "--csv").stdout)
    assert (row["ok"], row["head"], row["claims"]) == ("True", verified["head"], str(verified["claims"]))
    assert (row["problem.seq"], row["problem.kind"], row["problem.message"]) == ("", "", "")


def test_verify_csv_is_a_row_per_problem_beside_the_counts(demo):
    problems = json.loads(demo.run("verify", "--head", "deadbeef", "--json", code=1).stdout)["problems"]
    rows = _csv_records(demo.run("verify", "--head", "deadbeef", "--csv", code=1).stdout)
    assert [(row["problem.kind"], row["problem.message"]) for row in rows] == [(p["kind"], p["message"]) for p in problems]
    assert rows and {row["ok"] for row in rows} == {"False"}


@pytest.mark.parametrize("flags", [("--json", "--csv"), ("--csv", "--nl"), ("--json", "--nl")])
def test_two_output_styles_at_once_are_a_usage_error(demo, flags):
    result = demo.run("claim", "list", *flags, code=2)
    assert result.output.count("\n") == 1
    assert "cannot be used with" in result.output and flags[0] in result.output


def test_event_csv_keeps_spellings_in_one_cell_not_a_column_each(demo):
    demo.run("claim", "add", "--event", "Ghwayran prison attack", "--metric", "killed", "--value", "136", "--said-by", "SOHR")
    demo.run("event", "alias", "Ghweran prison attack; the jail break", "Ghweran prison attack")
    demo.run("claim", "add", "--event", "Ghweran prison attack; the jail break", "--metric", "killed", "--value", "7",
             "--said-by", "SOHR")
    rows = _csv_records(demo.run("event", "list", "--csv").stdout)
    assert list(rows[0]) == ["kind", "name", "claims", "spellings", "date", "place", "within", "possible_matches"]
    ghweran = next(row for row in rows if row["name"] == "Ghweran prison attack")
    # one cell of JSON, as datasette writes a list: a spelling holding "; " reads back whole, not as two
    listed = next(v for v in demo.json("event", "list") if v["name"] == "Ghweran prison attack")
    assert json.loads(ghweran["spellings"]) == listed["spellings"]
    assert listed["spellings"]["Ghwayran prison attack"] == 1 and listed["spellings"]["Ghweran prison attack; the jail break"] == 1
    assert json.loads(ghweran["possible_matches"]) == listed["possible_matches"]


def test_csv_lists_are_json_text_that_reads_back_whole(demo):
    demo.run("source", "add", "Kurdistan 24", "--kind", "media", "--alias", "K24; Kurdistan TV", "--alias", "Rudaw; not")
    rows = _csv_records(demo.run("source", "list", "--csv").stdout)
    by_name = {row["name"]: row for row in rows}
    assert json.loads(by_name["Kurdistan 24"]["aliases"]) == ["K24; Kurdistan TV", "Rudaw; not"]
    assert json.loads(by_name["Reuters"]["aliases"]) == []  # no alias: an empty list, not an empty cell (None)
    assert [json.loads(row["aliases"]) for row in rows] == [s["aliases"] for s in demo.json("source", "list")]
    claims = {row["id"]: row for row in _csv_records(demo.run("claim", "list", "--csv").stdout)}
    for claim in demo.json("claim", "list"):
        assert json.loads(claims[str(claim["id"])]["via"]) == claim["via"]
        assert claims[str(claim["id"])]["quote_span"] == ("" if claim["quote_span"] is None else json.dumps(claim["quote_span"]))


# -- claim list: --metric, --search, --since ---------------------------------------------------------------


def _ids(cli, *args) -> list[int]:
    return [c["id"] for c in cli.json("claim", "list", *args)]


def test_metric_takes_its_synonyms(demo):
    killed = _ids(demo, "--metric", "killed")
    assert killed and _ids(demo, "--metric", "dead") == killed == _ids(demo, "-m", "Fatalities")
    every = demo.json("claim", "list")
    assert killed == [c["id"] for c in every if c["metric"] == "killed"]


def test_an_unknown_metric_names_the_closest(demo):
    result = demo.run("claim", "list", "--metric", "kiled", code=2)
    assert result.output.strip() == "error: --metric: 'kiled' is no metric of any claim; closest: killed"
    assert demo.run("claim", "list", "--metric", " ", code=2).output.startswith("error: --metric: ' ' is empty")


def test_search_finds_words_in_the_quote_and_the_speakers_names_case_ignored(demo):
    every = demo.json("claim", "list")
    fugitives = [c["id"] for c in every if "fugitives" in (c["quote"] or "").lower()]
    assert fugitives and _ids(demo, "--search", "FUGITIVES") == fugitives
    sohr = [c["id"] for c in every if c["said_by"] == "Syrian Observatory for Human Rights"]
    assert set(sohr) <= set(_ids(demo, "--search", "sohr"))


@pytest.mark.parametrize("wildcard", ["%", "_", "\\"])
def test_search_takes_like_wildcards_literally(demo, wildcard):
    assert _ids(demo, "--search", wildcard) == []
    demo.run("claim", "add", "--event", "Test", "--metric", "killed", "--value", "3", "--said-by", "SOHR",
             "--group", f"unit {wildcard} 7")
    (only,) = demo.json("claim", "list", "--search", f"unit {wildcard} 7")
    assert only["group"] == f"unit {wildcard} 7"


def test_since_keeps_claims_published_that_day_or_later(demo):
    demo.run("claim", "add", "--event", "Ghweran prison attack", "--metric", "killed", "--value", "136",
             "--said-by", "SOHR", "--published", "2022-01-24")
    every = demo.json("claim", "list")
    later = [c["id"] for c in every if c["published"] and c["published"] >= "2022-01-23"]
    assert later and _ids(demo, "--since", "2022-01-23") == later
    assert _ids(demo, "--since", "2022-01-22") == [c["id"] for c in every if c["published"] and c["published"] >= "2022-01-22"]
    assert demo.run("claim", "list", "--since", "2022-02-30", code=2).output.startswith("error: --since: '2022-02-30'")


def test_filters_combine_with_limit_and_reverse(demo):
    killed = _ids(demo, "--metric", "killed")
    assert _ids(demo, "--metric", "killed", "-n", "2", "--reverse") == killed[::-1][:2]
    assert _ids(demo, "--metric", "killed", "--search", "civilians") == [
        c["id"] for c in demo.json("claim", "list", "--metric", "killed") if "civilians" in (c["quote"] or "") + (c["group"] or "")]


# -- the core ---------------------------------------------------------------------------------------------


def test_flatten_makes_dotted_columns_and_writes_lists_as_json():
    record = {"id": 1, "value": {"low": 71, "high": None}, "via": ["AFP", "Reuters; Paris"], "path": [{"role": "origin"}],
              "x": None, "none": [], "mixed": ["a", None, 3]}
    assert flatten(record) == {"id": 1, "value.low": 71, "value.high": "", "via": '["AFP", "Reuters; Paris"]',
                               "path": '[{"role": "origin"}]', "x": "", "none": "[]", "mixed": '["a", null, 3]'}


def test_csv_columns_are_the_union_in_order_of_first_appearance():
    text = to_csv([{"a": 1}, {"a": 2, "b": {"c": 3}}])
    assert text == "a,b.c\n1,\n2,3\n"


# -- the report, quantity and resolve take the same flags -----------------------------------------------


def test_report_takes_csv_and_nl_as_every_listing_does(demo):
    report = demo.json("report", "--all")
    assert demo.run("report", "--all", "--csv").stdout == demo.run("report", "--all", "-f", "csv").stdout
    lines = [json.loads(line) for line in demo.run("report", "--all", "--nl").stdout.splitlines()]
    assert [{k: v for k, v in line.items() if k != "ledger"} for line in lines] == report["findings"]
    assert all(line["ledger"] == report["ledger"] for line in lines)
    assert demo.run("report", "--event", "Ghweran prison attack", "--nl").stdout.count("\n") == len(
        demo.json("report", "--event", "Ghweran prison attack")["findings"])


def test_report_flags_that_disagree_are_refused(demo):
    assert "conflicts with --nl" in demo.run("report", "--nl", "-f", "csv", code=2).output
    assert "cannot be used with" in demo.run("report", "--csv", "--json", code=2).output


def test_quantity_and_resolve_take_csv_and_nl(demo):
    (row,) = _csv_records(demo.run("quantity", "more than 70", "--csv").stdout)
    assert row == {"text": "more than 70", "low": "71", "high": "", "kind": "lower-bound", "best": ""}
    assert json.loads(demo.run("quantity", "more than 70", "--nl").stdout) == demo.json("quantity", "more than 70")
    resolved = demo.json("resolve", "Ghwayran prison attack")
    rows = _csv_records(demo.run("resolve", "Ghwayran prison attack", "--csv").stdout)
    assert [r["candidate.name"] for r in rows] == [c["name"] for c in resolved["candidates"]]
    assert {r["canonical"] for r in rows} == {resolved["canonical"]}


def test_extract_lists_its_candidates_as_csv_and_nl(demo):
    seed = "seeds/hasaka-prison-2022.txt"
    from pathlib import Path

    article = str(Path(__file__).resolve().parent.parent / seed)
    candidates = demo.json("extract", article, "--doc", "1")
    assert [json.loads(line) for line in demo.run("extract", article, "--doc", "1", "--nl").stdout.splitlines()] == candidates
    rows = _csv_records(demo.run("extract", article, "--doc", "1", "--csv").stdout)
    assert len(rows) == len(candidates) and all("\n" not in cell for row in rows for cell in row.values())
    refused = demo.run("extract", article, "--doc", "1", "-e", "X", "--accept-all", "--csv", code=2)
    assert refused.output.startswith("error: --csv: ")


def test_the_source_table_spells_out_the_grades_it_shows(demo):
    table = demo.run("source", "list").stdout
    legend = table.rstrip().splitlines()[-1]
    shown = {s["grade"] for s in demo.json("source", "list") if s["grade"]}
    assert legend.startswith("Grades (Admiralty code") and shown
    assert all(f"{grade} {meaning}" in legend for grade, meaning in
               {"A": "completely reliable", "B": "usually reliable", "F": "reliability cannot be judged"}.items())
    assert "Grades" not in demo.run("source", "list", "--csv").stdout


def test_no_legend_when_no_source_is_graded(cli):
    cli.run("source", "add", "Reuters", "--kind", "media")
    assert "Grades" not in cli.run("source", "list").stdout
