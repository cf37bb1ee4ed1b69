"""Verifying the ledger: the hash chain, every table row against the history, every document's text.

Functions here take a :class:`~ledger.storage.store.Store` and work through its
engine; the checks themselves are ``ledger.provenance.chain``'s, so this
module only moves rows in and problems out.

Verification streams, in two passes. The first reads the history once
(``Store.iter_history``), checking the hash chain a batch at a time
(``chain.verify_chain`` from the last checkpoint) and noting, a byte per id,
which subjects the history mentions. The second reads each table a batch of
rows at a time, fetches just those rows' entries by subject, replays them
(``replay.replay``) and compares (``replay.compare_state``). Nothing is held
whole: a million claims cost one batch of rows plus a megabyte of marks.

Bulk actions plug into the replay through :data:`REPLAY_EXPANDERS`: a function
per action that turns one entry into the per-subject entries ``replay.replay``
understands (``claim.add`` and friends). See ``docs/provenance.md``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select, text
from sqlmodel import Session

from ledger.provenance import chain, replay
from ledger.provenance.chain import ChainProblem, Entry
from ledger.errors import InputError
from ledger.storage.rows import (
    CLAIM_COLUMNS, OPTIONAL_CLAIM_FIELDS, OPTIONAL_DOCUMENT_FIELDS, claim_payload, claim_row_json, document_payload, entry_from_row,
    event_key, legacy_name_key, name_key, source_payload,
)
from ledger.storage.stored_rows import mistyped_cells
from ledger.storage.stored_rows import rows_by_id as _rows
from ledger.storage.store import Store
from ledger.storage.name_store import rule_payload
from ledger.storage.tables import ClaimRelayRow, ClaimRow, DocumentRow, HistoryRow, NameRuleRow, SourceNameRow, SourceRow
from ledger.storage.verify_index import HistoryIndex, payload_digest

BATCH = 5_000
_IN_CHUNK = 500  # ids per IN (…): well under every backend's parameter limit

# Keys every replayed state of a kind has even when no entry set them, so a
# flag flipped in the tables behind the ledger's back is still compared
# (claim.add payloads carry no ``retracted``, source.add none ``merged_into``).
# Fields added after the first schema (rows.OPTIONAL_CLAIM_FIELDS) are in a
# payload only when set, so they default to None here and are always read
# from the row: setting one behind the ledger's back is still named.
STATE_DEFAULTS = {
    "claim": {"retracted": False, **dict.fromkeys(OPTIONAL_CLAIM_FIELDS)},
    "source": {"merged_into": None},
    "document": dict.fromkeys(OPTIONAL_DOCUMENT_FIELDS),
    "name_rule": {},
}


# -- replay plug-ins -------------------------------------------------------------

Expander = Callable[[Entry, dict], Iterable[Entry]]


def _expand_claim_import(entry: Entry, payload: dict) -> Iterator[Entry]:
    """``claim.import``: one entry for a batch of claims, as per-claim ``claim.add`` entries.

    Payload: ``{"claims": {"<claim id>": <claim payload> | "<sha256 hex>"}}``.
    A full payload (as ``claim_payload`` gives it) replays like a
    ``claim.add``; a hash replays as ``{"add_sha256": hash}``, which
    :func:`verify` compares with the hash of the row's canonical payload.
    """
    claims = payload.get("claims") or {}
    for key, item in claims.items():
        body = item if isinstance(item, dict) else {"add_sha256": item}
        yield Entry(entry.seq, entry.recorded_at, entry.user, "claim.add", f"claim:{key}",
                    chain.canonical_json(body), entry.prev_hash, entry.hash)


# Action → expander. Actions not listed go to replay.replay unchanged.
REPLAY_EXPANDERS: dict[str, Expander] = {"claim.import": _expand_claim_import}


# -- verify ------------------------------------------------------------------------


@dataclass
class Verification:
    """What ``verify`` found: problems (empty when all is well) and what it checked."""

    problems: list[ChainProblem] = field(default_factory=list)
    entries: int = 0
    sources: int = 0
    documents: int = 0
    claims: int = 0
    head: str | None = None  # hash of the last entry
    head_seq: int | None = None
    kept_head_seq: int | None = None  # the entry matching --head, when given and found

    @property
    def ok(self) -> bool:
        return not self.problems


def _payload_object(entry: Entry) -> dict | None:
    try:
        payload = json.loads(entry.payload)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def _ticker(ledger: Store, progress: Callable[[int, int], None] | None) -> Callable[[int], None]:
    """``tick(n)``: n more entries or rows checked, passed on to ``progress`` with the running total."""
    if progress is None:
        return lambda n: None
    with ledger.engine.connect() as conn:
        total = conn.exec_driver_sql("SELECT (SELECT count(*) FROM history) + (SELECT count(*) FROM source) + "
                                     "(SELECT count(*) FROM document) + (SELECT count(*) FROM claim) + "
                                     "(SELECT count(*) FROM name_rule)").scalar()
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        progress(done, total)

    return tick


def _check_history(ledger: Store, result: Verification, index: HistoryIndex, kept_head: str | None, batch: int,
                   tick: Callable[[int], None]) -> None:
    """One streaming pass: the hash chain a batch at a time, and the index of subjects."""
    start_seq, prev_hash, prev_time = 1, chain.GENESIS, None
    buffer: list[Entry] = []

    def flush() -> None:
        nonlocal start_seq, prev_hash, prev_time
        found = chain.verify_chain(buffer, start_seq=start_seq, prev_hash=prev_hash, prev_time=prev_time)
        result.problems.extend(found)
        # Carry on from this batch exactly as verify_chain would inside one call.
        start_seq = max(start_seq, max(e.seq for e in buffer) + 1)
        prev_hash = buffer[-1].hash
        prev_time = max((e.recorded_at for e in buffer if e.seq >= 1), key=_sortable_time, default=prev_time)
        suspect = {p.seq for p in found}
        for e in buffer:
            if kept_head and result.kept_head_seq is None and e.hash.startswith(kept_head):
                result.kept_head_seq = e.seq
            expander = REPLAY_EXPANDERS.get(e.action)
            if expander is None and e.seq not in suspect:
                if e.action.endswith(".remove"):
                    index.forget(e.subject)  # removed with the ledger's knowledge: no row is expected
                else:
                    index.entry(e)  # intact entries are parsed later, by replay, if at all
                continue
            payload = _payload_object(e)
            if payload is None:
                index.unreadable.add(e.seq)
                result.problems.append(ChainProblem(e.seq, "bad-payload", f"entry {e.seq} ({e.action} {e.subject}): payload is not a JSON object"))
            elif expander is not None:
                index.add_bulk(e, expander(e, payload))
            else:
                index.mention(e.subject)
        result.entries += len(buffer)
        result.head, result.head_seq = buffer[-1].hash, buffer[-1].seq
        tick(len(buffer))
        buffer.clear()

    for entry in ledger.iter_history(since=None, batch=batch):
        buffer.append(entry)
        if len(buffer) >= batch:
            flush()
    if buffer:
        flush()


def _expected(session: Session, index: HistoryIndex, kind: str, ids: list[int]) -> dict[str, dict]:
    """The replayed state of these subjects: their own entries, plus their share of bulk entries."""
    history = HistoryRow.__table__
    wanted = [f"{kind}:{i}" for i in ids]
    entries = []
    for start in range(0, len(wanted), _IN_CHUNK):
        for row in session.execute(select(history).where(history.c.subject.in_(wanted[start:start + _IN_CHUNK]))).all():
            if row.seq not in index.unreadable and row.action not in REPLAY_EXPANDERS:
                entries.append(entry_from_row(row))
    low, high = min(ids), max(ids)
    overlapping = [seq for seq, first, last in index.bulk[kind] if first <= high and last >= low and seq not in index.unreadable]
    if overlapping:
        subjects = set(wanted)
        for row in session.execute(select(history).where(history.c.seq.in_(overlapping))).all():
            entry = entry_from_row(row)
            expanded = REPLAY_EXPANDERS[entry.action](entry, _payload_object(entry) or {})
            entries.extend(item for item in expanded if item.subject in subjects)
    entries.sort(key=lambda e: e.seq)  # expanded entries share their bulk entry's seq; sort is stable
    return replay.replay(entries)


def _sortable_time(recorded_at: str) -> tuple:
    moment = chain.as_instant(recorded_at)
    return (moment is not None, moment.timestamp() if moment else 0.0)


def _chunked_in(session: Session, query_for, ids: list[int]) -> Iterator:
    for start in range(0, len(ids), _IN_CHUNK):
        yield from session.execute(query_for(ids[start:start + _IN_CHUNK])).all()


def _source_states(session: Session, rows: list[SourceRow]) -> dict[str, dict]:
    """Each source as its rows say, with ``names``: every ``source_name`` row, as ``[name, lookup key, is alias]``.

    The name rows decide whom a name resolves to when a claim is recorded:
    re-keying or re-pointing one attributes new claims to another source, so
    all of them are compared, not only the aliases a listing shows.
    """
    ids = [r.id for r in rows]
    aliases: dict[int, list[str]] = {}
    names: dict[int, list[list]] = {}
    for source_id, name, key, is_alias in _chunked_in(session, lambda chunk: select(
            SourceNameRow.source_id, SourceNameRow.name, SourceNameRow.name_key, SourceNameRow.is_alias).where(
            SourceNameRow.source_id.in_(chunk)).order_by(SourceNameRow.id), ids):
        # A key written before keys were NFC-normalised is the name's key then: not an edit.
        names.setdefault(source_id, []).append([name, name_key(name) if key == legacy_name_key(name) else key, bool(is_alias)])
        if is_alias:
            aliases.setdefault(source_id, []).append(name)
    targets = sorted({r.merged_into_id for r in rows if r.merged_into_id is not None})
    target_names = dict(_chunked_in(session, lambda chunk: select(SourceRow.id, SourceRow.name).where(SourceRow.id.in_(chunk)), targets))
    return {
        f"source:{r.id}": {
            **source_payload(r, aliases.get(r.id, [])),
            "merged_into": target_names.get(r.merged_into_id, r.merged_into_id),
            "names": names.get(r.id, []),
        }
        for r in rows
    }


def _expect_name_rows(expected: dict[str, dict]) -> None:
    """The ``source_name`` rows a source recorded as ``{"name", "aliases"}`` must have: its name, then each alias."""
    for state in expected.values():
        name, aliases = state.get("name"), state.get("aliases")
        if isinstance(name, str) and isinstance(aliases, list) and all(isinstance(a, str) for a in aliases):
            state["names"] = [[name, name_key(name), False], *([a, name_key(a), True] for a in aliases)]


def _assigned_ids(kind: str, rows: list, result: Verification) -> list:
    """The rows whose ids the ledger could have assigned; the others are named as inserted behind its back.

    Ids start at 1. Readers that page from id 0 upwards would never show a
    row numbered 0 or below, yet some listings and the report do: such a row
    is named here rather than replayed.
    """
    kept = []
    for r in rows:
        if r.id >= 1:
            kept.append(r)
        else:
            result.problems.append(ChainProblem(
                None, "row-unrecorded", f"{kind} {r.id}: in the tables with id {r.id}, which the ledger never assigns (ids start at 1)"))
    return kept


def _mistyped(kind: str, cells: dict[int | str, dict[str, str]]) -> list[ChainProblem]:
    """A value of a type the ledger never writes in its column: a forger's, or another program's."""
    return [ChainProblem(None, "row-mistyped", f"{kind} {row_id}: stored {column} is {stored}, a type the ledger never "
                                               f"writes there (changed outside ledger)")
            for row_id, columns in cells.items() for column, stored in columns.items()]


def _orphans(session: Session) -> list[ChainProblem]:
    """Name and relay rows whose source or claim does not exist: they attach to whatever later takes that id."""
    problems = []
    for source_id, name in session.execute(text(
            "SELECT source_id, name FROM source_name WHERE source_id NOT IN (SELECT id FROM source) ORDER BY id")):
        problems.append(ChainProblem(None, "row-unrecorded", f"source {source_id}: has the name {name!r} but no such source (name row inserted?)"))
    for claim_id, position, source_id in session.execute(text(
            "SELECT claim_id, position, source_id FROM claim_relay WHERE claim_id NOT IN (SELECT id FROM claim) ORDER BY claim_id, position")):
        problems.append(ChainProblem(None, "row-unrecorded", f"claim {claim_id}: has relay {position} (source {source_id}) but no such claim (relay row inserted?)"))
    return problems


def _document_states(rows: list[DocumentRow], result: Verification) -> dict[str, dict]:
    states = {}
    for r in rows:
        states[f"document:{r.id}"] = {**STATE_DEFAULTS["document"], **document_payload(r)}
        if r.text is None:
            if r.sha256 is not None:
                result.problems.append(ChainProblem(None, "text-missing", f"document {r.id}: its text is gone but its sha256 is recorded"))
            continue
        digest = hashlib.sha256(r.text.encode("utf-8")).hexdigest()
        if digest != r.sha256:
            result.problems.append(ChainProblem(
                None, "text-altered",
                f"document {r.id}: stored text hashes to {digest[:16]}…, not its stored sha256 {(r.sha256 or 'none')[:16]}… (text altered)",
            ))
    return states


def _claim_states(session: Session, rows: list[ClaimRow], expected: dict[str, dict], problems: list[ChainProblem]) -> dict[str, dict]:
    ids = [r.id for r in rows]
    via: dict[int, list[int]] = {}
    for claim_id, source_id in _chunked_in(session, lambda chunk: select(ClaimRelayRow.claim_id, ClaimRelayRow.source_id).where(
            ClaimRelayRow.claim_id.in_(chunk)).order_by(ClaimRelayRow.claim_id, ClaimRelayRow.position), ids):
        via.setdefault(claim_id, []).append(source_id)
    states = {}
    for r in rows:
        payload = claim_payload(r, via.get(r.id, []))
        state = {**dict.fromkeys(OPTIONAL_CLAIM_FIELDS), **payload, "retracted": bool(r.retracted)}
        if r.event_key != event_key(r.event):
            # Not in the history: a derived column, checked against what it derives from.
            problems.append(ChainProblem(
                None, "row-altered",
                f'claim {r.id}: stored event_key "{r.event_key}" differs from its event\'s key ("{event_key(r.event)}"): --event filters now miss or catch it'))
        want = expected.get(f"claim:{r.id}")
        if want is not None and "add_sha256" in want and not want.get("corrections") and not want.get("edited"):
            # Recorded by hash only (a bulk import): compare the whole payload by its hash.
            state["add_sha256"] = hashlib.sha256(chain.canonical_json(payload).encode("utf-8")).hexdigest()
        states[f"claim:{r.id}"] = state
    return states


def _unless_as_added(session: Session, rows: list, index: HistoryIndex, problems: list[ChainProblem]) -> list:
    """The rows that need their history replayed: all but the claims whose one entry is their add and whose
    row serialises to that entry's payload (compared by digest; see ``verify_index``)."""
    simple = {r.id: digest for r in rows if (digest := index.added_once(r.id)) is not None}
    if not simple:
        return rows
    via: dict[int, list[int]] = {}
    for claim_id, source_id in session.execute(text(  # one range read per batch, not an IN list per 500 ids
            "SELECT claim_id, source_id FROM claim_relay WHERE claim_id BETWEEN :low AND :high ORDER BY claim_id, position"),
            {"low": min(simple), "high": max(simple)}):
        if claim_id in simple:
            via.setdefault(claim_id, []).append(source_id)
    replay_these, matched = [], []
    for r in rows:
        digest = simple.get(r.id)
        try:
            stored = dict(zip(CLAIM_COLUMNS, r))
            same = (digest is not None and not stored["retracted"] and stored["event_key"] == event_key(stored["event"])
                    and payload_digest(claim_row_json(stored, via.get(r.id, ()))) == digest)
        except (TypeError, ValueError, AttributeError):  # a column a forger filled with the wrong type
            same = False
        if same:
            matched.append(r.id)
        else:
            replay_these.append(r)  # replay names what differs
    index.compared("claim", matched)
    return replay_these


def _compare(kind: str, expected: dict[str, dict], actual: dict[str, dict]) -> list[ChainProblem]:
    """Compare a batch of rows with their replayed state; kind defaults fill keys no entry set."""
    for state in expected.values():
        by_hash = "add_sha256" in state  # the fields are in the hash, not in the state
        for key, value in STATE_DEFAULTS[kind].items():
            if not (by_hash and key in OPTIONAL_CLAIM_FIELDS):
                state.setdefault(key, value)
    return replay.compare_state(expected, actual)


def check_head(kept_head: str | None) -> str | None:
    if kept_head is None:
        return None
    kept = kept_head.strip().lower().rstrip("…").rstrip(".")
    if not 8 <= len(kept) <= 64 or any(ch not in "0123456789abcdef" for ch in kept):  # a sha256 has 64
        raise InputError("--head", kept_head, "is not a head hash", "give the hash `ledger verify` printed (64 hex digits, or at least its first 8)")
    return kept


def verify(ledger: Store, kept_head: str | None = None, batch: int = BATCH,
           progress: Callable[[int, int], None] | None = None) -> Verification:
    """Check the chain, replay it against the tables and re-hash every document's text.

    Two streaming passes: the history once, for the chain and an index of
    what it mentions; then each table a batch of rows at a time, replaying
    just those rows' entries (``replay.replay``) and comparing
    (``replay.compare_state``). Memory stays at one batch plus a byte per id.

    ``kept_head``: a head hash (or its first 8+ hex digits) kept outside the
    ledger; it must be the hash of some entry, or entries were removed or the
    chain rewritten since it was copied.

    ``progress(done, total)`` is told after each batch: history entries and table rows checked so far, of all.
    """
    from ledger.storage.kept_check import RebuildMeanwhile

    kept = check_head(kept_head)
    rebuild = RebuildMeanwhile(ledger)  # the kept report results, judged again by another process meanwhile
    try:
        return _verify(ledger, kept, batch, progress, rebuild)
    finally:
        rebuild.close()


def _verify(ledger: Store, kept: str | None, batch: int, progress, rebuild) -> Verification:
    result = Verification()
    index = HistoryIndex(STATE_DEFAULTS)
    tick = _ticker(ledger, progress)
    _check_history(ledger, result, index, kept, batch, tick)
    counts = dict.fromkeys(STATE_DEFAULTS, 0)
    tables = (("source", SourceRow, batch), ("document", DocumentRow, max(1, batch // 50)), ("claim", ClaimRow, batch),
              ("name_rule", NameRuleRow, batch))
    with Session(ledger.engine) as session:
        for kind, model in (("source_name", SourceNameRow), ("claim_relay", ClaimRelayRow), ("entry", HistoryRow)):
            result.problems.extend(_mistyped(kind, mistyped_cells(session, model.__table__)))  # read with their owners
        for kind, model, size in tables:  # documents carry their full text: smaller batches
            mistyped = mistyped_cells(session, model.__table__)
            result.problems.extend(_mistyped(kind, mistyped))
            for rows in _rows(session, model, size, mistyped):
                counts[kind] += len(rows)
                tick(len(rows))
                rows = _assigned_ids(kind, rows, result)
                if not rows:
                    continue
                if kind == "claim":
                    rows = _unless_as_added(session, rows, index, result.problems)
                    if not rows:
                        continue
                ids = [r.id for r in rows]
                try:
                    expected = _expected(session, index, kind, ids)
                except (ValueError, AttributeError, TypeError) as exc:  # a forged entry with a valid hash
                    result.problems.append(ChainProblem(None, "bad-payload", f"{kind}s {ids[0]}–{ids[-1]}: history cannot be replayed ({exc})"))
                    continue
                if kind == "source":
                    actual = _source_states(session, rows)
                    _expect_name_rows(expected)
                elif kind == "document":
                    actual = _document_states(rows, result)
                elif kind == "name_rule":
                    actual = {f"name_rule:{r.id}": rule_payload(r) for r in rows}
                else:
                    actual = _claim_states(session, rows, expected, result.problems)
                result.problems.extend(_compare(kind, expected, actual))
                index.compared(kind, ids)
        result.problems.extend(_orphans(session))
    result.sources, result.documents, result.claims = counts["source"], counts["document"], counts["claim"]
    result.problems.extend(replay.compare_state({subject: {} for subject in index.missing()}, {}))
    if kept and result.kept_head_seq is None:
        result.problems.append(ChainProblem(
            None, "head-missing",
            f"head {kept[:16]}… is not the hash of any entry: entries were removed or the history rewritten since it was copied",
        ))
    if not result.problems:  # rebuilt from tables found sound: a rebuild from forged rows would prove nothing
        result.problems.extend(ChainProblem(None, "kept-differs", line) for line in rebuild.lines(ledger))
    return result
