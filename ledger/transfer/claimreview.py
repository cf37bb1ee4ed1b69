"""schema.org ClaimReview (JSON-LD): the reconciler's verdicts on stated claims, one review per claim."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from ledger.model import Claim, Document
from ledger.settings import review_url


class Reviewer(NamedTuple):
    """Who publishes the reviews and where: the ledger's reviewer.name, reviewer.url and review.url settings."""

    name: str
    url: str | None
    review_url: str  # with {id} for the claim id

# Verdicts as a schema.org Rating: 1 (worst, contradicted) to 4 (corroborated).
_RATING = {"contradiction": 1, "divergence": 2, "revision": 3, "agreement": 4}
# An unnamed source ("a police officer", "local sources") is people, not an organisation; its description says
# the name is the publisher's wording, not a person's name.
_AUTHOR_TYPES = {"person": "Person", "anonymous": "Person"}
_ANONYMOUS = "an unnamed source, as the publisher describes it"


def _claim_text(c: Claim) -> str:
    group = f" ({c.group})" if c.group else ""
    return f"{c.event}: {c.metric}{group} {c.value.text}"


def claim_reviews(findings: Iterable, claims: dict[int, Claim], documents: dict[int, Document],
                  source_kinds: dict[str, str], reviewed_on: date, reviewer: Reviewer) -> list[dict]:
    """schema.org ClaimReview (JSON-LD) for every stated claim the reconciler gave a verdict.

    ``findings`` come worst first (as ``reconcile`` sorts them); a claim in
    several findings is reviewed with its worst verdict. One review per claim,
    by claim id.
    """
    verdicts: dict[int, object] = {}
    for finding in findings:
        for figure in finding.figures:
            if figure.claim_id is not None and figure.claim_id not in verdicts:
                verdicts[figure.claim_id] = finding
    reviews = []
    for claim_id in sorted(verdicts):
        finding, c = verdicts[claim_id], claims.get(claim_id)
        if c is None:
            continue
        item: dict = {
            "@type": "Claim",
            "author": {"@type": _AUTHOR_TYPES.get(source_kinds.get(c.said_by, ""), "Organization"), "name": c.said_by},
        }
        if source_kinds.get(c.said_by) == "anonymous":
            item["author"]["description"] = _ANONYMOUS
        if c.published:
            item["datePublished"] = c.published.isoformat()
        doc = documents.get(c.document_id) if c.document_id is not None else None
        if doc is not None:
            appearance = {"@type": "CreativeWork", "publisher": {"@type": "Organization", "name": doc.outlet},
                          "datePublished": doc.published.isoformat()}
            if doc.url:
                appearance["url"] = doc.url
            if doc.title:
                appearance["headline"] = doc.title
            item["appearance"] = appearance
        elif c.via:
            item["appearance"] = {"@type": "CreativeWork", "publisher": {"@type": "Organization", "name": c.via[-1]}}
        if c.quote:
            item["text"] = c.quote
        reviews.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "identifier": f"urn:ledger:claim/{claim_id}",
            "url": review_url(reviewer.review_url, claim_id),
            "claimReviewed": _claim_text(c),
            "itemReviewed": item,
            "datePublished": reviewed_on.isoformat(),
            "author": {"@type": "Organization", "name": reviewer.name, **({"url": reviewer.url} if reviewer.url else {})},
            "reviewRating": {
                "@type": "Rating", "ratingValue": _RATING[finding.verdict], "bestRating": 4, "worstRating": 1,
                "alternateName": finding.verdict, "ratingExplanation": finding.reason,
            },
        })
    return reviews
