"""Match keys: the forms a name is compared by, and ``acronym``.

``_forms`` gives a name's normalised text, its *match key* (prepositions and
head nouns dropped, words sorted: "attack on Ghuwayran prison" and "Ghweran
prison attack" share a key, "ISIS fighters" has the key of "ISIS"), its
one-word short form and its initials, so "SDF" meets "Syrian Democratic
Forces". The word lists those steps drop live here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ledger.names.normalisation import normalise

# Skipped when forming acronyms ("Syrian Observatory for Human Rights" -> sohr).
ACRONYM_SKIP = frozenset({"of", "and", "the", "for", "in", "on", "at", "to", "by", "from", "with"})

# Dropped from match keys: "attack on Ghweran prison" is "Ghweran prison attack".
STOPWORDS = ACRONYM_SKIP

# Head nouns that name the people of a group without changing the group: "SDF
# members", "ISIS fighters", "fighters of ISIS", "ISIS elements" are the SDF and
# ISIS. Dropped from match keys when another word is left ("fighters" alone
# stays). Deliberately small: "prisoners"/"detainees" are NOT here (the ISIS
# inmates of Ghweran prison are not the ISIS attackers), nor "forces"/"units"
# (part of "Syrian Democratic Forces", "People's Protection Units"), nor
# "civilians"/"children" (groups in their own right).
HEAD_NOUNS = frozenset(
    {
        "member", "members",
        "fighter", "fighters",
        "element", "elements",
        "militant", "militants",
        "combatant", "combatants",
        "personnel",
        "troops",
    }
)


def _words(raw: Iterable[str], fold: bool) -> frozenset[str]:
    return frozenset(normalise(w, fold=fold) for w in raw)


_STOP_FOLDED = _words(STOPWORDS, True)
_STOP_PLAIN = _words(STOPWORDS, False)
_HEAD_FOLDED = _words(HEAD_NOUNS, True)
_HEAD_PLAIN = _words(HEAD_NOUNS, False)
_ACRONYM_SKIP_PLAIN = _words(ACRONYM_SKIP, False)


def _significant(words: list[str], stop: frozenset[str], head: frozenset[str]) -> list[str]:
    """Words without prepositions and head nouns, falling back step by step."""
    content = [w for w in words if w not in stop] or words
    return [w for w in content if w not in head] or content


def acronym(name: str) -> str:
    """Initials of the significant words: "Syrian Democratic Forces" -> "sdf".

    Articles (also "al-") and "of", "and", "the", "for", "in" (see
    ``ACRONYM_SKIP``) are skipped: "Islamic State of Iraq and Syria" -> "isis",
    "Hay'at Tahrir al-Sham" -> "hts".
    """
    words = normalise(name, fold=False).split()
    significant = [w for w in words if w not in _ACRONYM_SKIP_PLAIN] or words
    return "".join(w[0] for w in significant)


@dataclass(frozen=True)
class _Forms:
    norm: str  # normalise(name)
    key: str  # match key: significant folded words, sorted
    short: str | None  # the name written as one word ("sdf", "S.D.F.", "SDF members")
    initials: str | None  # acronym when the name has two or more significant words


def _forms(name: str) -> _Forms:
    norm = normalise(name)
    plain = normalise(name, fold=False).split()
    key = " ".join(sorted(_significant(norm.split(), _STOP_FOLDED, _HEAD_FOLDED)))
    sig = _significant(plain, _STOP_PLAIN, _HEAD_PLAIN)
    short = None
    if len(sig) == 1:
        short = sig[0]
    elif sig and all(len(w) == 1 for w in sig):  # "S D F"
        short = "".join(sig)
    if short is not None and not (2 <= len(short) <= 8 and short.isalpha()):
        short = None
    acr_words = [w for w in plain if w not in _ACRONYM_SKIP_PLAIN]
    initials = "".join(w[0] for w in acr_words) if len(acr_words) >= 2 else None
    return _Forms(norm, key, short, initials)
