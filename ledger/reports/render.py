"""Rendering: records to tables (tabulate), JSON and CSV, with a stable order.

Every command renders through here so that ``--json`` output has one shape per
record type wherever it appears.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from ledger.model import Claim, Document, Source, grade_label  # noqa: F401  (re-exported for commands)


def json_default(value):
    """Dates and times as ISO 8601 text, the one way every JSON output writes them."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(obj) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=json_default)


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
    import textwrap

    if limit is None:
        return cell
    return "\n".join(wrapped for line in cell.splitlines() for wrapped in (textwrap.wrap(line, limit) or [""]))


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


def _column_limits(rows: list[list[str]], headers: Sequence[str], width: int) -> list[int | None] | None:
    """Widths that make the table fit ``width`` (two spaces between columns): the column with the most
    room above its floor (``_NARROWEST``, or its header and padding) is narrowed first. None when it fits already."""
    floors = [max(_NARROWEST, len(h) + _HEADER_PADDING) for h in headers]
    natural = [max([len(h) + _HEADER_PADDING, *(max((len(line) for line in row[i].splitlines()), default=0) for row in rows)])
               for i, h in enumerate(headers)]
    limits = list(natural)
    budget = width - 2 * (len(headers) - 1)
    while sum(limits) > budget:
        widest = max(range(len(limits)), key=lambda i: limits[i] - floors[i])
        if limits[widest] <= floors[widest]:
            break
        limits[widest] -= 1
    return None if limits == natural else [w if w < n else None for w, n in zip(limits, natural)]


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
