"""The reconciler's fast paths give exactly the answers of the plain definitions.

``_judge`` finds a quantity's worst pair with a sweep over sorted bounds; the
reference below is the pairwise judge it replaced, verbatim: every pair of
figures from different sources classified, the first worst one kept. The name
normaliser folds each word once; its reference folds the whole text.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
import random
import re
from collections import Counter, defaultdict
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

import ledger.reconcile.grouping as grouping
import ledger.reconcile.judge as judging
import ledger.reconcile.reasons as wording
import ledger.reconcile.reconciler as rec
import ledger.reconcile.records as records
import ledger.names.counterparts as counterparts
import ledger.names.forms as forms
import ledger.names.neighbours as neighbours
import ledger.names.normalisation as normalisation
from ledger.model import Claim, Period, Source
from ledger.figures import Quantity, parse_quantity
from ledger.reconcile import Figure, QuantityKey, reconcile

# -- the pairwise judge, by its definition ------------------------------------------
# Each source's figures in time order: its revisions (a same-day figure whose interval overlaps
# the last is a restatement, not a change); then every pair of the sources' latest figures.


def _rep(q):
    if q.best is not None:
        return q.best
    if q.high is None:
        return q.low
    return (q.low + q.high) / 2


def _gap(a, b):
    if not a.overlaps(b):
        lower, upper = (a, b) if a.low < b.low else (b, a)
        return (upper.low - lower.high) / max(upper.low, 1)
    ra, rb = _rep(a), _rep(b)
    return abs(ra - rb) / max(ra, rb, 1)


def _same(a, b):
    return (a.low, a.high) == (b.low, b.high)


def _ordered(a, b):
    if a.as_of and b.as_of and a.as_of != b.as_of:
        return (a, b) if a.as_of < b.as_of else (b, a)
    return None


def _stretched(q):
    """Loose words ("about", "dozens") read a tenth wider each way, at least 1: docs/reconciliation.md."""
    if q.kind not in ("approximate", "vague"):
        return q.low, q.high
    return max(0, q.low - max(1, math.floor(q.low / 10))), None if q.high is None else q.high + max(1, math.ceil(q.high / 10))


def _apart(lower_high, upper_low):
    return lower_high is not None and lower_high < upper_low


def _classify(a, b, cumulative):
    order = _ordered(a, b) if cumulative else None
    if order is not None:
        earlier, later = order
        if _apart(_stretched(later.value)[1], _stretched(earlier.value)[0]):
            low = _stretched(earlier.value)[0]
            return "contradiction", (low - _stretched(later.value)[1]) / max(low, 1)
        if later.value.low < earlier.value.low and earlier.value.kind == "exact":
            return "divergence", _gap(earlier.value, later.value)
    else:
        (low_a, high_a), (low_b, high_b) = _stretched(a.value), _stretched(b.value)
        if _apart(high_a, low_b):
            return "contradiction", (low_b - high_a) / max(low_b, 1)
        if _apart(high_b, low_a):
            return "contradiction", (low_a - high_b) / max(low_a, 1)
    if _same(a.value, b.value):
        return "agreement", 0.0
    return "divergence", _gap(a.value, b.value)


def _envelope(figures):
    low = min(f.value.low for f in figures)
    high = None if any(f.value.high is None for f in figures) else max(f.value.high for f in figures)
    return (low, high)


def _consensus(figures):
    low = max(f.value.low for f in figures)
    highs = [f.value.high for f in figures if f.value.high is not None]
    high = min(highs) if highs else None
    if high is not None and high < low:
        return None
    return (low, high)


def _figure_order(f):
    return (f.derived, f.claim_id or 0, f.parts)


def _order_note(a, b):
    if a.as_of != b.as_of or a.as_of_at is not None or b.as_of_at is not None:
        return ""
    return " (neither dated: in the order recorded)" if a.as_of is None else " (the same day, no time of day: in the order recorded)"


def judge_pairwise(key, figures, reasons):
    cumulative = key.metric not in grouping.STOCK_METRICS
    figures = sorted(figures, key=_figure_order)
    findings = []
    by_source = {}
    for f in figures:
        by_source.setdefault(f.said_by, []).append(f)
    latest = []
    for source, own in by_source.items():
        own = sorted(own, key=lambda f: (f.as_of or date.min, f.claim_id or 0))
        latest.append(own[-1])
        changes = [(a, b) for a, b in zip(own, own[1:]) if not _same(a.value, b.value)
                   and not (a.as_of is not None and a.as_of == b.as_of and a.value.overlaps(b.value))]
        if changes:
            steps = "; ".join(
                f"{wording._quoted(a.value)}{reasons.when(a)} → {wording._quoted(b.value)}{reasons.when(b)}{_order_note(a, b)}"
                for a, b in changes
            )
            findings.append(records.Finding(
                quantity=key, verdict="revision", reason=f"{reasons.name(source)} changed its figure: {steps}",
                figures=tuple(own), envelope=_envelope(own), consensus=None,
                gap=max(_gap(a.value, b.value) for a, b in changes),
            ))
    compared = sorted(latest, key=_figure_order) if len(latest) < len(figures) else figures
    worst = None
    for i, a in enumerate(compared):
        for b in compared[i + 1:]:
            if a.said_by == b.said_by:
                continue
            verdict, gap = _classify(a, b, cumulative)
            candidate = (records._RANK[verdict], -gap, a, b)
            if worst is None or candidate[:2] < worst[:2]:
                worst = candidate
    if worst is not None:
        verdict = records.VERDICTS[worst[0]]
        consensus = _consensus(compared) if verdict != "contradiction" else None
        findings.append(records.Finding(
            quantity=key, verdict=verdict, reason=reasons.pair(verdict, worst[2], worst[3], cumulative),
            figures=tuple(compared), envelope=_envelope(compared), consensus=consensus, gap=-worst[1],
        ))
    return findings


# -- random figure sets, small enough to tie often ----------------------------------

DAYS = [None, date(2022, 1, 20), date(2022, 1, 22), date(2022, 1, 25)]


@st.composite
def quantities(draw):
    low = draw(st.integers(0, 6))
    shape = draw(st.sampled_from(["exact", "range", "lower-bound", "about"]))
    if shape == "exact":
        return Quantity(str(low), low, low, "exact", low)
    if shape == "lower-bound":
        return Quantity(f"at least {low}", low, None, "lower-bound", None)
    high = low + draw(st.integers(1, 4))
    best = draw(st.one_of(st.none(), st.integers(low, high)))
    return Quantity(f"{low} to {high}", low, high, "range" if shape == "range" else "approximate", best)


@st.composite
def figure_sets(draw, max_size=10):
    n = draw(st.integers(2, max_size))
    figures = []
    for claim_id in range(1, n + 1):
        figures.append(Figure(
            claim_id=claim_id, said_by=draw(st.sampled_from(["A", "B", "C", "D"])), via=(),
            outlet=draw(st.sampled_from([None, "A", "X"])), value=draw(quantities()), published=None,
            as_of=draw(st.sampled_from(DAYS)), document_id=None,
        ))
    if draw(st.booleans()):  # a derived total sorts after the stated figures
        figures.append(Figure(
            claim_id=None, said_by=draw(st.sampled_from(["A", "B"])), via=(), outlet=None, value=draw(quantities()),
            published=None, as_of=draw(st.sampled_from(DAYS)), derived=True, parts=(1, 2), part_labels=("1 x", "2 y"),
        ))
    return figures


REASONS = wording._Reasons({"A": "A"})


@settings(max_examples=300, deadline=None)
@given(figure_sets(), st.sampled_from(["killed", "at-large"]))
def test_judge_matches_the_pairwise_judge(figures, metric):
    key = QuantityKey("E", metric, None)
    assert rec._judge(key, figures, REASONS) == judge_pairwise(key, figures, REASONS)


@settings(max_examples=300, deadline=None)
@given(figure_sets(max_size=14), st.booleans())
def test_worst_pair_matches_every_pair(figures, cumulative):
    assert judging._worst_pair(figures, cumulative) == judging._worst_pair_pairwise(figures, cumulative)


@settings(max_examples=200, deadline=None)
@given(figure_sets(max_size=12), st.sampled_from(["killed", "held"]))
def test_judge_matches_beyond_the_pairwise_limit(figures, metric):
    # A limit of 3 figures, so that the latest figure per source is what gets compared.
    key = QuantityKey("E", metric, None)
    saved, rec.PAIRWISE_LIMIT = rec.PAIRWISE_LIMIT, 3
    try:
        assert rec._judge(key, figures, REASONS) == judge_pairwise(key, figures, REASONS)
    finally:
        rec.PAIRWISE_LIMIT = saved


def test_ties_go_to_the_first_pair():
    zero, five = Quantity("0", 0, 0, "exact", 0), Quantity("5", 5, 5, "exact", 5)
    figures = [Figure(i, s, (), None, q, None, None) for i, (s, q) in enumerate(
        [("A", five), ("B", zero), ("C", five), ("D", zero)], start=1)]
    verdict, gap, i, j = judging._worst_pair(figures, True)
    assert (verdict, gap, i, j) == ("contradiction", 1.0, 0, 1)


def test_figures_that_are_not_counts_are_compared_pairwise():
    odd = [Figure(1, "A", (), None, Quantity("-3", -3, -3, "exact", -3), None, None),
           Figure(2, "B", (), None, Quantity("2", 2, 2, "exact", 2), None, None)]
    assert judging._worst_pair(odd, True) == judging._worst_pair_pairwise(odd, True)


# -- the reconciler as a whole -----------------------------------------------------

SOURCES = [Source(1, "Syrian Observatory for Human Rights", "ngo", aliases=("SOHR",)), Source(2, "Reuters", "media")]


def _claims(n):
    day = date(2022, 1, 20)
    out = []
    for i in range(1, n + 1):
        event = ["Ghweran prison attack", "Ghwayran prison attack", "Hasaka market bombing"][i % 3]
        metric = ["killed", "dead", "arrested", "at-large"][i % 4]
        value = ["45", "60", "all", "dozens", "more than 70", "none"][i % 6]
        if value == "all" and metric != "arrested":
            value = "12"
        out.append(Claim(
            id=i, event=event, metric=metric, value=parse_quantity(value, metric=metric),
            said_by=SOURCES[i % 2].name, group=[None, "ISIS fighters", "civilians"][i % 3 if i % 5 else 0],
            document_id=i % 4 or None, published=day, period=Period(None, day + timedelta(days=i % 5)),
            retracted=i % 17 == 0,
        ))
    return out


def test_reconcile_reads_an_iterator_once():
    claims = _claims(120)
    from_list = reconcile(claims, SOURCES)
    from_iterator = reconcile(iter(claims), SOURCES)
    assert from_list == from_iterator
    assert from_list.claims == sum(1 for c in claims if not c.retracted)
    assert {f.verdict for f in from_list.findings} >= {"contradiction", "revision"}


def test_reconcile_orders_ties_by_claim_id_whatever_the_input_order():
    claims = _claims(120)
    assert reconcile(list(reversed(claims)), SOURCES).findings == reconcile(claims, SOURCES).findings


# -- the name fold, word by word ----------------------------------------------------


def fold_whole_text(text):
    previous = None
    while text != previous:
        previous, text = text, normalisation._fold_once(text)
    return text


def clean_reference(text):
    if text.isascii():
        text = text.lower()
    else:
        text = normalisation._strip_marks(normalisation._strip_marks(text).casefold())
    text = text.translate(normalisation._TRANSLATE)
    text = normalisation._INITIAL_DOT.sub(r"\1", text)
    text = normalisation._SUN_ARTICLE.sub("", text)
    text = normalisation._NON_WORD.sub(" ", text.replace("-", " "))
    words = text.split()
    kept = [w for i, w in enumerate(words)
            if w not in normalisation.ARTICLES and not (w in normalisation.ARABIC_ARTICLES and i + 1 < len(words))]
    return " ".join(kept or words)


def normalise_reference(name, fold=True):
    text = name
    for _ in range(16):
        new = clean_reference(text)
        if fold:
            new = fold_whole_text(new)
        if new == text:
            break
        text = new
    return text


NAMEISH = st.text(alphabet=st.sampled_from(list("aehiklnoqrsuwyzAEGHKLQ -'._0123456789’éā\t")), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.one_of(NAMEISH, st.text(max_size=30)))
def test_normalise_matches_the_whole_text_fold(name):
    normalisation.normalise.cache_clear()
    assert normalisation.normalise(name) == normalise_reference(name)
    assert normalisation.normalise(name, fold=False) == normalise_reference(name, fold=False)
    assert normalisation.fold_transliteration(name) == fold_whole_text(name)


@settings(max_examples=300, deadline=None)
@given(NAMEISH)
def test_ascii_names_equal_up_to_case_and_spacing_have_the_same_forms(name):
    if name.isascii():
        assert forms._forms(name) == forms._forms(" ".join(name.lower().split()))


def test_word_pattern_is_what_clean_leaves_alone():
    assert re.fullmatch(normalisation._SIMPLE, "ghweran prison attack 2022")
    assert not re.fullmatch(normalisation._SIMPLE, "ghweran  prison")


# -- shares and names resolved elsewhere --------------------------------------------


def _many_claims(n):
    rng = random.Random(7)
    day = date(2022, 1, 20)
    events = ["Ghweran prison attack", "Ghwayran prison attack", "Raqqa stadium siege", "Idlib market bombing",
              "Homs shelling", "Manbij ambush", "Deir ez-Zor raid"]
    claims = []
    for i in range(1, n + 1):
        metric = rng.choice(["killed", "arrested", "at-large"])
        value = rng.choice(["45", "60", "dozens", "none", "12", "more than 40"] + (["all"] if metric == "arrested" else []))
        claims.append(Claim(
            id=i, event=rng.choice(events), metric=metric, value=parse_quantity(value, metric=metric),
            said_by=rng.choice(SOURCES).name, group=rng.choice([None, "civilians"]), document_id=rng.choice([None, 1, 2]),
            published=day, period=Period(None, day + timedelta(days=rng.randrange(4))),
        ))
    return claims


def test_shares_of_a_report_merge_into_the_whole_report():
    reconciler = rec.Reconciler(records.claim_rows(_many_claims(400)), SOURCES)
    whole = reconciler.report(include_agreement=True)
    shares = [reconciler.report(include_agreement=True, share=i, shares=2) for i in range(2)]
    assert all(share.findings for share in shares)
    assert list(heapq.merge(*(s.findings for s in shares), key=rec.finding_order)) == whole.findings
    assert sum(s.quantities for s in shares) == whole.quantities


def test_names_resolved_elsewhere_are_used_only_when_they_fit():
    claims = _many_claims(200)
    expected = reconcile(claims, SOURCES)
    names = grouping.resolve_names(Counter(c.event for c in claims), Counter(c.group for c in claims if c.group), SOURCES)
    assert rec.reconcile_rows(records.claim_rows(claims), SOURCES, names=lambda: names) == expected
    wrong = dataclasses.replace(names, events={}, counts=({"other": 1}, {}))
    assert rec.reconcile_rows(records.claim_rows(claims), SOURCES, names=wrong) == expected
    assert rec.reconcile_rows(records.claim_rows(claims), SOURCES, names=lambda: None) == expected


# -- neighbours: the order the clustering reads them in -----------------------------


def neighbours_reference(unresolved, centres):
    """The dict-of-dicts ``_neighbours`` it replaced: neighbours in the order first found."""
    is_unresolved = set(unresolved)
    by_initials, by_rest = defaultdict(list), defaultdict(list)
    for key in unresolved + centres:
        words = key.split()
        by_initials[tuple(sorted({counterparts._initial(w) for w in words}))].append(key)
        if len(words) >= 2:
            for i in range(len(words)):
                by_rest[tuple(words[:i] + words[i + 1:])].append(key)
    result = defaultdict(dict)
    for block in list(by_initials.values()) + list(by_rest.values()):
        rows = [k for k in block if k in is_unresolved]
        if not rows or len(block) < 2:
            continue
        cols = sorted(set(block))
        for ii, jj, scores in neighbours._block_pairs(rows, cols):
            for i, j, score in zip(ii.tolist(), jj.tolist(), scores.tolist()):
                a, b = rows[i], cols[j]
                if a != b:
                    result[a][b] = score
                    if b in is_unresolved:
                        result[b][a] = score
    return result


SYLLABLES = ["ba", "bi", "ka", "ki", "ra", "ri", "sa", "su", "ha", "hu", "ta"]
KEYS = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=3).map("".join)
KEY_WORDS = st.lists(st.one_of(KEYS, st.sampled_from(["raid", "raids", "attack", "attak", "2015", "2016"])),
                     min_size=1, max_size=4).map(lambda words: " ".join(sorted(words)))


@settings(max_examples=60, deadline=None)
@given(st.lists(KEY_WORDS, min_size=2, max_size=40, unique=True), st.lists(KEY_WORDS, max_size=4, unique=True))
def test_neighbours_are_found_in_the_same_order(unresolved, centres):
    unresolved = sorted(unresolved)
    centres = sorted(set(centres) - set(unresolved))
    expected = neighbours_reference(unresolved, centres)
    near = neighbours._neighbours(unresolved, centres)
    got = defaultdict(dict)
    for k, o, s in zip(near.key.tolist(), near.other.tolist(), near.score.tolist()):
        got[near.keys[k]][near.keys[o]] = s
    assert got == expected
    index = {k: i for i, k in enumerate(near.keys)}
    for key, others in expected.items():
        found = [near.found(index[key], index[o]) for o in others]
        assert found == sorted(found)  # the reference's dict order is the order first found
