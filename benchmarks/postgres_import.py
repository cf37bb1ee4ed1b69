"""Bulk import into PostgreSQL (COPY) against a raw COPY of the same rows into bare tables, in one run.

    .venv/bin/python benchmarks/postgres_import.py --claims 200000 --postgres postgresql+psycopg://postgres@127.0.0.1:PORT/ledger

The claims are the benchmark's realistic synthetic data (``benchmarks/synth.py``: documents with article text,
verbatim quotes on most claims, relays, retractions). ``ledger import`` runs as a user runs it, in a child
process, into a fresh database. The baseline then takes exactly the rows that import wrote (every table: claims,
relays, sources, names, documents, history) and COPYs them into tables of the same columns with no key, index or
constraint: what the server's own work for those bytes costs. A second baseline, the import with its quotes
left unchecked (``quotes=False``), says how much of the time is reading quotes for their figures.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLES = ("source", "source_name", "document", "claim", "claim_relay", "history")


def _database(server, name: str) -> str:
    import sqlalchemy

    admin = sqlalchemy.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def _import(url: str, path: Path) -> float:
    ledger = [sys.executable, "-c", "from ledger.cli import main; main()"]
    subprocess.run([*ledger, "--db", url, "verify"], check=True, capture_output=True)  # the schema, made off the clock
    start = time.perf_counter()
    done = subprocess.run([*ledger, "--db", url, "import", str(path), "--create-sources"], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(done.stderr)
    return elapsed


def _raw_copy(imported: str, bare: str) -> tuple[float, int]:
    """COPY the imported rows out to memory, then time COPYing them into bare tables; (seconds, bytes)."""
    import psycopg

    plain = lambda url: url.replace("postgresql+psycopg://", "postgresql://")  # noqa: E731
    dumps = {}
    with psycopg.connect(plain(imported)) as source:
        for table in TABLES:
            buffer = io.BytesIO()
            with source.cursor().copy(f'COPY "{table}" TO STDOUT') as copy:
                for block in copy:
                    buffer.write(block)
            columns = source.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                (table,)).fetchall()
            dumps[table] = (buffer.getvalue(), columns)
    with psycopg.connect(plain(bare)) as target:
        for table, (_, columns) in dumps.items():
            target.execute(f'CREATE TABLE "{table}" ({", ".join(f"{chr(34)}{name}{chr(34)} {kind}" for name, kind in columns)})')
        target.commit()
        start = time.perf_counter()
        for table, (data, _) in dumps.items():
            with target.cursor().copy(f'COPY "{table}" FROM STDIN') as copy:
                copy.write(data)
        target.commit()
        elapsed = time.perf_counter() - start
    return elapsed, sum(len(data) for data, _ in dumps.values())


def main() -> None:
    import sqlalchemy

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--postgres", metavar="URL", required=True, help="a server (databases bench_pg_* are made on it)")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import synth

    server = sqlalchemy.make_url(args.postgres)
    with tempfile.TemporaryDirectory() as folder:
        quoted, bare_quotes = Path(folder) / "quoted.jsonl", Path(folder) / "unquoted.jsonl"
        synth.write_jsonl(str(quoted), args.claims)
        synth.write_jsonl(str(bare_quotes), args.claims, quotes=False)
        imported = _database(server, "bench_pg_import")
        seconds = _import(imported, quoted)
        unquoted = _import(_database(server, "bench_pg_unquoted"), bare_quotes)
        raw, size = _raw_copy(imported, _database(server, "bench_pg_bare"))
    print(f"ledger import, {args.claims:,} claims (quotes checked) into PostgreSQL: {seconds:7.2f} s")
    print(f"ledger import, the same without quotes:                 {unquoted:7.2f} s")
    print(f"raw COPY of the rows it wrote ({size / 2**20:.0f} MiB) into bare tables: {raw:7.2f} s")
    print(f"import ÷ raw COPY: {seconds / raw:.1f}× (without quotes: {unquoted / raw:.1f}×)")


if __name__ == "__main__":
    main()
