"""A report written as it is made: read, resolve names, judge, format, write, in one process or two.

``ledger report`` on a million claims must start printing in seconds and stay
within a bounded memory, so the report is not built whole and then printed:
the claims stream from storage into the reconciler, the findings are
formatted in chunks, and on a large ledger a forked process resolves the
names while this one reads, and judges half of the quantities while this one
judges the other half.

Most reports judge little: the results of the last report are kept beside the
ledger (``ledger.storage.kept``) and only the events whose claims changed since
are judged again. A report that cannot use them (``--extracted``, ``--at``, or
``kept=False``) judges everything, in one process or two, and keeps nothing.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from contextlib import contextmanager

from ledger.errors import InputError
from ledger.reports.kept_text import text_key


def write_report(store, write: Callable[[str], object], fmt: str = "table", event: str | None = None,
                 include_agreement: bool = False, extracted: str | None = None,
                 progress: Callable[[int, int], None] | None = None, kept: bool = True, width: int | None = None):
    """Reconcile the store's claims and write the report in ``fmt`` through ``write``; return its tally.

    Long because it is the whole pipeline of a report in one place: read, resolve, judge, format and
    write, streamed, in one process or two. ``extracted``: "exclude" leaves out the claims an extractor
    proposed (``ledger extract``), "only" keeps only them; None keeps every claim. ``progress(done, total)``
    is told as the claims are read, the longest part of a report on a large ledger. ``kept``: use and keep
    the results kept beside the ledger (``ledger.storage.kept``), re-judging only the events changed since;
    without it, judge everything and keep nothing. ``width``: a terminal's; a kept table that fits it is
    written as kept, a wider one laid out anew narrower (from the kept results) and not kept.
    """
    width = width if fmt == "table" else None
    with _no_cyclic_gc():
        # The claims read are gone once _reconcile_and_write returns, before the collector is back.
        if kept and extracted is None and getattr(store, "as_of_seq", None) is None:
            return _kept_report(store, event, include_agreement, fmt, write, progress, width)
        return _reconcile_and_write(store, event, include_agreement, fmt, write, extracted, progress, width)


def _kept_report(store, event: str | None, show_all: bool, fmt: str, write, progress=None, width=None):
    """The report from the kept results, brought up to the head first (``ledger.storage.kept``)."""
    from ledger.reconcile.kept import assembled
    from ledger.reconcile.records import Report
    from ledger.reports.splice import SPLICED_FORMATS
    from ledger.storage.kept import kept_results
    from ledger.storage.kept_text import read_spliceable_text
    from ledger.storage.readers import counted
    from ledger.storage.report_rows import report_rows

    stamp = report_stamp(store, event, show_all, None)  # before anything is read
    options = text_key(fmt, event, show_all)
    previous = None
    if options is not None:
        kept_text = _kept_text(store, options, stamp, write, width)
        if kept_text is not None:
            return kept_text
    if width is not None:  # the kept text is the full table a file gets: narrower, it is laid out anew, not kept
        options = None
    if options is not None:
        if fmt in SPLICED_FORMATS:
            previous = read_spliceable_text(store, options)  # before the kept results are brought up to date
    sources, rulings = store.list_sources(), store.name_rulings()

    def all_rows():
        rows = report_rows(store)
        return counted(rows, progress, store.live_claim_count()) if progress is not None else rows

    def judge_everything(reconciler_of):
        with _names_meanwhile(store, sources, rulings) as names:
            return reconciler_of(all_rows(), names)

    found = kept_results(store, sources, rulings, judge_everything, lazy=previous is not None)
    if found is not None and previous is not None and found.changed is not None and found.since == previous[0]:
        from ledger.api.spliced import spliced_report

        tally = spliced_report(store, options, found, previous, stamp, write)
        if tally is not None:
            return tally
    if found is None:
        result = Report()
        if event is not None:
            _wanted_event(None, event)  # refused, naming what there is
    else:
        results = found.results
        if event is not None:  # its findings, claims and quantities only
            wanted = _wanted_event(found.names, event)
            results = {wanted: results[wanted]} if wanted in results else {}
        result = assembled(found.names, results, found.notes, show_all)
    if options is None or found is None:
        return _write_one(result, fmt, write, stamp, width)
    from ledger.reports import Tally
    from ledger.reports.kept_text import encode_tally, written_and_kept
    from ledger.reports.splice import chunks_and_layout
    from ledger.storage.kept_text import keep_text

    tally = Tally.of(result)
    chunks, layout = chunks_and_layout(result, fmt, tally, stamp)
    text = written_and_kept(fmt, chunks, write)
    keep_text(store, options, stamp.history_seq, stamp.history_head, text, encode_tally(tally),
              layout.encode() if layout is not None else None)
    return tally


def _kept_text(store, options: str, stamp, write, width: int | None = None):
    """Write the report's text as kept at the ledger's head (``ledger.reports.kept_text``), ended anew; its
    tally. None if there is none, or it cannot be read (then the report is made, and its text kept anew), or
    it is wider than ``width`` (a terminal's: then the table is laid out narrower)."""
    import zlib
    from itertools import chain

    from ledger.reconcile.kept import UNREADABLE
    from ledger.reports.kept_text import decode_tally, kept_pieces, stamped
    from ledger.storage.kept_text import read_kept_text

    kept = read_kept_text(store, options, stamp.history_seq, stamp.history_head)
    if kept is None:
        return None
    try:
        tally, pieces = decode_tally(kept[1]), kept_pieces(kept[0])
        first = next(pieces, "")  # a blob that is not a text fails here, before anything is written
    except UNREADABLE:  # (UnicodeDecodeError is a ValueError)
        return None
    if width is not None and not _fits(first, tally, width):
        return None
    try:
        for chunk in stamped(options.partition(" ")[0], chain((first,) if first else (), pieces), stamp, tally, width):
            write(chunk)
    except (UnicodeDecodeError, zlib.error):  # cut short or altered past its first piece, behind the ledger's back
        from ledger.errors import LedgerError

        raise LedgerError("the report text kept beside the ledger is damaged after what was printed; "
                          "`ledger verify` names it, `ledger report --rebuild` makes the report anew") from None
    return tally


def _fits(first_piece: str, tally, width: int) -> bool:
    """Whether the kept table fits ``width``: its rule (the second line: every row is that wide or less) and the
    lines after its rows (the legend, the names to look at); its last lines are fitted as they are written."""
    from ledger.reports.findings import table_closing

    rule = first_piece.split("\n", 2)[1] if tally.verdicts and first_piece.count("\n") >= 2 else ""
    return len(rule) <= width and all(len(line) <= width for line in table_closing(tally).splitlines())


def report_stamp(store, event: str | None, show_all: bool, extracted: str | None, at: int | None = None):
    """The history head this report is made from, now, and its filters as typed (``reports.stamp``)."""
    from datetime import datetime, timezone

    from ledger.reports.stamp import Stamp

    seq, head = store.head()
    filters = {option: value for option, value in (("--event", event), ("--all", show_all or None),
                                                   ("--extracted", extracted)) if value is not None}
    # SOURCE_DATE_EPOCH (reproducible-builds.org): a fixed time, so two runs over one history are byte-identical
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    made = moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return Stamp(seq, head, made, filters, at)


def _reconcile_and_write(store, event: str | None, show_all: bool, fmt: str, write, extracted: str | None = None,
                         progress=None, width=None):
    from ledger.reconcile import Reconciler
    from ledger.storage.readers import counted
    from ledger.storage.report_rows import rows_for_report

    stamp = report_stamp(store, event, show_all, extracted, getattr(store, "as_of_seq", None))  # before the claims are read
    rows, sources = rows_for_report(store)
    if progress is not None:
        rows = counted(rows, progress, store.live_claim_count())
    if extracted is not None:
        from ledger.storage.audit import extraction_marks

        marked, keep = extraction_marks(store).keys(), extracted == "only"
        rows = (row for row in rows if (row[0] in marked) == keep)
    rulings = store.name_rulings()
    with _names_meanwhile(store, sources, rulings) as names:
        reconciler = Reconciler(rows, sources, names, rulings)
    wanted = _wanted_event(reconciler.names, event) if event is not None else None
    parallel = SHARES_FROM <= reconciler.claims < SHARES_UNTIL and _can_fork()
    return _write_report(reconciler, show_all, wanted, fmt, parallel, write, stamp, width)


def _wanted_event(names, event: str) -> str:
    from ledger.names import NameIndex

    event_names = names.events if names else {}
    canonical_events = sorted(set(event_names.values()))
    variants = {name: canon for name, canon in event_names.items() if name != canon}
    wanted = NameIndex(canonical_events, variants).resolve(event).canonical
    if wanted is None:
        raise InputError("--event", event, "matches no event in the ledger", _closest(event, canonical_events))
    return wanted


# From this many claims on, a second process judges and formats half of the quantities; from SHARES_UNTIL on
# it no longer does: its copy of the judged figures is memory the report cannot spare there. At a million claims
# the two processes together peaked at 1.38 GiB (19 s), one alone at 857 MiB (23 s): the < 1 GiB budget, summed
# over every process, wins over four seconds (docs/performance.md).
SHARES_FROM = 100_000
SHARES_UNTIL = 500_000


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _write_report(reconciler, show_all: bool, wanted: str | None, fmt: str, parallel: bool, write, stamp=None,
                  width=None):
    """Judge, format and print the report, in one process or two; returns its tally."""
    from ledger.reports import ReportText, Tally, merged_chunks

    def share(index: int):
        return reconciler.report(show_all, share=index, shares=2 if parallel else 1, event=wanted)

    if not parallel:
        return _write_one(share(0), fmt, write, stamp, width)

    import multiprocessing

    # A forked copy judges and formats the other share; its rows merge into this one's by their
    # order, and this process writes them all.
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe()
    worker = context.Process(target=_other_share, args=(share, fmt, there, here, stamp, width), daemon=True)
    worker.start()
    there.close()
    try:
        result = share(0)
        text, tally = ReportText(result, fmt, stamp, width), Tally.of(result)
        try:
            widths, other = here.recv()
        except EOFError:  # the forked process failed before sending anything: do its share here
            other_result = share(1)
            other_text = ReportText(other_result, fmt, stamp, width)
            text.widen(other_text.widths)
            other_text.widths = text.widths
            theirs, other = other_text.pieces(), Tally.of(other_result)
        else:
            text.widen(widths)
            here.send(text.widths)
            theirs = _received(here)
        tally = tally + other
        _write_all(write, merged_chunks(fmt, [text.pieces(), theirs], text.widths, tally, stamp, width))
        return tally
    finally:
        here.close()
        if worker.is_alive():  # done with it, or this side stopped early (the output was closed)
            worker.terminate()
        worker.join()


def _write_one(result, fmt: str, write, stamp, width=None):
    from ledger.reports import Tally, report_chunks

    tally = Tally.of(result)
    _write_all(write, report_chunks(result, fmt, stamp, tally, width))
    return tally


def _other_share(share, fmt: str, conn, parent_end, stamp=None, width=None) -> None:
    """In the forked process: the report's second share, sent as (order, text) pieces."""
    from ledger.reports import ReportText, Tally

    parent_end.close()  # the copy forked with this process: once the parent closes its own, sends fail
    result = share(1)
    text = ReportText(result, fmt, stamp, width)
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


def _write_all(write, chunks) -> None:
    for chunk in chunks:
        write(chunk)


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
def _names_meanwhile(store, sources, rulings):
    """A function returning the ledger's names resolved by another process (``ledger.storage.elsewhere``), or
    None (resolve them here)."""
    from ledger.storage.elsewhere import Elsewhere, can_fork_for
    from ledger.storage.readers import claims_at_most

    if not can_fork_for(store) or claims_at_most(store) < NAMES_MEANWHILE:
        yield None
        return
    # forked before any claim is read; it counts the names and resolves them on its own connection
    elsewhere = Elsewhere(store.url, _names_resolved, sources, rulings)
    try:
        yield elsewhere.result  # None if it failed: the reconciler resolves the names itself
    finally:
        elsewhere.close()


def _names_resolved(store, sources, rulings):
    from ledger.reconcile import resolve_names
    from ledger.storage.readers import name_counts

    events, groups, places = name_counts(store)
    return resolve_names(events, groups, sources, rulings, places)


def _closest(name: str, names) -> str:
    from ledger.names import closest_names

    names = list(names)
    near = closest_names(name, names)
    if near:
        return "closest: " + ", ".join(near)
    return "see `ledger event list`" if names else "no claims recorded yet"
