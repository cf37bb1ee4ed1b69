"""The kept names as rows (``kept_name``): written with the rest of the kept results, checked by ``verify``.

A listing reads them through their key for the few claims it shows (``ledger.storage.quick_claims``)
where the names kept as one blob would have to be decoded whole.
"""

from __future__ import annotations

from sqlalchemy import bindparam, delete, insert, select

from ledger.storage.engine import REFUSED
from ledger.storage.tables import KeptNameRow


def _stored(conn) -> set[tuple[str, str, str]]:
    return set(map(tuple, conn.execute(select(KeptNameRow.kind, KeptNameRow.written, KeptNameRow.canonical))))


def keep_name_rows(conn, rows: list[tuple[str, str, str]], everything: bool) -> None:
    """The name rows as ``rows``: all written anew, or (a few claims re-judged) only those that changed."""
    fresh, stale = set(rows), set()
    if everything:
        conn.execute(delete(KeptNameRow))
    else:
        kept = _stored(conn)
        fresh, stale = fresh - kept, kept - fresh
    if stale:
        conn.execute(delete(KeptNameRow).where(KeptNameRow.kind == bindparam("k"), KeptNameRow.written == bindparam("w")),
                     [{"k": kind, "w": written} for kind, written, _ in stale])
    fresh_rows = [{"kind": kind, "written": written, "canonical": canonical} for kind, written, canonical in sorted(fresh)]
    for start in range(0, len(fresh_rows), 5000):
        conn.execute(insert(KeptNameRow), fresh_rows[start:start + 5000])


def name_row_differences(store, expected: list[tuple[str, str, str]]) -> list[str]:
    """The kept name rows (what listings file claims by) that say otherwise than the names kept with them."""
    try:
        with store.engine.connect() as conn:
            stored = _stored(conn)
    except REFUSED:  # a PostgreSQL role not granted them: no listing of its reads them either
        return []
    expected_by_key = {(kind, written): canonical for kind, written, canonical in expected}
    stored_by_key = {(kind, written): canonical for kind, written, canonical in stored}
    lines = []
    for kind, written in sorted(expected_by_key.keys() | stored_by_key.keys()):
        row, kept = stored_by_key.get((kind, written)), expected_by_key.get((kind, written))
        if row == kept:
            continue
        if row is None:
            said = f"missing from the kept name rows (filed under {kept!r} by the names kept)"
        elif kept is None:
            said = f"in the kept name rows (filed under {row!r}) but not among the names kept"
        else:
            said = f"filed under {row!r} in the kept name rows, under {kept!r} by the names kept"
        lines.append(f"kept report results: the {kind} name {written!r} is {said}")
    return lines[:5] + ([f"kept report results: {len(lines) - 5} more kept name rows differ"] if len(lines) > 5 else [])
