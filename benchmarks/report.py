"""`ledger report` on a big ledger against a bare ``SELECT *`` of its claim table through sqlite3, in one run
(issue 12: within 2×, peak under 1 GiB summed over every process the report starts).

Usage::

    .venv/bin/python benchmarks/scale.py --import-only --sizes 1000000 --workdir /tmp/m1   # builds the ledger
    .venv/bin/python benchmarks/report.py /tmp/m1/ledger-1000000.db --runs 1

Peak memory is sampled from /proc every 20 ms over the command and all its descendants (scale.timed).
Not a test: times are never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import LEDGER, PYTHON, timed  # noqa: E402

SELECT_ALL = ("import sqlite3, sys\n"
              "cur = sqlite3.connect(sys.argv[1]).execute('SELECT * FROM claim')\n"
              "while cur.fetchmany(100_000):\n"
              "    pass\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    runs = {name: [timed(cmd) for _ in range(args.runs)] for name, cmd in (
        ("SELECT * FROM claim (sqlite3)", [PYTHON, "-c", SELECT_ALL, args.db]),
        ("ledger report", [*LEDGER, "--db", args.db, "report"]),
        ("ledger report --format csv", [*LEDGER, "--db", args.db, "report", "--format", "csv"]),
    )}
    base = statistics.median(r["seconds"] for r in runs["SELECT * FROM claim (sqlite3)"])
    print(f"| command ({Path(args.db).name}, median of {args.runs}) | wall | ÷ SELECT * | peak RSS, all processes |")
    print("|---|---:|---:|---:|")
    for name, results in runs.items():
        wall = statistics.median(r["seconds"] for r in results)
        peak = max(r["peak_mib"] for r in results)
        print(f"| `{name}` | {wall:.2f} s | {wall / base:.1f}× | {peak:.0f} MiB |")


if __name__ == "__main__":
    main()
