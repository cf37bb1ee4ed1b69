"""Documents: recording one (a new version when its address already holds another text), reading, removing.

A mixin of :class:`~ledger.storage.store.Store`, as ``ClaimStore`` is: it uses
the store's write sessions, source lookup and history. Versions are never
rewritten: a changed text at a recorded address is a new document whose
``previous_id`` names the newest version there (``ledger.provenance.versions``
decides), so claims keep pointing at the text they were read from.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy import func, select
from sqlmodel import Session

from ledger.dates import moment_text
from ledger.errors import InputError, NotFoundError
from ledger.model import Document
from ledger.provenance.versions import check_retrieved, retrieved_text, version_of
from ledger.storage.locks import row_by_id
from ledger.storage.rows import document_model, document_payload, free_document_id
from ledger.storage.tables import ClaimRow, DocumentRow, SourceRow


class DuplicateDocument(InputError):
    """The address's newest version already holds this text: refused (exit 2), naming that document."""

    def __init__(self, url: str, document_id: int):
        self.document_id = document_id
        super().__init__("--url", url, f"is already recorded with this text as document {document_id}",
                         f"cite document {document_id} (--doc {document_id}); a new version needs a changed text")


def newest_at(executor, url: str) -> tuple[int, str | None] | None:
    """The newest version recorded at ``url`` (its id and text's sha256), or None: the last document with that
    address, followed to the version that replaces it last. ``executor``: a Session or a Connection."""
    table = DocumentRow.__table__
    found = executor.execute(select(func.max(table.c.id)).where(table.c.url == url)).scalar()
    if found is None:
        return None
    seen = {found}
    while (later := executor.execute(select(func.min(table.c.id)).where(table.c.previous_id == found)).scalar()) is not None:
        if later in seen:  # a loop only an edit behind the ledger's back could make
            break
        seen.add(later)
        found = later
    return found, executor.execute(select(table.c.sha256).where(table.c.id == found)).scalar()


def version_links(executor) -> dict[int, int]:
    """Document id → previous_id, for every document that replaces another: the chains of every address."""
    table = DocumentRow.__table__
    return dict(executor.execute(select(table.c.id, table.c.previous_id).where(table.c.previous_id.is_not(None))).all())


class DocumentStore:
    """Reads and writes of documents (see the module docstring)."""

    def add_document(self, outlet: str, published: date, url: str | None = None, title: str | None = None,
                     text: str | None = None, published_at: datetime | None = None, archive_url: str | None = None,
                     retrieved: date | datetime | None = None) -> Document:
        check_retrieved("--retrieved", retrieved, published, published_at)
        with self._writing() as session:
            outlet_row = self._resolve_source(session, "--outlet", outlet)
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None
            version = version_of(newest_at(session, url) if url and url.strip() else None, sha)
            if version.same_as is not None:
                raise DuplicateDocument(url, version.same_as)
            row = DocumentRow(outlet_id=outlet_row.id, published=published, published_at=moment_text(published_at),
                              url=url, archive_url=archive_url, retrieved=retrieved_text(retrieved), title=title, text=text,
                              sha256=sha, previous_id=version.replaces, id=self._next_document_id(session))
            session.add(row)
            session.flush()
            self.append_entry(session, "document.add", f"document:{row.id}", document_payload(row))
            document = document_model(row, outlet_row.name)
            session.commit()
            return document

    @staticmethod
    def _next_document_id(session: Session) -> int | None:
        """``free_document_id``, or None (the database chooses, and PostgreSQL's sequence moves) when that is max + 1."""
        free = free_document_id(session)
        return None if free == (session.execute(select(func.max(DocumentRow.id))).scalar() or 0) + 1 else free

    def remove_document(self, document_id: int, reason: str) -> Document:
        """Delete a document no claim cites and no later version replaces; the history keeps its record."""
        if not reason or not reason.strip():
            raise InputError("--reason", reason, "is empty", "say why the document is removed")
        with self._writing() as session:
            row = row_by_id(session, DocumentRow, document_id)
            if row is None:
                raise NotFoundError("ID", document_id, "is not a document in this ledger", self._document_hint(session))
            citing = session.execute(select(ClaimRow.id).where(ClaimRow.document_id == row.id).order_by(ClaimRow.id)).scalars().all()
            if citing:
                shown = ", ".join(map(str, citing[:5])) + (", …" if len(citing) > 5 else "")
                raise InputError("ID", document_id, f"is cited by {len(citing)} claim{'s' * (len(citing) > 1)} ({shown})",
                                 f"point them elsewhere first: `ledger claim correct {citing[0]} --clear doc` or --doc ID")
            later = session.execute(select(func.min(DocumentRow.id)).where(DocumentRow.previous_id == row.id)).scalar()
            if later is not None:
                raise InputError("ID", document_id, f"is replaced by a later version, document {later}",
                                 "a version stays while a later one names it; remove the later one first")
            document = document_model(row, session.get(SourceRow, row.outlet_id).name)
            session.delete(row)
            self.append_entry(session, "document.remove", f"document:{row.id}", {"reason": reason, "sha256": row.sha256})
            session.commit()
            return document

    def get_document(self, document_id: int, field: str = "ID") -> Document:
        with Session(self.engine) as session:
            row = row_by_id(session, DocumentRow, document_id)
            if row is None:
                raise NotFoundError(field, document_id, "is not a document in this ledger", self._document_hint(session))
            return document_model(row, session.get(SourceRow, row.outlet_id).name)

    def documents_holding(self, text: str) -> list[Document]:
        """The recorded documents whose text is ``text``, oldest first: found by its hash, not by reading every text."""
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with Session(self.engine) as session:
            rows = session.execute(select(DocumentRow).where(DocumentRow.sha256 == sha).order_by(DocumentRow.id)).scalars()
            return [document_model(row, session.get(SourceRow, row.outlet_id).name) for row in rows if row.text == text]

    def _document_hint(self, session: Session) -> str:
        ids = list(session.execute(select(DocumentRow.id).order_by(DocumentRow.id)).scalars())
        if not ids:
            return "no documents recorded yet; add one with `ledger doc add`"
        return f"known ids: {ids[0]}..{ids[-1]} (`ledger doc list`)"

    def list_documents(self) -> list[Document]:
        with Session(self.engine) as session:
            outlets = {r.id: r.name for r in session.execute(select(SourceRow)).scalars()}
            return [document_model(r, outlets[r.outlet_id]) for r in session.execute(select(DocumentRow).order_by(DocumentRow.id)).scalars()]

    def document_links(self) -> dict[int, int]:
        """Document id → the id of the version it replaces, for every later version (``ledger.provenance.versions``)."""
        with self.engine.connect() as conn:
            return version_links(conn)
