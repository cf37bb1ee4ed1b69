"""Sums of parts: one source's group figures in one document, added up and held against its total."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from ledger.model import grade_label
from ledger.figures import Quantity
from ledger.names.rulings import ruling_key
from ledger.reconcile.judge import _envelope, _gap
from ledger.reconcile.reasons import _derived_label, _quoted
from ledger.reconcile.records import Figure, Finding, QuantityKey


# Groups that cut the dead along another line than who they fought for: "120 killed,
# including 30 children" and a men/women breakdown of the same 120 overlap, and
# summing them counts the children twice. Any group not listed here is taken to
# cut along the usual line (SDF, ISIS fighters, civilians).
DIMENSIONS = {
    "age": {"children", "child", "minors", "minor", "adults", "elderly", "infants", "babies", "teenagers", "under-18s"},
    "sex": {"men", "women", "males", "females", "male", "female"},
}


def dimension(group: str) -> str:
    words = group.casefold().split()
    for name, members in DIMENSIONS.items():
        if words and words[-1] in members:
            return name
    return "side"


def disjoint_parts(items: list[tuple[Figure, str]], canonical: dict[str, str],
                   within: Mapping[str, str] = MappingProxyType({})) -> list[tuple[Figure, str]]:
    """The parts that may be added: one figure per group, all cut along one line.

    A group stated twice in one document counts once (its last claim); a
    group ruled ``within`` another one present is already counted in it;
    parts along different lines (children beside men and women) are summed
    only along the line with the most parts, and not at all when two lines tie.
    """
    last: dict[str, tuple[Figure, str]] = {}
    for f, group in items:
        last[canonical[group]] = (f, group)
    present = {ruling_key(name) for name in last}
    last = {name: item for name, item in last.items() if ruling_key(within.get(ruling_key(name), "")) not in present}
    by_line: dict[str, list[tuple[Figure, str]]] = {}
    for f, group in last.values():
        by_line.setdefault(dimension(canonical[group]), []).append((f, group))
    sizes = sorted((len(parts) for parts in by_line.values()), reverse=True)
    if len(sizes) > 1 and sizes[0] == sizes[1]:
        return []
    best = max(by_line.values(), key=len)
    return sorted(best, key=lambda item: item[0].claim_id) if len(best) > 1 else []


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
    for (event, metric, place, said_by, doc_id), parts in part_groups:
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
        key = (event, metric, None, place)
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
