"""Spreadsheets as researchers have them: their headers, their separators, their dates.

A CSV saved from Excel, LibreOffice or Google Sheets differs from the export
in small ways that should not cost the researcher a rewrite:

- headers in any case and spacing ("Said by", "EVENT", "said-by"), and
  columns named otherwise mapped with ``--map "Figure=value"``;
- columns that are no claim field (a "notes" column) ignored, each named in one
  warning, the closest field suggested;
- ``,``, ``;`` (European Excel) or tab between cells, detected from the header;
- dates written day first or month first ("06/05/2009"), read only when the
  researcher says which (``--date-format day-first``): never guessed.

Pure: text in, rows and problems out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches

from ledger.errors import InputError
from ledger.transfer.records import CLAIM_FIELDS

DATE_FORMATS = ("iso", "day-first", "month-first")
# Columns the CSV export writes for people and spreadsheets, which a claim is recorded without: read silently.
EXPORT_ONLY = ("id", "low", "high")
DATE_FIELDS = ("published", "as_of")
SEPARATORS = (",", ";", "\t")
# A date written with slashes or dots, day and month in either order: 06/05/2009, 6.5.09, 22/01/2022 14:05
_NUMERIC_DATE = re.compile(r"\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\s*")


def header_key(name: str) -> str:
    """"Said by", "SAID-BY" and " said_by " are all said_by."""
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


def column_fields(columns: Mapping[str, str]) -> dict[str, str]:
    """``{"Figure": "value", "Source": "said_by"}`` → ``{"figure": "value", "source": "said_by"}``: header keys → fields,
    each checked to be a claim field."""
    mapping = {}
    for column, target in columns.items():
        item = f"{column}={target}"  # as the user wrote it with --map
        if not column.strip() or not target.strip():
            raise InputError("--map", item, "is not COLUMN=FIELD", 'e.g. --map "Figure=value"')
        wanted = header_key(target)
        if wanted not in CLAIM_FIELDS:
            closest = get_close_matches(wanted, CLAIM_FIELDS, n=1)
            raise InputError("--map", item, f"maps to {target.strip()!r}, which is not a claim field",
                             (f"did you mean {closest[0]!r}? " if closest else "") + "fields: " + ", ".join(CLAIM_FIELDS))
        mapping[header_key(column)] = wanted
    return mapping


@dataclass
class Columns:
    """How a header's columns are read: the field each feeds (None: ignored), and what to tell the user."""

    fields: list[str | None]
    ignored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    repeated: list[tuple[str, str, str]] = field(default_factory=list)  # (column, the column it repeats, field)


def read_header(header: list[str], mapping: Mapping[str, str]) -> Columns:
    fields: list[str | None] = []
    ignored, hints, repeated = [], [], []
    taken: dict[str, str] = {}
    for raw in header:
        key = header_key(raw)
        target = mapping.get(key, key if key in CLAIM_FIELDS else None)
        if target is None and key in EXPORT_ONLY:
            fields.append(None)
            continue
        if target in taken:  # two columns for one field: which holds the figure cannot be told
            fields.append(None)
            repeated.append((raw.strip(), taken[target], target))
            continue
        if target is None:
            fields.append(None)
            if raw.strip():
                ignored.append(raw.strip())
                closest = get_close_matches(key, CLAIM_FIELDS, n=1, cutoff=0.75)
                if closest:
                    hints.append(f"{raw.strip()!r} may be {closest[0]} (--map {_quote(raw.strip())}={closest[0]})")
            continue
        taken[target] = raw.strip()
        fields.append(target)
    columns = Columns(fields, ignored, repeated=repeated)
    if ignored:
        text = f"ignoring {len(ignored)} column{'s' * (len(ignored) > 1)} that {'are' if len(ignored) > 1 else 'is'} no claim field: "
        columns.warnings.append(text + ", ".join(map(repr, ignored)) + ("; " + "; ".join(hints) if hints else ""))
    return columns


def _quote(text: str) -> str:
    return f'"{text}"' if not re.fullmatch(r"[\w.-]+", text) else text


def detect_separator(first_line: str) -> str:
    """The separator the header uses most, outside quotes; a comma when it holds none."""
    outside = re.sub(r'"[^"]*"', "", first_line)
    counts = {sep: outside.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def to_iso(text: str, date_format: str | None) -> str | None:
    """A day-first or month-first date (time kept) as YYYY-MM-DD; None when ``text`` is not one."""
    found = _NUMERIC_DATE.match(text)
    if found is None or date_format in (None, "iso"):
        return None
    first, second, year = found.groups()
    day, month = (first, second) if date_format == "day-first" else (second, first)
    if len(year) == 2:
        year = ("20" if int(year) < 70 else "19") + year  # as spreadsheets read two-digit years
    rest = text[found.end():].strip()
    iso = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return f"{iso}T{rest}" if rest else iso


def numeric_date_hint(text: object) -> str | None:
    """Why a slashed date is refused, for a file read without ``--date-format``."""
    if not isinstance(text, str) or not _NUMERIC_DATE.match(text):
        return None
    first, second, _ = _NUMERIC_DATE.match(text).groups()
    if int(first) > 12 or int(second) > 12:
        which = "day-first" if int(first) > 12 else "month-first"
        return f"it reads only as {which}: pass --date-format {which} to read the file's dates that way"
    return "day and month could be either way round: pass --date-format day-first or month-first"


def normalise_dates(row: dict, date_format: str | None) -> dict:
    """The row with its day-first or month-first dates (published, as_of, both ends of period) as ISO."""
    if date_format in (None, "iso"):
        return row
    for name in DATE_FIELDS:
        value = row.get(name)
        if isinstance(value, str) and (iso := to_iso(value, date_format)) is not None:
            row[name] = iso
    period = row.get("period")
    if isinstance(period, str) and ".." in period:
        start, _, end = period.partition("..")
        row["period"] = f"{to_iso(start, date_format) or start}..{to_iso(end, date_format) or end}"
    return row
