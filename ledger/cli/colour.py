"""Colour for people at a terminal, never for files, pipes or anyone who set NO_COLOR.

The conventions of no-color.org and force-color.org: ``NO_COLOR`` set to
anything but the empty string turns colour off, ``FORCE_COLOR`` turns it on
even off a terminal (a pager with ``less -R``); otherwise colour is used only
when standard output is a terminal that is not ``TERM=dumb``.
"""

from __future__ import annotations

import os
import re
import sys

import typer

VERDICT_COLOURS = {"contradiction": "red", "divergence": "yellow", "revision": "cyan", "agreement": "green"}
_VERDICT_AT_LINE_START = re.compile(r"(?m)^(\| )?(contradiction|divergence|revision|agreement)\b")


def wanted() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def verdicts(text: str) -> str:
    """Each verdict that starts a table row, in its colour (the row's width is unchanged on screen)."""
    return _VERDICT_AT_LINE_START.sub(
        lambda m: (m.group(1) or "") + typer.style(m.group(2), fg=VERDICT_COLOURS[m.group(2)], bold=True if m.group(2) == "contradiction" else None),
        text)


def echo(text: str, nl: bool = True) -> None:
    """``typer.echo`` that keeps the colour ``wanted`` asked for, even where click would strip it."""
    typer.echo(text, nl=nl, color=True if wanted() else False)
