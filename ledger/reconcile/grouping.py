"""Which claims are about the same quantity: metric synonyms, name resolution, and the intake.

The intake reads claim rows once into figures grouped by the names as written;
once the names are resolved it merges those groups into quantities.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from ledger.model import Claim, Source, grade_label
from ledger.figures import ALL_MEANS_NONE_REMAINING, Quantity, means_all
from ledger.names.rulings import NO_RULINGS, Rulings, apply_rulings, kept_apart, ruling_key
from ledger.reconcile.records import Figure, NameNote

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


# -- names -----------------------------------------------------------------------


def canonical_metric(metric: str) -> str:
    key = " ".join(metric.casefold().replace("_", " ").split())
    return METRIC_SYNONYMS.get(key, key)


@dataclass(frozen=True)
class Names:
    """Every event, group and place name as written → its canonical name, with the near misses worth a look."""

    events: dict[str, str]
    groups: dict[str, str]
    possible_matches: list[NameNote]
    counts: tuple[dict[str, int], ...]  # claims per event, group and place name, as written
    places: dict[str, str] = field(default_factory=dict)
    rulings: Rulings = NO_RULINGS
    # per kind (events, groups, places), each name clustered by its match key → (key, canonical before rulings):
    # what ``recounted`` needs to reuse these names after counts change; derived, so not compared
    keys: tuple[dict[str, tuple[str, str]], ...] = field(default=(), compare=False)
    # (per kind each name's first near miss, the acronyms only listed, the synonym pairs): possible_matches before
    # the rulings settle them, which ``recounted`` rebuilds when counts move a near miss; derived, not compared
    raw_notes: tuple = field(default=(), compare=False)


def resolve_names(events: Mapping[str, int], groups: Mapping[str, int], sources: Sequence[Source],
                  rulings: Rulings = NO_RULINGS, places: Mapping[str, int] | None = None, with_notes: bool = True) -> Names:
    """Canonical event, group and place names, from each distinct name and how many claims use it.

    The matcher proposes; the researcher's ``rulings`` (``ledger event merge``, ``split``…) decide.
    Without ``with_notes``, the near misses worth a look (``Names.possible_matches``) are not sought: the
    canonical names are the same.
    """
    from ledger.names import cluster
    from ledger.names.acronyms import acronym_links
    from ledger.names.synonyms import same_but_for_synonyms

    aliases = {alias: s.name for s in sources for alias in s.aliases}
    source_names = [s.name for s in sources]
    # "SDF" as a group meets "Syrian Democratic Forces" as a group, source alias or not.
    joins, possible_acronyms = acronym_links(groups)
    joins = {short: full for short, full in joins.items() if short not in aliases}
    # The counts let the commonest spelling name its cluster.
    keys: tuple[dict[str, tuple[str, str]], ...] = ({}, {}, {})
    resolved_events = cluster(Counter(events), canonical_only=not with_notes, grouped=keys[0])
    resolved_groups = cluster(Counter(groups), aliases={**aliases, **joins}, known=[*source_names, *sorted(set(joins.values()))],
                              canonical_only=not with_notes, grouped=keys[1])
    resolved_places = cluster(Counter(places or {}), canonical_only=not with_notes, grouped=keys[2])
    canonical = {
        kind: apply_rulings(kind, {n: r.canonical or n for n, r in resolved.items()}, counts or {}, rulings)
        for kind, resolved, counts in (("event", resolved_events, events), ("group", resolved_groups, groups),
                                       ("place", resolved_places, places))
    }
    if not with_notes:
        return Names(canonical["event"], canonical["group"], [], (dict(events), dict(groups), dict(places or {})),
                     places=canonical["place"], rulings=rulings)
    # each name's first near miss, per kind: the notes the counts can move (``recounted`` moves them)
    near = tuple({name: (r.candidates[0].name, r.candidates[0].score) for name, r in resolved.items()
                  if r.status == "possible" and r.candidates}
                 for resolved in (resolved_events, resolved_groups, resolved_places))
    synonyms = [list(pair) for pair in same_but_for_synonyms(sorted(set(canonical["event"].values())))]
    raw = (near, [list(pair) for pair in possible_acronyms], synonyms)
    return Names(canonical["event"], canonical["group"], _notes(raw, canonical, rulings),
                 (dict(events), dict(groups), dict(places or {})), places=canonical["place"], rulings=rulings,
                 keys=keys, raw_notes=raw)


def _notes(raw, canonical: Mapping[str, Mapping[str, str]], rulings: Rulings) -> list[NameNote]:
    """The possible matches worth a look, from the near misses, acronyms and synonyms ``resolve_names`` found."""
    near, acronyms, synonyms = raw
    notes = [NameNote(kind, name, *near[i][name]) for i, kind in enumerate(("event", "group", "place"))
             for name in sorted(near[i])]
    noted = {(n.name, n.candidate) for n in notes}
    notes += [NameNote("group", short, full, 100.0) for short, full in acronyms if (short, full) not in noted]
    notes += [NameNote("event", first, second, 100.0) for first, second in synonyms]
    return _open_questions(notes, canonical, rulings)


def recounted(names: Names, events: Mapping[str, int], groups: Mapping[str, int], places: Mapping[str, int]) -> Names | None:
    """``names`` with these counts, when ``resolve_names`` would resolve every name as before (the same names
    used, only how often changed: ``names.recount.note_changes``), its notes' near misses moved where the counts
    move them; else None, and they must be resolved again.

    Names resolved without notes (``with_notes=False``) are not reused: their possible matches were never sought.
    """
    from dataclasses import replace

    from ledger.names.recount import note_changes

    if len(names.keys) != 3 or len(names.raw_notes) != 3:
        return None
    near = [dict(kind) for kind in names.raw_notes[0]]
    moved = False
    for i, (kind, old, new, keys) in enumerate(zip(("event", "group", "place"), names.counts, (events, groups, places),
                                                   names.keys)):
        if old == new:
            continue
        # a cluster cut by a ruling is cut commonest name first (rulings._cut_clusters)
        if any(r.kind == kind and r.rule in ("apart", "date", "place") for r in names.rulings.items):
            return None
        changes = note_changes(old, new, keys)
        if changes is None or (changes and kind == "group"):  # groups meet known names: not moved exactly
            return None
        for name, note in changes.items():
            moved = True
            if note is None:
                near[i].pop(name, None)
            else:
                near[i][name] = note
    counts = (dict(events), dict(groups), dict(places))
    if not moved:
        return replace(names, counts=counts)
    raw = (tuple(near), *names.raw_notes[1:])
    canonical = {"event": names.events, "group": names.groups, "place": names.places}
    return replace(names, counts=counts, possible_matches=_notes(raw, canonical, names.rulings), raw_notes=raw)


def _open_questions(notes: list[NameNote], canonical: Mapping[str, Mapping[str, str]], rulings: Rulings) -> list[NameNote]:
    """The possible matches nobody has settled: not joined since, not ruled apart; one per pair of names."""
    kept, seen = [], set()
    apart = {kind: kept_apart(kind, rulings) for kind in canonical}  # built once: it folds every ruling
    for note in notes:
        names = canonical[note.kind]
        first, second = names.get(note.name, note.name), names.get(note.candidate, note.candidate)
        pair = (note.kind, *sorted((first, second)))
        if first == second or pair in seen or apart[note.kind](first, second):
            continue
        seen.add(pair)
        kept.append(NameNote(note.kind, first, second, note.score))
    return kept


def event_places(names: Names, located: Iterable[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """Each location as written → its place, spelling resolved; and each canonical event → its own place:
    ruled (``ledger event edit --place``), else the one place its located claims share.

    ``located``: the (event, location) pairs of the live claims, as written.
    """
    where: dict[str, str] = {}
    seen: dict[str, set[str]] = {}
    for event, place in located:
        where[place] = resolved = where.get(place) or names.places.get(place, place)
        if event in names.events:
            seen.setdefault(names.events[event], set()).add(resolved)
    found = {event: next(iter(places)) for event, places in seen.items() if len(places) == 1}
    for ruling in names.rulings.of("event", "place"):
        event = names.events.get(ruling.name) or next(
            (c for w, c in names.events.items() if ruling_key(w) == ruling_key(ruling.name)), None)
        if event is not None:
            place = next((c for w, c in names.places.items() if ruling_key(w) == ruling_key(ruling.other)), ruling.other)
            found[event] = place
    return where, found


def counted_place(names: Names, places: Mapping[str, str], own_place: Mapping[str, str], event: str,
                  location: str | None) -> str | None:
    """Where a figure of ``event`` (canonical) counts: its location resolved (``places``, from
    ``event_places``), or None where that is the event's own place and the figure counts for the whole event."""
    if not location:
        return None
    where = places.get(location) or names.places.get(location, location)  # a retracted claim's place is not in places
    return None if where == own_place.get(event) else where


class QuantityKeys:
    """A claim's quantity as the reconciler files it, from the ledger's names alone: how many live claims use
    each name, and which events and places they pair. No claim needs reading, so a listing of ten claims
    resolves them as the report over all of them would."""

    def __init__(self, names: Names, located: Iterable[tuple[str, str]]):
        self.names = names
        self._places, self._own_place = event_places(names, located)
        self._others: dict[str, str] = {}  # names only retracted claims use → their event
        self._index = None

    @classmethod
    def of(cls, counts: tuple[Mapping[str, int], Mapping[str, int], Mapping[str, int]], sources: Sequence[Source],
           rulings: Rulings, located: Iterable[tuple[str, str]]) -> QuantityKeys:
        events, groups, places = counts
        # a claim is filed by canonical names alone: the near misses are the report's and `event list`'s
        return cls(resolve_names(events, groups, sources, rulings, places, with_notes=False), located)

    def event(self, written: str) -> str:
        """The event a name as written is filed under. A name only retracted claims use is not among the
        live ones the names were resolved from: it is matched against them as a new spelling would be."""
        found = self.names.events.get(written)
        if found is None:
            found = self._others.get(written)
        if found is None:
            if self._index is None:
                from ledger.names import NameIndex

                self._index = NameIndex(sorted(set(self.names.events.values())), {})
            found = self._others[written] = self._index.resolve(written).canonical or written
        return found

    def __call__(self, claim: Claim) -> tuple[str, str, str | None, str | None]:
        names = self.names
        event = self.event(claim.event)
        group = names.groups.get(claim.group, claim.group) if claim.group else None
        place = counted_place(names, self._places, self._own_place, event, claim.location)
        return (event, canonical_metric(claim.metric), group, place)


def name_index(claims: Sequence[Claim], sources: Sequence[Source], rulings: Rulings = NO_RULINGS):
    """A NameIndex that resolves a name the way the reconciler does.

    Its canonical names are the reconciler's clusters and the sources; every
    spelling seen on a claim is an alias of its cluster, so a new variant is
    matched against the cluster as a whole rather than tied between members.
    """
    from ledger.names import NameIndex

    names = resolve_names(Counter(c.event for c in claims), Counter(c.group for c in claims if c.group), sources, rulings)
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
        self._where: tuple | None = None  # (names, places, event places): worked out once per report

    def add(self, rows: Iterable[tuple]) -> None:
        stated, labels, grades, new = self.stated, self._labels, self._grades, tuple.__new__
        n, last, in_order = 0, self._last_id, self.in_order
        for row in rows:
            cid, event, metric, group, value, said_by, via, doc_id, outlet, published, as_of, credibility, corrections, *later = row
            n += 1
            if in_order:
                in_order = last is None or cid > last
                last = cid
            grade = labels.get((said_by, credibility))
            if grade is None:
                grade = labels[(said_by, credibility)] = grade_label(grades.get(said_by), credibility)
            figure = new(Figure, (
                cid, said_by, via, outlet, value, published, as_of, doc_id, False, (), (), corrections, grade, credibility,
                *(later[:2] or (None, False)),
            ))
            key = (event, metric, group, later[2] if len(later) > 2 else None)
            figures = stated.get(key)
            if figures is None:
                stated[key] = figures = []
            figures.append(figure)
            if value.kind == "vague":
                self._remainder(key, figure)
        self.claims += n
        self.in_order, self._last_id = in_order, last

    def _remainder(self, key: tuple, figure: Figure) -> None:
        event, metric, group, place = key
        metric = self.metric(metric)
        if means_all(figure.value) and metric in ALL_MEANS_NONE_REMAINING:
            # "All were arrested" says nobody remains: judge it as a remainder of zero.
            text = f"none (\"{figure.value.text}\" {metric})"
            remainder = Quantity(text=text, low=0, high=0, kind="exact", best=0)
            self.remainders.setdefault((event, ALL_MEANS_NONE_REMAINING[metric], group, place), []).append(
                figure._replace(value=remainder))

    def metric(self, metric: str) -> str:
        found = self.metrics.get(metric)
        if found is None:
            found = self.metrics[metric] = canonical_metric(metric)
        return found

    def name_counts(self) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        """Claims per event, group and place name, as written."""
        events: Counter = Counter()
        groups: Counter = Counter()
        places: Counter = Counter()
        for (event, _, group, place), figures in self.stated.items():
            events[event] += len(figures)
            if group:
                groups[group] += len(figures)
            if place:
                places[place] += len(figures)
        return dict(events), dict(groups), dict(places)

    def _places_of(self, names: Names) -> tuple[dict[str, str], dict[str, str]]:
        """``event_places`` of the intake's located claims, worked out once per ``names``."""
        if self._where is not None and self._where[0] is names:
            return self._where[1], self._where[2]
        where, found = event_places(names, ((event, place) for (event, _, _, place) in self.stated if place))
        self._where = (names, where, found)
        return where, found

    def counted_place(self, names: Names, event: str, place: str | None) -> str | None:
        """``counted_place`` with the places of the intake's claims."""
        return counted_place(names, *self._places_of(names), event, place) if place else None

    def quantities(self, names: Names, events: Mapping[str, str] | None = None) -> dict[tuple, list[Figure]]:
        """Figures per quantity (event, metric, group, place), each list in claim id order.

        ``events`` (default: every name's) maps the event names to keep; others are left out. A place
        is part of the quantity unless it is the event's own place (``counted_place``).
        """
        events = names.events if events is None else events
        groups, counted_place = names.groups, self.counted_place
        by_key: dict[tuple, list[Figure]] = {}
        merged = set() if self.in_order else None
        metrics = self.metrics
        for (event, metric, group, place) in self.stated:  # every metric's canonical form, once
            if metric not in metrics:
                self.metric(metric)
        for table, canonical in ((self.stated, metrics), (self.remainders, None)):
            for (event, metric, group, place), figures in table.items():
                if event not in events:
                    continue
                event = events[event]
                key = (event, canonical[metric] if canonical else metric, groups[group] if group else None,
                       counted_place(names, event, place))
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

    def located_keys(self, names: Names) -> set[tuple]:
        """(event, metric, None, place) for every quantity counted apart by its place, without gathering figures."""
        keys = set()
        for (event, metric, _, place) in self.stated:
            if place and event in names.events:
                event = names.events[event]
                if (where := self.counted_place(names, event, place)) is not None:
                    keys.add((event, self.metric(metric), None, where))
        return keys

    def part_groups(self, names: Names, events: Mapping[str, str] | None = None) -> list[tuple[tuple, list]]:
        """One source's group figures per (event, metric, place, source, document), in order of first claim id."""
        events = names.events if events is None else events
        groups, within = names.groups, names.rulings.within("group")
        merged: dict[tuple, list[tuple[Figure, str]]] = {}
        for (event, metric, group, place), figures in self.stated.items():
            if not group or event not in events:
                continue
            event, metric = events[event], self.metric(metric)
            where = self.counted_place(names, event, place)
            for f in figures:
                doc_id = f.document_id
                if doc_id is not None:
                    key = (event, metric, where, f.said_by, doc_id)
                    found = merged.get(key)
                    if found is None:
                        merged[key] = [(f, group)]
                    else:
                        found.append((f, group))
        from ledger.reconcile.sums import disjoint_parts

        out = []
        for key, items in merged.items():
            if len(items) < 2 or len({groups[g] for _, g in items}) < 2:
                continue
            items.sort(key=lambda item: item[0].claim_id)
            parts = disjoint_parts(items, groups, within)
            if parts:
                out.append((key, parts))
        out.sort(key=lambda entry: entry[1][0][0].claim_id)
        return out
