"""The scorer and every tunable threshold of name resolution, in one place.

The rest of the package reads them from here: ``SCORER`` picks the rapidfuzz
function (``_scorer`` fetches it, importing rapidfuzz only when first called);
the thresholds decide merges, possible matches, word counterparts and hints;
``CDIST_BLOCK_CELLS`` bounds the memory of a clustering.
"""

from __future__ import annotations

# rapidfuzz.fuzz.ratio (normalised Indel similarity, 0-100) applied to *match
# keys*, whose words are already sorted: that is exactly token_sort_ratio, but
# computed once per key instead of re-sorting inside every comparison of a
# cdist. Word order varies in event names ("attack on X prison" / "X prison
# attack"), so the order must not count. WRatio and token_set_ratio are not used
# on purpose: their partial/subset matching scores "ISIS" against "ISIS
# prisoners", or "prison attack" against any other prison attack, near 100.
SCORER = "ratio"

# Merge ("fuzzy") at or above this score, and only if every word has a close
# counterpart (TOKEN_THRESHOLD). 85 admits one wrong letter in a 7-letter word
# ("Ghweran"/"Ghwiran" 85.7, "Qamishli"/"Kamishli" 87.5) and a dropped letter in
# a three-word name ("Hasaka prisn attack" 97), while "Hasaka"/"Hasake" (83) and
# "Jordan"/"Jordanian" (80) stay below.
MERGE_THRESHOLD = 85.0

# Report as a "possible" match (never merged) at or above this score. 65 keeps
# one-word-different composites in view ("Ghweran prison attack"/"... siege"
# 70, "Hasakah prison attack"/"Raqqa prison attack" 66.7) while unrelated
# places ("Deir ez-Zor"/"Der'a" 54.5) and groups ("civilians"/"children" 47)
# stay "unknown".
POSSIBLE_THRESHOLD = 65.0

# Two words are counterparts when equal, or when both have at least
# TOKEN_MIN_LENGTH characters, no digits, the same initial (up to
# INITIAL_CLASSES) and a fuzz.ratio of at least TOKEN_THRESHOLD. 80 allows one
# edit in a 5-letter word ("mazlum"/"mazlom" 83); shorter words must match
# exactly because one edit there is a different word ("sdf"/"sdg", "isis"/
# "isil", "iran"/"iraq", "deir"/"dera"); digits must match exactly because
# "Brigade 17" is not "Brigade 18" nor "100" "1000"; and the initial must agree
# because "Kurdish"/"Turkish" (85.7) are opposite sides.
TOKEN_THRESHOLD = 80.0
TOKEN_MIN_LENGTH = 4

# Initial letters that romanisations swap: all vowels ("Idlib"/"Edlib",
# "Ezzor"/"Azzor") and the qaf/kaf letters ("Qamishli"/"Kamishli").
INITIAL_CLASSES = {"e": "a", "i": "a", "o": "a", "u": "a", "c": "k", "q": "k"}

# "Did you mean" suggestions (``NameIndex.closest``) below this score are noise.
SUGGEST_THRESHOLD = 50.0

# How many runner-up candidates a Resolution carries (for ``ledger resolve``).
CANDIDATE_LIMIT = 3

# cluster(): cells per cdist block (float32 -> 4 bytes a cell, so 64 MB), which
# bounds memory whatever the number of distinct names.
CDIST_BLOCK_CELLS = 16_000_000


def _scorer():
    from rapidfuzz import fuzz

    return getattr(fuzz, SCORER)
