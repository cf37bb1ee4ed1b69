"""Figures in words: the grammar that reads a phrase such as "more than 70" into an interval."""

from ledger.figures.parse import means_all, parse_quantity
from ledger.figures.quantity import KINDS, MAX_COUNT, MAX_TEXT, Quantity
from ledger.figures.refusal import HINT
from ledger.figures.vocabulary import ALL_MEANS_NONE_REMAINING

__all__ = [
    "KINDS",
    "ALL_MEANS_NONE_REMAINING",
    "HINT",
    "MAX_COUNT",
    "MAX_TEXT",
    "Quantity",
    "parse_quantity",
    "means_all",
]
