"""The tamper-evident history: a hash chain over every change to the ledger.

This module owns the history's format and its checks, and nothing else:
canonical JSON for payloads, how an entry's hash is computed, building entries
(one at a time, or in bulk for large imports), verifying a chain, replaying it
into the state the tables should hold, and comparing that state with what the
tables do hold. Storage decides where entries live; it never computes a hash
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
_ADD_SUFFIX = ".add"


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
    ).encode("utf-8")


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


def verify_chain(entries: Iterable[Entry], *, start_seq: int = 1, prev_hash: str = GENESIS) -> list[ChainProblem]:
    """Every problem in the chain, in order: a single pass, so ``entries`` may stream.

    Kinds:

    - ``hash-mismatch``: the entry's fields or payload no longer give its hash;
    - ``broken-link``: its ``prev_hash`` is not the previous entry's hash
      (an entry was altered and re-hashed, or replaced);
    - ``gap``: seq numbers are missing (entries deleted); the entry after the
      gap is not also reported as a broken link, the gap already explains it;
    - ``out-of-order``: a seq repeats or goes backwards.

    ``start_seq`` and ``prev_hash`` let a caller verify a tail of the chain
    from a checkpoint it trusts.
    """
    problems: list[ChainProblem] = []
    expected_seq = start_seq
    expected_prev = prev_hash
    compute = entry_hash
    for e in entries:
        if compute(e.seq, e.recorded_at, e.user, e.action, e.subject, e.payload, e.prev_hash) != e.hash:
            problems.append(
                ChainProblem(e.seq, "hash-mismatch", f"{_describe(e)}: contents do not match its hash (altered after recording)")
            )
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
        # Continue from this entry whatever was wrong, so one problem is
        # reported once rather than cascading down the rest of the chain.
        expected_seq = max(expected_seq, e.seq + 1)
        expected_prev = e.hash
    return problems


def replay(entries: Iterable[Entry]) -> dict[str, dict]:
    """The state each subject should have now, by folding its history in order.

    Payload conventions (storage writes entries this way):

    - ``source.add``, ``document.add``, ``claim.add`` (any ``*.add``): the
      record's full canonical dict (for a claim: its fields, ``value`` as a
      Quantity dict, dates as ISO strings); the state becomes that dict.
    - ``claim.correct``: ``{"value": {…quantity dict…}, "reason": str | None}``;
      the old ``value`` is appended to the state's ``corrections`` list
      (oldest first, as in ``Claim.corrections``) and ``value`` replaced.
    - ``claim.retract``: ``{"reason": str}``; sets ``retracted`` True and
      ``retraction_reason``.
    - ``source.merge``, subject the source merged away (``source:ID``):
      ``{"from": name, "into": name}``; sets ``merged_into`` to the ``into`` name.

    Other actions leave state unchanged. A change to a subject with no
    ``*.add`` starts from an empty state, so :func:`compare_state` still
    reports the row.
    """
    state: dict[str, dict] = {}
    loads = json.loads
    for e in entries:
        action = e.action
        payload = loads(e.payload)
        if action.endswith(_ADD_SUFFIX):
            state[e.subject] = payload if isinstance(payload, dict) else {"value": payload}
        elif action == "claim.correct":
            current = state.setdefault(e.subject, {})
            current.setdefault("corrections", []).append(current.get("value"))
            current["value"] = payload.get("value")
        elif action == "claim.retract":
            current = state.setdefault(e.subject, {})
            current["retracted"] = True
            current["retraction_reason"] = payload.get("reason")
        elif action == "source.merge":
            state.setdefault(e.subject, {})["merged_into"] = payload.get("into")
    return state


def _subject_order(subject: str) -> tuple[str, int, str]:
    """Sort ``claim:2`` before ``claim:10``."""
    kind, _, ident = subject.partition(":")
    return (kind, int(ident), "") if ident.isdigit() else (kind, -1, ident)


def _subject_label(subject: str) -> str:
    kind, _, ident = subject.partition(":")
    return f"{kind} {ident}" if ident else subject


def _show(value: object) -> str:
    """A field value as a person reads it: a quantity by its words, the rest as JSON."""
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return value["text"]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return _show(to_dict())
    if isinstance(value, str):
        return value
    return canonical_json(value)


def _same(a: object, b: object) -> bool:
    # Compared as canonical JSON, so a tuple equals a list, a date its ISO
    # string and a Quantity its dict: the row and the history may hold either.
    if a == b and type(a) is type(b):
        return True
    try:
        return canonical_json(a) == canonical_json(b)
    except (TypeError, InputError):
        return False


def compare_state(expected: dict[str, dict], actual: dict[str, dict]) -> list[ChainProblem]:
    """Differences between the replayed history (``expected``) and the stored rows (``actual``).

    - ``row-altered``: a field present in both differs; fields only one side
      has are not compared (storage may keep derived columns, the history may
      carry fields storage does not), so storage should pass every column it
      has;
    - ``row-unrecorded``: a row no history entry created;
    - ``row-missing``: a subject the history has but no row.

    Problems come sorted by subject (``claim:2`` before ``claim:10``), fields
    alphabetically.
    """
    problems: list[ChainProblem] = []
    for subject in sorted(expected.keys() | actual.keys(), key=_subject_order):
        label = _subject_label(subject)
        if subject not in actual:
            problems.append(ChainProblem(None, "row-missing", f"{label}: in the history but not in the tables (deleted?)"))
            continue
        if subject not in expected:
            problems.append(ChainProblem(None, "row-unrecorded", f"{label}: in the tables but never recorded in the history"))
            continue
        want, have = expected[subject], actual[subject]
        for field in sorted(want.keys() & have.keys()):
            if not _same(have[field], want[field]):
                problems.append(
                    ChainProblem(
                        None,
                        "row-altered",
                        f'{label}: stored {field} "{_show(have[field])}" differs from history ("{_show(want[field])}")',
                    )
                )
    return problems

