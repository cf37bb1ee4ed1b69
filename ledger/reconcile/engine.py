"""The reconciler: which claims are about the same quantity, and where they disagree.

``reconcile(claims, sources)`` is a pure function of the claims: no database,
no I/O. It consumes the claims once, as an iterator if need be, keeping only
one compact ``Figure`` per claim, grouped by the names as written; then it
resolves each distinct name once, merges the groups into quantities and judges
each quantity in O(k log k) for its k figures. So it scales to a million claims.
The rules, in words a journalist can follow, are in ``docs/reconciliation.md``:

1. Same quantity: event, metric and group match after name resolution.
2. Sum of parts: one source's group figures in one document add up to a total.
3. Time: cumulative counts cannot fall as the period grows; stock figures
   (held, at large) are compared only at the same date.
4. Verdicts: contradiction, divergence, revision, agreement, each with a reason.

Findings are ordered worst first; findings that tie on verdict, gap and
quantity keep the order of their figures' claim ids.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import NamedTuple

from ledger.model import Claim, Source, grade_label
from ledger.figures import ALL_MEANS_NONE_REMAINING, Quantity, means_all

VERDICTS = ("contradiction", "divergence", "revision", "agreement")
_RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}

# Metric words that mean the same count. Keys are what users type, values the
# canonical metric; anything else is kept as typed (after case folding).
METRIC_SYNONYMS = {
    "dead": "killed", "deaths": "killed", "death toll": "killed", "fatalities": "killed", "died": "killed",
    "wounded": "injured", "injuries": "injured", "hurt": "injured",
    "detained": "arrested", "captured": "arrested", "arrests": "arrested",
    "fled": "escaped", "escapees": "escaped", "fugitives": "at-large", "at large": "at-large", "still at large": "at-large",
    "missing": "missing", "held": "held", "detainees": "held", "imprisoned": "held",
}
# Stocks go up and down over time; only figures for the same date can clash.
STOCK_METRICS = {"held", "at-large", "trapped", "displaced", "missing"}


class QuantityKey(NamedTuple):
    event: str
    metric: str
    group: str | None  # None: the total

    def label(self) -> str:
        return f"{self.event} / {self.metric} / {self.group or 'total'}"


class Figure(NamedTuple):
    """A claim as the reconciler sees it: a stated claim, or a total derived from parts.

    A named tuple (immutable, compared by value) rather than a frozen dataclass:
    a report builds one per claim, and a tuple builds five times faster in less memory.
    """

    claim_id: int | None
    said_by: str
    via: tuple[str, ...]
    outlet: str | None
    value: Quantity
    published: date | None
    as_of: date | None
    document_id: int | None = None
    derived: bool = False
    parts: tuple[int, ...] = ()
    part_labels: tuple[str, ...] = ()
    corrected_from: tuple[Quantity, ...] = ()
    grade: str = "F6"  # Admiralty: origin's reliability + the claim's credibility
    credibility: int | None = None  # the claim's, 1–6


class ClaimRow(NamedTuple):
    """What the reconciler reads of a live claim: ``reconcile_rows`` takes these, or plain tuples in this order."""

    id: int
    event: str
    metric: str
    group: str | None
    value: Quantity
    said_by: str
    via: tuple[str, ...]
    document_id: int | None
    outlet: str | None
    published: date | None
    as_of: date | None  # the end of the claim's period, else its publication date
    credibility: int | None
    corrections: tuple[Quantity, ...]  # earlier values, oldest first


def claim_rows(claims: Iterable[Claim]) -> Iterator[ClaimRow]:
    """The live claims among ``claims`` as reconciler rows."""
    for c in claims:
        if not c.retracted:
            yield ClaimRow(
                c.id, c.event, c.metric, c.group, c.value, c.said_by, c.via, c.document_id, c.outlet, c.published,
                c.period.end if c.period is not None else c.published, c.credibility, c.corrections,
            )


@dataclass(frozen=True, slots=True)
class Finding:
    quantity: QuantityKey
    verdict: str
    reason: str
    figures: tuple[Figure, ...]
    envelope: tuple[int, int | None]
    consensus: tuple[int, int | None] | None
    gap: float  # size of the disagreement relative to the figures, for ordering


@dataclass(frozen=True)
class NameNote:
    """Two names close enough to look alike but too far apart to merge."""

    kind: str  # "event", "group" or "source"
    name: str
    candidate: str
    score: float


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    possible_matches: list[NameNote] = field(default_factory=list)
    quantities: int = 0
    claims: int = 0
    event_names: dict[str, str] = field(default_factory=dict)  # every event name seen → its canonical name


# -- names -----------------------------------------------------------------------


def display_names(sources: Iterable[Source]) -> dict[str, str]:
    """Short names for reasons: an acronym alias (SOHR) reads better than the full name."""
    shown = {}
    for s in sources:
        acronyms = [a for a in s.aliases if a.isupper() and 2 <= len(a) <= 6]
        shown[s.name] = acronyms[0] if acronyms else s.name
    return shown


def canonical_metric(metric: str) -> str:
    key = " ".join(metric.casefold().replace("_", " ").split())
    return METRIC_SYNONYMS.get(key, key)


@dataclass(frozen=True)
class Names:
    """Every event and group name as written → its canonical name, with the near misses worth a look."""

    events: dict[str, str]
    groups: dict[str, str]
    possible_matches: list[NameNote]
    counts: tuple[dict[str, int], dict[str, int]]  # claims per event and per group name, as resolved


def resolve_names(events: Mapping[str, int], groups: Mapping[str, int], sources: Sequence[Source]) -> Names:
    """Canonical event and group names, from each distinct name and how many claims use it."""
    from ledger.names import cluster

    aliases = {alias: s.name for s in sources for alias in s.aliases}
    source_names = [s.name for s in sources]
    # The counts let the commonest spelling name its cluster.
    resolved_events = cluster(Counter(events))
    resolved_groups = cluster(Counter(groups), aliases=aliases, known=source_names)
    notes = []
    for kind, resolved in (("event", resolved_events), ("group", resolved_groups)):
        for name, resolution in sorted(resolved.items()):
            if resolution.status == "possible" and resolution.candidates:
                best = resolution.candidates[0]
                notes.append(NameNote(kind, name, best.name, best.score))
    return Names(
        {n: r.canonical or n for n, r in resolved_events.items()},
        {n: r.canonical or n for n, r in resolved_groups.items()},
        notes, (dict(events), dict(groups)),
    )


def name_index(claims: Sequence[Claim], sources: Sequence[Source]):
    """A NameIndex that resolves a name the way the reconciler does.

    Its canonical names are the reconciler's clusters and the sources; every
    spelling seen on a claim is an alias of its cluster, so a new variant is
    matched against the cluster as a whole rather than tied between members.
    """
    from ledger.names import NameIndex

    names = resolve_names(Counter(c.event for c in claims), Counter(c.group for c in claims if c.group), sources)
    events, groups = names.events, names.groups
    aliases = {alias: s.name for s in sources for alias in s.aliases}
    for seen in (events, groups):
        aliases.update({name: canonical for name, canonical in seen.items() if name != canonical})
    canonical = set(events.values()) | set(groups.values()) | {s.name for s in sources}
    return NameIndex(sorted(canonical), aliases)


# -- figures -----------------------------------------------------------------------

_by_claim_id = itemgetter(0)  # Figure.claim_id


class _Intake:
    """Claim rows read once into figures, grouped by the names as written (resolved later)."""

    def __init__(self, grades: Mapping[str, str | None]):
        self.claims = 0
        # (event, metric, group) as written → figures; remainders ("all arrested" → none at large) apart,
        # keyed by their canonical metric.
        self.stated: dict[tuple[str, str, str | None], list[Figure]] = {}
        self.remainders: dict[tuple[str, str, str | None], list[Figure]] = {}
        self.metrics: dict[str, str] = {}
        self.in_order = True  # claim ids arrived ascending (as storage streams them): each list is sorted
        self._last_id = None
        self._grades = grades
        self._labels: dict[tuple[str, int | None], str] = {}

    def add(self, rows: Iterable[tuple]) -> None:
        stated, labels, grades, new = self.stated, self._labels, self._grades, tuple.__new__
        n, last, in_order = 0, self._last_id, self.in_order
        for row in rows:
            cid, event, metric, group, value, said_by, via, doc_id, outlet, published, as_of, credibility, corrections = row
            n += 1
            if in_order:
                in_order = last is None or cid > last
                last = cid
            grade = labels.get((said_by, credibility))
            if grade is None:
                grade = labels[(said_by, credibility)] = grade_label(grades.get(said_by), credibility)
            figure = new(Figure, (
                cid, said_by, via, outlet, value, published, as_of, doc_id, False, (), (), corrections, grade, credibility,
            ))
            key = (event, metric, group)
            figures = stated.get(key)
            if figures is None:
                stated[key] = figures = []
            figures.append(figure)
            if value.kind == "vague":
                self._remainder(event, metric, group, figure)
        self.claims += n
        self.in_order, self._last_id = in_order, last

    def _remainder(self, event: str, metric: str, group: str | None, figure: Figure) -> None:
        metric = self.metric(metric)
        if means_all(figure.value) and metric in ALL_MEANS_NONE_REMAINING:
            # "All were arrested" says nobody remains: judge it as a remainder of zero.
            text = f"none (\"{figure.value.text}\" {metric})"
            remainder = Quantity(text=text, low=0, high=0, kind="exact", best=0)
            key = (event, ALL_MEANS_NONE_REMAINING[metric], group)
            self.remainders.setdefault(key, []).append(figure._replace(value=remainder))

    def metric(self, metric: str) -> str:
        found = self.metrics.get(metric)
        if found is None:
            found = self.metrics[metric] = canonical_metric(metric)
        return found

    def name_counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Claims per event name and per group name, as written."""
        events: Counter = Counter()
        groups: Counter = Counter()
        for (event, _, group), figures in self.stated.items():
            events[event] += len(figures)
            if group:
                groups[group] += len(figures)
        return dict(events), dict(groups)

    def quantities(self, events: Mapping[str, str], groups: Mapping[str, str]) -> dict[tuple, list[Figure]]:
        """Figures per quantity (event, metric, group), each list in claim id order; events not in ``events`` left out."""
        by_key: dict[tuple, list[Figure]] = {}
        merged = set() if self.in_order else None
        metrics = self.metrics
        for (event, metric, group) in self.stated:  # every metric's canonical form, once
            if metric not in metrics:
                self.metric(metric)
        for table, canonical in ((self.stated, metrics), (self.remainders, None)):
            for (event, metric, group), figures in table.items():
                if event not in events:
                    continue
                key = (events[event], canonical[metric] if canonical else metric, groups[group] if group else None)
                found = by_key.get(key)
                if found is None:
                    by_key[key] = list(figures)
                else:
                    found.extend(figures)
                    if merged is not None:
                        merged.add(key)
        for key in by_key if merged is None else merged:
            by_key[key].sort(key=_by_claim_id)
        return by_key

    def part_groups(self, events: Mapping[str, str], groups: Mapping[str, str]) -> list[tuple[tuple, list]]:
        """One source's group figures per (event, metric, source, document), in order of first claim id."""
        merged: dict[tuple, list[tuple[Figure, str]]] = {}
        for (event, metric, group), figures in self.stated.items():
            if not group or event not in events:
                continue
            event, metric = events[event], self.metric(metric)
            for f in figures:
                doc_id = f.document_id
                if doc_id is not None:
                    key = (event, metric, f.said_by, doc_id)
                    found = merged.get(key)
                    if found is None:
                        merged[key] = [(f, group)]
                    else:
                        found.append((f, group))
        out = []
        for key, items in merged.items():
            if len(items) < 2 or len({groups[g] for _, g in items}) < 2:
                continue
            items.sort(key=lambda item: item[0].claim_id)
            out.append((key, items))
        out.sort(key=lambda entry: entry[1][0][0].claim_id)
        return out


def _sum_parts(parts: Sequence[Quantity]) -> Quantity:
    low = sum(q.low for q in parts)
    highs = [q.high for q in parts]
    high = None if any(h is None for h in highs) else sum(highs)
    kinds = {q.kind for q in parts}
    if kinds == {"exact"}:
        kind = "exact"
    elif high is None:
        kind = "lower-bound"
    else:
        kind = "range"
    best = sum(q.best for q in parts) if all(q.best is not None for q in parts) else None
    text = " + ".join(q.text for q in parts)
    return Quantity(text=text, low=low, high=high, kind=kind, best=best)


def _derive_totals(by_key: dict[tuple, list[Figure]], part_groups, shown, grades) -> list[Finding]:
    """One source's group figures in one document, summed into that source's total."""
    findings = []
    for (event, metric, said_by, doc_id), parts in part_groups:
        total = _sum_parts([f.value for f, _ in parts])
        as_of = max((f.as_of for f, _ in parts if f.as_of is not None), default=None)
        first = parts[0][0]
        figure = Figure(
            claim_id=None, said_by=said_by, via=first.via, outlet=first.outlet, value=total, published=first.published,
            as_of=as_of, document_id=doc_id, derived=True, parts=tuple(f.claim_id for f, _ in parts),
            part_labels=tuple(f"{f.value.text} {group}" for f, group in parts),
            # A sum is only as credible as its least credible part.
            grade=grade_label(grades.get(said_by), max((f.credibility or 6) for f, _ in parts)),
        )
        key = (event, metric, None)
        stated = [f for f in by_key.get(key, ()) if f.said_by == said_by and f.document_id == doc_id and not f.derived]
        if stated:
            # The source gave its own total too: the parts must add up to it.
            for own in stated:
                if own.value.overlaps(total):
                    continue
                findings.append(Finding(
                    quantity=QuantityKey(*key), verdict="contradiction",
                    reason=(f"{shown(said_by)}'s stated total {_quoted(own.value)} does not match the sum of its parts "
                            f"{_derived_label(figure)}"),
                    figures=(own, figure), envelope=_envelope([own, figure]), consensus=None,
                    gap=_gap(own.value, total),
                ))
        else:
            by_key.setdefault(key, []).append(figure)
    return findings


# -- comparing ---------------------------------------------------------------------


def _rep(q: Quantity) -> float:
    if q.best is not None:
        return q.best
    if q.high is None:
        return q.low
    return (q.low + q.high) / 2


def _gap(a: Quantity, b: Quantity) -> float:
    """How far apart two figures are, relative to their size (0 = same)."""
    if not a.overlaps(b):
        lower, upper = (a, b) if a.low < b.low else (b, a)
        return (upper.low - lower.high) / max(upper.low, 1)
    ra, rb = _rep(a), _rep(b)
    return abs(ra - rb) / max(ra, rb, 1)


def _same(a: Quantity, b: Quantity) -> bool:
    return (a.low, a.high) == (b.low, b.high)


def _envelope(figures: Sequence[Figure]) -> tuple[int, int | None]:
    low = min(f.value.low for f in figures)
    high = None if any(f.value.high is None for f in figures) else max(f.value.high for f in figures)
    return (low, high)


def _quoted(q: Quantity) -> str:
    label = q.interval_label()
    return f'"{q.text}"' if q.text == label else f'"{q.text}" ({label})'


def _derived_label(f: Figure) -> str:
    return f"{f.value.interval_label()} (= {' + '.join(f.part_labels)})"


def _ordered(a: Figure, b: Figure) -> tuple[Figure, Figure] | None:
    if a.as_of and b.as_of and a.as_of != b.as_of:
        return (a, b) if a.as_of < b.as_of else (b, a)
    return None


def _classify(a: Figure, b: Figure, cumulative: bool) -> tuple[str, float]:
    """The verdict on one pair of figures, and its gap."""
    order = _ordered(a, b) if cumulative else None
    if order is not None:
        earlier, later = order
        # A cumulative count cannot fall: the later figure must allow at least the earlier's minimum.
        if later.value.high is not None and later.value.high < earlier.value.low:
            return "contradiction", _gap(earlier.value, later.value)
        if later.value.low < earlier.value.low and earlier.value.kind == "exact":
            return "divergence", _gap(earlier.value, later.value)
    elif not a.value.overlaps(b.value):
        return "contradiction", _gap(a.value, b.value)
    if _same(a.value, b.value):
        return "agreement", 0.0
    return "divergence", _gap(a.value, b.value)


def _worst_pair_pairwise(figures: Sequence[Figure], cumulative: bool) -> tuple[str, float, int, int] | None:
    """Every pair from different sources through ``_classify``: the first worst one (the definition)."""
    worst: tuple[int, float, int, int] | None = None
    for i, a in enumerate(figures):
        for j in range(i + 1, len(figures)):
            b = figures[j]
            if a.said_by == b.said_by:
                continue
            verdict, gap = _classify(a, b, cumulative)
            candidate = (_RANK[verdict], -gap, i, j)
            if worst is None or candidate[:2] < worst[:2]:
                worst = candidate
    return None if worst is None else (VERDICTS[worst[0]], -worst[1], worst[2], worst[3])


# Up to this many figures, comparing every pair is quicker than sorting.
_FEW = 3


def _worst_pair(figures: Sequence[Figure], cumulative: bool, values=None, lows=None, highs=None,
                ) -> tuple[str, float, int, int] | None:
    """The same answer as ``_worst_pair_pairwise``: verdict, gap and positions i < j of the worst pair.

    Of the pairs from different sources, the worst is the one with the worst
    verdict, then the biggest gap, then the first in list order. A pair is a
    contradiction when one figure's low U exceeds the other's high L, unless
    both are dated cumulative counts and the higher is the later one (growth).
    Its gap (U − L) / U grows with U, so each figure's worst contradiction is
    with the highest low it may be compared with from another source: a sweep
    in date order keeps the two highest lows of different sources. Only the
    figures that reach the worst gap are then paired up to find the first pair.
    Without contradictions, divergences and agreements are compared pairwise.
    """
    k = len(figures)
    if k <= _FEW:
        return _worst_pair_pairwise(figures, cumulative)
    if values is None:
        values = [f.value for f in figures]
        lows = [q.low for q in values]
        highs = [q.high for q in values]
    if min(lows) < 0:
        return _worst_pair_pairwise(figures, cumulative)  # not counts: the sweep's arithmetic does not hold
    sources = [f.said_by for f in figures]
    dates: list = [f.as_of for f in figures] if cumulative else []
    if cumulative and None not in dates:
        order = sorted(range(k), key=dates.__getitem__)
        if dates[order[0]] == dates[order[-1]]:
            dates = []  # one date: no pair is ordered in time
    elif cumulative:
        order = sorted((i for i in range(k) if dates[i] is not None), key=dates.__getitem__)
        if not order or dates[order[0]] == dates[order[-1]]:
            dates = []
    if not dates:
        dates, order = [None] * k, []

    # The highest low each figure may be compared with, from another source. An
    # undated figure meets every other; a dated one the undated and those up to its date.
    # (top, its source, top of any other source), over the figures seen so far:
    top, top_source, second = -1, None, -1
    upper = [-1] * k

    def admit(i: int) -> None:
        nonlocal top, top_source, second
        low, source = lows[i], sources[i]
        if low > top:
            if source != top_source:
                second = top
            top, top_source = low, source
        elif source != top_source and low > second:
            second = low

    if len(order) < k:
        for i in range(k):
            if dates[i] is None:
                admit(i)
    if order:
        day, waiting = dates[order[0]], []
        for i in order:
            if dates[i] != day:  # every figure up to the day before is in: settle that day's
                for w in waiting:
                    upper[w] = top if sources[w] != top_source else second
                day, waiting = dates[i], []
            waiting.append(i)
            admit(i)
        for w in waiting:
            upper[w] = top if sources[w] != top_source else second
    if len(order) < k:
        for i in range(k):
            if dates[i] is None:
                upper[i] = top if sources[i] != top_source else second

    worst_gap = -1.0
    lower: list[int] = []
    for i in range(k):
        high, up = highs[i], upper[i]
        if high is not None and high < lows[i]:
            return _worst_pair_pairwise(figures, cumulative)  # an empty interval: not a count either
        if high is not None and up > high:
            gap = (up - high) / max(up, 1)
            if gap > worst_gap:
                worst_gap, lower = gap, [i]
            elif gap == worst_gap:
                lower.append(i)
    if not lower:
        return _worst_compatible_pair(values, lows, highs, sources)
    pair = None
    for i in lower:
        high, source, day = highs[i], sources[i], dates[i]
        for j in range(k):
            low = lows[j]
            if low <= high or sources[j] == source:
                continue
            if day is not None and dates[j] is not None and day < dates[j]:
                continue  # the higher figure is the later one: growth, not a contradiction
            if (low - high) / max(low, 1) == worst_gap:
                candidate = (i, j) if i < j else (j, i)
                if pair is None or candidate < pair:
                    pair = candidate
    return ("contradiction", worst_gap, *pair)


def _worst_compatible_pair(values, lows, highs, sources) -> tuple[str, float, int, int] | None:
    """``_worst_pair`` when no pair contradicts: the biggest divergence, else the first agreement."""
    reps = [_rep(q) for q in values]
    worst: tuple[float, int, int] | None = None
    agreement: tuple[int, int] | None = None
    k = len(values)
    for i in range(k):
        source, low, high, rep = sources[i], lows[i], highs[i], reps[i]
        for j in range(i + 1, k):
            if sources[j] == source:
                continue
            low_j, high_j = lows[j], highs[j]
            if low == low_j and high == high_j:
                if agreement is None:
                    agreement = (i, j)
                continue
            # No pair contradicts, so intervals that do not overlap are growth over time.
            if high is not None and low_j > high:
                gap = (low_j - high) / max(low_j, 1)
            elif high_j is not None and low > high_j:
                gap = (low - high_j) / max(low, 1)
            else:
                rep_j = reps[j]
                gap = abs(rep - rep_j) / max(rep, rep_j, 1)
            if worst is None or gap > worst[0]:
                worst = (gap, i, j)
    if worst is not None:
        return ("divergence", *worst)
    if agreement is not None:
        return ("agreement", 0.0, *agreement)
    return None


class _Reasons:
    def __init__(self, shown: dict[str, str]):
        self.shown = shown
        self._quoted: dict[int, tuple[Quantity, str]] = {}  # by id; the figure is kept, so the id stays its own
        self._when: dict[date, str] = {}

    def quoted(self, q: Quantity) -> str:
        found = self._quoted.get(id(q))
        if found is None or found[0] is not q:
            found = self._quoted[id(q)] = (q, _quoted(q))
        return found[1]

    def name(self, source: str) -> str:
        return self.shown.get(source, source)

    def who(self, f: Figure, with_outlet: bool) -> str:
        shown, said_by = self.shown, f.said_by
        text = shown.get(said_by, said_by)
        if f.via:
            relays = [shown.get(h, h) for h in f.via if h != said_by]
            if relays:
                text += f" via {', '.join(relays)}"
        if with_outlet and f.outlet and f.outlet != said_by and f.outlet not in f.via:
            text += f" in {self.name(f.outlet)}"
        return text

    def figure(self, f: Figure, with_outlet: bool = False) -> str:
        who = self.who(f, with_outlet)
        if f.derived:
            return f"{who} total {_derived_label(f)}"
        text = f"{_possessive(who)} {self.quoted(f.value)}"
        if f.corrected_from:
            text += f" (corrected from {self.quoted(f.corrected_from[-1])})"
        return text

    def when(self, f: Figure) -> str:
        if not f.as_of:
            return ""
        found = self._when.get(f.as_of)
        if found is None:
            found = self._when[f.as_of] = f" as of {f.as_of.isoformat()}"
        return found

    def pair(self, verdict: str, a: Figure, b: Figure, cumulative: bool) -> str:
        # Name the publishing outlet only when it tells the two figures apart.
        outlets = a.outlet != b.outlet
        fa, fb = self.figure(a, outlets), self.figure(b, outlets)
        order = _ordered(a, b) if cumulative else None
        if order is not None and verdict != "agreement":
            earlier, later = order
            fe, fl = (fa, fb) if earlier is a else (fb, fa)
            if verdict == "contradiction":
                return f"{fl}{self.when(later)} is below {fe}{self.when(earlier)}; a cumulative count cannot fall"
            if later.value.low < earlier.value.low:
                return f"{fl}{self.when(later)} sits below the earlier firm {fe}{self.when(earlier)}; a cumulative count cannot fall"
            return f"{fl}{self.when(later)} differs from the earlier {fe}{self.when(earlier)}"
        if verdict == "contradiction":
            return f"{fa} and {fb} cannot both be true: the intervals do not overlap"
        if verdict == "agreement":
            return f"{fa} and {fb} give the same figure"
        # Divergence: say which interval sits inside which when one does.
        if b.value.contains(a.value):
            return f"{fa} lies within {fb}, but the figures differ"
        if a.value.contains(b.value):
            return f"{fb} lies within {fa}, but the figures differ"
        return f"{fa} and {fb} overlap but differ"


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


# Above this many figures for one quantity, compare each source's latest figure
# only: the latest figures decide the verdict.
PAIRWISE_LIMIT = 200


def _latest_per_source(figures: Sequence[Figure]) -> list[Figure]:
    latest: dict[str, Figure] = {}
    for f in figures:
        current = latest.get(f.said_by)
        if current is None or (f.as_of or date.min) >= (current.as_of or date.min):
            latest[f.said_by] = f
    return list(latest.values())


def _revision_order(f: Figure) -> tuple:
    return (f.as_of or date.min, f.claim_id or 0)


def _judge(key: QuantityKey, figures: list[Figure], reasons: _Reasons) -> list[Finding]:
    """Findings for one quantity's figures, given in claim id order (derived totals last, by their parts)."""
    cumulative = key.metric not in STOCK_METRICS
    findings = []
    sources = {f.said_by for f in figures}
    if len(sources) < len(figures):
        by_source: dict[str, list[Figure]] = {}
        for f in figures:
            by_source.setdefault(f.said_by, []).append(f)
        for source, own in by_source.items():
            if len(own) < 2:
                continue
            own = sorted(own, key=_revision_order)
            changes = [(a, b) for a, b in zip(own, own[1:]) if not _same(a.value, b.value)]
            if changes:
                steps = "; ".join(
                    f"{_quoted(a.value)}{reasons.when(a)} → {_quoted(b.value)}{reasons.when(b)}" for a, b in changes
                )
                findings.append(Finding(
                    quantity=key, verdict="revision", reason=f"{reasons.name(source)} changed its figure: {steps}",
                    figures=tuple(own), envelope=_envelope(own), consensus=None,
                    gap=max(_gap(a.value, b.value) for a, b in changes),
                ))
    if len(sources) < 2:
        return findings
    values = [f.value for f in figures]
    lows = [q.low for q in values]
    highs = [q.high for q in values]
    if len(figures) <= PAIRWISE_LIMIT:
        compared = figures
        verdict, gap, i, j = _worst_pair(figures, cumulative, values, lows, highs)
    else:
        compared = _latest_per_source(figures)
        verdict, gap, i, j = _worst_pair(compared, cumulative)
    # The envelope spans every figure; the consensus is what they all allow, if anything.
    unbounded = None in highs
    envelope = (min(lows), None if unbounded else max(highs))
    consensus = None
    if verdict != "contradiction":
        low = max(lows)
        finite = [h for h in highs if h is not None] if unbounded else highs
        high = min(finite) if finite else None
        consensus = None if high is not None and high < low else (low, high)
    findings.append(Finding(
        quantity=key, verdict=verdict, reason=reasons.pair(verdict, compared[i], compared[j], cumulative),
        figures=tuple(figures), envelope=envelope, consensus=consensus, gap=gap,
    ))
    return findings


def finding_order(f: Finding) -> tuple:
    """Worst first: verdict, then the biggest gap, then the quantity."""
    return (_RANK[f.verdict], -f.gap, f.quantity.event, f.quantity.metric, f.quantity.group or "")


def reconcile(claims: Iterable[Claim], sources: Sequence[Source] = (), include_agreement: bool = False) -> Report:
    """Group claims into quantities and judge every quantity with more than one figure.

    ``claims`` is read once and may be an iterator: only a compact figure per
    live claim is kept, so the claims themselves need not all be in memory.
    """
    return reconcile_rows(claim_rows(claims), sources, include_agreement)


def reconcile_rows(rows: Iterable[tuple], sources: Sequence[Source] = (), include_agreement: bool = False,
                   names: Names | Callable[[], Names | None] | None = None) -> Report:
    """``reconcile`` for live claims given as ``ClaimRow`` tuples, as the storage layer streams them."""
    return Reconciler(rows, sources, names).report(include_agreement)


def share_of(event: str, shares: int) -> int:
    """Which of ``shares`` shares a canonical event's quantities fall in (the same in every process)."""
    return zlib.crc32(event.encode("utf-8", "surrogatepass")) % shares


class Reconciler:
    """The claims read once and their names resolved: ``report`` judges the quantities.

    ``names`` may give the names already resolved, or a function that returns
    them once the rows are read (they can be resolved elsewhere meanwhile);
    they are used only if resolved from exactly the names on these rows.
    ``report(share=i, shares=n)`` judges only the events in share i of n, so
    that n processes can each judge a share; the events of different shares
    never tie in the findings' order, so the shares' findings merge by it.
    """

    def __init__(self, rows: Iterable[tuple], sources: Sequence[Source] = (),
                 names: Names | Callable[[], Names | None] | None = None):
        self.sources = list(sources)
        self._grades = {s.name: s.grade for s in self.sources}
        self._intake = _Intake(self._grades)
        self._intake.add(rows)
        self.claims = self._intake.claims
        self.names: Names | None = None
        if self.claims:
            counts = self._intake.name_counts()
            if callable(names):
                names = names()
            if names is None or names.counts != counts:
                names = resolve_names(*counts, self.sources)
            self.names = names

    def report(self, include_agreement: bool = False, share: int = 0, shares: int = 1) -> Report:
        report = Report(claims=self.claims)
        if not self.claims:
            return report
        events, groups = self.names.events, self.names.groups
        report.possible_matches = list(self.names.possible_matches)
        report.event_names = events
        reasons = _Reasons(display_names(self.sources))
        if shares > 1:
            mine = {e for e in set(events.values()) if share_of(e, shares) == share}
            events = {name: canonical for name, canonical in events.items() if canonical in mine}

        by_key = self._intake.quantities(events, groups)
        findings = _derive_totals(by_key, self._intake.part_groups(events, groups), reasons.name, self._grades)
        for key, figures in by_key.items():
            # Stock figures for different dates describe different moments: judge each date apart.
            if key[1] in STOCK_METRICS and len(figures) > 1:
                by_date: dict[date | None, list[Figure]] = {}
                for f in figures:
                    by_date.setdefault(f.as_of, []).append(f)
                batches = list(by_date.values())
            else:
                batches = [figures]
            report.quantities += len(batches)
            for batch in batches:
                if len(batch) > 1:
                    findings.extend(_judge(QuantityKey(*key), batch, reasons))
        if not include_agreement:
            findings = [f for f in findings if f.verdict != "agreement"]
        findings.sort(key=finding_order)
        report.findings = findings
        return report
