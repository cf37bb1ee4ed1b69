"""Cutting a text into sentences, each with its character span, so a quote points back into the document.

A sentence ends at a line break, or at ``.``, ``!`` or ``?`` (with any closing
quote marks after it) followed by space and a capital, a digit or an opening
quote mark. A period after an abbreviation ("Adm.", "U.S.") ends nothing.
Stray punctuation after the end ("located. .") is left out, and pieces with no letter or digit dropped.

Hard-wrapped text (a PDF's text layer, a .txt wrapped at 72 columns; ``\r\n``
reads as ``\n``) breaks lines inside sentences, so a line break ends a sentence
only where the line reads as finished. A line runs on into the next when it
does not end in ``.``, ``!``, ``?`` or a closing quote and either the next
starts in lower case or with a digit, or the line is long (:data:`_WRAPPED`
characters, or near the longest line of a text wrapped narrower, as a PDF's
columns are; a short line is a heading). A closing quote or an abbreviation at
the end runs on into a line that starts in lower case (“We will act,” / said …).
A blank line always ends a paragraph; in a wrapped text with blank lines, only a
blank line does. A sentence keeps the document's own characters, line breaks
included, so ``text[start:end]`` is its text and its quote is found verbatim; a
byte-order mark is never part of one.
"""

from __future__ import annotations

import re

from ledger.extract.records import Sentence

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm", "cmdr", "gov", "sen",
    "rep", "st", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "fla", "calif", "inc", "corp", "co", "ltd", "jr", "sr", "mt", "ft", "approx", "est",
}
_END = re.compile(r"[.!?]+[\"'”’»)]*(?=\s+[\"'“‘«(]?[A-Z0-9])")
_TRAILING_STRAYS = re.compile(r"(?<=[.!?])(\s+[.!?,;:]+)+\s*$")  # "is located. ." ends at "located."
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+$")  # U.S. U.N. J.
_QUOTES = ("”", '"', "’", "'", "»")
_FINISHED = (".", "!", "?", *_QUOTES)
_WRAPPED = 50  # a line this long that stops mid-sentence was wrapped, not ended
_NARROW = 0.8  # in a text wrapped narrower (a PDF's columns), a line this share of its longest is as long …
_NARROWEST = 30  # … down to this: shorter lines are a list or headlines, not a column
_BLANK = " \t\r\n\ufeff\u200b"  # spaces around a sentence, and the byte-order mark a Windows editor writes first


def _ends_sentence(text: str, stop: int) -> bool:
    """Whether the punctuation at ``stop`` ends a sentence rather than an abbreviation."""
    if text[stop] != ".":
        return True
    word = re.search(r"(\S+)$", text[:stop + 1])
    token = word.group(1) if word else ""
    token = token.lstrip("\"'“‘«(")
    if _INITIALS.fullmatch(token):
        return False
    return token[:-1].casefold() not in _ABBREVIATIONS


def _runs_on(line: str, following: str, long: float) -> bool:
    """Whether a line break between ``line`` and ``following`` falls inside a sentence (the text is hard-wrapped);
    a line of ``long`` characters or more fills the width the text was wrapped at."""
    line, following = line.strip(_BLANK), following.strip(_BLANK)
    if not line or not following:
        return False
    if line.endswith(_QUOTES) and following[0].islower():
        return True  # “We will act,”\nsaid Adm. Cooper
    if line.endswith(_FINISHED):  # "… in the U.S.\nofficials said": an abbreviation ends no sentence
        return line.endswith(".") and not _ends_sentence(line, len(line) - 1) and following[0].islower()
    return following[0].islower() or following[0].isdigit() or len(line) >= long


def _runs(text: str) -> list[tuple[int, int, int]]:
    """(first line's number, start, end) of each run of lines read as one: a line and those it runs on into."""
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    long = max(_NARROWEST, min(_WRAPPED, _NARROW * max(len(line.strip(_BLANK)) for _, line in lines)))
    joined = [_runs_on(line, lines[k + 1][1], long) for k, (_, line) in enumerate(lines[:-1])] + [False]
    wrapped = any(joined) and any(not line.strip(_BLANK) for _, line in lines)
    runs: list[tuple[int, int, int]] = []
    paragraph, first = 0, 0
    for number, (start, line) in enumerate(lines):
        if number == first:
            paragraph = number if not wrapped or not runs or not lines[number - 1][1].strip(_BLANK) else paragraph
        if not joined[number]:
            runs.append((paragraph, lines[first][0], start + len(line)))
            first = number + 1
    return runs


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, spans into ``text``, each stripped of the spaces around it."""
    sentences: list[Sentence] = []
    for paragraph, offset, end in _runs(text):
        run = text[offset:end]
        start = 0
        for match in _END.finditer(run):
            if _ends_sentence(run, match.start()):
                _add(sentences, run, start, match.end(), offset, paragraph)
                start = match.end()
        _add(sentences, run, start, len(run), offset, paragraph)
    return sentences


def _add(sentences: list[Sentence], line: str, start: int, end: int, offset: int, paragraph: int) -> None:
    piece = _TRAILING_STRAYS.sub("", line[start:end])
    stripped = piece.strip(_BLANK)
    if not any(c.isalnum() for c in stripped):
        return
    begin = offset + start + (len(piece) - len(piece.lstrip(_BLANK)))
    sentences.append(Sentence(begin, begin + len(stripped), stripped, paragraph))
