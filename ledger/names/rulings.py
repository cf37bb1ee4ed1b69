"""The researcher's rulings on names, laid over what the matcher found.

The matcher (``cluster``, acronyms) proposes which spellings name one event,
group or place; a researcher has the last word:

- ``same``: NAME is OTHER (``ledger event merge``, ``ledger event alias``).
  NAME's whole cluster joins OTHER's, under OTHER's canonical name.
- ``apart``: NAME and OTHER are never one, however alike they read
  (``ledger event split``); a cluster the matcher built across them is cut.
- ``date`` / ``place`` (events only): two event names with different dates or
  different places are kept apart like an ``apart`` ruling.
- ``within``: NAME (a group or a place) is part of OTHER ("Aleppo" within
  "Syria"): not a name matter, read by the reconciler for sums of parts.

Rulings are matched by key (case and spacing folded), so a ruling made before a
spelling is used still applies when it is. Pure: plain data in and out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

KINDS = ("event", "group", "place")
RULES = ("same", "apart", "date", "place", "within")


def ruling_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass(frozen=True)
class Ruling:
    kind: str  # "event", "group" or "place"
    rule: str  # one of RULES
    name: str
    other: str  # the other name; for "date" an ISO date, for "place" a place name


@dataclass(frozen=True)
class Rulings:
    """Every ruling in force, in the order they were made."""

    items: tuple[Ruling, ...] = ()

    def of(self, kind: str, rule: str | None = None) -> list[Ruling]:
        return [r for r in self.items if r.kind == kind and (rule is None or r.rule == rule)]

    def within(self, kind: str) -> dict[str, str]:
        """name key → the name it is part of."""
        return {ruling_key(r.name): r.other for r in self.of(kind, "within")}


NO_RULINGS = Rulings()


def _apart_pairs(kind: str, rulings: Rulings) -> set[frozenset[str]]:
    return {frozenset((ruling_key(r.name), ruling_key(r.other))) for r in rulings.of(kind, "apart")}


def _attributes(kind: str, rulings: Rulings) -> dict[str, dict[str, str]]:
    """name key → {"date": …, "place": …} as ruled (events only)."""
    found: dict[str, dict[str, str]] = {}
    if kind == "event":
        for r in rulings.of(kind):
            if r.rule in ("date", "place"):
                found.setdefault(ruling_key(r.name), {})[r.rule] = ruling_key(r.other)
    return found


def kept_apart(kind: str, rulings: Rulings):
    """A function telling whether two names may never be one: ruled apart, or different dates or places."""
    pairs = _apart_pairs(kind, rulings)
    attributes = _attributes(kind, rulings)

    def apart(a: str, b: str) -> bool:
        ka, kb = ruling_key(a), ruling_key(b)
        if ka == kb:
            return False
        if frozenset((ka, kb)) in pairs:
            return True
        first, second = attributes.get(ka, {}), attributes.get(kb, {})
        return any(k in first and k in second and first[k] != second[k] for k in ("date", "place"))

    return apart


def apply_rulings(kind: str, resolved: Mapping[str, str], counts: Mapping[str, int], rulings: Rulings) -> dict[str, str]:
    """Each name as written → its canonical name once the researcher's rulings are laid over ``resolved``.

    First every cluster the matcher made across two names kept apart is cut:
    its members are taken canonical name first, then commonest, each joining
    the first part it conflicts with nowhere, else starting its own (named by
    itself). Then each ``same`` ruling, in order, joins NAME's cluster to
    OTHER's, unless that would put two names kept apart together.
    """
    if not rulings.items:
        return dict(resolved)
    apart = kept_apart(kind, rulings)
    result = _cut_clusters(resolved, counts, apart)
    sames = rulings.of(kind, "same")
    if not sames:
        return result
    # Union-find over canonical names; a ruling's OTHER side gives the name.
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.get(name, name) != name:
            name = parent[name]
        return name

    by_key: dict[str, str] = {}
    for name, canonical in result.items():
        by_key.setdefault(ruling_key(name), canonical)
        by_key.setdefault(ruling_key(canonical), canonical)
    members: dict[str, set[str]] = {}
    for name, canonical in result.items():
        members.setdefault(canonical, set()).add(name)
    spelling = {ruling_key(name): name for name in result}
    label: dict[str, str] = {}  # a cluster's root → the name a merge gave it
    for ruling in sames:
        source = by_key.get(ruling_key(ruling.name))
        target = by_key.get(ruling_key(ruling.other), ruling.other)
        if source is None:
            continue  # a spelling nobody has used yet: it joins when a claim uses it
        a, b = root(source), root(target)
        if a != b:
            if any(apart(x, y) for x in members.get(a, {a}) for y in members.get(b, {b})):
                continue
            parent[a] = b
            members[b] = members.get(a, {a}) | members.get(b, {b})
        # "merge FROM INTO" keeps INTO's name, even where the matcher had joined them under another.
        label[b] = spelling.get(ruling_key(ruling.other), ruling.other)
    return {name: label.get(root(canonical), root(canonical)) for name, canonical in result.items()}


def _cut_clusters(resolved: Mapping[str, str], counts: Mapping[str, int], apart) -> dict[str, str]:
    clusters: dict[str, list[str]] = {}
    for name, canonical in resolved.items():
        clusters.setdefault(canonical, []).append(name)
    result = dict(resolved)
    for canonical, names in clusters.items():
        if len(names) < 2 or not any(apart(a, b) for i, a in enumerate(names) for b in names[i + 1:]):
            continue
        ordered = sorted(names, key=lambda n: (n != canonical, -counts.get(n, 0), n))
        parts: list[list[str]] = []
        for name in ordered:
            home = next((p for p in parts if not any(apart(name, m) for m in p)), None)
            if home is None:
                parts.append([name])
            else:
                home.append(name)
        for part in parts:
            for name in part:
                result[name] = canonical if canonical in part else part[0]
    return result
