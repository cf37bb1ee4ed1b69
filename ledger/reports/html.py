"""The conflict report as one self-contained HTML page, for an editor.

Pure: ``render_html`` takes the report's findings as plain dicts (what
``ledger report --json`` prints, ``ledger.reports.findings.finding_dict``), a
dict claim id → provenance view (``ledger.reports.html_provenance``) and the
report's stamp (history head, when it was made, its filters), and returns the
page. The page loads nothing: its style and script are inline (from
``html_assets/``), its charts inline SVG (``ledger.reports.html_chart``), and a
Content-Security-Policy holding the hashes of that style and script forbids
the browser any other, so a string that escaped its escaping still could not
run. Every string from the ledger is escaped.

It is built whole, not streamed: it is meant for an editor reading a few
contested quantities, not for a million claims (the table, JSON, CSV and
markdown reports stream).
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from html import escape
from importlib import resources

from ledger.reports.html_chart import chart, claim_key, colours, figure_date, shape_key
from ledger.reports.html_provenance import panel

FORMAT = "html"
GRADE_NOTE = ("Grades (Admiralty code): the source’s reliability, A completely reliable to E unreliable, F cannot be "
              "judged; then the claim’s credibility, 1 confirmed to 5 improbable, 6 cannot be judged.")
EXTRACTED = {"exclude": "left out: the claims <code>ledger extract</code> recorded are not in this report",
             "only": "only the claims <code>ledger extract</code> recorded are in this report"}  # HTML


@cache
def _asset(name: str) -> str:
    return resources.files("ledger.reports").joinpath("html_assets", name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _e(value) -> str:
    return escape(str(value), quote=True)


def quantity_label(quantity: dict) -> str:
    """``event / metric / group``, as the table report labels a quantity (``QuantityKey.label``)."""
    where = f" in {quantity['place']}" if quantity.get("place") else ""
    return f"{quantity['event']}{where} / {quantity['metric']} / {quantity.get('group') or 'total'}"


def _interval(pair: dict | None) -> str:
    if pair is None:
        return "none"
    low, high = pair["low"], pair["high"]
    if high == low:
        return str(low)
    return f"{low}–{'∞' if high is None else high}"


def render_html(findings: list[dict], provenance: dict[int, dict], stamp: dict, summary: str = "") -> str:
    """The whole page. ``stamp``: ``head_seq``, ``head_hash``, ``made_at`` (text), ``event`` (None: every
    event), ``include_agreement``, and optionally ``extracted`` ("exclude" or "only": the claims `ledger extract`
    recorded left out, or only they) and ``possible_matches`` (how many name matches were not joined)."""
    style, script = _asset("report.css"), _asset("report.js")
    csp = (f"default-src 'none'; style-src {_csp_hash(style)}; script-src {_csp_hash(script)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    palette = colours(findings)
    title = "Conflict report" + (f": {stamp['event']}" if stamp.get("event") else "")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="ledger">',
        '<link rel="icon" href="data:,">',
        f"<title>{_e(title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="summary">{_e(summary)}</p>' if summary else "",
        _stamp(stamp),
        _table(findings),
    ]
    out += [_finding(finding, n, palette) for n, finding in enumerate(findings, 1)]
    out.append(_panels(findings, provenance))
    out.append('<footer>Made by <code>ledger report --format html</code>. This page is self-contained: it loads '
               'nothing from the network. Check a figure’s history with <code>ledger audit ID</code>.</footer>')
    out += ["</main>", f"<script>{script}</script>", "</body>", "</html>"]
    return "\n".join(part for part in out if part) + "\n"


def _stamp(stamp: dict) -> str:
    """The report's provenance: the history head it was made at, when, and what it was asked for."""
    seq, head = stamp.get("head_seq") or 0, stamp.get("head_hash")
    if head:
        head_html = (f'entry {_e(seq)}, hash <span class="hash">{_e(head)}</span><br><span class="muted">check it later: '
                     f'<code>ledger verify --head {_e(head[:16])}</code></span>')
    else:
        head_html = '<span class="muted">empty history</span>'
    event = _e(stamp["event"]) if stamp.get("event") else "every event"
    agreement = ("included (--all)" if stamp.get("include_agreement")
                 else "left out (only discrepancies; --all adds quantities where the sources agree)")
    rows = [("ledger history head", head_html), ("made", _e(stamp.get("made_at", ""))),
            ("event", event + (' <span class="muted">(--event)</span>' if stamp.get("event") else "")),
            ("agreements", _e(agreement))]
    if stamp.get("extracted") in EXTRACTED:
        rows.append(("extracted claims", f'{EXTRACTED[stamp["extracted"]]} '
                                         f'<span class="muted">(--extracted {_e(stamp["extracted"])})</span>'))
    matches = stamp.get("possible_matches")
    if matches:
        rows.append(("names", f"{_e(matches)} possible name match{'es' if matches != 1 else ''} not joined: "
                              "<code>ledger report</code> lists them with the command that joins each"))
    body = "".join(f"<dt>{label}</dt><dd>{html}</dd>" for label, html in rows)
    return f'<section class="card" aria-label="about this report"><dl class="stamp">{body}</dl></section>'


def _verdict(verdict: str) -> str:
    return f'<span class="verdict {_e(verdict)}">{_e(verdict)}</span>'


def _table(findings: list[dict]) -> str:
    """The discrepancy table: the rows `ledger report` prints, in its order and words."""
    if not findings:
        return '<section class="card"><h2>Discrepancies</h2><p>No discrepancies found.</p></section>'
    rows = []
    for n, f in enumerate(findings, 1):
        buttons = "".join(
            f'<button type="button" class="claim" data-show="{_e(claim_key(x))}" data-finding="finding-{n}" '
            f'title="{_e(x["said_by"])}: {_e(x["value"]["text"])}">{_e(claim_key(x))} ({_e(x["grade"])})</button>'
            for x in f["claims"])
        rows.append(f'<tr><td>{_verdict(f["verdict"])}</td>'
                    f'<td><a href="#finding-{n}">{_e(quantity_label(f["quantity"]))}</a></td>'
                    f'<td class="reason">{_e(f["reason"])}</td><td class="num">{_e(_interval(f["envelope"]))}</td>'
                    f'<td class="num">{_e(_interval(f["consensus"]))}</td><td>{buttons}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ("verdict", "quantity", "reason", "envelope", "consensus", "claims"))
    return (f'<section class="card"><h2>Discrepancies</h2><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table><p class="legend-note">{_e(GRADE_NOTE)}</p></section>')


def _finding(finding: dict, n: int, palette: dict[str, str]) -> str:
    """One contested quantity: its verdict and reason, its chart with a key, and the panel a click fills."""
    sources = list(dict.fromkeys(x["said_by"] for x in finding["claims"]))
    key = _swatches(sources, palette)
    dates = sorted({figure_date(x) or "no date" for x in finding["claims"]})
    return (
        f'<section class="card finding" id="finding-{n}">'
        f'<h2>{_verdict(finding["verdict"])} <a href="#finding-{n}">{_e(quantity_label(finding["quantity"]))}</a></h2>'
        f'<p class="reason-text">{_e(finding["reason"])}</p>'
        f'<div class="body"><figure class="plot">{chart(finding, n, palette)}'
        f'<figcaption><ul class="key">{key}</ul><ul class="key shapes">{shape_key(finding)}</ul>'
        f'<p class="legend-note">{len(finding["claims"])} figure{"s" if len(finding["claims"]) != 1 else ""}, '
        f'{_e(", ".join(dates))}. Click a mark (or focus it and press Enter) for its provenance.</p></figcaption></figure>'
        f'<aside class="panel" aria-live="polite"><p class="placeholder">Click a mark in the chart to see who said it, '
        f'through whom, where it was published and the exact words.</p></aside></div></section>'
    )


def _swatches(sources: list[str], palette: dict[str, str]) -> str:
    """The chart's key: a coloured dot per source, drawn in SVG (inline style attributes would need the CSP's leave)."""
    return "".join(
        f'<li><svg width="11" height="11" aria-hidden="true" class="dot"><circle cx="5.5" cy="5.5" r="5.5" '
        f'fill="{palette[s]}"/></svg> {_e(s)}</li>' for s in sources)


def _panels(findings: list[dict], provenance: dict[int, dict]) -> str:
    """Every mark's provenance article, once each, hidden: the script copies one into a panel on a click."""
    seen: dict[str, str] = {}
    for finding in findings:
        for figure in finding["claims"]:
            key = claim_key(figure)
            if key not in seen:
                seen[key] = panel(key, figure, provenance)
    return f'<div id="provenance" hidden>{"".join(seen.values())}</div>'
