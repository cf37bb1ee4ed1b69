"""Parts held below their wholes: a city within its country, a group within a larger one, any group within the total.

A figure for a part counts some of what its whole counts, so on the same day
(or earlier, for a count that only grows) it cannot exceed the whole's:
"1,500 killed in Aleppo" beside "1,200 killed in Syria" the same day is a
contradiction, "SDF: 80 dead" beside "70 dead in all" too. Which place is in
which is known from the researcher's ``within`` rulings (``ledger place edit
Aleppo --within Syria``) and from the location itself when it names its whole
after a comma: "Al Noor mosque, Deans Avenue, Christchurch" is in
"Christchurch". A located figure is a part of the event's unlocated one, and a
group's of the total.

The report asks about every pair of places of one event that it counts apart
without the researcher's word (``place_questions``): unrelated ones, and ones
nested by their wording only (the detail may describe the same place), each
with the commands that settle it.

Pure: plain quantities and figures in, findings out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence

from ledger.names.rulings import ruling_key
from ledger.reconcile.judge import _envelope, _gap
from ledger.reconcile.records import Figure, Finding, QuantityKey, later

def _components(place: str) -> list[str]:
    return [ruling_key(part) for part in place.split(",") if part.strip()]


def textually_within(part: str, whole: str) -> bool:
    """"Ghweran neighborhood, Hasakah" is in "Hasakah" and in "Hasakah, Syria": its tail names the whole."""
    inner, outer = _components(part), _components(whole)
    return len(inner) > len(outer) and inner[-len(outer):] == outer


def wholes_of(places: Iterable[str], ruled: Mapping[str, str]) -> dict[str, list[str]]:
    """Each place → the places it lies within, nearest first (ruled ``within``, then by its own wording)."""
    places = sorted(set(places))
    by_key = {ruling_key(p): p for p in places}
    out: dict[str, list[str]] = {}
    for place in places:
        chain, seen, current = [], {ruling_key(place)}, place
        while (parent := ruled.get(ruling_key(current))) is not None and ruling_key(parent) not in seen:
            seen.add(ruling_key(parent))
            current = by_key.get(ruling_key(parent), parent)
            chain.append(current)
        chain += [w for w in places if w not in chain and w != place and textually_within(place, w)]
        out[place] = chain
    return out


def part_whole_findings(by_key: Mapping[tuple, Sequence[Figure]], place_within: Mapping[str, str],
                        group_within: Mapping[str, str], is_stock: Callable[[str], bool], say) -> list[Finding]:
    """A contradiction for each part whose figure exceeds its whole's at a time the whole already counts it.

    ``by_key`` maps (event, metric, group, place) to figures; ``say(part_figure, whole_figure, part_key,
    whole_key)`` words the reason.
    """
    places = wholes_of((k[3] for k in by_key if k[3]), place_within)
    groups = wholes_of((k[2] for k in by_key if k[2]), group_within)
    findings = []
    for key, figures in by_key.items():
        event, metric, group, place = key
        wholes = [(event, metric, group, p) for p in places.get(place, [])] if place else []
        if place:
            wholes.append((event, metric, group, None))
        if group:
            wholes += [(event, metric, g, place) for g in groups.get(group, [])] + [(event, metric, None, place)]
        for whole in wholes:
            if whole in by_key:
                found = _worst_excess(figures, by_key[whole], is_stock(metric))
                if found is not None:
                    part, total = found
                    findings.append(Finding(
                        quantity=QuantityKey(*key), verdict="contradiction", reason=say(part, total, key, whole),
                        figures=(part, total), envelope=_envelope([part, total]), consensus=None,
                        gap=_gap(part.value, total.value)))
    return findings


def _worst_excess(parts: Sequence[Figure], wholes: Sequence[Figure], stock: bool) -> tuple[Figure, Figure] | None:
    """The part figure most above a whole figure that already counts it: the same day, or (a count that only
    grows) a whole from a later day; None when every part fits.

    Linear in the figures plus a sort: for counts that grow, the lowest ceiling among the wholes of all later
    days is kept per day; only same-day pairs are compared one by one, ordered by their times when both have one.
    """
    by_day: dict = {}
    for w in wholes:
        if w.value.high is not None and w.as_of is not None:
            by_day.setdefault(w.as_of, []).append(w)
    if not by_day:
        return None
    days = sorted(by_day)
    lowest_from: list = [None] * (len(days) + 1)  # lowest_from[i]: the lowest-ceiling whole on days[i:]
    for i in range(len(days) - 1, -1, -1):
        today = min(by_day[days[i]], key=lambda w: w.value.high)
        after = lowest_from[i + 1]
        lowest_from[i] = today if after is None or today.value.high < after.value.high else after
    worst, excess = None, 0
    for part in parts:
        if part.as_of is None:
            continue
        candidates = [w for w in by_day.get(part.as_of, ()) if stock or later(part, w) is not True]
        if not stock and (after := lowest_from[bisect_right(days, part.as_of)]) is not None:
            candidates.append(after)
        for whole in candidates:
            if part.value.low - whole.value.high > excess:
                worst, excess = (part, whole), part.value.low - whole.value.high
    return worst


def place_questions(keys: Iterable[tuple], place_within: Mapping[str, str]) -> list[tuple[str, tuple[str, ...], str]]:
    """What to ask about the places of each event that are counted apart without the researcher's word.

    ``(event, (part, whole), "nested")`` for a place inside another by its wording only (the detail may
    describe the same place), and ``(event, places, "unrelated")`` for the places of one event that nothing
    relates to any other (two or more: siblings such as two cities, or one place in other words).
    """
    keys = list(keys)
    wholes = wholes_of((k[3] for k in keys if k[3]), place_within)
    by_event: dict[str, set[str]] = {}
    for event, _, _, place in keys:
        if place:
            by_event.setdefault(event, set()).add(place)
    out = set()
    for event, found in by_event.items():
        related = set()
        for a in sorted(found):
            for b in sorted(found):
                if a != b and b in wholes.get(a, ()):
                    related |= {a, b}
                    ruled = ruling_key(place_within.get(ruling_key(a), "")) == ruling_key(b)
                    if textually_within(a, b) and not ruled:
                        out.add((event, (a, b), "nested"))
        lone = tuple(sorted(found - related))
        if len(lone) > 1:
            out.add((event, lone, "unrelated"))
    return sorted(out)
