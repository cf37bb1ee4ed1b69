"""Normalising and tokenising figure text.

Owns how a source's words become tokens: case folding, every script's digits
read as 0–9, dashes and separators unified, invisible marks dropped, and the
characters (fractions, other numerals) refused before any grammar runs.
"""

from __future__ import annotations

import re
import unicodedata

from ledger.figures.refusal import HINT, _fail, _Unreadable

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
    |(?P<sym>[-–+~≈%‰/,.;:!?()"'…&∞])
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.X,
)


_COMPARISON_SIGNS = set("<>=≤≥≦≧≠⩽⩾")


class _Tok:
    __slots__ = ("kind", "val", "start", "end")

    def __init__(self, kind: str, val: str, start: int, end: int):
        self.kind, self.val, self.start, self.end = kind, val, start, end  # kind: num | word | sym


_ASCII_MAP = str.maketrans({k: v for k, v in _CHAR_MAP.items() if k.isascii()})


def _normalize(text: str) -> str:
    """Case-fold, turn every script's digits into 0–9, unify dashes and separators, drop invisible marks."""
    if text.isascii():
        # The same result without a Python step per character (ASCII has no other digits, no marks, and
        # lower() is its casefold): the figure reader normalises each candidate phrase of every quote.
        return " ".join(text.lower().translate(_ASCII_MAP).split()).strip(" \"'")
    return _normalize_any(text)


def _normalize_any(text: str) -> str:
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
            if ch in _COMPARISON_SIGNS:
                raise _fail(text, f"uses the sign {ch!r}; signs of comparison are mirrored in right-to-left text "
                                  "(an Arabic page shows '<' as '>'), so ledger reads only the words",
                            hint="write 'more than 30', 'at least 30', 'fewer than 30' or 'at most 30'")
            if unicodedata.category(ch) in ("No", "Nl"):
                _screen_numeric_char(ch, text)
            raise _Unreadable
        group = m.group()
        # No ASCII character is a numeral outside 0–9: only other words are screened for "½" or "Ⅻ".
        if kind == "word" and not group.isascii() and any(unicodedata.category(c) in ("No", "Nl") for c in group):
            for c in group:
                if unicodedata.category(c) in ("No", "Nl"):
                    _screen_numeric_char(c, text)
        toks.append(_Tok(kind, group, m.start(), m.end()))
    return toks


def _screen_numeric_char(ch: str, text: str) -> None:
    value = unicodedata.numeric(ch, None)
    if value is not None and value != int(value):
        raise _fail(text, "is a fraction: a share is not a count",
                    hint="record the count the source gave (e.g. '78'); keep the share in the quote")
    raise _fail(text, f"uses the character {ch!r}, which ledger does not read as a figure",
                hint="write the figure in digits or words, " + HINT)
