"""Figures in words: the grammar that reads a phrase such as "more than 70" into an interval."""

from ledger.figures.grammar import (
    KINDS,
    ALL_MEANS_NONE_REMAINING,
    HINT,
    MAX_COUNT,
    MAX_TEXT,
    Quantity,
    parse_quantity,
    means_all,
)

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
