"""Figure phrases in a sentence: every phrase the figure grammar reads, less those that count no one.

The grammar is ``ledger.figures``' own (the reading ``stated_at`` uses to find a
claim's figure in its quote), so whatever ``ledger quantity`` accepts is found:
"more than 70", "dozens", "10,000", "nine". A reading is kept only when it
counts something: years ("since 2019"), days of a month ("January 21, 2022", "Jan. 5"),
measures ("60 miles", "six months", "a three-day period"), "one of the
deadliest" and digits inside handles or links are left out. "All the fugitives
were arrested" is found too: it states that none remain at large.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.figures.mentions import _Words, _readings, _shortest
from ledger.figures.vocabulary import _ALL_WORDS, ALL_MEANS_NONE_REMAINING

_ABBREVIATED = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", *_ABBREVIATED}
# A figure followed by one of these measures something other than a count of people or things.
_MEASURES = {
    "mile", "miles", "km", "kilometres", "kilometers", "kilometre", "kilometer", "metres", "meters", "metre", "meter",
    "feet", "foot", "yards", "kg", "kilograms", "tonnes", "mm", "cm", "percent", "per", "%", "second", "seconds",
    "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years",
    "decade", "decades", "century", "centuries", "o'clock", "am", "pm", "a.m.", "p.m.", "gmt", "utc", "times",
    "dollars", "euros", "pounds", "million-dollar", "percentage", "degrees", "years-old", "year-old",
}
_YEAR_LEADS = {"in", "since", "of", "from", "until", "till", "by", "year", "before", "after", "during", "early", "late",
               "mid", "summer", "winter", "spring", "autumn", "fall"}
_MEASURE_SUFFIX = re.compile(r"-(?:day|week|month|year|hour|minute|mile|km|metre|meter|storey|story)s?(?:-old)?$")
_ALL_TO_VERB = 8  # "all of the escaped prisoners have been recaptured"


@dataclass(frozen=True)
class Phrase:
    start: int  # offsets into the sentence
    end: int
    value: str
    low: int
    high: int | None
    remainder: str | None = None  # "all … arrested": the metric it empties ("at-large")
    person: bool = False  # "a"/"an" counting one person (``ledger.extract.persons``)
    act: str | None = None  # such an article's metric, when an act counts it ("killing a soldier")
    act_follows: bool = False  # whether that act's word follows it ("a soldier was killed")


def figure_phrases(sentence: str) -> list[Phrase]:
    """The figure phrases of one sentence, in order of position."""
    words = _Words(sentence)
    found = []
    for i, j, reading in _readings(words, None, 0, False):
        k = _shortest(words, i, j, reading, None)
        start, end = words.phrase(i, k)
        if _counts_something(words, i, k, reading):
            text = sentence[start:end]
            found.append(Phrase(start, end, text, reading[0], reading[1]))
    found += _article_led(words, found)
    found += _all_emptied(words)
    return sorted(found, key=lambda p: p.start)


def _article_led(words: _Words, found: list[Phrase]) -> list[Phrase]:
    """ "a dozen soldiers", "a hundred families": figures led by an article. The grammar reads a lone "a" as one
    only when a claim's own words are "a", so these are read apart, and a reading of one ("a military source")
    is not a figure here."""
    taken = []
    for i, j, reading in _readings(words, None, 0, True):
        if words.folded[i] not in ("a", "an") or reading == (1, 1):
            continue
        k = _shortest(words, i, j, reading, None)
        start, end = words.phrase(i, k)
        if k > i and _counts_something(words, i, k, reading) and \
                not any(p.start < end and start < p.end for p in found):
            taken.append(Phrase(start, end, words.text[start:end], reading[0], reading[1]))
    return taken


def _counts_something(words: _Words, i: int, k: int, reading: tuple[int, int | None]) -> bool:
    folded = words.folded
    raw = words.text[words.spans[i][0]:words.spans[k][1]]
    if any(mark in raw for mark in "/@#_") or re.search(r"\d[a-z]|[a-z]\d", raw, re.IGNORECASE):
        return False  # a link, a handle, a code: pic.twitter.com/2K2yiPRAHd
    if _MEASURE_SUFFIX.search(folded[k]):
        return False  # "a three-day period"
    before = folded[i - 1] if i > 0 else ""
    after = folded[k + 1] if k + 1 < len(folded) else ""
    if after in _MEASURES or before in ("$", "€", "£", "us$", "page", "no", "number", "article", "resolution"):
        return False
    if (before in _MONTHS and _run_on(words, i - 1)) or (after in _MONTHS and _run_on(words, k)):
        return False  # "January 21", "21 January"; not "In March, 40 people" nor "On 3 January, 13 people"
    low, high = reading
    digits = folded[k].strip(".,;:")
    if low == high and digits.isdigit() and len(digits) == 4 and 1800 <= low <= 2100:
        counted_noun = after.endswith("s") and after not in _MONTHS and not after[:1].isdigit()
        if before in _YEAR_LEADS or not counted_noun:
            return False  # "since 2019", "in March 2019"
    if low == high == 1 and folded[k] == "one" and after in ("of", "another", "day", "time"):
        return False  # "one of the deadliest"
    return True


def _run_on(words: _Words, i: int) -> bool:
    """Whether word ``i`` runs on into the next one, no comma or stop between them; the period of an abbreviated
    month before a day ("Jan. 5", "Sept. 12") stops nothing."""
    start, end = words.spans[i]
    text = words.text[start:end]
    day = words.folded[i + 1] if i + 1 < len(words.folded) else ""
    if text.endswith(".") and text[:1].isupper() and text[:-1].casefold() in _ABBREVIATED:
        return day.isdigit() and 1 <= int(day) <= 31
    return not text.endswith((",", ";", ":", ".", "!", "?"))


def _all_emptied(words: _Words) -> list[Phrase]:
    """ "all the fugitives were arrested": from "all" to the verb that leaves none remaining."""
    folded, found = words.folded, []
    for i, word in enumerate(folded):
        if word not in _ALL_WORDS:
            continue
        for j in range(i + 1, min(i + _ALL_TO_VERB + 1, len(folded))):
            if folded[j] in ALL_MEANS_NONE_REMAINING:
                start, end = words.phrase(i, j)
                found.append(Phrase(start, end, "none", 0, 0, ALL_MEANS_NONE_REMAINING[folded[j]]))
                break
            if words.text[words.spans[j][0]:words.spans[j][1]].endswith((".", ";", "?", "!")):
                break
    return found
