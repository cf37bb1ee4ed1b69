"""`ledger verify` against the least any verification must do, measured in the same run.

The baseline reads what verify must read, through sqlite3 with no library in
between, and hashes it with hashlib: every history entry's hashed bytes (the
``ledger-entry/1`` serialisation ``chain.entry_hash`` covers), and every
claim, source and document row with its text. That is the floor of a check
that the chain holds and the tables match it; verify also replays each row's
entries and compares field by field, which is what the ratio measures.

Usage (on a ledger built by ``ledger import`` of ``synth.write_jsonl``, see docs/performance.md)::

    .venv/bin/python benchmarks/verify.py /tmp/ledger-bench/ledger-200000.db --runs 3

Prints wall times (medians of ``--runs``), the ratio, and peak memory of the
``ledger verify`` process. Not a test: times are never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

LEDGER = str(Path(sys.executable).parent / "ledger")


def baseline(db: str) -> float:
    """Seconds to read every entry and row of the ledger and SHA-256 the same bytes verify hashes."""
    started = time.perf_counter()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for seq, at, user, action, subject, payload, prev in conn.execute(
            "SELECT seq, recorded_at, user, action, subject, payload, prev_hash FROM history ORDER BY seq"):
        hashlib.sha256(f"ledger-entry/1\n{seq}\n{len(at)}:{at}\n{len(user)}:{user}\n{len(action)}:{action}\n"
                       f"{len(subject)}:{subject}\n{len(payload)}:{payload}\n{prev}".encode()).hexdigest()
    for table in ("claim", "source", "document", "claim_relay", "source_name"):
        for row in conn.execute(f"SELECT * FROM {table}"):  # noqa: S608  (fixed table names)
            hashlib.sha256(repr(row).encode()).hexdigest()
    conn.close()
    return time.perf_counter() - started


def ledger_verify(db: str) -> tuple[float, int]:
    """Seconds and peak RSS (KiB, from wait4) of `ledger verify`; it must pass."""
    started = time.perf_counter()
    proc = subprocess.Popen([LEDGER, "--db", db, "verify"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    out = proc.stdout.read().decode()
    if os.waitstatus_to_exitcode(status) != 0 or not out.startswith("ok: "):
        raise SystemExit(f"verify failed: {out}{proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="a ledger file")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    conn = sqlite3.connect(args.db)
    entries, claims = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("history", "claim"))  # noqa: S608
    conn.close()
    floors, runs = [], []
    for _ in range(args.runs):  # interleaved, so a noisy moment on the shared machine hits both
        floors.append(baseline(args.db))
        runs.append(ledger_verify(args.db))
    floor, seconds = statistics.median(floors), statistics.median(r[0] for r in runs)
    peak = max(r[1] for r in runs)
    print("| ledger | entries | claims | read + hashlib (baseline) | `ledger verify` | ratio | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| {Path(args.db).name} | {entries:,} | {claims:,} | {floor:.2f} s | {seconds:.2f} s | {seconds / floor:.1f}× | {peak // 1024} MiB |")


if __name__ == "__main__":
    main()
