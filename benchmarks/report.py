"""`ledger report` on a big ledger against a bare ``SELECT *`` of its claim table through sqlite3, in one run
(issue 12: within 2×, peak under 1 GiB summed over every process the report starts).

A report keeps its results beside the ledger and re-judges only the events whose claims changed since
(``ledger.storage.kept``), and the text of the last table printed (``ledger.reports.kept_text``), so
reports are timed on a copy of the ledger: the first (judges every claim, keeps the results), the same
on the unchanged ledger (reads the kept text), others on it (decode the kept results and lay them out),
and one after a new claim (recounts the names, re-judges that claim's event and splices its rows into the
kept table). ``benchmarks/verify.py`` times
``verify``, which now also judges everything again to check the kept results.

Usage::

    .venv/bin/python benchmarks/scale.py --import-only --sizes 1000000 --workdir /tmp/m1   # builds the ledger
    .venv/bin/python benchmarks/report.py /tmp/m1/ledger-1000000.db

Peak memory is sampled from /proc every 20 ms over the command and all its descendants (scale.timed).
The ledger given is copied first and left as it was. Not a test: times are never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=Path(args.db).parent) as folder:
        db = str(Path(folder) / "ledger.db")
        shutil.copyfile(args.db, db)
        with sqlite3.connect(db) as conn:  # a copy made before reports kept results: judge it all first
            for table in ("kept_event", "kept_report", "kept_name", "kept_text"):
                if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
                    conn.execute(f"DELETE FROM {table}")
            source = conn.execute("SELECT name FROM source ORDER BY id LIMIT 1").fetchone()[0]
            event = conn.execute("SELECT event FROM claim ORDER BY id LIMIT 1").fetchone()[0]
        report = [*LEDGER, "--db", db, "report"]
        runs = [
            ("SELECT * FROM claim (sqlite3)", timed([PYTHON, "-c", SELECT_ALL, db])),
            ("ledger report, the first: judges every claim, keeps the results and its text", timed(report)),
            ("ledger report, the ledger unchanged: reads the kept text", timed(report)),
            ("ledger report --all, unchanged: decodes the kept results, lays them out, keeps its text", timed([*report, "--all"])),
            ("ledger report --format csv, unchanged: decodes the kept results", timed([*report, "--format", "csv"])),
        ]
        timed([*LEDGER, "--db", db, "claim", "add", "-e", event, "-m", "killed", "--value", "about 150", "-s", source,
               "--published", "2024-01-24"])
        runs.append(("ledger report after one new claim: names recounted, its event re-judged, the kept table spliced",
                     timed(report)))
    base = runs[0][1]["seconds"]
    print(f"| command ({Path(args.db).name}) | wall | ÷ SELECT * | peak RSS, all processes |")
    print("|---|---:|---:|---:|")
    for name, result in runs:
        print(f"| `{name}` | {result['seconds']:.2f} s | {result['seconds'] / base:.1f}× | {result['peak_mib']:.0f} MiB |")


if __name__ == "__main__":
    main()
