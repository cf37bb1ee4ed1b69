"""Rendering: records to tables (tabulate), JSON and CSV, with a stable order.

Every command renders through here so that ``--json`` output has one shape per
record type wherever it appears.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from json.encoder import encode_basestring

from ledger.model import Claim, Document, Source, grade_label  # noqa: F401  (re-exported for commands)


def json_default(value):
    """Dates and times as ISO 8601 text, the one way every JSON output writes them."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(obj) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=json_default)


def dump_json(value, newline: str, out: list[str]) -> None:
    """Append ``value`` to ``out`` as JSON with an indent of 2, ``newline`` being the line break at its own depth:
    ``to_json``'s text, a piece at a time, for a report written as it is made."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        first = True
        for key, item in value.items():
            out.append(("{" if first else ",") + inner + encode_basestring(key) + ": ")
            first = False
            dump_json(item, inner, out)
        out.append(newline + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        for i, item in enumerate(value):
            out.append(("[" if i == 0 else ",") + inner)
            dump_json(item, inner, out)
        out.append(newline + "]")
    elif isinstance(value, (date, datetime)):
        out.append(encode_basestring(value.isoformat()))
    elif isinstance(value, float):
        from json import dumps

        out.append(dumps(value))
    else:
        raise TypeError(f"cannot serialise {type(value).__name__}")


def table(rows: Iterable[Sequence], headers: Sequence[str], fmt: str = "simple", width: int | None = None) -> str:
    """A table; wider than ``width`` (default: the terminal's, or ``COLUMNS``), its widest columns wrap."""
    from tabulate import tabulate

    rows = [[("" if cell is None else str(cell)) for cell in row] for row in rows]
    if not rows:
        return "(none)"
    width = terminal_width() if width is None else width
    limits = _column_limits(rows, headers, width) if width else None
    if limits:
        # Wrapped here, not by tabulate's maxcolwidths: tabulate 0.10 then parses a cell such as "10,000"
        # as a number despite disable_numparse, and fails.
        rows = [[_wrapped(cell, limit) for cell, limit in zip(row, limits)] for row in rows]
    return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)


def aligned(rows: Iterable[Sequence], widths: Sequence[int]) -> str:
    """Rows laid out in columns of ``widths`` as ``table`` lays them out, without its header: the later blocks of
    a streamed listing, under the first block's table. On a terminal a longer cell wraps within its column;
    into a file or a pipe it runs on, whole, pushing the rest of its line right."""
    wrap = terminal_width() is not None
    lines = []
    for row in rows:
        cells = [(_wrapped(text, width) if wrap else text).splitlines() or [""]
                 for text, width in (("" if cell is None else str(cell), width) for cell, width in zip(row, widths))]
        for i in range(max(len(cell) for cell in cells)):
            lines.append("  ".join((cell[i] if i < len(cell) else "").ljust(width) for cell, width in zip(cells, widths)).rstrip())
    return "\n".join(lines)


def _wrapped(cell: str, limit: int | None) -> str:
    if limit is None:
        return cell
    return "\n".join(wrapped for line in cell.splitlines() for wrapped in (word_wrap(line, limit) or [""]))


# Where a line of a cell may break: at spaces, and after the ".." of a date range (2022-01-20..2022-01-22).
_BREAKS = re.compile(r"(\s+|(?<=\.\.)(?=\S))")


def word_wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width``, broken between words only: never at a hyphen (north-east), and
    inside a word only when the word alone is longer than ``width``."""
    return _wrapper(width).wrap(text)


def fit_paragraph(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width``, broken between words only, the lines after the first indented by
    ``indent``. Outside a table a word is never broken: one longer than the line (a hash) is a line of its own."""
    return _wrapper(width, indent, False).wrap(text)


def fit_command(command: str, width: int, indent: str = "") -> list[str]:
    """A shell command in lines of at most ``width``, broken between its words (a quoted name is one) with a
    trailing `` \\``, so that pasted whole it still runs as one command; ``indent`` before its first line."""
    import shlex

    words = [shlex.quote(word) for word in shlex.split(command)]
    lines, line = [], indent + words[0]
    for at, word in enumerate(words[1:], 2):
        room = width - (0 if at == len(words) else 2)  # the last word needs no " \\" after it
        if len(line) + 1 + len(word) > room:
            lines.append(line + " \\")
            line = indent + "    " + word
        else:
            line += " " + word
    return lines + [line]


def fit_lines(entries: list, width: int | None) -> Iterator[str]:
    """Each text, or (text, command), on its line, or wrapped to ``width`` when longer: a text between words (a
    list item's lines under its first word), a command with `` \\`` at each break (it still runs when pasted)."""
    for entry in entries:
        text = " ".join(entry) if isinstance(entry, tuple) else entry
        if width is None or max(map(len, text.split("\n"))) <= width:
            yield text
        elif isinstance(entry, tuple):
            yield from fit_paragraph(entry[0], width, "  ")
            yield from fit_command(entry[1], width, "  ")
        else:
            yield from fit_paragraph(text.replace("\n", " "), width, "  " if text.startswith("- ") else "")


@functools.cache
def _wrapper(width: int, indent: str = "", break_long_words: bool = True):
    import textwrap

    class Wrapper(textwrap.TextWrapper):
        wordsep_simple_re = _BREAKS

    return Wrapper(width, subsequent_indent=indent, break_long_words=break_long_words, break_on_hyphens=False)


def longest_word(text: str) -> int:
    """The length of the longest part of ``text`` that ``word_wrap`` keeps whole."""
    return max(map(len, _BREAKS.split(text)), default=0)


def terminal_width() -> int | None:
    """How wide output may be: ``COLUMNS`` if set, else the terminal's; None when writing to a file or a pipe."""
    import os
    import shutil
    import sys

    if os.environ.get("COLUMNS", "").strip().isdigit():
        return int(os.environ["COLUMNS"])
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


_NARROWEST = 8  # a column is never wrapped narrower than this
_HEADER_PADDING = 2  # tabulate makes each column at least its header and two spaces wide
# A column is never narrower than its longest word up to this long, so words stay whole; a longer one
# (an address, a hash) is broken when its column must be narrower.
LONGEST_WHOLE_WORD = 24


def _column_limits(rows: list[list[str]], headers: Sequence[str], width: int) -> list[int | None] | None:
    """Widths that make the table fit ``width`` (two spaces between columns), each column no narrower than its
    floor (``_NARROWEST``, its header and padding, its longest word): None when it fits already. When even
    the floors do not fit, the table is wider than ``width`` rather than break words."""
    natural = [max([len(h) + _HEADER_PADDING, *(max((len(line) for line in row[i].splitlines()), default=0) for row in rows)])
               for i, h in enumerate(headers)]
    floors = [min(natural[i], max(_NARROWEST, len(h) + _HEADER_PADDING,
                                  min(LONGEST_WHOLE_WORD, max((longest_word(row[i]) for row in rows), default=0))))
              for i, h in enumerate(headers)]
    limits = fitted(natural, floors, width)
    return None if limits == natural else [w if w < n else None for w, n in zip(limits, natural)]


def fitted(widths: Sequence[int], floors: Sequence[int], width: int, gap: int = 2) -> list[int]:
    """Column ``widths`` narrowed until the columns and the ``gap`` between each two fit ``width``: the column
    with the most room above its floor first, none below its floor (so the result may be wider than ``width``)."""
    limits = list(widths)
    excess = sum(limits) + gap * (len(limits) - 1) - width
    while excess > 0:
        widest = max(range(len(limits)), key=lambda i: limits[i] - floors[i])
        if limits[widest] <= floors[widest]:
            break
        limits[widest] -= 1
        excess -= 1
    return limits


def to_csv(rows: Iterable[Sequence], headers: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def source_dict(source: Source) -> dict:
    return {
        "id": source.id, "name": source.name, "kind": source.kind, "aliases": list(source.aliases),
        "affiliation": source.affiliation, "grade": source.grade,
    }


def document_dict(doc: Document) -> dict:
    return {
        "id": doc.id, "outlet": doc.outlet, "published": doc.published, "url": doc.url, "title": doc.title,
        "sha256": doc.sha256, "has_text": doc.text is not None,
    }


def claim_dict(claim: Claim) -> dict:
    data = {
        "id": claim.id,
        "event": claim.event,
        "metric": claim.metric,
        "group": claim.group,
        "value": claim.value.to_dict(),
        "said_by": claim.said_by,
        "via": list(claim.via),
        "outlet": claim.outlet,
        "document_id": claim.document_id,
        "published": claim.published,
        "published_at": claim.published_at,
    }
    if claim.period is not None and claim.period.start is None:
        data["as_of"] = claim.period.end
        data["as_of_at"] = claim.as_of_at
    elif claim.period is not None:
        data["period"] = {"start": claim.period.start, "end": claim.period.end}
    else:
        data["as_of"] = None
    data.update({
        "location": claim.location,
        "quote": claim.quote,
        "quote_original": claim.quote_original,
        "quote_span": [claim.quote_span.start, claim.quote_span.end] if claim.quote_span else None,
        "quote_verified": claim.quote_verified,
        "quote_states_figure": claim.quote_states_figure,
        "credibility": claim.credibility,
        "recorded_at": claim.recorded_at,
        "retracted": claim.retracted,
        "corrections": [q.to_dict() for q in claim.corrections],
    })
    return data


def changed_fields(before: dict, after: dict, skip: frozenset = frozenset(), labels: dict | None = None) -> list[str]:
    """``field 'old' → 'new'`` for each field of a record's dict (``claim_dict``, ``source_dict``) an edit changed."""
    def shown(v):
        if isinstance(v, dict) and "text" in v:
            return repr(v["text"])
        return "(none)" if v in (None, [], "") else repr(v) if isinstance(v, str) else str(v)

    labels = labels or {}
    return [f"{labels.get(k, k).replace('_', '-')} {shown(before.get(k))} → {shown(after.get(k))}"
            for k in after if k not in skip and before.get(k) != after.get(k)]


def path_label(claim: Claim) -> str:
    """``SOHR → Al Jazeera``: origin, relays, then the outlet when it is not already last."""
    hops = [claim.said_by, *claim.via]
    if claim.outlet and claim.outlet != hops[-1]:
        hops.append(claim.outlet)
    return " → ".join(hops)


def claim_rows(claims: Iterable[Claim], quantities: dict | None = None) -> tuple[list[list], list[str]]:
    """Rows for ``claim list``; with ``quantities`` (claim id → resolved key) the quantity each is judged under."""
    headers = ["id", "event", "metric", "group", "value", "interval", "path", "period"] + (["quantity"] if quantities else [])
    rows = []
    for c in claims:
        period = c.period.label() if c.period else (f"published {c.published}" if c.published else "")
        value = c.value.text + (" (retracted)" if c.retracted else "") + (" (corrected)" if c.corrections else "")
        row = [c.id, c.event, c.metric, c.group or "(total)", value, c.value.interval_label(), path_label(c), period]
        if quantities:
            event, metric, group, place = quantities[c.id]
            row.append(f"{event}{f' in {place}' if place else ''} / {metric} / {group or 'total'}")
        rows.append(row)
    return rows, headers
