"""Folding text for quote matching: the one normalisation quotes and documents both go through.

Whitespace runs become one space, quotation marks and dashes their plain
ASCII forms, letters their casefold; every folded character maps back to the
character it came from, so a match reports a span of the original text. A
document's map is kept as pieces between whitespace runs (a few numbers per
article, not one per character) and ASCII text is folded in bytes, whose
``translate`` and ``find`` run in C. ``quotes.py`` searches the folded text.

Pure: no database, no I/O.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right

# Typographic variants that journalists, translators and copy-paste pipelines
# swap freely; a quote must not fail because of which one an editor chose.
_DOUBLE_QUOTES = "\"“”„‟«»″〝〞＂"
_SINGLE_QUOTES = "'‘’‚‛‹›′`´＇"
_DASHES = "‐‑‒–—―−﹣－"
_FOLD = {**{c: '"' for c in _DOUBLE_QUOTES}, **{c: "'" for c in _SINGLE_QUOTES}, **{c: "-" for c in _DASHES}}
# A regex visits only the variants; str.translate would look up every character (10× slower on an article).
_VARIANT = re.compile("[" + re.escape("".join(c for c, plain in _FOLD.items() if c != plain)) + "]")
# Stripped from both ends of a quote before matching: the quotation marks
# around a quote belong to the person recording it, not to the passage.
_OUTER_MARKS = _DOUBLE_QUOTES + _SINGLE_QUOTES
# Every character str.isspace() accepts, so one str.strip() takes marks and whitespace together.
_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

def normalise_for_match(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` for matching and map every folded character back.

    Whitespace runs become one space, quote marks and dashes their plain ASCII
    forms, and letters are casefolded. Returns ``(normalised, index)`` where
    ``index[i]`` is the position in ``text`` of the character that produced
    ``normalised[i]``. Casefolding can turn one character into several
    (``ß`` → ``ss``); each of those maps to the same original position.
    """
    hay, index = _normalise_document(text)
    return hay, index if isinstance(index, list) else index.as_list()


def _normalise_document(text: str) -> tuple[str, "list[int] | _Pieces"]:
    """:func:`normalise_for_match` with the index as a :class:`_Pieces` wherever casefolding keeps lengths."""
    if text.isascii():
        return _normalise_ascii(text)
    folded = _VARIANT.sub(lambda variant: _FOLD[variant.group()], text)  # one-for-one: positions unchanged
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


class _Pieces:
    """The index of a text that normalising only shortened at whitespace runs: ``index[k] = k + shift`` within
    each piece between two runs. A few numbers per document instead of one per character."""

    __slots__ = ("starts", "shifts", "length")

    def __init__(self, starts: list[int], shifts: list[int], length: int):
        self.starts, self.shifts, self.length = array("I", starts), array("I", shifts), length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, k: int) -> int:
        if k < 0:
            k += self.length
        if not 0 <= k < self.length:
            raise IndexError(k)
        return k + self.shifts[bisect_right(self.starts, k) - 1]

    def as_list(self) -> list[int]:
        index: list[int] = []
        ends = [*self.starts[1:], self.length]
        for start, end, shift in zip(self.starts, ends, self.shifts):
            index.extend(range(start + shift, end + shift))
        return index


_SPACE_RUNS = re.compile(r"\s{2,}")
_NOT_ONE_SPACE = re.compile(r"\s{2,}|[^\S ]")


def _normalise_run_by_run(lowered: str) -> tuple[str, _Pieces]:
    """:func:`normalise_for_match` for text that casefolds one character to one, in C-speed steps.

    Most articles need no expansion (no ``ß``, no ligatures): then only the
    second and later characters of each whitespace run drop out.
    """
    starts, shifts, dropped = [0], [0], 0
    for run in _SPACE_RUNS.finditer(lowered):
        start, end = run.span()
        dropped += end - start - 1
        starts.append(end - dropped)
        shifts.append(dropped)
    return _NOT_ONE_SPACE.sub(" ", lowered), _Pieces(starts, shifts, len(lowered) - dropped)


# ASCII text in bytes, whose translate and find run in C where str's regular expressions step through
# Unicode classes: every whitespace character (as str.isspace) a space, the one ASCII variant ("`") folded.
_ASCII_FOLD = bytes.maketrans(
    "".join(c for c in _WHITESPACE if c.isascii()).encode() + "".join(c for c, plain in _FOLD.items() if c.isascii()).encode(),
    b" " * sum(c.isascii() for c in _WHITESPACE) + "".join(plain for c, plain in _FOLD.items() if c.isascii()).encode())


_SPACES = re.compile(b" {2,}")


def _normalised(text: str) -> str:
    """``normalise_for_match(text)[0]``, without building the index."""
    if text.isascii():
        return _SPACES.sub(b" ", text.encode("ascii").translate(_ASCII_FOLD).lower()).decode("ascii")
    return normalise_for_match(text)[0]


def _normalise_ascii(text: str) -> tuple[str, _Pieces]:
    """:func:`normalise_for_match` for ASCII text: lower case is its casefold, and runs of spaces drop out."""
    folded = text.encode("ascii").translate(_ASCII_FOLD).lower()
    starts, shifts, pieces, dropped, kept = [0], [0], [], 0, 0
    run = folded.find(b"  ")
    while run >= 0:
        end = run + 2
        while end < len(folded) and folded[end] == 32:
            end += 1
        pieces.append(folded[kept:run + 1])
        dropped += end - run - 1
        starts.append(end - dropped)
        shifts.append(dropped)
        kept = end
        run = folded.find(b"  ", end)
    pieces.append(folded[kept:])
    return b"".join(pieces).decode("ascii"), _Pieces(starts, shifts, len(folded) - dropped)
