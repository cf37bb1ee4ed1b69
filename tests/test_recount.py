"""Reusing a clustering after counts change (``names.recount.same_clusters``, ``grouping.recounted``):
whenever the check says the clustering stands, clustering the new counts from scratch gives exactly the same
resolutions, near misses included. A report after one new claim relies on it instead of clustering again."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.names import cluster
from ledger.names.recount import note_changes, same_clusters
from ledger.names.rulings import Ruling, Rulings
from ledger.reconcile.grouping import recounted, resolve_names
from tests.test_canonical_only import SOURCES, SPELLINGS

counts_of = st.dictionaries(st.sampled_from(SPELLINGS), st.integers(1, 6), min_size=2, max_size=len(SPELLINGS))


@st.composite
def recounts(draw):
    """Counts, then the same names with a few counts moved by one or two (a claim recorded, corrected, retracted)."""
    old = draw(counts_of)
    new = dict(old)
    for name in draw(st.lists(st.sampled_from(sorted(old)), min_size=1, max_size=3)):
        new[name] = max(1, new[name] + draw(st.sampled_from([-2, -1, 1, 2])))
    return old, new


def _kept(resolved):
    """What resolved names keep of a clustering (``resolve_names``): each name's canonical name and status, and the
    first near miss of a name that has them (its note); runners-up of other names are not kept."""
    return {name: (r.canonical, r.status, (r.candidates[0].name, r.candidates[0].score) if r.status == "possible" else None)
            for name, r in resolved.items()}


def _resolutions(counts):
    grouped: dict[str, tuple[str, str]] = {}
    return cluster(Counter(counts), grouped=grouped), grouped


seen = Counter()


@settings(max_examples=400, deadline=None, derandomize=True)  # the same examples each run: the tally below is stable
@given(recounts())
def test_a_clustering_said_to_stand_is_the_clustering_made_again_with_the_near_misses_it_names(pair):
    old, new = pair
    before, keys = _resolutions(old)
    changes = note_changes(old, new, keys)
    seen["again" if changes is None else "moved" if changes else "same"] += 1
    if changes is not None:
        expected = _kept(before)
        for name, note in changes.items():
            canonical, _, _ = expected[name]
            expected[name] = (canonical, "exact", None) if note is None else (canonical, "possible", note)
        assert _kept(cluster(Counter(new))) == expected


def test_the_check_gives_every_answer_over_those_examples():
    # run after the property above (pytest keeps file order): a check that always said "again" would pass vacuously
    assert seen["same"] >= 40 and seen["moved"] >= 3 and seen["again"] >= 5, seen


def test_a_heavier_key_passing_one_it_is_compared_with_is_not_reused():
    # "Hasaka prison attack" and "Hasakah prison attack" are one cluster, named by the heavier key's spelling
    old = {"Hasaka prison attack": 3, "Hasakah prison attack": 2}
    new = {"Hasaka prison attack": 3, "Hasakah prison attack": 5}
    before, keys = _resolutions(old)
    assert before["Hasakah prison attack"].canonical == "Hasaka prison attack"
    assert not same_clusters(old, new, keys)
    assert cluster(Counter(new))["Hasaka prison attack"].canonical == "Hasakah prison attack"  # why it must not be


def test_a_key_passing_only_names_it_is_never_compared_with_is_reused():
    old = {"Hasaka prison attack": 3, "Hasakah prison attack": 2, "Mosul offensive": 1, "civilians": 2}
    new = {**old, "Mosul offensive": 9}
    before, keys = _resolutions(old)
    assert same_clusters(old, new, keys)
    assert _kept(cluster(Counter(new))) == _kept(before)


def test_a_key_passing_a_similar_name_it_shares_no_block_with_is_reused():
    # 68 by score ("2020 clashes zuru" / "2023 clashes nuhiki tuti"-like pairs at a million claims), but no word
    # initials nor all words but one in common: cluster never compares them
    old = {"Zuru clashes 2020": 3, "Tuti Nuhiki clashes 2023": 3}
    new = {**old, "Tuti Nuhiki clashes 2023": 4}
    before, keys = _resolutions(old)
    assert same_clusters(old, new, keys)
    assert _kept(cluster(Counter(new))) == _kept(before)


def test_a_key_passing_a_near_miss_in_another_cluster_is_not_reused():
    # "Hasakah prison attack" / "Raqqa prison attack" (66.7): compared, a possible match, recorded on the later
    old = {"Hasakah prison attack": 3, "Raqqa prison attack": 4}
    new = {"Hasakah prison attack": 5, "Raqqa prison attack": 4}
    before, keys = _resolutions(old)
    assert not same_clusters(old, new, keys)
    # ...but only the note moves: from the lighter name to the other, which now looks for a home later
    assert before["Hasakah prison attack"].status == "possible" and before["Raqqa prison attack"].status == "exact"
    changes = note_changes(old, new, keys)
    assert changes == {"Hasakah prison attack": None, "Raqqa prison attack": ("Hasakah prison attack", 66.67)}
    after = cluster(Counter(new))
    assert after["Raqqa prison attack"].status == "possible" and after["Hasakah prison attack"].status == "exact"


def test_a_new_commonest_spelling_of_one_key_is_not_reused():
    old = {"Ghweran prison attack": 3, "Ghweran Prison Attack": 2}  # one match key, two spellings
    new = {"Ghweran prison attack": 3, "Ghweran Prison Attack": 4}
    _, keys = _resolutions(old)
    assert not same_clusters(old, new, keys)


def test_a_name_no_longer_used_or_newly_used_is_not_reused():
    old = {"Mosul offensive": 2, "Raqqa": 1}
    _, keys = _resolutions(old)
    assert not same_clusters(old, {"Mosul offensive": 2}, keys)
    assert not same_clusters(old, {**old, "Tal Afar": 1}, keys)


@settings(max_examples=150, deadline=None)
@given(recounts(), recounts(), recounts())
def test_names_recounted_are_the_names_resolved_again(events, groups, places):
    kept = resolve_names(events[0], groups[0], SOURCES, places=places[0])
    again = recounted(kept, events[1], groups[1], places[1])
    if again is not None:
        fresh = resolve_names(events[1], groups[1], SOURCES, places=places[1])
        assert (again.events, again.groups, again.places, again.possible_matches, again.counts) == \
            (fresh.events, fresh.groups, fresh.places, fresh.possible_matches, fresh.counts)


def test_names_under_a_ruling_that_cuts_clusters_by_count_are_resolved_again():
    rulings = Rulings((Ruling("event", "apart", "Hasaka prison attack", "Hasakah prison attack"),))
    events = {"Hasaka prison attack": 3, "Hasakah prison attack": 2, "Mosul offensive": 1}
    kept = resolve_names(events, {}, SOURCES, rulings, {})
    assert recounted(kept, {**events, "Mosul offensive": 2}, {}, {}) is None
    assert recounted(resolve_names(events, {}, SOURCES, places={}), {**events, "Mosul offensive": 2}, {}, {}) is not None
