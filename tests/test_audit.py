"""The audit view, built from plain records: no database, no CLI."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone

import pytest

from ledger.provenance.audit import Hop, build_audit, format_audit, grade_meaning, hop_label, involves
from ledger.provenance.chain import make_entry
from ledger.model import Claim, Document, Period, QuoteSpan, Source
from ledger.figures import Quantity
from ledger.reconcile import Figure, Finding, QuantityKey

TEXT = "Local sources said 70 died. SOHR counted 45 fighters from the group. Nobody else spoke."
SHA = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
AT = "2024-05-01T12:00:00.000000+00:00"

SOHR = Source(id=2, name="Syrian Observatory for Human Rights", kind="ngo", aliases=("SOHR",), grade="B")
MILITARY = Source(id=7, name="a military source in the SDF", kind="anonymous", affiliation="Syrian Democratic Forces")
REUTERS = Source(id=6, name="Reuters", kind="media", grade="A")
AJ = Source(id=1, name="Al Jazeera", kind="media", grade="B")
DOC = Document(id=1, outlet="Al Jazeera", published=date(2022, 1, 22), url="https://example.org/a", title="Clashes", text=TEXT, sha256=SHA)


def q(text: str, n: int) -> Quantity:
    return Quantity(text=text, low=n, high=n, kind="exact", best=n)


def claim(**changes) -> Claim:
    start = TEXT.index("45 fighters")
    base = dict(
        id=3, event="Ghweran prison attack", metric="killed", group="ISIS fighters", value=q("45", 45),
        said_by=SOHR.name, document_id=1, outlet="Al Jazeera", published=date(2022, 1, 22),
        period=Period(date(2022, 1, 20), date(2022, 1, 22)), quote="45 fighters from the group",
        quote_span=QuoteSpan(start, start + len("45 fighters from the group")), quote_verified=True,
        credibility=2, recorded_at=datetime(2024, 5, 1, 12, tzinfo=timezone.utc),
    )
    return Claim(**{**base, **changes})


def history(*items):
    """Entries chained as storage writes them: (user, action, subject, payload)."""
    entries, prev = [], None
    for user, action, subject, payload in items:
        prev = make_entry(prev, AT, user, action, subject, payload)
        entries.append(prev)
    return entries


ADD = ("alice", "claim.add", "claim:3", {"value": q("45", 45).to_dict()})
PATH = [Hop("origin", SOHR), Hop("outlet", AJ)]


def figure(claim_id, parts=()):
    return Figure(claim_id=claim_id, said_by="x", via=(), outlet=None, value=q("1", 1), published=None, as_of=None,
                  derived=bool(parts), parts=tuple(parts))


def finding(verdict, *figures):
    return Finding(QuantityKey("Ghweran prison attack", "killed", None), verdict, f"{verdict} reason", tuple(figures), (1, 1), None, 0.0)


@pytest.mark.parametrize("hop, label", [
    (Hop("origin", MILITARY), "a military source in the SDF (anonymous, affiliated with Syrian Democratic Forces)"),
    (Hop("relay", REUTERS), "Reuters (media, A)"),
    (Hop("origin", SOHR, recorded_as="OSDH"), "Syrian Observatory for Human Rights (ngo, B) [recorded as OSDH]"),
])
def test_hop_label(hop, label):
    assert hop_label(hop) == label


@pytest.mark.parametrize("code, meaning", [
    ("B2", "usually reliable; probably true"),
    ("F6", "reliability cannot be judged; truth cannot be judged"),
    ("A1", "completely reliable; confirmed by other sources"),
])
def test_grade_meaning(code, meaning):
    assert grade_meaning(code) == meaning


def test_grade_is_origin_reliability_and_claim_credibility_never_blank():
    assert build_audit(claim(), PATH, DOC, SHA, history(ADD), [])["grade"] == "B2"
    anonymous = [Hop("origin", MILITARY), Hop("relay", REUTERS), Hop("outlet", AJ)]
    view = build_audit(claim(credibility=None), anonymous, DOC, SHA, history(ADD), [])
    assert view["grade"] == "F6"
    assert view["path_label"] == ("a military source in the SDF (anonymous, affiliated with Syrian Democratic Forces) "
                                  "→ Reuters (media, A) → Al Jazeera (media, B)")
    assert [h["role"] for h in view["path"]] == ["origin", "relay", "outlet"]


def test_history_summaries_follow_the_value_through_corrections():
    entries = history(
        ADD,
        ("bob", "claim.correct", "claim:3", {"value": q("50", 50).to_dict(), "reason": "misread"}),
        ("bob", "claim.correct", "claim:3", {"value": q("47", 47).to_dict(), "reason": None}),
        ("carol", "source.merge", "source:9", {"from": "OSDH", "into": SOHR.name, "reason": "same"}),
        ("carol", "claim.retract", "claim:3", {"reason": "duplicate of claim 2"}),
    )
    view = build_audit(claim(value=q("47", 47), corrections=(q("45", 45), q("50", 50)), retracted=True), PATH, DOC, SHA, entries, [])
    assert [(h["seq"], h["user"], h["summary"]) for h in view["history"]] == [
        (1, "alice", 'recorded "45"'),
        (2, "bob", '"45" → "50"; reason: misread'),
        (3, "bob", '"50" → "47"'),
        (4, "carol", 'source "OSDH" merged into "Syrian Observatory for Human Rights"; reason: same'),
        (5, "carol", "retracted; reason: duplicate of claim 2"),
    ]
    assert view["claim"]["retraction_reason"] == "duplicate of claim 2"
    text = format_audit(view)
    assert 'value: "47" (47, exact), corrected from "50" ← "45"\n' in text
    assert "status: RETRACTED: duplicate of claim 2\n" in text
    assert text.endswith("verdicts: none (retracted claims are left out of the report)")


def test_history_survives_a_tampered_payload():
    entry = history(ADD)[0]
    broken = type(entry)(**{**entry.__dict__, "payload": "{not json"})
    assert build_audit(claim(), PATH, DOC, SHA, [broken], [])["history"][0]["summary"] == (
        "payload unreadable (altered?); run `ledger verify`")


@pytest.mark.parametrize("doc, recorded, matches, status", [
    (DOC, SHA, True, "matches the stored text"),
    (Document(**{**DOC.__dict__, "text": TEXT + " Edited."}), SHA, False, "DOES NOT MATCH the stored text"),
    (Document(**{**DOC.__dict__, "sha256": "0" * 64, "text": None}), SHA, None, "no text stored"),
    (DOC, "f" * 64, False, "DOES NOT MATCH the history (recorded as ffffffffffffffff…)"),
])
def test_document_hash_is_checked(doc, recorded, matches, status):
    view = build_audit(claim(), PATH, doc, recorded, history(ADD), [])["document"]
    assert view["matches"] is matches and view["status"].startswith(status)


def test_quote_with_span_and_sentence():
    view = build_audit(claim(), PATH, DOC, SHA, history(ADD), [])
    start = TEXT.index("45 fighters")
    assert view["quote"] == {"text": "45 fighters from the group", "original": None, "span": [start, start + 26],
                             "verified": True, "found": "quote", "states_figure": None,
                             "context": "SOHR counted 45 fighters from the group."}
    unverified = build_audit(claim(quote="45 ISIS men", quote_span=None, quote_verified=False), PATH, DOC, SHA, history(ADD), [])
    assert unverified["quote"] == {"text": "45 ISIS men", "original": None, "span": None, "verified": False,
                                   "found": None, "states_figure": None, "context": None}
    assert 'quote: UNVERIFIED (not found in the document\'s text): "45 ISIS men"' in format_audit(unverified)
    assert build_audit(claim(quote=None, quote_span=None), PATH, None, None, history(ADD), [])["quote"] is None


def test_a_translated_quote_shows_both_and_which_the_document_holds():
    start = TEXT.index("45 fighters")
    translated = claim(quote="45 combattants du groupe", quote_original="45 fighters from the group",
                       quote_span=QuoteSpan(start, start + 26), quote_states_figure=True)
    view = build_audit(translated, PATH, DOC, SHA, history(ADD), [])
    assert view["quote"]["found"] == "original"
    text = format_audit(view)
    assert f'original: verified at characters {start}–{start + 26}: "45 fighters from the group"' in text
    assert 'quote (translation): "45 combattants du groupe"' in text
    assert 'figure: the quote states "45"' in text


def test_a_quote_that_does_not_state_the_figure_says_so():
    view = build_audit(claim(quote_states_figure=False), PATH, DOC, SHA, history(ADD), [])
    assert view["quote"]["states_figure"] is False
    assert 'figure: the quote DOES NOT STATE "45"' in format_audit(view)


def test_only_findings_involving_the_claim_are_kept():
    direct = finding("contradiction", figure(3), figure(4))
    as_part = finding("divergence", figure(1), figure(None, parts=(2, 3, 5)))
    other = finding("agreement", figure(1), figure(4))
    assert involves(direct, 3) and involves(as_part, 3) and not involves(other, 3)
    view = build_audit(claim(), PATH, DOC, SHA, history(ADD), [direct, as_part, other])
    assert [(v["verdict"], v["claims"]) for v in view["verdicts"]] == [("contradiction", ["3", "4"]), ("divergence", ["1", "2+3+5"])]
    text = format_audit(view)
    assert "contradiction  Ghweran prison attack / killed / total  contradiction reason" in text


def test_format_audit_lines():
    text = format_audit(build_audit(claim(location="Hasakah"), PATH, DOC, SHA, history(ADD), []))
    lines = text.splitlines()
    assert lines[:8] == [
        "claim 3: Ghweran prison attack / killed / ISIS fighters",
        'value: "45" (45, exact)',
        "path: Syrian Observatory for Human Rights (ngo, B) → Al Jazeera (media, B)",
        "grade: B2 (usually reliable; probably true)",
        "when: period 2022-01-20..2022-01-22; published 2022-01-22; location Hasakah",
        'document 1: Al Jazeera, published 2022-01-22, "Clashes", https://example.org/a',
        f"sha256: {SHA} matches the stored text",
        f'quote: verified at characters {TEXT.index("45")}–{TEXT.index("45") + 26}: "45 fighters from the group"',
    ]
    assert 'in context: "SOHR counted 45 fighters from the group."' in lines
    assert "2024-05-01 12:00:00" in text and text.endswith("verdicts: none (no other figure to compare it with)")
