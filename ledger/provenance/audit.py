"""The audit of one claim: where it came from, what it rests on, what happened to it since.

This module owns the audit *view*: from plain records (the claim, the sources
along its path, its document, its history entries and the reconciler's
findings) it builds one dict that ``ledger audit --json`` prints as is, and
:func:`format_audit` turns that dict into the text an editor reads. Every
question an editor asks of a figure has one place in the view:

- who said it, and through whom did it reach the outlet (``path``);
- how far the speaker and the information can be trusted (``grade``, an
  Admiralty code: the origin's reliability A–F and the claim's credibility
  1–6, ``F6`` when nobody graded them);
- where it was published, and is the stored text still the text that was
  recorded (``document``);
- the exact words, where they stand in the text and whether they were found
  there (``quote``);
- every change since it was recorded, with who made it and why (``history``);
- which other figures it agrees or clashes with (``verdicts``).

Pure: no database, no I/O; the storage side gathers the records
(``ledger.storage.audit.audit_records``).
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from ledger.provenance.chain import Entry
from ledger.model import Claim, Document, Source, grade_label
from ledger.figures import Quantity
from ledger.reconcile import Finding

REASON_WIDTH = 72  # verdict reasons wrap here in text, as in `ledger report`

# Admiralty (NATO STANAG 2511) wording for each half of a grade.
RELIABILITY = {
    "A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
    "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources", 2: "probably true", 3: "possibly true",
    4: "doubtful", 5: "improbable", 6: "truth cannot be judged",
}


@dataclass(frozen=True)
class Hop:
    """One step of a claim's path: the origin, a relay, or the publishing outlet.

    ``source`` is the source as it stands now (after any merge); ``recorded_as``
    is the name the claim was recorded with, when that differs.
    """

    role: str  # "origin", "relay" or "outlet"
    source: Source
    recorded_as: str | None = None


def hop_label(hop: Hop) -> str:
    """``Reuters (media, A)``; ``local sources (anonymous)``; affiliation named when known."""
    details = [hop.source.kind]
    if hop.source.affiliation:
        details.append(f"affiliated with {hop.source.affiliation}")
    if hop.source.grade:
        details.append(hop.source.grade)
    label = f"{hop.source.name} ({', '.join(details)})"
    if hop.recorded_as:
        label += f" [recorded as {hop.recorded_as}]"
    return label


def grade_meaning(code: str) -> str:
    """``B2`` → ``usually reliable; probably true``: the source's half, then the information's."""
    reliability = RELIABILITY.get(code[:1], RELIABILITY["F"])
    credibility = CREDIBILITY.get(int(code[1:]) if code[1:].isdigit() else 6, CREDIBILITY[6])
    return f"{reliability}; {credibility}"


def _quoted(value: dict | None) -> str:
    return f'"{value["text"]}"' if isinstance(value, dict) and "text" in value else "?"


def _field_text(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


# History payload fields as the CLI names them; where the quote sits follows from the quote itself.
_FIELD_LABELS = {"said_by_id": "said by", "via_ids": "via", "document_id": "doc", "period_start": "period from",
                 "period_end": "as of", "published_at": "published at", "as_of_at": "as of at",
                 "quote_verified": "quote verified", "affiliation_id": "affiliation"}
_UNSHOWN_FIELDS = {"quote_start", "quote_end", "quote_states_figure"}


def _field_changes(payload: dict) -> list[str]:
    """``field: before → after`` for each field an entry's ``changes`` set; sources by their names then."""
    was = payload.get("was") if isinstance(payload.get("was"), dict) else {}
    names = payload.get("names") if isinstance(payload.get("names"), dict) else {}
    changes = payload.get("changes") if isinstance(payload.get("changes"), dict) else {}
    parts = []
    for field, new in changes.items():
        if field in _UNSHOWN_FIELDS:
            continue
        old, new = names[field] if isinstance(names.get(field), list) and len(names[field]) == 2 else (was.get(field), new)
        parts.append(f"{_FIELD_LABELS.get(field, field)}: {_field_text(old)} → {_field_text(new)}")
    return parts


def _history_item(entry: Entry, payload: dict, previous_value: dict | None) -> dict:
    """One history entry with a one-line summary of what it changed."""
    action = entry.action
    if action in ("claim.add", "claim.import"):
        summary = f"recorded {_quoted(payload.get('value'))}"
    elif action == "claim.correct":
        # Newer entries say what they replaced; for older ones the replay order tells.
        parts = []
        if "value" in payload:
            parts.append(f"{_quoted(payload.get('previous', previous_value))} → {_quoted(payload.get('value'))}")
        parts += _field_changes(payload)
        summary = "; ".join(parts) or "corrected"
    elif action == "source.edit":
        summary = f'source "{payload.get("source")}" edited: ' + "; ".join(_field_changes(payload))
    elif action == "claim.retract":
        summary = "retracted"
    elif action == "claim.restore":
        summary = "restored (retraction undone)"
    elif action == "source.merge":
        summary = f'source "{payload.get("from")}" merged into "{payload.get("into")}"'
    elif action == "import":
        summary = f"imported from {payload.get('file')} (sha256 {str(payload.get('sha256'))[:16]}…)"
    elif action == "claim.extracted":
        summary = (f"extracted by {payload.get('extractor')} {payload.get('version')} from {payload.get('file')}, "
                   f"{payload.get('review', 'accepted')} by {entry.user}")
    else:
        summary = action
    if payload.get("reason"):
        summary += f"; reason: {payload['reason']}"
    return {
        "seq": entry.seq, "recorded_at": entry.recorded_at, "user": entry.user, "action": action,
        "subject": entry.subject, "hash": entry.hash, "summary": summary, "payload": payload,
    }


def _history(entries: Sequence[Entry], claim_subject: str) -> tuple[list[dict], str | None]:
    """Summarised entries in seq order, and the retraction reason if the claim was retracted."""
    items, value, retraction = [], None, None
    for entry in sorted(entries, key=lambda e: e.seq):
        try:
            payload = json.loads(entry.payload)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):  # a tampered entry: show it, `ledger verify` names the problem
            items.append({**_history_item(entry, {}, value), "summary": "payload unreadable (altered?); run `ledger verify`"})
            continue
        items.append(_history_item(entry, payload, value))
        if entry.subject == claim_subject:
            if entry.action in ("claim.add", "claim.correct", "claim.import"):
                value = payload.get("value", value)
            elif entry.action == "claim.retract":
                retraction = payload.get("reason")
            elif entry.action == "claim.restore":
                retraction = None
    return items, retraction


def _document(doc: Document | None, recorded_sha256: str | None, versions: Sequence[int] = ()) -> dict | None:
    if doc is None:
        return None
    from ledger.provenance.versions import retrieved_text

    versions = list(versions) or [doc.id]
    text_sha256 = hashlib.sha256(doc.text.encode("utf-8")).hexdigest() if doc.text is not None else None
    if doc.text is None:
        status, ok = "no text stored: the quote could not be checked", None
    elif text_sha256 != doc.sha256:
        status, ok = f"DOES NOT MATCH the stored text (the text now hashes to {text_sha256[:16]}…)", False
    elif recorded_sha256 is not None and recorded_sha256 != doc.sha256:
        status, ok = f"DOES NOT MATCH the history (recorded as {recorded_sha256[:16]}…)", False
    else:
        status, ok = "matches the stored text", True
    return {
        "id": doc.id, "outlet": doc.outlet, "published": _moment(doc.published, doc.published_at), "url": doc.url, "title": doc.title,
        "sha256": doc.sha256, "recorded_sha256": recorded_sha256, "text_sha256": text_sha256,
        "matches": ok, "status": status, "archive_url": doc.archive_url, "retrieved": retrieved_text(doc.retrieved),
        "version": versions.index(doc.id) + 1, "versions": versions,
        "newest": versions[-1] if versions[-1] != doc.id else None,  # a later text of its address, when there is one
    }


def _moment(day, moment) -> str | None:
    """``2022-01-22``, or the moment when known, on its UTC day: ``2022-01-22 11:05 UTC``."""
    if day is None:
        return None
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else day.isoformat()


def _quote(claim: Claim, doc: Document | None) -> dict | None:
    if not claim.quote:
        return None
    from ledger.provenance.quotes import find_quote, surrounding_sentence

    span = claim.quote_span
    context, found_in = None, None
    if span is not None and doc is not None and doc.text is not None:
        context = surrounding_sentence(doc.text, span.start, span.end)
        # The span points at whichever words the document holds: the quote, or its original.
        found_in = "quote" if not claim.quote_original or find_quote(claim.quote, doc.text) else "original"
    return {
        "text": claim.quote,
        "original": claim.quote_original,
        "span": [span.start, span.end] if span else None,
        "verified": claim.quote_verified,
        "found": found_in,
        "states_figure": claim.quote_states_figure,
        "context": context,
    }


def _finding(f: Finding) -> dict:
    claims = []
    for x in f.figures:
        claims.append("+".join(str(p) for p in x.parts) if x.derived else str(x.claim_id))
    return {
        "verdict": f.verdict,
        "quantity": {"event": f.quantity.event, "metric": f.quantity.metric, "group": f.quantity.group, "place": f.quantity.place},
        "label": f.quantity.label(),
        "reason": f.reason,
        "claims": claims,
    }


def involves(finding: Finding, claim_id: int) -> bool:
    """Whether the finding is about this claim, directly or as part of a derived total."""
    return any(f.claim_id == claim_id or claim_id in f.parts for f in finding.figures)


def _period(claim: Claim) -> str | None:
    if claim.period is None:
        return None
    if claim.period.start is None and claim.as_of_at is not None:
        return f"as of {_moment(claim.period.end, claim.as_of_at)}"
    return claim.period.label()


def build_audit(
    claim: Claim,
    path: Sequence[Hop],
    document: Document | None,
    recorded_sha256: str | None,
    history: Sequence[Entry],
    findings: Sequence[Finding],
    versions: Sequence[int] = (),
) -> dict:
    """The audit view of ``claim`` as a JSON-ready dict.

    ``path`` is origin, relays, then the outlet (left out when it is already
    the last relay); ``recorded_sha256`` is the document hash in its
    ``document.add`` entry; ``history`` every entry touching the claim (its
    own, and merges of the sources on its path); ``findings`` may be the whole
    report: only those involving the claim are kept; ``versions`` the ids of every version of the document's
    address, oldest first (``ledger.provenance.versions.chain_of``).
    """
    origin = next((h for h in path if h.role == "origin"), None)
    code = grade_label(origin.source.grade if origin else None, claim.credibility)
    items, retraction = _history(history, f"claim:{claim.id}")
    value: Quantity = claim.value
    return {
        "claim": {
            "id": claim.id, "event": claim.event, "metric": claim.metric, "group": claim.group,
            "value": value.to_dict(), "interval": value.interval_label(),
            "corrections": [q.to_dict() for q in claim.corrections],
            "period": _period(claim), "published": _moment(claim.published, claim.published_at),
            "location": claim.location, "credibility": claim.credibility,
            "recorded_at": claim.recorded_at.isoformat() if claim.recorded_at else None,
            "retracted": claim.retracted, "retraction_reason": retraction if claim.retracted else None,
        },
        "path": [
            {
                "role": h.role, "id": h.source.id, "name": h.source.name, "kind": h.source.kind,
                "affiliation": h.source.affiliation, "grade": h.source.grade, "recorded_as": h.recorded_as,
            }
            for h in path
        ],
        "path_label": " → ".join(hop_label(h) for h in path),
        "grade": code,
        "grade_meaning": grade_meaning(code),
        "document": _document(document, recorded_sha256, versions),
        "quote": _quote(claim, document),
        "history": items,
        "verdicts": [_finding(f) for f in findings if involves(f, claim.id)],
    }


# -- text ----------------------------------------------------------------------


def _history_rows(view: dict) -> list[list]:
    return [[h["seq"], h["recorded_at"][:19].replace("T", " "), h["user"], h["action"], h["summary"]] for h in view["history"]]


def _quote_lines(quote: dict | None, doc: dict | None, figure: str) -> list[str]:
    if quote is None:
        return ["quote: none recorded"]
    lines = []
    original = f'"{quote["original"]}"' if quote.get("original") else None
    if quote["verified"]:
        start, end = quote["span"]
        if quote.get("found") == "original":
            lines.append(f"original: verified at characters {start}–{end}: {original}")
            lines.append(f"quote (translation): \"{quote['text']}\"")
        else:
            lines.append(f"quote: verified at characters {start}–{end}: \"{quote['text']}\"")
            if original:
                lines.append(f"original: {original}")
        if quote["context"]:
            lines.append(f"in context: \"{quote['context']}\"")
    else:
        why = "not found in the document's text" if doc and doc["text_sha256"] else "no document text to check it against"
        lines.append(f"quote: UNVERIFIED ({why}): \"{quote['text']}\"")
        if original:
            lines.append(f"original: {original}")
    if quote.get("states_figure") is False:
        lines.append(f'figure: the quote DOES NOT STATE "{figure}": no phrase in it reads as that figure')
    elif quote.get("states_figure"):
        lines.append(f'figure: the quote states "{figure}"')
    return lines


def format_audit(view: dict) -> str:
    """The audit view as text, one labelled line per fact, then history and verdicts tables."""
    from ledger.reports.render import table

    c = view["claim"]
    lines = [f"claim {c['id']}: {c['event']} / {c['metric']} / {c['group'] or 'total'}"]
    value = f"value: \"{c['value']['text']}\" ({c['interval']}, {c['value']['kind']})"
    if c["corrections"]:
        value += ", corrected from " + " ← ".join(f'"{q["text"]}"' for q in reversed(c["corrections"]))
    lines.append(value)
    if c["retracted"]:
        lines.append(f"status: RETRACTED: {c['retraction_reason'] or 'no reason recorded'}")
    lines.append(f"path: {view['path_label']}")
    lines.append(f"grade: {view['grade']} ({view['grade_meaning']})")
    period = c["period"] if c["period"] is None or c["period"].startswith("as of") else f"period {c['period']}"
    when = [p for p in (period, c["published"] and f"published {c['published']}",
                        c["location"] and f"location {c['location']}") if p]
    if when:
        lines.append("when: " + "; ".join(when))
    doc = view["document"]
    if doc is None:
        lines.append("document: none recorded")
    else:
        parts = [doc["outlet"], f"published {doc['published']}"]
        parts += [f'"{doc["title"]}"'] if doc["title"] else []
        parts += [doc["url"]] if doc["url"] else []
        lines.append(f"document {doc['id']}: " + ", ".join(parts))
        lines.append(f"sha256: {doc['sha256'] or '(none)'} {doc['status']}")
        fetched = [p for p in (doc["retrieved"] and f"retrieved {doc['retrieved']}", doc["archive_url"] and f"archived at {doc['archive_url']}") if p]
        if fetched:
            lines.append("; ".join(fetched))
        if len(doc["versions"]) > 1:
            newer = f"a newer version exists: document {doc['newest']}" if doc["newest"] else "the newest"
            lines.append(f"version {doc['version']} of {len(doc['versions'])} at its address (documents "
                         f"{', '.join(map(str, doc['versions']))}): {newer}; the claim cites this version")
    lines.extend(_quote_lines(view["quote"], doc, c["value"]["text"]))
    lines.append("")
    lines.append("history:")
    lines.append(table(_history_rows(view), ["seq", "time (UTC)", "user", "action", "change"]))
    lines.append("")
    if view["verdicts"]:
        lines.append("verdicts:")
        rows = [[v["verdict"], v["label"], textwrap.fill(v["reason"], REASON_WIDTH), " ".join(v["claims"])] for v in view["verdicts"]]
        lines.append(table(rows, ["verdict", "quantity", "reason", "claims"]))
    elif c["retracted"]:
        lines.append("verdicts: none (retracted claims are left out of the report)")
    else:
        lines.append("verdicts: none (no other figure to compare it with)")
    return "\n".join(lines)
