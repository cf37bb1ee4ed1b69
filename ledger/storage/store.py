"""The store: every read and write of sources, documents, claims and the history.

Design
------
* Every write happens in one transaction together with its history entry, so a
  failed command leaves the ledger exactly as it was.
* The history (``history`` table) is append-only and hash-chained
  (``ledger.provenance.chain``). Tables hold the current state for fast
  queries; the history holds every state, and ``verify`` replays it against
  the tables.
* Callers get plain ``ledger.model`` records, never rows or sessions.
* A write takes the write lock (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock) before it reads what it
  depends on (a free name, a live claim, the history's head): writers queue, each sees the last one's result.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy import false, func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ledger.dates import moment_text
from ledger.errors import InputError, NotFoundError
from ledger.model import GRADES, MAX_ID, SOURCE_KINDS, Claim, ClaimInput, Document, Source
from ledger.model.fields import CLAIM
from ledger.figures import Quantity
from ledger.provenance import chain
from ledger.storage.engine import BUSY_TIMEOUT_SECONDS, DEFAULT_URL, connect, write_engine
from ledger.storage.rows import (
    check_choice, claim_payload, default_user, distinct_aliases, document_model, document_payload, entry_from_row, event_key, name_key,
    now_utc, source_payload,
)
from ledger.storage.tables import ClaimRelayRow, ClaimRow, DocumentRow, HistoryRow, SourceNameRow, SourceRow


# PostgreSQL: every writer of a ledger first takes this transaction-scoped advisory lock ("ledger.w" in ASCII).
_PG_WRITE_LOCK = 0x6C65646765722E77
# A claim's identity is every column but these: the ledger's bookkeeping and what it derives, not what was said.
# The event counts by its key (case and spacing ignored); the speaker with the sources merged into it.
_NOT_IDENTITY = frozenset({"id", "event", "value_low", "value_high", "value_kind", "value_best", "said_by_id", "quote_start",
                           "quote_end", "quote_verified", "quote_states_figure", "credibility", "recorded_at", "retracted"})


class DuplicateClaim(InputError):
    """The same claim is recorded and not retracted: refused like any input to fix (exit 2) unless ``again``."""

    def __init__(self, existing_id: int):
        self.existing_id, self.field, self.value = existing_id, "claim", existing_id
        self.problem, self.hint = f"the same claim is already recorded as {existing_id}", "give --again to record it a second time"
        Exception.__init__(self, f"claim: {self.problem}; {self.hint}")


def _by_id(session: Session, table: type, ident: object, lock: bool = False):
    """The row with this id, or None: also for an id no table could hold (0, -1, 2**63, "2"), which the driver would raise on."""
    if type(ident) is not int or not 1 <= ident <= MAX_ID:
        return None
    return session.get(table, ident, with_for_update=True if lock else None)  # FOR UPDATE: PostgreSQL only


def _pg_write_lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":  # SQLite's writer began with BEGIN IMMEDIATE
        session.execute(text(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_SECONDS}s'"))
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})  # re-entrant


def _check_quote(claim: ClaimInput, document_text: str | None):
    """The quote found in the document and judged against the figure; errors name ``--quote``."""
    from ledger.provenance.quote_check import check_quote

    try:
        return check_quote(claim.quote, claim.quote_original, document_text, claim.value, claim.metric,
                           verify=not claim.unverified_quote)
    except InputError as exc:
        option = "--quote-original" if exc.field == "quote_original" else "--quote"
        raise InputError(option, exc.value, exc.problem, exc.hint) from None


def open_store(url: str | None = None, user: str | None = None) -> "Store":
    """The store at ``url`` (default: ``LEDGER_DB``, then ``sqlite:///ledger.db``), created on first use."""
    # An empty url or LEDGER_DB reaches connect(), which refuses it, rather than meaning ./ledger.db.
    return Store(url if url is not None else os.environ.get("LEDGER_DB", DEFAULT_URL), user=user)


class Store:
    """A ledger's database: sources, documents, claims and the history, each write with its entry.

    Long because every record kind's reads and writes share one engine, one
    transaction discipline and one history; its methods are short, grouped by
    record kind.
    """

    def __init__(self, url: str, user: str | None = None):
        self.url = url
        self.user = user or os.environ.get("LEDGER_USER") or default_user()
        self.engine: Engine = connect(url)
        # Writes take the write lock before they read what they depend on (engine.write_engine).
        self.writer: Engine = write_engine(self.engine)

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A session whose transaction holds the write lock before its first read (see the module docstring)."""
        with Session(self.writer) as session:
            _pg_write_lock(session)
            yield session

    # -- history ---------------------------------------------------------------

    def append_entry(self, session: Session, action: str, subject: str, payload: dict) -> HistoryRow:
        """Append one history entry inside the caller's write transaction (``_writing``): one head, one next seq."""
        _pg_write_lock(session)
        last = session.execute(select(HistoryRow).order_by(HistoryRow.seq.desc()).limit(1)).scalars().first()
        prev = entry_from_row(last) if last else None
        at = chain.not_before(now_utc(), prev.recorded_at if prev else None)
        entry = chain.make_entry(prev, at, self.user, action, subject, payload)
        row = HistoryRow(**entry.__dict__)
        session.add(row)
        return row

    def history(self, since: int = 0, subject: str | None = None) -> list[chain.Entry]:
        with Session(self.engine) as session:
            query = select(HistoryRow).where(HistoryRow.seq > since).order_by(HistoryRow.seq)
            if subject is not None:
                query = query.where(HistoryRow.subject == subject)
            return [entry_from_row(r) for r in session.execute(query).scalars()]

    def iter_history(self, since: int | None = 0, batch: int = 10_000) -> Iterator[chain.Entry]:
        """Every entry after seq ``since``, oldest first, read in batches of plain rows.

        ``since=None`` reads every row, even those numbered 0 or below, which
        the ledger never writes: ``verify`` must see what a forger inserted.
        """
        table = HistoryRow.__table__
        columns = [table.c[name] for name in chain.Entry.__dataclass_fields__]
        last = since
        while True:
            query = select(*columns) if last is None else select(*columns).where(table.c.seq > last)
            with self.engine.connect() as conn:
                rows = conn.execute(query.order_by(table.c.seq).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield chain.Entry(*row)
            last = rows[-1][0]

    # -- sources ---------------------------------------------------------------

    def _source_by_name(self, session: Session, name: str) -> SourceRow | None:
        row = session.execute(
            select(SourceRow).join(SourceNameRow, SourceNameRow.source_id == SourceRow.id)
            .where(SourceNameRow.name_key == name_key(name))
        ).scalars().first()
        if row is not None and row.merged_into_id is not None:
            row = session.get(SourceRow, row.merged_into_id)
        return row

    @staticmethod
    def _current_names(session: Session) -> dict[int, str]:
        from ledger.storage.readers import current_names

        return current_names(session.connection())

    def _all_source_names(self, session: Session) -> list[str]:
        return list(session.execute(select(SourceNameRow.name)).scalars())

    def _resolve_source(self, session: Session, field: str, name: str, create: bool = False) -> SourceRow:
        if not name or not name.strip():
            raise InputError(field, name, "is empty", "give a source name or alias")
        row = self._source_by_name(session, name)
        if row is not None:
            return row
        if create:
            return self._insert_source(session, name.strip(), "other", (), None, None)
        from ledger.names import closest_names

        suggestions = closest_names(name, self._all_source_names(session))
        hint = "closest known: " + ", ".join(suggestions) if suggestions else "no sources recorded yet"
        hint += "; add it with `ledger source add`"
        if field in ("--said-by", "--via"):
            hint += " or pass --create-sources"
        raise NotFoundError(field, name, "is not a known source", hint)

    def _insert_source(self, session, name, kind, aliases, affiliation_id, grade) -> SourceRow:
        row = SourceRow(name=name, kind=kind, affiliation_id=affiliation_id, grade=grade)
        session.add(row)
        session.flush()
        names = [name, *aliases]
        for index, alias in enumerate(names):
            session.add(SourceNameRow(source_id=row.id, name=alias, name_key=name_key(alias), is_alias=index > 0))
        self.append_entry(session, "source.add", f"source:{row.id}", source_payload(row, aliases))
        return row

    def add_source(
        self,
        name: str,
        kind: str = "other",
        aliases: Sequence[str] = (),
        affiliation: str | None = None,
        grade: str | None = None,
    ) -> Source:
        name = (name or "").strip()
        if not name:
            raise InputError("NAME", name, "is empty", "give the source's name, e.g. 'Syrian Observatory for Human Rights'")
        check_choice("--kind", kind, SOURCE_KINDS)
        if grade is not None:
            grade = grade.strip().upper()
            check_choice("--grade", grade, GRADES)
        aliases = distinct_aliases(name, aliases)
        with self._writing() as session:
            for candidate in (name, *aliases):
                existing = self._source_by_name(session, candidate)
                if existing is not None:
                    field = "NAME" if candidate == name else "--alias"
                    raise InputError(field, candidate, f"is already a name of source {existing.name!r}")
            affiliation_id = None
            if affiliation:
                affiliation_id = self._resolve_source(session, "--affiliation", affiliation).id
            source = self._source_model(session, self._insert_source(session, name, kind, aliases, affiliation_id, grade))
            session.commit()
            return source

    def _source_model(self, session: Session, row: SourceRow) -> Source:
        return self._source_models(session, [row])[0]

    def _source_models(self, session: Session, rows: Sequence[SourceRow]) -> list[Source]:
        """Sources with their aliases; names of sources merged into one are its aliases too."""
        current = self._current_names(session)
        affiliations = {r.id: r.affiliation_id for r in session.execute(select(SourceRow)).scalars()}
        aliases: dict[str, list[str]] = {}
        for name_row in session.execute(select(SourceNameRow).order_by(SourceNameRow.id)).scalars():
            owner = current[name_row.source_id]
            if name_row.name != owner:
                aliases.setdefault(owner, []).append(name_row.name)
        return [
            Source(
                id=r.id, name=r.name, kind=r.kind, aliases=tuple(aliases.get(r.name, ())),
                affiliation=current[affiliations[r.id]] if affiliations[r.id] else None, grade=r.grade,
            )
            for r in rows
        ]

    def list_sources(self) -> list[Source]:
        with Session(self.engine) as session:
            rows = session.execute(
                select(SourceRow).where(SourceRow.merged_into_id.is_(None)).order_by(SourceRow.name)
            ).scalars().all()
            return self._source_models(session, rows)

    def merge_sources(self, from_name: str, into_name: str, reason: str | None = None) -> tuple[Source, Source]:
        """Make FROM a name of INTO: FROM's names resolve to INTO and its claims read as INTO's.

        Rows are not rewritten (the history vouches for them as recorded); FROM is
        marked ``merged_into`` INTO with a ``source.merge`` entry. Sources merged
        into FROM earlier are moved on to INTO, each with its own entry, so a
        name never needs more than one hop to resolve.
        """
        reason = reason.strip() if reason and reason.strip() else None
        with self._writing() as session:
            source = self._resolve_source(session, "FROM", from_name)
            target = self._resolve_source(session, "INTO", into_name)
            if source.id == target.id:
                raise InputError("FROM", from_name, f"is already a name of source {target.name!r}", "nothing to merge")
            earlier = session.execute(
                select(SourceRow).where(SourceRow.merged_into_id == source.id).order_by(SourceRow.id)
            ).scalars().all()
            for row in (source, *earlier):
                row.merged_into_id = target.id
                session.add(row)
                why = reason if row is source else f"follows the merge of {source.name!r} into {target.name!r}"
                self.append_entry(session, "source.merge", f"source:{row.id}",
                                  {"from": row.name, "into": target.name, "from_id": row.id, "into_id": target.id, "reason": why})
            merged = self._source_model(session, source), self._source_model(session, target)
            session.commit()
            return merged

    def get_source(self, name: str) -> Source:
        with Session(self.engine) as session:
            return self._source_model(session, self._resolve_source(session, "SOURCE", name))

    # -- documents -------------------------------------------------------------

    def add_document(
        self,
        outlet: str,
        published: date,
        url: str | None = None,
        title: str | None = None,
        text: str | None = None,
        published_at: datetime | None = None,
    ) -> Document:
        with self._writing() as session:
            outlet_row = self._resolve_source(session, "--outlet", outlet)
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None
            row = DocumentRow(outlet_id=outlet_row.id, published=published, published_at=moment_text(published_at),
                              url=url, title=title, text=text, sha256=sha)
            session.add(row)
            session.flush()
            self.append_entry(session, "document.add", f"document:{row.id}", document_payload(row))
            document = document_model(row, outlet_row.name)
            session.commit()
            return document

    def get_document(self, document_id: int, field: str = "ID") -> Document:
        with Session(self.engine) as session:
            row = _by_id(session, DocumentRow, document_id)
            if row is None:
                raise NotFoundError(field, document_id, "is not a document in this ledger", self._document_hint(session))
            return document_model(row, session.get(SourceRow, row.outlet_id).name)

    def _document_hint(self, session: Session) -> str:
        ids = list(session.execute(select(DocumentRow.id).order_by(DocumentRow.id)).scalars())
        if not ids:
            return "no documents recorded yet; add one with `ledger doc add`"
        return f"known ids: {ids[0]}..{ids[-1]} (`ledger doc list`)"

    def list_documents(self) -> list[Document]:
        with Session(self.engine) as session:
            outlets = {r.id: r.name for r in session.execute(select(SourceRow)).scalars()}
            return [document_model(r, outlets[r.outlet_id]) for r in session.execute(select(DocumentRow).order_by(DocumentRow.id)).scalars()]

    # -- claims ----------------------------------------------------------------

    def add_claim(self, claim: ClaimInput, create_sources: bool = False, again: bool = False) -> Claim:
        """Record a claim; the same claim recorded and not retracted is refused (:class:`DuplicateClaim`) unless ``again``."""
        for field, value in (("--event", claim.event), ("--metric", claim.metric)):
            if not value or not value.strip():
                raise InputError(field, value, "is empty", f"name the {field.strip('-')}, e.g. 'Ghweran prison attack'" if field == "--event" else "e.g. killed, arrested, escaped")
        if claim.group is not None and not claim.group.strip():
            raise InputError("--group", claim.group, "is empty", "leave --group out for a total")
        with self._writing() as session:
            said_by = self._resolve_source(session, "--said-by", claim.said_by, create_sources)
            via = [self._resolve_source(session, "--via", name, create_sources) for name in claim.via]
            published, published_at, doc_text = claim.published, moment_text(claim.published_at), None
            if claim.document_id is not None:
                doc = _by_id(session, DocumentRow, claim.document_id)
                if doc is None:
                    raise NotFoundError("--doc", claim.document_id, "is not a document in this ledger", self._document_hint(session))
                if published is None:
                    published, published_at = doc.published, doc.published_at
                doc_text = doc.text
            checked = _check_quote(claim, doc_text)
            row = ClaimRow(
                event=claim.event.strip(), event_key=event_key(claim.event), metric=claim.metric.strip(),
                group_name=claim.group.strip() if claim.group else None,
                value_text=claim.value.text, value_low=claim.value.low, value_high=claim.value.high,
                value_kind=claim.value.kind, value_best=claim.value.best,
                said_by_id=said_by.id, document_id=claim.document_id, published=published,
                period_start=claim.period.start if claim.period else None,
                period_end=claim.period.end if claim.period else None,
                published_at=published_at, as_of_at=moment_text(claim.as_of_at),
                location=claim.location, quote=claim.quote, quote_original=claim.quote_original,
                quote_start=checked.start, quote_end=checked.end, quote_verified=checked.verified,
                quote_states_figure=checked.states_figure, credibility=claim.credibility, recorded_at=now_utc(),
            )
            if not again and (existing := self._same_claim(session, row, [r.id for r in via])) is not None:
                raise DuplicateClaim(existing)
            session.add(row)
            session.flush()
            for position, relay in enumerate(via):
                session.add(ClaimRelayRow(claim_id=row.id, position=position, source_id=relay.id))
            self.append_entry(session, "claim.add", f"claim:{row.id}", claim_payload(row, [r.id for r in via]))
            session.commit()
            claim_id = row.id
        return self.get_claim(claim_id)

    def _same_claim(self, session: Session, row: ClaimRow, via_ids: list[int]) -> int | None:
        """The first live claim saying what ``row`` says (``_NOT_IDENTITY``), found through indexed columns, or None."""
        claim, source, relay = ClaimRow.__table__.c, SourceRow.__table__.c, ClaimRelayRow.__table__
        speakers = select(source.id).where((source.id == row.said_by_id) | (source.merged_into_id == row.said_by_id))
        same = [claim[name].is_not_distinct_from(getattr(row, name))
                for name in CLAIM.column_names if name not in _NOT_IDENTITY and name != "event_key"]
        found = session.execute(select(claim.id).where(claim.event_key == row.event_key, claim.said_by_id.in_(speakers),
                                                       claim.retracted == false(), *same)).scalars()
        relays = select(func.coalesce(source.merged_into_id, source.id)).join(relay, relay.c.source_id == source.id)
        for candidate in sorted(found):  # not ORDER BY id: it steers SQLite to the event_key index over a wider one
            if list(session.execute(relays.where(relay.c.claim_id == candidate).order_by(relay.c.position)).scalars()) == via_ids:
                return candidate
        return None

    def _claim_row(self, session: Session, claim_id: int, field: str = "ID", lock: bool = False) -> ClaimRow:
        row = _by_id(session, ClaimRow, claim_id, lock)
        if row is None:
            last = session.execute(select(func.max(ClaimRow.id))).scalar()
            hint = f"known ids: 1..{last} (`ledger claim list`)" if last else "no claims recorded yet"
            raise NotFoundError(field, claim_id, "is not a claim in this ledger", hint)
        return row

    def get_claim(self, claim_id: int) -> Claim:
        from ledger.storage.readers import iter_claims

        with Session(self.engine) as session:
            self._claim_row(session, claim_id)  # a clear error for an unknown id
        return next(iter_claims(self, claim_ids=[claim_id]))

    def correct_claim(self, claim_id: int, value: Quantity, reason: str | None = None) -> Claim:
        with self._writing() as session:
            row = self._claim_row(session, claim_id, lock=True)
            if row.retracted:
                raise InputError("ID", claim_id, "is retracted", "a retracted claim cannot be corrected; record a new claim")
            previous = {"text": row.value_text, "low": row.value_low, "high": row.value_high, "kind": row.value_kind, "best": row.value_best}
            row.value_text, row.value_low, row.value_high = value.text, value.low, value.high
            row.value_kind, row.value_best = value.kind, value.best
            change = {"value": value.to_dict(), "previous": previous, "reason": reason}
            if row.quote:  # the new figure is judged against the same quote
                from ledger.provenance.quote_check import states_figure

                row.quote_states_figure = change["quote_states_figure"] = states_figure(row.quote, row.quote_original, value, row.metric)
            session.add(row)
            self.append_entry(session, "claim.correct", f"claim:{claim_id}", change)
            session.commit()
        return self.get_claim(claim_id)

    def retract_claim(self, claim_id: int, reason: str) -> Claim:
        if not reason or not reason.strip():
            raise InputError("--reason", reason, "is empty", "say why the claim is retracted")
        with self._writing() as session:
            row = self._claim_row(session, claim_id, lock=True)
            if row.retracted:
                raise InputError("ID", claim_id, "is already retracted")
            row.retracted = True
            session.add(row)
            self.append_entry(session, "claim.retract", f"claim:{claim_id}", {"reason": reason})
            session.commit()
        return self.get_claim(claim_id)

    def list_claims(self, event: str | None = None, source: str | None = None, include_retracted: bool = True) -> list[Claim]:
        from ledger.storage.readers import iter_claims

        source_ids = None
        if source is not None:
            with Session(self.engine) as session:
                target = self._resolve_source(session, "--source", source).name
                source_ids = [i for i, name in self._current_names(session).items() if name == target]
        return list(iter_claims(self, event=event, include_retracted=include_retracted, source_ids=source_ids))

    def claims_for_report(self) -> tuple[list[Claim], list[Source]]:
        """What the reconciler needs: the live claims and every source with its aliases."""
        from ledger.storage.readers import claims_for_report

        return claims_for_report(self)
