"""CSV: reading claim rows from a CSV file and writing the CSV export (claims only).

The columns are :data:`~ledger.transfer.records.CLAIM_FIELDS` (any order on
import, ``said-by`` = ``said_by``); ``via`` is names joined by ``|``, or a JSON
array when a name holds a ``|``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from ledger.model import Claim
from ledger.transfer.records import _REQUIRED, CLAIM_FIELDS, Record, RowError, claim_row
from ledger.transfer.rows import _Checker, parse_claim


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
