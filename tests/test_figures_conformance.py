"""parse_quantity against an outside suite: Microsoft Recognizers-Text's English number specs.

The cases in tests/data/recognizers/english_count_cases.json were derived by
scripts/derive_recognizers_cases.py (MIT licence, see LICENSE-NOTE there) from
the spec files, without running ledger: each says what the spec reads and what
ledger should answer, the same reading ("agree"), a documented convention
("convention", explained in docs/quantities.md under its name) or a stated
difference ("differ", always a refusal). Nothing ledger accepts may read
differently from what the case says: that would be a silent misreading.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from ledger.errors import InputError
from ledger.figures import parse_quantity

ROOT = Path(__file__).resolve().parent.parent
DATA = json.loads((ROOT / "tests/data/recognizers/english_count_cases.json").read_text(encoding="utf-8"))
CASES = DATA["cases"]
IN_SCOPE = [c for c in CASES if c["scope"] == "in"]


def read(text: str):
    """(low, high, best) or the refusal's message."""
    try:
        q = parse_quantity(text)
    except InputError as err:
        return str(err)
    return q.low, q.high, q.best


def check(case: dict, got) -> None:
    expected = case["ledger"]
    if "refused" in expected:
        assert isinstance(got, str), f"{case['phrase']!r} read as {got}, expected a refusal"
        assert expected["refused"] in got and "\n" not in got
        return
    assert not isinstance(got, str), f"{case['phrase']!r} refused: {got}"
    low, high, best = got
    assert (low, high) == (expected["low"], expected["high"]), case["phrase"]
    if "best" in expected:
        assert best == expected["best"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_each_case_reads_as_the_data_says(case):
    check(case, read(case["phrase"]))


@pytest.mark.parametrize("case", [c for c in CASES if c["tail"] != c["phrase"] and c["value"] is not None],
                         ids=[c["id"] for c in CASES if c["tail"] != c["phrase"] and c["value"] is not None])
def test_the_rest_of_the_sentence_never_changes_a_reading(case):
    """The span with the rest of its sentence after it ("2mil SEK can't buy…") reads the same or is refused."""
    alone, with_tail = read(case["phrase"]), read(case["tail"])
    assert isinstance(with_tail, str) or with_tail == alone, (case["tail"], with_tail, alone)


def test_the_verdicts_are_what_their_readings_say():
    for case in IN_SCOPE:
        expected, spec = case["ledger"], (case["spec_low"], case["spec_high"])
        if case["verdict"] == "agree":
            assert (expected["low"], expected["high"]) == spec, case["id"]
        elif case["verdict"] == "differ":
            assert "refused" in expected and case["note"], case["id"]
        else:
            assert case["verdict"] == "convention" and case["convention"] in DATA["conventions"], case["id"]
            assert "refused" in expected or (expected["low"], expected["high"]) != spec


def test_every_convention_is_explained_in_the_docs():
    docs = (ROOT / "docs/quantities.md").read_text(encoding="utf-8")
    used = {c["convention"] for c in IN_SCOPE if c["convention"]}
    assert used <= set(DATA["conventions"])
    assert [name for name in DATA["conventions"] if f"`{name}`" not in docs] == []


def test_conformance_figure():
    verdicts = Counter(c["verdict"] for c in IN_SCOPE)
    assert set(verdicts) <= {"agree", "convention", "differ"}
    assert (verdicts["agree"] + verdicts["convention"]) / len(IN_SCOPE) >= 0.95, verdicts
    assert len(IN_SCOPE) >= 150  # the scope rule keeps most of the spec's whole-number cases
    docs = (ROOT / "docs/quantities.md").read_text(encoding="utf-8")
    figure = (f"{len(IN_SCOPE)} in scope: {verdicts['agree']} agree, {verdicts['convention']} differ by a "
              f"documented convention, {verdicts['differ']} differ")
    assert figure in docs, figure


def test_the_data_is_what_the_script_derives():
    """Each stored row is re-derived from its stored spec fields by the script's own rules: no hand edits."""
    spec = importlib.util.spec_from_file_location("derive", ROOT / "scripts/derive_recognizers_cases.py")
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    for case in CASES:
        source = {"Input": case["input"], "NotSupported": case["not_supported"]}
        if case["value"] is None:
            again = derive.derive_row(case["spec"], int(case["id"].split(":")[1]), source, None, {})
        else:
            start = int(case["id"].split(":")[2])
            result = {"Text": case["phrase"].lower(), "Start": start, "End": start + len(case["phrase"]) - 1,
                      "Resolution": {"value": case["value"], "subtype": case["subtype"]}}
            experimental = {(case["input"], case["phrase"].lower()): case.get("experimental")}
            again = derive.derive_row(case["spec"], int(case["id"].split(":")[1]), source, result, experimental)
        assert again == case, case["id"]
