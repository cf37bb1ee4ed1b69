"""Claims in the store: recording, correcting any field, retracting and restoring, reading.

A mix-in of :class:`~ledger.storage.store.Store`, kept apart because claims are
the one record kind with most to say. Every write takes the store's write lock
(``_writing``) and appends its history entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from sqlalchemy import delete, false, func, select, text
from sqlmodel import Session

from ledger.dates import moment_text
from ledger.errors import InputError, NotFoundError
from ledger.names.normalisation import has_visible
from ledger.model import Claim, ClaimInput, Source
from ledger.model.fields import CLAIM
from ledger.storage.locks import row_by_id
from ledger.storage.rows import claim_payload, event_key, now_utc
from ledger.storage.tables import ClaimRelayRow, ClaimRow, DocumentRow, SourceRow

# A claim's identity is every column but these: the ledger's bookkeeping and what it derives, not what was said.
# The event counts by its key (case and spacing ignored); the speaker with the sources merged into it.
_NOT_IDENTITY = frozenset({"id", "event", "value_low", "value_high", "value_kind", "value_best", "said_by_id", "quote_start",
                           "quote_end", "quote_verified", "quote_states_figure", "credibility", "recorded_at", "retracted"})
# The columns that say what a claim says, besides its speaker and relays (``ledger.storage.held`` uses them too).
IDENTITY_COLUMNS = tuple(name for name in CLAIM.column_names if name not in _NOT_IDENTITY)


class DuplicateClaim(InputError):
    """The same claim is recorded and not retracted: refused like any input to fix (exit 2) unless ``again``."""

    def __init__(self, existing_id: int):
        self.existing_id, self.field, self.value = existing_id, "claim", existing_id
        self.problem, self.hint = f"the same claim is already recorded as {existing_id}", "give --again to record it a second time"
        Exception.__init__(self, f"claim: {self.problem}; {self.hint}")



def _check_quote(claim: ClaimInput, document_text: str | None):
    """The quote found in the document and judged against the figure; errors name ``--quote``."""
    return _check_quote_words(claim.quote, claim.quote_original, document_text, claim.value, claim.metric, claim.unverified_quote)


def _check_quote_words(quote, original, document_text, value, metric, unverified: bool):
    from ledger.provenance.quote_check import check_quote

    try:
        return check_quote(quote, original, document_text, value, metric, verify=not unverified)
    except InputError as exc:
        option = "--quote-original" if exc.field == "quote_original" else "--quote"
        raise InputError(option, exc.value, exc.problem, exc.hint) from None


# What ``edit_claim`` may change, by ClaimInput field; None clears the optional ones.
EDITABLE = ("event", "metric", "group", "value", "said_by", "via", "document_id", "published", "published_at",
            "period", "as_of_at", "location", "quote", "quote_original", "credibility")
_REQUIRED = {"event": "--event", "metric": "--metric", "value": "--value", "said_by": "--said-by"}


def _text_or_none(field: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not has_visible(value):
        raise InputError(field, value, "is empty", "leave the option out to keep the field")
    return value.strip()


class ClaimStore:
    """Claim reads and writes; see the module docstring."""

    def add_claim(self, claim: ClaimInput, create_sources: bool = False, again: bool = False,
                  extracted: Mapping[str, object] | None = None) -> Claim:
        """Record a claim; the same claim recorded and not retracted is refused (:class:`DuplicateClaim`) unless ``again``.

        ``extracted``: the claim was proposed by an extractor (its name, version, how it was accepted); a
        ``claim.extracted`` entry in the same transaction keeps that mark in the hash-chained history.
        """
        for field, value in (("--event", claim.event), ("--metric", claim.metric)):
            if not has_visible(value):
                raise InputError(field, value, "is empty", f"name the {field.strip('-')}, e.g. 'Ghweran prison attack'" if field == "--event" else "e.g. killed, arrested, escaped")
        if claim.group is not None and not has_visible(claim.group):
            raise InputError("--group", claim.group, "is empty", "leave --group out for a total")
        if claim.location is not None and not has_visible(claim.location):  # as `claim correct --location` refuses it
            raise InputError("--location", claim.location, "is empty", "leave --location out when no place is named")
        with self._writing() as session:
            said_by = self._resolve_source(session, "--said-by", claim.said_by, create_sources)
            via = [self._resolve_source(session, "--via", name, create_sources) for name in claim.via]
            published, published_at, doc_text = claim.published, moment_text(claim.published_at), None
            if claim.document_id is not None:
                doc = row_by_id(session, DocumentRow, claim.document_id)
                if doc is None:
                    raise NotFoundError("--doc", claim.document_id, "is not a document in this ledger", self._document_hint(session))
                if published is None:
                    published, published_at = doc.published, doc.published_at
                doc_text = doc.text
            checked = _check_quote(claim, doc_text)
            row = ClaimRow(
                event=claim.event.strip(), event_key=event_key(claim.event), metric=claim.metric.strip(),
                group_name=claim.group.strip() if claim.group else None,
                value_text=claim.value.text, value_low=claim.value.low, value_high=claim.value.high,
                value_kind=claim.value.kind, value_best=claim.value.best,
                said_by_id=said_by.id, document_id=claim.document_id, published=published,
                period_start=claim.period.start if claim.period else None,
                period_end=claim.period.end if claim.period else None,
                published_at=published_at, as_of_at=moment_text(claim.as_of_at),
                location=claim.location.strip() if claim.location else None, quote=claim.quote, quote_original=claim.quote_original,
                quote_start=checked.start, quote_end=checked.end, quote_verified=checked.verified,
                quote_states_figure=checked.states_figure, credibility=claim.credibility, recorded_at=now_utc(),
            )
            if not again and (existing := self._same_claim(session, row, [r.id for r in via])) is not None:
                raise DuplicateClaim(existing)
            session.add(row)
            session.flush()
            for position, relay in enumerate(via):
                session.add(ClaimRelayRow(claim_id=row.id, position=position, source_id=relay.id))
            self.append_entry(session, "claim.add", f"claim:{row.id}", claim_payload(row, [r.id for r in via]))
            if extracted is not None:
                self.append_entry(session, "claim.extracted", f"claim:{row.id}", dict(extracted))
            session.commit()
            claim_id = row.id
        return self.get_claim(claim_id)

    def _same_claim(self, session: Session, row: ClaimRow, via_ids: list[int]) -> int | None:
        """The first live claim saying what ``row`` says (``_NOT_IDENTITY``), found through indexed columns, or None."""
        claim, source, relay = ClaimRow.__table__.c, SourceRow.__table__.c, ClaimRelayRow.__table__
        speakers = select(source.id).where((source.id == row.said_by_id) | (source.merged_into_id == row.said_by_id))
        same = [claim[name].is_not_distinct_from(getattr(row, name))
                for name in CLAIM.column_names if name not in _NOT_IDENTITY and name != "event_key"]
        found = session.execute(select(claim.id).where(claim.event_key == row.event_key, claim.said_by_id.in_(speakers),
                                                       claim.retracted == false(), *same)).scalars()
        relays = select(func.coalesce(source.merged_into_id, source.id)).join(relay, relay.c.source_id == source.id)
        for candidate in sorted(found):  # not ORDER BY id: it steers SQLite to the event_key index over a wider one
            if list(session.execute(relays.where(relay.c.claim_id == candidate).order_by(relay.c.position)).scalars()) == via_ids:
                return candidate
        return None

    def _claim_row(self, session: Session, claim_id: int, field: str = "ID", lock: bool = False) -> ClaimRow:
        row = row_by_id(session, ClaimRow, claim_id, lock)
        if row is None:
            last = session.execute(select(func.max(ClaimRow.id))).scalar()
            hint = f"known ids: 1..{last} (`ledger claim list`)" if last else "no claims recorded yet"
            raise NotFoundError(field, claim_id, "is not a claim in this ledger", hint)
        return row

    def get_claim(self, claim_id: int) -> Claim:
        from ledger.storage.readers import iter_claims

        with Session(self.engine) as session:
            self._claim_row(session, claim_id)  # a clear error for an unknown id
        return next(iter_claims(self, claim_ids=[claim_id]))

    def retract_claim(self, claim_id: int, reason: str) -> Claim:
        if not reason or not reason.strip():
            raise InputError("--reason", reason, "is empty", "say why the claim is retracted")
        with self._writing() as session:
            row = self._claim_row(session, claim_id, lock=True)
            if row.retracted:
                raise InputError("ID", claim_id, "is already retracted")
            row.retracted = True
            session.add(row)
            self.append_entry(session, "claim.retract", f"claim:{claim_id}", {"reason": reason})
            session.commit()
        return self.get_claim(claim_id)

    def restore_claim(self, claim_id: int, reason: str) -> Claim:
        """Undo a retraction: the claim counts again; the retraction stays in the history."""
        if not reason or not reason.strip():
            raise InputError("--reason", reason, "is empty", "say why the claim stands again")
        with self._writing() as session:
            row = self._claim_row(session, claim_id, lock=True)
            if not row.retracted:
                raise InputError("ID", claim_id, "is not retracted", "only a retracted claim can be restored")
            row.retracted = False
            session.add(row)
            self.append_entry(session, "claim.restore", f"claim:{claim_id}", {"reason": reason})
            session.commit()
        return self.get_claim(claim_id)

    def correct_claim(self, claim_id: int, value, reason: str | None = None) -> Claim:
        """Change a claim's figure (``edit_claim`` with the value only)."""
        return self.edit_claim(claim_id, {"value": value}, reason)

    def list_claims(self, event: str | None = None, source: str | None = None, include_retracted: bool = True,
                    events: Sequence[str] | None = None, limit: int | None = None, newest_first: bool = False,
                    narrowing=None) -> list[Claim]:
        """Claims in id order (or newest first), at most ``limit``: one ``event`` as written, or any of
        ``events``; ``source`` by any of its names, as speaker, relay or outlet; ``narrowing`` a
        ``readers.Narrowing`` (metric spellings, words, publication date)."""
        return list(self.iter_claims(event, source, include_retracted, events, limit, newest_first, narrowing))

    def iter_claims(self, event: str | None = None, source: str | None = None, include_retracted: bool = True,
                    events: Sequence[str] | None = None, limit: int | None = None, newest_first: bool = False,
                    narrowing=None) -> Iterator[Claim]:
        """``list_claims`` streamed: a batch of rows in memory at a time, not the whole ledger."""
        from ledger.storage.readers import iter_claims

        source_ids = None
        if source is not None:
            with Session(self.engine) as session:
                target = self._resolve_source(session, "--source", source).name
                source_ids = [i for i, name in self._current_names(session).items() if name == target]
        return iter_claims(self, event=event, include_retracted=include_retracted, source_ids=source_ids,
                           events=events, limit=limit, newest_first=newest_first, narrowing=narrowing)

    def event_names(self) -> list[str]:
        """Every event name as written on a claim, retracted ones included."""
        with self.engine.connect() as conn:
            return [name for (name,) in conn.exec_driver_sql("SELECT DISTINCT event FROM claim")]

    def claim_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM claim")).scalar()

    def live_claim_count(self) -> int:
        """How many claims are not retracted: what a report reads."""
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM claim WHERE retracted = :no"), {"no": False}).scalar()

    def claims_citing(self, document_id: int) -> list[int]:
        with self.engine.connect() as conn:
            return list(conn.execute(text("SELECT id FROM claim WHERE document_id = :d ORDER BY id"), {"d": document_id}).scalars())

    def metric_names(self) -> list[str]:
        """Every metric as written on a claim, retracted ones included."""
        with self.engine.connect() as conn:
            return [name for (name,) in conn.exec_driver_sql("SELECT DISTINCT metric FROM claim")]

    def quantity_names(self) -> tuple[tuple[dict[str, int], dict[str, int], dict[str, int]], list[tuple[str, str]]]:
        """What resolving a claim's quantity needs, without reading the claims: live claims per event, group
        and place name, and each (event, location) pair they state."""
        from ledger.storage.readers import located_events, name_counts

        return name_counts(self), located_events(self)

    def claims_for_report(self) -> tuple[list[Claim], list[Source]]:
        """What the reconciler needs: the live claims and every source with its aliases."""
        from ledger.storage.readers import claims_for_report

        return claims_for_report(self)

    def edit_claim(self, claim_id: int, changes: Mapping[str, object], reason: str | None = None,
                   create_sources: bool = False) -> Claim:
        """Change any of a claim's fields (``EDITABLE``), all in one ``claim.correct`` entry.

        The entry holds the new figure and the one it replaced (``value``,
        ``previous``) when the figure changed, and every other changed field
        of the claim's history payload, before (``was``) and after
        (``changes``). The quote is checked again whenever it, the document or
        the figure changes, exactly as when a claim is recorded.
        """
        unknown = sorted(set(changes) - set(EDITABLE) - {"unverified_quote"})
        if unknown:
            raise InputError("field", unknown[0], "cannot be corrected", "correctable: " + ", ".join(EDITABLE))
        for field, option in _REQUIRED.items():
            if field in changes and changes[field] is None:
                raise InputError(option, None, "cannot be cleared", "give the corrected " + option.strip("-"))
        reason = reason if reason and reason.strip() else None  # kept as written, like a retraction's
        with self._writing() as session:
            self._edit_claim_in(session, claim_id, changes, reason, create_sources)
            session.commit()
        return self.get_claim(claim_id)

    def _edit_claim_in(self, session: Session, claim_id: int, changes: Mapping[str, object], reason: str | None,
                       create_sources: bool) -> None:
        """``edit_claim``'s work inside the caller's write transaction (a split moves many claims in one)."""
        row = self._claim_row(session, claim_id, lock=True)
        if row.retracted:
            raise InputError("ID", claim_id, "is retracted", "restore it first with `ledger claim restore`")
        relays = session.execute(select(ClaimRelayRow).where(ClaimRelayRow.claim_id == row.id)
                                 .order_by(ClaimRelayRow.position)).scalars().all()
        via_ids = [r.source_id for r in relays]
        before = claim_payload(row, via_ids)
        via_ids = self._apply_changes(session, row, changes, via_ids, create_sources)
        after = claim_payload(row, via_ids)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        if not changed:
            raise InputError("ID", claim_id, "already says that", "nothing to correct")
        entry: dict = {"reason": reason}
        if "value" in changed:
            entry["value"], entry["previous"] = after["value"], before["value"]
        others = [k for k in changed if k != "value"]
        if others:
            entry["changes"] = {k: after.get(k) for k in others}
            entry["was"] = {k: before.get(k) for k in others}
            # Ids are what replay needs; the names are what an auditor reads, as they stood then.
            names = {k: [self._source_names(session, before.get(k)), self._source_names(session, after.get(k))]
                     for k in others if k in ("said_by_id", "via_ids")}
            if names:
                entry["names"] = names
        if "via_ids" in changed:
            session.execute(delete(ClaimRelayRow).where(ClaimRelayRow.claim_id == row.id))
            for position, source_id in enumerate(via_ids):
                session.add(ClaimRelayRow(claim_id=row.id, position=position, source_id=source_id))
        session.add(row)
        self.append_entry(session, "claim.correct", f"claim:{claim_id}", entry)

    @staticmethod
    def _source_names(session: Session, ids: int | list[int] | None) -> str | list[str] | None:
        if ids is None:
            return None
        if isinstance(ids, list):
            return [row_by_id(session, SourceRow, i).name for i in ids]
        return row_by_id(session, SourceRow, ids).name

    def _apply_changes(self, session: Session, row: ClaimRow, changes: Mapping[str, object], via_ids: list[int],
                       create_sources: bool) -> list[int]:
        """Write ``changes`` onto ``row`` (not yet flushed) and return the relays' source ids."""
        if "event" in changes:
            row.event = _text_or_none("--event", changes["event"])
            row.event_key = event_key(row.event)
        if "metric" in changes:
            row.metric = _text_or_none("--metric", changes["metric"])
        for field, column, option in (("group", "group_name", "--group"), ("location", "location", "--location")):
            if field in changes:
                setattr(row, column, _text_or_none(option, changes[field]))
        if "value" in changes:
            value = changes["value"]
            row.value_text, row.value_low, row.value_high = value.text, value.low, value.high
            row.value_kind, row.value_best = value.kind, value.best
        if "said_by" in changes:
            row.said_by_id = self._resolve_source(session, "--said-by", changes["said_by"], create_sources).id
        if "via" in changes:
            via_ids = [self._resolve_source(session, "--via", name, create_sources).id for name in changes["via"] or ()]
        if "document_id" in changes and changes["document_id"] is not None:
            if row_by_id(session, DocumentRow, changes["document_id"]) is None:
                raise NotFoundError("--doc", changes["document_id"], "is not a document in this ledger", self._document_hint(session))
        if "document_id" in changes:
            row.document_id = changes["document_id"]
        if "published" in changes:
            row.published, row.published_at = changes["published"], moment_text(changes.get("published_at"))
        if "period" in changes:
            period = changes["period"]
            row.period_start, row.period_end = (period.start, period.end) if period is not None else (None, None)
            row.as_of_at = moment_text(changes.get("as_of_at"))
        if "credibility" in changes:
            row.credibility = changes["credibility"]
        if "quote" in changes:
            row.quote, row.quote_original = changes["quote"], changes.get("quote_original")
        elif "quote_original" in changes:
            if row.quote is None:
                raise InputError("--quote-original", changes["quote_original"], "needs --quote", "the claim has no quote")
            row.quote_original = changes["quote_original"]
        if any(field in changes for field in ("quote", "quote_original", "document_id", "value", "metric")):
            # A quote kept unverified stays so while neither it nor its document changes.
            kept = not row.quote_verified and not any(f in changes for f in ("quote", "quote_original", "document_id"))
            self._check_row_quote(session, row, bool(changes.get("unverified_quote")) or kept)
        return via_ids

    def _check_row_quote(self, session: Session, row: ClaimRow, keep_unverified: bool) -> None:
        """Check the row's quote against its document and figure again, as ``add_claim`` does."""
        from ledger.figures import Quantity

        doc = row_by_id(session, DocumentRow, row.document_id) if row.document_id is not None else None
        value = Quantity(row.value_text, row.value_low, row.value_high, row.value_kind, row.value_best)
        checked = _check_quote_words(row.quote, row.quote_original, doc.text if doc is not None else None, value, row.metric,
                                     keep_unverified)
        row.quote_start, row.quote_end = checked.start, checked.end
        row.quote_verified, row.quote_states_figure = checked.verified, checked.states_figure
