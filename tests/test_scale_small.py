"""The scale benchmark at 2,000 claims: counts only, never times."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "scale.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("scale_benchmark", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """The benchmark's import step at 2,000 claims, once for the tests below."""
    return load_benchmark().run_import(tmp_path_factory.mktemp("bench"), 2_000)


def test_small_scale_run_imports_reports_and_round_trips(small_run, tmp_path, cli):
    result = small_run
    counts = result["counts"]
    assert counts["claim"] == 2_000 and counts["source"] >= 20 and counts["document"] >= 5
    with sqlite3.connect(result["db"]) as conn:
        assert conn.execute("SELECT count(*) FROM claim").fetchone()[0] == 2_000
        assert conn.execute("SELECT count(*) FROM claim WHERE retracted").fetchone()[0] == counts["retracted"]
        assert conn.execute("SELECT count(*) FROM source").fetchone()[0] == counts["source"]
        actions = dict(conn.execute("SELECT action, count(*) FROM history GROUP BY action").fetchall())
    assert actions == {"source.add": counts["source"], "document.add": counts["document"], "claim.add": 2_000,
                       "claim.retract": counts["retracted"], "import": 1}
    db = ["--db", result["db"]]
    summary = json.loads(cli.run(*db, "report", "--format", "json").stdout)["findings"]
    assert isinstance(summary, list)
    table = cli.run(*db, "report").stdout
    assert f"{2_000 - counts['retracted']} claims" in table.splitlines()[-1]
    exported = cli.run(*db, "export", "--format", "jsonl").stdout
    records = [line for line in exported.splitlines() if not line.startswith('{"record":"row"')]
    assert len(records) == 2_000 + counts["source"] + counts["document"]
    (tmp_path / "again.jsonl").write_text(exported, encoding="utf-8")
    cli.run("--db", str(tmp_path / "copy.db"), "import", str(tmp_path / "again.jsonl"))
    assert cli.run("--db", str(tmp_path / "copy.db"), "export", "--format", "jsonl").stdout == exported


def test_every_imported_claim_add_is_the_canonical_json_of_claim_payload(small_run):
    """The import builds each payload from a template: byte for byte what ``Ledger.add_claim`` would record."""
    from sqlmodel import Session, select

    from ledger.provenance import chain
    from ledger.storage.rows import claim_payload
    from ledger.storage.store import open_store
    from ledger.storage.tables import ClaimRelayRow, ClaimRow, HistoryRow

    ledger = open_store(f"sqlite:///{small_run['db']}")
    with Session(ledger.engine) as session:
        via: dict[int, list[int]] = {}
        for relay in session.exec(select(ClaimRelayRow).order_by(ClaimRelayRow.claim_id, ClaimRelayRow.position)):
            via.setdefault(relay.claim_id, []).append(relay.source_id)
        added = {h.subject: h.payload for h in session.exec(select(HistoryRow).where(HistoryRow.action == "claim.add"))}
        rows = session.exec(select(ClaimRow)).all()
        assert len(rows) == len(added) == 2_000 and len(via) > 500
        for row in rows:
            assert added[f"claim:{row.id}"] == chain.canonical_json(claim_payload(row, via.get(row.id, [])))
