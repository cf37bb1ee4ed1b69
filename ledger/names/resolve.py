"""Name resolution: which canonical source, event, group or place a spelling means.

Pure functions and plain records only: no database, no CLI. rapidfuzz and numpy
are imported inside the functions that need them, so importing this module (and
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
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from ledger.errors import InputError

# --------------------------------------------------------------------------
# Scorer and thresholds: every tunable of the resolver lives here.
# --------------------------------------------------------------------------

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

# --------------------------------------------------------------------------
# Word lists.
# --------------------------------------------------------------------------

# Dropped by normalise (whole words). Kept when nothing else is left ("The").
ARTICLES = frozenset({"the", "a", "an"})

# Arabic definite article written as its own word ("Al Hasakah", "al-Hasakah",
# "el-Hasakah"); dropped when another word follows.
ARABIC_ARTICLES = frozenset({"al", "el"})

# Skipped when forming acronyms ("Syrian Observatory for Human Rights" -> sohr).
ACRONYM_SKIP = frozenset({"of", "and", "the", "for", "in", "on", "at", "to", "by", "from", "with"})

# Dropped from match keys: "attack on Ghweran prison" is "Ghweran prison attack".
STOPWORDS = ACRONYM_SKIP

# Head nouns that name the people of a group without changing the group: "SDF
# members", "ISIS fighters", "fighters of ISIS", "ISIS elements" are the SDF and
# ISIS. Dropped from match keys when another word is left ("fighters" alone
# stays). Deliberately small: "prisoners"/"detainees" are NOT here (the ISIS
# inmates of Ghweran prison are not the ISIS attackers), nor "forces"/"units"
# (part of "Syrian Democratic Forces", "People's Protection Units"), nor
# "civilians"/"children" (groups in their own right).
HEAD_NOUNS = frozenset(
    {
        "member", "members",
        "fighter", "fighters",
        "element", "elements",
        "militant", "militants",
        "combatant", "combatants",
        "personnel",
        "troops",
    }
)

STATUSES = ("exact", "alias", "normalised", "acronym", "fuzzy", "possible", "unknown")
MERGED = frozenset({"exact", "alias", "normalised", "acronym", "fuzzy"})

# --------------------------------------------------------------------------
# Normalisation.
# --------------------------------------------------------------------------

_APOSTROPHES = "'\u2019\u2018\u201b\u02bc\u02bb\u02bf\u02be`\u00b4\u2032"  # ' ’ ‘ ‛ ʼ ʻ ʿ ʾ ` ´ ′
_QUOTES = '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u301d\u301e\uff02'
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_LETTERS = {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h"}
_TRANSLATE = str.maketrans(
    {
        **{c: "" for c in _APOSTROPHES},  # joined: "Der'a" -> "dera", "People's" -> "peoples"
        **{c: " " for c in _QUOTES},
        **{c: "-" for c in _DASHES},
        "_": " ",  # "#Sinaa_Prison"
        **_LETTERS,
    }
)
_INITIAL_DOT = re.compile(r"(?<!\w)(\w)\.")  # "S.D.F." -> "SDF"; "St. Louis" keeps a space
# Assimilated Arabic article before a sun letter, hyphenated: "ez-Zor", "ar-Raqqa",
# "ash-Sham", "an-Nusra". Only when the next word starts with the same consonant.
_SUN_ARTICLE = re.compile(r"(?<!\w)[ae](th|dh|sh|t|d|r|z|s|n)-(?=\1)")
_NON_WORD = re.compile(r"[^\w\s]")

# Transliteration fold, applied in this order to each word, repeated until stable.
_FOLD_RULES = (
    # long vowels written double or as digraphs: "Jazeera"/"Jazira", "Mazloum"/"Mazlum"
    (re.compile(r"ee"), "i"),
    (re.compile(r"oo|ou"), "u"),
    # doubled (geminated) letters: "Hassakeh"/"Hasakeh", "Raqqa"/"Raqa"
    (re.compile(r"([a-z])\1+"), r"\1"),
    # a "u" written before a "w" glide: "Ghuwayran" -> "Ghwayran"
    (re.compile(r"(?<=[b-df-hj-np-tv-z])uw(?=[aeiou])"), "w"),
    # the diphthong ay/ai/ei/ey before a consonant or the end is often written "e":
    # "Ghwayran"/"Ghweran", "Deir"/"Dayr"/"Der", "Hussein"/"Husayn"
    (re.compile(r"(?:ay|ai|ei|ey)(?![aeiou])"), "e"),
    # word-final ta marbuta: "-eh" / "-ah" / "-a": "Hasakeh"/"Hasakah"/"Hasaka"
    (re.compile(r"(?<=\w\w)eh\b"), "a"),
    (re.compile(r"(?<=\w[aeiou])h\b"), ""),
)


def _strip_marks(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


# Text that is already clean: lower-case ASCII words of letters and digits, single-spaced.
_SIMPLE = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def _drop_articles(words: list[str]) -> list[str]:
    kept = [
        w
        for i, w in enumerate(words)
        if w not in ARTICLES and not (w in ARABIC_ARTICLES and i + 1 < len(words))
    ]
    return kept or words


def _clean(text: str) -> str:
    """One pass of normalise without the transliteration fold."""
    if text.isascii():
        text = text.lower()  # the same as the line below, for ASCII, and much faster
        if _SIMPLE.fullmatch(text):
            # Nothing for the substitutions below to change: only the article rule applies.
            return " ".join(_drop_articles(text.split(" ")))
    else:
        text = _strip_marks(_strip_marks(text).casefold())  # casefold can produce marks ("İ")
    text = text.translate(_TRANSLATE)
    text = _INITIAL_DOT.sub(r"\1", text)
    text = _SUN_ARTICLE.sub("", text)
    text = _NON_WORD.sub(" ", text.replace("-", " "))
    return " ".join(_drop_articles(text.split()))


def _fold_once(text: str) -> str:
    for pattern, repl in _FOLD_RULES:
        text = pattern.sub(repl, text)
    return text


def fold_transliteration(text: str) -> str:
    """Fold common Arabic-romanisation variants of already-normalised text.

    Rules, per word, in order, repeated until nothing changes:

    1. ``ee`` -> ``i``; ``oo``/``ou`` -> ``u`` (long vowels)
    2. doubled letters -> one (``ss``, ``qq``, ...)
    3. ``uw`` before a vowel, after a consonant -> ``w`` ("Ghuwayran")
    4. ``ay``/``ai``/``ei``/``ey`` not followed by a vowel -> ``e``
    5. word-final ``eh`` -> ``a``, then a word-final ``h`` after a vowel is dropped

    So Ghweran = Ghwayran = Ghuwayran = Ghweiran ("ghweran") and Hasaka =
    Hasakah = Hassakeh ("hasaka"), while Hasaka/Raqqa, Deir/Der'a, Homs/Hama
    stay apart. Expects lower-case text (``normalise(..., fold=False)``).
    """
    # No rule matches across a space, so each word folds on its own; words
    # repeat across names far more than names do, so each is folded once.
    return " ".join([_fold_word(w) for w in text.split(" ")])


_FOLDED_WORDS: dict[str, str] = {}
_FOLDED_WORDS_LIMIT = 500_000


def _fold_word(word: str) -> str:
    folded = _FOLDED_WORDS.get(word)
    if folded is None:
        previous, folded = None, word
        while folded != previous:
            previous, folded = folded, _fold_once(folded)
        if len(_FOLDED_WORDS) >= _FOLDED_WORDS_LIMIT:
            _FOLDED_WORDS.clear()
        _FOLDED_WORDS[word] = folded
    return folded


@lru_cache(maxsize=4096)
def normalise(name: str, *, fold: bool = True) -> str:
    """The comparison form of a name.

    Case-folded; accents stripped (NFKD); apostrophes dropped and quotes,
    dashes and other punctuation turned into spaces (a dot after a single
    letter is dropped: "S.D.F." -> "sdf"); the articles "the", "a", "an" and
    the Arabic article ("al-", "al ", "el-", and "ez-"/"ar-"/"ash-"... before
    a matching sun letter) dropped; whitespace collapsed; then, unless
    ``fold=False``, ``fold_transliteration``. "Al-Hasakah" -> "hasaka"
    ("hasakah" with ``fold=False``). Idempotent: the steps are repeated until
    the text is stable.
    """
    text = name
    for _ in range(16):  # each change shortens ASCII text, so this settles fast
        new = _clean(text)
        if fold:
            new = fold_transliteration(new)
        if new == text:
            break
        if _SIMPLE.fullmatch(new) and _drop_articles(new.split(" ")) == new.split(" "):
            # Nothing left for another round to change: plain words, no article, each word
            # folded as far as it goes. (Saves the round that would only confirm it.)
            return new
        text = new
    return text


def _words(raw: Iterable[str], fold: bool) -> frozenset[str]:
    return frozenset(normalise(w, fold=fold) for w in raw)


_STOP_FOLDED = _words(STOPWORDS, True)
_STOP_PLAIN = _words(STOPWORDS, False)
_HEAD_FOLDED = _words(HEAD_NOUNS, True)
_HEAD_PLAIN = _words(HEAD_NOUNS, False)
_ACRONYM_SKIP_PLAIN = _words(ACRONYM_SKIP, False)


def _significant(words: list[str], stop: frozenset[str], head: frozenset[str]) -> list[str]:
    """Words without prepositions and head nouns, falling back step by step."""
    content = [w for w in words if w not in stop] or words
    return [w for w in content if w not in head] or content


def acronym(name: str) -> str:
    """Initials of the significant words: "Syrian Democratic Forces" -> "sdf".

    Articles (also "al-") and "of", "and", "the", "for", "in" (see
    ``ACRONYM_SKIP``) are skipped: "Islamic State of Iraq and Syria" -> "isis",
    "Hay'at Tahrir al-Sham" -> "hts".
    """
    words = normalise(name, fold=False).split()
    significant = [w for w in words if w not in _ACRONYM_SKIP_PLAIN] or words
    return "".join(w[0] for w in significant)


@dataclass(frozen=True)
class _Forms:
    norm: str  # normalise(name)
    key: str  # match key: significant folded words, sorted
    short: str | None  # the name written as one word ("sdf", "S.D.F.", "SDF members")
    initials: str | None  # acronym when the name has two or more significant words


def _forms(name: str) -> _Forms:
    norm = normalise(name)
    plain = normalise(name, fold=False).split()
    key = " ".join(sorted(_significant(norm.split(), _STOP_FOLDED, _HEAD_FOLDED)))
    sig = _significant(plain, _STOP_PLAIN, _HEAD_PLAIN)
    short = None
    if len(sig) == 1:
        short = sig[0]
    elif sig and all(len(w) == 1 for w in sig):  # "S D F"
        short = "".join(sig)
    if short is not None and not (2 <= len(short) <= 8 and short.isalpha()):
        short = None
    acr_words = [w for w in plain if w not in _ACRONYM_SKIP_PLAIN]
    initials = "".join(w[0] for w in acr_words) if len(acr_words) >= 2 else None
    return _Forms(norm, key, short, initials)


def _initial(word: str) -> str:
    return INITIAL_CLASSES.get(word[0], word[0])


def _close(a: str, b: str, ratio) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < TOKEN_MIN_LENGTH or _initial(a) != _initial(b):
        return False
    if any(c.isdigit() for c in a) or any(c.isdigit() for c in b):
        return False
    return ratio(a, b, score_cutoff=TOKEN_THRESHOLD) >= TOKEN_THRESHOLD


def _unmatched_word(a: str, b: str) -> str | None:
    """The first word of key ``a`` or ``b`` with no close counterpart in the other."""
    wa, wb = a.split(), b.split()
    for words, others in ((wa, wb), (wb, wa)):
        distinct = set(others)  # an equal word is always a counterpart
        for x in words:
            if x in distinct:
                continue
            for y in others:
                close = _CLOSE_WORDS.get((x, y))
                if close is None:
                    if len(_CLOSE_WORDS) >= _CLOSE_WORDS_LIMIT:
                        _CLOSE_WORDS.clear()
                    from rapidfuzz.fuzz import ratio

                    close = _CLOSE_WORDS[(x, y)] = _close(x, y, ratio)
                if close:
                    break
            else:
                return x
    return None


# Word pairs recur across the names a clustering compares: each is judged once.
_CLOSE_WORDS: dict[tuple[str, str], bool] = {}
_CLOSE_WORDS_LIMIT = 1_000_000


def _scorer():
    from rapidfuzz import fuzz

    return getattr(fuzz, SCORER)


# --------------------------------------------------------------------------
# Records.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A canonical name a query might mean, with its score (0-100) and why."""

    name: str
    score: float
    reason: str


@dataclass(frozen=True)
class Resolution:
    """What a name resolved to.

    ``status`` is one of ``STATUSES``: "exact", "alias", "normalised",
    "acronym" and "fuzzy" are merges (``canonical`` set); "possible" is a weak
    match that is NOT merged (``canonical`` None, the match is the first
    candidate); "unknown" matched nothing. ``candidates`` are runner-ups, best
    first, never the canonical itself; a reason names the verdict ("fuzzy",
    "possible: no counterpart for 'siege'", "weak"), quoting words in their
    normalised form.

    From ``cluster`` every name has a canonical (itself when never merged,
    with status "exact"), and ``candidates`` hold only its possible matches.
    """

    query: str
    canonical: str | None
    status: str
    score: float
    candidates: tuple[Candidate, ...] = ()

    @property
    def merged(self) -> bool:
        return self.status in MERGED


def _verdict(score: float, unmatched: str | None) -> str:
    """Candidate reason for a fuzzy score between two keys."""
    if score >= MERGE_THRESHOLD and unmatched is None:
        return "fuzzy"
    if score >= POSSIBLE_THRESHOLD:
        if unmatched is not None:
            return f"possible: no counterpart for '{unmatched}'"
        return "possible"
    return "weak"


# --------------------------------------------------------------------------
# The index.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Surface:
    text: str  # the canonical name or an alias
    owner: int  # index of the canonical name
    is_alias: bool
    forms: _Forms


class NameIndex:
    """Canonical names and their aliases, resolvable by any spelling.

    ``aliases`` maps alias -> canonical name ("SOHR" -> "Syrian Observatory for
    Human Rights"); alias targets need not be listed in ``names``, and a target
    that is itself an alias is followed.
    """

    def __init__(self, names: Iterable[str] = (), aliases: Mapping[str, str] = MappingProxyType({})):
        self._names: list[str] = []
        self._position: dict[str, int] = {}
        for name in names:
            self._add(name)
        self._aliases: dict[str, int] = {}
        for alias in sorted(aliases):
            target = _follow(alias, aliases)
            if alias == target or alias in self._position:
                continue  # a canonical name is never an alias of another
            self._aliases[alias] = self._add(target)
        self._surfaces = [_Surface(n, i, False, _forms(n)) for i, n in enumerate(self._names)]
        self._surfaces += [
            _Surface(a, i, True, _forms(a)) for a, i in sorted(self._aliases.items())
        ]
        self._by_norm: dict[str, set[int]] = defaultdict(set)
        self._by_key: dict[str, set[int]] = defaultdict(set)
        self._by_initials: dict[str, set[int]] = defaultdict(set)
        self._by_short: dict[str, set[int]] = defaultdict(set)
        for s in self._surfaces:
            f = s.forms
            if f.norm:
                self._by_norm[f.norm].add(s.owner)
            if f.key:
                self._by_key[f.key].add(s.owner)
            if f.initials and len(f.initials) >= 2:
                self._by_initials[f.initials].add(s.owner)
            if f.short:
                self._by_short[f.short].add(s.owner)
        alphabetical = sorted(range(len(self._names)), key=self._names.__getitem__)
        self._rank = {owner: rank for rank, owner in enumerate(alphabetical)}  # tie-break
        self._arrays = None  # (keys, owners, valid) for fuzzy scoring, built on first use

    def _add(self, name: str) -> int:
        if name not in self._position:
            self._position[name] = len(self._names)
            self._names.append(name)
        return self._position[name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._position

    # -- the cheap, exact-lookup steps -----------------------------------
    def _lookup(self, name: str, forms: _Forms | None = None) -> tuple[str, set[int]] | None:
        """(status, owners) of the first step that finds something, else None."""
        if name in self._position:
            return "exact", {self._position[name]}
        if name in self._aliases:
            return "alias", {self._aliases[name]}
        f = forms or _forms(name)
        if f.norm and f.norm in self._by_norm:
            return "normalised", self._by_norm[f.norm]
        if f.key and f.key in self._by_key:
            return "normalised", self._by_key[f.key]
        if f.short and f.short in self._by_initials:
            return "acronym", self._by_initials[f.short]
        if f.initials and f.initials in self._by_short:
            return "acronym", self._by_short[f.initials]
        return None

    # -- fuzzy scoring ----------------------------------------------------
    def _score_all(self, key: str):
        """Per canonical: its score and the surface (name or alias) it comes from.

        That is the best-scoring surface, unless some surface scoring at least
        MERGE_THRESHOLD also matches word for word: then the best such one, so
        a mergeable spelling is never hidden behind a higher-scoring one that
        is not.
        """
        import numpy as np
        from rapidfuzz import process

        if self._arrays is None:
            keys = [s.forms.key for s in self._surfaces]
            owners = np.array([s.owner for s in self._surfaces], dtype=np.int64)
            valid = np.array([bool(k) for k in keys])
            self._arrays = (keys, owners, valid)
        keys, owners, valid = self._arrays
        best = np.zeros(len(self._names), dtype=np.float64)
        surface = np.full(len(self._names), -1, dtype=np.int64)
        if not key or not keys:
            return best, surface
        scores = process.cdist([key], keys, scorer=_scorer(), dtype=np.float32, workers=1)[0]
        scores = np.round(scores.astype(np.float64), 2)
        scores[~valid] = 0.0
        order = np.lexsort((np.arange(len(scores)), -scores))  # best first, then surface order
        seen, first = np.unique(owners[order], return_index=True)
        surface[seen] = order[first]
        best[seen] = scores[order[first]]
        settled: set[int] = set()
        for j in order[: int(np.count_nonzero(scores >= MERGE_THRESHOLD))].tolist():
            o = int(owners[j])
            if o not in settled and _unmatched_word(key, keys[j]) is None:
                settled.add(o)
                surface[o], best[o] = j, scores[j]
        return best, surface

    def _candidate(self, owner: int, score: float, surface: int, key: str) -> Candidate:
        s = self._surfaces[surface] if surface >= 0 else None
        unmatched = _unmatched_word(key, s.forms.key) if (s and key and score >= POSSIBLE_THRESHOLD) else None
        reason = _verdict(score, unmatched)
        if s is not None and s.is_alias:
            reason += f" (via alias '{s.text}')"
        return Candidate(self._names[owner], float(score), reason)

    def _ranked(
        self, key: str, best, surface, exclude: set[int], limit: int | None, floor: float = 0.0
    ) -> list[Candidate]:
        order = sorted(
            (o for o in range(len(self._names)) if o not in exclude and best[o] >= floor),
            key=lambda o: (-best[o], self._rank[o]),
        )
        if limit is not None:
            order = order[:limit]
        return [self._candidate(o, float(best[o]), int(surface[o]), key) for o in order]

    # -- public -------------------------------------------------------------
    def resolve(self, name: str) -> Resolution:
        """Resolve one name: exact, alias, normalised, acronym, fuzzy, possible or unknown."""
        forms = _forms(name)
        best, surface = self._score_all(forms.key)
        hit = self._lookup(name, forms)
        if hit is not None:
            status, owners = hit
            if len(owners) == 1:
                (owner,) = owners
                return Resolution(
                    name, self._names[owner], status, 100.0,
                    tuple(self._ranked(forms.key, best, surface, {owner}, CANDIDATE_LIMIT)),
                )
            # two canonical names share this spelling: do not guess
            tied = sorted(owners, key=self._rank.__getitem__)
            shown = [Candidate(self._names[o], 100.0, f"possible: ambiguous {status} match") for o in tied]
            rest = self._ranked(forms.key, best, surface, set(owners), max(0, CANDIDATE_LIMIT - len(shown)))
            return Resolution(name, None, "possible", 100.0, tuple(shown + rest))
        strong = self._ranked(forms.key, best, surface, set(), None, floor=MERGE_THRESHOLD)
        mergeable = [c for c in strong if c.reason.startswith("fuzzy")]
        if mergeable and not (len(mergeable) > 1 and mergeable[1].score == mergeable[0].score):
            match = mergeable[0]
            exclude = {self._position[match.name]}
            others = self._ranked(forms.key, best, surface, exclude, CANDIDATE_LIMIT)
            return Resolution(name, match.name, "fuzzy", match.score, tuple(others))
        ranked = self._ranked(forms.key, best, surface, set(), CANDIDATE_LIMIT)
        if not ranked:
            return Resolution(name, None, "unknown", 0.0, ())
        # a tie between two mergeable names is not guessed either: "possible"
        status = "possible" if ranked[0].score >= POSSIBLE_THRESHOLD else "unknown"
        return Resolution(name, None, status, ranked[0].score, tuple(ranked))

    def closest(self, name: str, limit: int = 3) -> list[Candidate]:
        """The canonical names most like ``name``, best first, for "did you mean" hints.

        A merged match comes first (with its status as reason); fuzzy
        suggestions below ``SUGGEST_THRESHOLD`` are left out.
        """
        if limit <= 0:
            return []
        forms = _forms(name)
        best, surface = self._score_all(forms.key)
        hit = self._lookup(name, forms)
        first: list[Candidate] = []
        exclude: set[int] = set()
        if hit is not None:
            status, owners = hit
            reason = status if len(owners) == 1 else f"possible: ambiguous {status} match"
            for o in sorted(owners, key=self._rank.__getitem__):
                first.append(Candidate(self._names[o], 100.0, reason))
                exclude.add(o)
        ranked = self._ranked(forms.key, best, surface, exclude, limit)
        rest = [c for c in ranked if c.score >= SUGGEST_THRESHOLD]
        return (first + rest)[:limit]


def closest_names(name: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """The names in ``names`` most like ``name``, best first: "did you mean" hints.

    ``NameIndex(names).closest(name, limit)`` without the scores.
    """
    return [c.name for c in NameIndex(names).closest(name, limit)]


def _follow(alias: str, aliases: Mapping[str, str]) -> str:
    seen = [alias]
    target = aliases[alias]
    while target in aliases and aliases[target] != target:
        if target in seen:
            raise InputError("alias", alias, "is part of an alias cycle", " -> ".join(seen + [target]))
        seen.append(target)
        target = aliases[target]
    return target


# --------------------------------------------------------------------------
# Clustering every observed name at once.
# --------------------------------------------------------------------------


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


def cluster(
    names: Iterable[str],
    aliases: Mapping[str, str] = MappingProxyType({}),
    known: Iterable[str] = (),
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
    possible = _possible_candidates(near, order, canonical_of)
    for key, members in groups.items():
        canonical, centre, score = cluster_of[key]
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
