"""Who speaks for whom, and which of a voice's figures stand.

A *voice* is an organisation with the officials who speak for it: a
spokesperson or commander recorded with ``--affiliation SDF`` and the SDF are
one voice, so the SDF's evening update of its commander's morning figure is a
revision, not a contradiction. An anonymous source ("a military source in the
SDF") speaks for no one: it stays its own voice whatever its affiliation.

Of one voice's figures, in time order:

- a figure a relay carried (``--via``) on a day the origin's own statement
  also exists is not the voice's figure: where the two differ, the relay
  misquoted or passed on a stale figure (a *relay discrepancy*);
- a figure restated the same day in other words ("135" and "at least 135",
  "nearly 200" for 192: intervals that overlap) is not a change;
- the latest figure is the one other voices are compared with: a withdrawn
  figure is history, not a claim still made.

Pure: plain data in, plain data out.
"""

from __future__ import annotations

from collections.abc import Sequence

from ledger.model import Source
from ledger.reconcile.records import Figure


def voices(sources: Sequence[Source]) -> dict[str, str]:
    """Source name → the voice it speaks with (its organisation's name, or its own)."""
    kinds = {s.name: s.kind for s in sources}
    voice = {}
    for s in sources:
        if s.affiliation and s.kind != "anonymous" and s.affiliation in kinds:
            voice[s.name] = s.affiliation
    # An official of an official's organisation: follow the chain, never round a loop.
    resolved = {}
    for name in voice:
        seen, current = {name}, voice[name]
        while current in voice and voice[current] not in seen:
            seen.add(current)
            current = voice[current]
        resolved[name] = current
    return resolved


def _overlap(a: Figure, b: Figure) -> bool:
    qa, qb = a.value, b.value
    return (qa.high is None or qa.high >= qb.low) and (qb.high is None or qb.high >= qa.low)


def same_day(a: Figure, b: Figure) -> bool:
    return a.as_of is not None and a.as_of == b.as_of


def is_restatement(a: Figure, b: Figure) -> bool:
    """The same figure in other words on the same day: intervals that overlap ("nearly 200" and 192)."""
    return same_day(a, b) and _overlap(a, b)


def own_statements(ordered: Sequence[Figure]) -> tuple[list[Figure], list[tuple[Figure, Figure]]]:
    """The voice's own figures, and each relayed figure that differs from the origin's own statement that day.

    ``ordered`` is one voice's figures in time order. A relayed figure counts
    as the voice's only on a day with no direct statement of its own.
    """
    direct_days: dict = {}
    for f in ordered:
        if not f.via and f.as_of is not None:
            direct_days.setdefault(f.as_of, []).append(f)
    stated, discrepancies = [], []
    for f in ordered:
        direct = direct_days.get(f.as_of) if f.via else None
        if not direct:
            stated.append(f)
            continue
        if not any(_overlap(f, d) for d in direct):
            discrepancies.append((f, direct[-1]))
    return stated, discrepancies


def changes(stated: Sequence[Figure], same) -> list[tuple[Figure, Figure]]:
    """Consecutive figures that differ and are not a same-day restatement: the voice's revisions."""
    return [(a, b) for a, b in zip(stated, stated[1:]) if not same(a.value, b.value) and not is_restatement(a, b)]
