"""Cutting a text into sentences, each with its character span, so a quote points back into the document.

A sentence ends at a line break, or at ``.``, ``!`` or ``?`` (with any closing
quote marks after it) followed by space and a capital, a digit or an opening
quote mark. A period after an abbreviation ("Adm.", "U.S.") ends nothing.
Stray punctuation after the end ("located. .") is left out, and pieces with no letter or digit dropped.
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


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, spans into ``text``, each stripped of the spaces around it."""
    sentences: list[Sentence] = []
    offset = 0
    for paragraph, line in enumerate(text.split("\n")):
        start = 0
        for match in _END.finditer(line):
            if _ends_sentence(line, match.start()):
                _add(sentences, line, start, match.end(), offset, paragraph)
                start = match.end()
        _add(sentences, line, start, len(line), offset, paragraph)
        offset += len(line) + 1
    return sentences


def _add(sentences: list[Sentence], line: str, start: int, end: int, offset: int, paragraph: int) -> None:
    piece = _TRAILING_STRAYS.sub("", line[start:end])
    stripped = piece.strip()
    if not any(c.isalnum() for c in stripped):
        return
    begin = offset + start + (len(piece) - len(piece.lstrip()))
    sentences.append(Sentence(begin, begin + len(stripped), stripped, paragraph))
