"""Hostile timing: several processes writing one ledger at once, on SQLite and on PostgreSQL.

Each test starts real processes (``multiprocessing`` with ``spawn``: a fresh
interpreter each, as separate commands are) that wait at a barrier, then
write as fast as they can. The CLI runs inside them through typer's runner, so
one interpreter start serves many commands and the commands overlap far more
often than separate ``ledger`` processes could. Whatever the interleaving,
every command either succeeds or fails with one ``error:`` line, the history
stays one chain with no duplicate seq, and ``ledger verify`` passes.

Each test's ledger is the one conftest gives it (``isolated_db``): a SQLite
file, or with ``--postgres`` a database of its own on a real server, where
writers serialise on an advisory lock instead of SQLite's write lock.

Before the write lock was taken first, these failed on most runs: a
``KeyError`` traceback from ``source add``, ``database: UNIQUE constraint
failed`` lines, and claims corrected after they were retracted.
"""

from __future__ import annotations

import multiprocessing
import traceback

from ledger import ClaimInput, open_ledger, parse_quantity

WORKERS = 4
CLAIMS_PER_WRITER = 250


def _rows(url: str, sql: str, **params) -> list[tuple]:
    """A query's rows, through SQLAlchemy: the same on both backends."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def _cli_worker(url: str, commands: list[list[str]], barrier, results) -> None:
    """Run ``commands`` through the CLI; put back (args, exit code, stdout, stderr, traceback or "") for each."""
    from typer.testing import CliRunner

    from ledger.cli import app

    runner = CliRunner()
    barrier.wait(120)
    done = []
    for args in commands:
        result = runner.invoke(app, ["--db", url, *args])
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        done.append((args, result.exit_code, result.stdout, result.stderr,
                     "".join(traceback.format_exception(result.exception)) if crashed else ""))
    results.put(done)


def _guarded(target, args: tuple, barrier, results) -> None:
    """``target(*args, barrier, results)``; if it raises, its traceback is put back instead, so the test fails at once."""
    try:
        target(*args, barrier, results)
    except BaseException:
        results.put([("crashed", traceback.format_exc())])


def _together(target, args_for) -> list:
    """Run ``target(*args_for(w), barrier, results)`` in WORKERS processes started at once; what they put back."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(WORKERS), ctx.Queue()
    procs = [ctx.Process(target=_guarded, args=(target, args_for(w), barrier, results)) for w in range(WORKERS)]
    for proc in procs:
        proc.start()
    gathered = [item for _ in procs for item in results.get(timeout=300)]  # before join: a full pipe blocks the worker
    for proc in procs:
        proc.join(60)
    assert [item[1] for item in gathered if item[0] == "crashed"] == []
    return gathered


def _assert_clean_runs(runs: list) -> None:
    """No traceback, and each failure is exactly one ``error:`` line with exit 1 or 2."""
    crashes = [(args, tb) for args, _, _, _, tb in runs if tb]
    assert not crashes, crashes[0]
    for args, code, _, err, _ in runs:
        if code != 0:
            lines = err.strip().splitlines()
            assert code in (1, 2) and len(lines) == 1 and lines[0].startswith("error: "), (args, code, err)


def _assert_one_chain(url: str) -> int:
    """The history is seq 1..n without gaps or repeats and verifies; returns n."""
    seqs = [seq for (seq,) in _rows(url, "SELECT seq FROM history ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    from typer.testing import CliRunner

    from ledger.cli import app

    verify = CliRunner().invoke(app, ["--db", url, "verify"])
    assert verify.exit_code == 0 and verify.stdout.startswith("ok:"), verify.stdout + verify.stderr
    return len(seqs)


def test_source_adds_at_once_distinct_and_same_names(isolated_db):
    """4 processes × 25 distinct names, and 25 names all four try at the same moment: one wins each."""
    url = isolated_db
    open_ledger(url).add_source("seed")

    def commands(worker: int) -> list[list[str]]:
        steps = []
        for i in range(25):
            steps.append(["source", "add", f"Source {worker}-{i}", "--kind", "media"])
            steps.append(["source", "add", f"Shared {i}", "--alias", f"shared alias {i}", "--kind", "ngo"])
        return steps

    runs = _together(_cli_worker, lambda w: (url, commands(w)))
    _assert_clean_runs(runs)
    assert all(code == 0 for args, code, *_ in runs if args[2].startswith("Source")), "a distinct name was refused"
    for i in range(25):
        tries = [(code, err.strip()) for args, code, _, err, _ in runs if args[2] == f"Shared {i}"]
        assert sorted(code for code, _ in tries) == [0, 2, 2, 2], tries
        assert {err for code, err in tries if code} == {f"error: NAME: 'Shared {i}' is already a name of source 'Shared {i}'"}
    names = sorted(name for (name,) in _rows(url, "SELECT name FROM source"))
    (aliases,) = _rows(url, "SELECT count(*), count(DISTINCT name_key) FROM source_name")
    assert names == sorted(["seed", *(f"Source {w}-{i}" for w in range(WORKERS) for i in range(25)),
                            *(f"Shared {i}" for i in range(25))])
    assert aliases == (1 + 100 + 50, 1 + 100 + 50)  # no name or alias recorded twice
    assert _assert_one_chain(url) == 1 + 100 + 25


def test_correct_racing_retract_never_corrects_a_retracted_claim(isolated_db):
    """Two processes correct and two retract the same 25 claims, in the same order, at once."""
    url = isolated_db
    book = open_ledger(url)
    book.add_source("SOHR", kind="ngo")
    ids = [book.add_claim(ClaimInput(event="A", metric="killed", value=parse_quantity(str(n)), said_by="SOHR")).id
           for n in range(25)]

    def commands(worker: int) -> list[list[str]]:
        if worker % 2:
            return [["claim", "retract", str(i), "--reason", "withdrawn"] for i in ids]
        return [["claim", "correct", str(i), "--value", f"{100 + worker}"] for i in ids]

    runs = _together(_cli_worker, lambda w: (url, commands(w)))
    _assert_clean_runs(runs)
    refusals = {err.strip().split(":")[1].strip() for _, code, _, err, _ in runs if code}
    assert refusals <= {"ID"}, refusals  # only "is retracted" / "is already retracted", never a database error
    for claim_id in ids:
        actions = [a for (a,) in _rows(url, "SELECT action FROM history WHERE subject = :s ORDER BY seq", s=f"claim:{claim_id}")]
        assert actions.count("claim.retract") == 1, actions
        assert "claim.correct" not in actions[actions.index("claim.retract"):], actions
        assert _rows(url, "SELECT retracted FROM claim WHERE id = :i", i=claim_id) == [(True,)]
    _assert_one_chain(url)


def _claims_worker(url: str, worker: int, barrier, results) -> None:
    """CLAIMS_PER_WRITER claims through the library; their sources are made on the fly, the same names in every worker."""
    book = open_ledger(url, user=f"writer-{worker}")
    barrier.wait(120)
    made = []
    for i in range(CLAIMS_PER_WRITER):
        claim = book.add_claim(ClaimInput(event="Ghweran prison attack", metric="killed", value=parse_quantity(str(worker * 1000 + i)),
                                          said_by=f"Speaker {i % 10}", via=(f"Relay {i % 7}",)), create_sources=True)
        made.append((claim.id, claim.value.text, claim.said_by, claim.via))
    results.put(made)


def test_claims_from_four_library_processes_all_land(isolated_db):
    url = isolated_db
    open_ledger(url).add_source("seed")
    made = _together(_claims_worker, lambda w: (url, w))
    expected = sorted(str(w * 1000 + i) for w in range(WORKERS) for i in range(CLAIMS_PER_WRITER))
    assert sorted(text for _, text, _, _ in made) == expected
    assert len({claim_id for claim_id, *_ in made}) == WORKERS * CLAIMS_PER_WRITER
    book = open_ledger(url)
    stored = {c.id: (c.id, c.value.text, c.said_by, c.via) for c in book.list_claims()}
    assert sorted(stored.values()) == sorted(made)  # each as its writer was told it was recorded
    assert sorted(s.name for s in book.list_sources()) == sorted(
        ["seed", *(f"Speaker {i}" for i in range(10)), *(f"Relay {i}" for i in range(7))])
    assert _assert_one_chain(url) == 1 + 17 + WORKERS * CLAIMS_PER_WRITER


def test_claims_from_four_cli_processes_all_land(isolated_db):
    """4 × 10 `claim add` commands at once, each naming speakers the others are creating too."""
    url = isolated_db
    open_ledger(url).add_source("seed")

    def commands(worker: int) -> list[list[str]]:
        return [["--by", f"desk-{worker}", "claim", "add", "-e", "Ghweran prison attack", "-m", "killed",
                 "--value", str(worker * 100 + i), "-s", f"Speaker {i % 3}", "--via", f"Relay {i % 2}", "--create-sources"]
                for i in range(10)]

    runs = _together(_cli_worker, lambda w: (url, commands(w)))
    _assert_clean_runs(runs)
    assert [code for _, code, *_ in runs] == [0] * 40
    ids = sorted(int(out) for _, _, out, _, _ in runs)
    assert ids == list(range(1, 41))  # every claim landed, each with its own id
    stored = sorted(c.value.text for c in open_ledger(url).list_claims())
    assert stored == sorted(str(w * 100 + i) for w in range(WORKERS) for i in range(10))
    users = sorted(user for (user,) in _rows(url, "SELECT DISTINCT \"user\" FROM history WHERE action = 'claim.add'"))
    assert users == [f"desk-{w}" for w in range(WORKERS)]
    assert _assert_one_chain(url) == 1 + 5 + 40


def test_an_import_meeting_another_writer_fails_in_one_line_and_imports_nothing(seeded, tmp_path):
    import sqlite3 as sqlite

    rows = tmp_path / "one.jsonl"
    rows.write_text('{"event":"A","metric":"killed","value":"5","said_by":"SOHR"}\n', encoding="utf-8")
    holder = sqlite.connect("ledger.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another command in the middle of a write
        result = seeded.run("import", str(rows), code=1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.stderr == ("error: the ledger is busy: another command was writing to it while this import ran; "
                             "nothing was imported; run the import again\n")
    assert seeded.json("claim", "list") == []
    assert seeded.run("import", str(rows)).stdout.splitlines()[0] == "imported 1 claim (id 1)"
