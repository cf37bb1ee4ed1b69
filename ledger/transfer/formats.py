"""Claims in and out of files: parsing import rows and serialising exports.

Pure: no database, no CLI. ``ledger.storage.importer`` feeds the records this
module reads into the ledger; ``ledger.cli.transfer`` is the thin face.

Import rows carry the fields of ``ledger claim add``, one claim per CSV row or
JSONL line (:data:`CLAIM_FIELDS`): the figure as text (read by the quantity
parser), sources by name or alias, ``via`` as a list (in CSV: names joined by
``|``, or a JSON array), ``doc`` a document id, dates as YYYY-MM-DD, either
``as_of`` or ``period`` (``START..END``). Problems are values
(:class:`RowError`, printed ``FILE:LINE: field: problem``), never exceptions,
so one pass reports every bad row.

A JSONL file may also hold ``{"record": "source", …}`` and ``{"record":
"document", …}`` lines before the claims: ``ledger export --format jsonl``
writes the sources (with kinds, aliases, affiliations, grades) and documents
(with their text) the claims refer to, so a whole ledger round-trips into an
empty one. When a file holds document records, a claim's ``doc`` names one of
them by its ``id`` in the file; otherwise it is a document id of the target
ledger. CSV holds claims only: import it where the sources exist, or with
``--create-sources``.

What an export does not carry: claim ids and ``recorded_at`` (the target
ledger assigns its own, so a re-export is byte-identical), and the earlier
values of corrected claims (the export holds each claim's current figure; its
history stays in the ledger it came from).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ledger.errors import InputError
from ledger.model import CREDIBILITIES, GRADES, SOURCE_KINDS, Claim, Document, Period, Source
from ledger.figures import Quantity, parse_quantity

FORMATS = ("csv", "jsonl")
EXPORT_FORMATS = ("csv", "jsonl", "claimreview", "prov-json")

# Columns of a CSV import/export, in order; also the keys of a JSONL claim line.
CLAIM_FIELDS = (
    "event", "metric", "group", "value", "said_by", "via", "doc", "published", "as_of", "period",
    "location", "quote", "unverified_quote", "credibility", "retracted",
)
SOURCE_FIELDS = ("record", "name", "kind", "aliases", "affiliation", "grade")
DOCUMENT_FIELDS = ("record", "id", "outlet", "published", "url", "title", "text")
_REQUIRED = ("event", "metric", "value", "said_by")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem with one row: ``FILE:LINE: field: problem``."""

    file: str
    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.problem}"


class ClaimRecord(NamedTuple):
    """A claim row, parsed and checked on its own (names are resolved by storage).

    A named tuple rather than a frozen dataclass: a million-row import builds a
    million of them, and a tuple is built in a third of the time.
    """

    line: int
    event: str
    metric: str
    value: Quantity
    said_by: str
    group: str | None = None
    via: tuple[str, ...] = ()
    doc: int | None = None
    published: date | None = None
    period: Period | None = None
    location: str | None = None
    quote: str | None = None
    unverified_quote: bool = False
    credibility: int | None = None
    retracted: bool = False


@dataclass(frozen=True, slots=True)
class SourceRecord:
    line: int
    name: str
    kind: str = "other"
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None
    grade: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    line: int
    id: int  # its id in the file, which claims' ``doc`` refer to
    outlet: str
    published: date
    url: str | None = None
    title: str | None = None
    text: str | None = None


Record = ClaimRecord | SourceRecord | DocumentRecord


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
        try:
            found = date.fromisoformat(text.strip())
        except (ValueError, AttributeError, TypeError):
            found = None
        self._dates[text] = found
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
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        self.fail(field, f"{value!r} is not a whole number")
        return None

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
            self.fail(field, f"{text!r} is not a valid date; expected a real calendar date as YYYY-MM-DD, e.g. 2022-01-22")
        return found

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
    :func:`parse_claim`, which finds and words the problems.
    """
    if not data.keys() <= _CLAIM_KEYS:
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
    if doc is not None and type(doc) is not int:
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
    return _new_claim((line, event, metric.strip(), quantity, said_by, group, via, doc, published, period,
                       location or None, quote or None, unverified, credibility, retracted))


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
    published = row.day("published")
    as_of_text, period_text = row.text("as_of"), row.text("period")
    period = None
    if as_of_text is not None and period_text is not None:
        row.fail("as_of", "cannot be combined with period; give one: as_of DATE or period START..END")
    elif as_of_text is not None:
        end = row.day("as_of", as_of_text)
        period = Period(start=None, end=end) if end else None
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
    doc = row.integer("doc")
    location, quote = row.text("location"), row.text("quote")
    unverified, retracted = row.flag("unverified_quote"), row.flag("retracted")
    if row.errors:
        return row.errors
    return ClaimRecord(
        line, event.strip(), metric.strip(), value, said_by, group.strip() if group else None, via, doc,
        published, period, location, quote, unverified, credibility, retracted,
    )


_CLAIM_KEYS = frozenset(CLAIM_FIELDS) | {"record"}
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
    doc_id = row.integer("id")
    if doc_id is None and "id" not in data:
        row.fail("id", "is missing; claims name the document by it")
    outlet = row.text("outlet", True)
    published = row.day("published")
    if published is None and not row.data.get("published"):
        row.fail("published", "is missing")
    url, title, text = row.text("url"), row.text("title"), row.text("text")
    if row.errors:
        return row.errors
    return DocumentRecord(line, doc_id, outlet, published, url, title, text)


def read_jsonl(stream: Iterable[str], file: str) -> Iterator[Record | list[RowError]]:
    """Records (or each bad line's problems) from JSON Lines, in file order; blank lines skipped."""
    checker = _Checker(file)
    # The C scanner json.loads ends in, called directly: half the cost of a
    # short line. A line it does not read as one object starting at its first
    # character and followed only by the newline goes to json.loads, which
    # skips the whitespace or words the problem.
    scan = json.JSONDecoder().scan_once
    for line_no, text in enumerate(stream, start=1):
        try:
            data, end = scan(text, 0)
        except (StopIteration, ValueError):
            data, end = None, -1
        if end < 0 or (end != len(text) and not text[end:].isspace()):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                yield [RowError(file, line_no, "line", f"is not valid JSON ({exc.msg} at column {exc.colno})")]
                continue
        if type(data) is not dict:
            yield [RowError(file, line_no, "line", "is not a JSON object")]
            continue
        kind = data.get("record", "claim")
        if kind == "claim":
            yield _clean_claim(data, line_no, checker) or parse_claim(data, line_no, checker)
        elif kind == "source":
            yield _parse_source(data, line_no, checker)
        elif kind == "document":
            yield _parse_document(data, line_no, checker)
        else:
            yield [RowError(file, line_no, "record", f"{kind!r} is not a record kind; one of claim, source, document")]


def read_csv(stream: Iterable[str], file: str) -> Iterator[Record | list[RowError]]:
    """Claim records from CSV with a header row (:data:`CLAIM_FIELDS`, any order, ``said-by`` = ``said_by``)."""
    checker = _Checker(file)
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield [RowError(file, 1, "header", f"is not valid CSV ({exc})")]
        return
    columns = [h.strip().replace("-", "_") for h in header]
    unknown = [c for c in columns if c not in CLAIM_FIELDS]
    if unknown:
        yield [RowError(file, 1, c, f"is not a claim field; expected some of {', '.join(CLAIM_FIELDS)}") for c in unknown]
        return
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        yield [RowError(file, 1, c, "column is missing") for c in missing]
        return
    width = len(columns)
    line_no = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield [RowError(file, line_no, "line", f"is not valid CSV ({exc})")]
            return
        start, line_no = line_no, reader.line_num + 1
        if not cells:
            continue
        if len(cells) != width:
            yield [RowError(file, start, "line", f"has {len(cells)} cells; the header has {width}")]
            continue
        yield parse_claim({c: v for c, v in zip(columns, cells) if v != ""}, start, checker)


def read_records(stream: Iterable[str], fmt: str, file: str) -> Iterator[Record | list[RowError]]:
    if fmt == "csv":
        return read_csv(stream, file)
    if fmt == "jsonl":
        return read_jsonl(stream, file)
    raise InputError("--format", fmt, "is not an import format", "csv or jsonl")


def guess_format(path: str) -> str:
    lower = path.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    raise InputError("--format", None, f"cannot be guessed from {path!r}", "pass --format csv or --format jsonl")


# -- export ------------------------------------------------------------------------


def claim_row(claim: Claim) -> dict:
    """A claim as an import row: exactly what ``import`` needs to record it again."""
    period = claim.period
    return {
        "event": claim.event,
        "metric": claim.metric,
        "group": claim.group,
        "value": claim.value.text,
        "said_by": claim.said_by,
        "via": list(claim.via),
        "doc": claim.document_id,
        "published": claim.published.isoformat() if claim.published else None,
        "as_of": period.end.isoformat() if period and period.start is None else None,
        "period": f"{period.start.isoformat()}..{period.end.isoformat()}" if period and period.start else None,
        "location": claim.location,
        "quote": claim.quote,
        "unverified_quote": bool(claim.quote) and not claim.quote_verified,
        "credibility": claim.credibility,
        "retracted": claim.retracted,
    }


def source_line(source: Source) -> dict:
    return {"record": "source", "name": source.name, "kind": source.kind, "aliases": list(source.aliases),
            "affiliation": source.affiliation, "grade": source.grade}


def document_line(doc: Document) -> dict:
    return {"record": "document", "id": doc.id, "outlet": doc.outlet, "published": doc.published.isoformat(),
            "url": doc.url, "title": doc.title, "text": doc.text}


def sources_in_dependency_order(sources: Iterable[Source]) -> list[Source]:
    """By name, but every source after the one it is affiliated with, so import can resolve it."""
    pending = sorted(sources, key=lambda s: s.name)
    done: set[str] = set()
    ordered: list[Source] = []
    while pending:
        ready = [s for s in pending if not s.affiliation or s.affiliation in done
                 or s.affiliation not in {p.name for p in pending}]
        if not ready:  # a cycle: cannot happen through the CLI; keep the rest as they are
            ready = pending
        ordered.extend(ready)
        done.update(s.name for s in ready)
        pending = [s for s in pending if s.name not in done]
    return ordered


_DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def jsonl_lines(sources: Iterable[Source], documents: Iterable[Document], claims: Iterable[Claim]) -> Iterator[str]:
    """The JSONL export, line by line (each ends in ``\\n``): sources, documents, then claims."""
    for s in sources_in_dependency_order(sources):
        yield _DUMPS(source_line(s)) + "\n"
    for d in documents:
        yield _DUMPS(document_line(d)) + "\n"
    for c in claims:
        row = claim_row(c)
        yield _DUMPS({k: v for k, v in row.items() if v not in (None, [], False)}) + "\n"


def _cell(value: object) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "true"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False) if any("|" in v for v in value) else "|".join(value)
    return str(value)


def csv_lines(claims: Iterable[Claim]) -> Iterator[str]:
    """The CSV export (claims only), line by line, header first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CLAIM_FIELDS)
    yield out.getvalue()
    for c in claims:
        out.seek(0)
        out.truncate()
        writer.writerow([_cell(v) for v in claim_row(c).values()])
        yield out.getvalue()


# -- reviews and provenance ------------------------------------------------------------

# Verdicts as a schema.org Rating: 1 (worst, contradicted) to 4 (corroborated).
_RATING = {"contradiction": 1, "divergence": 2, "revision": 3, "agreement": 4}
_AUTHOR_TYPES = {"person": "Person", "anonymous": "Organization"}


def _claim_text(c: Claim) -> str:
    group = f" ({c.group})" if c.group else ""
    return f"{c.event}: {c.metric}{group} {c.value.text}"


def claim_reviews(findings: Iterable, claims: dict[int, Claim], documents: dict[int, Document],
                  source_kinds: dict[str, str], reviewed_on: date, reviewer: str = "ledger") -> list[dict]:
    """schema.org ClaimReview (JSON-LD) for every stated claim the reconciler gave a verdict.

    ``findings`` come worst first (as ``reconcile`` sorts them); a claim in
    several findings is reviewed with its worst verdict. One review per claim,
    by claim id.
    """
    verdicts: dict[int, object] = {}
    for finding in findings:
        for figure in finding.figures:
            if figure.claim_id is not None and figure.claim_id not in verdicts:
                verdicts[figure.claim_id] = finding
    reviews = []
    for claim_id in sorted(verdicts):
        finding, c = verdicts[claim_id], claims.get(claim_id)
        if c is None:
            continue
        item: dict = {
            "@type": "Claim",
            "author": {"@type": _AUTHOR_TYPES.get(source_kinds.get(c.said_by, ""), "Organization"), "name": c.said_by},
        }
        if c.published:
            item["datePublished"] = c.published.isoformat()
        doc = documents.get(c.document_id) if c.document_id is not None else None
        if doc is not None:
            appearance = {"@type": "CreativeWork", "publisher": {"@type": "Organization", "name": doc.outlet},
                          "datePublished": doc.published.isoformat()}
            if doc.url:
                appearance["url"] = doc.url
            if doc.title:
                appearance["headline"] = doc.title
            item["appearance"] = appearance
        elif c.via:
            item["appearance"] = {"@type": "CreativeWork", "publisher": {"@type": "Organization", "name": c.via[-1]}}
        if c.quote:
            item["text"] = c.quote
        reviews.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "identifier": f"urn:ledger:claim/{claim_id}",
            "claimReviewed": _claim_text(c),
            "itemReviewed": item,
            "datePublished": reviewed_on.isoformat(),
            "author": {"@type": "Organization", "name": reviewer},
            "reviewRating": {
                "@type": "Rating", "ratingValue": _RATING[finding.verdict], "bestRating": 4, "worstRating": 1,
                "alternateName": finding.verdict, "ratingExplanation": finding.reason,
            },
        })
    return reviews


def derived_totals(findings: Iterable) -> list[dict]:
    """The reconciler's derived totals (sums of one source's parts), as ``to_prov_json`` items, once each."""
    seen: dict[str, dict] = {}
    for finding in findings:
        for f in finding.figures:
            if not f.derived:
                continue
            q = finding.quantity
            name = f"{q.event}/{q.metric}/{f.said_by}/document-{f.document_id}"
            seen.setdefault(name, {
                "id": f"derived:{name}", "parts": list(f.parts), "said_by": f.said_by, "value": f.value.to_dict(),
                "event": q.event, "metric": q.metric,
            })
    return [seen[k] for k in sorted(seen)]
