"""Dates as articles state them ("the day before yesterday, Thursday", "last year", "since July"), resolved
against the document's published date.

A weekday alone means the last such day on or before publication ("Tuesday's
attack" in a Thursday article is two days earlier); when the words name both a
relative day and a weekday ("today, Saturday") the relative day decides and the
weekday is only a check: :func:`weekday_conflict` says when it fails ("on
Tuesday, January 4" when January 4 was a Wednesday), for the reviewer to settle.
A day or month stated without its year ("on January 3", "on 3 January", "in
March") is the latest one not after publication; a month abbreviated before a
day, as AP style writes it ("Jan. 5", "Sept. 12", "Dec 3", "on Jan. 5, 2020"),
reads as the month spelled out; "in 2023" is that year; "two days ago", "the
previous day" and "the day before" count back from publication. Values are ISO
strings: a day ``2022-01-20``, a month ``2025-11``, a year ``2021``, or a period
``2025-07-01..2025-12-17``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ledger.extract.records import StatedDate

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # in date.weekday() order
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1}
_WEEKDAY = f"(?:{'|'.join(WEEKDAYS)})"
_MONTH = f"(?:{'|'.join(_MONTHS)})"
# Abbreviated months, with their capital: "Jan. 5", "Sept. 12", "Dec 3"; only where a day goes with them.
_BARE = r"(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_ABBREVIATED = rf"{_BARE}\.?"  # before a day: "Jan. 5"; after one ("5 Jan") the period is the sentence's
_MONTH_WORDS = {**{name: k for k, name in enumerate(_MONTHS, start=1)},
                **{name[:3]: k for k, name in enumerate(_MONTHS, start=1)}, "sept": 9}
_RELATIVE_DAY = r"(?:the\s+day\s+before\s+yesterday|yesterday|today|tonight|this\s+morning|this\s+evening)"
_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an)"
_UNIT = r"(?:days?|weeks?|months?|years?)"
# "May" only with its capital: "may" is a verb far more often than a month
_MONTH_NAMED = f"(?:{'|'.join('(?-i:May)' if name == 'may' else name for name in _MONTHS)})"
_MONTH_DAY = rf"(?:{_MONTH_NAMED}|{_ABBREVIATED})"  # a month a day follows: spelled out or abbreviated
_DAY_MONTH = rf"(?:{_MONTH_NAMED}|{_BARE})"  # a month after its day
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_NO_YEAR = r"(?!,?\s+\d{4})"  # "January 3, 2022" is read whole, as month_day_year

# Longest forms first: each alternative is one way of stating a date.
_PATTERNS = [
    ("weekday_date", (rf"\b(?:on\s+)?{_WEEKDAY},?\s+(?:the\s+)?(?:{_MONTH_DAY}\s+{_ORDINAL}|{_ORDINAL}\s+(?:of\s+)?"
                      rf"{_DAY_MONTH})\b(?:,?\s+\d{{4}}\b)?")),
    ("relative_weekday", rf"\b{_RELATIVE_DAY},?\s+(?:on\s+)?{_WEEKDAY}\b"),
    ("relative_day", rf"\b{_RELATIVE_DAY}\b"),
    ("day_before", r"\b(?:the\s+)?(?:previous|preceding)\s+day\b|\bthe\s+day\s+before\b(?!\s+yesterday)"),
    ("ago", rf"\b{_COUNT}\s+{_UNIT}\s+ago\b"),
    ("past_span", rf"\b(?:over|in|during|within)\s+the\s+(?:past|last)\s+(?:{_COUNT}\s+)?{_UNIT}\b"),
    ("since_month", rf"\bsince\s+(?:last\s+)?{_MONTH}\b(?!\s+\d)"),
    ("last_unit", r"\b(?:last|this)\s+(?:year|month|week)\b"),
    ("last_month_name", rf"\blast\s+{_MONTH}\b"),
    ("month_day_year", rf"\b(?:{_MONTH}|{_ABBREVIATED})\s+\d{{1,2}},?\s+\d{{4}}\b"),
    ("day_month_year", rf"\b\d{{1,2}}\s+(?:{_MONTH}|{_BARE})\s+\d{{4}}\b"),
    ("month_year", rf"\b{_MONTH}\s+\d{{4}}\b"),
    ("month_day", rf"\b(?:on\s+)?{_MONTH_DAY}\s+{_ORDINAL}\b{_NO_YEAR}"),
    ("day_month", rf"\b(?:on\s+)?(?:the\s+)?{_ORDINAL}\s+(?:of\s+)?{_DAY_MONTH}\b{_NO_YEAR}"),
    ("in_month", rf"\bin\s+{_MONTH_NAMED}\b(?!\s+\d)"),
    ("in_year", r"\b(?:in|during|throughout)\s+(?:the\s+year\s+)?(?:19|20)\d\d\b(?![,.]?\d)"),
    ("weekday", rf"\b(?:on\s+)?(?:last\s+)?{_WEEKDAY}(?:['’]s)?\b"),
]
_FORMS = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _PATTERNS), re.IGNORECASE)


def stated_dates(text: str, published: date | None, offset: int = 0) -> list[StatedDate]:
    """Every date stated in ``text`` that ``published`` lets us resolve, spans shifted by ``offset``."""
    if published is None:
        return []
    found = []
    for match in _FORMS.finditer(text):
        value = _resolve(match.lastgroup, match.group(0).casefold(), published)
        if value is not None:
            found.append(StatedDate(match.group(0), (offset + match.start(), offset + match.end()), value))
    return found


def resolve_date(words: str, published: date) -> str | None:
    """What ``words`` (a whole date expression) mean against ``published``, or None if they state no date."""
    match = _FORMS.fullmatch(words.strip())
    return None if match is None else _resolve(match.lastgroup, match.group(0).casefold(), published)


def _last_weekday(name: str, published: date) -> date:
    return published - timedelta(days=(published.weekday() - WEEKDAYS.index(name)) % 7)


def _relative_day(words: str, published: date) -> date:
    if "day before yesterday" in words:
        return published - timedelta(days=2)
    if "yesterday" in words:
        return published - timedelta(days=1)
    return published


def _months_back(day: date, months: int) -> date:
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in range(day.day, 0, -1):  # 31 March minus one month is 28 February
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _resolve(form: str | None, words: str, published: date) -> str | None:
    words = " ".join(words.split())
    if form in ("relative_weekday", "relative_day"):
        return _relative_day(words, published).isoformat()
    if form == "day_before":
        return (published - timedelta(days=1)).isoformat()
    if form == "ago":
        return _ago(words, published)
    if form in ("weekday_date", "month_day", "day_month"):
        return _day_in_year(words, published)
    if form == "in_month":
        month = _MONTHS.index(words.split()[-1]) + 1
        return f"{published.year if month <= published.month else published.year - 1:04d}-{month:02d}"
    if form == "in_year":
        return words.split()[-1]
    if form == "weekday":
        name = next(day for day in WEEKDAYS if day in words)
        day = _last_weekday(name, published)
        if "last" in words.split() and day == published:
            day -= timedelta(days=7)
        return day.isoformat()
    if form == "past_span":
        count_word = words.split()[-2]
        count = int(count_word) if count_word.isdigit() else _NUMBERS.get(count_word, 1)
        unit = words.split()[-1].rstrip("s")
        if unit == "day":
            start = published - timedelta(days=count)
        elif unit == "week":
            start = published - timedelta(weeks=count)
        else:
            start = _months_back(published, count * (12 if unit == "year" else 1))
        return f"{start.isoformat()}..{published.isoformat()}"
    if form == "since_month":
        month = _MONTHS.index(words.split()[-1]) + 1
        year = published.year if month <= published.month else published.year - 1
        return f"{date(year, month, 1).isoformat()}..{published.isoformat()}"
    if form == "last_unit":
        unit = words.split()[-1]
        shift = 1 if words.startswith("last") else 0
        if unit == "year":
            return str(published.year - shift)
        if unit == "month":
            return _months_back(published.replace(day=1), shift).isoformat()[:7]
        monday = published - timedelta(days=published.weekday(), weeks=shift)
        return f"{monday.isoformat()}..{(monday + timedelta(days=6)).isoformat()}"
    if form == "last_month_name":
        month = _MONTHS.index(words.split()[-1]) + 1
        year = published.year if month < published.month else published.year - 1
        return f"{year:04d}-{month:02d}"
    return _absolute(form, words)


def _absolute(form: str | None, words: str) -> str | None:
    parts = words.replace(",", " ").replace(".", " ").split()
    try:
        if form == "month_day_year":
            return date(int(parts[2]), _MONTH_WORDS[parts[0]], int(parts[1])).isoformat()
        if form == "day_month_year":
            return date(int(parts[2]), _MONTH_WORDS[parts[1]], int(parts[0])).isoformat()
        if form == "month_year":
            return f"{int(parts[1]):04d}-{_MONTHS.index(parts[0]) + 1:02d}"
    except ValueError:  # February 30, 2022
        return None
    return None


def _ago(words: str, published: date) -> str:
    """ "two days ago" a day, "three weeks ago" a day, "a month ago" a month, "two years ago" a year."""
    count_word, unit = words.split()[-3], words.split()[-2].rstrip("s")
    count = int(count_word) if count_word.isdigit() else _NUMBERS.get(count_word, 1)
    if unit in ("day", "week"):
        return (published - timedelta(days=count * (7 if unit == "week" else 1))).isoformat()
    if unit == "month":
        return _months_back(published.replace(day=1), count).isoformat()[:7]
    return str(published.year - count)


def _day_in_year(words: str, published: date) -> str | None:
    """A day and month, in the year stated, else the latest such day not after publication."""
    month = next(_MONTH_WORDS[word] for word in re.findall(r"[a-z]+", words) if word in _MONTH_WORDS)
    numbers = [int(n) for n in re.findall(r"\d+", words)]
    try:
        if len(numbers) > 1:
            return date(numbers[1], month, numbers[0]).isoformat()
        day = date(published.year, month, numbers[0])
        return (day if day <= published else date(published.year - 1, month, numbers[0])).isoformat()
    except ValueError:  # "February 30", "29 February" in a year with none
        return None


def weekday_conflict(stated: StatedDate) -> str | None:
    """What is wrong when the words name a weekday the resolved day was not ("on Tuesday, January 4", 2022), else None.

    The day stated wins (a weekday is the likelier slip); the note asks the reviewer to check.
    """
    named = next((day for day in WEEKDAYS if re.search(rf"\b{day}\b", stated.text.casefold())), None)
    if named is None or len(stated.value) != 10:
        return None
    actual = WEEKDAYS[date.fromisoformat(stated.value).weekday()]
    if actual == named:
        return None
    return (f"date: “{' '.join(stated.text.split())}” names a {named.capitalize()}, but {stated.value} was a "
            f"{actual.capitalize()}; {stated.value} taken, check the article")
