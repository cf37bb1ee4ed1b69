"""Exporting a ledger: every format streamed as text chunks, from storage through the pure serialisers."""

from __future__ import annotations

from collections.abc import Iterator


def export_chunks(store, fmt: str) -> Iterator[str]:
    """The export in ``fmt`` (one of :data:`ledger.transfer.EXPORT_FORMATS`), as text chunks to write in order."""
    import json

    from ledger import transfer
    from ledger.storage import readers

    if fmt == "csv":
        yield from transfer.csv_lines(readers.iter_claims(store))
        return
    if fmt == "jsonl":
        yield from transfer.jsonl_lines(store.list_sources(), store.list_documents(), readers.iter_claims(store))
        return
    from ledger.reconcile import reconcile

    claims, sources = readers.claims_for_report(store)
    report = reconcile(claims, sources, include_agreement=True)
    documents = store.list_documents()
    if fmt == "claimreview":
        from datetime import date

        reviews = transfer.claim_reviews(
            report.findings, {c.id: c for c in claims}, {d.id: d for d in documents},
            {s.name: s.kind for s in sources}, date.today(),
        )
        yield json.dumps(reviews, indent=2, ensure_ascii=False) + "\n"
        return
    from ledger.provenance.prov import to_prov_json

    every_claim = readers.list_claims(store)  # retracted ones too: PROV keeps them, marked
    doc = to_prov_json(sources, documents, every_claim, transfer.derived_totals(report.findings), readers.revisions(store))
    yield json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
