"""What a ledger already holds, recognised by content: an import skips it, so importing a file twice adds nothing.

A claim is held when one recorded before says the same as ``claim add`` reads
"the same claim" (``claim_store.IDENTITY_COLUMNS``: event by key, metric,
group, figure in its words, document, dates and moments, place, quote and its
original; speaker and relays with merged sources read as their target),
retracted ones included, so a re-imported export does not bring its
retractions back as new claims. Its digest (16 bytes of BLAKE2b) is kept for
every claim, read once at the first claim of an import into a non-empty
ledger: a million claims cost about 100 MB for the length of the import. A
document is held when one has the same outlet, day, address, title and text;
a source when it has the same name (the importer's lookup), and then its
kind and grade must agree.
"""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import text

from ledger.storage.claim_store import IDENTITY_COLUMNS


def digest(content: tuple) -> bytes:
    return hashlib.blake2b(repr(content).encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Held:
    """Lookups of held records, over the import's own connection (it sees what the import sees)."""

    def __init__(self, conn, merged: dict[int, int | None]):
        self.conn, self.merged = conn, merged
        self._claims: set[bytes] | None = None

    def claim(self, said_by: int, via_ids: list[int], identity: dict) -> bool:
        """Whether a claim held before says what ``identity`` (``IDENTITY_COLUMNS`` → value, dates as ISO text)
        says, from this speaker through these relays (ids already merged)."""
        if self._claims is None:
            self._claims = self._claim_digests()
        return digest((said_by, via_ids, *(identity[c] for c in IDENTITY_COLUMNS))) in self._claims

    def _claim_digests(self) -> set[bytes]:
        merged = self.merged
        relays: dict[int, list[int]] = {}
        for claim_id, source_id in self.conn.execute(text("SELECT claim_id, source_id FROM claim_relay ORDER BY claim_id, position")):
            relays.setdefault(claim_id, []).append(merged.get(source_id) or source_id)
        columns = ", ".join(f'"{c}"' for c in IDENTITY_COLUMNS)
        held = set()
        for claim_id, said_by, *identity in self.conn.execute(text(f"SELECT id, said_by_id, {columns} FROM claim")):
            identity = [v.isoformat() if isinstance(v, date) else v for v in identity]  # PostgreSQL's dates as SQLite's text
            held.add(digest((merged.get(said_by) or said_by, relays.get(claim_id, []), *identity)))
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
