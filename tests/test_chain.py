import dataclasses
import json
from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.provenance.chain import (
    GENESIS,
    ChainProblem,
    Entry,
    canonical_json,
    entry_hash,
    make_entries,
    make_entry,
    verify_chain,
)
from ledger.errors import InputError
from ledger.provenance.replay import compare_state, replay
from ledger.figures import Quantity

AT = "2024-05-01T12:00:00+00:00"


def q(text, low, high=None, kind="exact", best=None):
    return {"text": text, "low": low, "high": low if high is None and kind == "exact" else high, "kind": kind, "best": best}


CLAIM_12 = {
    "id": 12,
    "event": "hasaka-prison-2022",
    "metric": "killed",
    "group": "isis",
    "value": q("45", 45, best=45),
    "said_by": "Syrian Observatory for Human Rights",
    "via": ["Al Jazeera"],
    "document_id": 3,
    "published": "2022-01-22",
}


def build(items=None):
    items = items or [
        (AT, "alice", "source.add", "source:1", {"id": 1, "name": "Syrian Observatory for Human Rights", "kind": "ngo"}),
        (AT, "alice", "source.add", "source:2", {"id": 2, "name": "SOHR office", "kind": "ngo"}),
        (AT, "alice", "document.add", "document:3", {"id": 3, "outlet": "Al Jazeera", "published": "2022-01-22"}),
        (AT, "alice", "claim.add", "claim:12", CLAIM_12),
        (AT, "bob", "claim.correct", "claim:12", {"value": q("78", 78, best=78), "reason": "later report"}),
        (AT, "bob", "claim.correct", "claim:12", {"value": q("more than 70", 71, None, "lower-bound"), "reason": None}),
        (AT, "alice", "claim.add", "claim:13", {**CLAIM_12, "id": 13, "group": "sdf", "value": q("28", 28, best=28)}),
        (AT, "carol", "claim.retract", "claim:13", {"reason": "misattributed"}),
        (AT, "alice", "source.merge", "source:2", {"from": "SOHR office", "into": "Syrian Observatory for Human Rights"}),
    ]
    entries = []
    prev = None
    for item in items:
        prev = make_entry(prev, *item)
        entries.append(prev)
    return entries


def kinds(problems):
    return [(p.seq, p.kind) for p in problems]


# --- canonical JSON -----------------------------------------------------------


def test_canonical_json_is_deterministic_and_compact():
    assert canonical_json({"b": 1, "a": [1, 2], "c": "é"}) == '{"a":[1,2],"b":1,"c":"é"}'
    assert canonical_json({"a": 1, "b": 2}) == canonical_json({"b": 2, "a": 1})


def test_canonical_json_dates_and_quantities():
    obj = {"d": date(2022, 1, 22), "t": datetime(2022, 1, 22, 10, 0, tzinfo=timezone.utc), "v": Quantity("78", 78, 78, "exact", 78)}
    assert json.loads(canonical_json(obj)) == {
        "d": "2022-01-22",
        "t": "2022-01-22T10:00:00+00:00",
        "v": {"text": "78", "low": 78, "high": 78, "kind": "exact", "best": 78},
    }


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), {"x": [1, float("-inf")]}])
def test_canonical_json_rejects_non_finite(bad):
    with pytest.raises(InputError) as err:
        canonical_json(bad)
    assert err.value.field == "payload"


def test_canonical_json_rejects_unknown_types():
    with pytest.raises(TypeError):
        canonical_json({"x": object()})


# --- entries ------------------------------------------------------------------


def test_make_entry_links_and_hashes():
    entries = build()
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == GENESIS
    for prev, e in zip(entries, entries[1:]):
        assert e.prev_hash == prev.hash
    for e in entries:
        assert e.hash == entry_hash(e.seq, e.recorded_at, e.user, e.action, e.subject, e.payload, e.prev_hash)
        assert len(e.hash) == 64
        assert e.payload == canonical_json(json.loads(e.payload))


def test_make_entry_datetime_recorded_at_is_utc_iso():
    e = make_entry(None, datetime(2024, 5, 1, 14, 0, tzinfo=timezone.utc), "u", "claim.add", "claim:1", {})
    assert e.recorded_at == "2024-05-01T14:00:00+00:00"
    naive = make_entry(None, datetime(2024, 5, 1, 14, 0), "u", "claim.add", "claim:1", {})
    assert naive.recorded_at == e.recorded_at


def test_hash_covers_every_field():
    base = dict(seq=1, recorded_at=AT, user="u", action="claim.add", subject="claim:1", payload="{}", prev_hash=GENESIS)
    h = entry_hash(**base)
    for field, other in [("seq", 2), ("recorded_at", AT + "x"), ("user", "v"), ("action", "claim.correct"),
                         ("subject", "claim:2"), ("payload", '{"a":1}'), ("prev_hash", "1" * 64)]:
        assert entry_hash(**{**base, field: other}) != h, field


def test_hash_field_boundaries_are_unambiguous():
    a = entry_hash(1, AT, "ab", "c", "s", "{}", GENESIS)
    b = entry_hash(1, AT, "a", "bc", "s", "{}", GENESIS)
    c = entry_hash(1, AT, "a\n1:b", "c", "s", "{}", GENESIS)
    assert len({a, b, c}) == 3


def test_make_entries_equals_repeated_make_entry():
    items = [(AT, "u", "claim.add", f"claim:{i}", {"id": i, "value": q(str(i), i), "d": date(2022, 1, i % 28 + 1)}) for i in range(1, 50)]
    one_by_one = build(items)
    bulk = make_entries(GENESIS, 1, items)
    assert bulk == one_by_one
    assert [dataclasses.asdict(e) for e in bulk] == [dataclasses.asdict(e) for e in one_by_one]
    assert all(type(e) is Entry for e in bulk)
    with pytest.raises(dataclasses.FrozenInstanceError):
        bulk[0].payload = "{}"


def test_make_entries_continues_an_existing_chain():
    head = build()
    more = [(AT, "u", "claim.add", "claim:99", {"id": 99})]
    tail = make_entries(head[-1].hash, head[-1].seq + 1, more)
    assert tail[0].seq == len(head) + 1
    assert tail[0] == make_entry(head[-1], *more[0])
    assert verify_chain(head + tail) == []


def test_make_entries_rejects_nan_payload():
    with pytest.raises(InputError):
        make_entries(GENESIS, 1, [(AT, "u", "claim.add", "claim:1", {"x": float("nan")})])


# --- verify_chain -------------------------------------------------------------


def test_clean_chain_verifies():
    assert verify_chain(build()) == []
    assert verify_chain(iter(build())) == []  # a generator is enough
    assert verify_chain([]) == []


def test_altered_payload_is_a_hash_mismatch_naming_the_entry():
    entries = build()
    payload = json.loads(entries[4].payload)
    payload["value"]["text"] = "90"
    entries[4] = dataclasses.replace(entries[4], payload=canonical_json(payload))
    problems = verify_chain(entries)
    assert kinds(problems) == [(5, "hash-mismatch")]
    assert "entry 5" in problems[0].message
    assert "claim.correct claim:12" in problems[0].message


def test_altered_field_is_a_hash_mismatch():
    entries = build()
    entries[7] = dataclasses.replace(entries[7], user="mallory")
    assert kinds(verify_chain(entries)) == [(8, "hash-mismatch")]


def test_deleted_entry_is_a_gap():
    entries = build()
    del entries[3]
    problems = verify_chain(entries)
    assert kinds(problems) == [(4, "gap")]
    assert "entry 4 missing" in problems[0].message


def test_deleted_run_of_entries_is_one_gap():
    entries = build()
    del entries[2:5]
    problems = verify_chain(entries)
    assert kinds(problems) == [(3, "gap")]
    assert "entries 3–5 missing" in problems[0].message


def test_deleted_last_entry_is_invisible_without_the_head():
    # Documented limitation: truncation needs an external copy of the head.
    assert verify_chain(build()[:-1]) == []


def test_altered_prev_hash_is_a_broken_link():
    entries = build()
    bad_prev = "f" * 64
    entries[5] = dataclasses.replace(entries[5], prev_hash=bad_prev)
    problems = verify_chain(entries)
    # prev_hash is hashed too, so the entry's own hash no longer fits either.
    assert kinds(problems) == [(6, "hash-mismatch"), (6, "broken-link")]
    assert "does not link to entry 5" in problems[1].message


def test_altered_and_rehashed_prev_hash_breaks_both_links():
    entries = build()
    e = entries[5]
    bad_prev = "f" * 64
    entries[5] = dataclasses.replace(
        e, prev_hash=bad_prev, hash=entry_hash(e.seq, e.recorded_at, e.user, e.action, e.subject, e.payload, bad_prev)
    )
    assert kinds(verify_chain(entries)) == [(6, "broken-link"), (7, "broken-link")]


def test_rehashed_alteration_breaks_the_next_link():
    entries = build()
    e = entries[3]
    payload = canonical_json({**json.loads(e.payload), "value": q("90", 90)})
    entries[3] = dataclasses.replace(
        e, payload=payload, hash=entry_hash(e.seq, e.recorded_at, e.user, e.action, e.subject, payload, e.prev_hash)
    )
    assert kinds(verify_chain(entries)) == [(5, "broken-link")]


def test_all_problems_are_reported_not_only_the_first():
    entries = build()
    entries[1] = dataclasses.replace(entries[1], payload='{"id":2}')
    del entries[4]
    entries[6] = dataclasses.replace(entries[6], action="claim.add")
    assert kinds(verify_chain(entries)) == [(2, "hash-mismatch"), (5, "gap"), (8, "hash-mismatch")]


def test_duplicate_seq_is_out_of_order():
    entries = build()
    entries.insert(3, entries[2])
    assert [p.kind for p in verify_chain(entries)] == ["out-of-order"]


def test_verify_from_a_checkpoint():
    entries = build()
    tail = entries[4:]
    assert verify_chain(tail, start_seq=5, prev_hash=entries[3].hash) == []
    assert kinds(verify_chain(tail)) == [(1, "gap")]


# --- replay / compare_state ---------------------------------------------------


def test_replay_applies_corrections_retractions_and_merges():
    state = replay(build())
    assert set(state) == {"source:1", "source:2", "document:3", "claim:12", "claim:13"}
    c12 = state["claim:12"]
    assert c12["value"]["text"] == "more than 70"
    assert [v["text"] for v in c12["corrections"]] == ["45", "78"]
    assert c12["said_by"] == "Syrian Observatory for Human Rights"
    assert "retracted" not in c12
    c13 = state["claim:13"]
    assert c13["retracted"] is True
    assert c13["retraction_reason"] == "misattributed"
    assert state["source:2"]["merged_into"] == "Syrian Observatory for Human Rights"
    assert "merged_into" not in state["source:1"]


def test_replay_streams():
    assert replay(iter(build())) == replay(build())


def test_compare_state_clean():
    state = replay(build())
    actual = json.loads(json.dumps(state))
    # Rows may carry columns the history does not, and tuples for lists.
    actual["claim:12"]["quote_verified"] = False
    actual["claim:12"]["via"] = ("Al Jazeera",)
    assert compare_state(state, actual) == []


def test_compare_state_finds_altered_claim_value():
    expected = replay(build())
    actual = json.loads(json.dumps(expected))
    actual["claim:12"]["value"] = q("90", 90, best=90)
    problems = compare_state(expected, actual)
    assert [(p.kind, p.message) for p in problems] == [
        ("row-altered", 'claim 12: stored value "90" differs from history ("more than 70")')
    ]


def test_compare_state_accepts_quantity_objects_and_dates():
    expected = replay(build())
    actual = json.loads(json.dumps(expected))
    actual["claim:12"]["value"] = Quantity("more than 70", 71, None, "lower-bound")
    actual["claim:12"]["published"] = date(2022, 1, 22)
    assert compare_state(expected, actual) == []


def test_compare_state_missing_and_unrecorded_rows():
    expected = replay(build())
    actual = json.loads(json.dumps(expected))
    del actual["claim:13"]
    actual["claim:99"] = {"id": 99}
    actual["claim:12"]["retracted"] = True  # not in history's state: not compared
    actual["source:1"]["name"] = "SOHR"
    problems = compare_state(expected, actual)
    assert [(p.kind, p.message.split(":")[0]) for p in problems] == [
        ("row-missing", "claim 13"),
        ("row-unrecorded", "claim 99"),
        ("row-altered", "source 1"),
    ]
    assert all(isinstance(p, ChainProblem) and p.seq is None for p in problems)


def test_compare_state_orders_ids_numerically():
    problems = compare_state({}, {"claim:10": {}, "claim:2": {}, "claim:x": {}})
    assert [p.message.split(":")[0] for p in problems] == ["claim x", "claim 2", "claim 10"]


# --- properties ---------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.text(max_size=12)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(payloads=st.lists(json_values, min_size=1, max_size=8), data=st.data())
def test_any_payloads_chain_verifies_and_any_changed_char_is_found(payloads, data):
    items = [(AT, "u", "x.add", f"x:{i}", p) for i, p in enumerate(payloads)]
    entries = make_entries(GENESIS, 1, items)
    assert verify_chain(entries) == []
    k = data.draw(st.integers(0, len(entries) - 1))
    payload = entries[k].payload
    pos = data.draw(st.integers(0, len(payload) - 1))
    replacement = data.draw(st.characters().filter(lambda c: c != payload[pos]))
    tampered = list(entries)
    tampered[k] = dataclasses.replace(entries[k], payload=payload[:pos] + replacement + payload[pos + 1 :])
    assert kinds(verify_chain(tampered)) == [(k + 1, "hash-mismatch")]
