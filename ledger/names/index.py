"""The index of canonical names and aliases: ``NameIndex`` and ``closest_names``.

``NameIndex.resolve`` answers one name (``ledger resolve NAME``); ``closest``
and ``closest_names`` give "did you mean" hints. Exact, alias, normalised and
acronym lookups come first; fuzzy scoring over every surface (name or alias)
only after.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ledger.errors import InputError
from ledger.names.counterparts import _unmatched_word
from ledger.names.forms import _Forms, _forms
from ledger.names.records import Candidate, Resolution
from ledger.names.thresholds import (
    CANDIDATE_LIMIT,
    MERGE_THRESHOLD,
    POSSIBLE_THRESHOLD,
    SUGGEST_THRESHOLD,
    _scorer,
)


def _verdict(score: float, unmatched: str | None) -> str:
    """Candidate reason for a fuzzy score between two keys."""
    if score >= MERGE_THRESHOLD and unmatched is None:
        return "fuzzy"
    if score >= POSSIBLE_THRESHOLD:
        if unmatched is not None:
            return f"possible: no counterpart for '{unmatched}'"
        return "possible"
    return "weak"


@dataclass(frozen=True)
class _Surface:
    text: str  # the canonical name or an alias
    owner: int  # index of the canonical name
    is_alias: bool
    forms: _Forms


class NameIndex:
    """Canonical names and their aliases, resolvable by any spelling.

    ``aliases`` maps alias -> canonical name ("SOHR" -> "Syrian Observatory for
    Human Rights"); alias targets need not be listed in ``names``, and a target
    that is itself an alias is followed.

    One class of some 190 lines because the exact lookups, the fuzzy scoring
    and ``resolve``/``closest`` all read the same private tables (``_surfaces``,
    the ``_by_*`` maps, ``_rank``), which ``cluster`` reads too.
    """

    def __init__(self, names: Iterable[str] = (), aliases: Mapping[str, str] = MappingProxyType({})):
        self._names: list[str] = []
        self._position: dict[str, int] = {}
        for name in names:
            self._add(name)
        self._aliases: dict[str, int] = {}
        for alias in sorted(aliases):
            target = _follow(alias, aliases)
            if alias == target or alias in self._position:
                continue  # a canonical name is never an alias of another
            self._aliases[alias] = self._add(target)
        self._surfaces = [_Surface(n, i, False, _forms(n)) for i, n in enumerate(self._names)]
        self._surfaces += [
            _Surface(a, i, True, _forms(a)) for a, i in sorted(self._aliases.items())
        ]
        self._by_norm: dict[str, set[int]] = defaultdict(set)
        self._by_key: dict[str, set[int]] = defaultdict(set)
        self._by_initials: dict[str, set[int]] = defaultdict(set)
        self._by_short: dict[str, set[int]] = defaultdict(set)
        for s in self._surfaces:
            f = s.forms
            if f.norm:
                self._by_norm[f.norm].add(s.owner)
            if f.key:
                self._by_key[f.key].add(s.owner)
            if f.initials and len(f.initials) >= 2:
                self._by_initials[f.initials].add(s.owner)
            if f.short:
                self._by_short[f.short].add(s.owner)
        alphabetical = sorted(range(len(self._names)), key=self._names.__getitem__)
        self._rank = {owner: rank for rank, owner in enumerate(alphabetical)}  # tie-break
        self._arrays = None  # (keys, owners, valid) for fuzzy scoring, built on first use

    def _add(self, name: str) -> int:
        if name not in self._position:
            self._position[name] = len(self._names)
            self._names.append(name)
        return self._position[name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._position

    # -- the cheap, exact-lookup steps -----------------------------------
    def _lookup(self, name: str, forms: _Forms | None = None) -> tuple[str, set[int]] | None:
        """(status, owners) of the first step that finds something, else None."""
        if name in self._position:
            return "exact", {self._position[name]}
        if name in self._aliases:
            return "alias", {self._aliases[name]}
        f = forms or _forms(name)
        if f.norm and f.norm in self._by_norm:
            return "normalised", self._by_norm[f.norm]
        if f.key and f.key in self._by_key:
            return "normalised", self._by_key[f.key]
        if f.short and f.short in self._by_initials:
            return "acronym", self._by_initials[f.short]
        if f.initials and f.initials in self._by_short:
            return "acronym", self._by_short[f.initials]
        return None

    # -- fuzzy scoring ----------------------------------------------------
    def _score_all(self, key: str):
        """Per canonical: its score and the surface (name or alias) it comes from.

        That is the best-scoring surface, unless some surface scoring at least
        MERGE_THRESHOLD also matches word for word: then the best such one, so
        a mergeable spelling is never hidden behind a higher-scoring one that
        is not.
        """
        import numpy as np
        from rapidfuzz import process

        if self._arrays is None:
            keys = [s.forms.key for s in self._surfaces]
            owners = np.array([s.owner for s in self._surfaces], dtype=np.int64)
            valid = np.array([bool(k) for k in keys])
            self._arrays = (keys, owners, valid)
        keys, owners, valid = self._arrays
        best = np.zeros(len(self._names), dtype=np.float64)
        surface = np.full(len(self._names), -1, dtype=np.int64)
        if not key or not keys:
            return best, surface
        scores = process.cdist([key], keys, scorer=_scorer(), dtype=np.float32, workers=1)[0]
        scores = np.round(scores.astype(np.float64), 2)
        scores[~valid] = 0.0
        order = np.lexsort((np.arange(len(scores)), -scores))  # best first, then surface order
        seen, first = np.unique(owners[order], return_index=True)
        surface[seen] = order[first]
        best[seen] = scores[order[first]]
        settled: set[int] = set()
        for j in order[: int(np.count_nonzero(scores >= MERGE_THRESHOLD))].tolist():
            o = int(owners[j])
            if o not in settled and _unmatched_word(key, keys[j]) is None:
                settled.add(o)
                surface[o], best[o] = j, scores[j]
        return best, surface

    def _candidate(self, owner: int, score: float, surface: int, key: str) -> Candidate:
        s = self._surfaces[surface] if surface >= 0 else None
        unmatched = _unmatched_word(key, s.forms.key) if (s and key and score >= POSSIBLE_THRESHOLD) else None
        reason = _verdict(score, unmatched)
        if s is not None and s.is_alias:
            reason += f" (via alias '{s.text}')"
        return Candidate(self._names[owner], float(score), reason)

    def _ranked(
        self, key: str, best, surface, exclude: set[int], limit: int | None, floor: float = 0.0
    ) -> list[Candidate]:
        order = sorted(
            (o for o in range(len(self._names)) if o not in exclude and best[o] >= floor),
            key=lambda o: (-best[o], self._rank[o]),
        )
        if limit is not None:
            order = order[:limit]
        return [self._candidate(o, float(best[o]), int(surface[o]), key) for o in order]

    # -- public -------------------------------------------------------------
    def resolve(self, name: str) -> Resolution:
        """Resolve one name: exact, alias, normalised, acronym, fuzzy, possible or unknown."""
        forms = _forms(name)
        best, surface = self._score_all(forms.key)
        hit = self._lookup(name, forms)
        if hit is not None:
            status, owners = hit
            if len(owners) == 1:
                (owner,) = owners
                return Resolution(
                    name, self._names[owner], status, 100.0,
                    tuple(self._ranked(forms.key, best, surface, {owner}, CANDIDATE_LIMIT)),
                )
            # two canonical names share this spelling: do not guess
            tied = sorted(owners, key=self._rank.__getitem__)
            shown = [Candidate(self._names[o], 100.0, f"possible: ambiguous {status} match") for o in tied]
            rest = self._ranked(forms.key, best, surface, set(owners), max(0, CANDIDATE_LIMIT - len(shown)))
            return Resolution(name, None, "possible", 100.0, tuple(shown + rest))
        strong = self._ranked(forms.key, best, surface, set(), None, floor=MERGE_THRESHOLD)
        mergeable = [c for c in strong if c.reason.startswith("fuzzy")]
        if mergeable and not (len(mergeable) > 1 and mergeable[1].score == mergeable[0].score):
            match = mergeable[0]
            exclude = {self._position[match.name]}
            others = self._ranked(forms.key, best, surface, exclude, CANDIDATE_LIMIT)
            return Resolution(name, match.name, "fuzzy", match.score, tuple(others))
        ranked = self._ranked(forms.key, best, surface, set(), CANDIDATE_LIMIT)
        if not ranked:
            return Resolution(name, None, "unknown", 0.0, ())
        # a tie between two mergeable names is not guessed either: "possible"
        status = "possible" if ranked[0].score >= POSSIBLE_THRESHOLD else "unknown"
        return Resolution(name, None, status, ranked[0].score, tuple(ranked))

    def closest(self, name: str, limit: int = 3) -> list[Candidate]:
        """The canonical names most like ``name``, best first, for "did you mean" hints.

        A merged match comes first (with its status as reason); fuzzy
        suggestions below ``SUGGEST_THRESHOLD`` are left out.
        """
        if limit <= 0:
            return []
        forms = _forms(name)
        best, surface = self._score_all(forms.key)
        hit = self._lookup(name, forms)
        first: list[Candidate] = []
        exclude: set[int] = set()
        if hit is not None:
            status, owners = hit
            reason = status if len(owners) == 1 else f"possible: ambiguous {status} match"
            for o in sorted(owners, key=self._rank.__getitem__):
                first.append(Candidate(self._names[o], 100.0, reason))
                exclude.add(o)
        ranked = self._ranked(forms.key, best, surface, exclude, limit)
        rest = [c for c in ranked if c.score >= SUGGEST_THRESHOLD]
        return (first + rest)[:limit]


def closest_names(name: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """The names in ``names`` most like ``name``, best first: "did you mean" hints.

    ``NameIndex(names).closest(name, limit)`` without the scores.
    """
    return [c.name for c in NameIndex(names).closest(name, limit)]


def _follow(alias: str, aliases: Mapping[str, str]) -> str:
    seen = [alias]
    target = aliases[alias]
    while target in aliases and aliases[target] != target:
        if target in seen:
            raise InputError("alias", alias, "is part of an alias cycle", " -> ".join(seen + [target]))
        seen.append(target)
        target = aliases[target]
    return target
