"""One claim's provenance gathered from storage, and the history read as a log.

``audit_records`` collects the records ``ledger.provenance.audit.build_audit``
turns into a view: the claim, its path of sources as they read now, its
document and the hash recorded for its text, its history and the findings
that involve it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select
from sqlmodel import Session

from ledger.errors import InputError
from ledger.model import Source
from ledger.provenance.chain import Entry
from ledger.storage.rows import entry_from_row
from ledger.storage.store import Store
from ledger.storage.tables import ClaimRelayRow, ClaimRow, DocumentRow, HistoryRow, SourceNameRow, SourceRow

BATCH = 5_000


def _final_row(session: Session, source_id: int):
    """The source row a recorded id reads as now: merges followed (a cycle cannot loop)."""
    row = session.get(SourceRow, source_id)
    seen = {row.id}
    while row.merged_into_id is not None and row.merged_into_id not in seen:
        row = session.get(SourceRow, row.merged_into_id)
        seen.add(row.id)
    return row


def _current_source(session: Session, source_id: int) -> tuple[Source, str | None]:
    """The source a recorded id reads as now, and the name it was recorded under if that differs."""
    row = _final_row(session, source_id)
    aliases = tuple(session.execute(
        select(SourceNameRow.name).where(SourceNameRow.source_id == row.id, SourceNameRow.is_alias).order_by(SourceNameRow.id)
    ).scalars())
    affiliation = _final_row(session, row.affiliation_id).name if row.affiliation_id else None
    source = Source(id=row.id, name=row.name, kind=row.kind, aliases=aliases, affiliation=affiliation, grade=row.grade)
    return source, (session.get(SourceRow, source_id).name if row.id != source_id else None)


def audit_records(ledger: Store, claim_id: int) -> dict:
    """Everything ``ledger.provenance.audit.build_audit`` needs for one claim, as keyword arguments."""
    from ledger.provenance.audit import Hop
    from ledger.reconcile import reconcile

    claim = ledger.get_claim(claim_id)  # NotFoundError for an unknown id
    with Session(ledger.engine) as session:
        row = session.get(ClaimRow, claim_id)
        relay_ids = list(session.execute(
            select(ClaimRelayRow.source_id).where(ClaimRelayRow.claim_id == claim_id).order_by(ClaimRelayRow.position)
        ).scalars())
        path = [Hop("origin", *_current_source(session, row.said_by_id))]
        path += [Hop("relay", *_current_source(session, source_id)) for source_id in relay_ids]
        recorded_ids = [row.said_by_id, *relay_ids]
        if row.document_id is not None:
            outlet_id = session.get(DocumentRow, row.document_id).outlet_id
            recorded_ids.append(outlet_id)
            outlet, recorded_as = _current_source(session, outlet_id)
            if outlet.id != path[-1].source.id:
                path.append(Hop("outlet", outlet, recorded_as))
    history = ledger.history(subject=f"claim:{claim_id}") + _imported_by(ledger, claim_id)
    for source_id in dict.fromkeys(recorded_ids):
        history += [e for e in ledger.history(subject=f"source:{source_id}") if e.action in ("source.merge", "source.edit")]
    document, recorded_sha256, versions = None, None, ()
    if claim.document_id is not None:
        from ledger.provenance.versions import chain_of

        document = ledger.get_document(claim.document_id)
        versions = chain_of(document.id, ledger.document_links())
        for entry in ledger.history(subject=f"document:{claim.document_id}"):
            if entry.action == "document.add":
                recorded_sha256 = json.loads(entry.payload).get("sha256")
    claims, sources = ledger.claims_for_report()
    findings = reconcile(claims, sources, include_agreement=True, rulings=ledger.name_rulings()).findings
    return {"claim": claim, "path": path, "document": document, "recorded_sha256": recorded_sha256,
            "history": history, "findings": findings, "versions": versions}


def _imported_by(ledger: Store, claim_id: int) -> list[Entry]:
    """The ``import`` entry of the file that brought this claim, if one did: subjects ``file:…``, a range of
    the subject index, not a scan of the history."""
    table = HistoryRow.__table__
    with ledger.engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.subject >= "file:", table.c.subject < "file;",
                                                table.c.action == "import")).all()
    found = []
    for row in rows:
        try:
            first, last = json.loads(row.payload)["claims"]
        except (ValueError, KeyError, TypeError):
            continue  # no claims, or altered: `ledger verify` names an altered entry
        if isinstance(first, int) and isinstance(last, int) and first <= claim_id <= last:
            found.append(entry_from_row(row))
    return found


def extraction_marks(ledger: Store) -> dict[int, dict]:
    """Claim id → its ``claim.extracted`` mark (extractor, version, how accepted, and ``accepted_by``: the
    entry's user), for every claim an extractor proposed. One pass over that action's entries."""
    table = HistoryRow.__table__
    with ledger.engine.connect() as conn:
        rows = conn.execute(select(table.c.subject, table.c.user, table.c.payload)
                            .where(table.c.action == "claim.extracted").order_by(table.c.seq)).all()
    marks = {}
    for subject, user, payload in rows:
        try:
            mark = json.loads(payload)
            claim_id = int(subject.removeprefix("claim:"))
        except (ValueError, TypeError):
            continue  # altered: `ledger verify` names it
        if isinstance(mark, dict):
            marks[claim_id] = {**mark, "accepted_by": user}
    return marks


# -- log ---------------------------------------------------------------------------


def iter_log(ledger: Store, since: int = 0, batch: int = BATCH, limit: int | None = None,
             newest_first: bool = False) -> Iterator[Entry]:
    """History entries after seq ``since`` (at most ``limit``), oldest or newest first, read in batches."""
    if since < 0:
        raise InputError("--since", since, "is negative", "give a seq number, e.g. 0 for the whole history")
    if limit is not None and limit < 0:
        raise InputError("--limit", limit, "is negative", "give how many entries to show, e.g. 10")
    return ledger.iter_history(since=since, batch=batch, limit=limit, newest_first=newest_first)
