"""The conflict report in each output format: table, json, csv, markdown.

Formatting only; the findings come from ``ledger.reconcile``.
"""

from __future__ import annotations

from ledger import render
from ledger.reconcile import Figure, Finding, Report

FORMATS = ("table", "json", "csv", "markdown")
REASON_WIDTH = 72


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
        "quantity": {"event": f.quantity.event, "metric": f.quantity.metric, "group": f.quantity.group},
        "verdict": f.verdict,
        "reason": f.reason,
        "envelope": _interval(f.envelope),
        "consensus": _interval(f.consensus),
        "claims": [figure_dict(x) for x in f.figures],
    }


def _claim_ids(f: Finding) -> str:
    ids = []
    for x in f.figures:
        ids.append((str(x.claim_id) if not x.derived else "+".join(str(p) for p in x.parts)) + f" ({x.grade})")
    return "\n".join(ids)


def _rows(report: Report) -> list[list]:
    return [
        [f.verdict, f.quantity.label(), f.reason, _interval_label(f.envelope), _interval_label(f.consensus), _claim_ids(f)]
        for f in report.findings
    ]


HEADERS = ["verdict", "quantity", "reason", "envelope", "consensus", "claims"]


def summary(report: Report) -> str:
    counts = {}
    for f in report.findings:
        counts[f.verdict] = counts.get(f.verdict, 0) + 1
    parts = [f"{n} {verdict}{'s' if n != 1 else ''}" for verdict, n in counts.items()] or ["no discrepancies"]
    return f"{report.claims} claims, {report.quantities} quantities: " + ", ".join(parts)


def render_report(report: Report, fmt: str) -> str:
    if fmt == "json":
        return render.to_json([finding_dict(f) for f in report.findings])
    if fmt == "csv":
        return render.to_csv(_rows(report), HEADERS).rstrip("\n")
    from tabulate import tabulate

    tablefmt = "github" if fmt == "markdown" else "simple"
    lines = []
    if report.findings:
        lines.append(tabulate(_rows(report), headers=HEADERS, tablefmt=tablefmt, disable_numparse=True,
                              maxcolwidths=[None, 30, REASON_WIDTH, None, None, None] if fmt == "table" else None))
    else:
        lines.append("No discrepancies found.")
    if report.possible_matches:
        lines.append("")
        lines.append("Possible name matches (not merged; record an alias if they are the same):")
        for note in report.possible_matches:
            lines.append(f"- {note.kind} {note.name!r} ~ {note.candidate!r} ({note.score:.0f}%)")
    lines.append("")
    lines.append(summary(report))
    return "\n".join(lines)
