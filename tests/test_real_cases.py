"""The reconciler scored against real contested-figure cases (tests/cases/, researched from public reporting).

The score is measured, not asserted equal to anything: ``benchmarks/cases.py``
prints it with every miss. This test guards it from falling below the score
recorded in docs/reconciliation.md, and checks the cases themselves stay
readable, so a rule change that costs verdicts a careful coder gives fails here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("cases_benchmark", ROOT / "benchmarks" / "cases.py")
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

# Recorded in docs/reconciliation.md ("Scored on real cases"); raise it as rules improve.
RECORDED_RIGHT = 61


def test_every_case_reads_and_every_expected_set_names_its_claims():
    loaded = cases.load_cases()
    assert len(loaded) >= 15
    for case in loaded:
        claims = cases.case_claims(case)  # every figure reads through parse_quantity
        assert case["expected"], case["case"]
        for item in case["expected"]:
            assert set(item["claims"]) <= claims.keys(), (case["case"], item)
            assert item["verdict"] in {"contradiction", "divergence", "relay-discrepancy", "revision", "agreement",
                                       "restatement"}


def test_the_reconciler_gives_at_least_the_recorded_number_of_coders_verdicts():
    tally, results = cases.score(cases.load_cases())
    right = sum(1 for _, _, expected, got in results if expected == got)
    misses = [f"{case}: {'+'.join(ids)} expected {expected}, got {got}" for case, ids, expected, got in results if expected != got]
    assert right >= RECORDED_RIGHT, "\n".join(misses)
