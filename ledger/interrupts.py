"""Ctrl-C and commits: before a command commits, Ctrl-C stops it and nothing lands; once it commits, it finishes.

The command line reports a Ctrl-C as ``error: interrupted`` (exit 130),
which tells the user nothing was recorded. A Ctrl-C that arrived while a
commit was under way, or after it (printing the summary, the interpreter's
teardown), used to say so too, or kill the process silently, although the
rows had landed: a user who believed the message and ran the import again
would be told every claim was already there, and one who saw no message at
all would not know. So the command line asks, once, that from the first
commit of a process on SIGINT be ignored: the command then runs to its end
and prints what it did. A Python program using the library keeps its own
Ctrl-C handling: without :func:`finish_after_commit`, :func:`committing` does
nothing.
"""

from __future__ import annotations

import signal
import threading

_finish_after_commit = False


def finish_after_commit() -> None:
    """From the first commit on, this process ignores Ctrl-C (the command line asks this once, at start)."""
    global _finish_after_commit
    _finish_after_commit = True


def committing() -> None:
    """A commit is about to start: past this point the command is not to be stopped by Ctrl-C."""
    # signal.signal works in the main thread only; a writer thread's commit is covered by the main thread's.
    if _finish_after_commit and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
