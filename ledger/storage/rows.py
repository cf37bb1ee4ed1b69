"""Row-level helpers shared by every storage module: lookup keys, times, and history payloads.

A payload is a record as the history keeps it; ``verify`` compares the stored
rows against the payloads replayed, so their shape is part of the hash chain
and never changes once shipped.
"""

from __future__ import annotations

import getpass
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from json.encoder import encode_basestring

from ledger.names.normalisation import has_visible
from ledger.dates import moment_of
from ledger.errors import InputError
from ledger.model import Document
from ledger.provenance import chain
from ledger.storage.tables import ClaimRow, DocumentRow, HistoryRow, SourceRow


def name_key(name: str) -> str:
    """Case-, spacing- and Unicode-form-insensitive lookup key for a source name.

    NFC first: "Ṣabāḥ" typed with combining marks (as some keyboards and file
    names give it) is the same name as the precomposed spelling, and two
    sources that print alike would be a trap.
    """
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def legacy_name_key(name: str) -> str:
    """The key as written before it was NFC-normalised: verify reads such rows as unchanged."""
    return " ".join(name.casefold().split())


def distinct_aliases(name: str, aliases) -> tuple[str, ...]:
    """The aliases, stripped, each lookup key once and none the name's own: "new two" adds nothing to "New Two"."""
    seen, kept = {name_key(name)}, []
    for alias in aliases:
        alias = alias.strip()
        if has_visible(alias) and name_key(alias) not in seen:
            seen.add(name_key(alias))
            kept.append(alias)
    return tuple(kept)


def event_key(name: str) -> str:
    return " ".join(name.casefold().split())


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"



def check_choice(field: str, value: str, choices: Iterable[str]) -> None:
    choices = tuple(choices)
    if value not in choices:
        from ledger.names import closest_names

        near = closest_names(value, list(choices), limit=1)
        hint = f"one of {', '.join(choices)}" + (f" (closest: {near[0]})" if near else "")
        raise InputError(field, value, "is not a valid choice", hint)


def entry_from_row(row: HistoryRow) -> chain.Entry:
    return chain.Entry(
        seq=row.seq, recorded_at=row.recorded_at, user=row.user, action=row.action, subject=row.subject,
        payload=row.payload, prev_hash=row.prev_hash, hash=row.hash,
    )


def source_payload(row: SourceRow, aliases: Sequence[str]) -> dict:
    return {"name": row.name, "kind": row.kind, "aliases": list(aliases), "affiliation_id": row.affiliation_id, "grade": row.grade}


def document_payload(row: DocumentRow) -> dict:
    payload = {
        "outlet_id": row.outlet_id, "published": row.published.isoformat(), "url": row.url,
        "title": row.title, "sha256": row.sha256,
    }
    for name in OPTIONAL_DOCUMENT_FIELDS:
        if (value := getattr(row, name)) is not None:
            payload[name] = value
    return payload


# As for claims below: a document recorded without these keeps the payload (and hash) it always had.
OPTIONAL_DOCUMENT_FIELDS = ("published_at", "archive_url", "retrieved", "previous_id")


def claim_payload(row: ClaimRow, via_ids: Sequence[int]) -> dict:
    """The claim as recorded in history; ``verify`` compares stored rows against it."""
    return {
        "event": row.event,
        "metric": row.metric,
        "group": row.group_name,
        "value": {"text": row.value_text, "low": row.value_low, "high": row.value_high, "kind": row.value_kind, "best": row.value_best},
        "said_by_id": row.said_by_id,
        "via_ids": list(via_ids),
        "document_id": row.document_id,
        "published": row.published.isoformat() if row.published else None,
        "period_start": row.period_start.isoformat() if row.period_start else None,
        "period_end": row.period_end.isoformat() if row.period_end else None,
        "location": row.location,
        "quote": row.quote,
        "quote_start": row.quote_start,
        "quote_end": row.quote_end,
        "quote_verified": bool(row.quote_verified),
        "credibility": row.credibility,
        "recorded_at": row.recorded_at,
    } | _optional_claim_fields(row)


# Fields added after the first schema enter a payload only when set, so every
# claim recorded without them keeps the payload (and hash) it always had.
OPTIONAL_CLAIM_FIELDS = ("published_at", "as_of_at", "quote_original", "quote_states_figure")


def _optional_claim_fields(row: ClaimRow) -> dict:
    fields = {name: value for name in OPTIONAL_CLAIM_FIELDS if (value := getattr(row, name)) is not None}
    if "quote_states_figure" in fields:
        fields["quote_states_figure"] = bool(fields["quote_states_figure"])
    return fields


def document_model(row: DocumentRow, outlet: str) -> Document:
    from ledger.provenance.versions import retrieved_of

    return Document(id=row.id, outlet=outlet, published=row.published, published_at=moment_of(row.published_at), url=row.url,
                    archive_url=row.archive_url, retrieved=retrieved_of(row.retrieved), title=row.title, text=row.text,
                    sha256=row.sha256, previous_id=row.previous_id)


def claim_add_json(
    event_json: str, metric: str, group: str | None, value_json: str, said_by_id: int, via_ids: list[int],
    document_id: int | None, published: str | None, period_start: str | None, period_end: str | None,
    location: str | None, quote: str | None, quote_start: int | None, quote_end: int | None,
    quote_verified: bool, credibility: int | None, recorded_at_json: str,
    published_at: str | None = None, as_of_at: str | None = None, quote_original: str | None = None,
    quote_states_figure: bool | None = None,
) -> str:
    """``chain.canonical_json(claim_payload(row, via_ids))`` from a claim's fields, several times faster.

    The payload's keys are fixed, so its canonical form is a template: keys in
    sorted order, text through the encoder ``canonical_json`` uses, ints as
    they are, dates as their ISO text (which never needs escaping). The
    ``*_json`` arguments come already encoded: an event, a figure and the
    import's moment are shared by many claims. Tests check the result equals
    the canonical JSON of ``claim_payload``.
    """
    enc = encode_basestring
    day = '"%s"'
    return (
        (f'{{"as_of_at":{enc(as_of_at)},' if as_of_at is not None else "{") +
        f'"credibility":{"null" if credibility is None else credibility},'
        f'"document_id":{"null" if document_id is None else document_id},'
        f'"event":{event_json},"group":{"null" if group is None else enc(group)},'
        f'"location":{"null" if location is None else enc(location)},"metric":{enc(metric)},'
        f'"period_end":{"null" if period_end is None else day % period_end},'
        f'"period_start":{"null" if period_start is None else day % period_start},'
        f'"published":{"null" if published is None else day % published},'
        + (f'"published_at":{enc(published_at)},' if published_at is not None else "") +
        f'"quote":{"null" if quote is None else enc(quote)},'
        f'"quote_end":{"null" if quote_end is None else quote_end},'
        + (f'"quote_original":{enc(quote_original)},' if quote_original is not None else "") +
        f'"quote_start":{"null" if quote_start is None else quote_start},'
        + ("" if quote_states_figure is None else f'"quote_states_figure":{"true" if quote_states_figure else "false"},') +
        f'"quote_verified":{"true" if quote_verified else "false"},"recorded_at":{recorded_at_json},'
        f'"said_by_id":{said_by_id},"value":{value_json},"via_ids":[{",".join(map(str, via_ids))}]}}'
    )


def _number_json(value) -> str:
    return "null" if value is None else str(value) if type(value) is int else chain.canonical_json(value)


# A stored claim row's columns in table order: ``dict(zip(CLAIM_COLUMNS, row))`` is the mapping
# ``claim_row_json`` reads, made once per row (a Core row's attributes cost a microsecond each).
CLAIM_COLUMNS = tuple(ClaimRow.__table__.c.keys())


def claim_row_json(row: dict, via_ids: Sequence[int]) -> str:
    """``chain.canonical_json(claim_payload(row, via_ids))`` through the template, for ``verify``'s quick check;
    ``row`` maps column names to stored values.

    Only ever compared for equality with a recorded payload: a row the template
    renders oddly (a forger's text in a number column) just fails to match and
    is replayed field by field. A date column holding text (an edit) is refused
    here, since the template writes dates unescaped.
    """
    enc, number = encode_basestring, _number_json
    published, start, end = row["published"], row["period_start"], row["period_end"]
    if isinstance(published, str) or isinstance(start, str) or isinstance(end, str):
        raise ValueError("a date column holds text")
    kind, text, states = row["value_kind"], row["value_text"], row["quote_states_figure"]
    value_json = (f'{{"best":{number(row["value_best"])},"high":{number(row["value_high"])},'
                  f'"kind":{"null" if kind is None else enc(kind)},"low":{number(row["value_low"])},'
                  f'"text":{"null" if text is None else enc(text)}}}')
    return claim_add_json(
        enc(row["event"]), row["metric"], row["group_name"], value_json, row["said_by_id"], via_ids, row["document_id"],
        published.isoformat() if published else None, start.isoformat() if start else None,
        end.isoformat() if end else None, row["location"], row["quote"], row["quote_start"], row["quote_end"],
        bool(row["quote_verified"]), row["credibility"], enc(row["recorded_at"]), row["published_at"], row["as_of_at"],
        row["quote_original"], None if states is None else bool(states),
    )


def free_document_id(executor) -> int:
    """The next document id no history entry has named: max(id) + 1, past the ids of removed documents.

    SQLite (and the importer) would hand a removed last document's id out again, and the history's
    ``document:N`` would then name two documents. One indexed lookup per id tried: usually one.
    ``executor``: a Session or a Connection.
    """
    from sqlalchemy import func, select

    candidate = (executor.execute(select(func.max(DocumentRow.id))).scalar() or 0) + 1
    while executor.execute(select(HistoryRow.seq).where(HistoryRow.subject == f"document:{candidate}").limit(1)).first():
        candidate += 1
    return candidate
