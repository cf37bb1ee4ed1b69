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
from functools import partial
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from ledger.model import Claim, Source
from ledger.names.rulings import NO_RULINGS, Rulings
from ledger.reconcile.grouping import STOCK_METRICS, Names, _Intake, resolve_names
from ledger.reconcile.judge import _envelope, _gap, _same, _worst_pair
from ledger.reconcile.containment import part_whole_findings, place_questions
from ledger.reconcile.reasons import _Reasons, display_names, part_of
from ledger.reconcile.records import _RANK, Figure, Finding, NameNote, QuantityKey, Report, claim_rows, later
from ledger.reconcile.sums import _derive_totals
from ledger.reconcile.voices import changes, own_statements, voices

# Above this many figures for one quantity, compare each source's latest figure
# only: the latest figures decide the verdict.
PAIRWISE_LIMIT = 200


def _latest_per_source(figures: Sequence[Figure]) -> list[Figure]:
    latest: dict[str, Figure] = {}
    for f in figures:
        current = latest.get(f.said_by)
        if current is None or _not_earlier(f, current):
            latest[f.said_by] = f
    return list(latest.values())


def _not_earlier(f: Figure, current: Figure) -> bool:
    """``f`` (recorded after ``current``) replaces it as the source's latest unless it holds earlier.

    Moments that cannot be ordered (a day against a time of that day) go by
    recording order, as every same-day pair did before times were kept.
    """
    if f.as_of is None or current.as_of is None:
        return (f.as_of or date.min) >= (current.as_of or date.min)
    return later(f, current) is not False


def _revision_order(f: Figure) -> tuple:
    # A time sorts on its UTC day; on one day, figures without a time keep their
    # recording order ahead of timed ones: their hour is unknown.
    if f.as_of_at is not None:
        return (f.as_of_at.date(), f.as_of_at.timestamp(), f.claim_id or 0)
    return (f.as_of or date.min, float("-inf"), f.claim_id or 0)


def _recording_order(a: Figure, b: Figure) -> str:
    """Said of a revision step when nothing in the claims orders its two figures (the same day and no time on
    either, or no date at all): the coder's recording order is then the only order."""
    if a.as_of != b.as_of or a.as_of_at is not None or b.as_of_at is not None:
        return ""
    return " (neither dated: in the order recorded)" if a.as_of is None else " (the same day, no time of day: in the order recorded)"


def _judge(key: QuantityKey, figures: list[Figure], reasons: _Reasons, voice_of: dict[str, str] | None = None) -> list[Finding]:
    """Findings for one quantity's figures, given in claim id order (derived totals last, by their parts).

    Each voice's figures first (``voices``): relay discrepancies, then its
    revisions, restatements aside; then the voices' latest figures against
    one another.
    """
    cumulative = key.metric not in STOCK_METRICS
    voice_of = voice_of or {}
    findings = []
    by_voice: dict[str, list[Figure]] = {}
    for f in figures:
        by_voice.setdefault(voice_of.get(f.said_by, f.said_by), []).append(f)
    if len(by_voice) == len(figures):
        current = figures  # one figure per voice: nothing withdrawn, nothing relayed twice
    else:
        current = []
        for voice, own in by_voice.items():
            if len(own) == 1:
                current.append(own[0])
                continue
            own = sorted(own, key=_revision_order)
            stated, misrelayed = own_statements(own)
            for relayed, direct in misrelayed:
                findings.append(Finding(
                    quantity=key, verdict="relay-discrepancy", reason=reasons.relay(relayed, direct),
                    figures=(direct, relayed), envelope=_envelope((direct, relayed)), consensus=None,
                    gap=_gap(direct.value, relayed.value),
                ))
            steps = changes(stated, _same)
            if steps:
                speakers = {f.said_by for f in stated}
                text = "; ".join(f"{reasons.step(a, len(speakers) > 1)} → {reasons.step(b, len(speakers) > 1)}"
                                 f"{_recording_order(a, b)}" for a, b in steps)
                findings.append(Finding(
                    quantity=key, verdict="revision", reason=f"{reasons.name(voice)} changed its figure: {text}",
                    figures=tuple(own), envelope=_envelope(stated), consensus=None,
                    gap=max(_gap(a.value, b.value) for a, b in steps),
                ))
            current.append(stated[-1])
        current.sort(key=lambda f: (f.derived, f.claim_id or 0))
    if len(by_voice) < 2:
        return findings
    values = [f.value for f in current]
    lows = [q.low for q in values]
    highs = [q.high for q in values]
    if len(current) <= PAIRWISE_LIMIT:
        compared = current
        verdict, gap, i, j = _worst_pair(current, cumulative, values, lows, highs)
    else:
        compared = _latest_per_source(current)
        verdict, gap, i, j = _worst_pair(compared, cumulative)
    # The envelope spans the figures compared; the consensus is what they all allow, if anything.
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
        figures=tuple(current), envelope=envelope, consensus=consensus, gap=gap,
    ))
    return findings


def finding_order(f: Finding) -> tuple:
    """Worst first: verdict, then the biggest gap, then the quantity."""
    return (_RANK[f.verdict], -f.gap, f.quantity.event, f.quantity.metric, f.quantity.group or "", f.quantity.place or "")


def reconcile(claims: Iterable[Claim], sources: Sequence[Source] = (), include_agreement: bool = False,
              rulings: Rulings = NO_RULINGS) -> Report:
    """Group claims into quantities and judge every quantity with more than one figure.

    ``claims`` is read once and may be an iterator: only a compact figure per
    live claim is kept, so the claims themselves need not all be in memory.
    """
    return reconcile_rows(claim_rows(claims), sources, include_agreement, rulings=rulings)


def reconcile_rows(rows: Iterable[tuple], sources: Sequence[Source] = (), include_agreement: bool = False,
                   names: Names | Callable[[], Names | None] | None = None, rulings: Rulings = NO_RULINGS) -> Report:
    """``reconcile`` for live claims given as ``ClaimRow`` tuples, as the storage layer streams them."""
    return Reconciler(rows, sources, names, rulings).report(include_agreement)


def share_of(event: str, shares: int) -> int:
    """Which of ``shares`` shares a canonical event's quantities fall in (the same in every process)."""
    return zlib.crc32(event.encode("utf-8", "surrogatepass")) % shares


class Reconciler:
    """The claims read once and their names resolved: ``report`` judges the quantities.

    ``names`` may give the names already resolved, or a function that returns
    them once the rows are read (they can be resolved elsewhere meanwhile);
    they are used only if resolved from exactly the names on these rows, unless
    ``some_events`` says the rows are those of some events only (``ledger.storage.kept``
    re-judges the events new claims touch with the whole ledger's names).
    ``report(share=i, shares=n)`` judges only the events in share i of n, so
    that n processes can each judge a share; the events of different shares
    never tie in the findings' order, so the shares' findings merge by it.
    """

    def __init__(self, rows: Iterable[tuple], sources: Sequence[Source] = (),
                 names: Names | Callable[[], Names | None] | None = None, rulings: Rulings = NO_RULINGS,
                 some_events: bool = False):
        self.sources = list(sources)
        self._grades = {s.name: s.grade for s in self.sources}
        self.voices = voices(self.sources)
        self._intake = _Intake(self._grades)
        self._intake.add(rows)
        self.claims = self._intake.claims
        self.names: Names | None = None
        if self.claims:
            counts = self._intake.name_counts()
            if callable(names):
                names = names()
            # ``some_events``: the rows are only those of some events, and ``names`` the whole ledger's
            if names is None or (names.counts != counts and not some_events) or names.rulings != rulings:
                events, groups, places = counts
                names = resolve_names(events, groups, self.sources, rulings, places)
            self.names = names

    def report(self, include_agreement: bool = False, share: int = 0, shares: int = 1, event: str | None = None) -> Report:
        """The findings, and what was counted: of every event, or of the canonical ``event`` alone (its claims
        and quantities counted, not the whole ledger's)."""
        report = Report(claims=self.claims)
        if not self.claims:
            return report
        events = self.names.events
        if event is not None:
            report.claims = self.claims_per_event().get(event, 0)
            events = {name: canonical for name, canonical in events.items() if canonical == event}
        report.possible_matches = list(self.names.possible_matches)
        report.event_names = self.names.events
        if shares > 1:
            mine = {e for e in set(events.values()) if share_of(e, shares) == share}
            events = {name: canonical for name, canonical in events.items() if canonical in mine}
        findings, quantities, by_key = self.judged(events)
        report.quantities = sum(quantities.values())
        if share == 0:  # one share asks, for the whole ledger
            keys = by_key if shares == 1 else self._intake.located_keys(self.names)
            report.possible_matches += place_notes(keys, self.names.rulings.within("place"))
        if not include_agreement:
            findings = [f for f in findings if f.verdict != "agreement"]
        findings.sort(key=finding_order)
        report.findings = findings
        return report

    def located(self) -> list[tuple[str, str]]:
        """Each (event, location) of the claims read, as written."""
        return [(event, place) for (event, _, _, place) in self._intake.stated if place]

    def counted_apart(self) -> set[tuple]:
        """(event, metric, None, place) of every quantity counted apart by its place (``_Intake.located_keys``)."""
        return self._intake.located_keys(self.names)

    def judged(self, events: dict[str, str]) -> tuple[list[Finding], dict[str, int], dict[tuple, list[Figure]]]:
        """Every finding, agreements included, of the events ``events`` maps to (in the order made, unsorted),
        the number of quantities judged per canonical event, and the figures per quantity."""
        reasons = _Reasons(display_names(self.sources))
        by_key = self._intake.quantities(self.names, events)
        findings = _derive_totals(by_key, self._intake.part_groups(self.names, events), reasons.name, self._grades)
        place_within, group_within = self.names.rulings.within("place"), self.names.rulings.within("group")
        findings += part_whole_findings(by_key, place_within, group_within, STOCK_METRICS.__contains__,
                                        partial(part_of, reasons))
        quantities: dict[str, int] = {}
        for key, figures in by_key.items():
            # Stock figures for different dates describe different moments: judge each date apart.
            if key[1] in STOCK_METRICS and len(figures) > 1:
                by_date: dict[date | None, list[Figure]] = {}
                for f in figures:
                    by_date.setdefault(f.as_of, []).append(f)
                batches = list(by_date.values())
            else:
                batches = [figures]
            quantities[key[0]] = quantities.get(key[0], 0) + len(batches)
            for batch in batches:
                if len(batch) > 1:
                    findings.extend(_judge(QuantityKey(*key), batch, reasons, self.voices))
        return findings, quantities, by_key

    def claims_per_event(self) -> dict[str, int]:
        """Live claims per canonical event."""
        counts: dict[str, int] = {}
        for name, written in self._intake.name_counts()[0].items():
            canonical = self.names.events[name]
            counts[canonical] = counts.get(canonical, 0) + written
        return counts


def place_notes(keys: Iterable[tuple], place_within) -> list[NameNote]:
    """``place_questions`` of quantity keys, as notes for the report's list of names to look at."""
    return [NameNote("place", places[0], places[1], 0.0, relation, event, places)
            for event, places, relation in place_questions(keys, place_within)]
