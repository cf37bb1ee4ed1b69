"""Importing a file of claims: every row checked, all of them recorded in one transaction, or none.

The per-record methods of :class:`~ledger.storage.store.Store` build ORM objects
and append history one entry at a time: right for one claim, far too slow for
a million. This module does the same writes in batches, and keeps every
invariant of the per-record path:

* **One transaction.** An import checks every row first-to-last while it
  writes; any bad row rolls the whole file back, and the error lists every bad
  row as ``FILE:LINE: field: problem`` (up to a limit, then a count).
* **One history entry per record**, as ``Store.add_claim`` writes it (payloads
  built by ``rows.claim_add_json``, byte-identical, tested), ``source.add``,
  ``document.add``, ``claim.retract``: ``ledger verify`` replays an import with
  no special case. Then one ``import`` entry names the file by its sha256.
* **Nothing twice.** What the ledger already holds is skipped and counted
  (``ledger.storage.held``).
* **Storage only.** Rows go through a writer (``ledger.storage.writers``): a child process for a large
  import into a SQLite file (SQLite's work overlaps this module's), else in-process.

Ids are assigned here (max id + 1) so each claim's history payload can be built before the rows are
written; a concurrent writer fails the import (a primary key, the history head) rather than interleave.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from json.encoder import encode_basestring

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ledger import interrupts
from ledger.dates import moment_text
from ledger.errors import InputError, LedgerError
from ledger.provenance import chain
from ledger.provenance.quote_check import NO_QUOTE, QuoteCheck, check_quote
from ledger.model.fields import CLAIM, CLAIM_RELAY, HISTORY, SOURCE, SOURCE_NAME
from ledger.storage.held import Held
from ledger.storage.import_documents import DOCUMENT_COLUMNS, Doc, DocumentImport
from ledger.storage.locks import pg_write_lock
from ledger.storage.restore import ImportRejected, ImportResult, Restore, check_restored, import_entry  # noqa: F401  (API)
from ledger.storage.rows import claim_add_json, distinct_aliases, event_key, free_document_id, name_key, now_utc
from ledger.storage.store import Store
from ledger.storage.writers import writer_for
from ledger.transfer import ClaimRecord, RowError, SourceRecord
from ledger.transfer.records import RowRecord

BATCH = 10_000  # claims per write: large enough to amortise, small enough to stream
ERROR_LIMIT = 50

# Column orders of the rows this module builds as tuples: the tables' own, from their one description.
CLAIM_COLUMNS = CLAIM.column_names
HISTORY_COLUMNS = HISTORY.column_names
SOURCE_COLUMNS = SOURCE.column_names
NAME_COLUMNS = SOURCE_NAME.column_names
RELAY_COLUMNS = CLAIM_RELAY.column_names

_RETRACT_JSON = chain.canonical_json({"reason": "imported as retracted"})


@dataclass
class _Pending:
    sources: list = field(default_factory=list)
    names: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    relays: list = field(default_factory=list)
    history: list = field(default_factory=list)  # (action, subject, canonical payload JSON)


class _Importer(DocumentImport):
    """One import's state: the ids it assigns, the names and documents it knows, the rows pending a write.

    Long because it is one pass over the file with all of that state at hand;
    its methods are short, one per kind of record and lookup.
    """

    def __init__(self, ledger: Store, conn, file: str, create_sources: bool, dry_run: bool, error_limit: int):
        self.ledger, self.conn, self.file = ledger, conn, file
        self.create_sources, self.dry_run, self.error_limit = create_sources, dry_run, error_limit
        self.errors: list[RowError] = []
        self.error_count = 0
        self.writing = not dry_run  # until the first bad row: then only checking goes on
        self.result = ImportResult(dry_run=dry_run)
        self.at = now_utc()  # one import, one moment
        self.at_json = chain.canonical_json(self.at)
        self.user = ledger.user
        self.pending = _Pending()
        self.writer = None  # chosen at the first write, once the import's size is known
        q = lambda sql: conn.execute(text(sql)).scalar()  # noqa: E731
        self.next_source = (q("SELECT max(id) FROM source") or 0) + 1
        self.next_name = (q("SELECT max(id) FROM source_name") or 0) + 1
        self.next_document = free_document_id(conn)  # never a removed document's id
        self.first_claim = self.next_claim = (q("SELECT max(id) FROM claim") or 0) + 1
        self.first_source, self.first_document = self.next_source, self.next_document
        head = conn.execute(text("SELECT seq, hash FROM history ORDER BY seq DESC LIMIT 1")).first()
        self.head = tuple(head) if head else None
        self.next_seq, self.prev_hash = (head[0] + 1, head[1]) if head else (1, chain.GENESIS)
        if head:
            last_at = conn.execute(text("SELECT recorded_at FROM history WHERE seq = :seq"), {"seq": head[0]}).scalar()
            self.at = chain.not_before(self.at, last_at)
            self.at_json = chain.canonical_json(self.at)
        merged = dict(conn.execute(text("SELECT id, merged_into_id FROM source")).all())
        self.held = Held(conn, merged)  # what the ledger held before: a re-import adds nothing
        self.source_ids: dict[str, int] = {}  # name_key -> live source id
        for key, source_id in conn.execute(text("SELECT name_key, source_id FROM source_name")).all():
            self.source_ids[key] = merged.get(source_id) or source_id
        self.by_raw_name: dict[str, int | None] = {}  # exact text as written -> id (None: unknown)
        self.file_docs: dict[int, Doc] | None = None  # set once the file holds document records
        self.ledger_docs: dict[int, Doc | None] = {}
        self.newest_docs: dict[str, tuple[int, str | None] | None] = {}  # url -> its newest version (id, sha256)
        # Per distinct value, computed once: a million claims name a few
        # thousand events, figures and days. Equal texts also become one object,
        # which the child process's writer receives once per batch.
        self.events: dict[str, tuple[str, str, str]] = {}  # event -> (event, event_key, its JSON)
        self.value_json: dict[str, tuple] = {}  # figure text -> (Quantity, its canonical JSON)
        self.days: dict[date, str] = {}  # date -> ISO text

    def fail(self, line: int, field_name: str, problem: str) -> None:
        self.add_errors([RowError(self.file, line, field_name, problem)])

    def add_errors(self, errors: list[RowError]) -> None:
        self.error_count += len(errors)
        room = self.error_limit - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])
        self.writing = False
        self.pending = _Pending()  # nothing more will be written

    def _suggest(self, name: str) -> str:
        if len(self.errors) >= self.error_limit:
            return ""  # not shown: skip the fuzzy search
        from ledger.names import closest_names

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
        if own is not None and owners == {own}:  # held (a re-import, an export of this ledger) or earlier in the file
            problem = self.held.source_conflict(own, rec) if own < self.first_source else None
            if problem:
                self.fail(rec.line, "name", problem)
            elif own < self.first_source:
                self.result.same_sources += 1
            return
        if owners:
            self.fail(rec.line, "aliases" if own is None else "name", "is already a name of another source in the ledger")
            return
        affiliation_id = None
        if rec.affiliation:
            affiliation_id = self.source_ids.get(name_key(rec.affiliation))
            if affiliation_id is None:
                self.fail(rec.line, "affiliation", f"{rec.affiliation!r} is not a known source; list it earlier in the file")
                return
        aliases = distinct_aliases(rec.name, rec.aliases)
        self.by_raw_name.clear()  # a name that was unknown may be known now
        self._new_source(rec.name, rec.kind, aliases, affiliation_id, rec.grade)

    def _check_quote(self, rec: ClaimRecord, doc: Doc | None) -> QuoteCheck:
        body = self._doc_text(doc) if doc is not None and not rec.unverified_quote else None
        try:
            return check_quote(rec.quote, rec.quote_original, body, rec.value, rec.metric)
        except InputError as exc:
            self.fail(rec.line, exc.field, f"{exc.value!r} {exc.problem}; {exc.hint}; or set unverified_quote")
            return NO_QUOTE

    # claims
    def claim(self, rec: ClaimRecord) -> None:
        # The hot path of a large import: every lookup a dict hit, every
        # repeated value computed once; misses go to the methods above.
        (line, event, metric, value, said_by_name, group, via, doc_ref, published, published_at, period, as_of_at,
         location, quote, quote_original, unverified, credibility, retracted) = rec
        by_raw_name = self.by_raw_name
        said_by = by_raw_name.get(said_by_name) or self.source(said_by_name, line, "said_by")
        via_ids = [by_raw_name.get(name) or self.source(name, line, "via") for name in via] if via else []
        doc = doc_id = None
        if doc_ref is not None:
            doc = self.document(doc_ref, line)
            doc_id = doc.id if doc else None
        days = self.days
        if published is not None:
            published = days.get(published) or self._day(published)
            published_at = moment_text(published_at)
        elif doc is not None:
            published, published_at = doc.published, doc.published_at
        checked = self._check_quote(rec, doc) if quote else NO_QUOTE
        start = end = None
        if period is not None:
            end = days.get(period.end) or self._day(period.end)
            if period.start is not None:
                start = days.get(period.start) or self._day(period.start)
        as_of_at = moment_text(as_of_at)
        if self.first_claim > 1 and self.held.claim(said_by, via_ids, {
                "event_key": event_key(event), "metric": metric, "group_name": group, "value_text": value.text,
                "document_id": doc_id, "published": published, "published_at": published_at, "period_start": start,
                "period_end": end, "as_of_at": as_of_at, "location": location, "quote": quote, "quote_original": quote_original}):
            self.result.same_claims += 1
            return
        claim_id = self.next_claim
        self.next_claim = claim_id + 1
        if not self.writing:
            return
        shared = self.events.get(event)
        if shared is None:
            shared = self.events[event] = (event, event_key(event), encode_basestring(event))
        event, key, event_json = shared
        text_ = value.text
        shared = self.value_json.get(text_)
        if shared is None or shared[0] is not value:
            shared = self.value_json[text_] = (value, chain.canonical_json(value.to_dict()))
        pending = self.pending
        quote_start, quote_end, verified, states_figure = checked.start, checked.end, checked.verified, checked.states_figure
        pending.claims.append((
            claim_id, event, key, metric, group, text_, value.low, value.high, value.kind, value.best,
            said_by, doc_id, published, published_at, start, end, as_of_at, location, quote, quote_start, quote_end,
            verified, quote_original, states_figure, credibility, self.at, retracted,
        ))
        if via_ids:
            pending.relays.extend([(claim_id, position, relay) for position, relay in enumerate(via_ids)])
        subject = f"claim:{claim_id}"
        pending.history.append(("claim.add", subject, claim_add_json(
            event_json, metric, group, shared[1], said_by, via_ids, doc_id, published, start, end,
            location, quote, quote_start, quote_end, verified, credibility, self.at_json,
            published_at, as_of_at, quote_original, states_figure,
        )))
        if retracted:
            pending.history.append(("claim.retract", subject, _RETRACT_JSON))
        if len(pending.claims) >= BATCH:
            self.flush()

    def write_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Rows restored as a whole ledger stored them (``ledger.storage.restore``), through this import's writer."""
        if self.writing:
            if self.writer is None:
                self.writer = writer_for(self.conn, large=True, head=self.head)
            self.writer.write([(table, columns, rows)])

    def _day(self, day: date) -> str:
        iso = self.days[day] = day.isoformat()
        return iso

    def _history(self, action: str, subject: str, payload: dict) -> None:
        if self.writing:
            self.pending.history.append((action, subject, chain.canonical_json(payload)))

    def file_entry(self, sha256: str) -> None:
        """One ``import`` entry after the records, naming the file by its sha256 and what it added."""
        payload = import_entry(self.result, self.file, sha256, (self.first_claim, self.next_claim),
                               (self.first_source, self.next_source))
        if payload is not None:
            self._history("import", f"file:{sha256}", payload)
            self.result.entry = self.next_seq + len(self.pending.history) - 1

    def flush(self, final: bool = False) -> None:
        """Hand the pending rows to the writer; the first flush picks it (a child process if more follow)."""
        p = self.pending
        if not self.writing or not (p.history or p.claims):
            return
        if self.writer is None:
            self.writer = writer_for(self.conn, large=not final, head=self.head)
        history = chain.history_rows(self.prev_hash, self.next_seq, self.at, self.user, p.history)
        if history:
            self.next_seq, self.prev_hash = history[-1][0] + 1, history[-1][-1]
        self.writer.write([
            ("source", SOURCE_COLUMNS, p.sources), ("source_name", NAME_COLUMNS, p.names),
            ("document", DOCUMENT_COLUMNS, p.documents), ("claim", CLAIM_COLUMNS, p.claims),
            ("claim_relay", RELAY_COLUMNS, p.relays), ("history", HISTORY_COLUMNS, history),
        ])
        self.pending = _Pending()


def import_records(
    ledger: Store,
    records: Iterable,
    file: str,
    *,
    create_sources: bool = False,
    dry_run: bool = False,
    error_limit: int = ERROR_LIMIT,
    progress: Callable[[int], None] | None = None,
    digest: Callable[[], str] | None = None,
) -> ImportResult:
    """Record every record from ``ledger.transfer.read_records`` in one transaction, or none.

    Raises :class:`ImportRejected` listing the problems (up to ``error_limit``)
    if any row is bad; with ``dry_run`` checks everything and writes nothing.
    ``progress`` is called with the number of records seen, every batch.
    ``digest`` gives the file's sha256 once every record is read; the import
    then ends with one ``import`` entry naming it (a whole-ledger restore
    adds none: its history is the file's).
    """
    # The import allocates millions of short-lived rows and no reference
    # cycles; the collector's passes over the pending batch cost ~5 % of the
    # time and reclaim nothing, so it is paused until the import ends.
    collecting = gc.isenabled()
    with ledger.engine.connect() as conn:
        tx = conn.begin()
        pg_write_lock(conn)  # on PostgreSQL, queue behind other writers as every write does
        importer = _Importer(ledger, conn, file, create_sources, dry_run, error_limit)
        restore = Restore(empty=importer.head is None and importer.first_claim == importer.first_source == 1)
        try:
            gc.disable()
            claim = importer.claim
            for seen, item in enumerate(records, start=1):
                if type(item) is ClaimRecord:
                    if not restore.restoring:  # a whole ledger's rows came first: its records are in them
                        claim(item)
                elif isinstance(item, list):
                    importer.add_errors(item)
                elif type(item) is RowRecord:
                    restore.add(item, importer.write_rows)
                elif restore.restoring:
                    pass
                elif isinstance(item, SourceRecord):
                    importer.source_record(item)
                else:
                    importer.document_record(item)
                if progress is not None and seen % BATCH == 0:
                    progress(seen)
            if importer.error_count:
                raise ImportRejected(file, importer.errors, importer.error_count)
            restore.flush(importer.write_rows)
            if not restore.restoring and digest is not None:
                importer.file_entry(digest())
            importer.flush(final=True)
            if dry_run:
                tx.rollback()
            else:
                if importer.writer is not None:
                    importer.writer.commit()
                interrupts.committing()
                tx.commit()
        except (sqlite3.OperationalError, OperationalError) as exc:
            tx.rollback()
            if "locked" not in str(exc):
                raise
            # Another command held the write lock past the busy timeout, or wrote since this import began
            # reading: nothing was written, and running it again once the other command is done works.
            raise LedgerError("the ledger is busy: another command was writing to it while this import ran; "
                              "nothing was imported; run the import again") from None
        except BaseException:
            tx.rollback()
            raise
        finally:
            if importer.writer is not None:
                importer.writer.close()
            if collecting:
                gc.enable()
    result = importer.result
    result.unreplayed = restore.unreplayed
    if restore.restoring:
        result.restored = restore.counts
        result.head = None if dry_run else check_restored(ledger, file)
        return result
    result.claims = importer.next_claim - importer.first_claim
    if result.claims:
        result.last_id = importer.next_claim - 1
        result.first_id = importer.first_claim
    return result
