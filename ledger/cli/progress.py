"""A progress bar for long commands: rich, on standard error, only on a terminal, and only once a second
has passed, so short runs, pipes and scripts see nothing of it."""

from __future__ import annotations

import sys
import time


class TerminalProgress:
    """``progress(done, total)`` for the library's long calls (``verify``, ``import``): a bar labelled
    ``label``, counting ``noun`` ("12,000 of 409,690 entries and rows"), or saying ``counter`` instead (a rich
    format of the task, e.g. ``"{task.fields[seen]:,} records"`` for fields passed to each call)."""

    DELAY = 1.0

    def __init__(self, label: str, noun: str = "", counter: str | None = None):
        self.label = label
        self.counter = counter or "{task.completed:,} of {task.total:,} " + noun
        self.started = time.monotonic()
        self.enabled = sys.stderr.isatty()
        self.bar = None

    def __call__(self, done: int, total: int, **fields) -> None:
        if not self.enabled or not total:  # nothing to measure against (standard input): no bar
            return
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn(self.label), BarColumn(), TextColumn(self.counter),
                                TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total, **fields)
        self.bar.update(self.task, completed=done, total=total, **fields)
        if done >= total:  # gone before the command prints what it found (a report streams right after)
            self._finish()

    def _finish(self) -> None:
        """End this pass: a next one (an export reads the claims twice) gets its own bar, after its own second."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
        self.started = time.monotonic()

    def close(self) -> None:
        self._finish()
        self.enabled = False

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
