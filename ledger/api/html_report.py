"""The HTML report: the report's findings, each claim's provenance and the history head, gathered for the page.

The findings are the JSON report's, made by the same streamed pipeline
(``ledger.api.report``), so the page shows the same findings in the same order
and words as ``ledger report --json``. The provenance is read through the
store's readers (the claims, by id, in batches; their documents; the sources):
the page is for an editor reading a few contested quantities, not for a million
claims.
``ledger.reports.html.render_html`` makes the page from these plain data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone


def write_html_report(ledger, write: Callable[[str], object], event: str | None = None,
                      include_agreement: bool = False, made_at: datetime | None = None, extracted: str | None = None,
                      progress: Callable[[int, int], None] | None = None):
    """Write the report as one HTML page through ``write``; return its tally, as ``Ledger.write_report`` does.

    ``extracted``: "exclude" leaves out the claims ``ledger extract`` recorded, "only" keeps only them (the
    JSON report's own filter, so the page holds the findings ``ledger report --json --extracted`` prints).
    ``progress(done, total)`` as the report reads the claims, then as the page reads the ones it shows."""
    from ledger.api.report import write_report
    from ledger.reports.html import render_html
    from ledger.reports.html_provenance import by_name, provenance_view

    for _ in range(3):  # the head read before and after the report: the same, or a write came between
        head = _head(ledger)
        chunks: list[str] = []
        tally = write_report(ledger.store, chunks.append, fmt="json", event=event, include_agreement=include_agreement,
                             extracted=extracted, progress=progress)
        if _head(ledger) == head:
            break
    findings = json.loads("".join(chunks))["findings"]
    wanted = sorted({i for f in findings for x in f["claims"] for i in (x.get("parts") or [x["id"]]) if i is not None})
    sources = by_name(ledger.list_sources())
    documents: dict = {}
    provenance = {}
    shown = _claims(ledger, wanted)
    if progress is not None:
        from ledger.storage.readers import counted

        shown = counted(shown, progress, len(wanted), every=500)
    for claim in shown:
        if claim.document_id is not None and claim.document_id not in documents:
            documents[claim.document_id] = ledger.get_document(claim.document_id)
        provenance[claim.id] = provenance_view(claim, documents.get(claim.document_id), sources)
    made_at = made_at or datetime.now(timezone.utc)
    stamp = {
        "head_seq": head.seq if head else 0, "head_hash": head.hash if head else None,
        "made_at": made_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "event": event, "include_agreement": include_agreement, "extracted": extracted,
        "possible_matches": len(tally.possible_matches),
    }
    write(render_html(findings, provenance, stamp, tally.summary()))
    return tally


def _head(ledger):
    """The newest history entry, or None for an empty history."""
    return next(ledger.log(limit=1, newest_first=True), None)


def _claims(ledger, ids: list[int], batch: int = 500):
    """The claims with these ids, read a batch of ids per query (one query each would take 9 ms a claim)."""
    from ledger.storage.readers import iter_claims

    for start in range(0, len(ids), batch):
        yield from iter_claims(ledger.store, claim_ids=ids[start:start + batch])
