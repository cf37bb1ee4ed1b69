"""Whether new use counts leave a clustering as it was: ``same_clusters``.

``cluster`` reads how often each name is used in two places only: the order in
which match keys look for a home (heaviest first, then by key) and the spelling
that names a new cluster (its commonest). A report after one new claim changes
a few counts, and clustering a hundred thousand names again costs seconds, so
the kept clustering is reused when neither can have changed anything:

- the commonest spelling of every key whose counts changed is the same;
- no two keys that ``cluster`` compares (any pair scoring at least
  ``POSSIBLE_THRESHOLD``; ``_neighbours`` compares fewer, within blocks) have
  swapped places in the order. A key's decision reads only the decisions of
  the keys it is compared with that came before it, so keys that never meet
  may pass one another freely.

Conservative: when in doubt it says no, and the caller clusters again. Pure:
plain mappings in, a bool out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from ledger.names.thresholds import POSSIBLE_THRESHOLD, _scorer

# Past this many keys whose counts changed, clustering again is as cheap as checking each.
MOVED_AT_MOST = 64


def same_clusters(old: Mapping[str, int], new: Mapping[str, int], keys: Mapping[str, str]) -> bool:
    """Whether ``cluster(new)`` gives what ``cluster(old)`` gave, both counting the same distinct names.

    ``keys``: each name clustered by match key, with its key (``cluster``'s ``grouped_keys``, filled
    when ``old`` was clustered); the other names resolved without their counts.
    """
    if old.keys() != new.keys():
        return False
    moved = {keys[name] for name, count in new.items() if old[name] != count and name in keys}
    if not moved:
        return True
    if len(moved) > MOVED_AT_MOST:
        return False
    old_weight: dict[str, int] = defaultdict(int)
    new_weight: dict[str, int] = defaultdict(int)
    members: dict[str, list[str]] = defaultdict(list)
    for name, key in keys.items():
        old_weight[key] += old[name]
        new_weight[key] += new[name]
        if key in moved:
            members[key].append(name)
    for key in moved:
        if min(members[key], key=lambda n: (-old[n], n)) != min(members[key], key=lambda n: (-new[n], n)):
            return False  # another spelling is now the commonest: a new cluster would be named otherwise
    every = list(old_weight)
    before = [(-old_weight[k], k) for k in every]
    after = [(-new_weight[k], k) for k in every]
    for key in moved:
        if old_weight[key] == new_weight[key]:
            continue  # it stays where it was; keys that passed it are checked from their side
        was, now = (-old_weight[key], key), (-new_weight[key], key)
        passed = [k for k, b, a in zip(every, before, after) if k != key and (b < was) != (a < now)]
        if passed and _any_compared(key, passed):
            return False
    return True


def _any_compared(key: str, others: list[str]) -> bool:
    """Whether ``key`` scores at least POSSIBLE_THRESHOLD against any of ``others``, as ``_neighbours`` scores."""
    import numpy as np
    from rapidfuzz import process

    scores = process.cdist([key], others, scorer=_scorer(), score_cutoff=POSSIBLE_THRESHOLD, dtype=np.float32, workers=1)
    return bool((scores >= POSSIBLE_THRESHOLD).any())
