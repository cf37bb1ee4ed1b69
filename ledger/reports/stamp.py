"""What makes a report reproducible: the history head it was made from, when, and with which filters.

Every format states it (a closing line under a table, a ``ledger`` object in
JSON, columns in CSV), so a published report can be checked later:
``ledger report --at SEQ`` with the same filters makes it again from the
history as it stood after entry SEQ, and ``ledger verify --head HASH`` proves
that entry is still in the ledger, unaltered.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

CSV_COLUMNS = ["history_seq", "history_head", "made_at", "filters"]


@dataclass(frozen=True)
class Stamp:
    history_seq: int  # 0: an empty history
    history_head: str | None  # the hash of entry history_seq
    made_at: str  # UTC, ISO 8601, to the second
    filters: dict = field(default_factory=dict)  # option -> value, as given: {"--event": "X", "--all": True}
    at: int | None = None  # --at SEQ: made from the history as it stood then, not from the ledger as it is

    def options(self) -> str:
        """The filters as they would be typed again."""
        parts = []
        for option, value in self.filters.items():
            parts.append(option if value is True else f"{option} {shlex.quote(str(value))}")
        return " ".join(parts)

    def line(self) -> str:
        head = f"{self.history_head[:12]}…" if self.history_head else "(empty history)"
        again = " ".join(filter(None, ("ledger report", self.options(), f"--at {self.history_seq}")))
        source = (f"the ledger as it stood after history entry {self.history_seq}" if self.at is not None
                  else f"history entry {self.history_seq}")
        if not self.history_seq:  # nothing recorded yet: no entry to make it again at
            return f"Made {self.made_at} from an empty history; filters: {self.options() or 'none'}."
        return f"Made {self.made_at} from {source} ({head}); filters: {self.options() or 'none'}. Again: {again}"

    def as_dict(self) -> dict:
        return {"history_seq": self.history_seq, "history_head": self.history_head, "made_at": self.made_at,
                "filters": dict(self.filters), "at": self.at}

    def csv_cells(self) -> list:
        return [self.history_seq, self.history_head or "", self.made_at, self.options()]
