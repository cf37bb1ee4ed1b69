"""Every row of a table as stored, for ``verify``: ids below 1 and dates that are not dates included.

The ORM would refuse a row whose date column holds text a forger wrote; verify
must read it to name it, so it reads plain Core rows and falls back to the
stored text for such a batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, select, text, type_coerce
from sqlalchemy.types import NullType
from sqlmodel import Session


class _StoredAs(str):
    """A value its column's type cannot read (a date column's text that is no date, a blob in a text column, a
    number in a date column), as SQLite holds it; compared, hashed and shown as this text, so verify names it
    rather than failing on it."""

    def isoformat(self) -> str:
        return str(self)


# The storage classes SQLite may hold in a column of each kind the ledger writes (NULL aside).
_STORED_AS = ((Boolean, ("integer",)), (Date, ("text",)), (DateTime, ("text",)), (Float, ("real", "integer")),
              (Integer, ("integer",)), (String, ("text",)))


def _expected_classes(column) -> tuple[str, ...] | None:
    kind_of = getattr(column.type, "impl", column.type)  # sqlmodel's AutoString decorates a String
    return next((classes for kind, classes in _STORED_AS if isinstance(kind_of, kind)), None)


def mistyped_cells(session: Session, table) -> dict[int | str, dict[str, str]]:
    """On SQLite, which takes any value in any column: row key → {column: the value as stored, with its
    storage class} for every cell of a type the ledger never writes there. The key is the row's id, or its
    primary key's values joined by "/" (a relay's claim/position). One scan of the table. PostgreSQL
    enforces its column types, so nothing is mistyped there."""
    if session.get_bind().dialect.name != "sqlite":
        return {}
    keys = [c.name for c in table.primary_key]
    checked = [(c.name, classes) for c in table.c if (classes := _expected_classes(c)) is not None]
    tests = " OR ".join(f"typeof(\"{name}\") NOT IN ('null', {', '.join(repr(k) for k in classes)})" for name, classes in checked)
    shown = ", ".join(f"typeof(\"{name}\"), quote(\"{name}\")" for name, _ in checked)
    key_list = ", ".join(f'"{k}"' for k in keys)
    found: dict[int | str, dict[str, str]] = {}
    for row in session.execute(text(f'SELECT {key_list}, {shown} FROM "{table.name}" WHERE {tests} ORDER BY {key_list}')):
        key = row[0] if len(keys) == 1 else "/".join(str(v) for v in row[:len(keys)])
        cells = row[len(keys):]
        for (name, classes), kind, quoted in zip(checked, cells[0::2], cells[1::2]):
            if kind != "null" and kind not in classes:
                shown_value = quoted if len(quoted) <= 60 else f"{quoted[:57]}…"  # a document's whole text is no message
                found.setdefault(key, {})[name] = f"{kind} {shown_value}"
    return found


def rows_by_id(session: Session, model, batch: int, mistyped: dict[int, dict[str, str]] | None = None) -> Iterator[list]:
    """All rows of ``model``'s table in id order, ``batch`` at a time, ids 0 and below included.

    Plain Core rows (attribute access by column name, types converted), not
    ORM instances: building a million ORM objects costs more than the checks.
    A batch holding a date edited into something that is not one is read
    again with its dates as stored text, so the edit is reported as a
    difference rather than failing the read. The cells ``mistyped`` names
    (``mistyped_cells``) come as ``_StoredAs`` text.
    """
    table = model.__table__
    raw = [type_coerce(c, NullType()).label(c.name) for c in table.c]
    mistyped = mistyped or {}
    last = None
    while True:
        where = [] if last is None else [table.c.id > last]
        try:
            rows = session.execute(select(table).where(*where).order_by(table.c.id).limit(batch)).all()
            again = bool(mistyped) and any(row.id in mistyped for row in rows)
        except (ValueError, TypeError):  # a value the column's type cannot read: the batch as stored
            again = True
        if again:
            rows = [_with_stored(row, table, mistyped.get(row.id, {}))
                    for row in session.execute(select(*raw).where(*where).order_by(table.c.id).limit(batch)).all()]
        if not rows:
            return
        yield rows
        last = rows[-1].id


def _with_stored(row, table, cells: dict[str, str]):
    """A raw row: its mistyped cells as the text they are stored as, the rest converted as the ORM would."""
    values = row._asdict()
    for column in table.c:
        value = values[column.name]
        if column.name in cells:
            values[column.name] = _StoredAs(cells[column.name])
        elif value is not None and isinstance(column.type, Boolean):
            values[column.name] = bool(value)
        elif value is not None and isinstance(column.type, Date):
            try:
                values[column.name] = date.fromisoformat(str(value))
            except ValueError:
                values[column.name] = _StoredAs(value)
    return SimpleNamespace(**values)
