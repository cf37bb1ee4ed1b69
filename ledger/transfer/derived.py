"""The reconciler's derived totals as items for the PROV-JSON export (``ledger.provenance.prov.to_prov_json``)."""

from __future__ import annotations

from collections.abc import Iterable


def derived_totals(findings: Iterable) -> list[dict]:
    """The reconciler's derived totals (sums of one source's parts), as ``to_prov_json`` items, once each."""
    seen: dict[str, dict] = {}
    for finding in findings:
        for f in finding.figures:
            if not f.derived:
                continue
            q = finding.quantity
            name = f"{q.event}/{q.metric}/{f.said_by}/document-{f.document_id}"
            seen.setdefault(name, {
                "id": f"derived:{name}", "parts": list(f.parts), "said_by": f.said_by, "value": f.value.to_dict(),
                "event": q.event, "metric": q.metric,
            })
    return [seen[k] for k in sorted(seen)]
