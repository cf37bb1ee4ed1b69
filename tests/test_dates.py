"""Days and moments as users type them: a time of day needs its UTC offset."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.dates import moment_of, moment_text, parse_moment
from ledger.errors import InputError

UTC = timezone.utc


@pytest.mark.parametrize("text, day, instant", [
    ("2022-01-22", date(2022, 1, 22), None),
    ("2022-01-22T14:05+03:00", date(2022, 1, 22), datetime(2022, 1, 22, 11, 5, tzinfo=UTC)),
    ("2022-01-22T14:05Z", date(2022, 1, 22), datetime(2022, 1, 22, 14, 5, tzinfo=UTC)),
    # the day is the source's own: 23:30 in New York on the 22nd is the 23rd in UTC
    ("2022-01-22T23:30-05:00", date(2022, 1, 22), datetime(2022, 1, 23, 4, 30, tzinfo=UTC)),
    ("2022-01-22 14:05:30.25+0300", date(2022, 1, 22), datetime(2022, 1, 22, 11, 5, 30, 250000, tzinfo=UTC)),
])
def test_a_day_or_a_moment_with_its_offset(text, day, instant):
    assert parse_moment("--published", text) == (day, instant)


@pytest.mark.parametrize("text, problem", [
    ("2022-01-22T14:05", "has a time but no UTC offset; add the offset the source used, e.g. 2022-01-22T14:05+03:00"),
    ("2022-02-30T10:00Z", "is not a valid date and time"),
    ("2022-01-22T24:30Z", "is not a valid date and time"),
    ("22/01/2022", "is not a valid date"),
    ("", "is not a valid date"),
])
def test_a_time_without_an_offset_or_an_impossible_moment_is_refused(text, problem):
    with pytest.raises(InputError) as refused:
        parse_moment("--as-of", text)
    assert refused.value.field == "--as-of"
    assert str(refused.value).startswith(f"--as-of: {text!r} {problem}")


# Fixed offsets, as users type them (+03:00): a zone's ambiguous hour at a clock change has no single instant.
OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))


@given(st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2100, 1, 1), timezones=OFFSETS))
def test_a_stored_moment_reads_back_as_the_same_instant(moment):
    stored = moment_of(moment_text(moment))
    assert stored == moment and stored.utcoffset() == timedelta(0)
