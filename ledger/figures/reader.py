"""The figure grammar: [neutral] [qualifier] core [postfix] [trailing words].

Owns how a phrase around a figure becomes an interval: the screening for
answers that need their own message (percentages, shares, negatives, bad
separators), qualifiers before and after the figure, ranges and bounds on
them, two bounds making a range, vague words, "none" and its kin, "a teacher"
(one), and "all". Reading the figure itself (digits, number words, scale) is
``numerals.py``; what may follow it, ``following.py``.
"""

from __future__ import annotations

from ledger.figures.following import _Following
from ledger.figures.magnitude import SCALE_ANY
from ledger.figures.numerals import _Fig, _NumeralReader
from ledger.figures.refusal import HINT, _fail, _Unreadable
from ledger.figures.tokens import _Tok, _tokenize
from ledger.figures.vocabulary import (
    _ABOUT,
    _ADDITION,
    _ALL_WORDS,
    _COLLECTIVE,
    _FIGURE_WORDS,
    _GE,
    _GT,
    _LE,
    _LT,
    _NEUTRAL,
    _NUMBER_WORDS,
    _OR_EQUAL,
    _PAIR,
    _PERCENT_WORDS,
    _PERIODS,
    _POSTFIX_TABLE,
    _QUALIFIER_TABLE,
    _SHARE_WORDS,
    _TRAILING_BAD,
    _UNCOUNTED,
    _VAGUE_MULT,
    _VAGUE_OF,
    _VAGUE_PLAIN,
    _VAGUE_PLURAL,
    _ZERO_PHRASES,
    ALL_MEANS_NONE_REMAINING,
)


def _by_first_word(table) -> dict[str, list]:
    """A phrase table keyed by its first word, longest phrases first: each lookup checks a handful, not all."""
    index: dict[str, list] = {}
    for phrase, value in sorted(table, key=lambda item: -len(item[0])):
        index.setdefault(phrase[0], []).append((phrase, value))
    return index


_QUALIFIERS_AT = _by_first_word(_QUALIFIER_TABLE)
_POSTFIXES_AT = _by_first_word(_POSTFIX_TABLE)
_NEUTRAL_AT = _by_first_word(_NEUTRAL)
_UNCOUNTED_AT = _by_first_word((phrase, None) for phrase in _UNCOUNTED)
_ZERO_AT = _by_first_word((phrase, None) for phrase in _ZERO_PHRASES)
_BOUNDS = (_GT, _GE, _LT, _LE)
_LOWER = (_GT, _GE)
_RANGE_JOINS = ("to", "-", "–", "through", "thru")
_UNCOUNTED_HINT = ("record the figure or bound the source gave (e.g. 'at least 3'), or a vague word ledger reads: "
                   "'a few', 'several', 'dozens', 'hundreds', 'thousands'")


class _Reader(_Following, _NumeralReader):
    """Reads one tokenised phrase into ``(low, high, kind, best)``, or refuses it.

    Reading the figure itself is inherited from :class:`_NumeralReader`, the
    check of the words after it from :class:`_Following`; this class holds the tokens and everything said around the figure. It is long
    because the grammar is one recursive-descent reader over shared state (the
    tokens and a cursor): its rules call each other, and splitting them into
    modules would only pass that state around.
    """

    def __init__(self, toks: list[_Tok], text: str, metric: str | None):
        self.toks = toks
        self.v = [t.val for t in toks] + ["", "", "", ""]  # padding: lookahead never runs off the end
        self.n = len(toks)
        self.text = text
        self.metric = metric

    # -- screening: answers that need their own message --------------------
    def touching(self, i: int) -> bool:
        """Token i+1 follows token i with no space between."""
        return i + 1 < self.n and self.toks[i + 1].start == self.toks[i].end

    def screen(self) -> None:
        # windows.py settles phrases by these checks too (its _TAIL_REFUSED): a word refused here is listed there.
        v, text = self.v, self.text
        for i in range(self.n):
            w = v[i]
            figure_before = i > 0 and (self.is_num(i - 1) or v[i - 1] in _NUMBER_WORDS)
            if w in _PERCENT_WORDS or (w == "per" and v[i + 1] in ("cent", "mille")):
                raise _fail(text, "is a percentage: a share is not a count",
                            hint="record the count the source gave (e.g. '78'); keep the share in the quote")
            at_most = w == "most" and i > 0 and v[i - 1] in ("at", "the")  # "at most 5", "at the most 5"
            if w in _SHARE_WORDS and not self._fraction_in_figure(i) and not at_most:
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

    def _fraction_in_figure(self, i: int) -> bool:
        """'half a million', 'a quarter of a million', 'one and a half million', 'a million and a half':
        a figure, not a share. (After "and" the figure reader decides; "78 and a half" is refused there.)"""
        for start in (i, i - 1, i - 2):
            if start >= 0:
                found = self.fraction_of_scale(start)
                if found is not None and i < found[1]:
                    return True
                found = self.fraction_at(start)
                if start >= 1 and self.v[start - 1] == "and" and found is not None and i < found[1]:
                    return True
        return False

    # -- top level ------------------------------------------------------------
    def read(self) -> tuple[int, int | None, str, int | None]:
        """The grammar, top to bottom: [neutral] [qualifier] core [postfix] [trailing words].

        Long because it is the one place the parts meet in order, and each
        refusal depends on what came before it (a postfix after a qualifier,
        a qualifier on a range or a vague word); split up, that order would
        have to be passed around instead of read here.
        """
        if self.n == 0:
            raise _Unreadable
        self.screen()
        v = self.v
        if v[0] in _ALL_WORDS:
            return self.read_all()
        for phrase, _ in _UNCOUNTED_AT.get(v[0], ()):
            if self.at(0, phrase) and not (phrase == ("some",) and self.figure(1) is not None):
                raise _fail(self.text, "does not say how many", hint=_UNCOUNTED_HINT)
        qual, i = self.qualifier(0)
        forced_exact = False
        if qual is None:  # "exactly 3 million", "only a few", "a total of 78"
            for phrase, exact in _NEUTRAL_AT.get(v[0], ()):
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
        if what == "figure" and qual in _BOUNDS:  # before the postfixes: "above 1000 and below 1500"
            both = self.second_bound(qual, payload, j)
            if both is not None:
                low, high, j = both
                self.trailing(j)
                return low, high, "range", None
        post = None
        for phrase, q in _POSTFIXES_AT.get(v[j], ()):
            if self.at(j, phrase):
                post, j = q, j + len(phrase)
                break
        if post == _OR_EQUAL:  # "less than 5000 or equal": the strict bound made inclusive
            if what != "figure" or qual not in _BOUNDS:
                raise _Unreadable
            qual = {_GT: _GE, _LT: _LE}.get(qual, qual)
        elif post is not None:
            if qual is not None:
                raise _fail(self.text, "has two qualifiers", hint="keep one, e.g. 'at least 70' or '70 or more'")
            if what == "vague" and post != _GE:
                raise _Unreadable
            qual = post
        self.trailing(j)
        if what == "open":  # "71–∞", the label ledger prints for "more than 70"
            if qual is not None:
                raise _fail(self.text, "has two qualifiers", hint="keep one, e.g. 'at least 70' or '70 or more'")
            return payload, None, "lower-bound", None
        if what == "range":
            return self.qualified_range(qual, *payload)
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
        for phrase, q in _QUALIFIERS_AT.get(self.v[i], ()):
            if self.at(i, phrase):
                return q, i + len(phrase)
        return None, i

    def apply(self, qual: str | None, fig: _Fig, forced_exact: bool) -> tuple[int, int | None, str, int | None]:
        n = self.whole(fig)
        half = 0 if forced_exact or n == 0 else fig.half_unit()  # "0k" is none, not -500 to 500
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

    # -- pieces -------------------------------------------------------------
    def zero(self, i: int) -> int | None:
        for phrase, _ in _ZERO_AT.get(self.v[i], ()):
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
            joins = ("and", "-", "–") if v[i] == "between" else _RANGE_JOINS
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
            return self.one(i)
        fig, j = first
        if v[j] in _RANGE_JOINS:
            if v[j + 1] == "∞" and v[j] != "through":
                return "open", self.whole(fig), j + 2
            second = self.figure(j + 1)
            if second is not None:
                return "range", self.range(fig, second[0]), second[1]
        if v[j] == "~" and self.starts_figure(j + 1):
            raise _fail(self.text, "has '~' between two figures, where it may mean 'about' the second",
                        hint="write a range as 'between 20 and 100' or '20-100'")
        return "figure", fig, j

    def one(self, i: int):
        """'a teacher', 'an officer': one; 'a pair of' two. 'A group of', 'a further' are refused."""
        v = self.v
        if v[i] not in ("a", "an") or i + 1 >= self.n or self.toks[i + 1].kind != "word":
            return None
        noun = v[i + 1]
        if noun in _PAIR:
            return "figure", _Fig(2), i + 2
        if noun in _ADDITION:
            raise _fail(self.text, f"counts an addition ({noun!r}), not a total",
                        hint="record the total the source gave, or the added figure alone as its own claim")
        if noun in _COLLECTIVE:
            raise _fail(self.text, "does not say how many", hint=_UNCOUNTED_HINT)
        if noun in _PERIODS or noun in _TRAILING_BAD or noun in _FIGURE_WORDS:
            return None
        return "figure", _Fig(1), i + 1

    def second_bound(self, qual: str, fig: _Fig, j: int) -> tuple[int, int, int] | None:
        """'more than 20 and fewer than 30', 'at most 100, at least 20': a bound from each side."""
        v = self.v
        k = j + (v[j] == ",")
        k += v[k] in ("and", "but")
        if k == j:
            return None
        other, k = self.qualifier(k)
        if other not in _BOUNDS or (other in _LOWER) == (qual in _LOWER):
            return None
        second = self.figure(k)
        if second is None:
            return None
        lower, upper = self.apply(qual, fig, False), self.apply(other, second[0], False)
        if qual not in _LOWER:
            lower, upper = upper, lower
        low, high = lower[0], upper[1]
        if low > high:
            raise _fail(self.text, f"has bounds that exclude each other ({low:,} and up, {high:,} and down)",
                        hint="record each bound as the source gave it, as its own claim")
        return low, high, second[1]

    def qualified_range(self, qual: str | None, low: int, high: int) -> tuple[int, int | None, str, None]:
        """'at least 20-30' is 20 and up: a bound on a range keeps the end it speaks of."""
        if qual is None:
            return low, high, "range", None
        if qual in _LOWER:
            return low + (qual == _GT), None, "lower-bound", None
        if qual == _LE:
            return 0, high, "upper-bound", None
        if qual == _LT:
            if high == 0:
                raise _fail(self.text, "asks for fewer than zero, which no count can be", hint=HINT)
            return 0, high - 1, "upper-bound", None
        raise _fail(self.text, f"qualifies a range with {qual!r}; a range already gives its bounds",
                    hint=f"record the range as the source's ends ('{low:,} to {high:,}'), or each end as its "
                         "own claim")

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
                while v[j] in SCALE_ANY and SCALE_ANY[v[j]] > prev:
                    prev = SCALE_ANY[v[j]]
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
