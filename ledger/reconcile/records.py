"""The reconciler's records: verdicts, quantities, figures, claim rows, findings and the report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from ledger.model import Claim
from ledger.figures import Quantity

VERDICTS = ("contradiction", "divergence", "relay-discrepancy", "revision", "agreement")
_RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}


class QuantityKey(NamedTuple):
    event: str
    metric: str
    group: str | None  # None: the total
    place: str | None = None  # None: wherever the event took place

    def label(self) -> str:
        where = f" in {self.place}" if self.place else ""
        return f"{self.event}{where} / {self.metric} / {self.group or 'total'}"


class Figure(NamedTuple):
    """A claim as the reconciler sees it: a stated claim, or a total derived from parts.

    A named tuple (immutable, compared by value) rather than a frozen dataclass:
    a report builds one per claim, and a tuple builds five times faster in less memory.
    """

    claim_id: int | None
    said_by: str
    via: tuple[str, ...]
    outlet: str | None
    value: Quantity
    published: date | None
    as_of: date | None
    document_id: int | None = None
    derived: bool = False
    parts: tuple[int, ...] = ()
    part_labels: tuple[str, ...] = ()
    corrected_from: tuple[Quantity, ...] = ()
    grade: str = "F6"  # Admiralty: origin's reliability + the claim's credibility
    credibility: int | None = None  # the claim's, 1–6
    as_of_at: datetime | None = None  # the moment in UTC, when the source gave a time of day
    unstated: bool = False  # the claim's quote was checked and does not state this figure


def later(a: Figure, b: Figure) -> bool | None:
    """Whether ``a`` holds later than ``b``; None when their moments cannot be ordered.

    Two times order in UTC, whatever day each source's own clock gave; else
    different days order by day, and a day without a time is unordered
    against the times of that day (it may be the morning's figure or the
    evening's).
    """
    if a.as_of_at is not None and b.as_of_at is not None:
        return None if a.as_of_at == b.as_of_at else a.as_of_at > b.as_of_at
    if a.as_of is None or b.as_of is None or a.as_of == b.as_of:
        return None
    return a.as_of > b.as_of


class ClaimRow(NamedTuple):
    """What the reconciler reads of a live claim: ``reconcile_rows`` takes these, or plain tuples in this order."""

    id: int
    event: str
    metric: str
    group: str | None
    value: Quantity
    said_by: str
    via: tuple[str, ...]
    document_id: int | None
    outlet: str | None
    published: date | None
    as_of: date | None  # the end of the claim's period, else its publication date
    credibility: int | None
    corrections: tuple[Quantity, ...]  # earlier values, oldest first
    as_of_at: datetime | None = None  # the moment of ``as_of`` in UTC, when a time of day is known
    unstated: bool = False  # its quote does not state its figure
    location: str | None = None  # where the counted events took place, as written


def claim_rows(claims: Iterable[Claim]) -> Iterator[ClaimRow]:
    """The live claims among ``claims`` as reconciler rows."""
    for c in claims:
        if not c.retracted:
            yield ClaimRow(
                c.id, c.event, c.metric, c.group, c.value, c.said_by, c.via, c.document_id, c.outlet, c.published,
                c.period.end if c.period is not None else c.published, c.credibility, c.corrections,
                c.as_of_at if c.period is not None else c.published_at, c.quote_states_figure is False, c.location,
            )


@dataclass(frozen=True, slots=True)
class Finding:
    quantity: QuantityKey
    verdict: str
    reason: str
    figures: tuple[Figure, ...]
    envelope: tuple[int, int | None]
    consensus: tuple[int, int | None] | None
    gap: float  # size of the disagreement relative to the figures, for ordering


@dataclass(frozen=True)
class NameNote:
    """Two names close enough to look alike but too far apart to merge."""

    kind: str  # "event", "group", "place" or "source"
    name: str
    candidate: str
    score: float
    # "similar": the names look alike; "unrelated": two places of one event that nothing relates (counted apart)
    question: str = "similar"
    event: str | None = None
    names: tuple[str, ...] = ()  # "unrelated": every such place of the event


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    possible_matches: list[NameNote] = field(default_factory=list)
    quantities: int = 0
    claims: int = 0
    event_names: dict[str, str] = field(default_factory=dict)  # every event name seen → its canonical name
