"""Reading a figure: ``parse_quantity``, the fix it suggests when it cannot, and ``means_all``.

The public face of the figure grammar: it checks the text, normalises it, runs
the reader and, when no rule matched, looks for a close rewording ("did you
mean 'more than 70'?") before refusing. A rewording is offered only when it
keeps the meaning: a typo fixed in a word that is not itself a real word of
meaning, or words dropped before the figure that only report what was counted.
"""

from __future__ import annotations

from ledger.errors import InputError
from ledger.figures.quantity import MAX_COUNT, MAX_TEXT, Quantity
from ledger.figures.reader import _read
from ledger.figures.refusal import HINT, _fail, _Unreadable
from ledger.figures.tokens import _normalize, _tokenize
from ledger.figures.vocabulary import (
    _ALL_WORDS,
    _MEANING_WORDS,
    _NEUTRAL_LEADS,
    _NUMBER_WORDS,
    _POSTFIX_TABLE,
    _QUALIFIERS,
    _VAGUE_PLURAL,
)


def _suggest(norm: str, metric: str | None) -> str | None:
    """A close fix for an unreadable figure: a typo in a known word, or words before the figure."""
    import difflib  # only on the error path

    def readable(candidate: str) -> bool:
        try:
            _read(candidate, candidate, metric)
        except (InputError, _Unreadable):
            return False
        return True

    if norm in _CLOSE:
        return _CLOSE[norm]
    try:
        toks = _tokenize(norm, norm)
    except (InputError, _Unreadable):
        return None
    vocab = sorted(_VOCAB)
    fixed = []
    for tok in toks:
        word = tok.val
        # a known word that carries meaning ("lower", "past") is not a typo to be corrected into another
        if tok.kind == "word" and word not in _VOCAB and word not in _MEANING_WORDS and len(word) >= 3:
            match = difflib.get_close_matches(word, vocab, n=1, cutoff=0.75)
            if match:
                word = match[0]
        fixed.append((tok, word))
    if any(tok.val != word for tok, word in fixed):
        out, pos = [], 0
        for tok, word in fixed:
            out.append(norm[pos:tok.start] + word)
            pos = tok.end
        candidate = "".join(out) + norm[pos:]
        if readable(candidate):
            return candidate
    for k, tok in enumerate(toks[1:9], start=1):  # "killed more than 70" → "more than 70"
        if any(t.val not in _NEUTRAL_LEADS for t in toks[:k]):
            break  # dropping "exceeding", "rose to" or any word ledger does not know could change the interval
        if readable(norm[tok.start:]):
            return norm[tok.start:]
    return None


_CLOSE = {"no": "none", "dozen": "a dozen", "hundred": "a hundred", "thousand": "a thousand",
          "million": "a million", "handful": "a handful", "couple": "a couple"}
_VOCAB = {
    *_NUMBER_WORDS, *_VAGUE_PLURAL, *_ALL_WORDS, "and", "of", "a", "an", "no", "one", "none", "nobody", "zero",
    "between", "from", "to", "or", "half", "exactly", "precisely", "total", "only", "just", "couple", "few",
    "several", "handful", "people",
    *(w for phrases in _QUALIFIERS.values() for p in phrases for w in p.split() if w.isalpha()),
    *(w for p, _ in _POSTFIX_TABLE for w in p if w.isalpha()),
}


def parse_quantity(text: str, metric: str | None = None) -> Quantity:
    """Read a figure in a source's words into a :class:`Quantity`.

    ``metric`` matters only for "all", which is accepted for the metrics in
    :data:`ALL_MEANS_NONE_REMAINING`. Anything else unreadable raises
    :class:`~ledger.errors.InputError` naming the field ``value``.
    """
    if not isinstance(text, str):
        raise _fail(text, "is not text")
    if len(text) > MAX_TEXT:
        raise _fail(text, f"is longer than {MAX_TEXT} characters: a figure, not a sentence",
                    hint="put the sentence in the quote and the figure here, " + HINT)
    norm = _normalize(text)
    if not norm:
        raise _fail(text, "is empty", hint="give the figure in the source's words, " + HINT)
    try:
        low, high, kind, best = _read(norm, text, metric)
    except _Unreadable:
        fix = _suggest(norm, metric)
        hint = f"did you mean '{fix}'? Otherwise {HINT}" if fix else HINT
        raise _fail(text, "is not a figure ledger can read", hint=hint) from None
    if (high if high is not None else low) > MAX_COUNT:  # "1 trillion" is 0.5–1.5 trillion: past any count
        reading = Quantity(text, low, high, kind).interval_label()
        raise _fail(text, f"reads as {reading}, larger than any count ledger expects (at most {MAX_COUNT:,})",
                    hint=HINT)
    return Quantity(text, low, high, kind, best)


def read_quantity(text: str, metric: str | None = None) -> Quantity | None:
    """``parse_quantity`` for scanning text: the reading, or None, without the search for a suggestion.

    Scanning an article tries hundreds of phrases that are not figures; a
    refusal's rewording search costs far more than the reading itself.
    """
    norm = _normalize(text) if isinstance(text, str) and len(text) <= MAX_TEXT else ""
    if not norm:
        return None
    try:
        low, high, kind, best = _read(norm, text, metric)
    except (InputError, _Unreadable):
        return None
    if (high if high is not None else low) > MAX_COUNT:
        return None
    return Quantity(text, low, high, kind, best)


def means_all(q: Quantity) -> bool:
    """True when ``q`` is "all" (for a metric in ALL_MEANS_NONE_REMAINING): the remainder is zero."""
    if q.kind != "vague" or q.low != 0 or q.high is not None:
        return False
    norm = _normalize(q.text)
    return bool(norm) and norm.split()[0].strip(".,!;:") in _ALL_WORDS
