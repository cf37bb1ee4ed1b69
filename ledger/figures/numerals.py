"""One stated figure: digits or number words, with their scale, read into a ``_Fig``.

Owns "78", "10,000", "1.2 million", "2.5k", "seventy-eight", "one hundred and
twenty", "two thousand and twelve", "half a dozen", "one and a half million",
and the rule that a figure ending in a scale word is rounded. The qualifiers,
ranges and vague words around a figure are the reader's (``reader.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger.figures.quantity import MAX_COUNT
from ledger.figures.refusal import HINT, _fail
from ledger.figures.vocabulary import _ABBR, _BIG, _NUMBER_WORDS, _SCALES, _TEENS, _TENS, _UNITS


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


class _NumeralReader:
    """The part of the reader that reads one figure from the tokens.

    A base of :class:`~ledger.figures.reader._Reader`, which sets the state read
    here: ``toks``, ``v`` (token values padded with blanks so lookahead never
    runs off the end), ``n`` (the number of tokens) and ``text`` (for messages).
    """

    # -- helpers -----------------------------------------------------------
    def at(self, i: int, phrase: tuple[str, ...]) -> bool:
        return tuple(self.v[i:i + len(phrase)]) == phrase

    def is_num(self, i: int) -> bool:
        return i < self.n and self.toks[i].kind == "num"

    def starts_figure(self, i: int) -> bool:
        w = self.v[i]
        return self.is_num(i) or w in _NUMBER_WORDS or w in ("a", "half")

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
