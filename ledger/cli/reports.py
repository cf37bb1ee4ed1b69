"""Top-level commands that read the ledger: quantity, resolve, report, demo."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import typer

from ledger.cli.app import non_blank, parse_seq, settings
from ledger.cli.output import csv_flag, emit, json_flag, nl_flag, style_of
from ledger.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("quantity")(quantity)
    app.command("resolve")(resolve)
    app.command("report")(report)
    app.command("demo")(demo)


def quantity(
    text: str = typer.Argument(..., metavar="TEXT", help="A figure as a source worded it."),
    metric: str = typer.Option(None, "--metric", help="The metric, for words like 'all' whose meaning depends on it."),
    as_json: bool = json_flag("a JSON object: text, low, high (null = unbounded), kind, best"),
    as_csv: bool = csv_flag("a header and the figure's row"),
    as_nl: bool = nl_flag(),
):
    """Show how ledger reads a figure.

    Example: ledger quantity "more than 70"  →  71–∞ (lower-bound)
    """
    from ledger.cli.claims import read_value

    style = style_of(as_json, as_csv, as_nl)
    q = read_value(text, metric, field="TEXT")
    emit(style, q.to_dict(), lambda: f"{q.text!r}: {q.interval_label()} ({q.kind})")


def resolve(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", parser=non_blank, help="A name as written in a claim: an event, group or source."),
    as_json: bool = json_flag("a JSON object: query, canonical, status, score, candidates"),
    as_csv: bool = csv_flag("one candidate per row, beside the query and what it resolves to"),
    as_nl: bool = nl_flag(),
):
    """Show what a name resolves to among the ledger's names, and the runner-up candidates with scores.

    Example: ledger resolve "Ghwayran prison attack"
    """
    from ledger.reports import render

    style = style_of(as_json, as_csv, as_nl)
    result = settings(ctx).open(existing=True).resolve(name)
    found = {"query": result.query, "canonical": result.canonical, "status": result.status, "score": result.score}
    candidates = [{"name": c.name, "score": c.score, "reason": c.reason} for c in result.candidates]
    if style == "csv":
        emit(style, [{**found, "candidate": c} for c in candidates] or [found], str)
        return
    if style != "table":
        emit(style, {**found, "candidates": candidates}, str)
        return
    verdict = f"→ {result.canonical} ({result.status}, {result.score:.0f}%)" if result.canonical else f"→ no match ({result.status})"
    typer.echo(f"{name} {verdict}")
    rows = [[c.name, f"{c.score:.0f}", c.reason] for c in result.candidates]
    if rows:
        typer.echo(render.table(rows, ["candidate", "score", "why"]))


def _check_choice(field: str, value: str, choices) -> str:
    if value not in choices:
        raise InputError(field, value, "is not a valid choice", "one of " + ", ".join(choices))
    return value


def report(
    ctx: typer.Context,
    event: str = typer.Option(None, "--event", "-e", help="Only this event (name variants included)."),
    show_all: bool = typer.Option(False, "--all", help="Also list quantities where the sources agree."),
    fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT",
                            help="table, json, csv (one figure of a finding per row, one value per cell), markdown, "
                                 "nl (one finding per line) or html (a page with charts; needs -o)."),
    fail_on: str = typer.Option(None, "--fail-on", help="Exit 1 if a finding of this verdict (or worse) exists: contradiction or divergence."),
    as_json: bool = typer.Option(False, "--json", help="The same as --format json, as every listing takes it."),
    as_csv: bool = typer.Option(False, "--csv", help="The same as --format csv, as every listing takes it."),
    as_nl: bool = typer.Option(False, "--nl", help="Newline-delimited JSON: one finding per line, each with the report's stamp."),
    extracted: str = typer.Option(None, "--extracted", metavar="exclude|only",
                                  help="Leave out the claims `ledger extract` recorded (exclude), or report only them (only)."),
    at: int = typer.Option(None, "--at", metavar="SEQ", parser=parse_seq,
                           help="The report as it stood after history entry SEQ (`ledger log`), made again from the history."),
    output: str = typer.Option(None, "--output", "-o", metavar="FILE",
                               help="Write the report to FILE, replaced whole once complete (never a database); "
                                    "- for standard output. Default: standard output, except for html."),
    rebuild: bool = typer.Option(False, "--rebuild",
                                 help="Judge every claim again instead of only those changed since the last report, "
                                      "and keep the new results (after `ledger verify` found kept results wrong)."),
):
    """Report every discrepancy between figures, with a verdict and a reason.

    Verdicts, worst first: contradiction (cannot both be true), divergence (compatible
    but different), revision (a source changed its own figure), agreement (with --all).

    --format html -o report.html writes one self-contained page to send an editor: the
    table, a chart of each contested quantity (every source's figures over time), and
    each claim's source chain, document and verified quote on a click. It loads nothing
    from the network. It is built whole in memory, for a few contested quantities, not
    for a million claims (the other formats stream). The page states the ledger's history
    head, when it was made and its filters.

    Example: ledger report --event "Ghweran prison attack" --fail-on contradiction

    Example: ledger report --format html -o report.html

    Every report states the history entry it was made from, when, and its filters; `--at SEQ`
    with the same filters makes that report again, however the ledger has changed since.

    Example: ledger report --at 25 --event "Ghweran prison attack"

    Each report keeps its results beside the ledger (never in its history), so that the next
    one judges only the events whose claims changed since; `ledger verify` checks them by
    judging everything again.
    """
    from ledger.reconcile import VERDICTS
    from ledger.reports import FORMATS

    _check_choice("--format", fmt, (*FORMATS, "html"))
    fmt = _one_format(fmt, style_of(as_json, as_csv, as_nl))
    if fail_on is not None:
        _check_choice("--fail-on", fail_on, ("contradiction", "divergence"))
    if extracted is not None:
        _check_choice("--extracted", extracted, ("exclude", "only"))
    if fmt == "html" and output is None:
        raise InputError("--format", fmt, "is a page to open in a browser, not to print",
                         "give -o report.html (or -o - for standard output)")
    with _as_of(settings(ctx).open(existing=True), at) as book:
        kept = not rebuild or book.forget_kept_results()  # a ledger only read: judge everything, keep nothing
        if output is None or output == "-":
            tally = _print_report(book, event, show_all, fmt, extracted, kept)
        else:
            tally = _report_file(book, Path(output), event, show_all, fmt, extracted, kept)
    if fail_on is not None:
        worst_allowed = VERDICTS.index(fail_on)
        if any(VERDICTS.index(verdict) <= worst_allowed for verdict in tally.verdicts):
            raise typer.Exit(1)


@contextmanager
def _as_of(book, at: int | None):
    """The ledger itself, or (``--at SEQ``) a throw-away copy of it as it stood after entry SEQ."""
    if at is None:
        yield book
        return
    from ledger.api.as_of import ledger_as_of

    with ledger_as_of(book, at) as past:
        yield past


def _print_report(ledger, event: str | None, show_all: bool, fmt: str, extracted: str | None = None, kept: bool = True):
    """Print the report as it is made; its tally (claims, verdicts) is returned. A table on a terminal has
    its verdicts in colour (``ledger.cli.colour``: NO_COLOR turns it off)."""
    from ledger.cli import colour
    from ledger.cli.progress import TerminalProgress
    from ledger.reports.render import terminal_width

    write = _write
    if fmt == "table" and colour.wanted():  # markdown is a document to paste: escape codes would end up in it
        def write(chunk: str) -> None:
            colour.echo(colour.verdicts(chunk), nl=False)
    with TerminalProgress("reading claims", "claims") as bar:  # gone before the report's first line is written
        return ledger.write_report(write, fmt=fmt, event=event, include_agreement=show_all, extracted=extracted,
                                   progress=bar if bar.enabled else None, kept=kept,
                                   width=terminal_width() if fmt == "table" else None)


def _report_file(ledger, path: Path, event: str | None, show_all: bool, fmt: str, extracted: str | None = None,
                 kept: bool = True):
    """Write the report to ``path`` whole or not at all (as ``ledger export -o``); its tally is returned."""
    from ledger.api.export import write_export

    tallies = []
    write_export(_spooled(ledger, event, show_all, fmt, tallies, extracted, kept), path, ledger.url)
    return tallies[0]


def _spooled(ledger, event: str | None, show_all: bool, fmt: str, tallies: list, extracted: str | None = None,
             kept: bool = True):
    """The report's text, made into an unnamed temporary file once the output was checked, then read back.

    ``write_export`` checks the output path before it asks for the first chunk, so a bad ``-o`` costs no report.
    """
    import tempfile

    from ledger.cli.progress import TerminalProgress

    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool, \
            TerminalProgress("reading claims", "claims") as bar:
        tallies.append(ledger.write_report(spool.write, fmt=fmt, event=event, include_agreement=show_all, extracted=extracted,
                                           progress=bar if bar.enabled else None, kept=kept))
        spool.seek(0)
        while chunk := spool.read(1 << 20):
            yield chunk


def _one_format(fmt: str, style: str) -> str:
    """The format asked for by --format or by one of --json, --csv and --nl; both, unless they agree, is refused."""
    if style != "table" and fmt not in ("table", style):
        raise InputError("--format", fmt, f"conflicts with --{style} (the same as --format {style})", "give one of them")
    return style if style != "table" else fmt


def _write(chunk: str) -> None:
    typer.echo(chunk, nl=False)


def demo(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", metavar="URL", help="Build the demo ledger here (as `ledger --db`); default: LEDGER_DB, then ./ledger.db."),
    seeds: Path = typer.Option(None, "--seeds", help="Folder of seed files (default: ./seeds, or the one beside the package)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv, markdown or nl (one finding per line)."),
    as_json: bool = typer.Option(False, "--json", help="The same as --format json, as `ledger report` takes it."),
    as_csv: bool = typer.Option(False, "--csv", help="The same as --format csv, as `ledger report` takes it."),
    as_nl: bool = typer.Option(False, "--nl", help="The same as --format nl: one finding per line."),
):
    """Build a ledger from the bundled seed article and print its conflict report.

    The seed is Al Jazeera's report of the January 2022 ISIS attack on Ghweran prison
    in Hasakah, Syria, with every figure it states recorded as a claim with its quote.
    The ledger stays in ./ledger.db (or --db), so `ledger report`, `ledger audit 1` and
    `ledger verify` work on it next. Run again, it reports the demo ledger it built; it
    never writes into a ledger that holds anything else.

    Example: ledger demo && ledger audit 1
    """
    from ledger.cli.app import db_url, settings
    from ledger.reports import FORMATS
    from ledger.seeds import build_demo, find_seeds_dir

    _check_choice("--format", fmt, FORMATS)
    fmt = _one_format(fmt, style_of(as_json, as_csv, as_nl))
    seeds_dir = find_seeds_dir(seeds)
    chosen = settings(ctx)
    ledger = build_demo(db_url(db) or chosen.db, seeds_dir, db or chosen.db or "ledger.db", chosen.user)
    _print_report(ledger, None, False, fmt)
