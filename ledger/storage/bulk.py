"""Bulk paths: importing a file of claims in one transaction, and streaming claims out fast.

The per-record methods of :class:`~ledger.storage.Ledger` build ORM objects and
look up history per chunk: right for one claim, far too slow for a million.
This module does the same writes and reads with SQLAlchemy Core on one
connection, and keeps every invariant of the per-record path:

* **One transaction.** An import checks every row first-to-last while it
  writes; any bad row rolls the whole file back, and the error lists every bad
  row as ``FILE:LINE: field: problem`` (up to a limit, then a count).
* **One history entry per record.** Each imported claim gets its own
  ``claim.add`` entry with exactly the payload of ``Ledger.add_claim``
  (``claim_payload``), chained with ``chain.make_entries``; imported sources
  and documents get ``source.add`` / ``document.add``; a claim imported as
  retracted gets a ``claim.retract`` after its ``claim.add``. So ``ledger
  verify`` replays an imported ledger with no special case and names a single
  altered claim. A per-batch ``claim.import`` entry holding each claim's hash
  was measured as the alternative (``docs/performance.md``): it saves inserting
  the history rows but not the canonical JSON each hash needs, and it would
  make every history reader (verify, ``claim show``, PROV revisions)
  understand a second shape of entry.
* **Storage only.** Rows are written through a per-dialect :class:`_Writer`:
  SQLite gets the DBAPI ``executemany`` of the SQLAlchemy connection (the
  store's physical limit; Core's per-row overhead is 3× that); other dialects
  get Core ``insert`` executemany. PostgreSQL's ``COPY`` belongs in a
  ``_Writer`` subclass chosen in :func:`_writer_for`; nothing else changes.

Ids are assigned here (max id + 1) so each claim's history payload can be
built before the rows are written; the transaction holds the write lock, and
a concurrent writer would fail on the primary key rather than interleave.

The readers (:func:`iter_claims`, :func:`claims_for_report`) stream rows with
``text()`` queries, share equal values (names, figures, dates) between
records, and load corrections only from ``claim.correct`` history entries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import text

from ledger import chain
from ledger.errors import LedgerError
from ledger.model import Claim, Document, Period, QuoteSpan, Source
from ledger.quantity import Quantity
from ledger.storage import Ledger, event_key, name_key, now_utc
from ledger.transfer import ClaimRecord, DocumentRecord, RowError, SourceRecord

BATCH = 10_000  # records per executemany: large enough to amortise, small enough to stream
ERROR_LIMIT = 50

CLAIM_COLUMNS = (
    "id", "event", "event_key", "metric", "group_name", "value_text", "value_low", "value_high", "value_kind",
    "value_best", "said_by_id", "document_id", "published", "period_start", "period_end", "location", "quote",
    "quote_start", "quote_end", "quote_verified", "credibility", "recorded_at", "retracted",
)
HISTORY_COLUMNS = ("seq", "recorded_at", "user", "action", "subject", "payload", "prev_hash", "hash")
SOURCE_COLUMNS = ("id", "name", "kind", "affiliation_id", "grade", "merged_into_id")
NAME_COLUMNS = ("id", "source_id", "name", "name_key", "is_alias")
DOCUMENT_COLUMNS = ("id", "outlet_id", "published", "url", "title", "text", "sha256")
RELAY_COLUMNS = ("claim_id", "position", "source_id")
_DATE_COLUMNS = {"published", "period_start", "period_end"}
_BOOL_COLUMNS = {"quote_verified", "retracted", "is_alias"}


class ImportRejected(LedgerError):
    """The file had bad rows; nothing was imported. Exit code 2, like any bad input."""

    exit_code = 2

    def __init__(self, file: str, errors: list[RowError], total: int):
        self.file, self.errors, self.total = file, errors, total
        lines = [f"{total} problem{'s' if total != 1 else ''} in {file}; nothing was imported"]
        lines += [str(e) for e in errors]
        if total > len(errors):
            lines.append(f"… and {total - len(errors)} more")
        super().__init__("\n".join(lines))


@dataclass
class ImportResult:
    claims: int = 0
    sources: int = 0
    documents: int = 0
    first_id: int | None = None
    last_id: int | None = None
    dry_run: bool = False


# -- writers -----------------------------------------------------------------------


class _Writer:
    """Inserts rows (tuples in the column order given) on the import's connection: Core, any dialect.

    Rows arrive as the SQLite driver stores them (dates as ISO strings,
    booleans as 0/1); this portable path turns them back into Python values.
    """

    def __init__(self, conn):
        self.conn = conn
        from ledger.storage.tables import ClaimRelayRow, ClaimRow, DocumentRow, HistoryRow, SourceNameRow, SourceRow

        self.tables = {t.__tablename__: t.__table__ for t in (ClaimRow, ClaimRelayRow, DocumentRow, HistoryRow, SourceNameRow, SourceRow)}

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        fix = [(i, date.fromisoformat) for i, c in enumerate(columns) if c in _DATE_COLUMNS]
        fix += [(i, bool) for i, c in enumerate(columns) if c in _BOOL_COLUMNS]
        dicts = []
        for row in rows:
            values = list(row)
            for i, convert in fix:
                if values[i] is not None:
                    values[i] = convert(values[i])
            dicts.append(dict(zip(columns, values)))
        self.conn.execute(self.tables[table].insert(), dicts)


class _SQLiteWriter(_Writer):
    """The DBAPI cursor's executemany, inside the SQLAlchemy transaction: no per-row Python work."""

    def __init__(self, conn):
        super().__init__(conn)
        self.cursor = conn.connection.driver_connection.cursor()
        # A bigger page cache for this connection keeps the index B-trees in
        # memory while a million rows go in (64 MiB; reset when the connection closes).
        self.cursor.execute("PRAGMA cache_size=-65536")

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if rows:
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            self.cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def close(self) -> None:
        self.cursor.execute("PRAGMA cache_size=-2000")
        self.cursor.close()


def _writer_for(conn) -> _Writer:
    if conn.dialect.name == "sqlite":
        return _SQLiteWriter(conn)
    return _Writer(conn)


# -- import ------------------------------------------------------------------------


@dataclass
class _Doc:
    id: int
    published: str
    text: str | None | bool  # True: has text, not loaded yet


@dataclass
class _Pending:
    sources: list = field(default_factory=list)
    names: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    relays: list = field(default_factory=list)
    history: list = field(default_factory=list)  # (recorded_at, user, action, subject, payload)


class _Importer:
    def __init__(self, ledger: Ledger, conn, file: str, create_sources: bool, dry_run: bool, error_limit: int):
        self.ledger, self.conn, self.file = ledger, conn, file
        self.create_sources, self.dry_run, self.error_limit = create_sources, dry_run, error_limit
        self.errors: list[RowError] = []
        self.error_count = 0
        self.result = ImportResult(dry_run=dry_run)
        self.at = now_utc()  # one import, one moment
        self.user = ledger.user
        self.pending = _Pending()
        self.writer = None if dry_run else _writer_for(conn)
        q = lambda sql: conn.execute(text(sql)).scalar()  # noqa: E731
        self.next_source = (q("SELECT max(id) FROM source") or 0) + 1
        self.next_name = (q("SELECT max(id) FROM source_name") or 0) + 1
        self.next_document = (q("SELECT max(id) FROM document") or 0) + 1
        self.next_claim = (q("SELECT max(id) FROM claim") or 0) + 1
        head = conn.execute(text("SELECT seq, hash FROM history ORDER BY seq DESC LIMIT 1")).first()
        self.next_seq, self.prev_hash = (head[0] + 1, head[1]) if head else (1, chain.GENESIS)
        merged = dict(conn.execute(text("SELECT id, merged_into_id FROM source")).all())
        self.source_ids: dict[str, int] = {}  # name_key -> live source id
        for key, source_id in conn.execute(text("SELECT name_key, source_id FROM source_name")).all():
            self.source_ids[key] = merged.get(source_id) or source_id
        self.by_raw_name: dict[str, int | None] = {}  # exact text as written -> id (None: unknown)
        self.file_docs: dict[int, _Doc] | None = None  # set once the file holds document records
        self.ledger_docs: dict[int, _Doc | None] = {}

    # errors
    def fail(self, line: int, field_name: str, problem: str) -> None:
        self.add_errors([RowError(self.file, line, field_name, problem)])

    def add_errors(self, errors: list[RowError]) -> None:
        self.error_count += len(errors)
        room = self.error_limit - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])
        self.pending = _Pending()  # nothing more will be written

    @property
    def writing(self) -> bool:
        return not self.dry_run and self.error_count == 0

    # sources
    def _suggest(self, name: str) -> str:
        if len(self.errors) >= self.error_limit:
            return ""  # not shown: skip the fuzzy search
        from ledger.resolve import closest_names

        names = [n for (n,) in self.conn.execute(text("SELECT name FROM source_name"))]
        near = closest_names(name, names)
        hint = ("closest known: " + ", ".join(near)) if near else ("no close match" if names else "no sources recorded yet")
        return "; " + hint + "; add it with `ledger source add` or pass --create-sources"

    def source(self, name: str, line: int, field_name: str) -> int | None:
        found = self.by_raw_name.get(name, 0)
        if found != 0:
            if found is None:
                self.fail(line, field_name, f"{name!r} is not a known source{self._suggest(name)}")
            return found
        found = self.source_ids.get(name_key(name))
        if found is None and self.create_sources and name.strip():
            found = self._new_source(name.strip(), "other", (), None, None)
        self.by_raw_name[name] = found
        if found is None:
            self.fail(line, field_name, f"{name!r} is not a known source{self._suggest(name)}")
        return found

    def _new_source(self, name, kind, aliases, affiliation_id, grade) -> int:
        source_id = self.next_source
        self.next_source += 1
        if self.writing:
            self.pending.sources.append((source_id, name, kind, affiliation_id, grade, None))
        for index, alias in enumerate((name, *aliases)):
            key = name_key(alias)
            self.source_ids[key] = source_id
            if self.writing:
                self.pending.names.append((self.next_name, source_id, alias, key, int(index > 0)))
            self.next_name += 1
        payload = {"name": name, "kind": kind, "aliases": list(aliases), "affiliation_id": affiliation_id, "grade": grade}
        self._history("source.add", f"source:{source_id}", payload)
        self.result.sources += 1
        return source_id

    def source_record(self, rec: SourceRecord) -> None:
        owners = {self.source_ids.get(name_key(n)) for n in (rec.name, *rec.aliases)} - {None}
        own = self.source_ids.get(name_key(rec.name))
        if own is not None and owners == {own}:
            return  # already in the ledger (a re-import, or an export of this ledger)
        if owners:
            self.fail(rec.line, "aliases" if own is None else "name", "is already a name of another source in the ledger")
            return
        affiliation_id = None
        if rec.affiliation:
            affiliation_id = self.source_ids.get(name_key(rec.affiliation))
            if affiliation_id is None:
                self.fail(rec.line, "affiliation", f"{rec.affiliation!r} is not a known source; list it earlier in the file")
                return
        aliases = tuple(dict.fromkeys(a.strip() for a in rec.aliases if a.strip()))
        self.by_raw_name.clear()  # a name that was unknown may be known now
        self._new_source(rec.name, rec.kind, aliases, affiliation_id, rec.grade)

    # documents
    def document_record(self, rec: DocumentRecord) -> None:
        if self.file_docs is None:
            self.file_docs = {}
        if rec.id in self.file_docs:
            self.fail(rec.line, "id", f"{rec.id!r} is already a document earlier in this file")
            return
        outlet_id = self.source(rec.outlet, rec.line, "outlet")
        if outlet_id is None:
            return
        doc_id = self.next_document
        self.next_document += 1
        published = rec.published.isoformat()
        sha = hashlib.sha256(rec.text.encode("utf-8")).hexdigest() if rec.text is not None else None
        self.file_docs[rec.id] = _Doc(doc_id, published, rec.text)
        if self.writing:
            self.pending.documents.append((doc_id, outlet_id, published, rec.url, rec.title, rec.text, sha))
        payload = {"outlet_id": outlet_id, "published": published, "url": rec.url, "title": rec.title, "sha256": sha}
        self._history("document.add", f"document:{doc_id}", payload)
        self.result.documents += 1

    def document(self, doc_id: int, line: int) -> _Doc | None:
        if self.file_docs is not None:
            found = self.file_docs.get(doc_id)
            if found is None:
                self.fail(line, "doc", f"{doc_id!r} is not a document in this file")
            return found
        if doc_id not in self.ledger_docs:
            row = self.conn.execute(
                text("SELECT id, published, text IS NOT NULL FROM document WHERE id = :id"), {"id": doc_id}
            ).first()
            self.ledger_docs[doc_id] = _Doc(row[0], str(row[1]), True if row[2] else None) if row else None
        found = self.ledger_docs[doc_id]
        if found is None:
            self.fail(line, "doc", f"{doc_id!r} is not a document in this ledger")
        return found

    def _doc_text(self, doc: _Doc) -> str | None:
        if doc.text is True:
            doc.text = self.conn.execute(text("SELECT text FROM document WHERE id = :id"), {"id": doc.id}).scalar()
        return doc.text

    # claims
    def claim(self, rec: ClaimRecord) -> None:
        said_by = self.source(rec.said_by, rec.line, "said_by")
        via_ids = [self.source(name, rec.line, "via") for name in rec.via]
        doc = self.document(rec.doc, rec.line) if rec.doc is not None else None
        published = rec.published.isoformat() if rec.published else (doc.published if doc else None)
        quote_start = quote_end = None
        verified = False
        if rec.quote and doc is not None and not rec.unverified_quote:
            body = self._doc_text(doc)
            if body is not None:
                from ledger.errors import InputError
                from ledger.quotes import verify_quote

                try:
                    match = verify_quote(rec.quote, body)
                    quote_start, quote_end, verified = match.start, match.end, True
                except InputError as exc:
                    self.fail(rec.line, "quote", f"{exc.value!r} {exc.problem}; {exc.hint}; or set unverified_quote")
        claim_id = self.next_claim
        self.next_claim += 1
        self.result.claims += 1
        if not self.writing:
            return
        v = rec.value
        period = rec.period
        start = period.start.isoformat() if period and period.start else None
        end = period.end.isoformat() if period else None
        doc_id = doc.id if doc else None
        self.pending.claims.append((
            claim_id, rec.event, event_key(rec.event), rec.metric, rec.group, v.text, v.low, v.high, v.kind, v.best,
            said_by, doc_id, published, start, end, rec.location, rec.quote, quote_start, quote_end, int(verified),
            rec.credibility, self.at, int(rec.retracted),
        ))
        for position, relay in enumerate(via_ids):
            self.pending.relays.append((claim_id, position, relay))
        subject = f"claim:{claim_id}"
        self._history("claim.add", subject, {
            "event": rec.event, "metric": rec.metric, "group": rec.group, "value": v.to_dict(),
            "said_by_id": said_by, "via_ids": via_ids, "document_id": doc_id, "published": published,
            "period_start": start, "period_end": end, "location": rec.location, "quote": rec.quote,
            "quote_start": quote_start, "quote_end": quote_end, "quote_verified": verified,
            "credibility": rec.credibility, "recorded_at": self.at,
        })
        if rec.retracted:
            self._history("claim.retract", subject, {"reason": "imported as retracted"})
        if len(self.pending.claims) >= BATCH:
            self.flush()

    def _history(self, action: str, subject: str, payload: dict) -> None:
        if self.writing:
            self.pending.history.append((self.at, self.user, action, subject, payload))

    def flush(self) -> None:
        if not self.writing:
            return
        p, w = self.pending, self.writer
        entries = chain.make_entries(self.prev_hash, self.next_seq, p.history)
        if entries:
            self.prev_hash, self.next_seq = entries[-1].hash, entries[-1].seq + 1
        w.insert("source", SOURCE_COLUMNS, p.sources)
        w.insert("source_name", NAME_COLUMNS, p.names)
        w.insert("document", DOCUMENT_COLUMNS, p.documents)
        w.insert("claim", CLAIM_COLUMNS, p.claims)
        w.insert("claim_relay", RELAY_COLUMNS, p.relays)
        w.insert("history", HISTORY_COLUMNS, [
            (e.seq, e.recorded_at, e.user, e.action, e.subject, e.payload, e.prev_hash, e.hash) for e in entries
        ])
        self.pending = _Pending()


def import_records(
    ledger: Ledger,
    records: Iterable,
    file: str,
    *,
    create_sources: bool = False,
    dry_run: bool = False,
    error_limit: int = ERROR_LIMIT,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Record every record from ``ledger.transfer.read_records`` in one transaction, or none.

    Raises :class:`ImportRejected` listing the problems (up to ``error_limit``)
    if any row is bad; with ``dry_run`` checks everything and writes nothing.
    ``progress`` is called with the number of records seen, every batch.
    """
    with ledger.engine.connect() as conn:
        tx = conn.begin()
        importer = _Importer(ledger, conn, file, create_sources, dry_run, error_limit)
        try:
            for seen, item in enumerate(records, start=1):
                if isinstance(item, list):
                    importer.add_errors(item)
                elif isinstance(item, ClaimRecord):
                    importer.claim(item)
                elif isinstance(item, SourceRecord):
                    importer.source_record(item)
                else:
                    importer.document_record(item)
                if progress is not None and seen % BATCH == 0:
                    progress(seen)
            if importer.error_count:
                raise ImportRejected(file, importer.errors, importer.error_count)
            importer.flush()
            if importer.writer is not None and hasattr(importer.writer, "close"):
                importer.writer.close()
            if dry_run:
                tx.rollback()
            else:
                tx.commit()
        except BaseException:
            tx.rollback()
            raise
    result = importer.result
    if result.claims:
        result.last_id = importer.next_claim - 1
        result.first_id = result.last_id - result.claims + 1
    return result
