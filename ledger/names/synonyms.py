"""Event nouns that mean the same: listed as possible matches, never merged on their own.

"Hasakah prison blast" and "Hasakah prison explosion" are likely one event, but
only the researcher can say so ("ledger" never joins them without a merge): a
blast in the morning and an explosion in the evening may be two.

Pure: a small table and a comparison.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ledger.names.normalisation import normalise

# Each phrase → the word it is compared as. Multi-word phrases are replaced first.
EVENT_SYNONYMS = {
    "prison break": "jailbreak", "jail break": "jailbreak", "prison escape": "jailbreak", "breakout": "jailbreak",
    "explosion": "blast", "bombing": "blast", "bomb attack": "blast", "detonation": "blast",
    "air strike": "airstrike", "air raid": "airstrike", "bombardment": "shelling",
    "massacre": "killing", "killings": "killing", "mass shooting": "shooting", "gunfire": "shooting",
    "assault": "attack", "raid": "attack", "offensive": "attack",
}
_PHRASES = sorted(EVENT_SYNONYMS, key=lambda p: -len(p))


def compared_as(name: str) -> str:
    """The name with every synonym replaced by the word it is compared as."""
    text = f" {normalise(name, fold=False)} "
    for phrase in _PHRASES:
        text = text.replace(f" {phrase} ", f" {EVENT_SYNONYMS[phrase]} ")
    return " ".join(text.split())


def same_but_for_synonyms(names: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of distinct names that read the same once synonyms are replaced, each pair once, sorted."""
    by_form: dict[str, list[str]] = defaultdict(list)
    for name in sorted(set(names)):
        by_form[compared_as(name)].append(name)
    return [(group[0], other) for group in by_form.values() for other in group[1:]]
