"""Reading every phrase of a text fast, with the answers ``read_quantity`` gives each one.

``mentions.stated_at`` reads the phrases of up to six words that start at each
figure-like word, longest first: read one by one with ``read_quantity``, that
is a dozen full readings per quote. Here a text's words are prepared once, and
most phrases are settled by two facts about the grammar (``reader.py``,
``numerals.py``, ``following.py``) plus a cache of readings:

- A word the grammar never names (an *inert* word: "people", "taybu", "said") is
  never part of a figure. Every rule matches words by name, and the two that
  take any noun ("a teacher" is one, "no casualties" none) leave the noun to the
  words after the figure. So from the first inert word on, a phrase is judged
  only by the checks on what may follow a figure (``_Following.trailing`` and
  ``_Reader.screen``).
- Those checks refuse a digit, a symbol outside ``_TRAILING_SYMS``, an
  unreadable character, or one of the words in ``_TAIL_REFUSED``; any other
  word passes. So "339 said that 660" (a digit after an inert word) reads as
  nothing, and "660 people were killed in Taybu" (only passing words after the
  inert "people") reads exactly as "660", a reading kept once for every quote.

And a phrase whose first word starts no phrase the grammar names ("that", which
only ends "or equal to that") reads as nothing. A phrase none of this settles
is read in full, once per distinct normalised text. A word with anything but
ASCII inside its punctuation (an Arabic figure, an accent) sends the phrases
holding it to ``read_quantity``, phrase by phrase.
``tests/test_mentions_fast.py`` holds every reading and every answer of
``stated_at`` equal to the phrase-by-phrase reading.

Pure: no database.
"""

from __future__ import annotations

import ast
import inspect
import re
from functools import lru_cache

from ledger.errors import InputError
from ledger.figures.following import _SCALE_WORDS
from ledger.figures.magnitude import unread_magnitude
from ledger.figures.parse import read_quantity
from ledger.figures.quantity import MAX_COUNT, MAX_TEXT
from ledger.figures.reader import _read
from ledger.figures.refusal import _Unreadable
from ledger.figures.tokens import _ASCII_MAP, _CHAR_MAP, _normalize, _tokenize
from ledger.figures.vocabulary import (
    _ALL_WORDS,
    _FIGURE_WORDS,
    _PERCENT_WORDS,
    _SHARE_WORDS,
    _TRAILING_BAD,
    _TRAILING_SYMS,
)

EDGE_PUNCTUATION = "\"'“”‘’«»()[]{}.,;:!?…"  # stripped from a phrase's ends, as a reader skips them

# After a figure, words that ``trailing`` or ``screen`` refuse, or judge by the word after them ("and a
# child", "a day", "per cent", "minus 5"): keep in step with those two functions.
_TAIL_REFUSED = frozenset({
    *_TRAILING_BAD, *_FIGURE_WORDS, *_SCALE_WORDS, *_PERCENT_WORDS, *_SHARE_WORDS,
    "and", "a", "an", "per", "daily", "weekly", "monthly", "minus", "negative",
})
_PASS, _READ, _NOTHING = 0, 1, 2  # what a word after the first inert one means for the phrase
_UNKNOWN = object()  # a phrase not worked out here: read it with read_quantity
# "between 1,200 and 1,500 people" is the longest common shape; longer phrases
# only add trailing nouns, which the grammar reads as the counted thing.
MAX_PHRASE_WORDS = 6
_UNKNOWN_ROW, _NONE_ROW = (_UNKNOWN,) * MAX_PHRASE_WORDS, (None,) * MAX_PHRASE_WORDS
_EDGE_MAP = str.maketrans({c: _CHAR_MAP[c] for c in EDGE_PUNCTUATION if c in _CHAR_MAP})
_PLAIN = re.compile(r"[a-z]{2,}")
_ALL_PREFIXES = tuple(_ALL_WORDS)
_ASCII_MAPPED = tuple(chr(c) for c in _ASCII_MAP)


@lru_cache(maxsize=1)
def _grammar_phrases() -> tuple[tuple[str, ...], ...]:
    """Every phrase the grammar names, as its words: in its tables (the reader's modules' globals, with the
    tables they import; a tuple of words is one phrase) and the one-word literals of its code. Messages are
    left out: a dictionary's text values (``UNREAD``'s reasons), any literal or lone global holding a space."""
    from ledger.figures import following, magnitude, numerals, reader, tokens

    phrases: list[tuple[str, ...]] = []

    def collect(value) -> None:
        if isinstance(value, str):
            if value.split():
                phrases.append(tuple(value.casefold().split()))
        elif isinstance(value, tuple) and value and all(isinstance(v, str) and len(v.split()) == 1 for v in value):
            phrases.append(tuple(v.casefold() for v in value))
        elif isinstance(value, dict):
            for key, item in value.items():
                collect(key)
                if not isinstance(item, str):
                    collect(item)
        elif isinstance(value, (tuple, list, set, frozenset)):
            for item in value:
                collect(item)

    for module in (reader, numerals, following, magnitude, tokens):
        for name, value in vars(module).items():
            if not name.startswith("__") and not (isinstance(value, str) and len(value.split()) > 1):
                collect(value)
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value.split()) == 1:
                collect(node.value)
    return tuple(phrases)


@lru_cache(maxsize=1)
def _named_words() -> frozenset[str]:
    """Every word the grammar names, anywhere in a phrase."""
    return frozenset(word for phrase in _grammar_phrases() for word in phrase)


@lru_cache(maxsize=1)
def _starting_words() -> frozenset[str]:
    """The words a figure phrase may start with: the first of each phrase the grammar names. Not "that" or
    "than", which only ever follow ("or equal to that", "more than")."""
    return frozenset(phrase[0] for phrase in _grammar_phrases())


def _inert(word: str) -> bool:
    """A word no rule of the grammar names, nor the checks after a figure refuse."""
    return bool(_PLAIN.fullmatch(word)) and word not in _named_words() and unread_magnitude(word) is None


def _passes(word: str) -> bool:
    """A word the checks after a figure let through wherever it stands after the first word."""
    return word not in _TAIL_REFUSED and unread_magnitude(word) is None


class _Word:
    """One whitespace-separated word: its punctuation at either edge, its core, and what it means after a
    figure's first inert word (``_PASS``; ``_READ``: read the phrase in full; ``_NOTHING``: no reading)."""

    __slots__ = ("fast", "lead", "core", "trail", "lead_len", "trail_len", "inert", "ends_article",
                 "as_middle", "as_last", "may_start")

    def __init__(self, raw: str):
        body = raw.lstrip(EDGE_PUNCTUATION)
        core = body.rstrip(EDGE_PUNCTUATION)
        self.lead_len, self.trail_len = len(raw) - len(body), len(body) - len(core)
        self.lead = raw[:self.lead_len].translate(_EDGE_MAP)
        self.trail = body[len(core):].translate(_EDGE_MAP)
        # An ASCII core normalises to its lower case (no character of it is mapped), as in a whole phrase.
        self.fast = core.isascii() and not any(c in core for c in _ASCII_MAPPED)
        self.core = core.lower()
        self.inert, self.ends_article, self.as_middle, self.as_last = False, False, _READ, _READ
        self.may_start = True
        if self.fast:
            try:
                toks = _tokenize(self.core, self.core)
            except (InputError, _Unreadable):
                toks = None  # a character no phrase may hold
            lead, core_means, trail = _means(self.lead), _means_tokens(toks), _means(self.trail)
            self.as_middle = max(lead, core_means, trail)
            # Last in a phrase, an all-punctuation word is stripped away with its edge.
            self.as_last = max(lead, core_means) if core else _PASS
            self.inert = not self.lead_len and _inert(self.core)
            self.ends_article = bool(toks) and not self.trail and toks[-1].val in ("a", "an", "no")
            self.may_start = not toks or toks[0].kind != "word" or toks[0].val in _starting_words()

    def part(self, first: bool, last: bool) -> str:
        """The word as the normalised phrase holds it: its outer punctuation dropped at the phrase's ends."""
        if last and not self.core:
            return ""
        return ("" if first else self.lead) + self.core + ("" if last else self.trail)


def _means(normalised: str) -> int:
    """What these characters mean after a figure's first inert word."""
    if not normalised:
        return _PASS
    try:
        return _means_tokens(_tokenize(normalised, normalised))
    except (InputError, _Unreadable):
        return _NOTHING


def _means_tokens(toks) -> int:
    if toks is None:
        return _NOTHING  # a character no phrase may hold
    means = _PASS
    for tok in toks:
        if tok.kind == "num" or (tok.kind == "sym" and tok.val not in _TRAILING_SYMS):
            return _NOTHING
        if tok.kind == "word" and not _passes(tok.val):
            means = _READ
    return means


_WORDS: dict[str, _Word] = {}
_FOLDED: dict[str, str] = {}
_READINGS: dict[str, tuple[int, int | None] | None] = {}
_READINGS_ALL: dict[tuple[str, str | None], tuple[int, int | None] | None] = {}  # "all …" reads by metric
_KEPT = 200_000  # entries in each cache; both start again when full


def _word(raw: str) -> _Word:
    found = _WORDS.get(raw)
    if found is None:
        if len(_WORDS) >= _KEPT:
            _WORDS.clear()
        found = _WORDS[raw] = _Word(raw)
    return found


def _folded(raw: str) -> str:
    """A word as ``mentions`` compares it: normalised, without its edge punctuation."""
    found = _FOLDED.get(raw)
    if found is None:
        if len(_FOLDED) >= _KEPT:
            _FOLDED.clear()
        found = _FOLDED[raw] = _normalize(raw).strip(EDGE_PUNCTUATION)
    return found


def _reading(norm: str, metric: str | None) -> tuple[int, int | None] | None:
    """``read_quantity``'s interval for text already normalised, kept: the metric counts only after "all"."""
    kept, key = (_READINGS, norm) if not norm.startswith(_ALL_PREFIXES) else (_READINGS_ALL, (norm, metric))
    found = kept.get(key, _UNKNOWN)
    if found is not _UNKNOWN:
        return found
    try:
        low, high, _, _ = _read(norm, norm, metric)
        found = None if (high if high is not None else low) > MAX_COUNT else (low, high)
    except (InputError, _Unreadable):
        found = None
    if len(kept) >= _KEPT:
        kept.clear()
    kept[key] = found
    return found


class Phrases:
    """A text cut at whitespace, each word folded as the grammar reads it: the same face as
    ``mentions._Words`` (``text``, ``spans``, ``folded``, ``phrase``, ``reading``), with fast readings."""

    def __init__(self, text: str):
        self.text = text
        self.raw = text.split()  # the same words as \S+: str.split and re's \s agree on whitespace
        if text.isascii():
            lowered = text.lower()
            if any(c in lowered for c in _ASCII_MAPPED):
                lowered = lowered.translate(_ASCII_MAP)
            self.folded = [w.strip(EDGE_PUNCTUATION) for w in lowered.split()]
        else:
            self.folded = [_folded(w) for w in self.raw]
        self._spans: list[tuple[int, int]] = []  # the offsets of the first words, found as needed
        self._words: list[_Word | None] = [None] * len(self.raw)
        self._keys: dict[int, list] = {}  # the phrases from each word, as they read

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [self.span(k) for k in range(len(self.raw))]

    def span(self, k: int) -> tuple[int, int]:
        """The offsets of word k. A word holds no whitespace, so it is found where the next one starts."""
        spans, text, raw = self._spans, self.text, self.raw
        if not spans and len(text) == len(raw) - 1 + sum(map(len, raw)):  # one space between words, none around
            start = sum(map(len, raw[:k])) + k
            return start, start + len(raw[k])
        end = spans[-1][1] if spans else 0
        while len(spans) <= k:
            word = raw[len(spans)]
            start = text.find(word, end)
            end = start + len(word)
            spans.append((start, end))
        return spans[k]

    def word(self, k: int) -> _Word:
        found = self._words[k]
        if found is None:
            found = self._words[k] = _word(self.raw[k])
        return found

    def phrase(self, i: int, j: int) -> tuple[int, int]:
        """The span of words i..j, without the punctuation at its edges."""
        start, end = self.span(i)[0], self.span(j)[1]
        raw = self.text[start:end]
        stripped = raw.strip(EDGE_PUNCTUATION)
        offset = start + raw.index(stripped) if stripped else start
        return offset, offset + len(stripped)

    def reading(self, i: int, j: int, metric: str | None) -> tuple[int, int | None] | None:
        """What ``read_quantity`` reads in words i..j (the interval), or None."""
        keys = self._keys.get(i)
        if keys is None:
            keys = self._keys[i] = self._keys_from(i)
        key = keys[j - i] if j - i < len(keys) else _UNKNOWN
        if key is None:
            return None
        if key is _UNKNOWN:
            start, end = self.phrase(i, j)
            return _reading_of(self.text[start:end], metric) if end > start else None
        return _reading(key, metric)

    def longest(self, i: int, metric: str | None) -> tuple[int, tuple[int, int | None]] | None:
        """The last word and the reading of the longest phrase from word i that reads, or None."""
        keys = self._keys.get(i)
        if keys is None:
            keys = self._keys[i] = self._keys_from(i)
        for j in range(min(i + MAX_PHRASE_WORDS, len(self.raw)) - 1, i - 1, -1):
            key = keys[j - i]
            if key is not None:
                found = self.reading(i, j, metric) if key is _UNKNOWN else _reading(key, metric)
                if found is not None:
                    return j, found
        return None

    def shortest(self, i: int, j: int, want: tuple, metric: str | None) -> int:
        """The last word of the shortest phrase from word i (up to j) that reads as ``want``."""
        keys = self._keys[i]
        for k in range(i, j):
            key = keys[k - i]
            if key is not None and (self.reading(i, k, metric) if key is _UNKNOWN else _reading(key, metric)) == want:
                return k
        return j

    def _keys_from(self, i: int) -> tuple | list:
        """For each phrase from word i (one word, two, … ``MAX_PHRASE_WORDS``): the normalised text it reads as
        (``_UNKNOWN`` when it must be read word for word as written, None when it reads as nothing)."""
        known = self._words
        first = known[i] or self.word(i)
        if not first.fast or not first.core:
            return _UNKNOWN_ROW  # read phrase by phrase
        if not first.may_start or len(first.core) > MAX_TEXT:
            return _NONE_ROW  # no rule of the grammar starts with its first word, or read_quantity's limit
        long_text = len(self.text) > MAX_TEXT
        keys = [first.core]
        inside = first.core + first.trail  # the words so far as the normalised phrase holds them with more after
        since = None  # the words before an inert word with only passing words after it, so far
        after_inert, before = False, first
        for k in range(i + 1, min(i + MAX_PHRASE_WORDS, len(self.raw))):
            w = known[k] or self.word(k)
            if not w.fast:
                return keys + [_UNKNOWN] * (MAX_PHRASE_WORDS - len(keys))  # phrases holding it: one by one
            if w.inert:
                if since is None and not before.ends_article:
                    since = inside
                after_inert = True
            if after_inert and w.as_last == _NOTHING:
                break  # a digit, or a sign no figure may be followed by, after an inert word: nothing from here
            if long_text:
                end = self.span(k)[1] - w.trail_len if w.core else self.span(k)[0]
                if end - (self.span(i)[0] + first.lead_len) > MAX_TEXT:
                    break  # read_quantity refuses a phrase this long, and any longer
            if since is not None and w.as_last == _PASS:
                keys.append(since)  # the phrase reads as its words before the inert one
            elif w.core:
                keys.append(f"{inside} {w.lead}{w.core}".strip(" \"'"))
            else:
                keys.append(inside.strip(" \"'"))  # a last word of punctuation only is stripped away
            if w.as_middle != _PASS:
                if after_inert and w.as_middle == _NOTHING:
                    break
                since = None  # a word the checks after a figure judge: a later inert word must start again
            inside = f"{inside} {w.lead}{w.core}{w.trail}"
            before = w
        return keys + [None] * (MAX_PHRASE_WORDS - len(keys))


@lru_cache(maxsize=65536)
def _reading_of(phrase: str, metric: str | None) -> tuple[int, int | None] | None:
    q = read_quantity(phrase, metric)
    return None if q is None else (q.low, q.high)
