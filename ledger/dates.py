"""Dates and periods as users type them, checked with errors that name the option."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

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
    return not_future(field, text, found)


def future_problem(day: date) -> str | None:
    """Why ``day`` cannot be a date a source gave (it has not come yet, even east of UTC), or None."""
    today = datetime.now(timezone.utc).date()
    if day > today + timedelta(days=1):  # UTC+14 is a day ahead of UTC
        return f"is in the future (today is {today.isoformat()})"
    return None


def not_future(field: str, text: str, day: date) -> date:
    """``day``, unless it is after tomorrow: a claim records what was said, and nothing is said on a day to come."""
    problem = future_problem(day)
    if problem is not None:
        raise InputError(field, text, problem, "give the date the source gave; check the year")
    return day


MOMENT_HINT = "expected YYYY-MM-DD, or a time with its UTC offset as YYYY-MM-DDTHH:MM+03:00 (or Z for UTC)"

# A time of day must carry its offset: "14:05" alone is a different moment in Hasakah and in London.
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})")
_LOCAL_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?")


def parse_moment(field: str, text: str) -> tuple[date, datetime | None]:
    """A day, or a day and the moment in it: ``2022-01-22`` or ``2022-01-22T14:05+03:00``.

    Returns the calendar day as the source wrote it (the day in its own time
    zone) and, when a time was given, that moment in UTC. Times compare in
    UTC; a day-only date says nothing of the hour, so it is unordered against
    the times of its day.
    """
    day = calendar_date(text)
    if day is not None:
        return not_future(field, text, day), None
    stripped = text.strip() if isinstance(text, str) else ""
    if _MOMENT.fullmatch(stripped):
        try:
            moment = datetime.fromisoformat(stripped.replace("Z", "+00:00"))
            return not_future(field, text, moment.date()), moment.astimezone(timezone.utc)
        except ValueError:  # 2022-02-30T10:00Z, 25:00
            raise InputError(field, text, "is not a valid date and time", MOMENT_HINT) from None
        except OverflowError:  # 9999-12-31T23:59-01:00 is past the last day in UTC
            raise InputError(field, text, "is out of range: in UTC it falls outside the years 1 to 9999", MOMENT_HINT) from None
    if _LOCAL_TIME.fullmatch(stripped):
        raise InputError(field, text, "has a time but no UTC offset", f"add the offset the source used, e.g. {stripped}+03:00 (or Z for UTC)")
    raise InputError(field, text, "is not a valid date", MOMENT_HINT)


def moment_text(moment: datetime | None) -> str | None:
    """A moment as the ledger stores it: ISO 8601 in UTC (``2022-01-22T11:05:00+00:00``), fractions kept."""
    return None if moment is None else moment.astimezone(timezone.utc).isoformat()


def moment_of(text: str | None) -> datetime | None:
    """The stored form back to an aware datetime; None for None or text that is not one."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None


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
