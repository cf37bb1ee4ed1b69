"""The words of figures: number words, qualifiers, vague words, zero, "all" and what is refused.

Every mapping here is listed, with its reasoning, in docs/quantities.md; change
both together. The tables are read by the tokenizer, the reader and the
suggestions; nothing here runs.
"""

from __future__ import annotations

# "all" has a meaning only where a remainder exists: "all were arrested" says
# nobody is still at large. Metric -> the remainder metric that "all" sets to zero.
ALL_MEANS_NONE_REMAINING = {
    "arrested": "at-large", "recaptured": "at-large", "released": "held", "evacuated": "trapped",
}

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_BIG = {"thousand": 10**3, "million": 10**6, "billion": 10**9}  # the scales people round with
_ABBR = {"k": 10**3, "m": 10**6, "mn": 10**6, "bn": 10**9}  # after digits only: "2.5k", "1.2m"
_SCALES = {"dozen": 12, "hundred": 100, **_BIG}  # anything "half a …" / "… and a half" can multiply
_NUMBER_WORDS = {"zero", "dozen", "hundred", *_UNITS, *_TEENS, *_TENS, *_BIG}

# Prefix qualifiers, by the interval rule they apply to the stated figure N.
_GT, _GE, _LT, _LE, _ABOUT, _NEARLY = "more than", "at least", "fewer than", "up to", "about", "nearly"
_QUALIFIERS = {
    _GT: ["more than", "over", "above", "in excess of", "upwards of", "upward of", "greater than",
          "well over", "well above", "just over", "just above", "slightly more than", "slightly over"],
    _GE: ["at least", "no fewer than", "no less than", "not fewer than", "not less than", "a minimum of",
          "minimum of", "at a minimum"],
    _LT: ["fewer than", "less than", "under", "below", "just under", "just below", "slightly fewer than",
          "slightly less than", "slightly under"],
    _LE: ["up to", "at most", "no more than", "not more than", "a maximum of", "maximum of", "as many as",
          "at the most"],
    _ABOUT: ["about", "around", "approximately", "approx .", "approx", "roughly", "some", "an estimated",
             "estimated", "est .", "est", "circa", "ca .", "ca", "c .", "~", "≈", "more or less",
             "in the region of", "round about"],
    _NEARLY: ["nearly", "almost", "close to", "approaching", "just shy of"],
}
_QUALIFIER_TABLE = sorted(
    ((tuple(p.split()), q) for q, phrases in _QUALIFIERS.items() for p in phrases), key=lambda item: -len(item[0])
)
_POSTFIX_TABLE = sorted(
    [
        *((tuple(p.split()), _GE) for p in ["or more", "or over", "or above", "and more", "and over", "and above",
                                            "+", "plus", "- plus"]),
        *((tuple(p.split()), _LE) for p in ["or fewer", "or less", "or under", "or below", "and under",
                                            "and below"]),
        *((tuple(p.split()), _ABOUT) for p in ["or so", "or thereabouts"]),
    ],
    key=lambda item: -len(item[0]),
)
_NEUTRAL = [(("exactly",), True), (("precisely",), True), (("a", "total", "of"), False), (("only",), False),
            (("just",), False)]

# Vague words. Multipliers: "a few" alone is 2–5; "a few hundred" is 200–599
# (from a×unit up to just under (b+1)×unit).
_VAGUE_MULT = sorted(
    [(("a", "couple", "of"), (2, 3)), (("a", "couple"), (2, 3)), (("a", "few"), (2, 5)), (("several",), (3, 9))],
    key=lambda item: -len(item[0]),
)
_VAGUE_PLAIN = sorted(
    [(("a", "handful", "of"), (2, 5)), (("a", "handful"), (2, 5))], key=lambda item: -len(item[0])
)
_VAGUE_PLURAL = {
    "dozens": (24, 99),  # at least two dozen; a hundred or more would be "hundreds"
    "scores": (40, 199),  # at least two score (40); 200 or more would be "hundreds"
    "tens": (20, 99),  # "tens of" (common in translation, e.g. Arabic عشرات)
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "millions": (2_000_000, 9_999_999),
}
_VAGUE_OF = {"thousands": 10**3, "millions": 10**6}  # "tens of thousands", "hundreds of millions"

_ZERO_PHRASES = sorted(
    [("none",), ("nobody",), ("nil",), ("noone",), ("no", "one"), ("no", "-", "one"), ("not", "one"),
     ("not", "a", "single"), ("not", "any")],
    key=lambda p: -len(p),
)
_ALL_WORDS = {"all", "every", "everyone", "everybody"}
_UNCOUNTED = sorted(
    [("many",), ("numerous",), ("multiple",), ("countless",), ("lots",), ("a", "lot"), ("a", "number"),
     ("a", "large", "number"), ("a", "great", "many"), ("a", "good", "many"), ("untold",), ("unknown",),
     ("an", "unknown"), ("various",), ("few",), ("some",), ("a", "great", "number"), ("innumerable",)],
    key=lambda p: -len(p),
)
_PERCENT_WORDS = {"%", "‰", "percent", "percentage", "pct", "pc"}
_SHARE_WORDS = {"half", "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths",
                "majority", "minority", "most", "fraction", "proportion"}

# Words that may not follow the figure: they would change what it means
# ("78 at least", "70 odd", "40 per day") or smuggle in a second figure.
_TRAILING_BAD = {
    *_NUMBER_WORDS, *_VAGUE_PLURAL, *_PERCENT_WORDS, *_SHARE_WORDS, *_ALL_WORDS,
    "more", "less", "fewer", "least", "over", "under", "above", "below", "about", "around", "approximately",
    "approx", "roughly", "nearly", "almost", "estimated", "est", "circa", "plus", "or", "to", "than",
    "between", "up", "excess", "upwards", "minimum", "maximum", "counting", "rising", "climbing",
    "odd", "something", "some", "per", "minus", "negative", "each", "few", "several", "many", "handful",
    "couple", "approaching", "none", "nil", "score", "thereabouts", "possibly", "perhaps", "maybe", *_ABBR,
    "daily", "weekly", "monthly", "yearly", "annually",
}
_PERIODS = {"day", "week", "month", "year", "hour"}  # "40 a day" is a rate, not a count
_FIGURE_WORDS = {*_NUMBER_WORDS, *_VAGUE_PLURAL, "few", "several", "handful", "couple"}
_TRAILING_SYMS = {",", ".", "!", ";", ":", '"', "'", "(", ")", "…", "&", "-", "–"}
