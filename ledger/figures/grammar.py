"""Figures as intervals: how the words a source used become numbers.

A figure keeps the original words (``text``) next to the interval they allow
(``low``..``high``, ``high`` None when unbounded) and a ``kind`` saying what sort
of statement it was. ``docs/quantities.md`` lists every mapping and why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ledger.errors import InputError

KINDS = ("exact", "lower-bound", "upper-bound", "range", "approximate", "vague")

# "all" has a meaning only where a remainder exists: "all were arrested" says
# nobody is still at large. Metric -> the remainder metric that "all" sets to zero.
ALL_MEANS_NONE_REMAINING = {
    "arrested": "at-large", "recaptured": "at-large", "released": "held", "evacuated": "trapped",
}

HINT = "e.g. '78', 'more than 70', 'between 40 and 50', 'dozens'"
MAX_COUNT = 10**12  # larger than any head count; guards against pasted noise
MAX_TEXT = 200  # a figure, not a sentence: the sentence belongs in --quote


@dataclass(frozen=True)
class Quantity:
    text: str
    low: int
    high: int | None  # None: no upper bound
    kind: str
    best: int | None = None  # the single figure the words point at, when there is one

    def to_dict(self) -> dict:
        return {"text": self.text, "low": self.low, "high": self.high, "kind": self.kind, "best": self.best}

    def interval_label(self) -> str:
        """``78``, ``71–∞``, ``63–77``."""
        if self.high == self.low:
            return str(self.low)
        high = "∞" if self.high is None else str(self.high)
        return f"{self.low}–{high}"

    def contains(self, other: "Quantity") -> bool:
        return self.low <= other.low and (self.high is None or (other.high is not None and other.high <= self.high))

    def overlaps(self, other: "Quantity") -> bool:
        return (self.high is None or other.low <= self.high) and (other.high is None or self.low <= other.high)


# --------------------------------------------------------------------------
# Vocabulary. Every mapping here is listed, with its reasoning, in
# docs/quantities.md; change both together.
# --------------------------------------------------------------------------

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

_CHAR_MAP = {
    "٬": ",", "٫": ".", "،": ",", "؛": ";",  # Arabic thousands/decimal separators, comma, semicolon
    "’": "'", "‘": "'", "ʼ": "'", "`": "'",
    "‐": "-", "‑": "-", "−": "-", "﹣": "-", "－": "-",  # hyphens and minus signs
    "‒": "–", "—": "–", "―": "–",  # dashes: range markers like the en dash
    "٪": "%", "﹪": "%", "％": "%", "⁄": "/", "∕": "/", "＋": "+",
    "“": '"', "”": '"', "«": '"', "»": '"', "„": '"',
}
_TOKEN = re.compile(
    r"""
    (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)      # 10,000   (Arabic ٬ arrives as ,)
           |\d{1,3}(?:\ \d{3})+(?:\.\d+)?(?![\d,])   # 10 000   (any space, incl. thin/no-break)
           |\d+(?:\.\d+)?)                            # 78, 1.2
    |(?P<word>[^\W\d_]+(?:'[^\W\d_]+)*)
    |(?P<sym>[-–+~≈%‰/,.;:!?()"'…&])
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.X,
)


class _Tok:
    __slots__ = ("kind", "val", "start", "end")

    def __init__(self, kind: str, val: str, start: int, end: int):
        self.kind, self.val, self.start, self.end = kind, val, start, end  # kind: num | word | sym


class _Unreadable(Exception):
    """Internal: no rule matched; parse_quantity turns it into the InputError (with a suggestion)."""


def _fail(text: str, problem: str, hint: str | None = HINT) -> InputError:
    return InputError("value", text, problem, hint=hint)


@dataclass(frozen=True)
class _Fig:
    """A stated figure before qualifiers: num/den × scale ("1.2 million" = 12/10 × 10**6)."""

    num: int
    den: int = 1
    scale: int = 1
    rounded: bool = False  # ends in thousand/million/billion: a figure rounded by the way it is said

    def value(self) -> int | None:
        whole, rest = divmod(self.num * self.scale, self.den)
        return whole if rest == 0 else None

    def half_unit(self) -> int:
        """Half a unit of the last stated digit: "1.2 million" → 50,000; "3 thousand" → 500."""
        return (self.scale // self.den) // 2 if self.rounded else 0

    def mantissa_below(self, other: "_Fig") -> bool:
        return self.num * other.den < other.num * self.den


# --------------------------------------------------------------------------
# Normalising and tokenising
# --------------------------------------------------------------------------


def _normalize(text: str) -> str:
    """Case-fold, turn every script's digits into 0–9, unify dashes and separators, drop invisible marks."""
    out = []
    for ch in unicodedata.normalize("NFC", text).casefold():
        cat = unicodedata.category(ch)
        if cat == "Nd":
            out.append(str(unicodedata.decimal(ch)))  # ٧٨ / ۷۸ / ７８ → 78
        elif cat in ("Cf", "Mn", "Me"):
            continue  # zero-width joiners, bidi marks (common around Arabic digits), diacritics
        elif ch in _CHAR_MAP:
            out.append(_CHAR_MAP[ch])
        elif ch.isspace():
            out.append(" ")
        else:
            out.append(ch)
    return " ".join("".join(out).split()).strip(" \"'")


def _tokenize(norm: str, text: str) -> list[_Tok]:
    toks = []
    for m in _TOKEN.finditer(norm):
        kind = m.lastgroup
        if kind == "space":
            continue
        if kind == "other":
            ch = m.group()
            if unicodedata.category(ch) in ("No", "Nl"):
                _screen_numeric_char(ch, text)
            raise _Unreadable
        if kind == "word" and any(unicodedata.category(c) in ("No", "Nl") for c in m.group()):
            for c in m.group():
                if unicodedata.category(c) in ("No", "Nl"):
                    _screen_numeric_char(c, text)
        toks.append(_Tok(kind, m.group(), m.start(), m.end()))
    return toks


def _screen_numeric_char(ch: str, text: str) -> None:
    value = unicodedata.numeric(ch, None)
    if value is not None and value != int(value):
        raise _fail(text, "is a fraction: a share is not a count",
                    hint="record the count the source gave (e.g. '78'); keep the share in the quote")
    raise _fail(text, f"uses the character {ch!r}, which ledger does not read as a figure",
                hint="write the figure in digits or words, " + HINT)


# --------------------------------------------------------------------------
# The parser: [neutral] [qualifier] core [postfix] [trailing words]
# --------------------------------------------------------------------------


class _Reader:
    def __init__(self, toks: list[_Tok], text: str, metric: str | None):
        self.toks = toks
        self.v = [t.val for t in toks] + ["", "", "", ""]  # padding: lookahead never runs off the end
        self.n = len(toks)
        self.text = text
        self.metric = metric

    # -- helpers -----------------------------------------------------------
    def at(self, i: int, phrase: tuple[str, ...]) -> bool:
        return tuple(self.v[i:i + len(phrase)]) == phrase

    def is_num(self, i: int) -> bool:
        return i < self.n and self.toks[i].kind == "num"

    def starts_figure(self, i: int) -> bool:
        w = self.v[i]
        return self.is_num(i) or w in _NUMBER_WORDS or w in ("a", "half")

    # -- screening: answers that need their own message --------------------
    def touching(self, i: int) -> bool:
        """Token i+1 follows token i with no space between."""
        return i + 1 < self.n and self.toks[i + 1].start == self.toks[i].end

    def screen(self) -> None:
        v, text = self.v, self.text
        for i in range(self.n):
            w = v[i]
            figure_before = i > 0 and (self.is_num(i - 1) or v[i - 1] in _NUMBER_WORDS)
            if w in _PERCENT_WORDS or (w == "per" and v[i + 1] in ("cent", "mille")):
                raise _fail(text, "is a percentage: a share is not a count",
                            hint="record the count the source gave (e.g. '78'); keep the share in the quote")
            at_most = w == "most" and i > 0 and v[i - 1] in ("at", "the")  # "at most 5", "at the most 5"
            if w in _SHARE_WORDS and not self._half_figure(i) and not at_most:
                raise _fail(text, f"is a share ({w!r}), not a count",
                            hint="record the count the source gave (e.g. '78'); keep the share in the quote")
            if w == "/" and figure_before and self.starts_figure(i + 1):
                raise _fail(text, "is a fraction or a pair of figures, not a count",
                            hint="record the count (e.g. '78'); for a range write 'between 40 and 50'")
            if w in ("minus", "negative") and self.starts_figure(i + 1):
                raise _fail(text, "is negative: a count cannot be below zero", hint=HINT)
            # "-5", "more than -5": a minus sign stuck to a figure, not joining two ("40-50", "no-one")
            if w == "-" and (self.is_num(i + 1) or v[i + 1] in _NUMBER_WORDS) and self.touching(i):
                if i == 0 or (not self.touching(i - 1) and not figure_before):
                    raise _fail(text, "is negative: a count cannot be below zero", hint=HINT)
            if self.is_num(i) and v[i + 1] in (",", ".") and self.is_num(i + 2) and self.touching(i) \
                    and self.touching(i + 1):
                raise _fail(text, "has a thousands separator in the wrong place",
                            hint="group digits in threes, e.g. '10,000' or '10000'")

    def _half_figure(self, i: int) -> bool:
        """'half a million', 'half a dozen', 'one and a half million': a figure, not a share."""
        v = self.v
        if v[i] != "half":
            return False
        if v[i + 1] == "a" and v[i + 2] in _SCALES:
            return True
        return i >= 2 and v[i - 2:i] == ["and", "a"] and v[i + 1] in _SCALES

    # -- top level ------------------------------------------------------------
    def read(self) -> tuple[int, int | None, str, int | None]:
        if self.n == 0:
            raise _Unreadable
        self.screen()
        v = self.v
        if v[0] in _ALL_WORDS:
            return self.read_all()
        for phrase in _UNCOUNTED:
            if self.at(0, phrase) and not (phrase == ("some",) and self.figure(1) is not None):
                raise _fail(self.text, "does not say how many",
                            hint="record the figure or bound the source gave (e.g. 'at least 3'), or a vague word "
                                 "ledger reads: 'a few', 'several', 'dozens', 'hundreds', 'thousands'")
        qual, i = self.qualifier(0)
        forced_exact = False
        if qual is None:  # "exactly 3 million", "only a few", "a total of 78"
            for phrase, exact in _NEUTRAL:
                if self.at(0, phrase):
                    i, forced_exact = len(phrase), exact
                    qual, i = self.qualifier(i)
                    break
        if qual is None:
            zero = self.zero(i)
            if zero is not None:
                self.trailing(zero)
                return 0, 0, "exact", 0
        core = self.core(i)
        if core is None:
            raise _Unreadable
        what, payload, j = core
        post = None
        for phrase, q in _POSTFIX_TABLE:
            if self.at(j, phrase):
                post, j = q, j + len(phrase)
                break
        if post is not None:
            if qual is not None:
                raise _fail(self.text, "has two qualifiers", hint="keep one, e.g. 'at least 70' or '70 or more'")
            if what == "range" or (what == "vague" and post != _GE):
                raise _Unreadable
            qual = post
        self.trailing(j)
        if what == "range":
            if qual is not None:
                raise _fail(self.text, f"qualifies a range with {qual!r}; a range already gives its bounds",
                            hint="write 'between 40 and 50', or the bound alone, e.g. 'up to 50'")
            low, high = payload
            return low, high, "range", None
        if what == "vague":
            low, high = payload
            if qual is None:
                return low, high, "vague", None
            if qual == _GE:
                return low, None, "lower-bound", None
            raise _fail(self.text, f"puts {qual!r} before a vague word, which ledger cannot place",
                        hint="record the vague word alone (e.g. 'dozens'), or 'at least dozens'")
        return self.apply(qual, payload, forced_exact)

    def qualifier(self, i: int) -> tuple[str | None, int]:
        for phrase, q in _QUALIFIER_TABLE:
            if self.at(i, phrase):
                return q, i + len(phrase)
        return None, i

    def apply(self, qual: str | None, fig: _Fig, forced_exact: bool) -> tuple[int, int | None, str, int | None]:
        n = self.whole(fig)
        half = 0 if forced_exact else fig.half_unit()
        if qual is None:
            if half:
                return n - half, n + half, "approximate", n
            return n, n, "exact", n
        if qual == _GT:
            return n + 1, None, "lower-bound", None
        if qual == _GE:
            return n, None, "lower-bound", None
        if qual == _LT:
            if n == 0:
                raise _fail(self.text, "asks for fewer than zero, which no count can be", hint=HINT)
            return 0, n - 1, "upper-bound", None
        if qual == _LE:
            return 0, n, "upper-bound", None
        tolerance = max(1, -(-n // 10))  # 10 %, rounded up, at least 1
        if qual == _ABOUT:
            tolerance = max(tolerance, half)
            return max(0, n - tolerance), n + tolerance, "approximate", n
        return max(0, n - tolerance), n, "approximate", n  # _NEARLY: just under N

    def whole(self, fig: _Fig) -> int:
        n = fig.value()
        if fig.den > 1 and fig.scale == 1:  # "1.5", and "10.000", which may mean ten or ten thousand
            hint = "a count is a whole number; " + HINT
            if fig.den == 1000:
                hint = f"if you mean {fig.num:,}, write '{fig.num:,}' (comma for thousands); " + HINT
            raise _fail(self.text, "is not a whole number", hint=hint)
        if n is None:
            raise _fail(self.text, "is not a whole number", hint="a count is a whole number; " + HINT)
        if n > MAX_COUNT:
            raise _fail(self.text, "is larger than any count ledger expects", hint=HINT)
        return n

    # -- pieces -------------------------------------------------------------
    def zero(self, i: int) -> int | None:
        for phrase in _ZERO_PHRASES:
            if self.at(i, phrase):
                return i + len(phrase)
        # "no casualties", "no deaths": "no" and a noun
        noun = i + 1 < self.n and self.toks[i + 1].kind == "word" and self.v[i + 1] not in _TRAILING_BAD
        if self.v[i] == "no" and noun:
            return i + 1
        return None

    def core(self, i: int):
        v = self.v
        if v[i] in ("between", "from"):
            joins = ("and", "-", "–") if v[i] == "between" else ("to", "-", "–")
            for allow_and in (True, False):
                first = self.figure(i + 1, allow_and)
                if first and v[first[1]] in joins:
                    second = self.figure(first[1] + 1)
                    if second:
                        if not allow_and and self.whole(second[0]) < self.whole(first[0]):
                            # "between one hundred and twenty": one figure, or 100 and 20?
                            raise _fail(self.text, "is ambiguous: 'and' may be part of the number words or join "
                                        "the two ends of the range", hint="write the figures in digits, e.g. "
                                        "'between 100 and 120'")
                        return "range", self.range(first[0], second[0]), second[1]
            return None
        vague = self.vague(i)
        if vague is not None:
            return "vague", vague[:2], vague[2]
        first = self.figure(i)
        if first is None:
            return None
        fig, j = first
        if v[j] in ("to", "-", "–"):
            second = self.figure(j + 1)
            if second is not None:
                return "range", self.range(fig, second[0]), second[1]
        return "figure", fig, j

    def range(self, first: _Fig, second: _Fig) -> tuple[int, int]:
        if first.scale == 1 and second.scale > 1:
            # "40 to 50 thousand", "1.2-1.5 million", "5-10k": the scale word covers both figures
            if first.mantissa_below(second):
                first = _Fig(first.num, first.den, second.scale, second.rounded)
            elif first.num < second.scale * first.den:
                raise _fail(self.text, "is ambiguous: does the scale word cover the first figure too?",
                            hint="write the scale on both figures, e.g. 'between 900,000 and 1.2 million'")
        low, high = self.whole(first), self.whole(second)
        if high < low:
            raise _fail(self.text, "is a range that ends lower than it starts",
                        hint=f"did you mean 'between {high:,} and {low:,}'?")
        return low, high

    def vague(self, i: int):
        v = self.v
        for phrase, (a, b) in _VAGUE_MULT:
            if self.at(i, phrase):
                j, unit, prev = i + len(phrase), 1, 1
                while v[j] in _SCALES and _SCALES[v[j]] > prev:
                    prev = _SCALES[v[j]]
                    unit *= prev
                    j += 1
                if unit == 1:
                    return a, b, j
                return a * unit, (b + 1) * unit - 1, j
        for phrase, (a, b) in _VAGUE_PLAIN:
            if self.at(i, phrase):
                return a, b, i + len(phrase)
        w = v[i]
        if w in ("tens", "hundreds") and v[i + 1] == "of" and v[i + 2] in _VAGUE_OF:
            a, b = _VAGUE_PLURAL[w]
            unit = _VAGUE_OF[v[i + 2]]
            return a * unit, (b + 1) * unit - 1, i + 3
        if w in _VAGUE_PLURAL:
            a, b = _VAGUE_PLURAL[w]
            return a, b, i + 1
        return None

    def figure(self, i: int, allow_and: bool = True) -> tuple[_Fig, int] | None:
        v = self.v
        if v[i] == "half" and v[i + 1] == "a" and v[i + 2] in _SCALES:  # half a dozen / half a million
            scale = _SCALES[v[i + 2]]
            return _Fig(5, 10, scale, scale >= 1000), i + 3
        if v[i] == "zero":
            return _Fig(0), i + 1
        if (v[i] == "a" or v[i] == "one") and v[i + 1] == "dozen":
            return _Fig(12), i + 2
        if self.is_num(i):
            digits = v[i].replace(",", "").replace(" ", "")
            whole_part, _, frac = digits.partition(".")
            if len(whole_part.lstrip("0")) > 13:
                raise _fail(self.text, "is larger than any count ledger expects", hint=HINT)
            num, den, j = int(whole_part + frac), 10 ** len(frac), i + 1
            base = num
        else:
            words = self.words(i, allow_and)
            if words is None:
                return None
            value, last_scale, j = words
            if last_scale:
                return _Fig(value // last_scale, 1, last_scale, True), j
            num, den, base = value, 1, value
        # "… and a half million"
        if den == 1 and self.at(j, ("and", "a", "half")) and v[j + 3] in _SCALES:
            scale = _SCALES[v[j + 3]]
            return _Fig(base * 10 + 5, 10, scale, scale >= 1000), j + 4
        if v[j] in _BIG or (self.is_num(i) and v[j] in _ABBR):
            scale = _BIG.get(v[j]) or _ABBR[v[j]]
            return _Fig(num, den, scale, True), j + 1
        if v[j] in ("hundred", "dozen") and self.is_num(i):
            return _Fig(num, den, _SCALES[v[j]], False), j + 1
        if v[j] == "dozen" and den == 1:
            return _Fig(num * 12), j + 1
        return _Fig(num, den), j

    def words(self, i: int, allow_and: bool) -> tuple[int, int | None, int] | None:
        """Number words: 'seventy-eight', 'one hundred and twenty', 'a million', 'two thousand and twelve'."""
        group = self.group(i, allow_and, first=True)
        if group is None:
            return None
        value, j = group
        total, prev, last_scale = 0, None, None
        while self.v[j] in _BIG and (prev is None or _BIG[self.v[j]] < prev) and value < _BIG[self.v[j]] * 10:
            prev = _BIG[self.v[j]]
            total += value * prev
            value, last_scale, j = 0, prev, j + 1
            k = j + 1 if allow_and and self.v[j] == "and" else j
            nxt = self.group(k, allow_and, first=False)
            if nxt is None or nxt[0] >= prev:
                break
            value, j = nxt
            last_scale = None
        return total + value, last_scale, j

    def group(self, i: int, allow_and: bool, first: bool) -> tuple[int, int] | None:
        v = self.v
        small = self.under_100(i)
        if small is None:
            if first and v[i] == "a" and v[i + 1] in ("hundred", *_BIG):
                small = (1, i + 1)
            else:
                return None
        value, j = small
        if v[j] == "hundred":
            value, j = value * 100, j + 1
            k = j + 1 if allow_and and v[j] == "and" else j
            rest = self.under_100(k)
            if rest is not None:
                value, j = value + rest[0], rest[1]
        return value, j

    def under_100(self, i: int) -> tuple[int, int] | None:
        v = self.v
        w = v[i]
        if w in _TENS:
            if v[i + 1] in _UNITS:
                return _TENS[w] + _UNITS[v[i + 1]], i + 2
            if v[i + 1] == "-" and v[i + 2] in _UNITS:
                return _TENS[w] + _UNITS[v[i + 2]], i + 3
            return _TENS[w], i + 1
        if w in _TEENS:
            return _TEENS[w], i + 1
        if w in _UNITS:
            return _UNITS[w], i + 1
        return None

    def trailing(self, j: int) -> None:
        """What follows the figure may name what was counted ('people', 'of them'), nothing more."""
        for k in range(j, self.n):
            tok = self.toks[k]
            if tok.kind == "num" or tok.val in _FIGURE_WORDS:
                raise _fail(self.text, "has more than one figure",
                            hint="record each figure as its own claim (one per group), or write a range as "
                                 "'between 28 and 45'")
            if tok.val in ("a", "an") and self.v[k + 1] in _PERIODS or tok.val in ("per", "daily", "weekly", "monthly"):
                raise _fail(self.text, "is a rate, not a count",
                            hint="record the count for a period (with --period), e.g. '78'")
            if tok.kind == "word" and tok.val in _TRAILING_BAD:
                raise _fail(self.text, f"has {tok.val!r} after the figure, which would change what it means",
                            hint="put the qualifier first, e.g. 'at least 78', 'about 70', '70 or more'")
            if tok.kind == "sym" and tok.val not in _TRAILING_SYMS:
                raise _Unreadable

    def read_all(self) -> tuple[int, int | None, str, int | None]:
        j = 2 if self.at(0, ("every", "one")) else 1
        for k in range(j, self.n):
            if self.toks[k].kind == "num" or self.v[k] in _NUMBER_WORDS:
                raise _fail(self.text, "mixes 'all' with a figure",
                            hint="record the figure (e.g. '78') and, for the remainder, a claim with 'none'")
        self.trailing(j)
        key = (self.metric or "").strip().casefold()
        if key in ALL_MEANS_NONE_REMAINING:
            return 0, None, "vague", None
        allowed = ", ".join(f"{m} (sets {r} to none)" for m, r in ALL_MEANS_NONE_REMAINING.items())
        given = f"metric {self.metric!r} has none" if self.metric else "no metric was given"
        raise _fail(self.text, f"only has a meaning for a metric with a remainder ({given}): {allowed}",
                    hint="record the remainder instead, e.g. --metric at-large --value none; or give the count")


def _read(norm: str, text: str, metric: str | None) -> tuple[int, int | None, str, int | None]:
    return _Reader(_tokenize(norm, text), text, metric).read()


def _suggest(norm: str, metric: str | None) -> str | None:
    """A close fix for an unreadable figure: a typo in a known word, or words before the figure."""
    import difflib  # only on the error path

    def readable(candidate: str) -> bool:
        try:
            _read(candidate, candidate, metric)
        except (InputError, _Unreadable):
            return False
        return True

    if norm in _CLOSE:
        return _CLOSE[norm]
    try:
        toks = _tokenize(norm, norm)
    except (InputError, _Unreadable):
        return None
    vocab = sorted(_VOCAB)
    fixed = []
    for tok in toks:
        word = tok.val
        if tok.kind == "word" and word not in _VOCAB and len(word) >= 3:
            match = difflib.get_close_matches(word, vocab, n=1, cutoff=0.75)
            if match:
                word = match[0]
        fixed.append((tok, word))
    if any(tok.val != word for tok, word in fixed):
        out, pos = [], 0
        for tok, word in fixed:
            out.append(norm[pos:tok.start] + word)
            pos = tok.end
        candidate = "".join(out) + norm[pos:]
        if readable(candidate):
            return candidate
    for k, tok in enumerate(toks[1:9], start=1):  # "killed more than 70" → "more than 70"
        if any(t.kind == "num" or t.val in _NUMBER_WORDS for t in toks[:k]):
            break
        if readable(norm[tok.start:]):
            return norm[tok.start:]
    return None


_CLOSE = {"no": "none", "dozen": "a dozen", "hundred": "a hundred", "thousand": "a thousand",
          "million": "a million", "handful": "a handful", "couple": "a couple"}
_VOCAB = {
    *_NUMBER_WORDS, *_VAGUE_PLURAL, *_ALL_WORDS, "and", "of", "a", "an", "no", "one", "none", "nobody", "zero",
    "between", "from", "to", "or", "half", "exactly", "precisely", "total", "only", "just", "couple", "few",
    "several", "handful", "people",
    *(w for phrases in _QUALIFIERS.values() for p in phrases for w in p.split() if w.isalpha()),
    *(w for p, _ in _POSTFIX_TABLE for w in p if w.isalpha()),
}


def parse_quantity(text: str, metric: str | None = None) -> Quantity:
    """Read a figure in a source's words into a :class:`Quantity`.

    ``metric`` matters only for "all", which is accepted for the metrics in
    :data:`ALL_MEANS_NONE_REMAINING`. Anything else unreadable raises
    :class:`~ledger.errors.InputError` naming the field ``value``.
    """
    if not isinstance(text, str):
        raise _fail(text, "is not text")
    if len(text) > MAX_TEXT:
        raise _fail(text, f"is longer than {MAX_TEXT} characters: a figure, not a sentence",
                    hint="put the sentence in the quote and the figure here, " + HINT)
    norm = _normalize(text)
    if not norm:
        raise _fail(text, "is empty", hint="give the figure in the source's words, " + HINT)
    try:
        low, high, kind, best = _read(norm, text, metric)
    except _Unreadable:
        fix = _suggest(norm, metric)
        hint = f"did you mean '{fix}'? Otherwise {HINT}" if fix else HINT
        raise _fail(text, "is not a figure ledger can read", hint=hint) from None
    return Quantity(text, low, high, kind, best)


def means_all(q: Quantity) -> bool:
    """True when ``q`` is "all" (for a metric in ALL_MEANS_NONE_REMAINING): the remainder is zero."""
    if q.kind != "vague" or q.low != 0 or q.high is not None:
        return False
    norm = _normalize(q.text)
    return bool(norm) and norm.split()[0].strip(".,!;:") in _ALL_WORDS
