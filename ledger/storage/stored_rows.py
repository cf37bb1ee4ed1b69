"""Every row of a table as stored, for ``verify``: ids below 1 and dates that are not dates included.

The ORM would refuse a row whose date column holds text a forger wrote; verify
must read it to name it, so it reads plain Core rows and falls back to the
stored text for such a batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace

from sqlalchemy import Date, String, select, type_coerce
from sqlmodel import Session


class _StoredDate(str):
    """A date column's text as SQLite holds it, when it is not a date: compared as the text it is."""

    def isoformat(self) -> str:
        return str(self)


def rows_by_id(session: Session, model, batch: int) -> Iterator[list]:
    """All rows of ``model``'s table in id order, ``batch`` at a time, ids 0 and below included.

    Plain Core rows (attribute access by column name, types converted), not
    ORM instances: building a million ORM objects costs more than the checks.
    A batch holding a date edited into something that is not one is read
    again with its dates as stored text, so the edit is reported as a
    difference rather than failing the read.
    """
    table = model.__table__
    as_text = [type_coerce(c, String).label(c.name) if isinstance(c.type, Date) else c for c in table.c]
    last = None
    while True:
        where = [] if last is None else [table.c.id > last]
        try:
            rows = session.execute(select(table).where(*where).order_by(table.c.id).limit(batch)).all()
        except ValueError:
            rows = [_with_dates(row, table) for row in
                    session.execute(select(*as_text).where(*where).order_by(table.c.id).limit(batch)).all()]
        if not rows:
            return
        yield rows
        last = rows[-1].id


def _with_dates(row, table):
    """The row with each date column as a ``date`` when it reads as one, else as its stored text."""
    values = row._asdict()
    for column in table.c:
        value = values[column.name]
        if isinstance(column.type, Date) and value is not None and not isinstance(value, date):
            try:
                values[column.name] = date.fromisoformat(str(value))
            except ValueError:
                values[column.name] = _StoredDate(value)
    return SimpleNamespace(**values)
