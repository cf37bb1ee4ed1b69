"""CSV holds one value per cell, losslessly: a list is JSON text in its cell (as datasette writes one), read back whole."""

from __future__ import annotations

import csv
import io
import json

import pytest

# listings whose records hold lists (`log --csv` keeps each payload as stored: JSON text already)
LISTINGS = [("source", "list"), ("claim", "list"), ("event", "list"), ("group", "list"), ("place", "list")]


@pytest.fixture
def demo(cli):
    cli.run("demo")
    return cli


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _lists(record: dict, prefix: str = ""):
    """(column, list) for each list in a --json record, under the column name --csv gives it."""
    for key, value in record.items():
        if isinstance(value, dict) and key != "spellings":  # spellings: names as keys, one cell (`event list`)
            yield from _lists(value, f"{prefix}{key}.")
        elif isinstance(value, list):
            yield prefix + key, value


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_every_list_in_a_listing_reads_back_from_its_cell_as_json_gives_it(demo, command):
    demo.run("source", "edit", "SOHR", "--alias", "the observatory; London")
    records, rows = demo.json(*command), _rows(demo.run(*command, "--csv").stdout)
    assert len(records) == len(rows)
    checked = 0
    for record, row in zip(records, rows):
        for column, value in _lists(record):
            assert json.loads(row[column]) == json.loads(json.dumps(value)), (command, column)
            checked += 1
    assert checked, f"{command}: no list to check"


def test_a_name_holding_a_semicolon_stays_one_name(demo):
    demo.run("source", "edit", "SOHR", "--alias", "the observatory; London")
    (sohr,) = [row for row in _rows(demo.run("source", "list", "--csv").stdout) if row["name"].startswith("Syrian Obs")]
    assert json.loads(sohr["aliases"]) == ["SOHR", "the observatory", "the observatory; London"]


def test_the_report_csv_gives_the_parts_of_a_sum_as_a_json_list_of_claim_ids(demo):
    rows = _rows(demo.run("report", "--format", "csv").stdout)
    assert list(rows[0])[:17] == ["verdict", "event", "metric", "group", "place", "reason", "envelope_low", "envelope_high",
                                  "consensus_low", "consensus_high", "claim", "parts", "said_by", "value", "low", "high",
                                  "grade"]
    derived = [figure for f in demo.json("report")["findings"] for figure in f["claims"] if figure["derived"]]
    summed = [row for row in rows if row["parts"]]
    assert derived and [json.loads(row["parts"]) for row in summed] == [figure["parts"] for figure in derived]
    assert all(row["claim"] == "" for row in summed) and all(row["parts"] == "" for row in rows if row["claim"])
