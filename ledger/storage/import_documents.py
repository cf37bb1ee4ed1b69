"""An import's documents: each document line recorded (or recognised as held), versions linked, claims' ``doc`` resolved.

A mixin of the importer (``ledger.storage.importer._Importer``), whose state it
uses: the connection, the ids it assigns, the pending rows and history. A
document line's ``previous`` names an earlier line of the file, the version it
replaces; without one, a line whose ``url`` the file or the ledger already
holds with another text becomes a new version of the newest one there, as
``ledger doc add`` makes it (``ledger.provenance.versions``). Unlike ``doc add``,
a line with the same text is not refused: it is recorded as before.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import text

from ledger.dates import moment_text
from ledger.errors import InputError
from ledger.model.fields import DOCUMENT
from ledger.provenance.versions import check_retrieved, retrieved_text, version_of
from ledger.storage.document_store import newest_at
from ledger.storage.rows import document_payload
from ledger.transfer import DocumentRecord

DOCUMENT_COLUMNS = DOCUMENT.column_names


@dataclass
class Doc:
    id: int
    published: str
    text: str | None | bool  # True: has text, not loaded yet
    published_at: str | None = None


class DocumentImport:
    """The importer's document records and lookups (see the module docstring)."""

    def document_record(self, rec: DocumentRecord) -> None:
        self.file_docs = {} if self.file_docs is None else self.file_docs
        if rec.id in self.file_docs:
            self.fail(rec.line, "id", f"{rec.id!r} is already a document earlier in this file")
            return
        outlet_id = self.source(rec.outlet, rec.line, "outlet")
        if outlet_id is None:
            return
        published, published_at = rec.published.isoformat(), moment_text(rec.published_at)
        sha = hashlib.sha256(rec.text.encode("utf-8")).hexdigest() if rec.text is not None else None
        held = self.held.document(outlet_id, published, sha, rec.url, rec.title) if self.first_document > 1 else None
        if held is not None:
            self.file_docs[rec.id] = Doc(held, published, rec.text, published_at)
            self.result.same_documents += 1
            return
        previous = self._previous(rec, sha)
        if previous is False:
            return
        doc_id = self.next_document
        self.next_document += 1
        self.file_docs[rec.id] = Doc(doc_id, published, rec.text, published_at)
        if rec.url and rec.url.strip():
            self.newest_docs[rec.url] = (doc_id, sha)
        row = SimpleNamespace(id=doc_id, outlet_id=outlet_id, published=rec.published, published_at=published_at, url=rec.url,
                              archive_url=rec.archive_url, retrieved=retrieved_text(rec.retrieved), title=rec.title,
                              text=rec.text, sha256=sha, previous_id=previous)
        if self.writing:
            values = vars(row) | {"published": published}
            self.pending.documents.append(tuple(values[c] for c in DOCUMENT_COLUMNS))
        self._history("document.add", f"document:{doc_id}", document_payload(row))
        self.result.documents += 1

    def _previous(self, rec: DocumentRecord, sha: str | None) -> int | None | bool:
        """The id of the version the line replaces, None for a first version, False when the line is refused."""
        try:
            check_retrieved("retrieved", rec.retrieved, rec.published, rec.published_at)
        except InputError as exc:
            self.fail(rec.line, "retrieved", f"{exc.value!r} {exc.problem}")
            return False
        if rec.previous_id is not None:
            earlier = self.file_docs.get(rec.previous_id)
            if earlier is None:
                self.fail(rec.line, "previous", f"{rec.previous_id!r} is not a document earlier in this file")
                return False
            return earlier.id
        if not rec.url or not rec.url.strip():
            return None
        if rec.url not in self.newest_docs:
            self.newest_docs[rec.url] = newest_at(self.conn, rec.url)
        return version_of(self.newest_docs[rec.url], sha).replaces

    def document(self, doc_id: int, line: int) -> Doc | None:
        if self.file_docs is not None:
            found = self.file_docs.get(doc_id)
            if found is None:
                self.fail(line, "doc", f"{doc_id!r} is not a document in this file")
            return found
        if doc_id not in self.ledger_docs:
            row = self.conn.execute(
                text("SELECT id, published, text IS NOT NULL, published_at FROM document WHERE id = :id"), {"id": doc_id}
            ).first()
            self.ledger_docs[doc_id] = Doc(row[0], str(row[1]), True if row[2] else None, row[3]) if row else None
        found = self.ledger_docs[doc_id]
        if found is None:
            self.fail(line, "doc", f"{doc_id!r} is not a document in this ledger; a CSV carries none: export JSONL to move them")
        return found

    def _doc_text(self, doc: Doc) -> str | None:
        if doc.text is True:
            doc.text = self.conn.execute(text("SELECT text FROM document WHERE id = :id"), {"id": doc.id}).scalar()
        return doc.text
