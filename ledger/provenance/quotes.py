"""Quote verification: does the quoted passage really occur in the document?

This module owns the text matching between a claim's ``quote`` and its
document's ``text``: the normalisation both sides go through, the exact search
(with spans reported in the *original* text, so storage can keep them and the
CLI can highlight them), the fuzzy "closest passage" shown when a quote is not
found, and the sentence around a span for context.

Pure: no database, no I/O. rapidfuzz is imported only when a fuzzy search is
actually needed, because the CLI imports this module on every start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ledger.errors import InputError

# Typographic variants that journalists, translators and copy-paste pipelines
# swap freely; a quote must not fail because of which one an editor chose.
_DOUBLE_QUOTES = "\"“”„‟«»″〝〞＂"
_SINGLE_QUOTES = "'‘’‚‛‹›′`´＇"
_DASHES = "‐‑‒–—―−﹣－"
_FOLD = str.maketrans(
    {**{c: '"' for c in _DOUBLE_QUOTES}, **{c: "'" for c in _SINGLE_QUOTES}, **{c: "-" for c in _DASHES}}
)
# Stripped from both ends of a quote before matching: the quotation marks
# around a quote belong to the person recording it, not to the passage.
_OUTER_MARKS = _DOUBLE_QUOTES + _SINGLE_QUOTES

_HINT_PASSAGE_MAX = 120


@dataclass(frozen=True)
class QuoteMatch:
    """A passage's place in the original text: ``text[start:end]`` (end exclusive)."""

    start: int
    end: int


def normalise_for_match(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` for matching and map every folded character back.

    Whitespace runs become one space, quote marks and dashes their plain ASCII
    forms, and letters are casefolded. Returns ``(normalised, index)`` where
    ``index[i]`` is the position in ``text`` of the character that produced
    ``normalised[i]``. Casefolding can turn one character into several
    (``ß`` → ``ss``); each of those maps to the same original position.
    """
    folded = text.translate(_FOLD)  # one-for-one, so positions are unchanged
    lowered = folded.casefold()
    if len(lowered) == len(folded):
        return _normalise_run_by_run(lowered)
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(folded):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                index.append(i)
                in_space = True
            continue
        in_space = False
        low = ch.casefold()
        out.append(low)
        if len(low) == 1:
            index.append(i)
        else:
            index.extend([i] * len(low))
    return "".join(out), index


_SPACE_RUN = re.compile(r"\s+")


def _normalise_run_by_run(lowered: str) -> tuple[str, list[int]]:
    """:func:`normalise_for_match` for text that casefolds one character to one, in C-speed steps.

    Most articles need no expansion (no ``ß``, no ligatures): then only the
    second and later characters of each whitespace run drop out, and the
    index is a few ``range`` pieces instead of a Python step per character.
    """
    index: list[int] = []
    kept_from = 0
    for run in _SPACE_RUN.finditer(lowered):
        start, end = run.span()
        if end - start > 1:
            index.extend(range(kept_from, start + 1))
            kept_from = end
    index.extend(range(kept_from, len(lowered)))
    return _SPACE_RUN.sub(" ", lowered), index


@lru_cache(maxsize=4)
def _prepared(text: str) -> tuple[str, list[int]]:
    """A document normalised once, however many of its claims are checked.

    An import checks every claim's quote against its document: normalising a
    5 KB article for each of 20,000 claims cost more than the rest of the
    import. Keyed by the text itself; the few most recent documents are kept.
    """
    return normalise_for_match(text)


def clean_quote(quote: str) -> str:
    """The quote as it is searched for: outer quotation marks and whitespace removed.

    Repeated until nothing changes, so ``“ 'x' ”`` becomes ``x``. Dropping a
    mark at one end only (``"Islamic State" organization``) is harmless: a
    shorter needle still occurs wherever the longer one does.
    """
    while True:
        cleaned = quote.strip().strip(_OUTER_MARKS)
        if cleaned == quote:
            return cleaned
        quote = cleaned


# A word or two occurs almost anywhere ("78", "the dead"): found, it proves nothing.
MIN_QUOTE_WORDS = 2
MIN_QUOTE_CHARS = 6


def _clean_or_refuse(quote: str) -> str:
    cleaned = clean_quote(quote) if quote is not None else ""
    if not cleaned:
        raise InputError("quote", quote, "is empty", hint="give the words as they appear in the document")
    return cleaned


def _refuse_if_too_short(quote: str) -> None:
    words = clean_quote(quote or "").split()
    if len(words) < MIN_QUOTE_WORDS or len(" ".join(words)) < MIN_QUOTE_CHARS:
        raise InputError("quote", quote, f"is too short to verify (under {MIN_QUOTE_WORDS} words or {MIN_QUOTE_CHARS} characters): "
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
    needle, _ = normalise_for_match(_clean_or_refuse(quote))
    hay, index = _prepared(text or "")
    pos = hay.find(needle)
    while pos >= 0:
        stop = pos + len(needle)
        if _aligned(index, pos, stop):
            start, end = _span(index, pos, stop)
            return QuoteMatch(start, end)
        pos = hay.find(needle, pos + 1)
    return None


def _aligned(index: list[int], i: int, j: int) -> bool:
    """Whether normalised ``[i:j]`` starts and ends on whole original characters.

    A casefold expansion (``ß`` → ``ss``) is several normalised characters for
    one original one; a match beginning or ending inside it would report a
    span holding more than what matched, so such a hit is skipped.
    """
    return (i == 0 or index[i - 1] != index[i]) and (j == len(index) or index[j - 1] != index[j])


def closest_passage(quote: str, text: str) -> tuple[str, int, int, float]:
    """The passage of ``text`` most like ``quote``: ``(passage, start, end, score)``.

    Uses rapidfuzz's best partial alignment on the normalised forms, so the
    score (0–100) ignores the same differences :func:`find_quote` does. The
    span is widened to whole words in the original text, because the aligned
    window often starts or stops mid-word and a cut word reads as an error.
    """
    from rapidfuzz import fuzz

    needle, _ = normalise_for_match(clean_quote(quote or ""))
    hay, index = normalise_for_match(text or "")
    if not needle or not hay:
        return "", 0, 0, 0.0
    found = fuzz.partial_ratio_alignment(needle, hay)
    if found is None or found.dest_end <= found.dest_start:
        return "", 0, 0, float(found.score if found else 0.0)
    start, end = _span(index, found.dest_start, found.dest_end)
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    # Whitespace the alignment picked up at either end is not part of a passage.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return text[start:end], start, end, float(found.score)


def _one_line(passage: str, limit: int = _HINT_PASSAGE_MAX) -> str:
    flat = " ".join(passage.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return flat


def verify_quote(quote: str, text: str) -> QuoteMatch:
    """Where ``quote`` occurs in ``text``; InputError naming the closest passage if nowhere.

    A quote under :data:`MIN_QUOTE_WORDS` words or :data:`MIN_QUOTE_CHARS`
    characters is refused before any search: found, it would prove nothing.
    """
    _clean_or_refuse(quote)
    _refuse_if_too_short(quote)
    found = find_quote(quote, text)
    if found is not None:
        return found
    passage, _, _, score = closest_passage(quote, text)
    hint = f"closest passage ({score:.0f}%): “{_one_line(passage)}”" if passage else "the document has no text"
    raise InputError("quote", quote, "does not occur in the document", hint=hint)


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
