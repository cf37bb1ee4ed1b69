"""Event, group and place names as the report sees them, and the researcher's rulings on them.

``ledger event list`` shows each name the report uses with the spellings
filed under it; ``merge``, ``alias``, ``split`` and ``edit`` record rulings
(``ledger.names.rulings``) that the report then follows. Every ruling is
checked here before it is written: the names must be ones the ledger knows
(with the closest offered), and a merge must take effect.
"""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ledger.errors import InputError, NotFoundError
from ledger.names.rulings import Ruling, Rulings, kept_apart, ruling_key
from ledger.storage.name_store import CLAIM_FIELD


@dataclass
class NameView:
    """One name as the report uses it: its spellings on claims, the researcher's facts about it, open questions."""

    kind: str
    name: str
    claims: int = 0
    spellings: dict[str, int] = field(default_factory=dict)  # as written → claims
    date: str | None = None
    place: str | None = None
    within: str | None = None
    possible_matches: list[dict] = field(default_factory=list)  # {"name", "score", "command"}

    def to_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "claims": self.claims, "spellings": self.spellings,
                "date": self.date, "place": self.place, "within": self.within, "possible_matches": self.possible_matches}


def a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def merge_command(kind: str, name: str, into: str) -> str:
    """The command that makes ``name`` one with ``into``, quoted for a POSIX shell."""
    return f"ledger {kind} merge {shlex.quote(name)} {shlex.quote(into)}"


def metric_spellings(metric: str, written: Sequence[str]) -> tuple[str, ...]:
    """Every metric as ``written`` on claims that means ``metric``, synonyms and case folded as the report folds them."""
    from ledger.reconcile.grouping import canonical_metric

    if not metric.strip():
        raise InputError("--metric", metric, "is empty", "give what is counted, e.g. killed")
    wanted = canonical_metric(metric)
    spellings = tuple(sorted(m for m in written if canonical_metric(m) == wanted))
    if not spellings:
        from difflib import get_close_matches

        known = sorted({canonical_metric(m) for m in written})
        near = get_close_matches(wanted, known, n=1, cutoff=0.5)
        hint = f"closest: {near[0]}" if near else ("no claims recorded yet" if not known else "one of " + ", ".join(known[:12]))
        raise InputError("--metric", metric, "is no metric of any claim", hint)
    return spellings


def _written(claims, kind: str) -> Counter:
    attribute = CLAIM_FIELD[kind]
    return Counter(getattr(c, attribute) for c in claims if getattr(c, attribute))


class NameBook:
    """The ledger's names of one kind as the report resolves them: worked out once per command, then asked."""

    def __init__(self, claims, sources, rulings: Rulings, kind: str):
        from ledger.reconcile import resolve_names

        self.claims, self.rulings, self.kind = claims, rulings, kind
        names = resolve_names(_written(claims, "event"), _written(claims, "group"), sources, rulings, _written(claims, "place"))
        # Each name of the kind as written on a live claim → the name the report files it under.
        self.canonical: dict[str, str] = {"event": names.events, "group": names.groups, "place": names.places}[kind]
        self.notes = [n for n in names.possible_matches if n.kind == kind]

    def views(self) -> list[NameView]:
        """Every name the report uses, by name; with the names ruled about but not (yet) used."""
        kind, canonical = self.kind, self.canonical
        counts = _written(self.claims, kind)
        views: dict[str, NameView] = {}
        for written, name in canonical.items():
            view = views.setdefault(name, NameView(kind, name))
            view.spellings[written] = counts[written]
            view.claims += counts[written]
        for ruling in self.rulings.of(kind):
            if ruling.rule in ("date", "place", "within"):
                name = canonical.get(ruling.name) or next(
                    (v for k, v in canonical.items() if ruling_key(k) == ruling_key(ruling.name)), ruling.name)
                setattr(views.setdefault(name, NameView(kind, name)), ruling.rule, ruling.other)
        for note in self.notes:
            for mine, other in ((note.name, note.candidate), (note.candidate, note.name)):
                if mine in views:
                    views[mine].possible_matches.append(
                        {"name": other, "score": round(note.score), "command": merge_command(kind, mine, other)})
        return [views[n] for n in sorted(views, key=str.casefold)]

    def find(self, name: str, field_name: str) -> tuple[str, list[str]]:
        """The canonical name ``name`` stands for and every spelling filed under it; NotFoundError naming the closest."""
        kind, canonical = self.kind, self.canonical
        key = ruling_key(name or "")
        if not key:
            raise InputError(field_name, name, "is empty", f"give {a(kind)} name (`ledger {kind} list`)")
        hit = next((c for written, c in sorted(canonical.items()) if ruling_key(written) == key or ruling_key(c) == key), None)
        if hit is None:
            from ledger.names import closest_names

            near = closest_names(name, sorted(set(canonical) | set(canonical.values())))
            hint = ("closest: " + ", ".join(near)) if near else (f"no {kind} names recorded yet" if not canonical else f"see `ledger {kind} list`")
            raise NotFoundError(field_name, name, f"is not {a(kind)} name in this ledger", hint)
        return hit, sorted(w for w, c in canonical.items() if c == hit)

    def check_merge(self, name: str, into: str, fields=("FROM", "INTO")) -> None:
        """Refuse a merge that a split would undo at once: NAME's and INTO's names are ruled apart."""
        kind, canonical = self.kind, self.canonical
        source, _ = self.find(name, fields[0])
        target, _ = self.find(into, fields[1])
        if source == target and ruling_key(target) == ruling_key(into):
            raise InputError(fields[0], name, f"is already filed under {target!r}", "nothing to merge")
        apart = kept_apart(kind, Rulings(tuple(r for r in self.rulings.items if not _pair_ruling(r, kind, name, into))))
        left = [w for w, c in canonical.items() if c == source] + [source]
        right = [w for w, c in canonical.items() if c == target] + [target]
        clash = next(((a, b) for a in left for b in right if apart(a, b)), None)
        if clash:
            raise InputError(fields[0], name, f"cannot join {into!r}: {clash[0]!r} and {clash[1]!r} are kept apart",
                             f"their dates or places differ, or a split says so (`ledger {kind} list`)")

    def claims_to_split(self, name: str, claim_ids: Sequence[int], since: date | None, until: date | None) -> list[int]:
        """The live claims filed under ``name`` that ``--claim`` or the date range pick."""
        attribute, canonical = CLAIM_FIELD[self.kind], self.canonical
        mine = [c for c in self.claims if getattr(c, attribute) and canonical.get(getattr(c, attribute)) == name]
        if claim_ids:
            ids = {c.id for c in mine}
            stray = [i for i in claim_ids if i not in ids]
            if stray:
                raise InputError("--claim", stray[0], f"is not a live claim filed under {name!r}",
                                 f"its claims: {', '.join(map(str, sorted(ids))) or 'none'}")
            return sorted(set(claim_ids))

        def day(c):
            return c.period.end if c.period is not None and c.period.end else c.published

        return sorted(c.id for c in mine if day(c) is not None and (since is None or day(c) >= since) and (until is None or day(c) <= until))


def _pair_ruling(r: Ruling, kind: str, a: str, b: str) -> bool:
    """A ruling on exactly this pair of names: the new merge overturns it."""
    return r.kind == kind and r.rule in ("same", "apart") and {ruling_key(r.name), ruling_key(r.other)} == {ruling_key(a), ruling_key(b)}


def resolved_event(event: str, canonical: list[str]) -> str:
    """The event among ``canonical`` (the ledger's events as the report files them) that ``event`` names."""
    from ledger.names import NameIndex

    found = NameIndex(canonical, {}).resolve(event).canonical
    if found is None:
        from difflib import get_close_matches

        near = get_close_matches(event, canonical, n=1, cutoff=0.5)
        hint = f"closest: {near[0]}" if near else ("no claims recorded yet" if not canonical else "see `ledger claim list`")
        raise InputError("--event", event, "matches no event in the ledger", hint)
    return found


def quantity_keys(store):
    """``Ledger.quantity_keys``: the names as the last report kept them if nothing changed since, else resolved."""
    from ledger.reconcile import QuantityKeys
    from ledger.storage.kept import names_if_current

    rulings = store.name_rulings()
    kept = names_if_current(store, rulings)
    if kept is not None:
        return QuantityKeys(*kept)
    counts, located = store.quantity_names()
    return QuantityKeys.of(counts, store.list_sources(), rulings, located)
