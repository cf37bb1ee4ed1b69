"""Top-level commands that read the ledger: quantity, resolve, report, demo."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path

import typer

from ledger.cli import settings
from ledger.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("quantity")(quantity)
    app.command("resolve")(resolve)
    app.command("report")(report)
    app.command("demo")(demo)


def quantity(
    text: str = typer.Argument(..., help="A figure as a source worded it."),
    metric: str = typer.Option(None, "--metric", help="The metric, for words like 'all' whose meaning depends on it."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON object: text, low, high (null = unbounded), kind, best."),
):
    """Show how ledger reads a figure.

    Example: ledger quantity "more than 70"  →  71–∞ (lower-bound)
    """
    from ledger.reports import render
    from ledger.cli.claims import read_value

    q = read_value(text, metric, field="TEXT")
    if as_json:
        typer.echo(render.to_json(q.to_dict()))
    else:
        typer.echo(f"{q.text!r}: {q.interval_label()} ({q.kind})")


def resolve(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="A name as written in a claim: an event, group or source."),
    as_json: bool = typer.Option(False, "--json"),
):
    """Show what a name resolves to among the ledger's names, and the runner-up candidates with scores.

    Example: ledger resolve "Ghwayran prison attack"
    """
    from ledger.reports import render
    from ledger.reconcile import name_index

    claims, sources = settings(ctx).open().claims_for_report()
    result = name_index(claims, sources).resolve(name)
    if as_json:
        typer.echo(render.to_json({
            "query": result.query, "canonical": result.canonical, "status": result.status, "score": result.score,
            "candidates": [{"name": c.name, "score": c.score, "reason": c.reason} for c in result.candidates],
        }))
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
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv or markdown."),
    fail_on: str = typer.Option(None, "--fail-on", help="Exit 1 if a finding of this verdict (or worse) exists: contradiction or divergence."),
):
    """Report every discrepancy between figures, with a verdict and a reason.

    Verdicts, worst first: contradiction (cannot both be true), divergence (compatible
    but different), revision (a source changed its own figure), agreement (with --all).

    Example: ledger report --event "Ghweran prison attack" --fail-on contradiction
    """
    from ledger.reconcile import VERDICTS
    from ledger.reports import FORMATS

    _check_choice("--format", fmt, FORMATS)
    if fail_on is not None:
        _check_choice("--fail-on", fail_on, ("contradiction", "divergence"))
    tally = _print_report(settings(ctx).open(), event, show_all, fmt)
    if fail_on is not None:
        worst_allowed = VERDICTS.index(fail_on)
        if any(VERDICTS.index(verdict) <= worst_allowed for verdict in tally.verdicts):
            raise typer.Exit(1)


def _print_report(ledger, event: str | None, show_all: bool, fmt: str):
    """Reconcile the ledger's claims and print the report; its tally (claims, verdicts) is returned."""
    with _no_cyclic_gc():
        # The claims read are gone once _reconcile_and_write returns, before the collector is back.
        return _reconcile_and_write(ledger, event, show_all, fmt)


def _reconcile_and_write(ledger, event: str | None, show_all: bool, fmt: str):
    from ledger.reconcile import Reconciler
    from ledger.storage.readers import rows_for_report

    rows, sources = rows_for_report(ledger)
    with _names_meanwhile(ledger, sources) as names:
        reconciler = Reconciler(rows, sources, names)
    wanted = _wanted_event(reconciler, event) if event is not None else None
    parallel = reconciler.claims >= SHARES_FROM and _can_fork()
    return _write_report(reconciler, show_all, wanted, fmt, parallel)


def _wanted_event(reconciler, event: str) -> str:
    from ledger.names import NameIndex

    event_names = reconciler.names.events if reconciler.names else {}
    canonical_events = sorted(set(event_names.values()))
    variants = {name: canon for name, canon in event_names.items() if name != canon}
    wanted = NameIndex(canonical_events, variants).resolve(event).canonical
    if wanted is None:
        raise InputError("--event", event, "matches no event in the ledger", _closest(event, canonical_events))
    return wanted


# From this many claims on, a second process judges and formats half of the quantities.
SHARES_FROM = 100_000


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _write_report(reconciler, show_all: bool, wanted: str | None, fmt: str, parallel: bool):
    """Judge, format and print the report, in one process or two; returns its tally."""
    from ledger.reports import ReportText, Tally, merged_chunks

    def share(index: int):
        result = reconciler.report(show_all, share=index, shares=2 if parallel else 1)
        if wanted is not None:
            result.findings = [f for f in result.findings if f.quantity.event == wanted]
        return result

    if not parallel:
        result = share(0)
        text, tally = ReportText(result, fmt), Tally.of(result)
        _echo(merged_chunks(fmt, [text.pieces()], text.widths, tally))
        return tally

    import multiprocessing

    # A forked copy judges and formats the other share; its rows merge into this one's by their
    # order, and this process writes them all.
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe()
    worker = context.Process(target=_other_share, args=(share, fmt, there, here), daemon=True)
    worker.start()
    there.close()
    try:
        result = share(0)
        text, tally = ReportText(result, fmt), Tally.of(result)
        try:
            widths, other = here.recv()
        except EOFError:  # the forked process failed before sending anything: do its share here
            other_result = share(1)
            other_text = ReportText(other_result, fmt)
            text.widen(other_text.widths)
            other_text.widths = text.widths
            theirs, other = other_text.pieces(), Tally.of(other_result)
        else:
            text.widen(widths)
            here.send(text.widths)
            theirs = _received(here)
        tally = tally + other
        _echo(merged_chunks(fmt, [text.pieces(), theirs], text.widths, tally))
        return tally
    finally:
        here.close()
        if worker.is_alive():  # done with it, or this side stopped early (the output was closed)
            worker.terminate()
        worker.join()


def _other_share(share, fmt: str, conn, parent_end) -> None:
    """In the forked process: the report's second share, sent as (order, text) pieces."""
    from ledger.reports import ReportText, Tally

    parent_end.close()  # the copy forked with this process: once the parent closes its own, sends fail
    result = share(1)
    text = ReportText(result, fmt)
    tally = Tally.of(result)
    tally.possible_matches = []  # the same in both shares: the first share's are printed
    conn.send((text.widths, tally))
    text.widths = conn.recv()  # the widths of the whole table
    batch = []
    for piece in text.pieces():
        batch.append(piece)
        if len(batch) == 2000:
            conn.send(batch)
            batch = []
    conn.send(batch)
    conn.send(None)
    conn.close()


def _received(conn):
    while (batch := conn.recv()) is not None:
        yield from batch


def _echo(chunks) -> None:
    for chunk in chunks:
        typer.echo(chunk, nl=False)


@contextmanager
def _no_cyclic_gc():
    """Millions of figures, findings and strings, none in a cycle: spare the collector walking them over and over."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# From this many claims on, the names are resolved in a second process while this one reads the claims.
NAMES_MEANWHILE = 100_000


@contextmanager
def _names_meanwhile(ledger, sources):
    """A function returning the ledger's names resolved by another process, or None (resolve them here)."""
    import multiprocessing

    from ledger.storage.readers import claims_at_most

    if (ledger.engine.url.database in (None, "", ":memory:") or "fork" not in multiprocessing.get_all_start_methods()
            or claims_at_most(ledger) < NAMES_MEANWHILE):
        yield None
        return
    # A forked copy of this process, before any claim is read; it opens its own connection.
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_resolve_names, args=(ledger.url, sources, send, receive), daemon=True)
    worker.start()
    send.close()

    def names():
        try:
            return receive.recv()
        except (EOFError, OSError):
            return None  # the worker failed: the reconciler resolves the names itself

    try:
        yield names
    finally:
        receive.close()
        if worker.is_alive():
            worker.terminate()
        worker.join()


def _resolve_names(url: str, sources, send, parent_end) -> None:
    """In the second process: count the ledger's names and resolve them."""
    from ledger.reconcile import resolve_names
    from ledger.storage import open_ledger
    from ledger.storage.readers import name_counts

    parent_end.close()
    try:
        send.send(resolve_names(*name_counts(open_ledger(url)), sources))
    except Exception:  # any failure: the report resolves the names in the main process
        send.send(None)
    send.close()


def _closest(name: str, names) -> str:
    from ledger.names import closest_names

    near = closest_names(name, list(names))
    return "closest: " + ", ".join(near) if near else "no events recorded yet"


def demo(
    db: str = typer.Option(None, "--db", metavar="URL", help="Keep the demo ledger here (a new file); default: in memory."),
    seeds: Path = typer.Option(None, "--seeds", help="Folder of seed files (default: ./seeds, or the one beside the package)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv or markdown."),
):
    """Build a fresh ledger from the bundled seed article and print its conflict report.

    The seed is Al Jazeera's report of the January 2022 ISIS attack on Ghweran prison
    in Hasakah, Syria, with every figure it states recorded as a claim with its quote.
    """
    from ledger.cli import db_url
    from ledger.reports import FORMATS
    from ledger.seeds import find_seeds_dir, load_seeds
    from ledger.storage import open_ledger

    _check_choice("--format", fmt, FORMATS)
    seeds_dir = find_seeds_dir(seeds)
    url = db_url(db) or "sqlite://"
    ledger = open_ledger(url)
    if ledger.list_claims():
        raise InputError("--db", db, "already holds claims", "the demo builds a fresh ledger: give a new file")
    load_seeds(ledger, seeds_dir)
    _print_report(ledger, None, False, fmt)
