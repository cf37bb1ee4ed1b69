"""The records a resolution returns: ``Resolution``, ``Candidate``, and the statuses."""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("exact", "alias", "normalised", "acronym", "fuzzy", "possible", "unknown")
MERGED = frozenset({"exact", "alias", "normalised", "acronym", "fuzzy"})


@dataclass(frozen=True)
class Candidate:
    """A canonical name a query might mean, with its score (0-100) and why."""

    name: str
    score: float
    reason: str


@dataclass(frozen=True)
class Resolution:
    """What a name resolved to.

    ``status`` is one of ``STATUSES``: "exact", "alias", "normalised",
    "acronym" and "fuzzy" are merges (``canonical`` set); "possible" is a weak
    match that is NOT merged (``canonical`` None, the match is the first
    candidate); "unknown" matched nothing. ``candidates`` are runner-ups, best
    first, never the canonical itself; a reason names the verdict ("fuzzy",
    "possible: no counterpart for 'siege'", "weak"), quoting words in their
    normalised form.

    From ``cluster`` every name has a canonical (itself when never merged,
    with status "exact"), and ``candidates`` hold only its possible matches.
    """

    query: str
    canonical: str | None
    status: str
    score: float
    candidates: tuple[Candidate, ...] = ()

    @property
    def merged(self) -> bool:
        return self.status in MERGED
