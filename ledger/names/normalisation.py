"""Normalisation: a spelling's comparison form (``normalise``, ``fold_transliteration``).

Case, accents, punctuation, articles (English and Arabic, whose word lists live
here) and the common Arabic-romanisation variants are folded away, so
"Al-Hasakah", "Hasaka" and "Hassakeh" all become "hasaka". Folded words and
normalised names are cached: the same words recur across many names.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Dropped by normalise (whole words). Kept when nothing else is left ("The").
ARTICLES = frozenset({"the", "a", "an"})

# Arabic definite article written as its own word ("Al Hasakah", "al-Hasakah",
# "el-Hasakah"); dropped when another word follows.
ARABIC_ARTICLES = frozenset({"al", "el"})

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


# Characters that show nothing on their own: spaces, controls, format marks (zero-width space, right-to-left
# mark, byte-order mark), private-use and unassigned code points, combining marks with nothing to combine with.
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Co", "Cn", "Cs", "Mn", "Me"})


def has_visible(text: str | None) -> bool:
    """Whether ``text`` shows anything: a name of zero-width spaces or direction marks alone is as empty as ""."""
    return bool(text) and any(unicodedata.category(ch) not in _INVISIBLE for ch in text)


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
