"""An import's outcome, and restoring a whole ledger from its own JSONL export into an empty one.

``ledger export --format jsonl`` writes every table row as it is stored
(``{"record": "row", …}``), the history included. Imported into an empty
ledger, those rows are written back as they were, in the import's one
transaction: the copy has the original's ids, corrections, retractions,
merges, rulings, times and users, and the same history head. The restored
ledger is then verified (the chain, and every row against its history); if it
does not verify, everything restored is removed again and the import fails
naming the first problems. Into a ledger that holds anything, the rows are
skipped and the file's plain records are imported as usual.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger.errors import LedgerError
from ledger.model.fields import TABLE_COLUMNS
from ledger.transfer.records import RowError, RowRecord, shown_file

_BATCH = 10_000


class ImportRejected(LedgerError):
    """The file had bad rows; nothing was imported. Exit code 2, like any bad input."""

    exit_code = 2

    def __init__(self, file: str, errors: list[RowError], total: int):
        self.file, self.errors, self.total = file, errors, total
        lines = [f"{total} problem{'s' if total != 1 else ''} in {shown_file(file)}; nothing was imported"]
        lines += [str(e) for e in errors]
        if total > len(errors):
            lines.append(f"… and {total - len(errors)} more")
        super().__init__("\n".join(lines))


@dataclass
class ImportResult:
    claims: int = 0
    sources: int = 0
    documents: int = 0
    first_id: int | None = None
    last_id: int | None = None
    dry_run: bool = False
    # Records the ledger already held, recognised by their content and skipped: a re-import adds nothing.
    same_claims: int = 0
    same_sources: int = 0
    same_documents: int = 0
    restored: dict[str, int] = field(default_factory=dict)  # rows per table, when the file restored a whole ledger
    unreplayed: dict[str, int] = field(default_factory=dict)  # the file's history entries a non-empty ledger left out
    head: str | None = None
    sha256: str | None = None  # the file's, named by the import's history entry
    entry: int | None = None  # that entry's seq


def import_entry(result: ImportResult, file: str, sha256: str, claims: tuple[int, int],
                 sources: tuple[int, int]) -> dict | None:
    """The payload of an import's ``import`` history entry: the file, its sha256, the ids it added (each
    ``[first, last]``, or None), what it skipped. None when it added nothing: then nothing is written."""
    span = lambda first, after: [first, after - 1] if after > first else None  # noqa: E731
    if not (result.sources or result.documents or claims[1] > claims[0]):
        return None
    result.sha256 = sha256
    return {"file": file, "sha256": sha256, "claims": span(*claims), "sources": span(*sources),
            "documents": result.documents,
            "skipped": {"claims": result.same_claims, "sources": result.same_sources, "documents": result.same_documents}}


# History actions a whole-ledger file holds that its records do not carry into a ledger that already holds
# something (its claims come in as they stand now): said to the user, never dropped silently.
UNREPLAYED = {"claim.correct": "correction", "claim.retract": "retraction reason", "claim.restore": "restoration",
              "claim.extracted": "extraction mark", "name_rule.add": "name ruling", "name_rule.remove": "name ruling removal",
              "setting.set": "setting", "source.edit": "source edit", "source.merge": "source merge",
              "document.remove": "document removal"}


class Restore:
    """The rows of a whole-ledger export, written back into an empty ledger through the import's writer."""

    def __init__(self, empty: bool):
        self.active = empty  # rows into a ledger that holds anything are skipped
        self.seen = False
        self.pending: list[tuple] = []
        self.table: str | None = None
        self.counts: dict[str, int] = {}
        self.unreplayed: dict[str, int] = {}  # into a ledger holding anything: what of the file's history is left out

    def add(self, rec: RowRecord, write) -> None:
        """Queue one row; ``write(table, columns, rows)`` takes each batch, one table at a time in file order."""
        self.seen = True
        if not self.active:
            if rec.table == "history":  # the records carry the rest; what only the history holds is counted
                action = rec.values.get("action")
                if action in UNREPLAYED:
                    self.unreplayed[UNREPLAYED[action]] = self.unreplayed.get(UNREPLAYED[action], 0) + 1
            return
        if rec.table != self.table:
            self.flush(write)
            self.table = rec.table
        columns = TABLE_COLUMNS[rec.table]
        self.pending.append(tuple(rec.values.get(c) for c in columns))
        self.counts[rec.table] = self.counts.get(rec.table, 0) + 1
        if len(self.pending) >= _BATCH:
            self.flush(write)

    def flush(self, write) -> None:
        if self.pending:
            write(self.table, TABLE_COLUMNS[self.table], self.pending)
            self.pending = []

    @property
    def restoring(self) -> bool:
        return self.active and self.seen


def check_restored(ledger, file: str) -> str:
    """Verify a just-restored ledger; if it does not verify, empty it again and fail. Returns the history head."""
    from sqlalchemy import text

    from ledger.storage.verify import verify

    result = verify(ledger)
    if result.ok:
        return result.head
    with ledger.engine.begin() as conn:
        for table in reversed(TABLE_COLUMNS):
            conn.execute(text(f'DELETE FROM "{table}"'))
    shown = "; ".join(p.message for p in result.problems[:3])
    more = f" (and {len(result.problems) - 3} more)" if len(result.problems) > 3 else ""
    raise LedgerError(f"{shown_file(file)}: its rows do not replay from its own history: {shown}{more}; nothing was imported")
