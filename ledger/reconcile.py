"""The reconciler: which claims are about the same quantity, and where they disagree.

``reconcile(claims, sources)`` is a pure function of the claims: no database,
no I/O. It runs in one pass over the claims plus one name resolution per
distinct name, so it scales to a million claims. The rules, in words a
journalist can follow, are in ``docs/reconciliation.md``:

1. Same quantity: event, metric and group match after name resolution.
2. Sum of parts: one source's group figures in one document add up to a total.
3. Time: cumulative counts cannot fall as the period grows; stock figures
   (held, at large) are compared only at the same date.
4. Verdicts: contradiction, divergence, revision, agreement, each with a reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ledger.model import Claim, Source, grade_label
from ledger.quantity import ALL_MEANS_NONE_REMAINING, Quantity, means_all

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


@dataclass(frozen=True)
class QuantityKey:
    event: str
    metric: str
    group: str | None  # None: the total

    def label(self) -> str:
        return f"{self.event} / {self.metric} / {self.group or 'total'}"


@dataclass(frozen=True)
class Figure:
    """A claim as the reconciler sees it: a stated claim, or a total derived from parts."""

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


@dataclass(frozen=True)
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


def _resolve_names(claims: Sequence[Claim], sources: Sequence[Source], report: Report):
    from ledger.resolve import cluster

    aliases = {alias: s.name for s in sources for alias in s.aliases}
    source_names = [s.name for s in sources]
    # Every occurrence is passed so that the commonest spelling names its cluster.
    events = cluster([c.event for c in claims])
    groups = cluster([c.group for c in claims if c.group], aliases=aliases, known=source_names)
    for kind, resolved in (("event", events), ("group", groups)):
        for name, resolution in sorted(resolved.items()):
            if resolution.status == "possible" and resolution.candidates:
                best = resolution.candidates[0]
                report.possible_matches.append(NameNote(kind, name, best.name, best.score))
    return ({n: r.canonical or n for n, r in events.items()}, {n: r.canonical or n for n, r in groups.items()})


def name_index(claims: Sequence[Claim], sources: Sequence[Source]):
    """A NameIndex that resolves a name the way the reconciler does.

    Its canonical names are the reconciler's clusters and the sources; every
    spelling seen on a claim is an alias of its cluster, so a new variant is
    matched against the cluster as a whole rather than tied between members.
    """
    from ledger.resolve import NameIndex

    report = Report()
    events, groups = _resolve_names(claims, sources, report)
    aliases = {alias: s.name for s in sources for alias in s.aliases}
    for seen in (events, groups):
        aliases.update({name: canonical for name, canonical in seen.items() if name != canonical})
    canonical = set(events.values()) | set(groups.values()) | {s.name for s in sources}
    return NameIndex(sorted(canonical), aliases)


# -- figures -----------------------------------------------------------------------


def _as_of(claim: Claim) -> date | None:
    return claim.period.end if claim.period else claim.published


def _figure(claim: Claim, grades: dict[str, str | None], value: Quantity | None = None) -> Figure:
    return Figure(
        claim_id=claim.id, said_by=claim.said_by, via=claim.via, outlet=claim.outlet, value=value or claim.value,
        published=claim.published, as_of=_as_of(claim), document_id=claim.document_id,
        corrected_from=claim.corrections, grade=grade_label(grades.get(claim.said_by), claim.credibility),
    )


def _sum_parts(parts: Sequence[tuple[Claim, str]]) -> Quantity:
    low = sum(c.value.low for c, _ in parts)
    highs = [c.value.high for c, _ in parts]
    high = None if any(h is None for h in highs) else sum(highs)
    kinds = {c.value.kind for c, _ in parts}
    if kinds == {"exact"}:
        kind = "exact"
    elif high is None:
        kind = "lower-bound"
    else:
        kind = "range"
    best = sum(c.value.best for c, _ in parts) if all(c.value.best is not None for c, _ in parts) else None
    text = " + ".join(c.value.text for c, _ in parts)
    return Quantity(text=text, low=low, high=high, kind=kind, best=best)


def _derive_totals(by_key: dict[QuantityKey, list[Figure]], claims_by_part: dict, shown, grades) -> list[Finding]:
    """One source's group figures in one document, summed into that source's total."""
    findings = []
    for (event, metric, said_by, doc_id), parts in claims_by_part.items():
        groups = {g for _, g in parts}
        if len(groups) < 2:
            continue
        parts = sorted(parts, key=lambda p: p[0].id)
        total = _sum_parts(parts)
        as_of = max((d for d in (_as_of(c) for c, _ in parts) if d is not None), default=None)
        first = parts[0][0]
        figure = Figure(
            claim_id=None, said_by=said_by, via=first.via, outlet=first.outlet, value=total, published=first.published,
            as_of=as_of, document_id=doc_id, derived=True, parts=tuple(c.id for c, _ in parts),
            part_labels=tuple(f"{c.value.text} {c.group}" for c, _ in parts),
            # A sum is only as credible as its least credible part.
            grade=grade_label(grades.get(said_by), max((c.credibility or 6) for c, _ in parts)),
        )
        key = QuantityKey(event, metric, None)
        stated = [f for f in by_key.get(key, []) if f.said_by == said_by and f.document_id == doc_id and not f.derived]
        if stated:
            # The source gave its own total too: the parts must add up to it.
            for own in stated:
                if own.value.overlaps(total):
                    continue
                findings.append(Finding(
                    quantity=key, verdict="contradiction",
                    reason=(f"{shown(said_by)}'s stated total {_quoted(own.value)} does not match the sum of its parts "
                            f"{_derived_label(figure)}"),
                    figures=(own, figure), envelope=_envelope([own, figure]), consensus=None,
                    gap=_gap(own.value, total),
                ))
        else:
            by_key[key].append(figure)
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


def _consensus(figures: Sequence[Figure]) -> tuple[int, int | None] | None:
    low = max(f.value.low for f in figures)
    highs = [f.value.high for f in figures if f.value.high is not None]
    high = min(highs) if highs else None
    if high is not None and high < low:
        return None
    return (low, high)


def _quoted(q: Quantity) -> str:
    label = q.interval_label()
    return f'"{q.text}"' if q.text == label else f'"{q.text}" ({label})'


def _derived_label(f: Figure) -> str:
    return f"{f.value.interval_label()} (= {' + '.join(f.part_labels)})"


def _cumulative_clash(earlier: Figure, later: Figure) -> bool:
    """A cumulative count cannot fall: the later figure must allow at least the earlier's minimum."""
    return later.value.high is not None and later.value.high < earlier.value.low


def _ordered(a: Figure, b: Figure) -> tuple[Figure, Figure] | None:
    if a.as_of and b.as_of and a.as_of != b.as_of:
        return (a, b) if a.as_of < b.as_of else (b, a)
    return None


def _classify(a: Figure, b: Figure, cumulative: bool) -> tuple[str, float]:
    order = _ordered(a, b) if cumulative else None
    if order is not None:
        earlier, later = order
        if _cumulative_clash(earlier, later):
            return "contradiction", _gap(earlier.value, later.value)
        if later.value.low < earlier.value.low and earlier.value.kind == "exact":
            return "divergence", _gap(earlier.value, later.value)
    elif not a.value.overlaps(b.value):
        return "contradiction", _gap(a.value, b.value)
    if _same(a.value, b.value):
        return "agreement", 0.0
    return "divergence", _gap(a.value, b.value)


class _Reasons:
    def __init__(self, shown: dict[str, str]):
        self.shown = shown

    def name(self, source: str) -> str:
        return self.shown.get(source, source)

    def who(self, f: Figure, with_outlet: bool) -> str:
        relays = [self.name(h) for h in f.via if h != f.said_by]
        text = self.name(f.said_by) + (f" via {', '.join(relays)}" if relays else "")
        if with_outlet and f.outlet and f.outlet != f.said_by and f.outlet not in f.via:
            text += f" in {self.name(f.outlet)}"
        return text

    def figure(self, f: Figure, with_outlet: bool = False) -> str:
        who = self.who(f, with_outlet)
        if f.derived:
            return f"{who} total {_derived_label(f)}"
        text = f"{_possessive(who)} {_quoted(f.value)}"
        if f.corrected_from:
            text += f" (corrected from {_quoted(f.corrected_from[-1])})"
        return text

    def when(self, f: Figure) -> str:
        return f" as of {f.as_of.isoformat()}" if f.as_of else ""

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
# only: pairwise comparison is quadratic and the latest figures decide the verdict.
PAIRWISE_LIMIT = 200


def _latest_per_source(figures: Sequence[Figure]) -> list[Figure]:
    latest: dict[str, Figure] = {}
    for f in figures:
        current = latest.get(f.said_by)
        if current is None or (f.as_of or date.min) >= (current.as_of or date.min):
            latest[f.said_by] = f
    return list(latest.values())


def _figure_order(f: Figure) -> tuple:
    return (f.derived, f.claim_id or 0, f.parts)


def _judge(key: QuantityKey, figures: list[Figure], reasons: _Reasons) -> list[Finding]:
    cumulative = key.metric not in STOCK_METRICS
    figures = sorted(figures, key=_figure_order)
    findings = []
    by_source: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        by_source[f.said_by].append(f)
    for source, own in by_source.items():
        own = sorted(own, key=lambda f: (f.as_of or date.min, f.claim_id or 0))
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
    compared = figures if len(figures) <= PAIRWISE_LIMIT else _latest_per_source(figures)
    worst: tuple[int, float, Figure, Figure] | None = None
    for i, a in enumerate(compared):
        for b in compared[i + 1:]:
            if a.said_by == b.said_by:
                continue
            verdict, gap = _classify(a, b, cumulative)
            candidate = (_RANK[verdict], -gap, a, b)
            if worst is None or candidate[:2] < worst[:2]:
                worst = candidate
    if worst is not None:
        verdict = VERDICTS[worst[0]]
        consensus = _consensus(figures) if verdict != "contradiction" else None
        findings.append(Finding(
            quantity=key, verdict=verdict, reason=reasons.pair(verdict, worst[2], worst[3], cumulative),
            figures=tuple(figures), envelope=_envelope(figures), consensus=consensus, gap=-worst[1],
        ))
    return findings


def reconcile(claims: Sequence[Claim], sources: Sequence[Source] = (), include_agreement: bool = False) -> Report:
    """Group claims into quantities and judge every quantity with more than one figure."""
    live = [c for c in claims if not c.retracted]
    report = Report(claims=len(live))
    if not live:
        return report
    events, groups = _resolve_names(live, sources, report)
    report.event_names = events
    shown = display_names(sources)
    reasons = _Reasons(shown)
    grades = {s.name: s.grade for s in sources}

    by_key: dict[QuantityKey, list[Figure]] = defaultdict(list)
    parts: dict[tuple, list[tuple[Claim, str]]] = defaultdict(list)
    for claim in live:
        event = events[claim.event]
        metric = canonical_metric(claim.metric)
        group = groups[claim.group] if claim.group else None
        by_key[QuantityKey(event, metric, group)].append(_figure(claim, grades))
        if means_all(claim.value) and metric in ALL_MEANS_NONE_REMAINING:
            # "All were arrested" says nobody remains: judge it as a remainder of zero.
            remainder = Quantity(text=f"none (\"{claim.value.text}\" {metric})", low=0, high=0, kind="exact", best=0)
            by_key[QuantityKey(event, ALL_MEANS_NONE_REMAINING[metric], group)].append(_figure(claim, grades, remainder))
        if group is not None and claim.document_id is not None:
            parts[(event, metric, claim.said_by, claim.document_id)].append((claim, group))

    findings = _derive_totals(by_key, parts, reasons.name, grades)
    for key, figures in by_key.items():
        # Stock figures for different dates describe different moments: judge each date apart.
        if key.metric in STOCK_METRICS:
            by_date: dict[date | None, list[Figure]] = defaultdict(list)
            for f in figures:
                by_date[f.as_of].append(f)
            groups_to_judge = list(by_date.values())
        else:
            groups_to_judge = [figures]
        for batch in groups_to_judge:
            report.quantities += 1
            if len(batch) > 1:
                findings.extend(_judge(key, batch, reasons))
    if not include_agreement:
        findings = [f for f in findings if f.verdict != "agreement"]
    findings.sort(key=lambda f: (_RANK[f.verdict], -f.gap, f.quantity.event, f.quantity.metric, f.quantity.group or ""))
    report.findings = findings
    return report
