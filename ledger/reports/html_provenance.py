"""A claim's provenance for the HTML report: built from plain records, shown as an HTML panel.

``provenance_view`` turns a claim, its document and the ledger's sources into
the dict ``ledger audit --json`` shows (``ledger.provenance.audit.build_audit``),
less the history and verdicts, which a report's reader does not need in a
panel. ``panel`` renders that dict as the ``<article>`` the page shows when a
mark is clicked: the attribution chain, the document, the verbatim quote and
whether it was found in the document's text, the figure's original words.
Pure; every string from the ledger is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ledger.model import Claim, Document, Source

SAFE_SCHEMES = ("http://", "https://")  # a document link the page may show as a link; any other as text


def by_name(sources: Sequence[Source]) -> dict[str, Source]:
    """Each source under its name and each of its aliases: what ``provenance_view`` looks names up in."""
    known: dict[str, Source] = {}
    for source in sources:
        known.setdefault(source.name, source)
        for alias in source.aliases:
            known.setdefault(alias, source)
    return known


def provenance_view(claim: Claim, document: Document | None, known: dict[str, Source]) -> dict:
    """The audit view of ``claim`` without history or verdicts; its chain read from the claim's names,
    looked up in ``known`` (``by_name``); a name not there shows as it is, of kind "other"."""
    from ledger.provenance.audit import Hop, build_audit

    def hop(role: str, name: str) -> Hop:
        source = known.get(name) or Source(id=0, name=name, kind="other")
        return Hop(role, source, name if source.name != name else None)

    path = [hop("origin", claim.said_by), *(hop("relay", name) for name in claim.via)]
    outlet = claim.outlet or (document.outlet if document is not None else None)
    if outlet and hop("outlet", outlet).source.name != path[-1].source.name:
        path.append(hop("outlet", outlet))
    view = build_audit(claim, path, document, None, (), ())
    del view["history"], view["verdicts"]
    return view


def _e(value) -> str:
    return escape(str(value), quote=True)


def _hop(hop: dict) -> str:
    details = [hop["kind"]]
    if hop.get("affiliation"):
        details.append(f"affiliated with {hop['affiliation']}")
    if hop.get("grade"):
        details.append(f"grade {hop['grade']}")
    recorded = f' <span class="muted">(recorded as {_e(hop["recorded_as"])})</span>' if hop.get("recorded_as") else ""
    return (f'<li><span class="role">{_e(hop["role"])}</span> <strong>{_e(hop["name"])}</strong> '
            f'<span class="muted">{_e(", ".join(details))}</span>{recorded}</li>')


def _document(doc: dict | None) -> str:
    if doc is None:
        return '<span class="muted">none recorded</span>'
    parts = [f'<strong>document {_e(doc["id"])}</strong>', _e(doc["outlet"])]
    if doc.get("published"):
        parts.append(f'published {_e(doc["published"])}')
    text = ", ".join(parts)
    if doc.get("title"):
        text += f'<br><cite>{_e(doc["title"])}</cite>'
    url = doc.get("url")
    if url:
        shown = _e(url)
        link = f'<a href="{shown}" rel="noreferrer noopener">{shown}</a>' if str(url).lower().startswith(SAFE_SCHEMES) else shown
        text += f'<br><span class="url">{link}</span>'
    state = {True: "ok", False: "bad"}.get(doc.get("matches"), "muted")
    return text + f'<br><span class="{state}">stored text: {_e(doc["status"])}</span>'


def _quote(quote: dict | None, doc: dict | None) -> str:
    if quote is None:
        return '<span class="muted">no quote recorded</span>'
    out = [f'<blockquote class="quote">{_e(quote["text"])}</blockquote>']
    if quote.get("original"):
        out.append(f'<p>original: <q>{_e(quote["original"])}</q></p>')
    if quote.get("verified"):
        start, end = quote["span"] or ("?", "?")
        where = "its original words were" if quote.get("found") == "original" else "it was"
        out.append(f'<p class="ok">✔ verified: {where} found in the document’s text (characters {start}–{end})</p>')
    else:
        why = "not found in the document’s text" if doc and doc.get("text_sha256") else "no document text to check it against"
        out.append(f'<p class="bad">✘ unverified: {why}</p>')
    if quote.get("states_figure") is False:
        out.append('<p class="bad">the quote does not state this figure: no phrase in it reads as it</p>')
    context = quote.get("context")
    if context and context != quote["text"]:
        out.append(f'<details><summary>in context</summary><p class="context">{_highlight(context, quote)}</p></details>')
    return "".join(out)


def _highlight(context: str, quote: dict) -> str:
    """The sentence around the quote, the quoted words marked."""
    for words in (quote["text"], quote.get("original")):
        if words and words in context:
            before, _, after = context.partition(words)
            return f"{_e(before)}<mark>{_e(words)}</mark>{_e(after)}"
    return _e(context)


def _facts(view: dict) -> str:
    claim = view["claim"]
    value = claim["value"]
    words = f'<q>{_e(value["text"])}</q> <span class="muted">read as {_e(claim["interval"])} ({_e(value["kind"])})</span>'
    if claim.get("corrections"):
        words += '<br><span class="muted">corrected from ' + " ← ".join(
            f'<q>{_e(q["text"])}</q>' for q in reversed(claim["corrections"])) + "</span>"
    rows = [
        ("original words", words),
        ("attribution", '<ol class="chain">' + "".join(_hop(h) for h in view["path"]) + "</ol>"),
        ("grade", f'{_e(view["grade"])} <span class="muted">{_e(view["grade_meaning"])}</span>'),
        ("document", _document(view["document"])),
        ("quote", _quote(view["quote"], view["document"])),
    ]
    period = claim.get("period")
    if period and not period.startswith("as of"):
        period = f"period {period}"
    when = [w for w in (period, claim.get("published") and f"published {claim['published']}") if w]
    if when:
        rows.insert(1, ("when", _e("; ".join(when))))
    if claim.get("location"):
        rows.insert(2, ("where", _e(claim["location"])))
    return '<dl class="facts">' + "".join(f"<dt>{label}</dt><dd>{html}</dd>" for label, html in rows) + "</dl>"


def panel(key: str, figure: dict, views: dict[int, dict]) -> str:
    """The ``<article>`` shown for one mark: a claim's provenance, or a derived total's parts, each with theirs."""
    if not figure.get("derived"):
        view = views.get(figure["id"])
        body = _facts(view) if view else '<p class="muted">provenance not available</p>'
        heading = f'claim {_e(figure["id"])}: {_e(figure["said_by"])}, <q>{_e(figure["value"]["text"])}</q>'
        return (f'<article class="provenance" data-for="{_e(key)}"><h3>{heading}</h3>{body}'
                f'<p class="hint">Full history: <code>ledger audit {_e(figure["id"])}</code></p></article>')
    parts = figure.get("parts", ())
    out = [f'<article class="provenance" data-for="{_e(key)}">',
           f'<h3>derived total: {_e(figure["said_by"])}, <q>{_e(figure["value"]["text"])}</q> = {_e(figure["value"]["low"])}</h3>',
           f'<p class="note">Not a figure anyone stated: ledger summed {len(parts)} parts the source gave '
           f'(claims {_e(", ".join(map(str, parts)))}). Each part’s provenance follows.</p>']
    for part in parts:
        view = views.get(part)
        if view is None:
            out.append(f'<section class="part"><h4>claim {_e(part)}</h4><p class="muted">provenance not available</p></section>')
            continue
        claim = view["claim"]
        label = claim["group"] or "total"
        out.append(f'<section class="part"><h4>claim {_e(part)}: {_e(label)}, <q>{_e(claim["value"]["text"])}</q></h4>'
                   f'{_facts(view)}</section>')
    out.append("</article>")
    return "".join(out)
