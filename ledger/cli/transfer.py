"""`ledger import` and `ledger export`: claims in and out of files, in bulk."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import typer

from ledger.cli.app import settings
from ledger.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command("export")(export)
    app.command("copy")(copy)


class _Progress:
    """The import's bar (``ledger.cli.progress``): how far into the file, and how many records so far."""

    def __init__(self, raw, total: int):
        from ledger.cli.progress import TerminalProgress

        self.raw, self.total = raw, total
        self.bar = TerminalProgress("importing", counter="{task.fields[seen]:,} records")

    def __call__(self, seen: int) -> None:
        self.bar(self.raw.tell(), self.total, seen=seen)

    def close(self) -> None:
        self.bar.close()


def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="A .csv or .jsonl file: one claim per row or line; - for standard input."),
    fmt: str = typer.Option(None, "--format", "-f", help="csv or jsonl (default: from the file's extension, or its first line)."),
    create_sources: bool = typer.Option(False, "--create-sources", help="Record unknown source names instead of refusing them."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row and report; record nothing."),
    column_map: list[str] = typer.Option([], "--map", metavar="COLUMN=FIELD", help="Read a CSV column as a claim field, e.g. --map \"Figure=value\" (repeatable)."),
    date_format: str = typer.Option(None, "--date-format", metavar="ORDER", help="How the CSV writes dates such as 06/05/2009: day-first or month-first (never guessed)."),
):
    """Import claims from a file in one transaction: every row, or none.

    Rows carry the fields of `ledger claim add`: event, metric, group, value (in words),
    said_by, via (names joined by |, or a JSON list), doc, published, as_of or period,
    location, quote, unverified_quote, credibility, retracted. Any bad row rejects the
    whole file and each is listed as FILE:LINE: field: problem. Claims, sources and
    documents the ledger already holds (the same content) are skipped and counted, so
    importing a file twice, or a ledger's own export, adds nothing.

    A CSV may come straight from a spreadsheet: headers in any case ("Said by"), cells
    separated by , ; or tab, other headers mapped with --map, columns that are no claim
    field ignored with a warning, dates such as 06/05/2009 read with --date-format.

    Examples:

        ledger import figures.csv --create-sources --dry-run

        ledger import sheet.csv --map "Figure=value" --map "Source=said_by" --date-format day-first

        curl -s https://example.org/figures.jsonl | ledger import - --format jsonl
    """
    import io

    from ledger.transfer import FORMATS, guess_format

    stdin = str(file) == "-"
    if fmt is not None and fmt not in FORMATS:
        raise InputError("--format", fmt, "is not an import format", "csv or jsonl")
    if stdin:
        raw = sys.stdin.buffer
        if not hasattr(raw, "peek"):  # a pipe is buffered already; a test runner's bytes may not be
            raw = io.BufferedReader(raw)
    else:
        if fmt is None:
            fmt = guess_format(str(file))
        try:
            raw = open(file, "rb")
        except OSError as exc:
            raise InputError("FILE", str(file), f"cannot be read ({exc.strerror})") from None
    if fmt is None:  # standard input: a JSONL file's first line is an object
        first = raw.peek(256)[:256] if hasattr(raw, "peek") else b""
        fmt = "jsonl" if first.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "csv"
    if fmt != "csv" and (column_map or date_format):
        raise InputError("--map" if column_map else "--date-format", (column_map or [date_format])[0],
                         "applies to CSV only", "a JSONL file names its fields itself")
    ledger = settings(ctx).open()
    mapping = {}
    for item in column_map:
        column, sep, target = item.partition("=")
        if not sep:
            raise InputError("--map", item, "is not COLUMN=FIELD", 'e.g. --map "Figure=value"')
        mapping[column] = target
    name = "<stdin>" if stdin else str(file)
    warnings: list[str] = []  # told once the import is through: a refused file gets its one error line alone
    with raw if not stdin else _unclosed(raw):
        hashed = _Hashing(raw)
        stream = io.TextIOWrapper(io.BufferedReader(hashed, 1 << 16), encoding="utf-8-sig",
                                  newline="" if fmt == "csv" else None)
        progress = _Progress(raw, file.stat().st_size if not stdin and file.is_file() else 0)
        try:
            result = ledger.import_records(stream, fmt, name, create_sources=create_sources, dry_run=dry_run,
                                           progress=progress, column_map=mapping, date_format=date_format,
                                           warn=warnings.append, digest=hashed.hexdigest)
            if stdin:
                stream.detach()  # standard input stays open for whoever runs the command
        except UnicodeDecodeError as exc:
            raise InputError("FILE", str(file), f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        finally:
            progress.close()
    if result.restored:
        done = "would restore" if dry_run else "restored"
        typer.echo(f"{done} the whole ledger: {_restored(result)}" + (f"; history head {result.head[:12]}" if result.head else ""))
        return
    verb = "would import" if dry_run else "imported"
    parts = [f"{result.claims} claim{'s' if result.claims != 1 else ''}"]
    if result.first_id is not None and not dry_run:
        ids = f"id {result.first_id}" if result.claims == 1 else f"ids {result.first_id}–{result.last_id}"
        parts[0] += f" ({ids})"
    for count, noun in ((result.sources, "source"), (result.documents, "document")):
        if count:
            parts.append(f"{count} {noun}{'s' if count != 1 else ''}")
    same = [f"{n} {noun}{'s' if n != 1 else ''}" for n, noun in
            ((result.same_claims, "claim"), (result.same_sources, "source"), (result.same_documents, "document")) if n]
    held = f"; {', '.join(same)} already in the ledger, skipped" if same else ""
    typer.echo(f"{verb} " + ", ".join(parts) + held)
    if result.entry and not dry_run:
        typer.echo(f"history entry {result.entry} names the file: sha256 {result.sha256}")
    if result.unreplayed and result.claims:  # nothing new: the ledger holds the history it has
        counted = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in result.unreplayed.items()]
        left = counted[0] if len(counted) == 1 else ", ".join(counted[:-1]) + " and " + counted[-1]
        warnings.append(f"the file's history holds {left}, not replayed into a ledger that already held records: "
                        f"the new claims come in as they stand now; import the file into an empty ledger to keep its "
                        f"whole history")
    for text in warnings:
        typer.echo(f"warning: {text}", err=True)


class _Hashing(io.RawIOBase):
    """The file's bytes as they are read, hashed on the way: the sha256 the import's history entry names,
    of the bytes themselves (standard input too), whatever their line endings or byte-order mark."""

    def __init__(self, raw):
        import hashlib

        self.raw, self.sha = raw, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read1(len(buffer)) if hasattr(self.raw, "read1") else self.raw.read(len(buffer))
        buffer[:len(data)] = data
        self.sha.update(data)
        return len(data)

    def close(self) -> None:  # the file is closed by whoever opened it; standard input stays open
        pass

    def hexdigest(self) -> str:
        return self.sha.hexdigest()


class _unclosed:
    """Standard input, left open for whoever runs the command (a test runner, a shell)."""

    def __init__(self, raw):
        self.raw = raw

    def __enter__(self):
        return self.raw

    def __exit__(self, *exc):
        return False


def export(
    ctx: typer.Context,
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (with sources and documents), csv (claims), claimreview or prov-json."),
    output: Path = typer.Option(None, "--output", "-o", help="Write this file (replaced whole, once complete; never a database) instead of standard output."),
):
    """Export the ledger: jsonl restores it exactly; csv carries its claims; claimreview and prov-json for other tools.

    jsonl holds every table row with the whole history, then the sources (with aliases), documents
    and claims: `ledger import` into an empty ledger restores it as it was (same history head, every
    correction and its reason); into another ledger it adds what is new. csv holds the claims only, one per row
    with its id: it re-imports into a ledger that has their sources (and documents, for claims citing one). claimreview writes schema.org ClaimReview JSON-LD
    for each claim the reconciler gave a verdict; prov-json writes the W3C PROV graph.

    Example:

        ledger export --format jsonl -o ledger.jsonl && ledger --db copy.db import ledger.jsonl
    """
    from ledger.transfer import EXPORT_FORMATS

    if fmt not in EXPORT_FORMATS:
        raise InputError("--format", fmt, "is not an export format", "one of " + ", ".join(EXPORT_FORMATS))
    from ledger.cli.progress import TerminalProgress

    ledger = settings(ctx).open(existing=True)
    with TerminalProgress("exporting", "claims") as bar:
        chunks = ledger.export(fmt, progress=bar if bar.enabled else None)  # off a terminal: not even counted
        if output is not None:
            from ledger.api.export import write_export

            write_export(chunks, output, ledger.url)
            return
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()


def copy(
    ctx: typer.Context,
    source: str = typer.Option(None, "--from", metavar="URL", help="The ledger to copy (default: the one --db or LEDGER_DB names)."),
    target: str = typer.Option(..., "--to", metavar="URL", help="An empty ledger to copy it into: a SQLite file or URL, or a PostgreSQL URL."),
):
    """Copy a whole ledger to another backend, history chain intact (SQLite ↔ PostgreSQL).

    Every table row goes across as stored, then the copy is verified: the same history head,
    every row against its history. The target must be empty; on any problem it keeps nothing.

    Example: ledger copy --from ledger.db --to postgresql+psycopg://reporter@db.example/ledger
    """
    from ledger.api import open_ledger
    from ledger.cli.app import db_url

    chosen = settings(ctx)
    ledger = open_ledger(db_url(source, "--from") or chosen.db, chosen.user, field="--from" if source is not None else "--db",
                         existing=True)
    result = ledger.copy_to(db_url(target, "--to"))
    typer.echo(f"copied {_restored(result)}; history head {result.head[:12]} verified in the copy")


def _restored(result) -> str:
    """The rows a whole-ledger restore wrote, as a person counts them: "11 claims, 11 sources, 1 document, …"."""
    return ", ".join(f"{n} {one if n == 1 else many}" for table, one, many in (
        ("claim", "claim", "claims"), ("source", "source", "sources"), ("document", "document", "documents"),
        ("history", "history entry", "history entries")) if (n := result.restored.get(table, 0)) or table != "document")
