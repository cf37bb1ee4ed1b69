"""Derive ledger's conformance cases from Microsoft Recognizers-Text's English number specs.

Source: https://github.com/microsoft/Recognizers-Text, files
``Specs/Number/English/NumberModel.json`` and ``NumberRangeModel.json`` (and
``NumberRangeModelExperimentalMode.json``, read only to show that the inclusive
range ends ledger uses are that project's own experimental reading), at commit
``90e968ea44dc8fda3f2e1c3e4b20aa233817488d``. Recognizers-Text is published
under the MIT licence, Copyright (c) Microsoft Corporation; the derived file
keeps the spec's inputs and values, so ``tests/data/recognizers/LICENSE-NOTE``
carries the licence text. The spec files themselves are not copied here.

Usage::

    git clone https://github.com/microsoft/Recognizers-Text   # or download the three files
    python scripts/derive_recognizers_cases.py --specs Recognizers-Text/Specs/Number/English

writes ``tests/data/recognizers/english_count_cases.json``. Nothing here runs
ledger's parser: what ledger should answer is the spec's value, or, where ledger
differs on purpose, a convention written down by hand below (and explained in
``docs/quantities.md``), or a difference stated as such.

Scope rule. A case is one number (or range) the spec finds in an input, read
from the span the spec marks (a value field holds the figure, the sentence goes
in the quote). It is in scope, a count phrase a casualty or arrest figure could
take, when its value is a whole number (or a range of whole numbers) not below
zero, and it is not an ordinal, not a count of fractional parts ("twenty
fifths" is 4), not written in scientific notation and not a piece of an identifier (an IP address, phone number, date, code or list, spotted
as a span glued by ``. / - , :`` to more digits or letters). Every other case is
kept, excluded with its reason, and still checked: ledger must refuse it or read
the spec's own value. Inputs in which the spec finds nothing are kept the same
way (ledger must refuse the whole input). An interval open below, ``(,100]``,
starts at 0 for a count; ``(20,`` is 21 up.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.request
from fractions import Fraction
from pathlib import Path

COMMIT = "90e968ea44dc8fda3f2e1c3e4b20aa233817488d"
RAW = f"https://raw.githubusercontent.com/microsoft/Recognizers-Text/{COMMIT}/Specs/Number/English/"
SPECS = ("NumberModel", "NumberRangeModel")
EXPERIMENTAL = "NumberRangeModelExperimentalMode"
OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "recognizers" / "english_count_cases.json"
MAX_COUNT = 10**12  # ledger.figures.MAX_COUNT, repeated so this script imports nothing from ledger

# Conventions: where ledger reads a case differently on purpose. Each is explained in docs/quantities.md
# under the same name.
CONVENTIONS = {
    "inclusive-range-end": "a range's ends are both in it, as the spec's own experimental mode reads them",
    "rounded-scale": "a figure ending in a scale word is rounded: ± half a unit of its last stated digit",
    "signs-refused": "comparison signs (< > =) are refused: they are mirrored in right-to-left text",
    "tilde-refused": "'20~100' is refused: in English '~' means 'about'",
    "above-max-count": "a figure whose interval passes 10^12 is refused: larger than any head count",
    "decimal-point-refused": "digits with a decimal point and no scale word are refused ('10.000' may be ten)",
    "ambiguous-abbreviation-refused": "'mil' is refused: a million in informal English, a thousand in Spanish",
    "unit-letter-refused": "a lone or stuck letter ledger does not read as a scale ('G') is refused",
}

# Rounded figures, worked by hand from the rule (phrase as the spec marks it, lower case → low, high).
ROUNDED = {
    "10k": (9_500, 10_500), "100k": (99_500, 100_500), "2 million": (1_500_000, 2_500_000),
    "2.33 k": (2_325, 2_335), "hundred thousand": (99_500, 100_500),
    "two hundred and two thousand": (201_500, 202_500), "1.2b": (1_150_000_000, 1_250_000_000),
    "10m": (9_500_000, 10_500_000), "13 lakh": (1_250_000, 1_350_000), "1 crore": (5_000_000, 15_000_000),
    "1mm": (500_000, 1_500_000), "10 bln": (9_500_000_000, 10_500_000_000),
    "1,674.5 million": (1_674_450_000, 1_674_550_000), "half million": (450_000, 550_000),
    "quarter million": (200_000, 300_000), "one million and a half": (1_450_000, 1_550_000),
    "3 million and a half": (3_450_000, 3_550_000), "two million and one half": (2_450_000, 2_550_000),
    "five and a half million": (5_450_000, 5_550_000), "3 million and a quarter": (3_200_000, 3_300_000),
    "five billion and three quarters": (5_700_000_000, 5_800_000_000),
}
# Refused by a convention: phrase → (convention, a fragment of the refusal).
REFUSED = {
    "1 trillion": ("above-max-count", "larger than any count"),  # rounded, it reaches 1.5 × 10^12
    "one trillion": ("above-max-count", "larger than any count"),
    "2mil": ("ambiguous-abbreviation-refused", "'mil'"),
    "10g": ("unit-letter-refused", "'g'"),
    "1,674.5 g": ("unit-letter-refused", "'g'"),
    "5.00": ("decimal-point-refused", "not a whole number"),
    "5,00": ("decimal-point-refused", "thousands separator"),
    "20~100": ("tilde-refused", "'~'"),
}
# Read by the spec, refused by ledger, and no convention covers it: stated as differences.
DIFFER = {
    "three hundred and two dozens": "ambiguous: 300 + 2 dozen (the spec's 324) or 302 dozen; ledger refuses",
    "one billion and three quarters million": "a fraction of a second scale inside a figure; ledger refuses",
    "one billion and a half million": "a fraction of a second scale inside a figure; ledger refuses",
    "one billion and a quarter million": "a fraction of a second scale inside a figure; ledger refuses",
}
# Inputs in which the spec finds nothing but ledger reads a figure, by a documented rule.
READ_ALTHOUGH_SPEC_FINDS_NONE = {
    "1m isn't a number.": ((500_000, 1_500_000), "'m' after digits is a million (the spec reads it as metres)"),
}
ORDINAL = re.compile(r"\b(first|second|third|\w+th|\d+(st|nd|rd|th))\b")
FRACTION_PARTS = re.compile(r"\b(thirds|\w+ths)$")  # "twenty fifths" is 4: a count of fractional parts
GLUE = ".-/,:"


def load(specs: Path | None, name: str) -> list[dict]:
    if specs is not None:
        return json.loads((specs / f"{name}.json").read_text(encoding="utf-8-sig"))
    with urllib.request.urlopen(RAW + f"{name}.json", timeout=60) as response:  # noqa: S310 (fixed https URL)
        return json.loads(response.read().decode("utf-8-sig"))


def spec_interval(value: str) -> tuple[int, int | None] | None:
    """The spec's value as a count interval (low, high; high None when open), or None if not whole and ≥ 0."""
    if value[:1] in "([":
        left, right = value[1:-1].split(",")
        low = 0 if left == "" else Fraction(left) + (value[0] == "(")
        high = None if right == "" else Fraction(right) - (value[-1] == ")")
        ends = [low] + ([] if high is None else [high])
    else:
        low = high = Fraction(value)
        ends = [low]
    if any(e.denominator != 1 or e < 0 for e in ends):
        return None
    return int(low), None if high is None else int(high)


def glued(text: str, start: int, end: int) -> bool:
    """The span is a piece of an identifier: glued by . / - , : to more digits or letters."""
    before = text[start - 2:start] if start >= 2 else ""
    after = text[end + 1:end + 3]
    return (len(before) == 2 and before[1] in GLUE and before[0].isalnum()) or \
           (len(after) == 2 and after[0] in GLUE and after[1].isalnum())


def derive_row(spec: str, index: int, case: dict, result: dict | None, experimental: dict) -> dict:
    """One conformance row from one spec result (or from an input with none)."""
    text = case["Input"]
    row = {"id": f"{spec}:{index}", "spec": spec, "input": text, "not_supported": case.get("NotSupported", "")}
    if result is None:
        row.update(phrase=text.strip(), tail=text.strip(), value=None, subtype=None, scope="out",
                   excluded="the spec finds no number", verdict=None, convention=None)
        found = READ_ALTHOUGH_SPEC_FINDS_NONE.get(text.strip().lower())
        if found:
            (low, high), note = found
            row.update(ledger={"low": low, "high": high}, note=note)
        else:
            row.update(ledger={"refused": ""}, note="")
        return row
    start, end = result["Start"], result["End"]
    phrase = text[start:end + 1] if text[start:end + 1].lower() == result["Text"] else result["Text"]
    value = result["Resolution"].get("value")
    subtype = result["Resolution"].get("subtype")
    row.update(id=f"{spec}:{index}:{start}", phrase=phrase, tail=text[start:].strip(), value=value,
               subtype=subtype)
    if spec == "NumberRangeModel":
        row["experimental"] = experimental.get((text, result["Text"]))
    interval = spec_interval(value)
    key = " ".join(phrase.lower().split())
    excluded = None
    if interval is None:
        excluded = "negative" if value.lstrip("([,").startswith("-") or ",-" in value else \
            "not a whole number (a fraction, decimal or share)"
    elif subtype == "power":
        excluded = "scientific notation"
    elif ORDINAL.search(key):
        excluded = "an ordinal: a rank, not a count"
    elif FRACTION_PARTS.search(key):
        excluded = "a count of fractional parts ('twenty fifths'), whole only by arithmetic"
    elif glued(text, start, end):
        excluded = "a piece of an identifier, date or list"
    if excluded:
        # the span of an identifier is a plain number ledger reads as itself; the rest it refuses
        expect = {"low": interval[0], "high": interval[1]} if "identifier" in excluded else {"refused": ""}
        row.update(scope="out", excluded=excluded, verdict=None, convention=None, ledger=expect, note="")
        return row
    low, high = interval
    row.update(scope="in", excluded=None, spec_low=low, spec_high=high)
    verdict, convention, note, ledger = "agree", None, "", {"low": low, "high": high}
    if key in REFUSED:
        convention, fragment = REFUSED[key]
        verdict, ledger = "convention", {"refused": fragment}
    elif key in DIFFER:
        verdict, note, ledger = "differ", DIFFER[key], {"refused": ""}
    elif re.search(r"[<>=]", key):
        verdict, convention, ledger = "convention", "signs-refused", {"refused": "uses the sign"}
    elif max(low, high or 0) > MAX_COUNT:
        verdict, convention, ledger = "convention", "above-max-count", {"refused": "larger than any count"}
    elif key in ROUNDED:
        verdict, convention = "convention", "rounded-scale"
        ledger = dict(zip(("low", "high"), ROUNDED[key]), best=low)
    elif value.startswith("[") and value.endswith(")") and high is not None:
        verdict, convention, ledger = "convention", "inclusive-range-end", {"low": low, "high": high + 1}
    row.update(verdict=verdict, convention=convention, ledger=ledger, note=note or (
        CONVENTIONS[convention] if convention else ""))
    return row


def derive(specs: Path | None) -> dict:
    exp = {(c["Input"], r["Text"]): r["Resolution"]["value"]
           for c in load(specs, EXPERIMENTAL) for r in c.get("Results", [])}
    rows, seen, duplicates = [], set(), 0
    for spec in SPECS:
        for index, case in enumerate(load(specs, spec)):
            for result in case.get("Results") or [None]:
                row = derive_row(spec, index, case, result, exp)
                key = (spec, " ".join(row["phrase"].lower().split()), row["value"])
                if key in seen:  # "less than 10" appears in several sentences: one case
                    duplicates += 1
                    continue
                seen.add(key)
                rows.append(row)
    return {
        "source": "https://github.com/microsoft/Recognizers-Text/tree/" + COMMIT + "/Specs/Number/English",
        "licence": "MIT, Copyright (c) Microsoft Corporation; see LICENSE-NOTE",
        "derived_by": "scripts/derive_recognizers_cases.py",
        "scope_rule": __doc__.split("Scope rule. ")[1].strip(),
        "conventions": CONVENTIONS,
        "duplicates_dropped": duplicates,
        "cases": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=Path, help="Specs/Number/English of a Recognizers-Text checkout "
                                                   "(default: download the pinned commit's files)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = derive(args.specs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    cases = data["cases"]
    inside = [c for c in cases if c["scope"] == "in"]
    print(f"{len(cases)} cases, {len(inside)} in scope", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
