"""Checking the kept report results by rebuilding them (``ledger verify``; the results: ``ledger.storage.kept``).

The kept results are derived, outside the hash chain: verify judges every claim again and compares each
kept event, the kept names and the kept text with the rebuild, naming each that differs. The rebuild
takes as long as the first report, so verify runs it in a forked process while it checks the chain.
"""

from __future__ import annotations

from sqlalchemy import select

from ledger.reconcile.kept import KEPT_FORMAT, UNREADABLE, assembled, changed_events, decode_names, decoder, name_rows, place_notes_of
from ledger.storage.kept import _changed_since, _events_using, _state, results_of
from ledger.storage.kept_names import name_row_differences
from ledger.storage.tables import KeptEventRow


def rebuilt_differences(store) -> list[str]:
    """What the kept results say that a rebuild from the claims does not, one line per event (``ledger verify``).

    Events changed since the results were kept are left out: the next report judges them again anyway.
    """
    from ledger.reconcile import Reconciler
    from ledger.storage.report_rows import report_rows

    state = _state(store)
    if state is None or state[2] != KEPT_FORMAT:
        return []  # nothing kept, or kept by another version: the next report rebuilds them
    seq, _ = store.head()
    dirty = _changed_since(store, state, seq)
    if dirty is None:
        return []  # the next report judges everything again: nothing of them is used
    sources, rulings = store.list_sources(), store.name_rulings()
    try:
        kept_names, located, kept_notes = decode_names(state[3], rulings)
    except UNREADABLE as exc:
        return [f"kept report results: the names kept cannot be read ({type(exc).__name__}); a report would fail"]
    problems = name_row_differences(store, name_rows(kept_names, located))
    rebuilt = Reconciler(report_rows(store), sources, None, rulings)
    names = rebuilt.names
    written_events, was_events = dirty
    changed = {e for w in written_events | was_events for e in (kept_names.events.get(w), names and names.events.get(w)) if e}
    if names is not None:
        if tuple(names.counts) == tuple(kept_names.counts):
            for table in ("events", "groups", "places"):
                if getattr(names, table) != getattr(kept_names, table):
                    problems.append(f"kept report results: the {table[:-1]} names kept differ from the names resolved again")
            if names.possible_matches != kept_names.possible_matches:
                problems.append("kept report results: the possible name matches kept differ from those found again")
        else:
            changed |= changed_events(kept_names, names, lambda g: _events_using(store, "group_name", g),
                                      lambda p: _events_using(store, "location", p))
    fresh = results_of(rebuilt, names.events) if names is not None else {}
    if not changed and names is not None and tuple(names.counts) == tuple(kept_names.counts) \
            and place_notes_of(names, fresh) != kept_notes:
        problems.append("kept report results: the questions about places kept differ from those asked again")
    del rebuilt  # the claims read: only the rebuilt results are compared from here
    if state[0] == seq and names is not None:  # a kept text is read only at the head it was made at
        from ledger.storage.kept_text import text_differences

        notes = place_notes_of(names, fresh)
        problems += text_differences(store, lambda show_all: assembled(names, fresh, notes, show_all))
    decode = decoder()
    with store.engine.connect() as conn:  # one kept event at a time: never two copies of every finding
        for event, claims, quantities, blob in conn.execute(select(
                KeptEventRow.event, KeptEventRow.claims, KeptEventRow.quantities, KeptEventRow.findings)
                .order_by(KeptEventRow.event)):
            if event in changed:
                continue
            theirs = fresh.pop(event, None)
            try:
                findings, places = decode.findings(blob)
            except UNREADABLE as exc:
                problems.append(f"kept report results for event {event!r}: cannot be read ({type(exc).__name__})")
                continue
            if theirs is None:
                problems.append(f"kept report results for event {event!r}: kept, but no live claim is about it")
                continue
            differ = [what for what, a, b in (("claims", claims, theirs.claims),
                                              ("quantities", quantities, theirs.quantities),
                                              ("findings", findings, theirs.findings),
                                              ("places", sorted(set(places)), sorted(set(theirs.places)))) if a != b]
            if differ:
                problems.append(f"kept report results for event {event!r}: {', '.join(differ)} differ from a rebuild")
    for event in sorted(fresh.keys() - changed):
        problems.append(f"kept report results for event {event!r}: missing, though {fresh[event].claims} live claims "
                        "are about it")
    return [f"{line}; `ledger report --rebuild` keeps them anew" for line in problems]


class RebuildMeanwhile:
    """``rebuilt_differences`` worked out by a forked process while ``verify`` checks the chain and the tables
    (``ledger.storage.elsewhere``); where none can be started, ``lines`` works it out then."""

    def __init__(self, store):
        from ledger.storage.elsewhere import Elsewhere, can_fork_for

        # nothing kept: nothing to rebuild, no process to start
        self._elsewhere = Elsewhere(store.url, rebuilt_differences) if can_fork_for(store) and _state(store) is not None \
            else None

    def lines(self, store) -> list[str]:
        found = self._elsewhere.result() if self._elsewhere is not None else None
        return found if found is not None else rebuilt_differences(store)  # None: the other process failed

    def close(self) -> None:
        if self._elsewhere is not None:
            self._elsewhere.close()
