"""Dates and periods as users type them, checked with errors that name the option."""

from __future__ import annotations

import re
from datetime import date

from ledger.errors import InputError
from ledger.model import Period

DATE_HINT = "expected a real calendar date as YYYY-MM-DD, e.g. 2022-01-22"

# Exactly what the help promises. date.fromisoformat alone also takes "20220122" and "2022-W03-6".
_CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def calendar_date(text: object) -> date | None:
    """``text`` as a YYYY-MM-DD calendar date (spaces around it ignored), or None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not _CALENDAR_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:  # 2022-02-30
        return None


def parse_date(field: str, text: str) -> date:
    found = calendar_date(text)
    if found is None:
        raise InputError(field, text, "is not a valid date", DATE_HINT)
    return found


def parse_period(field: str, text: str) -> Period:
    """``START..END``; either side must be a date and END must not precede START."""
    start_text, sep, end_text = text.partition("..")
    if not sep:
        raise InputError(field, text, "is not a period", "expected START..END, e.g. 2022-01-20..2022-01-23")
    start = parse_date(field, start_text)
    end = parse_date(field, end_text)
    if end < start:
        raise InputError(field, text, "ends before it starts", f"swap them: {end}..{start}")
    return Period(start=start, end=end)
