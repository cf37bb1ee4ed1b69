"""What may follow a figure: the name of what was counted, and nothing that changes the figure.

After the figure a source names what it counted ("78 people", "45 fighters", "1
member of the SDF", "٧٨ قتيلا"); those words are open-ended, so they are not listed.
What is listed is everything that would change the figure if it were passed over,
and each is refused with the word named:

- a word of magnitude (``magnitude.py``): a scale word or abbreviation that could not
  be read as part of the figure, anything ending in -illion, a scale's ordinal
  ("millionth"), the magnitude words of other languages ("ألف", "mio");
- letters stuck to the digits ("10G", "3rd", "70s") and a lone letter right after
  the figure ("5 t"): units, ordinals or magnitudes, never a counted noun;
- a second figure ("28 and 45", "78 people and a child");
- a rate ("40 a day"), and words that qualify the figure after it ("78 at least").
"""

from __future__ import annotations

from ledger.figures.magnitude import ABBR, DOZEN_ABBR, SCALE_ANY, unread_magnitude
from ledger.figures.refusal import HINT, _fail, _Unreadable
from ledger.figures.vocabulary import _FIGURE_WORDS, _PERIODS, _TRAILING_BAD, _TRAILING_SYMS, _VAGUE_PLURAL

_MAGNITUDE_HINT = "write the whole figure in digits (e.g. '78,000'), or with thousand, million or billion"
_ONE_MORE = ("a", "an", "one", "another")  # "78 people and a child" is 79
_SCALE_WORDS = set(SCALE_ANY) - set(_VAGUE_PLURAL)  # "dozens" later on is a second, vague figure


class _Following:
    """The reader's check of the words after the figure (a base of ``_Reader``)."""

    def trailing(self, j: int) -> None:
        """What follows the figure may name what was counted ('people', 'of them'), nothing more."""
        # windows.py settles phrases by these checks (its _TAIL_REFUSED): a word refused here is listed there.
        text, v = self.text, self.v
        for k in range(j, self.n):
            tok = self.toks[k]
            w = tok.val
            if tok.kind == "num" or (w == "and" and v[k + 1] in _ONE_MORE):
                raise _fail(text, "has more than one figure",
                            hint="record each figure as its own claim (one per group), or write a range as "
                                 "'between 28 and 45'")
            if tok.kind == "word":
                self.no_magnitude(k, j, w)
            if w in _FIGURE_WORDS:
                raise _fail(text, "has more than one figure",
                            hint="record each figure as its own claim (one per group), or write a range as "
                                 "'between 28 and 45'")
            if w in ("a", "an") and v[k + 1] in _PERIODS or w in ("per", "daily", "weekly", "monthly"):
                raise _fail(text, "is a rate, not a count",
                            hint="record the count for a period (with --period), e.g. '78'")
            if tok.kind == "word" and w in _TRAILING_BAD:
                raise _fail(text, f"has {w!r} after the figure, which would change what it means",
                            hint="put the qualifier first, e.g. 'at least 78', 'about 70', '70 or more'")
            if tok.kind == "sym" and w not in _TRAILING_SYMS:
                raise _Unreadable

    def no_magnitude(self, k: int, j: int, w: str) -> None:
        """Refuse ``w`` (token k; the figure ended at j) if it could multiply the figure."""
        why = unread_magnitude(w)
        if why is not None:
            raise _fail(self.text, f"has {w!r} after the figure, which {why}", hint=_MAGNITUDE_HINT)
        if w in _SCALE_WORDS:
            raise _fail(self.text, f"has {w!r} where it cannot be part of the figure", hint=_MAGNITUDE_HINT)
        if k != j:
            return
        if k > 0 and self.toks[k - 1].kind == "num" and self.touching(k - 1):
            raise _fail(self.text, f"has {w!r} stuck to the figure: a unit, an ordinal or a magnitude, "
                                   "not what was counted",
                        hint="write the figure alone (e.g. '78'), or with a scale: '2.5k', '1.2m', '3bn'")
        if w in ABBR or w in DOZEN_ABBR:
            raise _fail(self.text, f"has {w!r} after the figure, where ledger cannot read it as its scale",
                        hint="write the scale right after digits ('70k', '3 dz') or in words ('seventy thousand')")
        if len(w) == 1 and w != "a":
            raise _fail(self.text, f"has {w!r} after the figure: a single letter may be a unit or a magnitude",
                        hint="write the figure alone (e.g. '78'), or with a scale in words, " + HINT)
