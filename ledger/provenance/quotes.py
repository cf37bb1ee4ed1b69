"""Quote verification: does the quoted passage really occur in the document?

This module owns the text matching between a claim's ``quote`` and its
document's ``text``: the normalisation both sides go through (``folding.py``), the exact search
(with spans reported in the *original* text, so storage can keep them and the
CLI can highlight them), the fuzzy "closest passage" shown when a quote is not
found, and the sentence around a span for context.

What :func:`verify_quote` accepts, and what it costs (N: the document's
length, M: the quote's):

- A quote under :data:`MIN_QUOTE_WORDS` words or :data:`MIN_QUOTE_CHARS`
  characters once folded (in scripts written without spaces, such as Chinese
  or Thai, each character counts as a word) is refused, never "verified":
  "78" occurs almost anywhere. Callers may still record it as unverified.
- A quote over :data:`MAX_QUOTE_CHARS` characters, or longer than the
  document's whole text, is refused before any search.
- A document is normalised once, O(N), and kept for its next claims (the
  most recently used, up to :data:`KEPT_CHARS` characters of text).
- The exact search is ``str.find`` on the folded text, O(N + M), with one
  linear pass where hits keep landing inside casefold expansions (``ß``).
- Only a quote that is not found pays for :func:`closest_passage`, whose
  cost is bounded and stated there.

Pure: no database, no I/O. rapidfuzz is imported only when a fuzzy search is
actually needed, because the CLI imports this module on every start.
"""

from __future__ import annotations

import re
import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass

from ledger.errors import InputError
from ledger.provenance.folding import (  # noqa: F401  (_FOLD, _VARIANT: the folding tests read them here)
    _DOUBLE_QUOTES,
    _FOLD,
    _OUTER_MARKS,
    _SINGLE_QUOTES,
    _VARIANT,
    _WHITESPACE,
    _normalise_document,
    _normalised,
    _Pieces,
    normalise_for_match,
)

_HINT_PASSAGE_MAX = 120


@dataclass(frozen=True)
class QuoteMatch:
    """A passage's place in the original text: ``text[start:end]`` (end exclusive)."""

    start: int
    end: int


# A budget in characters, not documents: an import whose claims cite fifty
# articles in turn must not normalise one again for every claim, and a few
# 1 MB articles must not hold hundreds of megabytes.
KEPT_CHARS = 4_000_000


class _PreparedTexts:
    """Documents normalised once, the most recently used kept up to a budget of characters.

    Keyed by the text itself (a string's hash is computed once); the index is
    kept as a 4-byte array, 9× smaller than a list of ints.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._kept: OrderedDict[str, tuple[str, array | _Pieces]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()
        self._last: tuple = (None, None)

    def __call__(self, text: str) -> tuple[str, array | _Pieces]:
        last = self._last  # the document of the claim before: already the most recently used
        if last[0] is text:
            return last[1]
        with self._lock:
            kept = self._kept.pop(text, None)
            if kept is None:
                hay, index = _normalise_document(text)
                kept = (hay, array("I", index) if isinstance(index, list) else index)
                self._chars += len(text)
            self._kept[text] = kept  # the most recently used last
            while self._chars > self.budget and len(self._kept) > 1:
                dropped, _ = self._kept.popitem(last=False)
                self._chars -= len(dropped)
            self._last = (text, kept)
            return kept

    def cache_clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._chars = 0
            self._last = (None, None)


_prepared = _PreparedTexts(KEPT_CHARS)


def clean_quote(quote: str) -> str:
    """The quote as it is searched for: outer quotation marks and whitespace removed.

    Both at once, so ``“ 'x' ”`` becomes ``x`` in one pass. Dropping a mark at
    one end only (``"Islamic State" organization``) is harmless: a shorter
    needle still occurs wherever the longer one does.
    """
    return quote.strip(_WHITESPACE + _OUTER_MARKS)


# A word or two occurs almost anywhere ("78", "the dead"): found, it proves nothing.
MIN_QUOTE_WORDS = 2
MIN_QUOTE_CHARS = 6
# A quote is the passage that states a figure, not the article; past this the
# quote is refused before any work is done on it.
MAX_QUOTE_CHARS = 10_000
# Scripts written without spaces between words: there each character counts as a word.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                       "\uf900-\ufaff\U00020000-\U0003134f]")
_SHOWN_MAX = 80


def _shown(quote: str) -> str:
    """The quote as an error shows it: a long one cut, so the error stays one readable line."""
    return quote if len(quote) <= _SHOWN_MAX else quote[: _SHOWN_MAX - 1] + "…"


def _needle(quote: str) -> str:
    """The quote cleaned and normalised; InputError if nothing is left."""
    cleaned = clean_quote(quote) if quote is not None else ""
    if not cleaned:
        raise InputError("quote", quote, "is empty", hint="give the words as they appear in the document")
    return _normalised(cleaned)


def _refuse_overlong(quote: str) -> None:
    if quote is not None and len(quote) > MAX_QUOTE_CHARS:
        raise InputError("quote", _shown(quote), f"is {len(quote):,} characters long, over the {MAX_QUOTE_CHARS:,} a quote may hold",
                         "quote the sentences that state the figure; the document keeps the rest")


def _refuse_too_short(quote: str, needle: str) -> None:
    words = len((needle if needle.isascii() else _UNSPACED.sub(" x ", needle)).split())
    if words < MIN_QUOTE_WORDS or len(needle) < MIN_QUOTE_CHARS:
        raise InputError("quote", _shown(quote), f"is too short to verify (under {MIN_QUOTE_WORDS} words or {MIN_QUOTE_CHARS} characters): "
                         "a word or two occurs almost anywhere", hint="quote the words around the figure")


def _span(index: list[int], i: int, j: int) -> tuple[int, int]:
    """Original-text span for the normalised slice ``[i:j]`` (j > i).

    A folded whitespace run maps to its first character, but a stripped quote
    never ends in whitespace, so ``index[j - 1] + 1`` is the true end.
    """
    return index[i], index[j - 1] + 1


def find_quote(quote: str, text: str) -> QuoteMatch | None:
    """The first place ``quote`` occurs in ``text`` after normalising both, or None.

    Raises InputError (field ``quote``) for an empty quote: "found at 0" would
    be true and useless.
    """
    needle = _needle(quote)
    hay, index = _prepared(text or "")
    pos = _first_aligned(hay, needle, index)
    return None if pos < 0 else QuoteMatch(*_span(index, pos, pos + len(needle)))


# Hits inside a casefold expansion are skipped; past this many in a row, a
# periodic quote in a text full of expansions ("ß ß ß …") would cost a
# str.find per hit, O(N·M) in all, so one linear pass finds the rest.
_SKIPS_BEFORE_LINEAR = 8


def _first_aligned(hay: str, needle: str, index) -> int:
    """Where ``needle`` first occurs in ``hay`` on whole original characters, or -1."""
    pos = hay.find(needle)
    for _ in range(_SKIPS_BEFORE_LINEAR):
        if pos < 0 or _aligned(index, pos, pos + len(needle)):
            return pos
        pos = hay.find(needle, pos + 1)
    return -1 if pos < 0 else _first_aligned_linear(hay, needle, index, pos)


def _first_aligned_linear(hay: str, needle: str, index, start: int) -> int:
    """:func:`_first_aligned` from ``start`` in one Knuth–Morris–Pratt pass: O(N + M) however hits overlap."""
    m = len(needle)
    border = [0] * m  # border[i]: the longest proper prefix of needle[:i + 1] that is also its suffix
    k = 0
    for i in range(1, m):
        while k and needle[i] != needle[k]:
            k = border[k - 1]
        if needle[i] == needle[k]:
            k += 1
        border[i] = k
    k = 0
    for i in range(start, len(hay)):
        ch = hay[i]
        while k and ch != needle[k]:
            k = border[k - 1]
        if ch == needle[k]:
            k += 1
            if k == m:
                if _aligned(index, i + 1 - m, i + 1):
                    return i + 1 - m
                k = border[k - 1]
    return -1


def _aligned(index: list[int], i: int, j: int) -> bool:
    """Whether normalised ``[i:j]`` starts and ends on whole original characters.

    A casefold expansion (``ß`` → ``ss``) is several normalised characters for
    one original one; a match beginning or ending inside it would report a
    span holding more than what matched, so such a hit is skipped.
    """
    return (i == 0 or index[i - 1] != index[i]) and (j == len(index) or index[j - 1] != index[j])


# rapidfuzz aligns a needle this short in one machine word per text position.
_SHORT_NEEDLE = 64
# A longer quote is located by this many pieces of it, of up to this many characters.
_PROBES = 4
_PROBE = 500


def closest_passage(quote: str, text: str) -> tuple[str, int, int, float]:
    """The passage of ``text`` most like ``quote``: ``(passage, start, end, score)``.

    Compared on the normalised forms, so the score (0–100, rapidfuzz's
    ``ratio`` of the quote and a passage of its length) ignores the same
    differences :func:`find_quote` does. The span is widened to whole words in
    the original text, because the aligned window often starts or stops
    mid-word and a cut word reads as an error.

    Cost, N the text's length and M the quote's (rapidfuzz compares 64
    characters per machine word):

    - up to 64 characters: rapidfuzz's partial alignment over the text, O(N);
    - longer (rapidfuzz's own alignment of a long needle grows faster than
      M²: over a minute for 10,000 characters against 1 MB): four pieces of up
      to 500 characters from across the quote are each compared with windows
      of the text every 250 characters, O(N); the dozen places they point at
      are compared with the whole quote, and the best aligned with it, O(M²).
      So O(N + M²); past :data:`MAX_QUOTE_CHARS`, only the quote's beginning is compared.
    """
    from rapidfuzz import fuzz

    needle = _normalised(clean_quote(quote or "")[:MAX_QUOTE_CHARS])
    hay, index = _prepared(text or "")
    if not needle or not hay:
        return "", 0, 0, 0.0
    if len(needle) <= _SHORT_NEEDLE:
        found = fuzz.partial_ratio_alignment(needle, hay)
        i, j, score = (found.dest_start, found.dest_end, found.score) if found else (0, 0, 0.0)
    else:
        i, j, score = _align_long(needle, hay)
    if j <= i:
        return "", 0, 0, float(score)
    start, end = _span(index, i, j)
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    # Whitespace the alignment picked up at either end is not part of a passage.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return text[start:end], start, end, float(score)


def _align_long(needle: str, hay: str) -> tuple[int, int, float]:
    """:func:`closest_passage` for a needle over 64 characters: ``(i, j, score)`` in ``hay``."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import Indel

    m, size = len(needle), min(len(needle), _PROBE)
    step = max(1, size // 2)
    # Windows overlapping by a probe's length, so that wherever a probe's
    # words stand, one window holds all of them.
    starts = range(0, max(1, len(hay) - size), step)
    windows = [hay[s:s + size + step] for s in starts]
    # Probes from across the quote: where a document repeats a sentence, the
    # passage that holds all of the quote still collects the most.
    offsets = sorted({(m - size) * p // (_PROBES - 1) for p in range(_PROBES)})
    guesses = {starts[k] - o for o in offsets
               for _, _, k in process.extract(needle[o:o + size], windows, scorer=fuzz.ratio, processor=None, limit=3)} or {0}
    guess = max(sorted(guesses), key=lambda g: fuzz.ratio(needle, hay[max(0, g - size):g + m + size]))
    lo = max(0, guess - size)
    runs = [op for op in Indel.opcodes(needle, hay[lo:guess + m + size]) if op.tag == "equal"]
    longest = sorted(runs, key=lambda op: op.src_end - op.src_start, reverse=True)[:4]
    # Where the quote would stand if each of its longest matching runs were in
    # place; and from its first long run to its last, which an edit in the
    # middle (a word of another length) does not shift.
    spans = {(lo + op.dest_start - op.src_start, lo + op.dest_start - op.src_start + m) for op in longest} | {(guess, guess + m)}
    if long_runs := [op for op in runs if op.src_end - op.src_start >= 8]:
        spans.add((lo + long_runs[0].dest_start - long_runs[0].src_start, lo + long_runs[-1].dest_end + m - long_runs[-1].src_end))
    scores = {(i, j): fuzz.ratio(needle, hay[i:j]) for i, j in sorted((max(0, i), min(len(hay), j)) for i, j in spans) if j > i}
    best = max(scores, key=scores.get)  # the earliest of equals
    return *best, scores[best]


def _one_line(passage: str, limit: int = _HINT_PASSAGE_MAX) -> str:
    flat = " ".join(passage.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return flat


def verify_quote(quote: str, text: str) -> QuoteMatch:
    """Where ``quote`` occurs in ``text``; InputError naming the closest passage if nowhere.

    Refused before any search (InputError, field ``quote``): an empty quote,
    one under :data:`MIN_QUOTE_WORDS` words or :data:`MIN_QUOTE_CHARS`
    characters (found, it would prove nothing), one over
    :data:`MAX_QUOTE_CHARS` characters, and one longer than the document.
    """
    _refuse_overlong(quote)
    needle = _needle(quote)
    _refuse_too_short(quote, needle)
    hay, index = _prepared(text or "")
    if hay and len(needle) > len(hay):
        raise InputError("quote", _shown(quote), f"is longer than the document's whole text ({len(text):,} characters)",
                         "quote the passage of the document that states the figure")
    pos = _first_aligned(hay, needle, index)
    if pos >= 0:
        return QuoteMatch(*_span(index, pos, pos + len(needle)))
    passage, _, _, score = closest_passage(quote, text)
    # Rounded, 99.6 would read "100%" for words that are not there.
    hint = f"closest passage ({min(score, 99):.0f}%): “{_one_line(passage)}”" if passage else "the document has no text"
    raise InputError("quote", _shown(quote), "does not occur in the document", hint=hint)


_TERMINATORS = ".!?"
_CLOSERS = _DOUBLE_QUOTES + _SINGLE_QUOTES + ")]"


def _ends_sentence(text: str, k: int) -> int | None:
    """If a sentence ends at ``text[k]``, the index just past it (closing marks included).

    A newline always ends one. ``.``, ``!`` and ``?`` end one only when
    followed by whitespace or the end of the text, optionally after closing
    quotes or brackets: this keeps ``pic.twitter.com``, ``3.5`` and ``U.S.A``
    whole while still splitting ``…were arrested." In Washington``.
    """
    ch = text[k]
    if ch == "\n":
        return k + 1
    if ch not in _TERMINATORS:
        return None
    j = k + 1
    while j < len(text) and text[j] in _CLOSERS:
        j += 1
    if j == len(text) or text[j].isspace():
        return j
    return None


def surrounding_sentence(text: str, start: int, end: int) -> str:
    """The sentence, or sentences, of ``text`` that contain ``text[start:end]``, stripped."""
    n = len(text)
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    begin = 0
    k = start - 1
    while k >= 0:
        stop = _ends_sentence(text, k)
        if stop is not None and stop <= start:
            begin = stop
            break
        k -= 1
    # A span ending in its own full stop ends the sentence there.
    finish = n
    k = max(start, end - 1)
    while k < n:
        stop = _ends_sentence(text, k)
        if stop is not None:
            finish = stop
            break
        k += 1
    return text[begin:finish].strip()
