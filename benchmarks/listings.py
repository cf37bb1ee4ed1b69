"""Listings on a big ledger against ``ledger --help``, measured in the same run (issue 12: within 2×).

Each command runs in a fresh process; the figure is the median wall time of N runs and the peak RSS of
the process (``os.wait4``: none of these commands starts another process). ``| head -3`` is measured as a
shell user meets it: the reader takes three lines and closes the pipe, and the time is until ledger exits.

Usage::

    .venv/bin/python benchmarks/scale.py --import-only --sizes 1000000 --workdir /tmp/m1   # builds the ledger
    .venv/bin/python benchmarks/listings.py /tmp/m1/ledger-1000000.db --runs 5

A listing files each claim under its quantity by the names as the last report kept them, when nothing
changed since (``ledger.storage.kept``); else it resolves every name first. ``--as-kept`` runs
``ledger report`` once before timing (it writes the kept results into the ledger given), so that the
listings find the names kept; without it they meet the ledger as it is.

Not a test: times are never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

LEDGER = [str(Path(sys.executable).parent / "ledger")]


def _run(argv: list[str], head: int | None) -> tuple[float, float]:
    """Wall seconds until the process exits, and its peak RSS in MiB."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if head is None:
        proc.stdout.read()
    else:
        for _ in range(head):
            proc.stdout.readline()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024


def _median(argv: list[str], head: int | None, runs: int) -> tuple[float, float]:
    results = [_run(argv, head) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", help="a ledger file, e.g. one benchmarks/scale.py built")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--as-kept", action="store_true", help="run `ledger report` first (writes the kept results)")
    args = parser.parse_args()
    db = ["--db", args.db]
    if args.as_kept:
        subprocess.run([*LEDGER, *db, "report"], stdout=subprocess.DEVNULL, check=True)
    cases = [("ledger --help", [*LEDGER, "--help"], None),
             ("claim list -n 10", [*LEDGER, *db, "claim", "list", "-n", "10"], None),
             ("claim list | head -3", [*LEDGER, *db, "claim", "list"], 3),
             ("claim list --json | head -3", [*LEDGER, *db, "claim", "list", "--json"], 3),
             ("claim list --reverse | head -3", [*LEDGER, *db, "claim", "list", "--reverse"], 3),
             ("log -n 10", [*LEDGER, *db, "log", "-n", "10"], None),
             ("log | head -3", [*LEDGER, *db, "log"], 3)]
    measured = {name: _median(argv, head, args.runs) for name, argv, head in cases}
    base = measured["ledger --help"][0]
    print(f"| command ({Path(args.db).name}, median of {args.runs}) | wall | ÷ --help | peak RSS |")
    print("|---|---:|---:|---:|")
    for name, (wall, peak) in measured.items():
        print(f"| `{name}` | {wall:.2f} s | {wall / base:.1f}× | {peak:.0f} MiB |")


if __name__ == "__main__":
    main()
