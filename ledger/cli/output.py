"""How every read command prints: a table for people, or --json, --csv or --nl for scripts, the same way everywhere.

A read command declares the three flags with :func:`json_flag`, :func:`csv_flag` and :func:`nl_flag`, asks
:func:`style_of` which was given (at most one), and hands its records to :func:`emit`. Records are the
dictionaries that ``--json`` has always printed, so the three machine formats never disagree:

- ``--json``: one JSON document (a list, or an object for a command about one thing);
- ``--nl``: newline-delimited JSON, one record per line, for ``jq -c``, ``sqlite-utils insert --nl`` and the like;
- ``--csv``: one row per record, one value per cell. Nested objects become dotted columns (``value.low``);
  a list is one cell of JSON text, as datasette and sqlite-utils write one (``["SDF", "Syrian Democratic
  Forces"]``, ``[]`` for none): joined with "; " instead, a name holding "; " would read back as two.
  ``json.loads`` of the cell gives the list of ``--json`` back. Plain values stay plain; None is an empty cell.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence

import typer
from typer._click.exceptions import BadOptionUsage

TABLE, JSON, CSV, NL = "table", "json", "csv", "nl"


def json_flag(what: str = "a JSON list") -> bool:
    return typer.Option(False, "--json", help=f"Print {what}.")


def csv_flag(what: str = "one row per record") -> bool:
    return typer.Option(False, "--csv", help=f"Print CSV, {what}, one value per cell (nested fields as dotted "
                                             "columns, a list as JSON text).")


def nl_flag() -> bool:
    return typer.Option(False, "--nl", help="Print newline-delimited JSON: one record per line.")


def style_of(as_json: bool = False, as_csv: bool = False, as_nl: bool = False) -> str:
    """The one output style asked for; two at once is a usage error."""
    given = [flag for flag, on in (("--json", as_json), ("--csv", as_csv), ("--nl", as_nl)) if on]
    if len(given) > 1:
        raise BadOptionUsage(given[1], f"cannot be used with {given[0]}; give one of --json, --csv and --nl")
    return given[0][2:] if given else TABLE


def emit(style: str, records: Iterable[dict] | dict, table: Callable[[], str]) -> None:
    """Print ``records`` (a list, or one dict for a command about one thing) in ``style``; ``table`` for people."""
    from ledger.reports import render

    if style == TABLE:
        typer.echo(table())
    elif style == JSON:
        typer.echo(render.to_json(records if isinstance(records, dict) else list(records)))
    elif style == NL:
        for record in [records] if isinstance(records, dict) else records:
            typer.echo(json.dumps(record, ensure_ascii=False, default=render.json_default))
    else:
        typer.echo(to_csv([records] if isinstance(records, dict) else list(records)), nl=False)


# Rows formatted and written at a time by ``emit_many``: a listing of a million claims holds this many.
BLOCK = 1000


def emit_many(style: str, items: Iterable, record_of: Callable[[object], dict],
              rows_of: Callable[[list], tuple[list[list], list[str]]], more_columns: Sequence[str] = ()) -> None:
    """``emit`` for a listing of any length, streamed ``BLOCK`` items at a time, so `ledger claim list | head`
    starts at once and holds one block, not the ledger. Up to ``BLOCK`` items the output is ``emit``'s, byte for
    byte. Beyond, the table keeps the first block's column widths (``render.aligned``: longer cells wrap on a
    terminal), and CSV's header, taken from the first block, also gets ``more_columns`` (fields that only some
    records have)."""
    from ledger.reports import render

    blocks = _blocks(items)
    first = next(blocks, [])
    if style == TABLE:
        text = render.table(*rows_of(first))
        typer.echo(text)
        if len(first) == BLOCK:
            widths = [len(dashes) for dashes in text.splitlines()[1].split("  ")]
            for block in blocks:
                typer.echo(render.aligned(rows_of(block)[0], widths))
    elif style == JSON:
        if not first:
            typer.echo("[]")
            return
        typer.echo("[", nl=False)
        separator = "\n  "
        for block in _chained(first, blocks):
            chunk = ",\n  ".join(render.to_json(record_of(item)).replace("\n", "\n  ") for item in block)
            typer.echo(separator + chunk, nl=False)
            separator = ",\n  "
        typer.echo("\n]")
    elif style == NL:
        for block in _chained(first, blocks):
            typer.echo("\n".join(json.dumps(record_of(item), ensure_ascii=False, default=render.json_default)
                                  for item in block))
    else:
        rows = [flatten(record_of(item)) for item in first]
        columns = _columns(rows)
        if len(first) == BLOCK:  # later blocks may hold fields this one lacks
            columns += [c for c in more_columns if c not in columns]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
        for block in blocks:
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(flatten(record_of(item)) for item in block)
            typer.echo(buffer.getvalue(), nl=False)


def _columns(rows: list[dict]) -> list[str]:
    """Every key of the flattened rows, in the order they first appear: a field only some records have is kept."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)


def _blocks(items: Iterable) -> Iterator[list]:
    block = []
    for item in items:
        block.append(item)
        if len(block) == BLOCK:
            yield block
            block = []
    if block:
        yield block


def _chained(first: list, rest: Iterator[list]) -> Iterator[list]:
    if first:
        yield first
    yield from rest


def to_csv(records: list[dict]) -> str:
    """One row per record; columns in the order they first appear, so a field only some records have is kept."""
    rows = [flatten(record) for record in records]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_columns(rows), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def flatten(record: dict, prefix: str = "") -> dict:
    """``{"value": {"low": 71}}`` → ``{"value.low": 71}``; one value per cell: a list as JSON text, None as an
    empty cell."""
    from ledger.reports import render

    flat: dict = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, (list, tuple)):
            flat[name] = json.dumps(value, ensure_ascii=False, default=render.json_default)
        else:
            flat[name] = "" if value is None else value if isinstance(value, (str, int, float)) else render.json_default(value)
    return flat
