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


def build_demo(url: str | None, seeds_dir: Path, shown_db: str | None = None, user: str | None = None):
    """The ledger at ``url`` (default ``sqlite:///ledger.db``) holding the seeds: built whole (or not at all:
    a failure leaves no file behind) when it is empty, returned as it is when it already holds exactly the
    demo; a ledger that holds anything else is refused, untouched."""
    from ledger.api import open_ledger
    from ledger.storage.engine import DEFAULT_URL, sqlite_path

    url = url or DEFAULT_URL
    target = sqlite_path(url)
    new_file = target is not None and not target.exists()
    ledger = open_ledger(url, user)
    if head := ledger.store.head_seq():
        demo = _demo_in_memory(seeds_dir)
        if head == demo.store.head_seq() and _contents(ledger) == _contents(demo):  # a big ledger: refused unread
            return ledger
        raise InputError("--db", shown_db, "already holds a ledger that is not the demo",
                         "the demo fills an empty ledger; give a new file, e.g. `ledger demo --db demo.db`")
    try:
        load_seeds(ledger, seeds_dir)
    except BaseException:
        if new_file:  # a half-built demo ledger would refuse the next run
            ledger.store.engine.dispose()
            for leftover in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
                leftover.unlink(missing_ok=True)
        raise
    return ledger


def _demo_in_memory(seeds_dir: Path):
    from ledger.api import open_ledger

    ledger = open_ledger("sqlite://")
    load_seeds(ledger, seeds_dir)
    return ledger


def _contents(ledger) -> tuple:
    """What a ledger holds, whoever recorded it and when: its history's actions and payloads in order."""
    def undated(payload: str) -> dict | str:
        try:
            fields = json.loads(payload)
        except ValueError:  # altered: not the demo's
            return payload
        return {k: v for k, v in fields.items() if k != "recorded_at"} if isinstance(fields, dict) else fields

    return tuple((e.action, e.subject, undated(e.payload)) for e in ledger.log(newest_first=False))


def load_seeds(ledger, seeds_dir: Path) -> list[int]:
    """Record every seed file's sources, document and claims; return the new claim ids."""
    claim_ids: list[int] = []
    for seed_file in sorted(seeds_dir.glob("*.json")):
        try:
            claim_ids.extend(_load_seed(ledger, seed_file))
        except (KeyError, TypeError, AttributeError, OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            # A seed file of the wrong shape: one line naming it, not a traceback.
            raise InputError("--seeds", str(seed_file), f"is not a seed file ledger can read ({exc.__class__.__name__}: {exc})",
                             "see seeds/*.json for the shape: sources, one document with its text file, claims") from None
    return claim_ids


def _load_seed(ledger, seed_file: Path) -> list[int]:
    from ledger.dates import parse_date, parse_period
    from ledger.figures import parse_quantity
    from ledger.model import ClaimInput, Period

    claim_ids: list[int] = []
    seed = json.loads(seed_file.read_text(encoding="utf-8"))
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
                                   title=doc.get("title"), text=text_file.read_bytes().decode("utf-8"))
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
