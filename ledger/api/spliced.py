"""A report's kept table brought up to date with the events judged again (``ledger.reports.splice``).

After a few claims are recorded a report re-judges only their events (``ledger.storage.kept``); the table
kept at the last report then needs only their rows replaced, not a million claims' table laid out again.
"""

from __future__ import annotations

from ledger.errors import LedgerError


def spliced_report(store, options: str, found, previous, stamp, write):
    """Write the report ``options`` names from the table kept before (``previous``: as
    ``read_spliceable_text`` read it) and the results ``found`` brought up to date; keep it and return its
    tally. None, with nothing written, when it cannot be spliced (the new rows are wider than the table,
    the dropped ones were the only ones as wide as a column, or what was kept cannot be read)."""
    from ledger.reconcile import VERDICTS, finding_order
    from ledger.reconcile.kept import UNREADABLE
    from ledger.reports import Tally
    from ledger.reports.findings import report_ending, table_closing
    from ledger.reports.kept_text import decode_tally, encode_tally, kept_pieces, written_and_kept
    from ledger.reports.splice import TextLayout, dropped_verdicts, laid_out, spliced
    from ledger.storage.kept_text import keep_text

    fmt, _, rest = options.partition(" ")
    _, blob, tally_text, layout_text = previous
    try:
        layout, kept_tally = TextLayout.decode(layout_text), decode_tally(tally_text)
    except UNREADABLE:
        return None
    show_all = rest == "--all"
    findings = sorted((f for r in found.fresh.values() for f in r.findings if show_all or f.verdict != "agreement"),
                      key=finding_order)
    laid = laid_out(findings, fmt, layout.widths)
    if laid is None or not layout.orders:
        return None
    fresh = list(laid[1])
    removed = dropped_verdicts(layout, found.changed)
    verdicts = {}
    for verdict in VERDICTS:
        count = kept_tally.verdicts.get(verdict, 0) - removed.get(verdict, 0) + sum(f.verdict == verdict for f in findings)
        if count:
            verdicts[verdict] = count
    if not verdicts:
        return None  # no findings left: the report says so, made anew
    old, new = found.replaced.values(), found.fresh.values()
    tally = Tally(kept_tally.claims - sum(r.claims for r in old) + sum(r.claims for r in new),
                  kept_tally.quantities - sum(r.quantities for r in old) + sum(r.quantities for r in new),
                  verdicts, list(found.names.possible_matches) + list(found.notes))
    made = spliced(kept_pieces(blob), layout, found.changed, fresh, table_closing(tally), table_closing(kept_tally), fmt)
    if made is None:
        return None
    chunks, new_layout = made
    try:
        first = next(chunks)  # the kept text's head and first rows read and checked before anything is written
    except UNREADABLE:
        return None

    def everything():
        yield first
        yield from chunks
        yield report_ending(stamp, tally)

    try:
        text = written_and_kept(fmt, everything(), write)
    except UNREADABLE:  # damaged past what was written, behind the ledger's back
        raise LedgerError("the report text kept beside the ledger is damaged after what was printed; "
                          "`ledger verify` names it, `ledger report --rebuild` makes the report anew") from None
    keep_text(store, options, stamp.history_seq, stamp.history_head, text, encode_tally(tally), new_layout.encode())
    return tally
