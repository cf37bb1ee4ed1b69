"""One contested quantity as an inline SVG chart: every source's interval over time.

Pure: a finding dict (as ``ledger.reports.findings.finding_dict`` makes it) in,
SVG text out. x is the date a figure speaks for (its ``as_of``, else its
publication date); each figure is one mark, a bar from its low to its high
bound: a dot for an exact figure, a bar fading up to the chart's top edge with
an arrow for an open-ended one ("more than 70"), hollow and dashed for a total
ledger derived by summing parts. A line joins one source's successive figures:
its revision path. Every mark carries ``data-claim`` (the claim id, or the
parts joined by "+") and is focusable, so the page's script can show its
provenance; every string is escaped here.
"""

from __future__ import annotations

import math
from datetime import date
from html import escape

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 22, 50  # the plot area's margins
# Colour-blind-safe (Okabe & Ito), dark enough for white text and thin lines.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#B07800", "#56B4E9", "#6B4C9A", "#444444")
SLOT = 120  # room a figure sharing a date with others gets, at most, beside them
LABEL_CHARS = 22


def claim_key(figure: dict) -> str:
    """What a mark's ``data-claim`` holds: the claim id, or a derived total's parts joined by "+"."""
    if figure.get("derived"):
        return "+".join(str(p) for p in figure.get("parts", ()))
    return str(figure["id"])


def figure_date(figure: dict) -> str | None:
    """The date a figure is placed at: its as-of date, else its publication date (ISO text), else None."""
    return figure.get("as_of") or figure.get("published")


def colours(findings: list[dict]) -> dict[str, str]:
    """One colour per source across the whole report, in order of first appearance."""
    names: dict[str, str] = {}
    for finding in findings:
        for figure in finding["claims"]:
            if figure["said_by"] not in names:
                names[figure["said_by"]] = PALETTE[len(names) % len(PALETTE)]
    return names


def _nice_step(span: float) -> float:
    raw = span / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def _value_scale(figures: list[dict]) -> tuple[float, float, float]:
    """The y axis: bottom, top and tick step; open-ended figures get room above their low bound."""
    finite = [v for f in figures for v in (f["value"]["low"], f["value"]["high"]) if v is not None]
    bottom = min(0, *finite) if finite else 0
    top = max(finite) if finite else 1
    opened = [f["value"]["low"] for f in figures if f["value"]["high"] is None and f["value"]["low"] is not None]
    if opened:
        top = max(top, max(opened) * 1.4 or 1)
    if top <= bottom:
        top = bottom + 1
    step = _nice_step(top - bottom)
    return math.floor(bottom / step) * step, math.ceil(top / step) * step, step


def _positions(figures: list[dict]) -> tuple[list[float], list[tuple[float, str]]]:
    """Each figure's x, and the date labels: a time scale, figures of one date side by side."""
    days = [_day(figure_date(f)) for f in figures]
    known = sorted({d for d in days if d is not None})
    x0, x1 = LEFT + 70, WIDTH - RIGHT - 90
    if not known:
        centres: dict = {}
    elif len(known) == 1:
        centres = {known[0]: (x0 + x1) / 2}
    else:
        first, span = known[0].toordinal(), known[-1].toordinal() - known[0].toordinal()
        centres = {d: x0 + (d.toordinal() - first) / span * (x1 - x0) for d in known}
    if None in days:  # undated figures stand apart, at the left edge
        centres[None] = LEFT + 24
    groups: dict = {}
    for i, d in enumerate(days):
        groups.setdefault(d, []).append(i)
    xs = [0.0] * len(figures)
    for d, members in groups.items():
        room = min(SLOT, (x1 - x0) / max(len(members), 1))
        for n, i in enumerate(members):
            xs[i] = centres[d] + (n - (len(members) - 1) / 2) * room
    labels = [(centres[d], d.isoformat() if d is not None else "no date") for d in sorted(centres, key=_date_order)]
    return xs, labels


def _date_order(d):
    return (d is not None, d or date.min)


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _attr(value) -> str:
    return escape(str(value), quote=True)


def chart(finding: dict, index: int, palette: dict[str, str]) -> str:
    """The SVG of one finding: axes, revision paths, then one focusable mark per figure."""
    figures = finding["claims"]
    bottom, top, step = _value_scale(figures)
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM

    def y(v: float) -> float:
        return plot_bottom - (v - bottom) / (top - bottom) * (plot_bottom - plot_top)

    xs, date_labels = _positions(figures)
    metric = finding["quantity"]["metric"]
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
           f'aria-label="{_attr(f"{metric}: each source" + chr(39) + "s figures over time")}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    out.append("<defs>")
    for n, colour in enumerate(dict.fromkeys(palette[f["said_by"]] for f in figures)):
        out.append(f'<linearGradient id="fade{index}-{n}" x1="0" y1="1" x2="0" y2="0">'
                   f'<stop offset="0" stop-color="{colour}" stop-opacity="0.55"/>'
                   f'<stop offset="1" stop-color="{colour}" stop-opacity="0.04"/></linearGradient>')
    gradient = {c: n for n, c in enumerate(dict.fromkeys(palette[f["said_by"]] for f in figures))}
    out.append("</defs>")
    # Grid and axes.
    tick = bottom
    while tick <= top + step / 1000:
        ty = y(tick)
        out.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        out.append(f'<text class="tick" x="{LEFT - 8}" y="{ty + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>')
        tick += step
    out.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{plot_bottom}" y2="{plot_bottom}"/>')
    out.append(f'<text class="axis-title" x="16" y="{(plot_top + plot_bottom) / 2:.0f}" text-anchor="middle" '
               f'transform="rotate(-90 16 {(plot_top + plot_bottom) / 2:.0f})">{escape(metric)}</text>')
    last = -1e9
    for lx, text in date_labels:
        if lx - last >= 80:  # dates too close to read apart: the marks' titles still say them
            out.append(f'<line class="axis" x1="{lx:.1f}" x2="{lx:.1f}" y1="{plot_bottom}" y2="{plot_bottom + 5}"/>')
            out.append(f'<text class="tick" x="{lx:.1f}" y="{plot_bottom + 19}" text-anchor="middle">{escape(text)}</text>')
            last = lx
    out.append(f'<text class="axis-title" x="{(LEFT + WIDTH - RIGHT) / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle">'
               f'date the figure speaks for (as of, else published)</text>')
    out.extend(_revision_paths(figures, xs, y, palette))
    for figure, x in zip(figures, xs):
        out.append(_mark(figure, x, y, plot_top, palette[figure["said_by"]],
                         f"fade{index}-{gradient[palette[figure['said_by']]]}"))
    out.append("</svg>")
    return "\n".join(out)


def _centre(figure: dict, y) -> float:
    value = figure["value"]
    if value["high"] is None:
        return y(value["low"])
    return (y(value["low"]) + y(value["high"])) / 2


def _revision_paths(figures: list[dict], xs: list[float], y, palette: dict[str, str]) -> list[str]:
    """A line through each source's figures in date order, for a source with more than one."""
    by_source: dict[str, list[tuple]] = {}
    for n, (figure, x) in enumerate(zip(figures, xs)):
        by_source.setdefault(figure["said_by"], []).append((_date_order(_day(figure_date(figure))), n, x, figure))
    out = []
    for source, points in by_source.items():
        if len(points) < 2:
            continue
        points.sort(key=lambda p: (p[0], p[1]))
        coords = " ".join(f"{x:.1f},{_centre(figure, y):.1f}" for _, _, x, figure in points)
        out.append(f'<polyline class="revision" points="{coords}" stroke="{palette[source]}" fill="none">'
                   f'<title>{escape(source)}: revision path</title></polyline>')
    return out


def _mark(figure: dict, x: float, y, plot_top: float, colour: str, fade: str) -> str:
    """One figure: its bar or dot, a larger transparent target to click, its words beside it."""
    value = figure["value"]
    low, high = value["low"], value["high"]
    derived = bool(figure.get("derived"))
    kind = "derived" if derived else "stated"
    shape = "open" if high is None else ("exact" if high == low else "interval")
    dash = ' stroke-dasharray="5 3"' if derived else ""
    body: list[str] = []
    if shape == "open":
        yl = y(low)
        body.append(f'<rect x="{x - 7:.1f}" y="{plot_top + 8}" width="14" height="{max(yl - plot_top - 8, 0):.1f}" '
                    f'fill="url(#{fade})"{dash} stroke="{colour}" stroke-opacity="0.35"/>')
        body.append(f'<path d="M{x - 9:.1f},{plot_top + 10} L{x:.1f},{plot_top} L{x + 9:.1f},{plot_top + 10} Z" fill="{colour}"/>')
        body.append(f'<line x1="{x - 10:.1f}" x2="{x + 10:.1f}" y1="{yl:.1f}" y2="{yl:.1f}" stroke="{colour}" stroke-width="3"/>')
        top_y, bottom_y = plot_top, yl
    elif shape == "interval":
        yh, yl = y(high), y(low)
        fill = "#fff" if derived else colour
        body.append(f'<rect x="{x - 7:.1f}" y="{yh:.1f}" width="14" height="{max(yl - yh, 1):.1f}" rx="2" fill="{fill}" '
                    f'fill-opacity="{1 if derived else 0.35}" stroke="{colour}" stroke-width="2"{dash}/>')
        for end in (yh, yl):
            body.append(f'<line x1="{x - 10:.1f}" x2="{x + 10:.1f}" y1="{end:.1f}" y2="{end:.1f}" stroke="{colour}" stroke-width="3"/>')
        top_y, bottom_y = yh, yl
    else:
        yv = y(low)
        if derived:  # a hollow diamond: ledger's sum, not a figure anyone stated
            body.append(f'<path d="M{x:.1f},{yv - 9:.1f} L{x + 9:.1f},{yv:.1f} L{x:.1f},{yv + 9:.1f} L{x - 9:.1f},{yv:.1f} Z" '
                        f'fill="#fff" stroke="{colour}" stroke-width="2.5"{dash}/>')
        else:
            body.append(f'<circle cx="{x:.1f}" cy="{yv:.1f}" r="7" fill="{colour}" stroke="#fff" stroke-width="1.5"/>')
        top_y, bottom_y = yv - 9, yv + 9
    words = value["text"]
    if derived:  # the sum first: "Σ 78 = 28 + 45 + 5"
        words = f"Σ {_fmt(low)} = {words}" if shape == "exact" else f"Σ {words}"
    label = words if len(words) <= LABEL_CHARS else words[:LABEL_CHARS - 1] + "…"
    mid = (top_y + bottom_y) / 2 if shape != "open" else bottom_y
    body.append(f'<text class="label" x="{x + 13:.1f}" y="{mid + 4:.1f}">{escape(label)}</text>')
    title = _title(figure)
    # The target a click lands on: the mark and its words (a click lands at the middle of the whole).
    reach = 13 + 6.8 * len(label) + 4
    hit = (f'<rect class="hit" x="{x - 13:.1f}" y="{min(top_y, mid - 8) - 4:.1f}" width="{13 + reach:.1f}" '
           f'height="{max(bottom_y, mid + 8) - min(top_y, mid - 8) + 8:.1f}" rx="4" fill="transparent"/>')
    return (f'<g class="mark {kind} {shape}" data-claim="{_attr(claim_key(figure))}" tabindex="0" role="button" '
            f'aria-label="{_attr(title)}"><title>{escape(title)}</title>{hit}{"".join(body)}</g>')


def _title(figure: dict) -> str:
    value = figure["value"]
    interval = value["low"] if value["high"] == value["low"] else f"{value['low']}–{'∞' if value['high'] is None else value['high']}"
    who = figure["said_by"] + (" (derived total of claims " + ", ".join(map(str, figure.get("parts", ()))) + ")"
                               if figure.get("derived") else f" (claim {figure['id']})")
    return f'{who}: "{value["text"]}" ({interval}), {figure_date(figure) or "no date"}'


_KEY = {  # a small grey drawing of each kind of mark, and what it means
    "exact": ('<circle cx="11" cy="7" r="5" fill="#5d6675"/>', "a figure as stated"),
    "interval": ('<rect x="7" y="1" width="8" height="12" rx="1" fill="#5d6675" fill-opacity=".35" stroke="#5d6675"/>',
                 "a range, low to high"),
    "open": ('<path d="M6,5 L11,0 L16,5 Z" fill="#5d6675"/><rect x="8" y="5" width="6" height="7" fill="#5d6675" '
             'fill-opacity=".3"/><line x1="5" x2="17" y1="12.5" y2="12.5" stroke="#5d6675" stroke-width="2"/>',
             "open-ended (“more than”)"),
    "derived": ('<path d="M11,1 L17,7 L11,13 L5,7 Z" fill="#fff" stroke="#5d6675" stroke-width="1.5" stroke-dasharray="3 2"/>',
                "a total ledger summed from parts"),
    "revision": ('<line x1="2" x2="20" y1="11" y2="3" stroke="#5d6675" stroke-width="2"/>', "one source’s figures over time"),
}


def shape_key(finding: dict) -> str:
    """The chart's key for the kinds of mark it has, as list items."""
    figures = finding["claims"]
    kinds = set()
    for figure in figures:
        low, high = figure["value"]["low"], figure["value"]["high"]
        kinds.add("derived" if figure.get("derived") else "open" if high is None else "exact" if high == low else "interval")
    said = [f["said_by"] for f in figures]
    if any(said.count(name) > 1 for name in said):
        kinds.add("revision")
    return "".join(f'<li class="shape"><svg width="22" height="14" aria-hidden="true">{drawing}</svg> {words}</li>'
                   for kind, (drawing, words) in _KEY.items() if kind in kinds)
