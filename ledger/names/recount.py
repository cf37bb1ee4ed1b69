"""Whether new use counts leave a clustering as it was: ``same_clusters``.

``cluster`` reads how often each name is used in two places only: the order in
which match keys look for a home (heaviest first, then by key) and the spelling
that names a new cluster (its commonest). A report after one new claim changes
a few counts, and clustering a hundred thousand names again costs seconds, so
the kept clustering is reused when neither can have changed anything but which
near miss a name's note names (``note_changes`` gives those):

- the commonest spelling of every key whose counts changed is the same;
- no two mergeable keys of one cluster have swapped places in the order (the
  earlier may lead the cluster: a key's decision reads the decisions of the
  mergeable keys before it);
- where two keys of different clusters that ``cluster`` compares swapped
  places, the near miss between them moves from one's list to the other's:
  the first near miss of each (the one a note names) is found again.

Keys are compared (``_neighbours``) when they share a block (the same word
initials, or the same words but one) and score at least ``POSSIBLE_THRESHOLD``;
keys that are never compared pass one another freely.

Conservative: when in doubt it says so, and the caller clusters again. Pure:
plain mappings in and out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from ledger.names.counterparts import _initial
from ledger.names.thresholds import MERGE_THRESHOLD, POSSIBLE_THRESHOLD, _scorer

# Past this many keys whose counts changed, clustering again is as cheap as checking each.
MOVED_AT_MOST = 64


def same_clusters(old: Mapping[str, int], new: Mapping[str, int], grouped: Mapping[str, tuple[str, str]]) -> bool:
    """Whether ``cluster(new)`` gives what ``cluster(old)`` gave, both counting the same distinct names.

    ``grouped``: each name clustered by match key → (its key, its cluster's canonical name), as ``cluster``
    filled it when ``old`` was clustered; the other names were resolved without their counts.
    """
    return note_changes(old, new, grouped) == {}


def note_changes(old: Mapping[str, int], new: Mapping[str, int],
                 grouped: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, float] | None] | None:
    """What ``cluster(new)`` gives otherwise than ``cluster(old)``: {canonical name: its first near miss (name,
    score), or None for none}, for the names whose first near miss (the one a note names) changed; every name
    resolves as before. None when more may differ: the names must be clustered again.

    Exact where no known name (``cluster``'s ``known``, aliases) is a near miss; where one is, a change found
    is only a sign that something changed (``grouping.recounted`` then clusters again).
    """
    if old.keys() != new.keys():
        return None
    moved = {grouped[name][0] for name, count in new.items() if old[name] != count and name in grouped}
    if not moved:
        return {}
    if len(moved) > MOVED_AT_MOST:
        return None
    old_weight: dict[str, int] = defaultdict(int)
    new_weight: dict[str, int] = defaultdict(int)
    members: dict[str, list[str]] = defaultdict(list)
    canonical: dict[str, str] = {}
    for name, (key, named) in grouped.items():
        old_weight[key] += old[name]
        new_weight[key] += new[name]
        canonical[key] = named
        if key in moved:
            members[key].append(name)
    for key in moved:
        if min(members[key], key=lambda n: (-old[n], n)) != min(members[key], key=lambda n: (-new[n], n)):
            return None  # another spelling is now the commonest: a new cluster would be named otherwise
    every = list(old_weight)
    before = {k: (-old_weight[k], k) for k in every}
    after = {k: (-new_weight[k], k) for k in every}
    named = {key for name, (key, named) in grouped.items() if name == named}  # keys whose near misses make notes
    blocks = _BlockIndex(every)
    sides: set[str] = set()
    for key in moved:
        if old_weight[key] == new_weight[key]:
            continue  # it stays where it was; keys that passed it are checked from their side
        passed = [k for k in every if k != key and (before[k] < before[key]) != (after[k] < after[key])]
        for other, score in blocks.compared(key, passed):
            if canonical[other] == canonical[key]:
                if score >= MERGE_THRESHOLD - 0.01:
                    return None  # one cluster, and the earlier of two mergeable keys may lead it
                continue  # one cluster, never merged with each other: no near miss between them either
            sides.update(side for side in (key, other) if side in named)  # the near miss moves to the other's side
    changes: dict[str, tuple[str, float] | None] = {}
    for side in sorted(sides):
        was, now = blocks.nearest(side, before, canonical), blocks.nearest(side, after, canonical)
        if was != now:
            changes[canonical[side]] = None if now is None else (now[1], -now[0])
    return changes


class _BlockIndex:
    """The keys as ``_neighbours`` blocks them, to find which keys ``cluster`` compares with one key."""

    def __init__(self, keys: list[str]):
        self._by_initials: dict[tuple, list[str]] = defaultdict(list)
        self._by_rest: dict[tuple, list[str]] = defaultdict(list)
        for key in keys:
            initials, rests = _blocks(key)
            self._by_initials[initials].append(key)
            for rest in rests:
                self._by_rest[rest].append(key)

    def _mates(self, key: str) -> set[str]:
        """The keys in a block with ``key`` (itself included)."""
        initials, rests = _blocks(key)
        return set(self._by_initials[initials]).union(*(self._by_rest[r] for r in rests))

    def compared(self, key: str, among: list[str]) -> list[tuple[str, float]]:
        """The keys of ``among`` that share a block with ``key`` and score at least POSSIBLE_THRESHOLD, with scores."""
        mates = self._mates(key)
        return _scored(key, [k for k in among if k in mates])

    def nearest(self, key: str, order: Mapping[str, tuple], canonical: Mapping[str, str]):
        """The near miss ``cluster`` names first for ``key`` in ``order``: of the other clusters' keys compared with
        it and earlier, the best (score, then canonical name). Known names are always earlier, so they are left out:
        the same first either way unless the rest differ."""
        earlier = [k for k in self._mates(key) if k != key and order[k] < order[key] and canonical[k] != canonical[key]]
        return min(((-score, canonical[k]) for k, score in _scored(key, earlier)), default=None)


def _scored(key: str, others: list[str]) -> list[tuple[str, float]]:
    """(other, score) for each of ``others`` scoring at least POSSIBLE_THRESHOLD, scored as ``_neighbours`` scores."""
    import numpy as np
    from rapidfuzz import process

    if not others:
        return []
    scores = process.cdist([key], others, scorer=_scorer(), score_cutoff=POSSIBLE_THRESHOLD, dtype=np.float32, workers=1)[0]
    found = np.flatnonzero(scores >= POSSIBLE_THRESHOLD)
    rounded = np.round(scores[found].astype(np.float64), 2)
    return [(others[i], s) for i, s in zip(found.tolist(), rounded.tolist())]


def _blocks(key: str) -> tuple[tuple[str, ...], set[tuple[str, ...]]]:
    """The blocks ``_neighbours`` puts a key in: its word initials, and its words but one (two words or more)."""
    words = key.split()
    rests = {tuple(words[:i] + words[i + 1:]) for i in range(len(words))} if len(words) >= 2 else set()
    return tuple(sorted({_initial(w) for w in words})), rests
