"""The scale benchmark at 2,000 claims: counts only, never times."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "scale.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("scale_benchmark", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_small_scale_run_imports_reports_and_round_trips(tmp_path, cli):
    scale = load_benchmark()
    result = scale.run_import(tmp_path / "bench", 2_000)
    counts = result["counts"]
    assert counts["claim"] == 2_000 and counts["source"] >= 20 and counts["document"] >= 5
    with sqlite3.connect(result["db"]) as conn:
        assert conn.execute("SELECT count(*) FROM claim").fetchone()[0] == 2_000
        assert conn.execute("SELECT count(*) FROM claim WHERE retracted").fetchone()[0] == counts["retracted"]
        assert conn.execute("SELECT count(*) FROM source").fetchone()[0] == counts["source"]
        actions = dict(conn.execute("SELECT action, count(*) FROM history GROUP BY action").fetchall())
    assert actions == {"source.add": counts["source"], "document.add": counts["document"], "claim.add": 2_000,
                       "claim.retract": counts["retracted"]}
    db = ["--db", result["db"]]
    summary = json.loads(cli.run(*db, "report", "--format", "json").stdout)
    assert isinstance(summary, list)
    table = cli.run(*db, "report").stdout
    assert f"{2_000 - counts['retracted']} claims" in table.splitlines()[-1]
    exported = cli.run(*db, "export", "--format", "jsonl").stdout
    assert exported.count("\n") == 2_000 + counts["source"] + counts["document"]
    (tmp_path / "again.jsonl").write_text(exported, encoding="utf-8")
    cli.run("--db", str(tmp_path / "copy.db"), "import", str(tmp_path / "again.jsonl"))
    assert cli.run("--db", str(tmp_path / "copy.db"), "export", "--format", "jsonl").stdout == exported
