"""Clustering every observed name at once: ``cluster`` and ``possible_matches``.

``cluster`` maps every distinct name observed on claims to a canonical name in
one pass (the reconciler's entry point): ``NameIndex`` lookups first, then
match keys, then greedy leader clustering over the blocked scores of
``_neighbours``; weak matches are kept as "possible" candidates, never merged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from ledger.names.counterparts import _unmatched_word
from ledger.names.forms import _Forms, _forms
from ledger.names.index import NameIndex
from ledger.names.neighbours import _Near, _neighbours
from ledger.names.records import Candidate, Resolution
from ledger.names.thresholds import CANDIDATE_LIMIT, MERGE_THRESHOLD


def cluster(
    names: Iterable[str],
    aliases: Mapping[str, str] = MappingProxyType({}),
    known: Iterable[str] = (),
    canonical_only: bool = False,
    grouped: dict[str, tuple[str, str]] | None = None,
) -> dict[str, Resolution]:
    """Map every distinct name in ``names`` to a canonical name.

    ``names`` may repeat (one entry per claim): each distinct name is resolved
    once, and repeats count towards picking a cluster's spelling. A name goes,
    in order of preference, to

    1. a known name or alias target by exact, alias, normalised or acronym
       match (``NameIndex`` lookups, no fuzzy scoring);
    2. the cluster of its match key (equal after normalisation and word
       sorting: status "normalised");
    3. by fuzzy match (>= MERGE_THRESHOLD, every word matched) to a known name,
       else to an earlier cluster: clusters are taken in order of total
       occurrences, and each joins the best existing cluster *centre*, never a
       mere member, so similarity does not chain;
    4. else it starts a cluster, named by the most common spelling of its key
       (ties: the first in sorted order).

    The canonical of a name never merged is the name itself (status "exact").
    Weak matches are not merged: they are listed in ``Resolution.candidates``
    with reasons starting "possible" (see ``possible_matches``). The output
    does not depend on input order.

    ``canonical_only`` leaves the weak matches out (no candidates, no
    "possible" status): the canonical names are the same, for a caller that
    only files names (a listing's quantities), at a third less of the work.

    ``grouped``, if given, is filled with (match key, canonical name before any
    ruling) of each name clustered by key (steps 2 to 4): the only names whose
    counts matter, which ``names.recount.same_clusters`` needs to tell whether
    new counts change anything.

    Long because it runs the steps above in order over tables they share; the
    scoring is ``_neighbours``'s and the possible matches ``_possible_candidates``'s.
    """
    counts = Counter(names)
    index = NameIndex(known, aliases)
    result: dict[str, Resolution] = {}
    groups: dict[str, list[str]] = defaultdict(list)  # match key -> unresolved names
    centre_owner: dict[str, set[int]] = defaultdict(set)  # key -> known owners
    for s in index._surfaces:
        if s.forms.key:
            centre_owner[s.forms.key].add(s.owner)
    forms_of: dict[str, _Forms] = {}
    for name in sorted(counts):
        # ASCII names equal up to case and spacing have the same forms: compute them once.
        flat = " ".join(name.lower().split()) if name.isascii() else name
        forms = forms_of.get(flat)
        if forms is None:
            forms = forms_of[flat] = _forms(name)
        hit = index._lookup(name, forms)
        if hit is not None and len(hit[1]) == 1:
            status, (owner,) = hit
            result[name] = Resolution(name, index._names[owner], status, 100.0)
            if forms.key:
                centre_owner[forms.key].add(owner)
        elif hit is not None:
            tied = sorted(hit[1], key=index._rank.__getitem__)
            reason = f"possible: ambiguous {hit[0]} match"
            result[name] = Resolution(
                name, name, "exact", 100.0, tuple(Candidate(index._names[o], 100.0, reason) for o in tied)
            )
        elif not forms.key:
            result[name] = Resolution(name, name, "exact", 100.0)
        else:
            groups[forms.key].append(name)

    centres = {k: next(iter(o)) for k, o in centre_owner.items() if len(o) == 1 and k not in groups}
    weight = {k: sum(counts[n] for n in ns) for k, ns in groups.items()}
    order = sorted(groups, key=lambda k: (-weight[k], k))
    near = _neighbours(sorted(groups), sorted(centres))
    strong = _strong_neighbours(near)

    # greedy leader clustering: cluster_of[key] = (canonical, centre key, score)
    cluster_of: dict[str, tuple[str, str, float]] = {}
    for key in order:
        best_known: tuple[float, str] | None = None
        best_new: tuple[float, str] | None = None
        # best score first, then the lexically first key: deterministic
        for other, score in strong.get(key, ()):
            if other in centres:
                if best_known is None and _unmatched_word(key, other) is None:
                    best_known = (score, other)
                    break  # a known name is preferred to any new cluster
            elif best_new is None and other in cluster_of and cluster_of[other][1] == other:
                if _unmatched_word(key, other) is None:
                    best_new = (score, other)
        if best_known is not None:
            score, other = best_known
            cluster_of[key] = (index._names[centres[other]], other, score)
        elif best_new is not None:
            score, other = best_new
            cluster_of[key] = (cluster_of[other][0], other, score)
        else:
            spelling = min(groups[key], key=lambda n: (-counts[n], n))
            cluster_of[key] = (spelling, key, 100.0)

    canonical_of = {k: index._names[o] for k, o in centres.items()}
    canonical_of.update((k, v[0]) for k, v in cluster_of.items())
    possible = {} if canonical_only else _possible_candidates(near, order, canonical_of)
    for key, members in groups.items():
        canonical, centre, score = cluster_of[key]
        if grouped is not None:
            grouped.update((name, (key, canonical)) for name in members)
        candidates = tuple(
            Candidate(n, s, _possible_reason(key, other)) for n, s, other in possible.get(key, ())
        )
        for name in members:
            if name == canonical and candidates:
                result[name] = Resolution(name, canonical, "possible", candidates[0].score, candidates)
            elif name == canonical:
                result[name] = Resolution(name, canonical, "exact", 100.0)
            elif centre == key:
                result[name] = Resolution(name, canonical, "normalised", 100.0, candidates)
            else:
                result[name] = Resolution(name, canonical, "fuzzy", score, candidates)
    return {name: result[name] for name in sorted(result)}


def _strong_neighbours(near: _Near) -> dict[str, list[tuple[str, float]]]:
    """Per key, the other keys scoring >= MERGE_THRESHOLD: best score first, then the lexically first key."""
    import numpy as np

    keys = near.keys
    rank = np.empty(len(keys), dtype=np.int64)
    rank[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
    strong = near.score >= MERGE_THRESHOLD
    key, other, score = near.key[strong], near.other[strong], near.score[strong]
    ranked = np.lexsort((rank[other], -score, key))
    key, other, score = key[ranked], other[ranked], score[ranked]
    once = np.ones(len(key), dtype=bool)
    once[1:] = (key[1:] != key[:-1]) | (other[1:] != other[:-1])
    out: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for k, o, s in zip(key[once].tolist(), other[once].tolist(), score[once].tolist()):
        out[keys[k]].append((keys[o], s))
    return out


def _possible_candidates(near: _Near, order: list[str], canonical_of: Mapping[str, str]):
    """Per key, up to CANDIDATE_LIMIT other canonical names it possibly matches: (name, score, via key).

    Possible matches are recorded once per pair, on the side that looked for a
    home later (a known name is always earlier): the smaller cluster. For each
    other canonical name the best-scoring neighbour counts, the first found on
    a tie; the names are ranked best score first, then alphabetically.
    """
    import numpy as np

    keys = near.keys
    position = {k: i for i, k in enumerate(order)}
    place = np.array([position.get(k, -1) for k in keys], dtype=np.int64)
    names = sorted(set(canonical_of.values()))
    name_id = {n: i for i, n in enumerate(names)}
    canonical = np.array([name_id[canonical_of[k]] for k in keys], dtype=np.int64)
    key, other, score = near.key, near.other, near.score
    keep = (place[other] <= place[key]) & (canonical[other] != canonical[key])
    key, other, score = key[keep], other[keep], score[keep]
    if not len(key):
        return {}
    # the best score per (key, canonical name), and the neighbours reaching it
    group = key * len(names) + canonical[other]
    by_group = np.argsort(group)
    group, key, other, score = group[by_group], key[by_group], other[by_group], score[by_group]
    first = np.ones(len(group), dtype=bool)
    first[1:] = group[1:] != group[:-1]
    starts = np.flatnonzero(first)
    best = np.maximum.reduceat(score, starts)
    at_best = score == np.repeat(best, np.diff(np.append(starts, len(group))))
    lowest = np.minimum.reduceat(np.where(at_best, other, len(keys)), starts)
    highest = np.maximum.reduceat(np.where(at_best, other, -1), starts)
    via = lowest
    for run in np.flatnonzero(lowest != highest).tolist():  # neighbours tie: the first found counts
        start = starts[run]
        end = starts[run + 1] if run + 1 < len(starts) else len(group)
        k = int(key[start])
        reaching = sorted(set(other[start:end][at_best[start:end]].tolist()))
        via[run] = min(reaching, key=lambda o: near.found(k, o))
    score = best
    key, name = key[starts], canonical[via]
    # ranked per key: best score first, then the canonical name; the first CANDIDATE_LIMIT
    ranked = np.lexsort((name, -score, key))
    key, score, via = key[ranked], score[ranked], via[ranked]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    rank = np.arange(len(key)) - np.repeat(starts, np.diff(np.append(starts, len(key))))
    top = rank < CANDIDATE_LIMIT
    out: dict[str, list[tuple[str, float, str]]] = {}
    for k, o, s in zip(key[top].tolist(), via[top].tolist(), score[top].tolist()):
        out.setdefault(keys[k], []).append((canonical_of[keys[o]], s, keys[o]))
    return out


def _possible_reason(key: str, other: str) -> str:
    word = _unmatched_word(key, other)
    return f"possible: no counterpart for '{word}'" if word else "possible"


def possible_matches(result: Mapping[str, Resolution]) -> list[tuple[str, str, float]]:
    """Pairs of canonical names that may be the same but were not merged.

    One (name, name, best score) per unordered pair, the pair in sorted order;
    listed best score first. Works on ``cluster`` output and on any
    Resolutions whose candidates carry "possible" reasons.
    """
    pairs: dict[tuple[str, str], float] = {}
    for name, res in result.items():
        mine = res.canonical if res.canonical is not None else name
        for c in res.candidates:
            if not c.reason.startswith("possible") or c.name == mine:
                continue
            pair = (min(mine, c.name), max(mine, c.name))
            pairs[pair] = max(pairs.get(pair, 0.0), c.score)
    return sorted(((a, b, s) for (a, b), s in pairs.items()), key=lambda t: (-t[2], t[0], t[1]))
