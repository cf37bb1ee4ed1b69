"""The words of figures: number words, qualifiers, vague words, zero, "all" and what is refused.

Every mapping here is listed, with its reasoning, in docs/quantities.md; change
both together. The tables are read by the tokenizer, the reader and the
suggestions; nothing here runs.
"""

from __future__ import annotations

from ledger.figures.magnitude import ABBR, BIG, PLURAL_SCALES

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
_NUMBER_WORDS = {"zero", "nought", "naught", "dozen", "hundred", *_UNITS, *_TEENS, *_TENS, *BIG}
_ZERO_WORDS = {"zero", "nought", "naught"}

# Prefix qualifiers, by the interval rule they apply to the stated figure N. "Or equal to" makes a strict
# comparison inclusive, in any of the orders sources use it.
_MORE = ("more", "greater", "larger", "bigger", "higher")
_LESS = ("less", "fewer", "smaller", "lower")
_GT, _GE, _LT, _LE, _ABOUT, _NEARLY = "more than", "at least", "fewer than", "up to", "about", "nearly"
_QUALIFIERS = {
    _GT: ["more than", "over", "above", "in excess of", "upwards of", "upward of", "greater than",
          "well over", "well above", "just over", "just above", "slightly more than", "slightly over",
          "larger than", "bigger than", "higher than", "exceeding", "exceeds", "exceeded", "exceed",
          "surpassing", "surpasses", "surpassed", "surpass", "topping"],
    _GE: ["at least", "no fewer than", "no less than", "not fewer than", "not less than", "a minimum of",
          "minimum of", "at a minimum", "at least or equal to",
          *(f"{c} than or equal to" for c in _MORE), *(f"{c} or equal than" for c in _MORE),
          *(f"{c} or equal to" for c in _MORE), *(f"equal to or {c} than" for c in _MORE)],
    _LT: ["fewer than", "less than", "under", "below", "just under", "just below", "slightly fewer than",
          "slightly less than", "slightly under", "smaller than", "lower than"],
    _LE: ["up to", "at most", "no more than", "not more than", "a maximum of", "maximum of", "as many as",
          "at the most", "as high as",
          *(f"{c} than or equal to" for c in _LESS), *(f"{c} or equal than" for c in _LESS),
          *(f"{c} or equal to" for c in _LESS), *(f"equal to or {c} than" for c in _LESS)],
    _ABOUT: ["about", "around", "approximately", "approx .", "approx", "roughly", "some", "an estimated",
             "estimated", "est .", "est", "circa", "ca .", "ca", "c .", "~", "≈", "more or less",
             "in the region of", "round about", "closer to"],
    _NEARLY: ["nearly", "almost", "close to", "approaching", "just shy of"],
}
_QUALIFIER_TABLE = sorted(
    ((tuple(p.split()), q) for q, phrases in _QUALIFIERS.items() for p in phrases), key=lambda item: -len(item[0])
)
_OR_EQUAL = "or equal"  # after a strict bound: "less than 5000 or equal" is at most 5000
_POSTFIX_TABLE = sorted(
    [
        *((tuple(p.split()), _GE) for p in ["or more", "or over", "or above", "and more", "and over", "and above",
                                            "+", "plus", "- plus", "or greater", "or higher", "or larger",
                                            "or bigger", "and up", "and upwards", "or more than", "or greater than"]),
        *((tuple(p.split()), _LE) for p in ["or fewer", "or less", "or under", "or below", "and under",
                                            "and below", "or lower", "or smaller", "or less than",
                                            "or fewer than"]),
        *((tuple(p.split()), _ABOUT) for p in ["or so", "or thereabouts"]),
        *((tuple(p.split()), _OR_EQUAL) for p in ["or equal", "or equal to", "or equal to it", "or equal to that"]),
    ],
    key=lambda item: -len(item[0]),
)
_NEUTRAL = sorted(
    [(("exactly",), True), (("precisely",), True), (("a", "total", "of"), False), (("only",), False),
     (("just",), False), *(((*p.split(),), False) for p in ["equal to", "equals", "equals to", "equaling",
                                                           "equaling to", "equalling", "equalling to"])],
    key=lambda item: -len(item[0]),
)

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
# Fractions and ordinals: "one eighth" is a share, "the fourth" a rank; neither is a count.
_ORDINALS = {
    "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
    "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth", "thirtieth",
    "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth", "hundredth", "thousandth",
    "millionth", "billionth", "trillionth",
}
_SHARE_WORDS = {"half", "halves", "third", "thirds", "quarter", "quarters", "majority", "minority", "most",
                "fraction", "proportion", *_ORDINALS, *(w + "s" for w in _ORDINALS)}

# Words that may not follow the figure: they would change what it means
# ("78 at least", "70 odd", "40 per day") or smuggle in a second figure.
_TRAILING_BAD = {
    *_NUMBER_WORDS, *_VAGUE_PLURAL, *_PERCENT_WORDS, *_SHARE_WORDS, *_ALL_WORDS,
    "more", "less", "fewer", "least", "over", "under", "above", "below", "about", "around", "approximately",
    "approx", "roughly", "nearly", "almost", "estimated", "est", "circa", "plus", "or", "to", "than",
    "between", "up", "excess", "upwards", "minimum", "maximum", "counting", "rising", "climbing",
    "odd", "something", "some", "per", "minus", "negative", "each", "few", "several", "many", "handful",
    "couple", "approaching", "none", "nil", "score", "thereabouts", "possibly", "perhaps", "maybe", *ABBR,
    "daily", "weekly", "monthly", "yearly", "annually", "greater", "higher", "larger", "bigger", "smaller",
    "lower", "equal", "exceeding", "further", "additional", "another", "extra", *PLURAL_SCALES,
}
_PERIODS = {"day", "week", "month", "year", "hour"}  # "40 a day" is a rate, not a count
_FIGURE_WORDS = {*_NUMBER_WORDS, *_VAGUE_PLURAL, "few", "several", "handful", "couple"}

# "A teacher" is one; "a group", "a number", "a crowd" say nothing of how many, and "a further 20" counts
# an addition, not a total.
_COLLECTIVE = {
    "number", "lot", "lots", "bunch", "crowd", "group", "host", "slew", "batch", "wave", "series", "range", "mass",
    "multitude", "plethora", "throng", "flood", "stream", "swarm", "string", "spate", "family", "team", "unit",
    "squad", "platoon", "company", "battalion", "brigade", "convoy", "busload", "truckload", "boatload",
    "carload", "cell", "gang", "band", "mob", "party", "delegation", "contingent", "detachment", "column", "heap",
    "pile", "ton", "tons", "load", "loads", "bevy", "cluster", "total", "toll", "count", "tally", "figure", "sum",
    "amount", "quantity", "portion", "part", "significant", "considerable", "large", "great", "good", "huge",
    "small", "big", "whole", "entire", "unknown", "undisclosed", "unspecified", "growing", "record",
}
_ADDITION = {"further", "additional", "extra", "another"}
_PAIR = {"pair"}  # "a pair of" is two ("a couple of" is a vague word, 2–3)

# Before the figure, the only words a suggestion may drop: they report or name what was counted and
# cannot move the interval ("killed more than 70" → "more than 70"; never "exceeding 150" → "150").
_NEUTRAL_LEADS = {
    "killed", "dead", "died", "deaths", "death", "toll", "wounded", "injured", "casualties", "arrested",
    "detained", "captured", "displaced", "missing", "reported", "reportedly", "officially", "confirmed",
    "was", "were", "is", "are", "the", "people", "civilians", "fighters", "victims", ":", ",", "-",
}
# Words a typo fix must leave alone: each is a real word that moves the interval ("lower than 70" is not
# a misspelt "over than 70").
_MEANING_WORDS = {
    "lower", "higher", "larger", "bigger", "smaller", "greater", "lesser", "least", "most", "fewer", "more", "less",
    "max", "min", "equal", "beyond", "past", "short", "shy", "nearer", "further", "additional", "extra", "another",
    "other", "rose", "risen", "rising", "fell", "fallen", "reached", "hit", "passed", "crossed", "doubled",
    "tripled", "halved", "times", "fold", "not", "never", "hardly", "barely", "scarcely", "quite", "nearly",
    "topped", "tops", "under", "over", "above", "below", "odd",
}
_TRAILING_SYMS = {",", ".", "!", ";", ":", '"', "'", "(", ")", "…", "&", "-", "–"}
