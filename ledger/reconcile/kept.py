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
from typing import NamedTuple

from ledger.figures import Quantity
from ledger.names.rulings import Rulings
from ledger.reconcile.grouping import Names
from ledger.reconcile.records import Figure, Finding, NameNote, QuantityKey, Report

# What decoding a kept row that is not as the ledger wrote it raises (verify names such rows).
UNREADABLE = (ValueError, TypeError, KeyError, IndexError, zlib.error)

# Bump when the reconciler's verdicts or these encodings change: kept results of another version are rebuilt.
KEPT_FORMAT = "5"


_SLOTS = 16  # a figure's fields, in Figure's order, laid end to end in one flat array per event


class _Tables:
    """Each distinct value, day and name of one event's figures, written once and referred to by position."""

    def __init__(self):
        self.values: list[list] = []
        self.days: list[str | None] = [None]  # position 0: no date
        self.strings: list[str | None] = [None]  # position 0: none (no outlet)
        self._value_at: dict[tuple, int] = {}
        self._day_at: dict[date | None, int] = {None: 0}
        self._string_at: dict[str | None, int] = {None: 0}

    def value(self, q: Quantity) -> int:
        key = (q.text, q.low, q.high, q.kind, q.best)
        at = self._value_at.get(key)
        if at is None:
            at = self._value_at[key] = len(self.values)
            self.values.append(list(key))
        return at

    def day(self, d: date | None) -> int:
        at = self._day_at.get(d)
        if at is None:
            at = self._day_at[d] = len(self.days)
            self.days.append(d.isoformat())
        return at

    def string(self, text: str | None) -> int:
        at = self._string_at.get(text)
        if at is None:
            at = self._string_at[text] = len(self.strings)
            self.strings.append(text)
        return at

    def figure(self, f: Figure) -> tuple:
        string = self.string
        return (f.claim_id, string(f.said_by), [string(v) for v in f.via] if f.via else 0, string(f.outlet),
                self.value(f.value), self.day(f.published), self.day(f.as_of), f.document_id, f.derived,
                f.parts or 0, f.part_labels or 0, [self.value(q) for q in f.corrected_from] if f.corrected_from else 0,
                string(f.grade), f.credibility, None if f.as_of_at is None else f.as_of_at.isoformat(), f.unstated)


def encode_findings(findings: Sequence[Finding], places: Iterable[str] = ()) -> bytes:
    """One event's findings (in the order made) and the places it counts apart, as compressed JSON.

    A figure in several findings (a revision and the comparison after it) is written once, and each
    distinct value, day and name once; the figures lie end to end in one array: decoding a million
    figures is most of an unchanged ledger's report, and fewer, smaller JSON objects decode faster.
    """
    tables = _Tables()
    figures: list = []
    index: dict[int, int] = {}
    encoded = []
    for finding in findings:
        refs = []
        for f in finding.figures:
            at = index.get(id(f))
            if at is None:
                at = index[id(f)] = len(figures) // _SLOTS
                figures.extend(tables.figure(f))
            refs.append(at)
        encoded.append([finding.quantity, finding.verdict, finding.reason, refs, finding.envelope, finding.consensus,
                        finding.gap])
    text = json.dumps({"values": tables.values, "days": tables.days, "strings": tables.strings, "figures": figures,
                       "findings": encoded, "places": sorted(set(places))}, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


class _Decoder:
    """Decodes kept findings, sharing equal values and days between events as the reconciler's reading does."""

    def __init__(self):
        self._values: dict[tuple, Quantity] = {}
        self._days: dict[str, date] = {}

    def _value(self, q: list) -> Quantity:
        key = tuple(q)
        found = self._values.get(key)
        if found is None:
            found = self._values[key] = Quantity(*q)
        return found

    def _day(self, text: str | None) -> date | None:
        if text is None:
            return None
        found = self._days.get(text)
        if found is None:
            found = self._days[text] = date.fromisoformat(text)
        return found

    def findings(self, blob: bytes) -> tuple[list[Finding], list[str]]:
        """The findings and counted-apart places ``encode_findings`` made ``blob`` from."""
        data = json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))
        values = [self._value(q) for q in data["values"]]
        days = [self._day(d) for d in data["days"]]
        names = data["strings"]
        new, none, moment = tuple.__new__, (), datetime.fromisoformat
        laid = iter(data["figures"])
        figures = [new(Figure, (cid, names[said_by], tuple(names[v] for v in via) if via else none, names[outlet],
                                values[value], days[published], days[as_of], doc_id, derived,
                                tuple(parts) if parts else none, tuple(labels) if labels else none,
                                tuple(values[q] for q in corrected) if corrected else none, names[grade], credibility,
                                None if as_of_at is None else moment(as_of_at), unstated))
                   for (cid, said_by, via, outlet, value, published, as_of, doc_id, derived, parts, labels, corrected,
                        grade, credibility, as_of_at, unstated) in zip(*[laid] * _SLOTS)]
        findings = [Finding(QuantityKey(*key), verdict, reason, tuple(figures[i] for i in refs), tuple(envelope),
                            None if consensus is None else tuple(consensus), gap)
                    for key, verdict, reason, refs, envelope, consensus, gap in data["findings"]]
        return findings, data["places"]


def decoder() -> _Decoder:
    return _Decoder()


def notes_as_rows(notes: Iterable[NameNote]) -> list[list]:
    """Name notes as JSON-ready lists (``notes_of_rows`` reads them back)."""
    return [[n.kind, n.name, n.candidate, n.score, n.question, n.event, list(n.names)] for n in notes]


def notes_of_rows(rows: list[list]) -> list[NameNote]:
    return [NameNote(kind, name, candidate, score, question, event, tuple(names))
            for kind, name, candidate, score, question, event, names in rows]


def encode_names(names: Names, located: Iterable[tuple[str, str]] = (), place_notes: Iterable[NameNote] = ()) -> bytes:
    """The resolved names; each distinct (event, location) of the live claims as written (``QuantityKeys``);
    and the questions about places counted apart (``place_notes``), asked over every event at once."""
    text = json.dumps({"events": names.events, "groups": names.groups, "places": names.places,
                       "notes": notes_as_rows(names.possible_matches), "counts": list(names.counts),
                       "keys": list(names.keys), "raw_notes": list(names.raw_notes),
                       "located": sorted(set(located)), "place_notes": notes_as_rows(place_notes)},
                      ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


class KeptNames(NamedTuple):
    names: Names
    located: list[tuple[str, str]]
    place_notes: list[NameNote]


def decode_names(blob: bytes, rulings: Rulings) -> KeptNames:
    """What ``encode_names`` made ``blob`` from."""
    data = json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))
    names = Names(data["events"], data["groups"], notes_of_rows(data["notes"]), tuple(data["counts"]),
                  places=data["places"], rulings=rulings,
                  keys=tuple({name: tuple(pair) for name, pair in kind.items()} for kind in data["keys"]),
                  raw_notes=_raw_notes(data["raw_notes"]))
    return KeptNames(names, [tuple(pair) for pair in data["located"]], notes_of_rows(data["place_notes"]))


def _raw_notes(data: list) -> tuple:
    if not data:
        return ()
    near, acronyms, synonyms = data
    return (tuple({name: (candidate, float(score)) for name, (candidate, score) in kind.items()} for kind in near),
            [tuple(pair) for pair in acronyms], [tuple(pair) for pair in synonyms])


def place_notes_of(names: Names, results: dict) -> list[NameNote]:
    """The questions about the places each event counts apart, from every event's results."""
    from ledger.reconcile.reconciler import place_notes

    located = [(event, None, None, place) for event, r in results.items() for place in r.places]
    return place_notes(located, names.rulings.within("place"))


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


def assembled(names: Names, results: dict, place_notes: list[NameNote], include_agreement: bool = False) -> Report:
    """The report ``Reconciler.report`` makes, from every event's kept results (``ledger.storage.kept``)."""
    from ledger.reconcile.reconciler import finding_order

    report = Report(claims=sum(r.claims for r in results.values()),
                    quantities=sum(r.quantities for r in results.values()), event_names=names.events)
    report.possible_matches = list(names.possible_matches) + place_notes
    findings = [f for r in results.values() for f in r.findings if include_agreement or f.verdict != "agreement"]
    findings.sort(key=finding_order)  # stable: a quantity's findings keep the order they were made in
    report.findings = findings
    return report


# -- names as rows, for listings ------------------------------------------------------------

def name_rows(names: Names, located: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(kind, as written, filed under) for every name ``QuantityKeys(names, located)`` resolves: events,
    groups, places (a location as written → where it counts) and each event's own place ("event place")."""
    from ledger.reconcile.grouping import event_places

    where, own_place = event_places(names, located)
    rows = [("event", written, canonical) for written, canonical in names.events.items()]
    rows += [("group", written, canonical) for written, canonical in names.groups.items()]
    rows += [("place", written, where.get(written) or names.places.get(written, written))
             for written in where.keys() | names.places.keys()]
    rows += [("event place", event, place) for event, place in own_place.items()]
    return sorted(rows)


class KeysFromRows:
    """``QuantityKeys``' answers, each name looked up in the kept name rows as a claim needs it:
    ``lookup(kind, written)`` gives the row's name or None; ``canonical_events()`` every event filed under,
    for a name only retracted claims use (matched as ``QuantityKeys`` matches it)."""

    def __init__(self, lookup, canonical_events):
        self._lookup, self._canonical_events = lookup, canonical_events
        self._seen: dict[tuple[str, str], str | None] = {}
        self._index = None

    def _row(self, kind: str, written: str) -> str | None:
        key = (kind, written)
        if key not in self._seen:
            self._seen[key] = self._lookup(kind, written)
        return self._seen[key]

    def event(self, written: str) -> str:
        found = self._row("event", written)
        if found is None:
            if self._index is None:
                from ledger.names import NameIndex

                self._index = NameIndex(sorted(set(self._canonical_events())), {})
            found = self._seen["event", written] = self._index.resolve(written).canonical or written
        return found

    def __call__(self, claim) -> tuple[str, str, str | None, str | None]:
        from ledger.reconcile.grouping import canonical_metric

        event = self.event(claim.event)
        group = (self._row("group", claim.group) or claim.group) if claim.group else None
        place = None
        if claim.location:
            where = self._row("place", claim.location) or claim.location
            place = None if where == self._row("event place", event) else where
        return (event, canonical_metric(claim.metric), group, place)
