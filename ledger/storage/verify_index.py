"""What ``verify``'s pass over the history learns, so that rows can then be checked a batch at a time.

Most claims have exactly one entry: the ``claim.add`` that recorded them. For
those, the pass keeps a 16-byte digest of the entry's payload, and the row is
checked by re-serialising it (``rows.claim_payload``, canonical JSON) and
comparing digests: the history is not read a second time, nor parsed, nor
replayed. Any other claim (corrected, retracted, imported in bulk, or whose
row does not match its digest) goes through the full replay, which names the
fields that differ. The digests cost 16 bytes per claim id, 16 MB at a million.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from ledger.provenance.chain import Entry

UNSEEN, MENTIONED, ADDED_ONCE = 0, 1, 2  # a subject's mark: no entry, entries to replay, one add with its digest
DIGEST = 16


def payload_digest(payload: str) -> bytes:
    return hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=DIGEST).digest()


class HistoryIndex:
    """Per kind of subject, one mark per id, and the bulk entries' id ranges.

    - ``mentioned``: per kind, one byte per id (:data:`UNSEEN`, :data:`MENTIONED`
      or :data:`ADDED_ONCE`), cleared when its row is compared (a million
      claims: one megabyte). Whatever is still set at the end has no row.
    - ``digests``: for claims marked :data:`ADDED_ONCE`, the digest of their add entry's payload.
    - ``bulk``: per kind, ``(seq, lowest id, highest id)`` of each entry an
      expander spreads over many subjects, so a batch of rows fetches only
      the bulk entries whose range it overlaps.
    - ``unreadable``: seqs whose payload is not a JSON object; replay skips them.
    """

    def __init__(self, kinds: Iterable[str]) -> None:
        self.mentioned = {kind: bytearray() for kind in kinds}
        self.digests = bytearray()
        self.bulk: dict[str, list[tuple[int, int, int]]] = {kind: [] for kind in self.mentioned}
        self.unreadable: set[int] = set()

    @staticmethod
    def _split(subject: str) -> tuple[str, int | None]:
        kind, _, ident = subject.partition(":")
        return kind, int(ident) if ident.isdigit() else None

    def _marks(self, kind: str, ident: int) -> bytearray:
        marks = self.mentioned[kind]
        if ident >= len(marks):
            marks.extend(bytes(max(ident + 1, 2 * len(marks)) - len(marks)))
        return marks

    def mention(self, subject: str) -> tuple[str, int | None]:
        kind, ident = self._split(subject)
        if kind in self.mentioned and ident is not None:
            self._marks(kind, ident)[ident] = MENTIONED
        return kind, ident

    def entry(self, entry: Entry) -> None:
        """An intact entry about one subject: a claim's first ``claim.add`` keeps its digest, anything else marks."""
        kind, ident = self._split(entry.subject)
        if kind != "claim" or ident is None or entry.action != "claim.add":
            self.mention(entry.subject)
            return
        marks = self._marks(kind, ident)
        if marks[ident] != UNSEEN:
            marks[ident] = MENTIONED  # a second add for one id: replay shows what it did
            return
        marks[ident] = ADDED_ONCE
        end = (ident + 1) * DIGEST
        if end > len(self.digests):
            self.digests.extend(bytes(max(end, 2 * len(self.digests)) - len(self.digests)))
        self.digests[end - DIGEST:end] = payload_digest(entry.payload)

    def added_once(self, ident: int) -> bytes | None:
        """The digest of claim ``ident``'s only entry, when its one entry is the add."""
        marks = self.mentioned["claim"]
        if ident < len(marks) and marks[ident] == ADDED_ONCE:
            return bytes(self.digests[ident * DIGEST:(ident + 1) * DIGEST])
        return None

    def forget(self, subject: str) -> None:
        kind, ident = self._split(subject)
        marks = self.mentioned.get(kind)
        if marks is not None and ident is not None and ident < len(marks):
            marks[ident] = UNSEEN

    def add_bulk(self, entry: Entry, expanded: Iterable[Entry]) -> None:
        ranges: dict[str, list[int]] = {}
        for item in expanded:
            kind, ident = self.mention(item.subject)
            if kind in self.bulk and ident is not None:
                low_high = ranges.setdefault(kind, [ident, ident])
                low_high[0], low_high[1] = min(low_high[0], ident), max(low_high[1], ident)
        for kind, (low, high) in ranges.items():
            self.bulk[kind].append((entry.seq, low, high))

    def compared(self, kind: str, ids: Iterable[int]) -> None:
        marks = self.mentioned[kind]
        for ident in ids:
            if ident < len(marks):
                marks[ident] = UNSEEN

    def missing(self) -> Iterator[str]:
        for kind, marks in self.mentioned.items():
            for ident, mark in enumerate(marks):
                if mark != UNSEEN:
                    yield f"{kind}:{ident}"
