"""Words of magnitude: the scale words ledger reads, and the ones it refuses by name.

A word after a figure that could multiply it is read as part of the figure or
the phrase is refused; it is never passed over as the name of what was counted
("13 lakh" is 1,300,000, not 13). The reader (``numerals.py``) reads the words
given a value here; ``following.py`` refuses the rest, naming the word.
docs/quantities.md lists them all; change both together.
"""

from __future__ import annotations

BIG = {  # the scales people round with; read in words or after digits
    "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "lakh": 10**5, "lac": 10**5, "crore": 10**7,  # South Asian English: 13 lakh = 1,300,000
}
# After a stated figure a plural scale is the scale ("3 dozens", "13 lakhs", "3 thousands" in translation);
# alone, "dozens", "hundreds", "thousands" are vague words (vocabulary.py).
PLURAL_SCALES = {
    "dozens": "dozen", "hundreds": "hundred", "thousands": "thousand", "millions": "million",
    "billions": "billion", "trillions": "trillion", "lakhs": "lakh", "lacs": "lac", "crores": "crore",
}
SCALES = {"dozen": 12, "hundred": 100, **BIG}  # anything "half a …" / "… and a half" can multiply
SCALE_ANY = {**SCALES, **{plural: SCALES[single] for plural, single in PLURAL_SCALES.items()}}
BIG_ANY = {w: n for w, n in SCALE_ANY.items() if n >= 1000}

# After digits only ("2.5k", "1.2m", "10 bln", "1MM"): abbreviations that mean one thing in English news.
ABBR = {
    "k": 10**3,
    "m": 10**6, "mn": 10**6, "mm": 10**6, "mln": 10**6,
    "b": 10**9, "bn": 10**9, "bln": 10**9,
    "tn": 10**12, "tln": 10**12, "trn": 10**12,
}
DOZEN_ABBR = {"dz", "dzs", "doz", "dozs"}  # "3 dzs" is 36, counted, not rounded

# Refused by name: each could multiply the figure, and ledger will not guess by how much.
_AMBIGUOUS = "is ambiguous"
_FOREIGN = "is a word of magnitude in another language"
UNREAD = {
    "mil": _AMBIGUOUS + " ('2 mil' is 2 million in informal English, 2,000 in Spanish and Portuguese)",
    "mill": _AMBIGUOUS + " (a million informally, a thousandth in 'mills')",
    "bil": _AMBIGUOUS + " (a billion informally)", "thou": _AMBIGUOUS + " (a thousand informally)",
    "grand": "counts money, not people", "gross": "is a dozen dozen (144)", "myriad": "names no number",
    "score": "is twenty", "tr": _AMBIGUOUS + " (a trillion, or a unit)", "cr": _AMBIGUOUS + " (a crore, or a unit)",
    **dict.fromkeys(["milliard", "milliards", "milliarde", "milliarden", "millionen", "tausend", "mille", "mio",
                     "mrd", "millones", "millón", "milyon", "milyar", "bin", "miljoen", "miljard", "milioni",
                     "miliardi", "milhões", "milhão", "тыс", "тысяч", "тысячи", "тысяча", "млн", "млрд",
                     "миллион", "миллиона", "миллионов", "миллиард", "هزار", "میلیون", "میلیارد", "ألف", "الف",
                     "آلاف", "الاف", "ألفا", "الفا", "ألفين", "الفين", "ألفان", "الفان", "مليون", "ملايين",
                     "مليونا", "مليونين", "مليونان", "مليار", "مليارات", "مليارا", "مليارين", "بليون", "تريليون",
                     "ترليون", "مئة", "مائة", "مئات", "مئتين", "مائتين", "مئتان", "مائتان", "عشرات", "ألوف", "الوف"],
                    _FOREIGN),
}
# Anything of these shapes is a magnitude, listed or not: "zillion", "gazillion", "quadrillion", "millionth".
MAGNITUDE_ENDINGS = ("illion", "illions", "illiard", "illiards", "illionth", "illionths")
SCALE_ORDINALS = {"hundredth", "hundredths", "thousandth", "thousandths", "dozenth", "lakhth", "croreth"}


def unread_magnitude(word: str) -> str | None:
    """Why ``word`` is a magnitude ledger does not read, or None when it is not one."""
    reason = UNREAD.get(word)
    if reason is not None or word in SCALE_ANY:
        return reason
    if word.endswith(MAGNITUDE_ENDINGS) or word in SCALE_ORDINALS:
        return "is a fraction, not a count" if word.endswith(("th", "ths")) else "is a word of magnitude ledger does not read"
    return None
