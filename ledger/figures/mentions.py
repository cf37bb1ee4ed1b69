"""Where a text states a figure: does the quote say what the claim records?

A quote found verbatim in its document proves the words were published; it does
not prove they state the figure recorded from them. "Five civilians were
killed" states 5; "dozens of civilians were killed" does not, nor does a quote
of the SDF's and ISIS's dead cited for a total nobody stated.

A text states a figure when some phrase in it reads, by the same grammar as
``parse_quantity``, to the same interval (``seventy-eight`` states 78, ``over
70`` states "more than 70"), or when it holds the figure's own words, which is
how readings that are not numbers are stated ("all the fugitives were
arrested" states none at large). Phrases are tried at every word, up to
:data:`MAX_PHRASE_WORDS` words long, so the cost is linear in the text.

Pure: no database.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ledger.figures.parse import _VOCAB
from ledger.figures.vocabulary import _ALL_WORDS, ALL_MEANS_NONE_REMAINING
from ledger.figures.quantity import Quantity
from ledger.figures.tokens import _normalize
from ledger.figures.windows import EDGE_PUNCTUATION as _EDGE_PUNCTUATION
from ledger.figures.windows import MAX_PHRASE_WORDS
from ledger.figures.windows import Phrases
from ledger.figures.windows import _reading_of as _interval


_WORD = re.compile(r"\S+")


class _Words:
    """A text cut at whitespace, each word normalised as the grammar reads it, offsets kept."""

    def __init__(self, text: str):
        self.text = text
        self.spans = [m.span() for m in _WORD.finditer(text)]
        self.folded = [_normalize(text[s:e]).strip(_EDGE_PUNCTUATION) for s, e in self.spans]

    def phrase(self, i: int, j: int) -> tuple[int, int]:
        """The span of words i..j, without the punctuation at its edges."""
        start, end = self.spans[i][0], self.spans[j][1]
        raw = self.text[start:end]
        stripped = raw.strip(_EDGE_PUNCTUATION)
        offset = start + raw.index(stripped) if stripped else start
        return offset, offset + len(stripped)

    def reading(self, i: int, j: int, metric: str | None) -> tuple[int, int | None] | None:
        start, end = self.phrase(i, j)
        return _interval(self.text[start:end], metric) if end > start else None

    def longest(self, i: int, metric: str | None) -> tuple[int, tuple[int, int | None]] | None:
        """The last word and the reading of the longest phrase from word i that reads, or None."""
        for j in range(min(i + MAX_PHRASE_WORDS, len(self.folded)) - 1, i - 1, -1):
            found = self.reading(i, j, metric)
            if found is not None:
                return j, found
        return None

    def shortest(self, i: int, j: int, want: tuple, metric: str | None) -> int:
        """The last word of the shortest phrase from word i (up to j) that reads as ``want``."""
        return next((k for k in range(i, j) if self.reading(i, k, metric) == want), j)


def _could_start(word: str, articles_count: bool) -> bool:
    could = _COULD_START.get(word)
    if could is None:
        head = word.split("-")[0]  # "seventy-eight"
        could = None if head in ("a", "an") else head in _VOCAB or any(c.isdigit() for c in head)
        if len(_COULD_START) >= 100_000:
            _COULD_START.clear()
        _COULD_START[word] = could
    return articles_count if could is None else could


_COULD_START: dict[str, bool | None] = {}  # None: an article, which starts a figure only when the value has one


def _readings(words: _Words, metric: str | None, start: int, articles_count: bool):
    """(first word, last word, interval) of each figure phrase from word ``start`` on, longest reading first.

    The longest reading wins so that "800" inside "about 800" is read as part
    of "about 800", as a reader does, never on its own.
    """
    n, i = len(words.folded), start
    while i < n:
        if _could_start(words.folded[i], articles_count):
            longest = words.longest(i, metric)
            if longest is not None:
                j, found = longest
                yield i, j, found
                # Go on after the figure's own words, not the nouns its reading took in: in "Channel 4
                # said that at least 12 died", "4 said that at" reads as 4 and would hide "at least 12".
                i = words.shortest(i, j, found, metric)
        i += 1


def _occurrences(words: _Words, value_words: list[str]) -> list[int]:
    """Where the value's own words stand in the text, by word index."""
    m, folded = len(value_words), words.folded
    if not m:
        return []
    first = value_words[0]
    return [k for k in range(len(folded) - m + 1) if folded[k] == first and folded[k:k + m] == value_words]


def stated_at(text: str | None, value: Quantity, metric: str | None = None) -> tuple[int, int] | None:
    """The span of the first phrase in ``text`` that states ``value``, or None when the text never states it."""
    return _stated_at(Phrases(text), value, metric) if text else None


def _stated_at_reference(text: str | None, value: Quantity, metric: str | None = None) -> tuple[int, int] | None:
    """``stated_at`` reading every phrase with ``read_quantity``: what the fast readings are held to."""
    return _stated_at(_Words(text), value, metric) if text else None


def _stated_at(words, value: Quantity, metric: str | None) -> tuple[int, int] | None:
    want = (value.low, value.high)
    value_words = list(_value_words(value.text))
    # "a teacher" reads as one, so every "a" would state 1: count it only when the value's words do.
    articles_count = value_words[:1] in (["a"], ["an"])
    # The usual case first: the quote holds the value's own words, so only the
    # phrase around them needs reading, not the whole quote.
    starts = [max(0, k - MAX_PHRASE_WORDS + 1) for k in _occurrences(words, value_words)]
    folded, n = words.folded, len(words.folded)
    for start in [*starts, 0]:
        # _readings(words, metric, start, articles_count), unrolled: this loop runs for every quote imported.
        i, bounded = start, bool(starts) and start != 0
        while i < n:
            if _could_start(folded[i], articles_count):
                longest = words.longest(i, metric)
                if longest is not None:
                    j, found = longest
                    if found == want:
                        return words.phrase(i, words.shortest(i, j, want, metric))
                    if bounded and i > start + MAX_PHRASE_WORDS:
                        break
                    i = words.shortest(i, j, found, metric)
            i += 1
    if want == (0, 0) and metric:
        return _none_remaining(words, metric)
    return None


@lru_cache(maxsize=65536)
def _value_words(text: str) -> tuple[str, ...]:
    return tuple(w.strip(_EDGE_PUNCTUATION) for w in _normalize(text).split())


def _none_remaining(words: _Words, metric: str) -> tuple[int, int] | None:
    """"all the fugitives were arrested" states none at large: the span from "all" to the verb that empties
    the claim's metric (``ALL_MEANS_NONE_REMAINING``), a few words apart, as the value's parser hints."""
    remainder = " ".join(metric.casefold().replace("-", " ").replace("_", " ").split())
    remainder = _REMAINDER_SPELLINGS.get(remainder, remainder)
    verbs = {verb for verb, emptied in ALL_MEANS_NONE_REMAINING.items() if emptied.replace("-", " ") == remainder}
    folded = words.folded
    for i, word in enumerate(folded):
        if word in _ALL_WORDS:
            for j in range(i + 1, min(i + _ALL_TO_VERB_WORDS + 1, len(folded))):
                if folded[j] in verbs:
                    return words.phrase(i, j)
    return None


_ALL_TO_VERB_WORDS = 8  # "All of the escaped prisoners have been recaptured"
# How users spell the remainders (a subset of the reconciler's metric synonyms: figures cannot import it).
_REMAINDER_SPELLINGS = {"still at large": "at large", "fugitives": "at large", "detainees": "held", "imprisoned": "held"}


def _shortest(words: _Words, i: int, j: int, want: tuple, metric: str | None) -> int:
    """The last word of the shortest phrase from word i with the same reading: "more than 70", not "… people were killed"."""
    return words.shortest(i, j, want, metric)


def states(text: str | None, value: Quantity, metric: str | None = None) -> bool:
    """True when ``text`` states ``value``: see the module's docstring for what counts."""
    return stated_at(text, value, metric) is not None
