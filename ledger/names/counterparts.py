"""Word counterparts: whether every word of one match key has a close word in the other.

A strong fuzzy score merges two names only when ``_unmatched_word`` finds no
word left without a counterpart, so "Hasakah prison attack" and "Raqqa prison
attack", or "Kurdish forces" and "Turkish forces", are never merged. Word
pairs are judged once and cached.
"""

from __future__ import annotations

from ledger.names.thresholds import INITIAL_CLASSES, TOKEN_MIN_LENGTH, TOKEN_THRESHOLD


def _initial(word: str) -> str:
    return INITIAL_CLASSES.get(word[0], word[0])


def _close(a: str, b: str, ratio) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < TOKEN_MIN_LENGTH or _initial(a) != _initial(b):
        return False
    if any(c.isdigit() for c in a) or any(c.isdigit() for c in b):
        return False
    return ratio(a, b, score_cutoff=TOKEN_THRESHOLD) >= TOKEN_THRESHOLD


def _unmatched_word(a: str, b: str) -> str | None:
    """The first word of key ``a`` or ``b`` with no close counterpart in the other."""
    wa, wb = a.split(), b.split()
    for words, others in ((wa, wb), (wb, wa)):
        distinct = set(others)  # an equal word is always a counterpart
        for x in words:
            if x in distinct:
                continue
            for y in others:
                close = _CLOSE_WORDS.get((x, y))
                if close is None:
                    if len(_CLOSE_WORDS) >= _CLOSE_WORDS_LIMIT:
                        _CLOSE_WORDS.clear()
                    from rapidfuzz.fuzz import ratio

                    close = _CLOSE_WORDS[(x, y)] = _close(x, y, ratio)
                if close:
                    break
            else:
                return x
    return None


# Word pairs recur across the names a clustering compares: each is judged once.
_CLOSE_WORDS: dict[tuple[str, str], bool] = {}
_CLOSE_WORDS_LIMIT = 1_000_000
