"""One row at a time: checking an import row's fields and building its record.

:func:`parse_claim` reads a claim row field by field and words every problem
(:class:`~ledger.transfer.records.RowError`); :func:`_clean_claim` is its fast
path for the usual clean row. :class:`_Checker` parses the figures and dates a
file repeats once each; :class:`_Row` gives field access that records problems.
Source and document rows (JSONL only) are parsed here too. Problems are values,
never exceptions, so one pass reports every bad row.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from ledger.dates import calendar_date, future_problem, moment_text, parse_moment
from ledger.errors import InputError
from ledger.model import CREDIBILITIES, GRADES, MAX_ID, SOURCE_KINDS, Period
from ledger.figures import Quantity, parse_quantity
from ledger.transfer.spreadsheet import numeric_date_hint
from ledger.transfer.records import (
    CLAIM_FIELDS,
    DOCUMENT_FIELDS,
    SOURCE_FIELDS,
    ClaimRecord,
    DocumentRecord,
    RowError,
    SourceRecord,
)


_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


def _problem(exc: InputError) -> str:
    text = f"{exc.value!r} {exc.problem}"
    return text + (f"; {exc.hint}" if exc.hint else "")


class _Checker:
    """Parses one row's fields, collecting problems instead of stopping at the first.

    Figures and dates repeat across a large file ("45", "dozens", the same few
    hundred days): each distinct text is parsed once. The caches are dropped
    when they grow past a bound, so memory stays flat on any file.
    """

    CACHE_LIMIT = 200_000

    def __init__(self, file: str):
        self.file = file
        self._quantities: dict[tuple[str, str], Quantity | InputError] = {}
        self._dates: dict[str, date | None] = {}
        self._periods: dict[str, Period | None] = {}  # by "START..END"
        self._as_of: dict[str, Period | None] = {}  # by "DATE"

    def quantity(self, text: str, metric: str) -> Quantity | InputError:
        # The metric changes a reading only for "all" (accepted for some
        # metrics, refused without one): whatever reads without a metric reads
        # the same with any, so it is cached by its text alone.
        found = self._quantities.get(text)
        if found is None:
            found = self._quantities.get((text, metric))
        if found is None:
            if len(self._quantities) > self.CACHE_LIMIT:
                self._quantities.clear()
            try:
                found = parse_quantity(text)
                self._quantities[text] = found
                return found
            except InputError:
                pass
            try:
                found = parse_quantity(text, metric=metric)
            except InputError as exc:
                found = exc
            self._quantities[(text, metric)] = found
        return found

    def date(self, text: str) -> date | None:
        try:
            return self._dates[text]
        except KeyError:
            pass
        if len(self._dates) > self.CACHE_LIMIT:
            self._dates.clear()
        found = self._dates[text] = calendar_date(text)
        return found

    def period(self, text: str, as_of: bool = False) -> Period | None:
        """A valid ``as_of`` date or ``START..END`` as a Period; None when :func:`parse_claim` must explain it."""
        cache = self._as_of if as_of else self._periods
        try:
            return cache[text]
        except KeyError:
            pass
        if len(cache) > self.CACHE_LIMIT:
            cache.clear()
        found = None
        if as_of:
            end = self.date(text)
            found = Period(None, end) if end else None
        else:
            start_text, sep, end_text = text.partition("..")
            if sep:
                start, end = self.date(start_text), self.date(end_text)
                found = Period(start, end) if start and end and not end < start else None
        cache[text] = found
        return found


class _Row:
    """Field access for one row with its problems recorded as RowErrors."""

    __slots__ = ("data", "line", "checker", "errors")

    def __init__(self, data: dict, line: int, checker: _Checker):
        self.data, self.line, self.checker, self.errors = data, line, checker, []

    def fail(self, field: str, problem: str) -> None:
        self.errors.append(RowError(self.checker.file, self.line, field, problem))

    def text(self, field: str, required: bool = False) -> str | None:
        value = self.data.get(field)
        if value is None or value == "":
            if required:
                self.fail(field, "is missing")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and field == "value":
            return str(value)
        if not isinstance(value, str):
            self.fail(field, f"{value!r} is not text")
            return None
        if required and not value.strip():
            self.fail(field, f"{value!r} is empty")
            return None
        return value

    def integer(self, field: str) -> int | None:
        value = self.data.get(field)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            self.fail(field, f"{value!r} is not a whole number")
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            text = value.strip()
            # isdecimal, not isdigit: "²" is a digit int() refuses; one sign at most.
            if text[1:].isdecimal() if text[:1] in "+-" else text.isdecimal():
                if len(text) > 20:  # past any id, and int() refuses over 4,300 digits
                    shown = text if len(text) <= 40 else text[:40] + "…"
                    self.fail(field, f"{shown} is out of range; a whole number of at most 19 digits")
                    return None
                return int(text)
        self.fail(field, f"{value!r} is not a whole number")
        return None

    def record_id(self, field: str) -> int | None:
        """An id naming a record: a whole number from 1 to :data:`MAX_ID`."""
        value = self.integer(field)
        if value is not None and not 1 <= value <= MAX_ID:
            self.fail(field, f"{value!r} is out of range; an id is a whole number from 1 to {MAX_ID}")
            return None
        return value

    def flag(self, field: str) -> bool:
        value = self.data.get(field)
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, str) and value.strip().casefold() in _TRUE | _FALSE:
            return value.strip().casefold() in _TRUE
        self.fail(field, f"{value!r} is not true or false")
        return False

    def day(self, field: str, text: str | None = None) -> date | None:
        text = self.text(field) if text is None else text
        if text is None:
            return None
        found = self.checker.date(text)
        if found is None:
            hint = numeric_date_hint(text) or "expected a real calendar date as YYYY-MM-DD, e.g. 2022-01-22"
            self.fail(field, f"{text!r} is not a valid date; {hint}")
        elif (problem := future_problem(found)) is not None:
            self.fail(field, f"{text!r} {problem}; give the date the source gave")
            return None
        return found

    def moment(self, field: str, text: str | None = None, time_required: bool = False) -> tuple[date | None, datetime | None]:
        """A day, or a day and a time with its offset (``2022-01-22T14:05+03:00``): the day and the UTC moment."""
        text = self.text(field) if text is None else text
        if text is None:
            return None, None
        try:
            day, moment = parse_moment(field, text)
        except InputError as exc:
            hint = numeric_date_hint(text)
            self.fail(field, f"{text!r} is not a valid date; {hint}" if hint else _problem(exc))
            return None, None
        if time_required and moment is None:
            self.fail(field, f"{text!r} has no time of day; give one with its offset, e.g. {text}T14:05+03:00")
        return day, moment

    def names(self, field: str) -> tuple[str, ...]:
        value = self.data.get(field)
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                try:
                    value = json.loads(value)
                except json.JSONDecodeError:
                    self.fail(field, f"{value!r} is not a JSON list of names")
                    return ()
            else:
                return tuple(name.strip() for name in value.split("|"))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(field, f"{value!r} is not a list of names")
            return ()
        return tuple(value)


def _clean_claim(data: dict, line: int, checker: _Checker) -> ClaimRecord | None:
    """The usual row, checked in one pass: its record, or None if anything needs :func:`parse_claim`.

    Imports are mostly clean rows of plain JSON types, and the generic field
    accessors cost more than the checks. This accepts only what
    :func:`parse_claim` accepts and builds the same record (tested with
    hypothesis); every problem, and every less common spelling (numbers as
    text, ``via`` as one string, ``"yes"`` for true), goes to
    :func:`parse_claim`, which finds and words the problems. Long because it
    is one straight run of type checks per field, the hot path of an import:
    a call per field would cost more than the checks.
    """
    if not data.keys() <= _CLAIM_KEYS or not data.keys().isdisjoint(_RARE_KEYS):
        return None
    try:
        event, metric, value, said_by = data["event"], data["metric"], data["value"], data["said_by"]
    except KeyError:
        return None
    if type(event) is not str or type(metric) is not str or type(said_by) is not str:
        return None
    event = event.strip()
    if not event or not said_by.strip() or not metric.strip():
        return None
    if type(value) is int:
        value = str(value)
    elif type(value) is not str or not value.strip():
        return None
    quantity = checker.quantity(value, metric)
    if type(quantity) is not Quantity:
        return None
    # Optional fields: absent, null or "" all mean "not given".
    group = data["group"] if "group" in data else None
    if group is not None and group != "":
        if type(group) is not str or not group.strip():
            return None
        group = group.strip()
    else:
        group = None
    via = data["via"] if "via" in data else None
    if not via:
        if via is not None and via != [] and via != "":
            return None
        via = ()
    elif type(via) is list and all(type(name) is str and name.strip() for name in via):
        via = tuple(via)
    else:
        return None
    published = data["published"] if "published" in data else None
    if published:
        if type(published) is not str:
            return None
        published = checker.date(published)
        if published is None:
            return None
    elif published is not None and published != "":
        return None
    else:
        published = None
    as_of = data["as_of"] if "as_of" in data else None
    period = data["period"] if "period" in data else None
    if as_of:
        if type(as_of) is not str or (period is not None and period != ""):
            return None
        period = checker.period(as_of, as_of=True)
        if period is None:
            return None
    elif as_of is not None and as_of != "":
        return None
    elif period:
        if type(period) is not str:
            return None
        period = checker.period(period)
        if period is None:
            return None
    elif period is not None and period != "":
        return None
    else:
        period = None
    credibility = data["credibility"] if "credibility" in data else None
    if credibility is not None and (type(credibility) is not int or not 1 <= credibility <= 6):
        return None
    doc = data["doc"] if "doc" in data else None
    if doc is not None and (type(doc) is not int or not 1 <= doc <= MAX_ID):
        return None
    location = data["location"] if "location" in data else None
    if location is not None and type(location) is not str:
        return None
    quote = data["quote"] if "quote" in data else None
    if quote is not None and type(quote) is not str:
        return None
    unverified = data["unverified_quote"] if "unverified_quote" in data else False
    retracted = data["retracted"] if "retracted" in data else False
    if unverified is not True and unverified is not False:
        if unverified is not None:
            return None
        unverified = False
    if retracted is not True and retracted is not False:
        if retracted is not None:
            return None
        retracted = False
    return _new_claim((line, event, metric.strip(), quantity, said_by, group, via, doc, published, None, period, None,
                       location or None, quote or None, None, unverified, credibility, retracted))


def parse_claim(data: dict, line: int, checker: _Checker) -> ClaimRecord | list[RowError]:
    """One claim row (a dict of field → text or JSON value) as a record, or its problems."""
    row = _Row(data, line, checker)
    unknown = [k for k in data if k not in _CLAIM_KEYS]
    for key in unknown:
        row.fail(str(key), f"is not a claim field; expected some of {', '.join(CLAIM_FIELDS)}")
    event, metric = row.text("event", True), row.text("metric", True)
    value_text, said_by = row.text("value", True), row.text("said_by", True)
    group = row.text("group")
    if group is not None and not group.strip():
        row.fail("group", f"{group!r} is empty; leave it out for a total")
    value = None
    if value_text is not None and metric is not None:
        found = checker.quantity(value_text, metric)
        if isinstance(found, InputError):
            row.fail("value", _problem(found))
        else:
            value = found
    via = row.names("via")
    for name in via:
        if not name.strip():
            row.fail("via", "has an empty name")
    published, published_at = row.moment("published")
    published_at = _one_moment(row, "published", published, published_at)
    as_of_text, period_text = row.text("as_of"), row.text("period")
    period, as_of_at = None, None
    if as_of_text is not None and period_text is not None:
        row.fail("as_of", "cannot be combined with period; give one: as_of DATE or period START..END")
    elif as_of_text is not None:
        end, as_of_at = row.moment("as_of", as_of_text)
        period = Period(start=None, end=end) if end else None
        as_of_at = _one_moment(row, "as_of", end, as_of_at)
    elif period_text is not None:
        start_text, sep, end_text = period_text.partition("..")
        if not sep:
            row.fail("period", f"{period_text!r} is not a period; expected START..END, e.g. 2022-01-20..2022-01-23")
        else:
            start, end = row.day("period", start_text), row.day("period", end_text)
            if start and end and end < start:
                row.fail("period", f"{period_text!r} ends before it starts; swap them: {end}..{start}")
            elif start and end:
                period = Period(start=start, end=end)
    credibility = row.integer("credibility")
    if credibility is not None and credibility not in CREDIBILITIES:
        row.fail("credibility", f"{credibility!r} is out of range; 1 (confirmed) to 6 (cannot be judged)")
    doc = row.record_id("doc")
    if as_of_text is None and row.text("as_of_at") is not None:
        row.fail("as_of_at", "needs as_of, the day it falls on")
    location, quote, quote_original = row.text("location"), row.text("quote"), row.text("quote_original")
    if quote_original is not None and quote is None:
        row.fail("quote_original", "needs quote: give the words as the document prints them, or their translation")
    unverified, retracted = row.flag("unverified_quote"), row.flag("retracted")
    if row.errors:
        return row.errors
    return ClaimRecord(
        line, event.strip(), metric.strip(), value, said_by, group.strip() if group else None, via, doc,
        published, published_at, period, as_of_at, location, quote, quote_original, unverified, credibility, retracted,
    )


def _one_moment(row: _Row, field: str, day: date | None, moment: datetime | None) -> datetime | None:
    """The moment given in ``field`` itself or in ``field``_at (as an export writes it); both must agree."""
    _, separate = row.moment(f"{field}_at", time_required=True)
    if separate is None:
        return moment
    if moment is not None and moment != separate:
        row.fail(f"{field}_at", f"{moment_text(separate)!r} is not the moment {field} gives ({moment_text(moment)})")
    elif day is None:
        row.fail(f"{field}_at", f"needs {field}, the day as the source dated it")
    return separate


_CLAIM_KEYS = frozenset(CLAIM_FIELDS) | {"record"}
# Keys the fast path leaves to parse_claim: rare in imports, and each needs checks of its own.
_RARE_KEYS = frozenset({"published_at", "as_of_at", "quote_original"})
_new_claim = ClaimRecord._make  # from a tuple of every field, in order: skips the keyword handling


def _parse_source(data: dict, line: int, checker: _Checker) -> SourceRecord | list[RowError]:
    row = _Row(data, line, checker)
    for key in data:
        if key not in SOURCE_FIELDS:
            row.fail(str(key), f"is not a source field; expected some of {', '.join(SOURCE_FIELDS[1:])}")
    name = row.text("name", True)
    kind = row.text("kind") or "other"
    if kind not in SOURCE_KINDS:
        row.fail("kind", f"{kind!r} is not a valid choice; one of {', '.join(SOURCE_KINDS)}")
    grade = row.text("grade")
    if grade is not None and grade not in GRADES:
        row.fail("grade", f"{grade!r} is not a valid choice; one of {', '.join(GRADES)}")
    aliases = row.names("aliases")
    affiliation = row.text("affiliation")
    if row.errors:
        return row.errors
    return SourceRecord(line, name.strip(), kind, aliases, affiliation, grade)


def _parse_document(data: dict, line: int, checker: _Checker) -> DocumentRecord | list[RowError]:
    row = _Row(data, line, checker)
    for key in data:
        if key not in DOCUMENT_FIELDS:
            row.fail(str(key), f"is not a document field; expected some of {', '.join(DOCUMENT_FIELDS[1:])}")
    doc_id = row.record_id("id")
    if doc_id is None and "id" not in data:
        row.fail("id", "is missing; claims name the document by it")
    outlet = row.text("outlet", True)
    published, published_at = row.moment("published")
    published_at = _one_moment(row, "published", published, published_at)
    if published is None and not row.data.get("published"):
        row.fail("published", "is missing")
    url, title, text, archive_url = row.text("url"), row.text("title"), row.text("text"), row.text("archive_url")
    fetched_day, fetched_at = row.moment("retrieved")
    previous = row.record_id("previous")
    if row.errors:
        return row.errors
    return DocumentRecord(line, doc_id, outlet, published, published_at=published_at, url=url, title=title, text=text,
                          archive_url=archive_url, retrieved=fetched_at or fetched_day, previous_id=previous)
