"""Dates and periods as users type them, checked with errors that name the option."""

from __future__ import annotations

from datetime import date

from ledger.errors import InputError
from ledger.model import Period

DATE_HINT = "expected a real calendar date as YYYY-MM-DD, e.g. 2022-01-22"


def parse_date(field: str, text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise InputError(field, text, "is not a valid date", DATE_HINT) from None


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
