"""The tamper-evident history: a hash chain over every change to the ledger.

This module owns the history's format and its checks, and nothing else:
canonical JSON for payloads, how an entry's hash is computed, building entries
(one at a time, or in bulk for large imports) and verifying a chain. The module
``replay`` turns a history into the state the tables should hold and compares
it with the rows. Storage decides where entries live; it never computes a hash
itself, so there is exactly one definition of "valid".

The ledger is append-only: adding a source, document or claim, correcting or
retracting a claim, merging two source names — each is one :class:`Entry`
whose hash covers its own fields and the previous entry's hash. Altering any
stored entry breaks its hash; deleting one leaves a gap in ``seq``; re-hashing
from the altered entry onwards is detectable only against a copy of the head
hash kept elsewhere (a printed report, a commit, an e-mail), which is why
tools should show the head hash to users.

Pure: stdlib only, no database.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, datetime, time, timezone

from ledger.errors import InputError

GENESIS = "0" * 64  # prev_hash of the first entry: there is nothing before it

# Actions whose payload is the subject's whole state.


def _default(obj: object) -> object:
    """JSON for the non-JSON types the ledger's records carry."""
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, (date, time)):
        return obj.isoformat()
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):  # Quantity and anything shaped like it
        return to_dict()
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    if isinstance(obj, (set, frozenset)):
        # Sets have no order; sorting makes the serialisation deterministic.
        return sorted(obj, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


# One encoder, built once: json.dumps with keyword arguments builds a new
# encoder on every call, which is a large share of the cost in a bulk import.
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_default
)
_encode = _ENCODER.encode
_HASH_FORMAT = "ledger-entry/1"


def canonical_json(obj: object) -> str:
    """Deterministic JSON for ``obj``: the same value always gives the same text.

    Keys sorted, no spaces, UTF-8 kept as is (not ``\\u`` escapes), dates and
    datetimes as ISO 8601 strings, Quantity via ``to_dict``, dataclasses as
    dicts. NaN and infinities are refused: they are not JSON, and a hash over
    a value that does not round-trip could never be re-checked.
    """
    try:
        return _encode(obj)
    except ValueError as exc:  # allow_nan=False
        raise InputError("payload", _first_non_finite(obj), "is not a finite number", hint=str(exc)) from None


def _first_non_finite(obj: object) -> object:
    if isinstance(obj, float) and not math.isfinite(obj):
        return obj
    if isinstance(obj, dict):
        obj = list(obj.values())
    if isinstance(obj, (list, tuple)):
        for item in obj:
            found = _first_non_finite(item)
            if found is not None:
                return found
    return None


@dataclass(frozen=True)
class Entry:
    """One change to the ledger, as stored."""

    seq: int  # 1, 2, 3, … with no gaps
    recorded_at: str  # ISO 8601, UTC
    user: str
    action: str  # "claim.add", "claim.correct", …
    subject: str  # "claim:12", "source:5", "document:3"
    payload: str  # canonical JSON
    prev_hash: str  # the previous entry's hash; GENESIS for seq 1
    hash: str


@dataclass(frozen=True)
class ChainProblem:
    """Something wrong with the history or with the tables it vouches for.

    ``seq`` is the entry concerned; None for problems found by comparing rows
    with the replayed state, which belong to a subject rather than an entry.
    """

    seq: int | None
    kind: str  # hash-mismatch, broken-link, gap, out-of-order, row-altered, row-unrecorded, row-missing
    message: str


def _hash_input(seq: int, recorded_at: str, user: str, action: str, subject: str, payload: str, prev_hash: str) -> bytes:
    # Length-prefixed, not JSON: the payload is already canonical JSON, and
    # escaping it a second time inside an array cost more than the SHA-256.
    return (
        f"{_HASH_FORMAT}\n{seq}\n{len(recorded_at)}:{recorded_at}\n{len(user)}:{user}\n"
        f"{len(action)}:{action}\n{len(subject)}:{subject}\n{len(payload)}:{payload}\n{prev_hash}"
    ).encode("utf-8", "surrogatepass")  # same bytes for any real text; a stray surrogate (an edit) still hashes


def entry_hash(seq: int, recorded_at: str, user: str, action: str, subject: str, payload: str, prev_hash: str) -> str:
    """SHA-256 (hex) over the entry's fields, each length-prefixed, in this order.

    Every stored field except the hash itself is covered, each for a reason:

    - ``seq``: moving an entry to another position (or renumbering after a
      deletion) must change its hash;
    - ``recorded_at``: back-dating a change is itself tampering;
    - ``user``: who made a change is part of the record;
    - ``action`` and ``subject``: a correction must not be passed off as a
      retraction, nor moved to another claim;
    - ``payload``: the change itself, as the exact canonical JSON stored;
    - ``prev_hash``: chains the entry to everything before it.

    The serialisation is ``ledger-entry/1``, then each field on its own line,
    text fields as ``<length in characters>:<text>``: the explicit lengths
    keep field boundaries unambiguous whatever the fields contain (newlines
    included), so no two different entries hash the same input. The leading
    tag names the format, so a future change cannot be confused with it.
    """
    return hashlib.sha256(_hash_input(seq, recorded_at, user, action, subject, payload, prev_hash)).hexdigest()


def _iso_utc(recorded_at: str | datetime) -> str:
    """``recorded_at`` as stored: strings are kept verbatim, datetimes become UTC ISO 8601.

    A naive datetime is taken to be UTC already (the ledger records in UTC).
    """
    if isinstance(recorded_at, str):
        return recorded_at
    if isinstance(recorded_at, datetime):
        if recorded_at.tzinfo is None:
            recorded_at = recorded_at.replace(tzinfo=timezone.utc)
        return recorded_at.astimezone(timezone.utc).isoformat()
    raise InputError("recorded_at", recorded_at, "is not a date-time", hint="give an ISO 8601 string or a datetime")


def make_entry(
    prev: Entry | None,
    recorded_at: str | datetime,
    user: str,
    action: str,
    subject: str,
    payload_obj: object,
) -> Entry:
    """The entry that follows ``prev`` (None: the first entry, seq 1)."""
    seq = 1 if prev is None else prev.seq + 1
    prev_hash = GENESIS if prev is None else prev.hash
    at = _iso_utc(recorded_at)
    payload = canonical_json(payload_obj)
    return Entry(seq, at, user, action, subject, payload, prev_hash, entry_hash(seq, at, user, action, subject, payload, prev_hash))


def make_entries(
    prev_hash: str,
    start_seq: int,
    items: Iterable[tuple[str | datetime, str, str, str, object]],
) -> list[Entry]:
    """Entries for ``items`` = ``(recorded_at, user, action, subject, payload_obj)``, chained.

    The first gets ``seq = start_seq`` and links to ``prev_hash`` (GENESIS and
    1 for an empty ledger; the head's hash and seq + 1 otherwise). Produces
    exactly what repeated :func:`make_entry` calls would; it is only faster,
    for imports of a million claims.
    """
    # Everything looked up once, outside the loop: attribute and global
    # lookups are most of the per-item overhead left after the JSON and SHA.
    encode = _encode
    sha256 = hashlib.sha256
    tag = _HASH_FORMAT
    new = object.__new__
    cls = Entry
    out: list[Entry] = []
    append = out.append
    seq = start_seq
    last_at_in: object = None
    at = ""
    for recorded_at, user, action, subject, payload_obj in items:
        # Bulk imports share one timestamp; convert it once.
        if recorded_at is not last_at_in:
            at = _iso_utc(recorded_at)
            last_at_in = recorded_at
        try:
            payload = encode(payload_obj)
        except ValueError:
            payload = canonical_json(payload_obj)  # raises the InputError
        # Inlined _hash_input: must stay byte-for-byte the same (tested).
        digest = sha256(
            f"{tag}\n{seq}\n{len(at)}:{at}\n{len(user)}:{user}\n"
            f"{len(action)}:{action}\n{len(subject)}:{subject}\n{len(payload)}:{payload}\n{prev_hash}".encode("utf-8")
        ).hexdigest()
        # Filling __dict__ directly skips the frozen dataclass's eight
        # object.__setattr__ calls (about 1 µs an entry); Entry has no slots
        # and no __post_init__, so the result is identical (tested).
        entry = new(cls)
        entry.__dict__.update(
            seq=seq, recorded_at=at, user=user, action=action, subject=subject,
            payload=payload, prev_hash=prev_hash, hash=digest,
        )
        append(entry)
        prev_hash = digest
        seq += 1
    return out


def history_rows(
    prev_hash: str,
    start_seq: int,
    recorded_at: str | datetime,
    user: str,
    items: Iterable[tuple[str, str, str]],
) -> list[tuple[int, str, str, str, str, str, str, str]]:
    """Chained history rows for ``items`` = ``(action, subject, payload)`` of one moment and one user.

    ``payload`` is already canonical JSON: :func:`canonical_json`'s text, or
    text built to be byte-identical to it (the bulk import builds each claim's
    from a template, and tests that). Each row is ``(seq, recorded_at, user,
    action, subject, payload, prev_hash, hash)``, the order of :class:`Entry`'s
    fields and of the table's columns, hashed exactly as :func:`entry_hash`
    does (tested); without an Entry object per row, which a million-claim
    import would only unpack again.
    """
    at = _iso_utc(recorded_at)
    sha256 = hashlib.sha256
    # The parts of the hash input every row shares, built once.
    head = f"{_HASH_FORMAT}\n"
    shared = f"\n{len(at)}:{at}\n{len(user)}:{user}\n"
    rows = []
    append = rows.append
    seq = start_seq
    for action, subject, payload in items:
        digest = sha256(
            f"{head}{seq}{shared}{len(action)}:{action}\n{len(subject)}:{subject}\n{len(payload)}:{payload}\n{prev_hash}"
            .encode("utf-8")
        ).hexdigest()
        append((seq, at, user, action, subject, payload, prev_hash, digest))
        prev_hash = digest
        seq += 1
    return rows


def _describe(entry: Entry) -> str:
    return f"entry {entry.seq} ({entry.action} {entry.subject})"


def verify_chain(
    entries: Iterable[Entry], *, start_seq: int = 1, prev_hash: str = GENESIS, prev_time: str | None = None,
) -> list[ChainProblem]:
    """Every problem in the chain, in order: a single pass, so ``entries`` may stream.

    Kinds:

    - ``hash-mismatch``: the entry's fields or payload no longer give its hash;
    - ``broken-link``: its ``prev_hash`` is not the previous entry's hash
      (an entry was altered and re-hashed, or replaced);
    - ``gap``: seq numbers are missing (entries deleted); the entry after the
      gap is not also reported as a broken link, the gap already explains it;
    - ``out-of-order``: a seq repeats, goes backwards, or is below 1 (the
      ledger numbers entries from 1; a row numbered 0 or less was inserted
      behind its back, where readers that start at 1 would never look);
    - ``time-backwards``: an entry was recorded before the one it follows.
      The ledger takes each entry's time under the append lock and never
      earlier than its predecessor's, so a time going backwards is a
      back-dated entry, re-hashed by whoever moved it;
    - ``bad-time``: ``recorded_at`` is not an ISO 8601 date-time.

    ``start_seq``, ``prev_hash`` and ``prev_time`` let a caller verify a tail
    of the chain from a checkpoint it trusts.
    """
    problems: list[ChainProblem] = []
    expected_seq = start_seq
    expected_prev = prev_hash
    last_time = as_instant(prev_time) if prev_time else None
    last_at = prev_time
    compute = entry_hash
    for e in entries:
        if compute(e.seq, e.recorded_at, e.user, e.action, e.subject, e.payload, e.prev_hash) != e.hash:
            problems.append(
                ChainProblem(e.seq, "hash-mismatch", f"{_describe(e)}: contents do not match its hash (altered after recording)")
            )
        if e.seq < 1:
            problems.append(ChainProblem(
                e.seq, "out-of-order", f"{_describe(e)}: seq {e.seq} is not a position in the history (it starts at 1): inserted behind the ledger's back",
            ))
            continue
        if e.seq == expected_seq:
            if e.prev_hash != expected_prev:
                problems.append(
                    ChainProblem(
                        e.seq,
                        "broken-link",
                        f"{_describe(e)}: does not link to entry {e.seq - 1} (prev_hash {e.prev_hash[:12]}…, expected {expected_prev[:12]}…)",
                    )
                )
        elif e.seq > expected_seq:
            missing = f"entry {expected_seq}" if e.seq == expected_seq + 1 else f"entries {expected_seq}–{e.seq - 1}"
            problems.append(ChainProblem(expected_seq, "gap", f"{missing} missing before {_describe(e)} (deleted?)"))
        else:
            problems.append(
                ChainProblem(e.seq, "out-of-order", f"{_describe(e)}: seq {e.seq} comes after {expected_seq - 1}")
            )
        instant = as_instant(e.recorded_at)
        if instant is None:
            problems.append(ChainProblem(e.seq, "bad-time", f"{_describe(e)}: recorded_at {e.recorded_at!r} is not an ISO 8601 date-time"))
        elif last_time is not None and instant < last_time:
            problems.append(ChainProblem(
                e.seq, "time-backwards",
                f"{_describe(e)}: recorded at {e.recorded_at}, before the entry it follows ({last_at}): back-dated",
            ))
        if instant is not None:
            last_time, last_at = instant, e.recorded_at
        # Continue from this entry whatever was wrong, so one problem is
        # reported once rather than cascading down the rest of the chain.
        expected_seq = max(expected_seq, e.seq + 1)
        expected_prev = e.hash
    return problems


def as_instant(recorded_at: str) -> datetime | None:
    """``recorded_at`` as an aware datetime to compare; a naive time is UTC, as the ledger records."""
    try:
        moment = datetime.fromisoformat(recorded_at)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def not_before(now: str, previous: str | None) -> str:
    """The time to record for an entry appended after ``previous``: ``now``, or ``previous`` if the clock went back.

    Entry times never go backwards (``verify_chain`` checks it), even when the
    machine's clock is stepped back between two appends.
    """
    if previous is None:
        return now
    earlier = as_instant(previous)
    return previous if earlier is not None and earlier > as_instant(now) else now
