"""Judged results kept between reports: findings and resolved names as plain bytes, and back.

A report on a million claims spends most of its time reading every claim and
judging every quantity again. ``ledger.storage.kept`` keeps each event's
findings and the resolved names beside the ledger, and re-judges only the
events that changed; this module turns them into bytes and back, exactly:
a decoded finding equals the one encoded (a property test holds the kept
report to one rebuilt from scratch, and ``ledger verify`` rebuilds to check).

JSON rather than pickle: a kept row is read from a database other people can
write to, and unpickling runs whatever a forged row says.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from ledger.figures import Quantity
from ledger.names.rulings import Rulings
from ledger.reconcile.grouping import Names
from ledger.reconcile.records import Figure, Finding, NameNote, QuantityKey, Report

# Bump when the reconciler's verdicts or these encodings change: kept results of another version are rebuilt.
KEPT_FORMAT = "1"


def _quantity(q: Quantity) -> list:
    return [q.text, q.low, q.high, q.kind, q.best]


def _day(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _figure(f: Figure) -> list:
    return [f.claim_id, f.said_by, list(f.via), f.outlet, _quantity(f.value), _day(f.published), _day(f.as_of),
            f.document_id, f.derived, list(f.parts), list(f.part_labels), [_quantity(q) for q in f.corrected_from],
            f.grade, f.credibility, None if f.as_of_at is None else f.as_of_at.isoformat(), f.unstated]


def encode_findings(findings: Sequence[Finding], places: Iterable[str] = ()) -> bytes:
    """One event's findings (in the order made) and the places it counts apart, as compressed JSON.

    A figure in several findings (a revision and the comparison after it) is written once.
    """
    figures: list[list] = []
    index: dict[int, int] = {}
    encoded = []
    for finding in findings:
        refs = []
        for f in finding.figures:
            at = index.get(id(f))
            if at is None:
                at = index[id(f)] = len(figures)
                figures.append(_figure(f))
            refs.append(at)
        encoded.append([list(finding.quantity), finding.verdict, finding.reason, refs, list(finding.envelope),
                        None if finding.consensus is None else list(finding.consensus), finding.gap])
    text = json.dumps({"figures": figures, "findings": encoded, "places": sorted(set(places))}, ensure_ascii=False,
                      separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


class _Decoder:
    """Decodes kept findings, sharing equal quantities and days between them as the reconciler's reading does."""

    def __init__(self):
        self._quantities: dict[tuple, Quantity] = {}
        self._days: dict[str, date] = {}

    def quantity(self, q: list) -> Quantity:
        key = tuple(q)
        found = self._quantities.get(key)
        if found is None:
            found = self._quantities[key] = Quantity(*q)
        return found

    def day(self, text: str | None) -> date | None:
        if text is None:
            return None
        found = self._days.get(text)
        if found is None:
            found = self._days[text] = date.fromisoformat(text)
        return found

    def figure(self, f: list) -> Figure:
        (cid, said_by, via, outlet, value, published, as_of, doc_id, derived, parts, labels, corrected, grade,
         credibility, as_of_at, unstated) = f
        return Figure(cid, said_by, tuple(via), outlet, self.quantity(value), self.day(published), self.day(as_of),
                      doc_id, derived, tuple(parts), tuple(labels), tuple(self.quantity(q) for q in corrected), grade,
                      credibility, None if as_of_at is None else datetime.fromisoformat(as_of_at), unstated)

    def findings(self, blob: bytes) -> tuple[list[Finding], list[str]]:
        """The findings and counted-apart places ``encode_findings`` made ``blob`` from."""
        data = json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))
        figures = [self.figure(f) for f in data["figures"]]
        findings = [Finding(QuantityKey(*key), verdict, reason, tuple(figures[i] for i in refs), tuple(envelope),
                            None if consensus is None else tuple(consensus), gap)
                    for key, verdict, reason, refs, envelope, consensus, gap in data["findings"]]
        return findings, data["places"]


def decoder() -> _Decoder:
    return _Decoder()


def encode_names(names: Names, located: Iterable[tuple[str, str]] = ()) -> bytes:
    """The resolved names, and each distinct (event, location) of the live claims as written (``QuantityKeys``)."""
    notes = [[n.kind, n.name, n.candidate, n.score, n.question, n.event, list(n.names)] for n in names.possible_matches]
    text = json.dumps({"events": names.events, "groups": names.groups, "places": names.places, "notes": notes,
                       "counts": list(names.counts), "located": sorted(set(located))}, ensure_ascii=False,
                      separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def decode_names(blob: bytes, rulings: Rulings, with_located: bool = False):
    """The ``Names`` ``encode_names`` made ``blob`` from; with ``with_located``, (names, located pairs)."""
    data = json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))
    notes = [NameNote(kind, name, candidate, score, question, event, tuple(names))
             for kind, name, candidate, score, question, event, names in data["notes"]]
    names = Names(data["events"], data["groups"], notes, tuple(data["counts"]), places=data["places"], rulings=rulings)
    return (names, [tuple(pair) for pair in data["located"]]) if with_located else names


def changed_events(old: Names, new: Names, events_of_groups, events_of_places) -> set[str]:
    """Canonical events (old and new names) whose quantities may differ because a name resolves otherwise.

    ``events_of_groups(names)`` / ``events_of_places(names)`` give the events (as written) of the claims using
    those group / place names; a group's new canonical name regroups every quantity of those events.
    """
    dirty: set[str] = set()
    for written in old.events.keys() | new.events.keys():
        before, after = old.events.get(written), new.events.get(written)
        if before != after:
            dirty.update(e for e in (before, after) if e is not None)
    for table, events_of in ((("groups"), events_of_groups), (("places"), events_of_places)):
        before, after = getattr(old, table), getattr(new, table)
        moved = sorted(w for w in before.keys() | after.keys() if before.get(w) != after.get(w))
        if moved:
            dirty.update(new.events.get(e) or old.events.get(e) or e for e in events_of(moved))
    return dirty


def assembled(names: Names, results: dict, include_agreement: bool = False) -> Report:
    """The report ``Reconciler.report`` makes, from every event's kept results (``ledger.storage.kept``)."""
    from ledger.reconcile.reconciler import finding_order, place_notes

    report = Report(claims=sum(r.claims for r in results.values()),
                    quantities=sum(r.quantities for r in results.values()), event_names=names.events)
    located = [(event, None, None, place) for event, r in results.items() for place in r.places]
    report.possible_matches = list(names.possible_matches) + place_notes(located, names.rulings.within("place"))
    findings = [f for r in results.values() for f in r.findings if include_agreement or f.verdict != "agreement"]
    findings.sort(key=finding_order)  # stable: a quantity's findings keep the order they were made in
    report.findings = findings
    return report
