"""`ledger import` and `ledger export`: claims in and out of files, in bulk."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer

from ledger.cli.app import settings
from ledger.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command("export")(export)


class _Progress:
    """A rich progress bar on stderr, shown only on a terminal and only once an import passes a second."""

    DELAY = 1.0

    def __init__(self, raw, total: int):
        self.raw, self.total = raw, total
        self.started = time.monotonic()
        self.enabled = sys.stderr.isatty() and total > 0
        self.bar = None

    def __call__(self, seen: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("importing"), BarColumn(), TextColumn("{task.fields[seen]:,} records"),
                                TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("import", total=self.total, seen=0)
        self.bar.update(self.task, completed=self.raw.tell(), seen=seen)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="A .csv or .jsonl file: one claim per row or line."),
    fmt: str = typer.Option(None, "--format", "-f", help="csv or jsonl (default: from the file's extension)."),
    create_sources: bool = typer.Option(False, "--create-sources", help="Record unknown source names instead of refusing them."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row and report; record nothing."),
):
    """Import claims from a file in one transaction: every row, or none.

    Rows carry the fields of `ledger claim add`: event, metric, group, value (in words),
    said_by, via (names joined by |, or a JSON list), doc, published, as_of or period,
    location, quote, unverified_quote, credibility, retracted. Any bad row rejects the
    whole file and each is listed as FILE:LINE: field: problem.

    Example:

        ledger import figures.csv --create-sources --dry-run
    """
    import io

    from ledger.transfer import FORMATS, guess_format

    if fmt is None:
        fmt = guess_format(str(file))
    elif fmt not in FORMATS:
        raise InputError("--format", fmt, "is not an import format", "csv or jsonl")
    try:
        raw = open(file, "rb")
    except OSError as exc:
        raise InputError("FILE", str(file), f"cannot be read ({exc.strerror})") from None
    ledger = settings(ctx).open()
    with raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="" if fmt == "csv" else None)
        progress = _Progress(raw, file.stat().st_size if file.is_file() else 0)
        try:
            result = ledger.import_records(stream, fmt, str(file), create_sources=create_sources,
                                           dry_run=dry_run, progress=progress)
        except UnicodeDecodeError as exc:
            raise InputError("FILE", str(file), f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        finally:
            progress.close()
    verb = "would import" if dry_run else "imported"
    parts = [f"{result.claims} claim{'s' if result.claims != 1 else ''}"]
    if result.first_id is not None and not dry_run:
        ids = f"id {result.first_id}" if result.claims == 1 else f"ids {result.first_id}–{result.last_id}"
        parts[0] += f" ({ids})"
    for count, noun in ((result.sources, "source"), (result.documents, "document")):
        if count:
            parts.append(f"{count} {noun}{'s' if count != 1 else ''}")
    typer.echo(f"{verb} " + ", ".join(parts))


def export(
    ctx: typer.Context,
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (with sources and documents), csv (claims), claimreview or prov-json."),
    output: Path = typer.Option(None, "--output", "-o", help="Write this file (replaced whole, once complete; never a database) instead of standard output."),
):
    """Export the ledger: jsonl and csv re-import exactly; claimreview and prov-json for other tools.

    jsonl holds the sources (with aliases), documents and claims, so `ledger import` rebuilds the
    ledger elsewhere; csv holds the claims only. claimreview writes schema.org ClaimReview JSON-LD
    for each claim the reconciler gave a verdict; prov-json writes the W3C PROV graph.

    Example:

        ledger export --format jsonl -o ledger.jsonl && ledger --db copy.db import ledger.jsonl
    """
    from ledger.transfer import EXPORT_FORMATS

    if fmt not in EXPORT_FORMATS:
        raise InputError("--format", fmt, "is not an export format", "one of " + ", ".join(EXPORT_FORMATS))
    ledger = settings(ctx).open()
    if output is not None:
        from ledger.api.export import write_export

        write_export(ledger.export(fmt), output, ledger.url)
        return
    for chunk in ledger.export(fmt):
        sys.stdout.write(chunk)
    sys.stdout.flush()
