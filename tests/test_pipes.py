"""`ledger … | head`: when the reader has closed the pipe the command stops quietly, as `cat` would."""

import os
import subprocess
import sys

import pytest

LEDGER = [sys.executable, "-c", "from ledger.cli import main; main()"]


@pytest.fixture
def demo_ledger(isolated_db):
    done = subprocess.run([*LEDGER, "demo"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return isolated_db


@pytest.mark.parametrize("args", [["--help"], ["extract", "--help"], ["report"], ["claim", "list"], ["claim", "list", "--json"],
                                  ["export"], ["audit", "1"], ["log"], ["source", "list"], ["verify"]])
def test_output_into_a_closed_pipe_stops_without_a_word(demo_ledger, args):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone, as `head` is after its lines: every write fails
    try:
        done = subprocess.run([*LEDGER, *args], stdout=write_end, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write_end)
    assert done.stderr == "", f"{args}: {done.stderr}"
    assert done.returncode == 1, f"{args}: exit {done.returncode}"
