"""A kept table brought up to date by splicing in the rows of the events judged again.

After one new claim a report re-judges one event, yet laying out a million
claims' table again (and decoding every other event's findings to do it) took
most of its time. A table's rows are laid out one finding at a time at column
widths shared by the whole table, so when the re-judged findings fit the kept
widths, and the findings dropped were not the only ones as wide as a column,
the new table is the kept one with the changed events' rows taken out and the
new rows put in at their places in the order (``finding_order``), and a new
closing (the grades' legend and the names to look at).

``TextLayout`` is what that needs besides the text: the widths, the length of
the head, and per finding its order, its length and the columns it is as wide
as. Pure: text and plain data in, text out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from ledger.reconcile import VERDICTS, finding_order
from ledger.reports.findings import HEADERS, _layout, _measure, _table_head

# Formats whose kept text is spliced; JSON's pieces are joined by commas, and are made anew instead.
SPLICED_FORMATS = ("table", "markdown")
_BATCH = 1 << 20  # characters a splice writes at a time


@dataclass
class TextLayout:
    """Where each finding's rows lie in a kept table, and what it is ordered by."""

    widths: list[int]
    head: int  # characters of the header and rule
    orders: list[tuple] = field(default_factory=list)  # finding_order of each finding, in the table's order
    lengths: list[int] = field(default_factory=list)  # characters of each finding's rows
    widest: list[int] = field(default_factory=list)  # per finding, a bit for each column it is as wide as

    def add(self, order: tuple, length: int, widest: int) -> None:
        self.orders.append(order)
        self.lengths.append(length)
        self.widest.append(widest)

    def encode(self) -> str:
        """JSON, a list per field (flat lists of numbers encode and decode fastest), each name once."""
        strings: dict[str, int] = {}
        ranks, gaps, *named = zip(*self.orders) if self.orders else ((), (), (), (), (), ())
        columns = [[strings.setdefault(text, len(strings)) for text in column] for column in named]
        return json.dumps({"widths": self.widths, "head": self.head, "strings": list(strings), "ranks": ranks,
                           "gaps": gaps, "names": columns, "lengths": self.lengths, "widest": self.widest},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> TextLayout:
        """What ``encode`` made ``text`` from; ValueError, KeyError, IndexError or TypeError for anything else."""
        data = json.loads(text)
        strings, ranks, gaps, lengths, widest = data["strings"], data["ranks"], data["gaps"], data["lengths"], data["widest"]
        names = [[strings[i] for i in column] for column in data["names"]]
        if len(names) != 4 or not len(ranks) == len(gaps) == len(lengths) == len(widest) == len(names[0]) == \
                len(names[1]) == len(names[2]) == len(names[3]) or len(data["widths"]) != 6:
            raise ValueError("a layout whose lists disagree")
        if not all(type(n) is int and n >= 0 for n in (*data["widths"], data["head"], *ranks, *lengths, *widest)):
            raise TypeError("a layout with a count that is not a whole number")
        if not all(rank < len(VERDICTS) for rank in ranks) or not all(type(g) in (int, float) for g in gaps) \
                or not all(type(s) is str for s in strings):
            raise ValueError("a layout with a verdict, gap or name that no finding has")
        return cls(data["widths"], data["head"], list(zip(ranks, gaps, *names)), lengths, widest)


def _widest(cells: tuple, widths: Sequence[int]) -> int:
    """The columns (as bits) in which a finding's cells are as wide as the table's."""
    verdict, quantity, reason, envelope, consensus, claims = cells
    sizes = (len(verdict), max(map(len, quantity), default=0), max(map(len, reason), default=0), len(envelope),
             len(consensus), max(map(len, claims), default=0))
    return sum(1 << column for column, size in enumerate(sizes) if size == widths[column])


def laid_out(findings: Sequence, fmt: str, widths: Sequence[int] | None = None):
    """(widths, each finding's (order, rows, widest bits) as laid out) of ``findings`` in a table (``fmt``) at
    ``widths``, or at the widths they need; None if they need more than ``widths`` somewhere."""
    needed, cells = _measure(findings, wrap=fmt == "table")
    if widths is None:
        widths = needed
    elif any(n > w for n, w in zip(needed, widths)):
        return None
    widths = list(widths)
    rows = _layout(cells, widths, markdown=fmt == "markdown")
    return widths, ((finding_order(f), text, _widest(c, widths)) for f, c, text in zip(findings, cells, rows))


def chunks_and_layout(report, fmt: str, tally, stamp) -> tuple[Iterator[str], TextLayout | None]:
    """A report's chunks as ``report_chunks`` writes them, and for a table (or markdown) with findings its
    layout, filled as the chunks are written; None for the layout of any other report."""
    from ledger.reports.findings import merged_chunks, report_chunks

    if fmt not in SPLICED_FORMATS or not tally.verdicts:
        return report_chunks(report, fmt, stamp, tally), None
    widths, rows = laid_out(report.findings, fmt)
    layout = TextLayout(widths, len(_table_head(widths, fmt == "markdown")))

    def recorded() -> Iterator[tuple[tuple, str]]:
        for order, text, bits in rows:
            layout.add(order, len(text), bits)
            yield order, text

    return merged_chunks(fmt, [recorded()], widths, tally, stamp), layout


def spliced(kept: Iterable[str], layout: TextLayout, dropped: set[str], fresh: list[tuple[tuple, str, int]],
            closing: str, old_closing: str, fmt: str) -> tuple[Iterator[str], TextLayout] | None:
    """The kept table (``kept``: its text in pieces, as kept) without the findings of the events ``dropped``, with
    the ``fresh`` rows (``laid_out`` at ``layout.widths``) in their places, then ``closing`` in place of
    ``old_closing`` (what the kept table ends with: checked, as each row's verdict is, so that a layout that does
    not fit its text raises ValueError rather than cut rows in the wrong places).

    Returns (the chunks, written as they are asked for; the new layout, filled as they are), or None when the
    widths would shrink: the dropped findings were the only ones as wide as a column wider than its header needs.
    The first chunk holds the header, checked against the layout's widths (ValueError if it differs).
    """
    keep = [i for i, order in enumerate(layout.orders) if order[2] not in dropped]
    widest = 0
    for i in keep:
        widest |= layout.widest[i]
    for _, _, bits in fresh:
        widest |= bits
    header = _table_head(layout.widths, fmt == "markdown")
    floor = [len(h) + 2 for h in HEADERS]  # the narrowest a column is: its header
    if any(w > low and not widest >> column & 1 for column, (w, low) in enumerate(zip(layout.widths, floor))):
        return None
    new = TextLayout(list(layout.widths), len(header))
    fresh = sorted(fresh, key=lambda piece: piece[0])  # stable: one quantity's findings keep the order made

    def chunks() -> Iterator[str]:
        text = _Reader(kept)
        if text.take(layout.head) != header:
            raise ValueError("the kept table does not start with its header")
        out, size = [header], len(header)
        at = 0
        lead = "| " if fmt == "markdown" else ""
        for i, order in enumerate(layout.orders):
            piece = text.take(layout.lengths[i])
            if not (piece.startswith(lead + VERDICTS[order[0]] + " ") and piece.endswith("\n")):
                raise ValueError("the kept table's rows are not where its layout says")
            if order[2] in dropped:
                continue
            while at < len(fresh) and fresh[at][0] < order:
                fresh_order, rows, bits = fresh[at]
                out.append(rows)
                size += len(rows)
                new.add(fresh_order, len(rows), bits)
                at += 1
            out.append(piece)
            size += len(piece)
            new.add(order, len(piece), layout.widest[i])
            if size >= _BATCH:
                yield "".join(out)
                out, size = [], 0
        for order, rows, bits in fresh[at:]:
            out.append(rows)
            new.add(order, len(rows), bits)
        if text.rest() != old_closing:
            raise ValueError("the kept table does not end where its layout says")
        out.append(closing)
        yield "".join(out)

    return chunks(), new


def dropped_verdicts(layout: TextLayout, dropped: set[str]) -> dict[str, int]:
    """How many findings of each verdict the kept table holds for the events ``dropped``."""
    removed: dict[str, int] = {}
    for order in layout.orders:
        if order[2] in dropped:
            verdict = VERDICTS[order[0]]
            removed[verdict] = removed.get(verdict, 0) + 1
    return removed


class _Reader:
    """Characters taken from text that comes in pieces."""

    def __init__(self, pieces: Iterable[str]):
        self._pieces = iter(pieces)
        self._buffer = ""
        self._at = 0

    def take(self, n: int) -> str:
        while len(self._buffer) - self._at < n:
            more = next(self._pieces, None)
            if more is None:
                raise ValueError("the kept table is shorter than its layout")
            self._buffer = self._buffer[self._at:] + more
            self._at = 0
        piece = self._buffer[self._at:self._at + n]
        self._at += n
        return piece

    def rest(self) -> str:
        rest = self._buffer[self._at:] + "".join(self._pieces)
        self._buffer, self._at = "", 0
        return rest
