"""verify's quick check (a claim whose one entry is its add, compared by digest) never passes what the full replay would name."""

from __future__ import annotations

import sqlite3

import pytest

from ledger.provenance.chain import Entry
from ledger.storage.verify_index import HistoryIndex, payload_digest


def _entry(seq: int, action: str, subject: str, payload: str = "{}") -> Entry:
    return Entry(seq, "2026-01-01T00:00:00+00:00", "u", action, subject, payload, "0" * 64, "f" * 64)


def test_only_a_claim_whose_one_entry_is_its_add_keeps_a_digest():
    index = HistoryIndex(["claim", "source"])
    index.entry(_entry(1, "claim.add", "claim:1", '{"a":1}'))
    index.entry(_entry(2, "claim.add", "claim:2", '{"a":2}'))
    index.entry(_entry(3, "claim.correct", "claim:2"))
    index.entry(_entry(4, "source.add", "source:1"))
    assert index.added_once(1) == payload_digest('{"a":1}')
    assert index.added_once(2) is None and index.added_once(3) is None
    assert sorted(index.missing()) == ["claim:1", "claim:2", "source:1"]
    index.compared("claim", [1, 2])
    assert list(index.missing()) == ["source:1"]


@pytest.mark.parametrize("column, value, says", [
    ("value_low", "abc", "claim 3"),  # text where a number belongs
    ("value_low", 45.5, "claim 3"),
    ("published", '2022-01-22","quote":"x', "claim 3"),  # text in a date column, shaped like JSON
    ("quote_verified", 2, None),  # still true: the same claim as recorded
    ("event", "Ghweran prison attack ", "claim 3"),
])
def test_a_row_edited_behind_the_tools_back_is_named(cli, tmp_path, column, value, says):
    db = tmp_path / "quick.db"
    cli.run("--db", str(db), "demo")
    with sqlite3.connect(db) as conn:
        conn.execute(f"UPDATE claim SET {column} = ? WHERE id = 3", (value,))  # noqa: S608  (fixed names)
    if says is None:
        assert cli.run("--db", str(db), "verify").stdout.startswith("ok: ")
        return
    result = cli.run("--db", str(db), "verify", code=1)
    assert says in result.output
