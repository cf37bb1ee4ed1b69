"""Comparing figures: one pair's verdict and gap, and the fast search for a quantity's worst pair."""

from __future__ import annotations

from collections.abc import Sequence

from ledger.figures import Quantity
from ledger.reconcile.records import _RANK, VERDICTS, Figure, later


def _rep(q: Quantity) -> float:
    if q.best is not None:
        return q.best
    if q.high is None:
        return q.low
    return (q.low + q.high) / 2


def _gap(a: Quantity, b: Quantity) -> float:
    """How far apart two figures are, relative to their size (0 = same)."""
    if not a.overlaps(b):
        lower, upper = (a, b) if a.low < b.low else (b, a)
        return (upper.low - lower.high) / max(upper.low, 1)
    ra, rb = _rep(a), _rep(b)
    return abs(ra - rb) / max(ra, rb, 1)


def _same(a: Quantity, b: Quantity) -> bool:
    return (a.low, a.high) == (b.low, b.high)


def _envelope(figures: Sequence[Figure]) -> tuple[int, int | None]:
    low = min(f.value.low for f in figures)
    high = None if any(f.value.high is None for f in figures) else max(f.value.high for f in figures)
    return (low, high)


def _ordered(a: Figure, b: Figure) -> tuple[Figure, Figure] | None:
    a_later = later(a, b)
    if a_later is None:
        return None
    return (b, a) if a_later else (a, b)


_LOOSE_KINDS = frozenset({"approximate", "vague"})


def _loose(q: Quantity) -> tuple[int, int | None]:
    """The bounds a careful coder reads into loose words before calling a clash a contradiction: "about 70"
    (63–77) is not contradicted by 78, nor "nearly 100" by 101, nor "a few" by 6. An approximate or vague
    figure's interval stretches by a tenth of each bound (at least 1); a firm figure's stays as it is."""
    if q.kind not in _LOOSE_KINDS:
        return q.low, q.high
    low = max(0, q.low - max(1, q.low // 10)) if q.low >= 0 else q.low
    return low, None if q.high is None else q.high + max(1, -(-q.high // 10))


def _contradiction_gap(lower_high: int, upper_low: int) -> float:
    return (upper_low - lower_high) / max(upper_low, 1)


def _classify(a: Figure, b: Figure, cumulative: bool) -> tuple[str, float]:
    """The verdict on one pair of figures, and its gap. A contradiction is judged on the loose bounds
    (``_loose``), and its gap is how far the figures stay apart even so."""
    order = _ordered(a, b) if cumulative else None
    (low_a, high_a), (low_b, high_b) = _loose(a.value), _loose(b.value)
    if order is not None:
        earlier, later = order
        (low_e, _), (_, high_l) = ((low_a, high_a), (low_b, high_b)) if earlier is a else ((low_b, high_b), (low_a, high_a))
        # A cumulative count cannot fall: the later figure must allow at least the earlier's minimum.
        if high_l is not None and high_l < low_e:
            return "contradiction", _contradiction_gap(high_l, low_e)
        if later.value.low < earlier.value.low and earlier.value.kind == "exact":
            return "divergence", _gap(earlier.value, later.value)
    elif high_a is not None and high_a < low_b:
        return "contradiction", _contradiction_gap(high_a, low_b)
    elif high_b is not None and high_b < low_a:
        return "contradiction", _contradiction_gap(high_b, low_a)
    if _same(a.value, b.value):
        return "agreement", 0.0
    return "divergence", _gap(a.value, b.value)


def _worst_pair_pairwise(figures: Sequence[Figure], cumulative: bool) -> tuple[str, float, int, int] | None:
    """Every pair from different sources through ``_classify``: the first worst one (the definition)."""
    worst: tuple[int, float, int, int] | None = None
    for i, a in enumerate(figures):
        for j in range(i + 1, len(figures)):
            b = figures[j]
            if a.said_by == b.said_by:
                continue
            verdict, gap = _classify(a, b, cumulative)
            candidate = (_RANK[verdict], -gap, i, j)
            if worst is None or candidate[:2] < worst[:2]:
                worst = candidate
    return None if worst is None else (VERDICTS[worst[0]], -worst[1], worst[2], worst[3])


# Up to this many figures, comparing every pair is quicker than sorting.
_FEW = 3


def _worst_pair(figures: Sequence[Figure], cumulative: bool, values=None, lows=None, highs=None,
                ) -> tuple[str, float, int, int] | None:
    """The same answer as ``_worst_pair_pairwise``: verdict, gap and positions i < j of the worst pair.

    Of the pairs from different sources, the worst is the one with the worst
    verdict, then the biggest gap, then the first in list order. A pair is a
    contradiction when one figure's low U exceeds the other's high L, unless
    both are dated cumulative counts and the higher is the later one (growth).
    Its gap (U − L) / U grows with U, so each figure's worst contradiction is
    with the highest low it may be compared with from another source: a sweep
    in date order keeps the two highest lows of different sources. Only the
    figures that reach the worst gap are then paired up to find the first pair.
    Without contradictions, divergences and agreements are compared pairwise.
    Long because the sweep is one hot loop over parallel lists (a million
    claims pass through it): its steps share the loop's local variables.
    """
    k = len(figures)
    if k <= _FEW:
        return _worst_pair_pairwise(figures, cumulative)
    if values is None:
        values = [f.value for f in figures]
        lows = [q.low for q in values]
        highs = [q.high for q in values]
    if min(lows) < 0:
        return _worst_pair_pairwise(figures, cumulative)  # not counts: the sweep's arithmetic does not hold
    true_lows, true_highs = lows, highs  # divergences are measured on these; contradictions on the loose bounds
    if any(q.kind in _LOOSE_KINDS for q in values):
        loose = [_loose(q) for q in values]
        lows, highs = [b[0] for b in loose], [b[1] for b in loose]
    sources = [f.said_by for f in figures]
    dates: list = [f.as_of for f in figures] if cumulative else []
    if cumulative and None not in dates:
        order = sorted(range(k), key=dates.__getitem__)
        if dates[order[0]] == dates[order[-1]]:
            dates = []  # one date: no pair is ordered in time
    elif cumulative:
        order = sorted((i for i in range(k) if dates[i] is not None), key=dates.__getitem__)
        if not order or dates[order[0]] == dates[order[-1]]:
            dates = []
    if not dates:
        dates, order = [None] * k, []

    # The highest low each figure may be compared with, from another source. An
    # undated figure meets every other; a dated one the undated and those up to its date.
    # (top, its source, top of any other source), over the figures seen so far:
    top, top_source, second = -1, None, -1
    upper = [-1] * k

    def admit(i: int) -> None:
        nonlocal top, top_source, second
        low, source = lows[i], sources[i]
        if low > top:
            if source != top_source:
                second = top
            top, top_source = low, source
        elif source != top_source and low > second:
            second = low

    if len(order) < k:
        for i in range(k):
            if dates[i] is None:
                admit(i)
    if order:
        day, waiting = dates[order[0]], []
        for i in order:
            if dates[i] != day:  # every figure up to the day before is in: settle that day's
                for w in waiting:
                    upper[w] = top if sources[w] != top_source else second
                day, waiting = dates[i], []
            waiting.append(i)
            admit(i)
        for w in waiting:
            upper[w] = top if sources[w] != top_source else second
    if len(order) < k:
        for i in range(k):
            if dates[i] is None:
                upper[i] = top if sources[i] != top_source else second

    worst_gap = -1.0
    lower: list[int] = []
    for i in range(k):
        high, up = highs[i], upper[i]
        if high is not None and high < lows[i]:
            return _worst_pair_pairwise(figures, cumulative)  # an empty interval: not a count either
        if high is not None and up > high:
            gap = (up - high) / max(up, 1)
            if gap > worst_gap:
                worst_gap, lower = gap, [i]
            elif gap == worst_gap:
                lower.append(i)
    if not lower:
        return _worst_compatible_pair(values, true_lows, true_highs, sources)
    pair = None
    for i in lower:
        high, source, day = highs[i], sources[i], dates[i]
        for j in range(k):
            low = lows[j]
            if low <= high or sources[j] == source:
                continue
            if day is not None and dates[j] is not None and day < dates[j]:
                continue  # the higher figure is the later one: growth, not a contradiction
            if (low - high) / max(low, 1) == worst_gap:
                candidate = (i, j) if i < j else (j, i)
                if pair is None or candidate < pair:
                    pair = candidate
    return ("contradiction", worst_gap, *pair)


def _worst_compatible_pair(values, lows, highs, sources) -> tuple[str, float, int, int] | None:
    """``_worst_pair`` when no pair contradicts: the biggest divergence, else the first agreement."""
    reps = [_rep(q) for q in values]
    worst: tuple[float, int, int] | None = None
    agreement: tuple[int, int] | None = None
    k = len(values)
    for i in range(k):
        source, low, high, rep = sources[i], lows[i], highs[i], reps[i]
        for j in range(i + 1, k):
            if sources[j] == source:
                continue
            low_j, high_j = lows[j], highs[j]
            if low == low_j and high == high_j:
                if agreement is None:
                    agreement = (i, j)
                continue
            # No pair contradicts, so intervals that do not overlap are growth over time.
            if high is not None and low_j > high:
                gap = (low_j - high) / max(low_j, 1)
            elif high_j is not None and low > high_j:
                gap = (low - high_j) / max(low, 1)
            else:
                rep_j = reps[j]
                gap = abs(rep - rep_j) / max(rep, rep_j, 1)
            if worst is None or gap > worst[0]:
                worst = (gap, i, j)
    if worst is not None:
        return ("divergence", *worst)
    if agreement is not None:
        return ("agreement", 0.0, *agreement)
    return None
