"""The conflict report in each output format: table, json, csv, markdown, nl (newline-delimited JSON).

Formatting only; the findings come from ``ledger.reconcile``. A report over a
million claims runs to a hundred megabytes, so every format is written as a
stream of chunks: a head, one piece of text per finding, and a tail. Reports
on shares of the quantities (``Reconciler.report(share=…)``), formatted apart,
merge into the report on all of them (``merged_chunks``). The table and
markdown layouts are tabulate's "simple" and "github" formats, written row by
row once the column widths are known; reasons wrap the way ``textwrap`` does.

A table for a terminal (``width``: ``render.terminal_width()``) narrows its
quantity and reason columns to fit, never below ``QUANTITY_FLOOR`` and
``REASON_FLOOR``: a table that does not fit even then is wider than the
terminal rather than break words. Without a width (a file, a pipe) the table
is the same whatever the terminal; markdown, a document format, keeps each row
on one line.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import re
import shlex
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from ledger.reconcile import VERDICTS, Figure, Finding, Report, finding_order
from ledger.reports.render import dump_json, fit_lines, fitted, word_wrap

FORMATS = ("table", "json", "csv", "markdown", "nl")  # nl: newline-delimited JSON, one finding per line
REASON_WIDTH = 72
QUANTITY_WIDTH = 30
REASON_FLOOR, QUANTITY_FLOOR = 20, 14  # the narrowest they are made to fit a terminal
HEADERS = ["verdict", "quantity", "reason", "envelope", "consensus", "claims"]
# The CSV is for spreadsheets and scripts: one figure of a finding per row, one value per cell, bounds as plain
# numbers (an empty high bound is open-ended, "more than 70"). The rows of one finding are adjacent.
CSV_HEADERS = ["verdict", "event", "metric", "group", "place", "reason", "envelope_low", "envelope_high",
               "consensus_low", "consensus_high", "claim", "parts", "said_by", "value", "low", "high", "grade"]
CHUNK = 2000  # findings per chunk written
GRADE_LEGEND = ("Grades (Admiralty code; `ledger audit ID` spells one out): the source's reliability, A completely reliable\n"
                "to E unreliable, F cannot be judged; then the claim's credibility, 1 confirmed to 5 improbable, 6 cannot be judged.")


def _interval(pair) -> dict | None:
    if pair is None:
        return None
    return {"low": pair[0], "high": pair[1]}


def _interval_label(pair) -> str:
    if pair is None:
        return "none"
    low, high = pair
    if high == low:
        return str(low)
    return f"{low}–{'∞' if high is None else high}"


def figure_dict(f: Figure) -> dict:
    data = {
        "id": f.claim_id,
        "said_by": f.said_by,
        "via": list(f.via),
        "outlet": f.outlet,
        "value": f.value.to_dict(),
        "published": f.published,
        "as_of": f.as_of,
        "derived": f.derived,
        "grade": f.grade,
    }
    if f.derived:
        data["parts"] = list(f.parts)
    if f.corrected_from:
        data["corrected_from"] = [q.to_dict() for q in f.corrected_from]
    return data


def finding_dict(f: Finding) -> dict:
    return {
        "quantity": {"event": f.quantity.event, "metric": f.quantity.metric, "group": f.quantity.group, "place": f.quantity.place},
        "verdict": f.verdict,
        "reason": f.reason,
        "envelope": _interval(f.envelope),
        "consensus": _interval(f.consensus),
        "claims": [figure_dict(x) for x in f.figures],
    }


def _claim_lines(f: Finding) -> list[str]:
    return [f"{x.claim_id} ({x.grade})" if not x.derived else "+".join(map(str, x.parts)) + f" ({x.grade})"
            for x in f.figures]


def _bounds(pair) -> tuple:
    if pair is None:
        return "", ""
    low, high = pair
    return low, "" if high is None else high


def _csv_rows(f: Finding) -> Iterator[list]:
    q = f.quantity
    head = [f.verdict, q.event, q.metric, q.group or "", q.place or "", f.reason, *_bounds(f.envelope), *_bounds(f.consensus)]
    for x in f.figures:
        # the parts of a sum as a JSON list of claim ids ([2, 3, 4]), as every list in a CSV cell is
        yield [*head, "" if x.derived else x.claim_id, json.dumps(list(x.parts)) if x.derived else "", x.said_by,
               x.value.text, *_bounds((x.value.low, x.value.high)), x.grade]


@dataclass
class Tally:
    """What a report's summary counts; tallies of shares of one report add up."""

    claims: int
    quantities: int
    verdicts: dict[str, int]  # in verdict order
    possible_matches: list = field(default_factory=list)

    @classmethod
    def of(cls, report: Report) -> Tally:
        counts: dict[str, int] = {}
        for f in report.findings:
            counts[f.verdict] = counts.get(f.verdict, 0) + 1
        return cls(report.claims, report.quantities, counts, report.possible_matches)

    def __add__(self, other: Tally) -> Tally:
        verdicts = {v: self.verdicts.get(v, 0) + other.verdicts.get(v, 0) for v in VERDICTS
                    if v in self.verdicts or v in other.verdicts}
        return Tally(self.claims, self.quantities + other.quantities, verdicts, self.possible_matches)

    def summary(self) -> str:
        parts = [f"{n} {verdict if n == 1 else _plural(verdict)}" for verdict, n in self.verdicts.items()] or ["no discrepancies"]
        claims = f"{self.claims} claim{'s' if self.claims != 1 else ''}"
        quantities = f"{self.quantities} quantit{'ies' if self.quantities != 1 else 'y'}"
        return f"{claims}, {quantities}: " + ", ".join(parts)


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"  # relay-discrepancies


def summary(report: Report) -> str:
    return Tally.of(report).summary()


def report_chunks(report: Report, fmt: str, stamp=None, tally: Tally | None = None,
                  width: int | None = None) -> Iterator[str]:
    """The report in ``fmt``, as pieces of text to write one after the other; the last ends the output with a newline.
    ``tally``: ``Tally.of(report)``, if the caller has it already; ``width``: a table's, to fit a terminal."""
    text = ReportText(report, fmt, stamp, width)
    return merged_chunks(fmt, [text.pieces()], text.widths, tally or Tally.of(report), stamp, width)


def render_report(report: Report, fmt: str) -> str:
    """The whole report as one string, without the final newline."""
    return "".join(report_chunks(report, fmt))[:-1]


class ReportText:
    """A report's findings as text: ``pieces`` gives each finding's, with its place in the order.

    For the table formats the constructor measures every cell (the column
    widths are in ``widths``; ``widen`` takes in another share's), and
    ``pieces`` lays the rows out at the widths it then has, narrowed to
    ``width`` (``fit``) for a table on a terminal.
    """

    def __init__(self, report: Report, fmt: str, stamp=None, width: int | None = None):
        self.fmt = fmt
        self.width = width if fmt == "table" else None
        self.findings = report.findings
        self.stamp_cells = stamp.csv_cells() if stamp is not None else []  # CSV: on every row
        self.stamp = stamp.as_dict() if stamp is not None else None  # NL: on every line
        self.widths: list[int] | None = None
        if fmt in ("table", "markdown"):
            self.widths, self._cells = _measure(self.findings, wrap=fmt == "table")

    def widen(self, widths: Sequence[int] | None) -> None:
        if widths is not None:
            self.widths = [max(a, b) for a, b in zip(self.widths, widths)]

    def pieces(self) -> Iterator[tuple[tuple, str]]:
        if self.fmt == "json":
            for f in self.findings:
                out = ["\n  "]
                dump_json(finding_dict(f), "\n  ", out)
                yield finding_order(f), "".join(out)
        elif self.fmt == "nl":
            from ledger.reports.render import json_default

            for f in self.findings:
                record = finding_dict(f) if self.stamp is None else {**finding_dict(f), "ledger": self.stamp}
                yield finding_order(f), json.dumps(record, ensure_ascii=False, default=json_default) + "\n"
        elif self.fmt == "csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            for f in self.findings:
                writer.writerows(row + self.stamp_cells for row in _csv_rows(f))
                yield finding_order(f), out.getvalue()
                out.seek(0)
                out.truncate()
        else:
            widths = fit(self.widths, self.width)
            cells = self._cells if widths == self.widths else _narrowed(self.findings, self._cells, widths)
            rows = _layout(cells, widths, markdown=self.fmt == "markdown")
            for f, row in zip(self.findings, rows):
                yield finding_order(f), row


def merged_chunks(fmt: str, shares: Sequence[Iterator[tuple[tuple, str]]], widths: Sequence[int] | None,
                  tally: Tally, stamp=None, width: int | None = None) -> Iterator[str]:
    """The whole report from the pieces of one or more shares (each in order), their widths and tally added up;
    a table's narrowed to ``width``, as its shares' ``ReportText`` were made.

    With a ``reports.stamp.Stamp`` (a report made from a ledger), the JSON is an object,
    ``{"ledger": stamp, "findings": [...]}``, the CSV has the stamp's columns, and a table ends with its line.
    """
    pieces = shares[0] if len(shares) == 1 else heapq.merge(*shares, key=itemgetter(0))
    texts = map(itemgetter(1), pieces)
    any_findings = bool(tally.verdicts)
    if fmt == "json":
        yield json_opening(stamp, any_findings)
        if any_findings:
            yield from _batched(texts, ",")
            yield "\n" + ("]}\n" if stamp is not None else "]\n")
        return
    # nl and csv: a row per finding, each carrying the stamp; with none, one row holds the stamp alone, so a
    # report that found nothing still says what it was made from
    if fmt == "nl":
        yield from _batched(texts, "")
        if not any_findings and stamp is not None:
            yield json.dumps({"ledger": stamp.as_dict()}, ensure_ascii=False) + "\n"
        return
    if fmt == "csv":
        from ledger.reports.stamp import CSV_COLUMNS

        yield ",".join(CSV_HEADERS + (CSV_COLUMNS if stamp is not None else [])) + "\n"
        yield from _batched(texts, "")
        if not any_findings and stamp is not None:
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerow([""] * len(CSV_HEADERS) + stamp.csv_cells())
            yield out.getvalue()
        return
    width = width if fmt == "table" else None
    if any_findings:
        yield _table_head(fit(widths, width), markdown=fmt == "markdown")
        yield from _batched(texts, "")
    yield table_closing(tally, width)
    yield report_ending(stamp, tally, width)


def table_closing(tally: Tally, width: int | None = None) -> str:
    """What a table or markdown report prints after its rows: the grades' legend (or that nothing was found),
    and the names and places to look at; everything but ``report_ending``. Fitted to ``width``, if given."""
    tail = ["", GRADE_LEGEND] if tally.verdicts else ["No discrepancies found."]
    if tally.possible_matches:
        tail.append("")
        similar = [n for n in tally.possible_matches if n.question == "similar"]
        unrelated = [n for n in tally.possible_matches if n.question != "similar"]
        if similar:
            tail.append("Possible name matches (not joined; if one is the same as the other, run its command):")
            for note in similar:
                tail.append((f"- {note.kind} {note.name!r} ~ {note.candidate!r} ({note.score:.0f}%):", _join_command(note)))
        if unrelated:
            if similar:
                tail.append("")
            tail.append("Places counted apart without your word (say how they relate: one place, or one within the other):")
            for note in unrelated:
                a, b = shlex.quote(note.name), shlex.quote(note.candidate)
                if note.question == "nested":
                    tail.append(f"- {note.event}: {note.name!r} is counted as a part of {note.candidate!r} by its wording; "
                                f"if they count the same: ledger place merge {a} {b}")
                else:
                    tail.append(f"- {note.event}: {', '.join(map(repr, note.names))} are each counted as a part of the whole "
                                f"event; one inside another: ledger place edit {a} --within {b}; one place: ledger place merge {a} {b}")
    tail.append("")
    return "\n".join(fit_lines(tail, width)) + "\n"


def json_opening(stamp, any_findings: bool) -> str:
    """A JSON report's first chunk, the only one that holds its stamp; with no findings, the whole report."""
    opening, closing = "[", "]\n"
    if stamp is not None:
        opening, closing = f'{{"ledger": {json.dumps(stamp.as_dict(), ensure_ascii=False)},\n"findings": [', "]}\n"
    return opening if any_findings else opening + closing


def report_ending(stamp, tally: Tally, width: int | None = None) -> str:
    """A table's last lines: the stamp (what it was made from, when) and the summary. The last chunk of
    ``merged_chunks``: everything before it is the same whenever the report is made from the same results."""
    return "".join(line + "\n" for line in fit_lines([*([stamp.line()] if stamp is not None else []), tally.summary()], width))


def _join_command(note) -> str:
    """The command that joins the two names: a source alias for sources, a merge for events, groups and places."""
    if note.kind == "source":
        return f"ledger source merge {shlex.quote(note.name)} {shlex.quote(note.candidate)}"
    return f"ledger {note.kind} merge {shlex.quote(note.name)} {shlex.quote(note.candidate)}"


def _batched(texts: Iterator[str], between: str) -> Iterator[str]:
    """The texts joined by ``between``, in chunks of CHUNK."""
    batch: list[str] = []
    lead = ""
    for text in texts:
        batch.append(text)
        if len(batch) == CHUNK:
            yield lead + between.join(batch)
            batch, lead = [], between
    if batch:
        yield lead + between.join(batch)


# -- table and markdown --------------------------------------------------------------

# Where textwrap would break a word at its hyphen (a letter on either side).
_WORD_HYPHEN = re.compile(r"-(?<=[^\W\d]-)(?=[^\W\d])")


def _wrap(text: str, width: int) -> tuple[str, ...]:
    """The lines tabulate wraps a cell into: each line of it by ``textwrap`` at ``width``, blank lines dropped."""
    printable = text.isprintable()
    if len(text) <= width and printable:
        return (text.strip(),) if text.strip() else ()
    if (not printable or "  " in text or text[0] == " " or text[-1] == " " or "--" in text
            or ("-" in text and _WORD_HYPHEN.search(text))):
        return _textwrap(text, width)
    # Plain words and single spaces: each line ends at the last space that fits.
    lines: list[str] = []
    start, end = 0, len(text)
    while end - start > width:
        cut = text.rfind(" ", start, start + width + 1)
        if cut <= start:  # a word longer than a line: textwrap breaks it
            return _textwrap(text, width)
        lines.append(text[start:cut])
        start = cut + 1
    lines.append(text[start:])
    return tuple(lines)


def _textwrap(text: str, width: int) -> tuple[str, ...]:
    wrapped = "\n".join(
        "\n".join(textwrap.wrap(line, width)) for line in text.splitlines() if line.strip()
    ).strip()  # tabulate strips the cell once wrapped
    return tuple(wrapped.split("\n")) if wrapped else ()


def _lines(text: str) -> tuple[str, ...]:
    text = text.strip()
    return tuple(text.split("\n")) if text else ()


def _measure(findings: Sequence[Finding], wrap: bool) -> tuple[list[int], list[tuple]]:
    """Each finding's cells, split into lines, and the column widths they need.

    The widths are tabulate's: the widest line, and at least the header and two spaces.
    """
    widths = [len(h) + 2 for h in HEADERS]
    cells: list[tuple] = []
    for f in findings:
        quantity, reason = f.quantity.label(), f.reason
        if wrap:
            quantity_lines, reason_lines = _wrap(quantity, QUANTITY_WIDTH), _wrap(reason, REASON_WIDTH)
        else:
            quantity_lines, reason_lines = _lines(quantity), _lines(reason)
        row = (f.verdict, quantity_lines, reason_lines, _interval_label(f.envelope), _interval_label(f.consensus),
               _claim_lines(f))
        for column in (0, 3, 4):
            if len(row[column]) > widths[column]:
                widths[column] = len(row[column])
        for column in (1, 2, 5):
            if row[column]:
                longest = max(map(len, row[column]))
                if longest > widths[column]:
                    widths[column] = longest
        cells.append(row)
    return widths, cells


def fit(widths: Sequence[int], width: int | None) -> list[int]:
    """The table's column widths (``widths``: as its cells need them) in ``width`` characters: the quantity and
    reason columns narrowed, never below their floors nor wider than they are. Unchanged for no width."""
    if width is None:
        return list(widths)
    floors = list(widths)  # the other columns keep their widths
    floors[1], floors[2] = min(widths[1], QUANTITY_FLOOR), min(widths[2], REASON_FLOOR)
    return fitted(widths, floors, width)


def _narrowed(findings: Sequence[Finding], cells: Sequence[tuple], widths: Sequence[int]) -> Iterator[tuple]:
    """The cells with quantity and reason wrapped again at ``widths``, between words only (not at a hyphen, as
    the table at its full width is: the same in a file whatever the terminal)."""
    for f, (verdict, _, _, envelope, consensus, claims) in zip(findings, cells):
        quantity, reason = ([line for part in text.splitlines() for line in word_wrap(part, width)]
                            for text, width in ((f.quantity.label(), widths[1]), (f.reason, widths[2])))
        yield verdict, quantity, reason, envelope, consensus, claims


def _frame(widths: Sequence[int], markdown: bool) -> tuple[str, str, str]:
    """The layout of a line's first five columns (a % format), the claims column's end, and the rule."""
    if markdown:
        begin, sep, end = "| ", " | ", " |"
        rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    else:
        begin, sep, end = "", "  ", ""
        rule = "  ".join("-" * w for w in widths)
    return begin + sep.join(f"%-{w}s" for w in widths[:5]) + sep, end, rule


def _table_head(widths: Sequence[int], markdown: bool) -> str:
    head, end, rule = _frame(widths, markdown)
    return (head % tuple(HEADERS[:5]) + HEADERS[5].ljust(widths[5]) + end).rstrip() + "\n" + rule.rstrip() + "\n"


def _layout(cells: Sequence[tuple], widths: Sequence[int], markdown: bool) -> Iterator[str]:
    """Each finding's rows of the table, as one text."""
    head, end, _ = _frame(widths, markdown)
    last = widths[5]
    blank_head = head % ("", "", "", "", "")
    for verdict, quantity, reason, envelope, consensus, claims in cells:
        out = []
        text = max(len(quantity), len(reason), 1)
        for n in range(text):
            claim = claims[n] if n < len(claims) else ""
            out.append((head % (
                verdict if n == 0 else "",
                quantity[n] if n < len(quantity) else "",
                reason[n] if n < len(reason) else "",
                envelope if n == 0 else "",
                consensus if n == 0 else "",
            ) + claim.ljust(last) + end).rstrip())
        for n in range(text, len(claims)):  # lines with nothing but a claim
            out.append(blank_head + (claims[n].ljust(last) + end if markdown else claims[n]))
        out.append("")
        yield "\n".join(out)
