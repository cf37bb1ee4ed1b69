"""Top-level commands that read the ledger: quantity, report, demo, audit…"""

from __future__ import annotations

import typer

from ledger.cli import settings


def register(app: typer.Typer) -> None:
    app.command("quantity")(quantity)


def quantity(
    text: str = typer.Argument(..., help="A figure as a source worded it."),
    metric: str = typer.Option(None, "--metric", help="The metric, for words like 'all' whose meaning depends on it."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON object: text, low, high (null = unbounded), kind, best."),
):
    """Show how ledger reads a figure.

    Example: ledger quantity "more than 70"  →  71–∞ (lower-bound)
    """
    from ledger import render
    from ledger.cli.claims import read_value

    q = read_value(text, metric, field="TEXT")
    if as_json:
        typer.echo(render.to_json(q.to_dict()))
    else:
        typer.echo(f"{q.text!r}: {q.interval_label()} ({q.kind})")
