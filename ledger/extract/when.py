"""Dates as articles state them ("the day before yesterday, Thursday", "last year", "since July"), resolved
against the document's published date.

A weekday alone means the last such day on or before publication ("Tuesday's
attack" in a Thursday article is two days earlier); when the words name both a
relative day and a weekday ("today, Saturday") the relative day decides and the
weekday is only a check. Values are ISO strings: a day ``2022-01-20``, a month
``2025-11``, a year ``2021``, or a period ``2025-07-01..2025-12-17``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ledger.extract.records import StatedDate

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1}
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_RELATIVE_DAY = r"(?:the day before yesterday|yesterday|today|tonight|this morning|this evening)"
_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an)"
_UNIT = r"(?:days?|weeks?|months?|years?)"

# Longest forms first: each alternative is one way of stating a date.
_PATTERNS = [
    ("relative_weekday", rf"\b{_RELATIVE_DAY},?\s+(?:on\s+)?{_WEEKDAY}\b"),
    ("relative_day", rf"\b{_RELATIVE_DAY}\b"),
    ("past_span", rf"\b(?:over|in|during|within)\s+the\s+(?:past|last)\s+(?:{_COUNT}\s+)?{_UNIT}\b"),
    ("since_month", rf"\bsince\s+(?:last\s+)?{_MONTH}\b(?!\s+\d)"),
    ("last_unit", r"\b(?:last|this)\s+(?:year|month|week)\b"),
    ("last_month_name", rf"\blast\s+{_MONTH}\b"),
    ("month_day_year", rf"\b{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}\b"),
    ("day_month_year", rf"\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b"),
    ("month_year", rf"\b{_MONTH}\s+\d{{4}}\b"),
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
    return published - timedelta(days=(published.weekday() - _WEEKDAYS.index(name)) % 7)


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
    if form == "weekday":
        name = next(day for day in _WEEKDAYS if day in words)
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
    parts = words.replace(",", " ").split()
    try:
        if form == "month_day_year":
            return date(int(parts[2]), _MONTHS.index(parts[0]) + 1, int(parts[1])).isoformat()
        if form == "day_month_year":
            return date(int(parts[2]), _MONTHS.index(parts[1]) + 1, int(parts[0])).isoformat()
        if form == "month_year":
            return f"{int(parts[1]):04d}-{_MONTHS.index(parts[0]) + 1:02d}"
    except ValueError:  # February 30, 2022
        return None
    return None
