"""Reading claims fast: one streaming reader behind every claim listing.

``Store.list_claims``, ``get_claim``, the report, and the exports all read
claims here. Rows are streamed with plain SQL on one connection, equal values
(names, figures, dates) are shared between records, and a claim's earlier
values come only from its ``claim.correct`` history entries (each carries the
``previous`` value), which are rare. A million claims read in seconds, not the
minutes that ORM objects cost.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from itertools import count

from ledger.model import Claim, Document, Period, QuoteSpan, Source
from ledger.model.fields import CLAIM
from ledger.figures import Quantity

BATCH = 10_000


def _query(conn) -> Callable:
    """``query(sql, params)`` → rows, on a SQLAlchemy connection or on the plain ``sqlite3`` one a quick listing
    opens without importing SQLAlchemy (``ledger.storage.quick_claims``). ``sql`` names parameters ``:name``."""
    if isinstance(conn, sqlite3.Connection):
        return lambda sql, params=None: conn.execute(sql, params or {})
    from sqlalchemy import text

    return lambda sql, params=None: conn.execute(text(sql), params or {})


def _connected(ledger):
    """A connection to ``ledger`` (a store, or an open ``sqlite3`` connection) for the span of a ``with``."""
    return nullcontext(ledger) if isinstance(ledger, sqlite3.Connection) else ledger.engine.connect()


class _Shared:
    """One object per distinct value: a million claims name a few thousand events and figures."""

    LIMIT = 100_000

    def __init__(self):
        self.strings: dict[str, str] = {}
        self.days: dict[object, date] = {}
        self.times: dict[str, datetime] = {}
        self.quantities: dict[tuple, Quantity] = {}
        self.periods: dict[tuple, Period] = {}

    def string(self, value: str | None) -> str | None:
        if value is None:
            return None
        return self.strings.setdefault(value, value)

    def day(self, value) -> date | None:
        if value is None:
            return None
        found = self.days.get(value)
        if found is None:
            found = value if isinstance(value, date) else date.fromisoformat(value)
            self.days[value] = found
        return found

    def time(self, value) -> datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        found = self.times.get(value)
        if found is None:
            if len(self.times) > self.LIMIT:
                self.times.clear()
            found = self.times[value] = datetime.fromisoformat(value)
        return found


# Every column but the lookup key, in the table's order: the order ``iter_claims`` unpacks.
_CLAIM_SELECT = "SELECT " + ", ".join(c for c in CLAIM.column_names if c != "event_key") + " FROM claim"


@dataclass(frozen=True)
class Narrowing:
    """What ``claim list`` narrows by on a claim's own columns: metric spellings, words, publication date."""

    metrics: tuple[str, ...] | None = None  # as written on claims; the caller maps synonyms to spellings
    search: str | None = None  # in the quote, figure, event, group, place, metric or speaker's names; ASCII case ignored
    published_from: date | None = None

    def clauses(self, params: dict) -> list[str]:
        clauses = []
        if self.metrics is not None:
            params.update({f"m{i}": m for i, m in enumerate(self.metrics)})
            clauses.append(f"metric IN ({', '.join(f':m{i}' for i in range(len(self.metrics))) or 'NULL'})")
        if self.search is not None:
            # LIKE's own wildcards in what the user typed are literal text
            escaped = self.search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params["search"] = f"%{escaped}%"
            columns = ("quote", "value_text", "event", "group_name", "location", "metric")
            speakers = "SELECT source_id FROM source_name WHERE lower(name) LIKE :search ESCAPE '\\'"
            clauses.append("(" + " OR ".join(f"lower({c}) LIKE :search ESCAPE '\\'" for c in columns)
                           + f" OR said_by_id IN ({speakers}))")
        if self.published_from is not None:
            params["published_from"] = self.published_from.isoformat()
            clauses.append("published >= :published_from")
        return clauses


def _where(event: str | None, include_retracted: bool, source_ids: Sequence[int] | None = None,
           claim_ids: Sequence[int] | None = None, events: Sequence[str] | None = None,
           narrowing: Narrowing | None = None) -> tuple[str, dict]:
    clauses, params = [], {}
    if narrowing is not None:
        clauses.extend(narrowing.clauses(params))
    if event is not None or events is not None:
        from ledger.storage.rows import event_key  # SQLModel's imports: not for a listing of every claim
    if event is not None:
        clauses.append("event_key = :event_key")
        params["event_key"] = event_key(event)
    if events is not None:
        keys = sorted({event_key(e) for e in events})
        params.update({f"ek{i}": k for i, k in enumerate(keys)})
        clauses.append(f"event_key IN ({', '.join(f':ek{i}' for i in range(len(keys))) or 'NULL'})")
    if not include_retracted:
        clauses.append("retracted = :no")
        params["no"] = False
    if source_ids is not None:
        marks = ", ".join(f":src{i}" for i in range(len(source_ids))) or "NULL"
        params.update({f"src{i}": s for i, s in enumerate(source_ids)})
        clauses.append(
            f"(said_by_id IN ({marks}) OR id IN (SELECT claim_id FROM claim_relay WHERE source_id IN ({marks}))"
            f" OR document_id IN (SELECT id FROM document WHERE outlet_id IN ({marks})))"
        )
    if claim_ids is not None:
        marks = ", ".join(f":cid{i}" for i in range(len(claim_ids))) or "NULL"
        params.update({f"cid{i}": c for i, c in enumerate(claim_ids)})
        clauses.append(f"id IN ({marks})")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _corrections(conn, only: set[int] | None = None) -> dict[int, tuple[Quantity, ...]]:
    """Earlier values of corrected claims, oldest first, from the ``previous`` of their ``claim.correct`` entries."""
    values: dict[int, list[Quantity]] = {}
    sql, params = "SELECT subject, payload FROM history WHERE action = 'claim.correct'", {}
    if only is not None and len(only) <= 500:
        # A few claims (claim show, the claim just written): their entries through the subject index,
        # not a scan of every correction in a large history.
        params = {f"s{i}": f"claim:{claim_id}" for i, claim_id in enumerate(sorted(only))}
        sql += f" AND subject IN ({', '.join(':' + name for name in params)})"
    for subject, payload in _query(conn)(sql + " ORDER BY seq", params):
        claim_id = _subject_id(subject)
        if claim_id is not None and (only is None or claim_id in only):
            previous = _previous_value(payload)
            if previous is not None:
                values.setdefault(claim_id, []).append(previous)
    return {claim_id: tuple(vs) for claim_id, vs in values.items()}


def _subject_id(subject: str) -> int | None:
    try:
        return int(subject.split(":", 1)[1])
    except (IndexError, ValueError):
        return None


def _previous_value(payload: str) -> Quantity | None:
    """The value a correction replaced; None for an entry not shaped as the ledger writes them.

    Such an entry was written behind the ledger's back: listings skip it
    rather than fail, and ``ledger verify`` names it.
    """
    try:
        v = json.loads(payload)["previous"]
        return Quantity(v["text"], v["low"], v["high"], v["kind"], v.get("best"))
    except (ValueError, TypeError, KeyError):
        return None


def current_names(conn) -> dict[int, str]:
    """Source id → the name it goes by now: a merged source answers to its target's name."""
    rows = {i: (name, into) for i, name, into in _query(conn)("SELECT id, name, merged_into_id FROM source")}
    names = {}
    for source_id, (name, into) in rows.items():
        hops = 0
        # A merge target that is gone, or a loop of merges, can only come from
        # an edit behind the ledger's back: stop there (verify names it).
        while into is not None and into in rows and hops < len(rows):
            name, into = rows[into]
            hops += 1
        names[source_id] = name
    return names


def _take_relays(relay: tuple, relays: Iterator[tuple], cid: int, names: dict[int, str]) -> tuple[tuple[str, ...], tuple | None]:
    """Claim ``cid``'s relay names from a stream of (claim_id, source_id) rows sorted like the claims.

    Called only when the next relay row is at or before ``cid``, so claims without relays cost one comparison.
    Returns the relays and the first row of a later claim.
    """
    hops = []
    while relay is not None and relay[0] <= cid:
        if relay[0] == cid:
            hops.append(names[relay[1]])
        relay = next(relays, None)
    return tuple(hops), relay


def iter_claims(ledger, event: str | None = None, include_retracted: bool = True,
                source_ids: Sequence[int] | None = None, claim_ids: Sequence[int] | None = None,
                shared: _Shared | None = None, events: Sequence[str] | None = None,
                limit: int | None = None, newest_first: bool = False, narrowing: Narrowing | None = None) -> Iterator[Claim]:
    """Claims (all, one event's, one source's or some ids), oldest first; streams in constant memory per row.

    ``limit`` keeps the first (or, ``newest_first``, the last) so many, chosen through the id index first,
    so ten claims of a million cost what ten of a hundred do.
    """
    if limit is None and not newest_first:
        return _iter_claims(ledger, event, include_retracted, source_ids, claim_ids, shared, events, narrowing=narrowing)
    where, params = _where(event, include_retracted, source_ids, claim_ids, events, narrowing)
    order = " ORDER BY id DESC" if newest_first else " ORDER BY id"
    with _connected(ledger) as conn:
        sql = "SELECT id FROM claim" + where + order + (f" LIMIT {int(limit)}" if limit is not None else "")
        chosen = [i for (i,) in _query(conn)(sql, params)]
    if not chosen:
        return iter(())

    def claims_among(ids: list[int]) -> Iterator[Claim]:
        """The chosen claims whose ids are in ``ids`` (consecutive in ``chosen``), oldest first."""
        if len(ids) <= _FEW:
            return _iter_claims(ledger, None, True, None, ids, shared, None)
        # too many ids to name: the same filter over the id range they span
        return _iter_claims(ledger, event, include_retracted, source_ids, claim_ids, shared, events,
                            (min(ids), max(ids)), narrowing)

    if not newest_first:
        return claims_among(chosen)
    # newest first, a stretch of ids at a time: `claim list --reverse` holds one stretch, not the ledger
    return (claim for start in range(0, len(chosen), NEWEST_FIRST_STRETCH)
            for claim in reversed(list(claims_among(chosen[start:start + NEWEST_FIRST_STRETCH]))))


_FEW = 500  # claims chosen by id: looked up one by one, their corrections through the subject index
NEWEST_FIRST_STRETCH = 5_000  # claims read at a time, newest first


def _iter_claims(ledger, event, include_retracted, source_ids, claim_ids, shared, events,
                 id_range: tuple[int, int] | None = None, narrowing: Narrowing | None = None) -> Iterator[Claim]:
    shared = shared or _Shared()
    where, params = _where(event, include_retracted, source_ids, claim_ids, events, narrowing)
    if id_range is not None:
        where += (" AND " if where else " WHERE ") + "id BETWEEN :lowest AND :highest"
        params.update(lowest=id_range[0], highest=id_range[1])
    with _connected(ledger) as conn:
        query = _query(conn)
        names = current_names(conn)
        outlets = {i: names[o] for i, o in query("SELECT id, outlet_id FROM document")}
        corrections = _corrections(conn, set(claim_ids) if claim_ids is not None else None)
        relay_sql = "SELECT claim_id, source_id FROM claim_relay"
        if where:
            relay_sql += f" WHERE claim_id IN (SELECT id FROM claim{where})"
        relays = iter(query(relay_sql + " ORDER BY claim_id, position", params))
        relay = next(relays, None)
        claim_sql = _CLAIM_SELECT + where + " ORDER BY id"
        # SQLite's cursor streams; a PostgreSQL one must be told to, or it fetches every row first
        rows = query(claim_sql, params) if isinstance(conn, sqlite3.Connection) else \
            conn.execution_options(yield_per=BATCH).execute(_text(claim_sql), params)
        new, cls = object.__new__, Claim
        string, day, time_of = shared.string, shared.day, shared.time
        quantities, periods = shared.quantities, shared.periods
        for (cid, ev, metric, group, vtext, low, high, kind, best, said_by_id, doc_id, published, published_at, pstart,
             pend, as_of_at, location, quote, qstart, qend, qverified, quote_original, quote_states, credibility,
             recorded_at, retracted) in rows:
            via: tuple[str, ...] = ()
            if relay is not None and relay[0] <= cid:
                via, relay = _take_relays(relay, relays, cid, names)
            qkey = (vtext, low, high, kind, best)
            value = quantities.get(qkey)
            if value is None:
                value = quantities[qkey] = Quantity(vtext, low, high, kind, best)
            period = None
            if pend is not None:
                pkey = (pstart, pend)
                period = periods.get(pkey)
                if period is None:
                    period = periods[pkey] = Period(day(pstart), day(pend))
            claim = new(cls)
            # Filling __dict__ directly skips the frozen dataclass's twenty
            # object.__setattr__ calls; Claim has no slots and no __post_init__,
            # so the record is identical (tested against Store.list_claims).
            claim.__dict__.update(
                id=cid, event=string(ev), metric=string(metric), value=value, said_by=names[said_by_id],
                group=string(group), via=via, document_id=doc_id, outlet=outlets.get(doc_id) if doc_id else None,
                published=day(published), published_at=time_of(published_at), period=period,
                as_of_at=time_of(as_of_at), location=string(location), quote=quote,
                quote_span=QuoteSpan(qstart, qend) if qstart is not None else None,
                quote_verified=bool(qverified), quote_original=quote_original,
                quote_states_figure=None if quote_states is None else bool(quote_states),
                credibility=credibility, recorded_at=time_of(recorded_at),
                retracted=bool(retracted), corrections=corrections.get(cid, ()), notes=(),
            )
            yield claim




def _batches(conn, sql: str, params: Sequence = ()) -> Iterator[list[tuple]]:
    """Rows of ``sql`` as the driver's plain tuples, in batches: no Row objects for a million claims.

    ``sql`` marks its parameters with ``{}`` (the driver's own mark is put there).
    """
    driver = conn.connection.driver_connection
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    # A PostgreSQL cursor with a name stays on the server and streams; SQLite's always streams.
    cursor = driver.cursor(name=f"ledger_{next(_cursor_names)}") if conn.dialect.name == "postgresql" else driver.cursor()
    try:
        cursor.execute(sql.replace("{}", mark), tuple(params))
        while batch := cursor.fetchmany(BATCH):
            yield batch
    finally:
        cursor.close()


_cursor_names = count()


def claims_at_most(ledger) -> int:
    """An upper bound on the number of claims, at the cost of one index lookup."""
    with ledger.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT max(id) FROM claim").scalar() or 0


def name_counts(ledger) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Live claims per event, group and place name, as written (what the reconciler resolves names from)."""
    from concurrent.futures import ThreadPoolExecutor

    queries = ("SELECT event, count(*) FROM claim WHERE NOT retracted GROUP BY event",
               "SELECT group_name, count(*) FROM claim WHERE NOT retracted AND group_name <> '' GROUP BY group_name",
               "SELECT location, count(*) FROM claim WHERE NOT retracted AND location <> '' GROUP BY location")

    def counted_by(query: str) -> dict[str, int]:
        with ledger.engine.connect() as conn:
            return dict(conn.exec_driver_sql(query).all())

    from ledger.storage.engine import shared_by_threads

    if not shared_by_threads(ledger.engine):
        events, groups, places = map(counted_by, queries)
        return events, groups, places
    # three scans of a million claims, each on its own connection: the database works without the GIL
    with ThreadPoolExecutor(len(queries)) as pool:
        events, groups, places = pool.map(counted_by, queries)
    return events, groups, places


def located_events(ledger) -> list[tuple[str, str]]:
    """Each distinct (event, location) of the live claims, as written: where each event took place."""
    with ledger.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            "SELECT DISTINCT event, location FROM claim WHERE NOT retracted AND location <> ''").all()]


def counted(items: Iterable, progress: Callable[[int, int], None], total: int, every: int = 10_000) -> Iterator:
    """``items`` as they come, telling ``progress(done, total)`` every ``every`` items and at the end."""
    done = 0
    for done, item in enumerate(items, 1):
        if done % every == 0:
            progress(done, total)
        yield item
    progress(done, total)


def claims_for_report(ledger, progress: Callable[[int, int], None] | None = None) -> tuple[list[Claim], list[Source]]:
    """What the reconciler needs (live claims, every source): ``Store.claims_for_report``, streamed;
    ``progress(done, total)`` as the claims are read."""
    live = iter_claims(ledger, include_retracted=False)
    if progress is not None:
        live = counted(live, progress, ledger.live_claim_count())
    return list(live), ledger.list_sources()


def list_claims(ledger, event: str | None = None, include_retracted: bool = True,
                progress: Callable[[int, int], None] | None = None) -> list[Claim]:
    every = iter_claims(ledger, event=event, include_retracted=include_retracted)
    if progress is not None and event is None:
        every = counted(every, progress, ledger.claim_count() if include_retracted else ledger.live_claim_count())
    return list(every)


def _text(sql: str):
    from sqlalchemy import text

    return text(sql)


def revisions(ledger) -> list[dict]:
    """One item per correction, for PROV: ``{"claim_id", "seq", "old_value", "reason"}``."""
    with ledger.engine.connect() as conn:
        rows = conn.execute(_text("SELECT seq, subject, payload FROM history WHERE action = 'claim.correct' ORDER BY seq")).all()
    out = []
    for seq, subject, payload in rows:
        claim_id, previous = _subject_id(subject), _previous_value(payload)
        if claim_id is not None and previous is not None:
            out.append({"claim_id": claim_id, "seq": seq, "old_value": previous.to_dict(), "reason": json.loads(payload).get("reason")})
    return out


def documents(ledger) -> list[Document]:
    return ledger.list_documents()


def table_rows(ledger) -> Iterator[tuple[str, dict]]:
    """Every row of every table as stored, table by table in creation order, each in id order: what a
    whole-ledger export carries (``ledger.storage.restore``). Dates as ISO text, as SQLite stores them."""
    from ledger.model.fields import TABLES

    with ledger.engine.connect() as conn:
        for record in TABLES:
            columns = record.column_names
            keys = [c.name for c in record.columns if c.primary_key]
            names = ", ".join(f'"{c}"' for c in columns)
            order = ", ".join(f'"{k}"' for k in keys)
            for batch in _batches(conn, f'SELECT {names} FROM "{record.table}" ORDER BY {order}'):
                for row in batch:
                    yield record.table, {c: v.isoformat() if isinstance(v, (date, datetime)) else v
                                         for c, v in zip(columns, row)}
