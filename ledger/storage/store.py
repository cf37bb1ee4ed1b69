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

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ledger.errors import InputError, NotFoundError
from ledger.names.normalisation import has_visible
from ledger.model import GRADES, SOURCE_KINDS, Source
from ledger.provenance import chain
from ledger.storage.claim_store import ClaimStore, DuplicateClaim  # noqa: F401  (DuplicateClaim: part of the store's API)
from ledger.storage.document_store import DocumentStore, DuplicateDocument  # noqa: F401  (DuplicateDocument: likewise)
from ledger.storage.name_store import NameStore
from ledger.storage.engine import DEFAULT_URL, connect, write_engine
from ledger.storage.locks import pg_write_lock
from ledger.storage.rows import check_choice, default_user, distinct_aliases, entry_from_row, name_key, now_utc, source_payload
from ledger.storage.tables import HistoryRow, SourceNameRow, SourceRow


def open_store(url: str | None = None, user: str | None = None) -> "Store":
    """The store at ``url`` (default: ``LEDGER_DB``, then ``sqlite:///ledger.db``), created on first use."""
    # An empty url or LEDGER_DB reaches connect(), which refuses it, rather than meaning ./ledger.db.
    return Store(url if url is not None else os.environ.get("LEDGER_DB", DEFAULT_URL), user=user)


class Store(ClaimStore, NameStore, DocumentStore):
    """A ledger's database: sources, documents, claims and the history, each write with its entry.

    Long because every record kind's reads and writes share one engine, one
    transaction discipline and one history; its methods are short, grouped by
    record kind.
    """

    def __init__(self, url: str, user: str | None = None):
        self.url = url
        self.user = user if user is not None else os.environ.get("LEDGER_USER") or default_user()
        # The history's every entry names its user: a blank or multi-line one would forge nothing, but tell nothing
        if not has_visible(self.user) or any(ch in self.user for ch in "\r\n\t\x00") or len(self.user) > 200:
            raise InputError("--by", self.user, "is not a name for the history (empty, over 200 characters, or holding a "
                             "line break or control character)", "give who is recording on one line, e.g. --by 'A. Analyst'")
        self.engine: Engine = connect(url)
        # Writes take the write lock before they read what they depend on (engine.write_engine).
        self.writer: Engine = write_engine(self.engine)

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A session whose transaction holds the write lock before its first read (see the module docstring)."""
        with Session(self.writer) as session:
            pg_write_lock(session)
            yield session

    # -- history ---------------------------------------------------------------

    def append_entry(self, session: Session, action: str, subject: str, payload: dict) -> HistoryRow:
        """Append one history entry inside the caller's write transaction (``_writing``): one head, one next seq."""
        pg_write_lock(session)
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

    def head(self) -> tuple[int, str | None]:
        """The newest history entry's seq and hash: (0, None) for an empty ledger."""
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT seq, hash FROM history ORDER BY seq DESC LIMIT 1").first()
        return (row[0], row[1]) if row else (0, None)

    def head_seq(self) -> int:
        """The seq of the newest history entry (0 for an empty ledger): one index lookup."""
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT max(seq) FROM history").scalar() or 0

    def iter_history(self, since: int | None = 0, batch: int = 10_000, newest_first: bool = False,
                     limit: int | None = None) -> Iterator[chain.Entry]:
        """Every entry after seq ``since`` (at most ``limit``), oldest first, read in batches of plain rows.

        ``since=None`` reads every row, even those numbered 0 or below, which
        the ledger never writes: ``verify`` must see what a forger inserted.
        ``newest_first`` walks the seq index backwards, so the last entries of
        a million cost what the first ones do.
        """
        table = HistoryRow.__table__
        columns = [table.c[name] for name in chain.Entry.__dataclass_fields__]
        order = table.c.seq.desc() if newest_first else table.c.seq
        left = limit
        last = None
        while left is None or left > 0:
            query = select(*columns)
            if since is not None:
                query = query.where(table.c.seq > since)
            if last is not None:
                query = query.where(table.c.seq < last if newest_first else table.c.seq > last)
            size = batch if left is None else min(batch, left)
            with self.engine.connect() as conn:
                rows = conn.execute(query.order_by(order).limit(size)).all()
            if not rows:
                return
            for row in rows:
                yield chain.Entry(*row)
            last = rows[-1][0]
            if left is not None:
                left -= len(rows)

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
        if not has_visible(name):
            raise InputError(field, name, "is empty", "give a source name or alias")
        row = self._source_by_name(session, name)
        if row is not None:
            return row
        if create:
            return self._insert_source(session, name.strip(), "other", (), None, None)
        from ledger.names import closest_names

        suggestions = closest_names(name, self._all_source_names(session))
        if suggestions:
            hint = "closest known: " + ", ".join(suggestions)
        else:
            hint = "none is close (`ledger source list`)" if session.execute(select(SourceRow.id).limit(1)).first() else "no sources recorded yet"
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
        if not has_visible(name):
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

    def edit_source(self, name: str, changes: dict, reason: str | None = None) -> Source:
        """Change a source's ``kind``, ``grade``, ``affiliation`` (None clears the last two) or add ``aliases``.

        One ``source.edit`` entry holds the fields after (``changes``) and before
        (``was``) as the source's add payload has them, and the affiliation's
        names as they stood, so the audit reads names rather than ids.
        """
        unknown = sorted(set(changes) - {"kind", "grade", "affiliation", "aliases"})
        if unknown:
            raise InputError("field", unknown[0], "cannot be edited", "editable: kind, grade, affiliation, aliases")
        if "kind" in changes:
            check_choice("--kind", changes["kind"], SOURCE_KINDS)
        if changes.get("grade") is not None:
            changes = {**changes, "grade": changes["grade"].strip().upper()}
            check_choice("--grade", changes["grade"], GRADES)
        with self._writing() as session:
            row = self._resolve_source(session, "NAME", name)
            own = [n.name for n in session.execute(select(SourceNameRow).where(
                SourceNameRow.source_id == row.id, SourceNameRow.is_alias).order_by(SourceNameRow.id)).scalars()]
            before = source_payload(row, own)
            if "kind" in changes:
                row.kind = changes["kind"]
            if "grade" in changes:
                row.grade = changes["grade"]
            if "affiliation" in changes:
                affiliation = changes["affiliation"]
                row.affiliation_id = None if affiliation is None else self._resolve_source(session, "--affiliation", affiliation).id
                if row.affiliation_id == row.id:
                    raise InputError("--affiliation", affiliation, f"is a name of {row.name!r} itself", "give the organisation it speaks for")
            added = []
            for alias in distinct_aliases(row.name, [*own, *changes.get("aliases", ())])[len(own):]:
                existing = self._source_by_name(session, alias)
                if existing is not None:
                    hint = "nothing to add" if existing.id == row.id else f"if they are one source: `ledger source merge {alias!r} {row.name!r}`"
                    raise InputError("--alias", alias, f"is already a name of source {existing.name!r}", hint)
                session.add(SourceNameRow(source_id=row.id, name=alias, name_key=name_key(alias), is_alias=True))
                added.append(alias)
            after = source_payload(row, [*own, *added])
            changed = sorted(k for k in after if after[k] != before[k])
            if not changed:
                raise InputError("NAME", name, "already says that", "nothing to edit")
            entry: dict = {"source": row.name, "changes": {k: after[k] for k in changed}, "was": {k: before[k] for k in changed},
                           "reason": reason}
            if "affiliation_id" in changed:
                names = self._current_names(session)
                entry["names"] = {"affiliation_id": [names.get(before["affiliation_id"]), names.get(after["affiliation_id"])]}
            session.add(row)
            self.append_entry(session, "source.edit", f"source:{row.id}", entry)
            source = self._source_model(session, row)
            session.commit()
            return source

    def get_source(self, name: str, field: str = "SOURCE") -> Source:
        with Session(self.engine) as session:
            return self._source_model(session, self._resolve_source(session, field, name))
