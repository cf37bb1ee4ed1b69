"""One stated figure: digits or number words, with their scale, read into a ``_Fig``.

Owns "78", "10,000", "1.2 million", "2.5k", "13 lakh", "1MM", "seventy-eight", "one
hundred and twenty", "two thousand and twelve", "3 hundred and 21", "3 dozens", "half a
dozen", "a quarter of a million", "one and a half million", "a million and a half", "a
thousand million", and the rule that a figure ending in a scale word is rounded. The
qualifiers, ranges and vague words around a figure are the reader's (``reader.py``);
the words of magnitude themselves are listed in ``magnitude.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger.figures.magnitude import ABBR, BIG, BIG_ANY, DOZEN_ABBR, SCALES
from ledger.figures.quantity import MAX_COUNT
from ledger.figures.refusal import HINT, _fail
from ledger.figures.vocabulary import _NUMBER_WORDS, _TEENS, _TENS, _UNITS, _ZERO_WORDS

_HUNDRED = ("hundred", "hundreds")
_DOZEN = ("dozen", "dozens", *DOZEN_ABBR)


@dataclass(frozen=True)
class _Fig:
    """A stated figure before qualifiers: num/den × scale ("1.2 million" = 12/10 × 10**6)."""

    num: int
    den: int = 1
    scale: int = 1
    rounded: bool = False  # ends in thousand/million/billion: a figure rounded by the way it is said
    step_den: int = 0  # the precision said, when not the digits': "a quarter of a million" is said to a tenth

    def value(self) -> int | None:
        whole, rest = divmod(self.num * self.scale, self.den)
        return whole if rest == 0 else None

    def half_unit(self) -> int:
        """Half a unit of the last stated digit: "1.2 million" → 50,000; "3 thousand" → 500."""
        return (self.scale // (self.step_den or self.den)) // 2 if self.rounded else 0

    def mantissa_below(self, other: "_Fig") -> bool:
        return self.num * other.den < other.num * self.den


def _scaled_fraction(hundredths: int, scale: int) -> _Fig:
    """A fraction of a scale word, read to a tenth of the scale: "a quarter of a million" is 200,000–300,000."""
    return _Fig(hundredths, 100, scale, scale >= 1000, 10)


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

    def plain_int(self, i: int) -> int | None:
        """Digits with no separator or decimal point, as an int ("321", not "1,000" or "1.5")."""
        return int(self.v[i]) if self.is_num(i) and self.v[i].isdigit() else None

    def fraction_at(self, k: int) -> tuple[int, int] | None:
        """'a half', 'one quarter', 'three quarters', 'three-quarters' as hundredths, and where they end."""
        v = self.v
        if v[k] in ("a", "one") and v[k + 1] in ("half", "quarter"):
            return (50 if v[k + 1] == "half" else 25), k + 2
        if v[k] == "three":
            j = k + 2 if v[k + 1] == "-" else k + 1
            if v[j] in ("quarters", "quarter"):
                return 75, j + 1
        return None

    def fraction_of_scale(self, i: int) -> tuple[_Fig, int] | None:
        """'half a million', 'half million', 'a half-million', 'a quarter of a million', 'half a dozen'."""
        v = self.v
        if v[i] in ("half", "quarter"):
            found = (50 if v[i] == "half" else 25), i + 1
        else:
            found = self.fraction_at(i)
        if found is None:
            return None
        hundredths, k = found
        k += v[k] == "-"
        k += v[k] == "of"
        k += v[k] == "a"
        if v[k] not in SCALES:
            return None
        return _scaled_fraction(hundredths, SCALES[v[k]]), k + 1

    def figure(self, i: int, allow_and: bool = True) -> tuple[_Fig, int] | None:
        v = self.v
        fraction = self.fraction_of_scale(i)
        if fraction is not None:
            return fraction
        if v[i] in _ZERO_WORDS:
            return _Fig(0), i + 1
        if (v[i] == "a" or v[i] == "one") and v[i + 1] == "dozen":
            return _Fig(12), i + 2
        if self.is_num(i):
            digits = v[i].replace(",", "").replace(" ", "")
            whole_part, _, frac = digits.partition(".")
            if len(whole_part.lstrip("0")) > 13:
                raise _fail(self.text, "is larger than any count ledger expects", hint=HINT)
            num, den, j = int(whole_part + frac), 10 ** len(frac), i + 1
            if den == 1 and (v[j] in BIG_ANY or v[j] in _HUNDRED) and v[i].isdigit():
                # "3 hundred and 21", "4 thousand 300", "2 thousand million": digits read as number words
                # when the words go on past the scale word
                words = self.words(i, allow_and)
                if words is not None and words[2] > j + 1:
                    return self.from_words(*words)
            base = num
        else:
            words = self.words(i, allow_and)
            if words is None:
                return None
            value, last_scale, j = words
            if last_scale:
                return self.from_words(value, last_scale, j)
            num, den, base = value, 1, value
        # "one and a half million", "two and a quarter million"
        if den == 1 and v[j] == "and":
            fraction = self.fraction_at(j + 1)
            if fraction is not None and v[fraction[1]] in SCALES:
                return _scaled_fraction(base * 100 + fraction[0], SCALES[v[fraction[1]]]), fraction[1] + 1
        if v[j] in BIG_ANY or (self.is_num(i) and v[j] in ABBR):
            scale = BIG_ANY.get(v[j]) or ABBR[v[j]]
            return self.after_scale(num, scale, j + 1, den)
        if v[j] in _HUNDRED and self.is_num(i):
            return _Fig(num, den, 100, False), j + 1
        # "two dozen", "3 dzs"; not "three hundred and two dozen", which may be 3,624 or 324
        if v[j] in _DOZEN and den == 1 and (self.is_num(i) or num < 100):
            return _Fig(num * 12), j + 1
        return _Fig(num, den), j

    def from_words(self, value: int, last_scale: int | None, j: int) -> tuple[_Fig, int]:
        if last_scale is None:
            return _Fig(value), j
        return self.after_scale(value // last_scale, last_scale, j)

    def after_scale(self, mantissa: int, scale: int, j: int, den: int = 1) -> tuple[_Fig, int]:
        """A figure ending in a scale word, rounded; and "… and a half" after it: "a million and a half"."""
        if den == 1 and self.v[j] == "and":
            fraction = self.fraction_at(j + 1)
            if fraction is not None:
                return _scaled_fraction(mantissa * 100 + fraction[0], scale), fraction[1]
        return _Fig(mantissa, den, scale, True), j

    def words(self, i: int, allow_and: bool) -> tuple[int, int | None, int] | None:
        """Number words: 'seventy-eight', 'one hundred and twenty', 'a million', 'two thousand and twelve'.

        Returns the value, the scale it ends on (None when it ends on a count, not a scale word) and
        where it ends. Falling scales add ("one crore twenty lakh"); a scale right after the first
        scale word multiplies it ("a thousand million", "three lakh crore").
        """
        group = self.group(i, allow_and, first=True)
        if group is None:
            return None
        v = self.v
        value, j = group
        total, prev, last_scale, terms = 0, None, None, 0
        while v[j] in BIG_ANY:
            scale = BIG_ANY[v[j]]
            if prev is None or (scale < prev and last_scale is None):  # falling, after a count: adds
                total += value * scale
                prev = last_scale = scale
                terms += 1
            elif last_scale is not None and terms == 1:
                total *= scale
                prev = last_scale = prev * scale
            else:
                break
            value, j = 0, j + 1
            k = j + 1 if allow_and and v[j] == "and" else j
            nxt = self.group(k, allow_and, first=False)
            # "two million and one half" is 2.5 million, not 2,000,001 and a half
            if nxt is not None and nxt[0] < prev and self.fraction_at(k) is None:
                value, j = nxt
                last_scale = None
        return total + value, last_scale, j

    def group(self, i: int, allow_and: bool, first: bool) -> tuple[int, int] | None:
        """Up to 999: 'three hundred and two', '3 hundred and 21', 'twelve hundred'; digits below 1000 too."""
        v = self.v
        n = self.plain_int(i)
        if n is not None and n >= 100:
            return (n, i + 1) if n < 1000 and v[i + 1] not in _HUNDRED else None
        small = (n, i + 1) if n is not None else self.under_100(i)
        if small is None:
            if first and v[i] == "a" and (v[i + 1] == "hundred" or v[i + 1] in BIG):
                small = (1, i + 1)
            elif first and v[i] == "hundred" and v[i + 1] in BIG:  # "hundred thousand"
                small = (1, i)
            else:
                return None
        value, j = small
        if v[j] in _HUNDRED:
            value, j = value * 100, j + 1
            k = j + 1 if allow_and and v[j] == "and" else j
            rest = self.plain_int(k)
            rest = (rest, k + 1) if rest is not None and 0 < rest < 100 else self.under_100(k)
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
            raise _fail(self.text, f"reads as {n:,}, larger than any count ledger expects (at most {MAX_COUNT:,})",
                        hint=HINT)
        return n
