"""`ledger setting …`: the ledger's own settings (who publishes its ClaimReview export, and where)."""

from __future__ import annotations

import typer

from ledger.cli.app import new_app, settings
from ledger.cli.output import csv_flag, emit, json_flag, nl_flag, style_of

app = new_app("Settings of this ledger, kept in its history: the reviewer a ClaimReview export names, and its URLs.")

KEYS_HELP = "reviewer.name, reviewer.url or review.url (`ledger setting list` explains each)"


@app.command("list")
def list_(ctx: typer.Context, as_json: bool = json_flag("a JSON list: key, value (null when unset), meaning"),
          as_csv: bool = csv_flag("one setting per row"), as_nl: bool = nl_flag()):
    """List every setting, its value (or unset) and what it means.

    Example: ledger setting list
    """
    from ledger.reports import render
    from ledger.settings import SETTINGS

    style = style_of(as_json, as_csv, as_nl)
    values = settings(ctx).open(existing=True).settings()
    records = [{"key": key, "value": values.get(key), "meaning": meaning} for key, meaning in SETTINGS.items()]
    emit(style, records, lambda: render.table(
        [[r["key"], r["value"] if r["value"] is not None else "(unset)", r["meaning"]] for r in records], ["setting", "value", "meaning"]))


@app.command("set")
def set_(
    ctx: typer.Context,
    key: str = typer.Argument(..., metavar="KEY", help=f"The setting: {KEYS_HELP}."),
    value: str = typer.Argument(..., metavar="VALUE", help="Its value; a URL must be a full https://… address."),
):
    """Set one of the ledger's settings; the change is a history entry, with who made it.

    Example: ledger setting set reviewer.name "Example Fact Check"
             ledger setting set review.url "https://example.org/checks/{id}"
    """
    kept = settings(ctx).open().set_setting(key, value)
    typer.echo(f"{key} = {kept}")


@app.command("unset")
def unset(ctx: typer.Context, key: str = typer.Argument(..., metavar="KEY", help=f"The setting: {KEYS_HELP}.")):
    """Remove a setting's value (the history keeps the old one).

    Example: ledger setting unset reviewer.url
    """
    settings(ctx).open().set_setting(key, None)
    typer.echo(f"{key} unset")
