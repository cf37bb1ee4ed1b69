"""Live claims as the reconciler reads them: plain tuples, streamed, for a million claims."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain

from sqlalchemy import text

from ledger.figures import Quantity
from ledger.model import Source
from ledger.storage.readers import _batches, _corrections, _Shared, _take_relays, current_names

_ROW_SELECT = (
    "SELECT id, event, metric, group_name, value_text, value_low, value_high, value_kind, value_best, said_by_id, "
    "document_id, published, period_end, credibility, published_at, as_of_at, quote_states_figure, location "
    "FROM claim WHERE NOT retracted ORDER BY id"
)


def report_rows(ledger, events: Sequence[str] | None = None) -> Iterator[tuple]:
    """Every live claim as the reconciler reads it (``ledger.reconcile.ClaimRow`` order), oldest first, streamed.

    ``events``: only the claims of these events (as written), oldest first within each batch of events.
    The fields a report does not use (quote, recording time) are not read.
    """
    with ledger.engine.connect() as conn:
        names = current_names(conn)
        outlets = {i: names[o] for i, o in conn.execute(text("SELECT id, outlet_id FROM document"))}
        corrections = _corrections(conn)
        shared = _Shared()
        if events is None:
            yield from _report_rows(conn, shared, names, outlets, corrections, _ROW_SELECT, _RELAY_SELECT)
            return
        events = sorted(set(events))
        for start in range(0, len(events), _EVENTS_AT_ONCE):
            some = events[start:start + _EVENTS_AT_ONCE]
            among = f" AND event IN ({', '.join('{}' for _ in some)})"
            yield from _report_rows(conn, shared, names, outlets, corrections,
                                    _ROW_SELECT.replace(" ORDER BY", among + " ORDER BY"),
                                    _RELAY_SELECT.replace(" ORDER BY", f" WHERE claim_id IN (SELECT id FROM claim WHERE NOT retracted{among}) ORDER BY"),
                                    some)


_RELAY_SELECT = "SELECT claim_id, source_id FROM claim_relay ORDER BY claim_id, position"
_EVENTS_AT_ONCE = 500  # parameters per query: well under SQLite's and PostgreSQL's limits


def _report_rows(conn, shared: _Shared, names: dict[int, str], outlets: dict[int, str],
                 corrections: dict[int, tuple[Quantity, ...]], claim_sql: str, relay_sql: str,
                 params: Sequence = ()) -> Iterator[tuple]:
    relays = chain.from_iterable(_batches(conn, relay_sql, params))
    relay = next(relays, None)
    day, days, quantities, time_of = shared.day, shared.days, shared.quantities, shared.time
    by_text: dict[str, Quantity] = {}
    no_corrections = ()
    for batch in _batches(conn, claim_sql, params):
        for (cid, event, metric, group, vtext, low, high, kind, best, said_by_id, doc_id, published, period_end,
             credibility, published_at, as_of_at, quote_states, location) in batch:
            via: tuple[str, ...] = ()
            if relay is not None and relay[0] <= cid:
                via, relay = _take_relays(relay, relays, cid, names)
            # Most texts always read the same: check the one seen last under this text first.
            value = by_text.get(vtext)
            if value is None or value.low != low or value.high != high or value.kind != kind or value.best != best:
                qkey = (vtext, low, high, kind, best)
                value = quantities.get(qkey)
                if value is None:
                    value = quantities[qkey] = Quantity(vtext, low, high, kind, best)
                by_text[vtext] = value
            on = days.get(published)
            if on is None and published is not None:
                on = day(published)
            as_of = on if period_end is None else (days.get(period_end) or day(period_end))
            moment = published_at if period_end is None else as_of_at
            yield (cid, event, metric, group, value, names[said_by_id], via, doc_id,
                   outlets.get(doc_id) if doc_id else None, on, as_of, credibility,
                   corrections.get(cid, no_corrections), moment and time_of(moment),
                   quote_states is not None and not quote_states, location)


def rows_for_report(ledger) -> tuple[Iterator[tuple], list[Source]]:
    """What ``ledger.reconcile.reconcile_rows`` needs: live claim rows (streamed) and every source."""
    return report_rows(ledger), ledger.list_sources()


