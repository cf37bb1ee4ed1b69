"""Score the reconciler against real contested-figure cases (``tests/cases/``): the verdicts a careful coder gave.

Each case lists claims as a researcher recorded them and, for sets of claims,
the verdict a careful human coder gives. A set is scored by reconciling just
its claims (with agreements shown) and taking the worst verdict among the
findings that involve them:

- no finding for claims of one speaker, one group, one place and one day is
  a ``restatement``; any other set without findings is an ``agreement``
  (parts that add up to their total, or fit within their whole, give no
  finding);
- claims published by the same outlet on the same day share one document, so
  one source's parts in one article are summed against its total.

Usage::

    .venv/bin/python benchmarks/cases.py            # the score, and every miss
    .venv/bin/python benchmarks/cases.py --verbose  # every expected verdict

Not a test, but ``tests/test_real_cases.py`` runs the same scoring.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import date
from pathlib import Path

from ledger.figures import parse_quantity
from ledger.model import Claim, Period, Source
from ledger.reconcile import reconcile

CASES = Path(__file__).resolve().parent.parent / "tests" / "cases"


def load_cases(folder: Path = CASES) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def case_claims(case: dict) -> dict[str, Claim]:
    """The case's claims as ledger records, ids in file order, one document per outlet and day."""
    documents: dict[tuple, int] = {}
    claims = {}
    for number, raw in enumerate(case["claims"], start=1):
        published, as_of = _day(raw.get("published")), _day(raw.get("as_of"))
        document = documents.setdefault((raw.get("outlet"), published), len(documents) + 1) if raw.get("outlet") else None
        claims[raw["id"]] = Claim(
            id=number, event=raw["event"], metric=raw["metric"], group=raw.get("group"),
            value=parse_quantity(raw["value"], raw["metric"]), said_by=raw["said_by"], via=tuple(raw.get("via") or ()),
            document_id=document, outlet=raw.get("outlet"), published=published,
            period=Period(None, as_of) if as_of else None, location=raw.get("location"), quote=raw.get("quote"),
        )
    return claims


def case_sources(claims) -> list[Source]:
    names = sorted({n for c in claims for n in (c.said_by, *c.via, c.outlet) if n})
    return [Source(i, name, "other") for i, name in enumerate(names, start=1)]


def predicted(claims: list[Claim], sources: list[Source]) -> str:
    ids = {c.id for c in claims}
    report = reconcile(claims, sources, include_agreement=True)
    involved = [f for f in report.findings
                if {x.claim_id for x in f.figures if not x.derived} | {p for x in f.figures for p in x.parts} <= ids]
    if involved:
        return involved[0].verdict  # findings come worst first
    one_voice = len({c.said_by for c in claims}) == 1 and len({(c.group, c.location) for c in claims}) == 1
    one_day = len({c.period.end if c.period else c.published for c in claims}) == 1
    return "restatement" if one_voice and one_day else "agreement"


def score(cases: list[dict]) -> tuple[Counter, list[tuple[str, list[str], str, str]]]:
    """Per expected verdict: (right, total) counts by verdict, and every (case, claims, expected, predicted)."""
    tally: Counter = Counter()
    results = []
    for case in cases:
        claims = case_claims(case)
        sources = case_sources(claims.values())
        for item in case.get("expected", []):
            chosen = [claims[i] for i in item["claims"]]
            got = predicted(chosen, sources)
            tally[(item["verdict"], got == item["verdict"])] += 1
            results.append((case["case"], item["claims"], item["verdict"], got))
    return tally, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    tally, results = score(load_cases())
    right = sum(n for (_, ok), n in tally.items() if ok)
    print(f"{right} of {len(results)} expected verdicts given ({right / len(results):.0%})")
    for verdict in sorted({v for v, _ in tally}):
        good, total = tally[(verdict, True)], tally[(verdict, True)] + tally[(verdict, False)]
        print(f"  {verdict:<18} {good:3} of {total:3}")
    for case, ids, expected, got in results:
        if args.verbose or expected != got:
            print(f"{'ok  ' if expected == got else 'MISS'} {case}: {'+'.join(ids)} expected {expected}, got {got}")


if __name__ == "__main__":
    main()
