"""Filing names without the near misses (``cluster(canonical_only=True)``, ``resolve_names(with_notes=False)``)
gives exactly the canonical names of the full resolution: a listing files each claim as the report does."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.model import Source
from ledger.names import cluster
from ledger.reconcile.grouping import resolve_names

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synth  # noqa: E402

# Spellings as they come in wire copy and translation: transliterations, articles, case, acronyms, near misses.
SPELLINGS = [
    "Ghweran prison attack", "Ghwayran prison attack", "Ghwairan prison attack", "Ghweran Prison Attack", "ghweran prison",
    "Sina'a prison attack", "Al-Sinaa prison attack", "Hasaka prison attack", "Hasakah prison attack",
    "Al-Hasakah", "Hasaka", "al Hasakah", "Hassakeh", "Qamishli", "Al-Qamishli", "Kamishli", "Raqqa", "Al-Raqqa", "Ar-Raqqah",
    "SDF", "Syrian Democratic Forces", "SDF members", "SDF fighters", "ISIS fighters", "IS fighters", "Islamic State fighters",
    "ISIS", "Daesh fighters", "civilians", "civilian", "Kurdish fighters", "Kurdish forces", "prisoners", "inmates",
    "Mosul offensive", "Battle of Mosul", "Mosul battle", "Mosul offense", "Tal Afar offensive", "Tal Afar", "Telafar offensive",
]
SOURCES = [Source(id=1, name="Syrian Democratic Forces", kind="armed-group", aliases=["SDF"]),
           Source(id=2, name="Syrian Observatory for Human Rights", kind="ngo", aliases=["SOHR"])]

name_counts = st.dictionaries(st.sampled_from(SPELLINGS), st.integers(1, 40), min_size=1, max_size=len(SPELLINGS))


def _canonical(resolved):
    return {name: r.canonical for name, r in resolved.items()}


@settings(max_examples=200, deadline=None)
@given(counts=name_counts)
def test_cluster_files_every_name_the_same_without_its_near_misses(counts):
    full = cluster(Counter(counts))
    assert _canonical(cluster(Counter(counts), canonical_only=True)) == _canonical(full)


@settings(max_examples=100, deadline=None)
@given(events=name_counts, groups=name_counts, places=name_counts)
def test_resolve_names_without_notes_files_every_name_the_same(events, groups, places):
    full = resolve_names(events, groups, SOURCES, places=places)
    lean = resolve_names(events, groups, SOURCES, places=places, with_notes=False)
    assert (lean.events, lean.groups, lean.places, lean.counts) == (full.events, full.groups, full.places, full.counts)
    assert lean.possible_matches == []


def test_the_benchmarks_names_are_filed_the_same():
    events, groups, places = Counter(), Counter(), Counter()
    for claim in synth.generate(20_000, seed=3, quotes=False):
        if "event" in claim:
            events[claim["event"]] += 1
            groups.update([claim["group"]] if claim.get("group") else [])
            places.update([claim["location"]] if claim.get("location") else [])
    full = resolve_names(events, groups, SOURCES, places=places)
    lean = resolve_names(events, groups, SOURCES, places=places, with_notes=False)
    assert len(full.events) > 400 and full.possible_matches  # names enough, and near misses the lean path skips
    assert len(set(full.events.values())) < len(full.events)  # spellings were joined: not names filed as themselves
    assert (lean.events, lean.groups, lean.places) == (full.events, full.groups, full.places)
