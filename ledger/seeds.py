"""Build a ledger from a seeds folder: the reviewed claims of a seed article.

A seeds folder holds ``*.json`` files, each naming its sources, one document
(whose text file sits beside it) and the claims stated in that document. The
same loader serves ``ledger demo`` and the tests, so the demo shows exactly
what the tests check.
"""

from __future__ import annotations

import json
from pathlib import Path

from ledger.errors import InputError, LedgerError


def find_seeds_dir(explicit: Path | None = None) -> Path:
    candidates = [explicit] if explicit else [Path.cwd() / "seeds", Path(__file__).resolve().parent.parent / "seeds"]
    for path in candidates:
        if path and path.is_dir() and any(path.glob("*.json")):
            return path
    where = str(explicit) if explicit else "./seeds"
    raise InputError("--seeds", where, "holds no seed files (*.json)", "run from the repository root or pass --seeds DIR")


def load_seeds(ledger, seeds_dir: Path) -> list[int]:
    """Record every seed file's sources, document and claims; return the new claim ids."""
    from ledger.dates import parse_date, parse_period
    from ledger.model import Period
    from ledger.figures import parse_quantity
    from ledger.model import ClaimInput

    claim_ids: list[int] = []
    for seed_file in sorted(seeds_dir.glob("*.json")):
        try:
            seed = json.loads(seed_file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise LedgerError(f"{seed_file}: cannot be read as JSON ({exc})") from None
        known = {s.name for s in ledger.list_sources()}
        # Affiliations may name sources listed later in the file: add the plain ones first.
        pending = [s for s in seed.get("sources", []) if s["name"] not in known]
        while pending:
            ready = [s for s in pending if not s.get("affiliation") or s["affiliation"] in known]
            if not ready:
                raise LedgerError(f"{seed_file}: affiliations name unknown sources: {[s['affiliation'] for s in pending]}")
            for s in ready:
                ledger.add_source(s["name"], kind=s.get("kind", "other"), aliases=s.get("aliases", ()),
                                  affiliation=s.get("affiliation"), grade=s.get("grade"))
                known.add(s["name"])
            pending = [s for s in pending if s not in ready]
        doc = seed["document"]
        text_file = seed_file.parent / doc["file"]
        document = ledger.add_document(doc["outlet"], parse_date("published", doc["published"]), url=doc.get("url"),
                                       title=doc.get("title"), text=text_file.read_text(encoding="utf-8"))
        for item in seed["claims"]:
            period = None
            if item.get("period"):
                period = parse_period("period", item["period"])
            elif item.get("as_of"):
                period = Period(start=None, end=parse_date("as_of", item["as_of"]))
            claim = ledger.add_claim(ClaimInput(
                event=item["event"], metric=item["metric"], group=item.get("group"),
                value=parse_quantity(item["value"], metric=item["metric"]), said_by=item["said_by"],
                via=tuple(item.get("via", ())), document_id=document.id, period=period,
                location=item.get("location"), quote=item.get("quote"), credibility=item.get("credibility"),
            ))
            claim_ids.append(claim.id)
    return claim_ids
