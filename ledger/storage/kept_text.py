"""A report's text kept beside the kept results (``kept_text``; the why is in ``ledger.reports.kept_text``).

A kept text is used only while the kept results are at the ledger's head, and
is written only at the history entry the kept results were made at, in the
same transaction that checks so; keeping results anew (``ledger.storage.kept``)
drops every kept text.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from ledger.storage.engine import REFUSED
from ledger.storage.tables import KeptReportRow, KeptTextRow


def read_kept_text(store, options: str, seq: int, head: str | None):
    """(compressed text, tally) of the report ``options`` names, kept at history entry ``seq``; else None."""
    from ledger.reconcile.kept import KEPT_FORMAT

    try:
        with store.engine.connect() as conn:
            made = conn.execute(select(KeptReportRow.made_at_seq, KeptReportRow.made_at_hash, KeptReportRow.format)).first()
            if made is None or tuple(made) != (seq, head or "", KEPT_FORMAT):
                return None
            return conn.execute(select(KeptTextRow.text, KeptTextRow.tally).where(KeptTextRow.options == options)).first()
    except REFUSED:  # a PostgreSQL role not granted the table: its report is made anew
        return None


def read_spliceable_text(store, options: str):
    """((seq, hash) it was made at, compressed text, tally, layout) of the kept table ``options`` names, whatever the
    head now, if it has a layout (``ledger.reports.splice``); else None."""
    from ledger.reconcile.kept import KEPT_FORMAT

    try:
        with store.engine.connect() as conn:
            made = conn.execute(select(KeptReportRow.made_at_seq, KeptReportRow.made_at_hash, KeptReportRow.format)).first()
            if made is None or made[2] != KEPT_FORMAT:
                return None
            row = conn.execute(select(KeptTextRow.text, KeptTextRow.tally, KeptTextRow.layout)
                               .where(KeptTextRow.options == options)).first()
    except REFUSED:
        return None
    if row is None or row[2] is None:
        return None
    return (made[0], made[1] or None), *row


def keep_text(store, options: str, seq: int, head: str | None, text: bytes, tally: str, layout: str | None = None) -> None:
    """Keep the report's text, if the kept results are still those of history entry ``seq``."""
    from ledger.storage.kept import writing_briefly

    try:
        with writing_briefly(store) as conn:
            made = conn.execute(select(KeptReportRow.made_at_seq, KeptReportRow.made_at_hash)).first()
            if made is None or tuple(made) != (seq, head or ""):
                return  # kept anew meanwhile by another report, or not kept (a ledger only read)
            conn.execute(delete(KeptTextRow).where(KeptTextRow.options == options))
            conn.execute(insert(KeptTextRow), {"options": options, "text": text, "tally": tally, "layout": layout})
    except REFUSED:
        pass  # another writer, or a ledger this user may only read: the next report makes the text again


def forget_texts(conn) -> None:
    conn.execute(delete(KeptTextRow))


def text_differences(store, report_of) -> list[str]:
    """Each kept text that is not what the results rebuilt (``report_of(show_all)``, a ``Report``) would print,
    and each kept layout (``ledger.reports.splice``) that is not that text's."""
    from ledger.reports import Tally
    from ledger.reconcile.kept import UNREADABLE
    from ledger.reports.kept_text import TEXT_FORMATS, body_digest, decode_tally, kept_pieces, text_digest
    from ledger.reports.splice import chunks_and_layout
    from ledger.reports.stamp import Stamp

    any_stamp = Stamp(0, None, "")  # the chunk a stamp is written in is not kept, but JSON closes otherwise without one

    try:
        with store.engine.connect() as conn:
            kept = conn.execute(select(KeptTextRow.options, KeptTextRow.text, KeptTextRow.tally, KeptTextRow.layout)
                                .order_by(KeptTextRow.options)).all()
    except REFUSED:
        return []
    problems = []
    for options, blob, tally_text, layout_text in kept:
        fmt, _, rest = options.partition(" ")
        if fmt not in TEXT_FORMATS or rest not in ("", "--all"):
            problems.append(f"kept report text {options!r}: not the text of any report")
            continue
        report = report_of(rest == "--all")
        tally = Tally.of(report)
        chunks, layout = chunks_and_layout(report, fmt, tally, any_stamp)
        rebuilt = body_digest(fmt, chunks)
        try:
            same = decode_tally(tally_text) == tally and rebuilt == text_digest(kept_pieces(blob))
        except UNREADABLE:
            problems.append(f"kept report text {options!r}: cannot be read")
            continue
        if not same:
            problems.append(f"kept report text {options!r}: differs from the report made again from a rebuild")
        elif layout_text is not None and (layout is None or _layout_of(layout_text) != layout):
            problems.append(f"kept report text {options!r}: its layout is not the table's (rows would be replaced "
                            "in the wrong places)")
    return problems


def _layout_of(text: str):
    from ledger.reconcile.kept import UNREADABLE
    from ledger.reports.splice import TextLayout

    try:
        return TextLayout.decode(text)
    except UNREADABLE:
        return None
