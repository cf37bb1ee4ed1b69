"""Ctrl-C around commits: the command line finishes once it commits; a Python program keeps its own handler."""

from __future__ import annotations

import signal

import pytest

from ledger import interrupts
from ledger.api import open_ledger


@pytest.fixture
def sigint_restored():
    saved, flag = signal.getsignal(signal.SIGINT), interrupts._finish_after_commit
    # Python's own handler to start from: a suite run in the background (`nohup … &`) inherits SIGINT ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, saved)
    interrupts._finish_after_commit = flag


def test_a_library_write_leaves_the_programs_ctrl_c_alone(sigint_restored):
    before = signal.getsignal(signal.SIGINT)
    open_ledger("sqlite://").add_source("Syrian Observatory for Human Rights")
    assert signal.getsignal(signal.SIGINT) is before


def test_after_the_command_lines_first_commit_ctrl_c_is_ignored(sigint_restored):
    interrupts.finish_after_commit()
    ledger = open_ledger("sqlite://")
    ledger.list_sources()  # a read commits nothing: Ctrl-C still stops it
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
    ledger.add_source("Syrian Observatory for Human Rights")
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
