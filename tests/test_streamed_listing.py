"""`ledger claim list` streams: a block of claims at a time, the same output as one block would give."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ledger.cli import output


@pytest.fixture
def demo(cli):
    cli.run("demo")
    cli.run("claim", "correct", "3", "--value", "about 45", "--reason", "rounded")
    return cli


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(output, "BLOCK", 4)  # the demo's 11 claims: three blocks, the last one short


def _listing(cli, *args):
    return cli.run("claim", "list", *args).stdout


def test_json_and_nl_in_blocks_are_byte_for_byte_what_one_block_gives(demo, monkeypatch):
    whole = {style: _listing(demo, style) for style in ("--json", "--nl")}
    monkeypatch.setattr(output, "BLOCK", 4)
    assert {style: _listing(demo, style) for style in ("--json", "--nl")} == whole
    assert len(json.loads(whole["--json"])) == 11 and len(whole["--nl"].splitlines()) == 11


def test_csv_in_blocks_has_every_value_and_the_columns_later_blocks_need(demo, monkeypatch):
    whole = list(csv.DictReader(io.StringIO(_listing(demo, "--csv"))))
    monkeypatch.setattr(output, "BLOCK", 4)
    text = _listing(demo, "--csv")
    streamed = list(csv.DictReader(io.StringIO(text)))
    header = text.splitlines()[0].split(",")
    assert {"as_of", "as_of_at", "period.start", "period.end"} <= set(header)
    assert len(streamed) == len(whole) == 11
    for one, other in zip(whole, streamed):
        assert {k: v for k, v in one.items() if v} == {k: v for k, v in other.items() if v}


def test_the_table_in_blocks_keeps_the_first_blocks_columns_on_a_terminal(demo, small_blocks, monkeypatch):
    piped = _listing(demo)  # off a terminal a longer cell runs on whole: nothing is cut
    assert "ISIS detention in north-east Syria" in piped and "Antony Blinken → Al Jazeera" in piped
    monkeypatch.setenv("COLUMNS", "400")  # a terminal wide enough for the first block's table
    lines = _listing(demo).splitlines()
    starts = [i for i, ch in enumerate(lines[1]) if ch == "-" and (i == 0 or lines[1][i - 1] == " ")]
    ids = [line.split()[0] for line in lines[2:] if line[:1].isdigit()]
    assert ids == [str(i) for i in range(1, 12)]
    for line in lines[2:]:  # no cell of any block runs into the next column
        for start in starts[1:]:
            assert len(line) <= start or line[start - 1] == " ", line


def test_an_empty_listing_in_every_style(cli):
    cli.make_empty()
    assert _listing(cli) == "(none)\n"
    assert _listing(cli, "--json") == "[]\n"
    assert _listing(cli, "--nl") == ""


def test_the_log_in_blocks_is_what_one_block_gives(demo, monkeypatch):
    whole = {style: demo.run("log", *style).stdout for style in ((), ("--json",), ("--nl",), ("--csv",))}
    monkeypatch.setattr(output, "BLOCK", 4)
    streamed = {style: demo.run("log", *style).stdout for style in ((), ("--json",), ("--nl",), ("--csv",))}
    assert {k: v for k, v in streamed.items() if k} == {k: v for k, v in whole.items() if k}  # the machine formats
    table = streamed[()]
    assert [line.split()[0] for line in table.splitlines()[2:]] == [line.split()[0] for line in whole[()].splitlines()[2:]]


def test_newest_first_in_stretches_is_the_listing_reversed(demo, monkeypatch):
    from ledger.storage import readers

    oldest_first = demo.json("claim", "list")
    for stretch in (1, 3, 4, 5_000):
        monkeypatch.setattr(readers, "NEWEST_FIRST_STRETCH", stretch)
        assert demo.json("claim", "list", "--reverse") == oldest_first[::-1], stretch
        assert demo.json("claim", "list", "--reverse", "--metric", "killed") == [
            c for c in oldest_first[::-1] if c["metric"] == "killed"], stretch
    monkeypatch.setattr(readers, "_FEW", 2)  # stretches read by id range, not id by id
    monkeypatch.setattr(readers, "NEWEST_FIRST_STRETCH", 3)
    assert demo.json("claim", "list", "--reverse", "--search", "SOHR") == [
        c for c in demo.json("claim", "list", "--search", "SOHR")][::-1]
