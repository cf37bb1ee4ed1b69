"""Report results kept beside the ledger, so that a report re-judges only what changed.

``kept_report`` names the history entry the kept results were made at, and
holds the ledger's names as resolved then; ``kept_event`` holds each
canonical event's findings. A report then:

- on an unchanged ledger (the head is that entry): reads the kept findings and
  judges nothing;
- after claims were recorded, corrected, retracted or restored: re-resolves the
  names only if the claims' names or their counts changed, and re-judges only the
  events those claims belong to (before and after a correction) and those whose
  names now resolve otherwise (a new spelling can join two events);
- after anything else (a source edited or merged, a name ruling, an import of many
  claims, a history that no longer holds that entry): judges everything again.

Each report leaves the results kept as of the head it read first: a claim
recorded while it read is judged again next time. The results are derived,
outside the hash chain; ``ledger verify`` rebuilds them to check them
(``ledger.storage.kept_check``), and a ledger that cannot be written (a read-only
file or role) simply keeps nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from sqlalchemy import delete, func, insert, select, text

from ledger.reconcile.kept import (KEPT_FORMAT, UNREADABLE, changed_events, decode_names, decoder,
                                   encode_findings, encode_names, name_rows, place_notes_of)
from ledger.storage.readers import _subject_id
from ledger.storage.engine import REFUSED
from ledger.storage.kept_names import keep_name_rows
from ledger.storage.kept_text import forget_texts
from ledger.storage.tables import KeptEventRow, KeptNameRow, KeptReportRow

# History actions after which only the claims they name need judging again; any other means a full rebuild.
_CLAIM_ACTIONS = frozenset({"claim.add", "claim.correct", "claim.retract", "claim.restore", "claim.extracted"})
_NEUTRAL_ACTIONS = frozenset({"document.add", "document.remove", "setting.set", "reviewer.name", "reviewer.url",
                              "review.url"})
# Past this many changed claims, reading them event by event costs more than reading everything once.
_REJUDGE_AT_MOST = 20_000


class EventResult:
    """One canonical event's judged results: findings in the order made, agreements included."""

    __slots__ = ("findings", "claims", "quantities", "places")

    def __init__(self, findings: list, claims: int, quantities: int, places: list[str]):
        self.findings, self.claims, self.quantities, self.places = findings, claims, quantities, places


def results_of(reconciler, events: dict[str, str]) -> dict[str, EventResult]:
    """Each canonical event's results, for the events ``events`` maps written names to."""
    findings, quantities, by_key = reconciler.judged(events)
    claims = reconciler.claims_per_event()
    wanted = set(events.values())
    results = {event: EventResult([], count, quantities.get(event, 0), []) for event, count in claims.items()
               if event in wanted}
    for finding in findings:
        results[finding.quantity.event].findings.append(finding)
    for event, _, _, place in reconciler.counted_apart():
        if event in results:
            results[event].places.append(place)
    return results


class Found:
    """The kept results brought up to the head: ``names``, ``notes`` (the questions about places), the events judged
    again (``fresh``), and every event's results (``results``: the others are decoded only when asked for).

    ``changed``: the canonical events re-judged or gone, whose kept results were replaced (``replaced``: as kept
    before, places included); None when everything was judged again. ``since``: the (seq, hash) the kept results
    were brought up from, or None.
    """

    def __init__(self, store, names, notes, fresh: dict, changed: set[str] | None = None, replaced: dict | None = None,
                 since: tuple | None = None, results: dict | None = None):
        self.names, self.notes, self.fresh, self.changed = names, notes, fresh, changed
        self.replaced, self.since = replaced or {}, since
        self._store, self._results = store, results

    @property
    def results(self) -> dict:
        if self._results is None:
            self._results = _read_events(self._store, exclude=self.changed or ())
            self._results.update(self.fresh)
        return self._results


def kept_results(store, sources, rulings, judge_everything: Callable | None = None, lazy: bool = False) -> Found | None:
    """The kept results (``Found``) of the ledger as of its head, re-judging only what changed.

    None for a ledger without live claims. ``judge_everything(reconciler_of)`` (``api.report``) calls
    ``reconciler_of(rows, names)`` with every live claim's rows, with names resolved meanwhile or None,
    when everything must be judged again (it may show progress, resolve names in another process).
    ``lazy``: leave the events not judged again undecoded until ``Found.results`` is read (a kept table
    is brought up to date without them, ``ledger.reports.splice``).
    """
    from ledger.reconcile import Reconciler
    from ledger.storage.report_rows import report_rows

    seq, head = store.head()
    state = _state(store)
    dirty = _changed_since(store, state, seq) if state is not None and state[2] == KEPT_FORMAT else None

    def everything():
        def reconciler_of(rows, names=None):
            return Reconciler(rows, sources, names, rulings)

        reconciler = (judge_everything or (lambda of: of(report_rows(store))))(reconciler_of)
        if not reconciler.claims:
            if state is not None:
                forget(store)
            return None
        results = results_of(reconciler, reconciler.names.events)
        located = reconciler.located()
        notes = place_notes_of(reconciler.names, results)
        _keep(store, seq, head, reconciler.names, results, located, notes, everything=True)
        return Found(store, reconciler.names, notes, results, results=results)

    if dirty is None:
        return everything()
    try:
        return _brought_up_to_date(store, sources, rulings, seq, head, state, dirty, lazy)
    except UNREADABLE:
        # kept rows that cannot be read (written behind the ledger's back: verify names them): the report
        # does not fail for want of what it can judge again
        return everything()


def _brought_up_to_date(store, sources, rulings, seq: int, head: str | None, state, dirty, lazy: bool = False):
    """``kept_results`` when the kept results can be brought up to the head by re-judging some events."""
    from concurrent.futures import ThreadPoolExecutor

    from ledger.reconcile import Reconciler
    from ledger.storage.engine import shared_by_threads
    from ledger.storage.readers import name_counts
    from ledger.storage.report_rows import report_rows

    written_events, was_events = dirty
    # no claim changed since (only documents, settings): the names are as kept, without counting them again;
    # else the database counts them (without the GIL) while the kept names are decoded
    count = bool(written_events or was_events)
    with ThreadPoolExecutor(1) as pool:
        counting = pool.submit(name_counts, store) if count and shared_by_threads(store.engine) else None
        kept = decode_names(state[3], rulings)
    counts = counting.result() if counting is not None else name_counts(store) if count else None
    kept_names = kept.names
    names = _names_now(counts, kept_names, sources, rulings) if count else kept_names
    events = {e for w in written_events | was_events for e in (kept_names.events.get(w), names.events.get(w)) if e}
    if names is not kept_names:
        events |= changed_events(kept_names, names, lambda g: _events_using(store, "group_name", g),
                                 lambda p: _events_using(store, "location", p))
    if events:
        written = [w for w, canonical in names.events.items() if canonical in events]
        reconciler = Reconciler(report_rows(store, written), sources, names, rulings, some_events=True)
        fresh = results_of(reconciler, {w: names.events[w] for w in written}) if reconciler.claims else {}
    else:
        fresh = {}
    replaced = _read_events(store, only=events) if lazy else {}
    # the same places in every event: the same questions about them (the other events' are as kept)
    same_places = all(sorted(set(replaced[e].places if e in replaced else ())) ==
                      sorted(set(fresh[e].places if e in fresh else ())) for e in events)
    results = None
    if not (lazy and same_places):
        results = _read_events(store, exclude=events)
        results.update(fresh)
    if not (results if results is not None else fresh or _kept_events(store) > len(replaced)):
        forget(store)
        return None
    if (not events and names is kept_names) or (lazy and same_places):
        notes = kept.place_notes
    else:
        notes = place_notes_of(names, results)
    if events or seq != state[0] or names is not kept_names:
        from ledger.storage.readers import located_events

        located = located_events(store)
        # names filed as before and events in the same places: the name rows a listing reads are as kept
        rows_as_kept = all(getattr(names, t) == getattr(kept_names, t) for t in ("events", "groups", "places")) \
            and set(located) == set(kept.located)
        _keep(store, seq, head, names, fresh, located, notes, gone=events - fresh.keys(), rows_as_kept=rows_as_kept)
    return Found(store, names, notes, fresh, events, replaced, (state[0], state[1] or None), results)


def names_if_current(store, rulings):
    """(names, located (event, location) pairs) kept at the ledger's head, or None: what a listing files
    claims by (``QuantityKeys``) without resolving every name again."""
    state = _state(store)
    if state is None or state[2] != KEPT_FORMAT or (state[0], state[1] or None) != store.head():
        return None
    try:
        kept = decode_names(state[3], rulings)
        return kept.names, kept.located
    except UNREADABLE:
        return None  # verify names it; the listing resolves the names itself


def _state(store):
    """(made_at_seq, made_at_hash, format, names) of the kept results, or None (also for a PostgreSQL role not
    granted the kept tables, as after an upgrade that added them: its reports judge everything)."""
    try:
        with store.engine.connect() as conn:
            row = conn.execute(select(KeptReportRow.made_at_seq, KeptReportRow.made_at_hash, KeptReportRow.format,
                                      KeptReportRow.names)).first()
    except REFUSED:
        return None
    return tuple(row) if row is not None else None


def _changed_since(store, state, seq: int):
    """(events as written of the claims changed since the kept results, events they had before a correction),
    or None when everything must be judged again."""
    made_at, made_hash = state[0], state[1]
    if made_at > seq:
        return None
    with store.engine.connect() as conn:
        if made_at and conn.execute(text("SELECT hash FROM history WHERE seq = :s"), {"s": made_at}).scalar() != made_hash:
            return None  # the history was rewritten under the kept results
        entries = conn.execute(text("SELECT action, subject, payload FROM history WHERE seq > :a AND seq <= :b"),
                               {"a": made_at, "b": seq}).all()
        claim_ids, was = set(), set()
        for action, subject, payload in entries:
            if action in _NEUTRAL_ACTIONS:
                continue
            claim_id = _subject_id(subject)
            if action not in _CLAIM_ACTIONS or len(claim_ids) > _REJUDGE_AT_MOST or claim_id is None:
                return None  # anything but claims changed, or so many it is cheaper to judge everything
            claim_ids.add(claim_id)
            if action == "claim.correct":
                try:
                    before = json.loads(payload).get("was") or {}
                    event_before = before.get("event")
                except (ValueError, AttributeError):
                    return None  # not an entry the ledger writes: verify names it; judge everything
                if isinstance(event_before, str):
                    was.add(event_before)
    written = _events_using(store, "id", sorted(claim_ids))
    return written, was


def _names_now(counts, kept_names, sources, rulings):
    """The kept names if the live claims still use the names as often as ``counts`` (``readers.name_counts``)
    says; the kept names with the new counts if those cannot change how any name resolves
    (``grouping.recounted``); else the names resolved again."""
    from ledger.reconcile import resolve_names
    from ledger.reconcile.grouping import recounted

    if tuple(counts) == tuple(kept_names.counts):
        return kept_names
    events, groups, places = counts
    return recounted(kept_names, events, groups, places) or resolve_names(events, groups, sources, rulings, places)


def _events_using(store, column: str, names: list) -> set[str]:
    """The events (as written) of the claims, retracted ones too, whose ``column`` is one of ``names``."""
    found: set[str] = set()
    with store.engine.connect() as conn:
        for start in range(0, len(names), 500):
            some = names[start:start + 500]
            marks = ", ".join(f":n{i}" for i in range(len(some)))
            found.update(conn.execute(text(f"SELECT DISTINCT event FROM claim WHERE {column} IN ({marks})"),
                                      {f"n{i}": n for i, n in enumerate(some)}).scalars())
    return found


def _read_events(store, exclude: Iterable[str] = (), only: Iterable[str] | None = None) -> dict:
    """The kept results of every event but those in ``exclude``, or of those in ``only``, decoded."""
    exclude = set(exclude)
    decode = decoder()
    results = {}
    query = select(KeptEventRow.event, KeptEventRow.claims, KeptEventRow.quantities, KeptEventRow.findings)
    with store.engine.connect() as conn:
        if only is not None:
            wanted = sorted(only)
            rows = [row for start in range(0, len(wanted), 500)
                    for row in conn.execute(query.where(KeptEventRow.event.in_(wanted[start:start + 500])))]
        else:
            rows = conn.execute(query.order_by(KeptEventRow.event))
        for event, claims, quantities, blob in rows:
            if event not in exclude:
                findings, places = decode.findings(blob)
                results[event] = EventResult(findings, claims, quantities, places)
    return results


def _kept_events(store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(KeptEventRow)).scalar()


def _keep(store, seq: int, head: str | None, names, results: dict, located, place_notes, everything: bool = False,
          gone: Iterable[str] = (), rows_as_kept: bool = False) -> None:
    """Write the results as of history entry ``seq``: all of them, or those of the events re-judged (and the name
    rows, unless ``rows_as_kept``: they would be written as they are)."""
    rows = [{"event": event, "claims": r.claims, "quantities": r.quantities,
             "findings": encode_findings(r.findings, r.places)} for event, r in results.items()]
    try:
        with writing_briefly(store) as conn:
            if everything:
                conn.execute(delete(KeptEventRow))
            else:
                stale = sorted({*results, *gone})
                for start in range(0, len(stale), 500):
                    conn.execute(delete(KeptEventRow).where(KeptEventRow.event.in_(stale[start:start + 500])))
            for start in range(0, len(rows), 1000):
                conn.execute(insert(KeptEventRow), rows[start:start + 1000])
            conn.execute(delete(KeptReportRow))
            conn.execute(insert(KeptReportRow), {"id": 1, "made_at_seq": seq, "made_at_hash": head or "",
                                                 "format": KEPT_FORMAT, "names": encode_names(names, located, place_notes)})
            if not rows_as_kept:
                keep_name_rows(conn, name_rows(names, located), everything)
            forget_texts(conn)  # the text of a report of the results kept before
    except REFUSED:
        pass  # a ledger this user may only read (or another report keeping at once): the next report judges again


# How long keeping results waits for another writer (an import, a colleague recording) before giving up:
# a report must not queue behind them for the minute writers wait for one another.
KEEP_WAIT_MS = 200


@contextmanager
def writing_briefly(store):
    """A write transaction that gives up after ``KEEP_WAIT_MS`` if another writer holds the ledger."""
    from ledger.storage.engine import BUSY_TIMEOUT_SECONDS

    with store.writer.connect() as conn:
        raw = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:  # set on the driver's connection: through SQLAlchemy it would begin the transaction
            raw.execute(f"PRAGMA busy_timeout = {KEEP_WAIT_MS}")
        try:
            with conn.begin():
                if raw is None:
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{KEEP_WAIT_MS}ms'")
                yield conn
        finally:
            if raw is not None:
                raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")


def forget(store) -> bool:
    """Drop the kept results; False if this ledger may not be written (a report then judges everything, keeping nothing)."""
    try:
        with writing_briefly(store) as conn:
            conn.execute(delete(KeptEventRow))
            conn.execute(delete(KeptReportRow))
            conn.execute(delete(KeptNameRow))
            forget_texts(conn)
    except REFUSED:
        return False
    return True
