"""A progress bar for long commands: rich, on standard error, only on a terminal, and only once a second
has passed, so short runs, pipes and scripts see nothing of it."""

from __future__ import annotations

import sys
import time


class TerminalProgress:
    """``progress(done, total)`` for the library's long calls (``verify``): a bar labelled ``label``."""

    DELAY = 1.0

    def __init__(self, label: str, noun: str):
        self.label, self.noun = label, noun
        self.started = time.monotonic()
        self.enabled = sys.stderr.isatty()
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn(self.label), BarColumn(), TextColumn("{task.completed:,} of {task.total:,} " + self.noun),
                                TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done, total=total)

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()
