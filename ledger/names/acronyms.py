"""Acronyms met by their initials among the names used, with or without a source that has the alias.

"SDF" recorded as a group meets "Syrian Democratic Forces" recorded as a group
even when no source carries the alias: the initials of the long name's
significant words ("Syrian Democratic Forces fighters" → sdf) spell the short
one. Joining is kept for what is unambiguous; the rest is shown, not merged:

- an acronym of three or more letters that spells the initials of exactly one
  name joins it;
- a two-letter acronym ("IS": Islamic State, or Internal Security?) or one
  that spells several names is only listed as a possible match.

Pure: plain strings in and out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ledger.names.forms import _ACRONYM_SKIP_PLAIN, _HEAD_PLAIN, _STOP_PLAIN, _forms, _significant
from ledger.names.normalisation import normalise

MIN_JOINING_LETTERS = 3


def _initials(name: str) -> str | None:
    words = _significant(normalise(name, fold=False).split(), _STOP_PLAIN, _HEAD_PLAIN)
    letters = [w[0] for w in words if w not in _ACRONYM_SKIP_PLAIN and w[:1].isalpha()]
    return "".join(letters) if len(letters) >= 2 else None


def acronym_links(names: Iterable[str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``(joins, possible)``: acronym → the one name it spells; (acronym, name) pairs only listed."""
    names = sorted(set(names))
    spelled: dict[str, set[str]] = defaultdict(set)
    for name in names:
        initials = _initials(name)
        if initials:
            spelled[initials].add(name)
    joins, possible = {}, []
    for name in names:
        short = _forms(name).short
        if not short or short not in spelled or _initials(name):
            continue
        targets = sorted(spelled[short] - {name})
        if len(short) >= MIN_JOINING_LETTERS and len(targets) == 1:
            joins[name] = targets[0]
        else:
            possible.extend((name, target) for target in targets)
    return joins, possible
