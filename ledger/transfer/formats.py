"""The file formats: their names, guessing one from a file name, and reading any of them.

Claims in and out of files: the readers and writers live one module per
format (:mod:`~ledger.transfer.jsonl`, :mod:`~ledger.transfer.csv_format`,
:mod:`~ledger.transfer.claimreview`), the rows and records they share in
:mod:`~ledger.transfer.rows` and :mod:`~ledger.transfer.records`. Pure: no
database, no CLI. ``ledger.storage.importer`` feeds the records
:func:`read_records` reads into the ledger; ``ledger.cli.transfer`` is the
thin face.

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

Importing is idempotent: a claim saying what a claim already in the ledger
says (event, figure, speaker, path, document, dates, place, quote,
credibility), a source of the same name, kind and grade, and a document of the
same outlet, date, address, title and text are skipped and counted
(``ledger.storage.importer``); a source the file describes otherwise is a
conflict, refused with the rest of the file.

The JSONL export also carries every table row as stored, history included
(``{"record": "row", …}``, first): imported into an empty ledger they are
restored as they were (``ledger.storage.restore``), so the copy keeps every
correction, retraction, merge and ruling with its reason, time and user, and
the same history head; into any other ledger they are skipped and the
records imported as above. The CSV export holds the current claims only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType

from ledger.errors import InputError
from ledger.transfer.csv_format import read_csv
from ledger.transfer.jsonl import read_jsonl
from ledger.transfer.records import Record, RowError

FORMATS = ("csv", "jsonl")
EXPORT_FORMATS = ("csv", "jsonl", "claimreview", "prov-json")


def read_records(stream: Iterable[str], fmt: str, file: str, mapping: Mapping[str, str] = MappingProxyType({}),
                 date_format: str | None = None, warn: Callable[[str], object] = lambda text: None,
                 ) -> Iterator[Record | list[RowError]]:
    """Records from a CSV or JSONL stream; ``mapping``, ``date_format`` and ``warn`` are for CSV (spreadsheets)."""
    if fmt == "csv":
        return read_csv(stream, file, mapping, date_format, warn)
    if fmt == "jsonl":
        return read_jsonl(stream, file)
    raise InputError("--format", fmt, "is not an import format", "csv or jsonl")


def guess_format(path: str) -> str:
    lower = path.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    raise InputError("FILE", path, "has no .csv or .jsonl ending to tell its format by", "pass --format csv or --format jsonl")
