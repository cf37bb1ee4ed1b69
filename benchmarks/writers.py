"""Concurrent writers: claims per second with 1 and with 4 processes recording at once, per backend.

    .venv/bin/python benchmarks/writers.py --claims 1000
    .venv/bin/python benchmarks/writers.py --claims 1000 --postgres postgresql+psycopg://postgres@127.0.0.1:PORT/ledger

Each claim goes through the library's ``add_claim`` (the path ``ledger claim add`` takes: write lock,
history append, quote-free), with realistic names: 40 speakers, relays on a third of the claims. The
baseline is the same number of claims from one process, measured in the same run. After each run the
history is checked: one chain, no duplicate seq, ``verify`` passes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from pathlib import Path


def _writer(url: str, worker: int, count: int, barrier) -> None:
    from ledger import ClaimInput, open_ledger, parse_quantity

    book = open_ledger(url, user=f"writer-{worker}")
    shapes = ("{}", "more than {}", "about {}", "at least {}")  # every claim a figure of its own: none is a duplicate
    values = [parse_quantity(shapes[i % 4].format(worker * 100_000 + i)) for i in range(count)]
    barrier.wait(120)
    for i in range(count):
        book.add_claim(ClaimInput(event=f"Ghweran prison attack {i % 5}", metric="killed", value=values[i],
                                  said_by=f"Speaker {(worker * 7 + i) % 40}", via=(f"Relay {i % 9}",) if i % 3 == 0 else ()),
                       create_sources=True)


def _run(url: str, processes: int, claims: int) -> float:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(processes + 1)
    procs = [ctx.Process(target=_writer, args=(url, w, claims // processes, barrier)) for w in range(processes)]
    for proc in procs:
        proc.start()
    barrier.wait(120)
    start = time.perf_counter()
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - start
    if any(proc.exitcode for proc in procs):
        raise SystemExit(f"a writer failed on {url}")
    return elapsed


def _check(url: str, claims: int) -> None:
    from ledger import open_ledger

    book = open_ledger(url)
    result = book.verify()
    seqs = [e.seq for e in book.log()]
    assert result.ok and len(seqs) == len(set(seqs)) and len(book.list_claims()) == claims, (result, len(seqs))


def _fresh(base: str | None, name: str, folder: Path) -> str:
    if base is None:
        return f"sqlite:///{folder / (name + '.db')}"
    import sqlalchemy

    server = sqlalchemy.make_url(base)
    admin = sqlalchemy.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS bench_{name} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE bench_{name}")
    admin.dispose()
    return server.set(database=f"bench_{name}").render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--postgres", metavar="URL", help="a server to measure too (any database on it; bench_* are made)")
    args = parser.parse_args()
    backends = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    with tempfile.TemporaryDirectory() as folder:
        for backend, base in backends:
            figures = {}
            for processes in (1, 4):
                url = _fresh(base, f"{backend}_{processes}", Path(folder))
                from ledger import open_ledger

                open_ledger(url).add_source("seed")  # the schema, made before the clock starts
                elapsed = _run(url, processes, args.claims)
                _check(url, args.claims)
                figures[processes] = args.claims / elapsed
                print(f"{backend:10s} {processes} writer{'s' if processes > 1 else ' '}: {args.claims} claims in "
                      f"{elapsed:6.2f} s = {figures[processes]:7.0f} claims/s")
            print(f"{backend:10s} 4 writers ÷ 1 writer: {figures[4] / figures[1]:.2f}×")


if __name__ == "__main__":
    main()
