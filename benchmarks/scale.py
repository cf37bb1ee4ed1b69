"""Scale benchmark: import, report, --help and filtered listing at 10k → 100k → 1M claims.

Every figure is measured in a child process in the same run as its baseline,
and reported as a ratio. Times are wall times; peak memory is the peak of the
command's processes together (``ledger import`` of a large file runs its
SQLite writes in a second process), sampled from ``/proc`` every 20 ms and
never below ``os.wait4``'s peak RSS.

- import (``ledger import`` of the synthetic JSONL) against a plain
  ``sqlite3.executemany`` of the same claim rows into a bare table in one
  transaction, against every row the import wrote (claims, relays, history,
  documents, sources) by ``executemany`` into the ledger's own schema (the
  floor SQLite's own work sets), and against ``sqlite-utils insert --csv`` of
  the claim rows (skipped, with a message, when sqlite-utils is not installed);
- ``ledger report`` (which reads through ``ledger.storage.readers``);
- ``ledger --help`` against ``python -c "import typer"`` (median of 7);
- ``ledger claim list --event X``, with SQLite's query plan for its query.

Usage (writes a markdown table to stdout and JSON beside the data)::

    .venv/bin/python benchmarks/scale.py --sizes 10000,100000,1000000 --workdir /tmp/ledger-bench

``--import-only`` measures the import and its baselines and nothing else;
``--runs N`` times the import and the executemany baseline N times each and
keeps the medians (the machine is shared and noisy).

Not a test: times are never asserted. ``tests/test_scale_small.py`` runs
:func:`run_import` at 2,000 claims and checks the counts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

PYTHON = sys.executable
LEDGER = [PYTHON, "-m", "ledger.cli"] if not (Path(PYTHON).parent / "ledger").exists() else [str(Path(PYTHON).parent / "ledger")]

# `ledger report` with the fast reader: the one-line change asked of Ledger.claims_for_report.
REPORT = (
    "import sys; "
    "from ledger.cli import main; sys.argv = ['ledger', *sys.argv[1:]]; main()"
)

BASELINE = r"""
import sqlite3, sys, time, json
src, dst = sys.argv[1], sys.argv[2]
cols = [r[1] for r in sqlite3.connect(src).execute("PRAGMA table_info(claim)")]
read = sqlite3.connect(src)
out = sqlite3.connect(dst)
out.execute(f"CREATE TABLE claim ({', '.join(cols)})")
sql = f"INSERT INTO claim VALUES ({', '.join('?' * len(cols))})"
cur = read.execute("SELECT * FROM claim ORDER BY id")
spent = 0.0
out.execute("BEGIN")
while True:
    rows = cur.fetchmany(100_000)
    if not rows:
        break
    t = time.perf_counter(); out.executemany(sql, rows); spent += time.perf_counter() - t
t = time.perf_counter(); out.commit(); spent += time.perf_counter() - t
print(json.dumps({"seconds": spent}))
"""


# The second yardstick: where SQLite's own work for the ledger's tables and indexes exceeds 4×, the
# same rows the import wrote, by executemany into the ledger's own schema (its indexes, foreign keys, WAL and
# the writer's page cache), in one transaction; timed like BASELINE (inserts, commit, close with its checkpoint).
FLOOR = r"""
import sqlite3, sys, time, json
src, dst = sys.argv[1], sys.argv[2]
read = sqlite3.connect(src)
out = sqlite3.connect(dst, isolation_level=None)
kinds = {"table": 0, "index": 1, "trigger": 2, "view": 3}
schema = read.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'").fetchall()
for kind, name, sql in sorted(schema, key=lambda row: kinds[row[0]]):
    out.execute(sql)
out.execute("PRAGMA foreign_keys=ON"); out.execute("PRAGMA journal_mode=WAL"); out.execute("PRAGMA cache_size=-262144")
written = ["source", "source_name", "document", "claim", "claim_relay", "history"]  # the import's writer's order
tables = [name for kind, name, _ in schema if kind == "table"]
out.execute("BEGIN")
for table in tables:  # what a fresh ledger holds before any import: not timed
    if table not in written:
        rows = read.execute(f'SELECT * FROM "{table}"').fetchall()
        if rows:
            out.executemany(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(rows[0]))})', rows)
out.execute("COMMIT")
spent = 0.0
t = time.perf_counter(); out.execute("BEGIN IMMEDIATE"); spent += time.perf_counter() - t
for table in written:
    cur = read.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
    sql = f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(cur.description))})'
    while True:
        rows = cur.fetchmany(100_000)
        if not rows:
            break
        t = time.perf_counter(); out.executemany(sql, rows); spent += time.perf_counter() - t
t = time.perf_counter(); out.execute("COMMIT"); out.close(); spent += time.perf_counter() - t
print(json.dumps({"seconds": spent}))
"""


def tree_rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants now, in KiB (from /proc; 0 once gone)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo += [int(child) for child in children.read().split()]
        except (OSError, ValueError):
            pass
    return total


def timed(cmd: list[str], stdout=subprocess.DEVNULL, env=None) -> dict:
    """Run ``cmd``; wall seconds and the peak RSS (MiB) of it and its own children together."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], tree_rss_kib(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err = proc.stderr.read().decode() if proc.stderr else ""  # before waiting: a full pipe would block the child
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}: {err[-2000:]}")
    return {"seconds": wall, "peak_mib": max(peak[0], usage.ru_maxrss) / 1024}


def run_import(workdir: Path, n: int, runs: int = 1) -> dict:
    """Generate ``n`` claims and import them into a fresh ledger (``runs`` times: the median, and the
    highest peak memory): the step the small test runs too."""
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / f"claims-{n}.jsonl"
    counts = synth.write_jsonl(data, n)
    db = workdir / f"ledger-{n}.db"
    results = []
    for _ in range(runs):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        results.append(timed([*LEDGER, "--db", str(db), "import", str(data)]))
    seconds = statistics.median(r["seconds"] for r in results)
    return {"data": str(data), "db": str(db), "counts": counts, "seconds": seconds,
            "all_seconds": [r["seconds"] for r in results], "peak_mib": max(r["peak_mib"] for r in results)}


def baseline_executemany(workdir: Path, db: str, n: int) -> float:
    bare = workdir / f"bare-{n}.db"
    bare.unlink(missing_ok=True)
    out = subprocess.run([PYTHON, "-c", BASELINE, db, str(bare)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["seconds"]


def floor_ledger_schema(workdir: Path, db: str, n: int) -> float:
    floor = workdir / f"floor-{n}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{floor}{suffix}").unlink(missing_ok=True)
    out = subprocess.run([PYTHON, "-c", FLOOR, db, str(floor)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["seconds"]


def baseline_sqlite_utils(workdir: Path, db: str, n: int) -> dict | None:
    tool = shutil.which("sqlite-utils") or str(Path(PYTHON).parent / "sqlite-utils")
    if not Path(tool).exists():
        print("sqlite-utils is not installed: skipping that baseline (pip install sqlite-utils)", file=sys.stderr)
        return None
    csv_path = workdir / f"claims-{n}.csv"
    with sqlite3.connect(db) as conn, open(csv_path, "w", newline="", encoding="utf-8") as out:
        import csv

        cur = conn.execute("SELECT * FROM claim ORDER BY id")
        writer = csv.writer(out)
        writer.writerow([d[0] for d in cur.description])
        while rows := cur.fetchmany(100_000):
            writer.writerows(rows)
    target = workdir / f"su-{n}.db"
    target.unlink(missing_ok=True)
    return timed([tool, "insert", str(target), "claim", str(csv_path), "--csv"])


def median_wall(cmd: list[str], runs: int = 7) -> float:
    return statistics.median(timed(cmd)["seconds"] for _ in range(runs))


def query_plan(db: str) -> str:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("EXPLAIN QUERY PLAN SELECT * FROM claim WHERE event_key = ? ORDER BY id", ("x",)).fetchall()
    return "; ".join(r[-1] for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--workdir", default="/tmp/ledger-bench")
    parser.add_argument("--skip-sqlite-utils-above", type=int, default=10**9)
    parser.add_argument("--import-only", action="store_true", help="measure the import and its baselines only")
    parser.add_argument("--runs", type=int, default=1, help="median of this many imports and executemany baselines")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        row: dict = {"claims": n}
        imported = run_import(workdir, n, args.runs)
        row["import_s"], row["import_peak_mib"] = imported["seconds"], imported["peak_mib"]
        row["import_runs_s"] = imported["all_seconds"]
        row["executemany_s"] = statistics.median(baseline_executemany(workdir, imported["db"], n) for _ in range(args.runs))
        row["floor_s"] = statistics.median(floor_ledger_schema(workdir, imported["db"], n) for _ in range(args.runs))
        su = baseline_sqlite_utils(workdir, imported["db"], n) if n <= args.skip_sqlite_utils_above else None
        row["sqlite_utils_s"] = su["seconds"] if su else None
        if args.import_only:
            results.append(row)
            print(json.dumps(row), file=sys.stderr)
            continue
        report = timed([PYTHON, "-c", REPORT, "--db", imported["db"], "report"])
        row["report_s"], row["report_peak_mib"] = report["seconds"], report["peak_mib"]
        report_csv = timed([PYTHON, "-c", REPORT, "--db", imported["db"], "report", "--format", "csv"])
        row["report_csv_s"], row["report_csv_peak_mib"] = report_csv["seconds"], report_csv["peak_mib"]
        with open(imported["data"], encoding="utf-8") as f:
            event = next(json.loads(line)["event"] for line in f if '"record"' not in line)
        row["list_event_s"] = median_wall([*LEDGER, "--db", imported["db"], "claim", "list", "--event", event], runs=3)
        row["query_plan"] = query_plan(imported["db"])
        results.append(row)
        print(json.dumps(row), file=sys.stderr)
    if args.import_only:
        (workdir / "results.json").write_text(json.dumps({"rows": results}, indent=2))
        print(render_import(results))
        return
    typer_s = median_wall([PYTHON, "-c", "import typer"])
    help_s = median_wall([*LEDGER, "--help"])
    (workdir / "results.json").write_text(json.dumps({"rows": results, "typer_s": typer_s, "help_s": help_s}, indent=2))
    print(render(results, typer_s, help_s))


def render_import(rows: list[dict]) -> str:
    lines = [
        "| claims | import | import ÷ executemany | import ÷ ledger-schema floor | sqlite-utils ÷ import "
        "| import peak RSS (both processes) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        su = f"{r['sqlite_utils_s'] / r['import_s']:.1f}× ({r['sqlite_utils_s']:.1f} s)" if r["sqlite_utils_s"] else "skipped"
        lines.append(
            f"| {r['claims']:,} | {r['import_s']:.2f} s | {r['import_s'] / r['executemany_s']:.1f}× ({r['executemany_s']:.2f} s) "
            f"| {r['import_s'] / r['floor_s']:.2f}× ({r['floor_s']:.2f} s) | {su} | {r['import_peak_mib']:.0f} MiB |"
        )
    return "\n".join(lines)


def render(rows: list[dict], typer_s: float, help_s: float) -> str:
    lines = [
        "| claims | import | × executemany | sqlite-utils ÷ import | import peak | report | report peak | report --format csv | claim list --event |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        su = f"{r['sqlite_utils_s'] / r['import_s']:.1f}× ({r['sqlite_utils_s']:.1f} s)" if r["sqlite_utils_s"] else "skipped"
        lines.append(
            f"| {r['claims']:,} | {r['import_s']:.2f} s | {r['import_s'] / r['executemany_s']:.1f}× ({r['executemany_s']:.2f} s) "
            f"| {su} | {r['import_peak_mib']:.0f} MiB | {r['report_s']:.2f} s | {r['report_peak_mib']:.0f} MiB "
            f"| {r['report_csv_s']:.2f} s | {r['list_event_s']:.2f} s |"
        )
    lines.append("")
    lines.append(f"`ledger --help` {help_s * 1000:.0f} ms = {help_s / typer_s:.1f}× `python -c \"import typer\"` ({typer_s * 1000:.0f} ms)")
    lines.append(f"Query plan of `claim list --event`: {rows[-1]['query_plan']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
