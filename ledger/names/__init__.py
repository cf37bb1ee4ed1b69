"""Names: which canonical source, event, group or place a spelling means.

Pure functions and plain records only: no database, no CLI. rapidfuzz and numpy
are imported inside the functions that need them, so importing this package (and
so starting the CLI) stays cheap.

The pipeline, from cheapest and surest to dearest and weakest:

* ``normalise`` turns a spelling into a comparison form: case, accents,
  punctuation, articles (English and Arabic) and the common Arabic-romanisation
  variants are folded away, so "Al-Hasakah", "Hasaka" and "Hassakeh" all become
  "hasaka", and "Ghweran", "Ghwayran" and "Ghuwayran" all become "ghweran".
* the *match key* goes one step further for composite names: prepositions and a
  small set of head nouns ("members", "fighters", ...) are dropped and the words
  sorted, so "attack on Ghuwayran prison" and "Ghweran prison attack" share a key
  and "ISIS fighters" shares the key of "ISIS".
* ``acronym`` lets "SDF" (or "the S.D.F.", or "SDF members") meet "Syrian
  Democratic Forces".
* fuzzy matching (``SCORER`` over match keys) catches typos and the variants the
  fold misses. A strong score merges only when every word of one name has a
  close counterpart in the other (``_unmatched_word``), so names that share most
  of their words but differ in the one that matters ("Hasakah prison attack" /
  "Raqqa prison attack", "Ghweran prison attack" / "Ghweran prison siege",
  "Kurdish forces" / "Turkish forces") are at most reported as *possible*
  matches and never merged.

``NameIndex.resolve`` answers one name (``ledger resolve NAME``, "did you mean"
hints); ``cluster`` maps every distinct name observed on claims to a canonical
name in one blocked, vectorised pass (the reconciler's entry point).

Modules, in the order of the pipeline: ``thresholds`` (the scorer and every
tunable), ``normalisation``, ``forms`` (match keys, ``acronym``),
``counterparts`` (word for word), ``records`` (``Resolution``, ``Candidate``),
``index`` (``NameIndex``), ``neighbours`` (blocked scoring) and ``clustering``
(``cluster``, ``possible_matches``).
"""

from ledger.names.thresholds import (
    SCORER,
    MERGE_THRESHOLD,
    POSSIBLE_THRESHOLD,
    TOKEN_THRESHOLD,
    TOKEN_MIN_LENGTH,
    INITIAL_CLASSES,
    SUGGEST_THRESHOLD,
    CANDIDATE_LIMIT,
    CDIST_BLOCK_CELLS,
)
from ledger.names.normalisation import ARTICLES, ARABIC_ARTICLES, fold_transliteration, normalise
from ledger.names.forms import ACRONYM_SKIP, STOPWORDS, HEAD_NOUNS, acronym
from ledger.names.records import STATUSES, MERGED, Candidate, Resolution
from ledger.names.index import NameIndex, closest_names
from ledger.names.clustering import cluster, possible_matches

__all__ = [
    "SCORER",
    "MERGE_THRESHOLD",
    "POSSIBLE_THRESHOLD",
    "TOKEN_THRESHOLD",
    "TOKEN_MIN_LENGTH",
    "INITIAL_CLASSES",
    "SUGGEST_THRESHOLD",
    "CANDIDATE_LIMIT",
    "CDIST_BLOCK_CELLS",
    "ARTICLES",
    "ARABIC_ARTICLES",
    "ACRONYM_SKIP",
    "STOPWORDS",
    "HEAD_NOUNS",
    "STATUSES",
    "MERGED",
    "fold_transliteration",
    "normalise",
    "acronym",
    "Candidate",
    "Resolution",
    "NameIndex",
    "closest_names",
    "cluster",
    "possible_matches",
]
