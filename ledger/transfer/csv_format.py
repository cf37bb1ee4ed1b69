"""CSV: reading claim rows from a CSV file and writing the CSV export (claims only).

The columns are :data:`~ledger.transfer.records.CLAIM_FIELDS` (any order on
import, ``said-by`` = ``said_by``); ``via`` is names joined by ``|``, or a JSON
array when a name holds a ``|``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from types import MappingProxyType

from ledger.model import Claim
from ledger.transfer.records import _REQUIRED, CLAIM_FIELDS, Record, RowError, claim_row
from ledger.transfer.rows import _Checker, parse_claim
from ledger.transfer.spreadsheet import detect_separator, normalise_dates, read_header


def read_csv(stream: Iterable[str], file: str, mapping: Mapping[str, str] = MappingProxyType({}),
             date_format: str | None = None, warn: Callable[[str], object] = lambda text: None,
             ) -> Iterator[Record | list[RowError]]:
    """Claim records from CSV with a header row, as spreadsheets write it (:mod:`ledger.transfer.spreadsheet`):
    headers in any case, ``mapping`` (header key → field) for others, ``,`` ``;`` or tab between cells,
    dates day-first or month-first when ``date_format`` says so. Columns that are no field are ignored
    with one ``warn``."""
    checker = _Checker(file)
    lines = iter(stream)
    first = next(lines, None)
    if first is None:
        return
    reader = csv.reader(chain([first], lines), delimiter=detect_separator(first))
    try:
        header = next(reader)
    except csv.Error as exc:
        yield [RowError(file, 1, "header", f"is not valid CSV ({exc})")]
        return
    read = read_header(header, mapping)
    if read.repeated:
        yield [RowError(file, 1, target, f"has two columns, {first!r} and {column!r}: which one is meant cannot be told; "
                                         f"rename or drop one") for column, first, target in read.repeated]
        return
    missing = [c for c in _REQUIRED if c not in read.fields]
    if missing:
        others = ", ".join(map(repr, read.ignored)) or "none"
        column = f'"{read.ignored[0]}' if read.ignored else "COLUMN"
        closing = '"' if read.ignored else ""
        yield [RowError(file, 1, c, f"column is missing; the header's other columns: {others} "
                                    f"(name one with --map {column}={c}{closing})") for c in missing]
        return
    for text in read.warnings:
        warn(text)
    columns = read.fields
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
        row = {c: v for c, v in zip(columns, cells) if v != "" and c is not None}
        yield parse_claim(normalise_dates(row, date_format), start, checker)


def _cell(value: object) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "true"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False) if any("|" in v for v in value) else "|".join(value)
    return str(value)


def _export_row(claim: Claim) -> list[str]:
    row = claim_row(claim)
    cells = [str(claim.id)]
    for name, value in row.items():
        cells.append(_cell(value))
        if name == "value":  # the interval as plain numbers a spreadsheet can sum; high empty when open-ended
            cells += [str(claim.value.low), "" if claim.value.high is None else str(claim.value.high)]
    return cells


def csv_lines(claims: Iterable[Claim]) -> Iterator[str]:
    """The CSV export (claims only), line by line, header first: one value per cell, the claim's id first and
    its interval as plain numbers after its words (``EXPORT_ONLY``: read back, and ignored, by the import)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["id"]
    for name in CLAIM_FIELDS:
        header += [name, "low", "high"] if name == "value" else [name]
    writer.writerow(header)
    yield out.getvalue()
    for c in claims:
        out.seek(0)
        out.truncate()
        writer.writerow(_export_row(c))
        yield out.getvalue()
