"""What a ledger already holds, recognised by content: an import skips it, so importing a file twice adds nothing.

A claim is held when one recorded before says the same: event (by key),
metric, group, figure (its words), speaker and relays (merged sources read as
their target), document, publication day, period, place, quote and
credibility. Its digest (16 bytes of BLAKE2b) is kept for every claim, read
once at the first claim of an import into a non-empty ledger: a million
claims cost about 100 MB for the length of the import. A document is held when
one has the same outlet, day, address, title and text; a source when it has
the same name (the importer's lookup), and then its kind and grade must agree.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text


def digest(content: tuple) -> bytes:
    return hashlib.blake2b(repr(content).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _iso(day) -> str | None:
    """A date as the claim table returns it (text on SQLite, a date on PostgreSQL) in ISO form."""
    return None if day is None else str(day)


class Held:
    """Lookups of held records, over the import's own connection (it sees what the import sees)."""

    def __init__(self, conn, merged: dict[int, int | None]):
        self.conn, self.merged = conn, merged
        self._claims: set[bytes] | None = None

    def claim(self, *content) -> bool:
        """``content``: (event key, metric, group, figure text, speaker id, relay ids, document id, published,
        period start, period end, location, quote, credibility), dates as ISO text."""
        if self._claims is None:
            self._claims = self._claim_digests()
        return digest(content) in self._claims

    def _claim_digests(self) -> set[bytes]:
        merged = self.merged
        relays: dict[int, list[int]] = {}
        for claim_id, source_id in self.conn.execute(text("SELECT claim_id, source_id FROM claim_relay ORDER BY claim_id, position")):
            relays.setdefault(claim_id, []).append(merged.get(source_id) or source_id)
        held = set()
        for (claim_id, key, metric, group, value, said_by, doc_id, published, start, end, location, quote,
             credibility) in self.conn.execute(text(
                "SELECT id, event_key, metric, group_name, value_text, said_by_id, document_id, published, period_start, "
                "period_end, location, quote, credibility FROM claim")):
            held.add(digest((key, metric, group, value, merged.get(said_by) or said_by, relays.get(claim_id, []), doc_id,
                             _iso(published), _iso(start), _iso(end), location, quote, credibility)))
        return held

    def document(self, outlet_id: int, published: str, sha: str | None, url: str | None, title: str | None) -> int | None:
        """The id of a document held with this outlet, day, address, title and text."""
        return self.conn.execute(text(
            "SELECT id FROM document WHERE outlet_id = :outlet AND published = :published AND coalesce(sha256, '') = :sha "
            "AND coalesce(url, '') = :url AND coalesce(title, '') = :title ORDER BY id LIMIT 1"),
            {"outlet": outlet_id, "published": published, "sha": sha or "", "url": url or "", "title": title or ""},
        ).scalar()

    def source_conflict(self, source_id: int, rec) -> str | None:
        """Why a held source and the file's record of it disagree (kind or grade), or None."""
        kind, grade = self.conn.execute(text("SELECT kind, grade FROM source WHERE id = :id"), {"id": source_id}).one()
        if (kind, grade) == (rec.kind, rec.grade):
            return None
        held = f"{kind}{f', grade {grade}' if grade else ''}"
        given = f"{rec.kind}{f', grade {rec.grade}' if rec.grade else ''}"
        return f"{rec.name!r} is in the ledger as {held}, the file says {given}; make them agree first (`ledger source edit`)"
