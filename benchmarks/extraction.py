"""Claim extraction measured against the hand-checked gold files in ``seeds/gold/``.

For each gold article: precision (P) and recall (R) of the figures found, of
their speakers, metrics and dates, of (speaker, relay) pairs and of
attributions, as ``ledger.extract.scoring`` defines them. The seed article is
the development set (the rules were written against it) and is reported
apart; the test articles were read while their gold was written, before the
rules; a held-out article's gold was committed before the extractor ever ran
on it and no rule changed after. Test and held-out articles are also summed.

Usage::

    .venv/bin/python benchmarks/extraction.py
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger.extract.scoring import MEASURES, Score, score, total  # noqa: E402


def gold_files() -> list[tuple[str, dict, str]]:
    """(name, gold, article text) for each gold file, the seed first."""
    found = []
    for path in sorted((ROOT / "seeds" / "gold").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (ROOT / gold["article"]).read_bytes().decode("utf-8")
        found.append((path.name.removesuffix(".gold.json"), gold, text))
    order = {"development": 0, "test": 1, "held-out": 2}
    return sorted(found, key=lambda item: (order.get(item[1].get("set"), 3), item[0]))


def _cell(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.2f}"


def _row(name: str, scores: dict[str, Score]) -> str:
    cells = [f"{_cell(scores[m].precision)} {_cell(scores[m].recall)}" for m in MEASURES]
    return f"{name:<40}" + " | ".join(cells)


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(
        description="Score claim extraction against the hand-checked gold files in seeds/gold/: precision (P) and "
                    "recall (R) of figures, speakers, metrics, relays, attributions and dates, one row an article "
                    "(the seed is the development set), then the test and held-out articles summed.",
        epilog="Reads nothing but the repository's files; prints the table on stdout.",
    ).parse_args(argv)
    header = f"{'article':<40}" + " | ".join(f"{m[:11]:^11}" for m in MEASURES)
    sub = f"{'':<40}" + " | ".join(f"{'P':>5} {'R':>5}" for _ in MEASURES)
    print(header)
    print(sub)
    tests = []
    for name, gold, text in gold_files():
        scores = score(gold, text)
        label = f"{name} ({'dev' if gold.get('set') == 'development' else gold.get('set', 'test')})"
        print(_row(label, scores))
        if gold.get("set") != "development":
            tests.append(scores)
    if tests:
        print(_row(f"all but the seed, {len(tests)} articles", total(tests)))
    print("\nfigures: counts, by span; speakers/metrics/dates: right only when the figure is right; "
          "relays: (speaker, relay) pairs; n/a: nothing to count")


if __name__ == "__main__":
    main()
