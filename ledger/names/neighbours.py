"""Blocked, vectorised scoring of match keys: which keys are near which (``_neighbours``).

Never a full N x N matrix: keys are compared only within blocks (same word
initials, or the same words but one), by rapidfuzz's cdist in chunks of at
most ``CDIST_BLOCK_CELLS`` cells. ``_Near`` holds the pairs found as numpy
arrays, and remembers the order the blocks found them in, for ties.
"""

from __future__ import annotations

from collections import defaultdict

from ledger.names.counterparts import _initial
from ledger.names.thresholds import CDIST_BLOCK_CELLS, POSSIBLE_THRESHOLD, _scorer


def _block_pairs(rows: list[str], cols: list[str]):
    """Per chunk of rows: arrays (row indices, col indices, scores) of pairs >= POSSIBLE_THRESHOLD.

    cdist in row chunks of at most CDIST_BLOCK_CELLS cells, so memory stays
    bounded whatever the number of names. Pairs come row by row.
    """
    import numpy as np
    from rapidfuzz import process

    scorer = _scorer()
    step = max(1, CDIST_BLOCK_CELLS // max(1, len(cols)))
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        # Threads pay off on big blocks only; most blocks are small.
        workers = -1 if len(chunk) * len(cols) >= 1_000_000 else 1
        matrix = process.cdist(
            chunk, cols, scorer=scorer, score_cutoff=POSSIBLE_THRESHOLD, dtype=np.float32, workers=workers
        )
        ii, jj = np.nonzero(matrix >= POSSIBLE_THRESHOLD)
        values = np.round(matrix[ii, jj].astype(np.float64), 2)
        yield ii + start, jj, values


class _Near:
    """Every scored pair of keys, as arrays: key, other key (indices into ``keys``) and score.

    A pair may be listed more than once (blocks overlap); its score is the same
    each time. ``found`` tells which of two pairs the blocks yielded first, for
    ties: the order in which the clustering reads a key's neighbours.
    """

    def __init__(self, keys, key, other, score, blocks, key_blocks):
        self.keys: list[str] = keys  # the unresolved keys, then the known centres
        self.key, self.other, self.score = key, other, score  # numpy arrays
        self._blocks = blocks  # per block compared: (row position, column position) of its keys
        self._key_blocks = key_blocks  # key → the blocks compared that hold it, in order

    def found(self, key: int, other: int) -> tuple:
        """When the blocks first yielded ``other`` as a neighbour of ``key``: (block, row, column, side)."""
        first = None
        others = set(self._key_blocks[other])
        for b in self._key_blocks[key]:
            if b not in others:
                continue
            rows, cols = self._blocks[b]
            # yielded on the key's row, or (right after) on the other key's row
            for when in ((b, rows[key], cols[other], 0) if key in rows else None,
                         (b, rows[other], cols[key], 1) if other in rows else None):
                if when is not None and (first is None or when < first):
                    first = when
        return first


def _neighbours(unresolved: list[str], centres: list[str]) -> _Near:
    """Scores >= POSSIBLE_THRESHOLD from each unresolved key to other keys.

    Never a full N x N matrix. Two blockings, whose union is compared:

    * by the set of word initials (up to INITIAL_CLASSES): lossless for merges,
      since a merge needs every word to have a counterpart with the same initial;
    * by the name with one word left out: finds the possible matches that
      differ in one whole word ("Hasakah/Raqqa prison attack").
    """
    import numpy as np

    keys = unresolved + centres
    ident = {k: i for i, k in enumerate(keys)}
    n_unresolved = len(unresolved)
    by_initials: dict[tuple[str, ...], list[str]] = defaultdict(list)
    by_rest: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key in keys:
        words = key.split()
        by_initials[tuple(sorted({_initial(w) for w in words}))].append(key)
        if len(words) >= 2:
            for i in range(len(words)):
                by_rest[tuple(words[:i] + words[i + 1 :])].append(key)
    found: list[tuple] = []
    blocks: list[tuple[dict[int, int], dict[int, int]]] = []
    key_blocks: dict[int, list[int]] = defaultdict(list)
    for block in list(by_initials.values()) + list(by_rest.values()):
        if len(block) < 2:
            continue
        rows = [k for k in block if ident[k] < n_unresolved]
        if not rows:
            continue
        cols = sorted(set(block))
        row_ids = np.array([ident[k] for k in rows], dtype=np.int64)
        col_ids = np.array([ident[k] for k in cols], dtype=np.int64)
        row_position: dict[int, int] = {}
        for i, k in enumerate(row_ids.tolist()):
            row_position.setdefault(k, i)
        col_position = {k: j for j, k in enumerate(col_ids.tolist())}
        for k in col_position:
            key_blocks[k].append(len(blocks))
        blocks.append((row_position, col_position))
        for ii, jj, values in _block_pairs(rows, cols):
            # A pair is a neighbour of its row key and, when that is unresolved too, of its
            # column key; but then the column key is a row of this block as well, and
            # scores are symmetric: the pair is listed from that row.
            a, b = row_ids[ii], col_ids[jj]
            differ = a != b
            found.append((a[differ], b[differ], values[differ]))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return _Near(keys, empty, empty, np.zeros(0, dtype=np.float64), blocks, key_blocks)
    key, other, score = (np.concatenate(column) for column in zip(*found))
    return _Near(keys, key, other, score, blocks, key_blocks)
