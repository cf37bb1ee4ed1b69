"""An import is all-or-nothing whatever happens to the command: killed or interrupted at any point.

A large import into a SQLite file writes through a child process
(``ledger.storage.sqlite_sink``). Before the sync handshake, the importer's
``commit`` message queued up behind rows the child had not written yet, so an
importer killed in the second half of its run still committed everything,
and a natural retry doubled the ledger. These tests kill a real
100,000-claim import at several points of its measured run time and check
that the ledger then holds the claims from before or from after, never some
of them, and that ``verify`` passes.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synth  # noqa: E402

CLAIMS = 100_000
LEDGER = [sys.executable, "-c", "from ledger.cli import main; main()"]
# Fractions of a full run's wall time at which the import is stopped: the
# second half is where the queued commit used to land.
SIGKILL_AT = (0.3, 0.6, 0.8)
# Ctrl-C late in the run too: once the commit has begun the command must finish and say what it did,
# not report "interrupted" (or die silently in its teardown) with every row landed.
SIGINT_AT = (0.7, 0.95)


def _restore_sigint() -> None:
    # A test runner or a non-interactive shell may ignore SIGINT; a user's
    # terminal does not, so give the command the default Ctrl-C behaviour.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _import(db: Path, data: Path) -> subprocess.Popen:
    return subprocess.Popen([*LEDGER, "--db", str(db), "import", str(data), "--create-sources"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_restore_sigint)


def _wait_for_group(proc: subprocess.Popen) -> None:
    """Wait for the command and every process it started (the writer child) to be gone."""
    proc.wait(timeout=60)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    raise AssertionError("the import's writer process outlived the command by a minute")


def _claims(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM claim").fetchone()[0]


def _verify(db: Path) -> str:
    done = subprocess.run([*LEDGER, "--db", str(db), "verify"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def import_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("import") / "claims.jsonl"
    synth.write_jsonl(path, CLAIMS, quotes=False)  # the kill's timing is under test, not the quote checks
    return path


@pytest.fixture(scope="module")
def before(tmp_path_factory) -> Path:
    """A ledger that already holds one claim, so 'before' is not simply empty."""
    path = tmp_path_factory.mktemp("before") / "ledger.db"
    for args in (["source", "add", "Syrian Observatory for Human Rights", "--alias", "SOHR"],
                 ["claim", "add", "--event", "Ghweran prison attack", "--metric", "killed", "--value", "78", "--said-by", "SOHR"]):
        subprocess.run([*LEDGER, "--db", str(path), *args], check=True, capture_output=True)
    return path


@pytest.fixture(scope="module")
def full_run(import_file, before, tmp_path_factory) -> float:
    """Seconds a whole import takes here; the kill points are fractions of it."""
    db = tmp_path_factory.mktemp("full") / "ledger.db"
    shutil.copy(before, db)
    started = time.monotonic()
    proc = _import(db, import_file)
    _wait_for_group(proc)
    seconds = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr.read().decode()
    assert _claims(db) == 1 + CLAIMS
    return seconds


@pytest.mark.parametrize(("signal_number", "fraction"),
                         [(signal.SIGKILL, f) for f in SIGKILL_AT] + [(signal.SIGINT, f) for f in SIGINT_AT])
def test_a_stopped_import_leaves_all_or_nothing(signal_number, fraction, import_file, before, full_run, tmp_path):
    db = tmp_path / "ledger.db"
    shutil.copy(before, db)
    proc = _import(db, import_file)
    time.sleep(fraction * full_run)
    # Ctrl-C in a terminal reaches the whole foreground process group.
    os.killpg(proc.pid, signal_number) if signal_number == signal.SIGINT else proc.send_signal(signal_number)
    _wait_for_group(proc)
    count = _claims(db)
    assert count in (1, 1 + CLAIMS), f"{count - 1} of {CLAIMS} claims landed after {signal_number.name} at {fraction:.0%}"
    if signal_number == signal.SIGINT:
        message = proc.stderr.read().decode()
        if count == 1:
            assert proc.returncode == 130, (proc.returncode, message)
            assert message.startswith("error: interrupted") and len(message.splitlines()) == 1, message
        else:  # the commit had begun: the command finishes as if Ctrl-C had not been pressed
            assert (proc.returncode, message) == (0, ""), (proc.returncode, message)
    assert _verify(db).startswith("ok")
