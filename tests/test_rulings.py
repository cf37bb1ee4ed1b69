"""The researcher's rulings laid over the matcher's clusters (``ledger.names.rulings``), as pure functions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ledger.names.rulings import NO_RULINGS, Ruling, Rulings, apply_rulings, kept_apart
from ledger.reconcile import resolve_names


def rulings(*items: tuple[str, str, str, str]) -> Rulings:
    return Rulings(tuple(Ruling(*item) for item in items))


def test_no_rulings_leave_the_matcher_alone():
    resolved = {"Ghweran prison attack": "Ghweran prison attack", "Ghwayran prison attack": "Ghweran prison attack"}
    assert apply_rulings("event", resolved, {}, NO_RULINGS) == resolved


def test_same_joins_whole_clusters_under_the_other_name():
    resolved = {"blast": "blast", "Blast ": "blast", "explosion": "explosion"}
    ruled = apply_rulings("event", resolved, {"blast": 2, "Blast ": 1, "explosion": 1},
                          rulings(("event", "same", "blast", "explosion")))
    assert ruled == {"blast": "explosion", "Blast ": "explosion", "explosion": "explosion"}


def test_same_is_matched_by_key_not_spelling():
    resolved = {"Hasakah Prison Blast": "Hasakah Prison Blast", "explosion": "explosion"}
    ruled = apply_rulings("event", resolved, {}, rulings(("event", "same", "hasakah  prison blast", "explosion")))
    assert ruled["Hasakah Prison Blast"] == "explosion"


def test_apart_cuts_a_cluster_the_matcher_built():
    resolved = {"Ghweran prison attack": "Ghweran prison attack", "Ghweran prison attack 2023": "Ghweran prison attack",
                "Ghwayran prison attack": "Ghweran prison attack"}
    counts = {"Ghweran prison attack": 5, "Ghweran prison attack 2023": 2, "Ghwayran prison attack": 1}
    ruled = apply_rulings("event", resolved, counts,
                          rulings(("event", "apart", "Ghweran prison attack 2023", "Ghweran prison attack")))
    assert ruled == {"Ghweran prison attack": "Ghweran prison attack", "Ghwayran prison attack": "Ghweran prison attack",
                     "Ghweran prison attack 2023": "Ghweran prison attack 2023"}


def test_different_dates_or_places_keep_events_apart_and_one_unknown_does_not():
    ruled = rulings(("event", "date", "Hasakah car bomb", "2022-01-20"), ("event", "date", "Al-Hasakah car bomb", "2023-05-01"),
                    ("event", "place", "Hasakah blast", "Hasakah"))
    apart = kept_apart("event", ruled)
    assert apart("Hasakah car bomb", "al-hasakah car bomb")
    assert not apart("Hasakah car bomb", "Hasakah blast"), "only one has a date: nothing says they differ"
    assert not kept_apart("group", ruled)("Hasakah car bomb", "Al-Hasakah car bomb"), "dates are facts of events only"


def test_a_merge_never_joins_names_kept_apart():
    resolved = {"A": "A", "B": "B", "C": "C"}
    ruled = apply_rulings("event", resolved, {}, rulings(("event", "apart", "A", "C"), ("event", "same", "A", "B"),
                                                         ("event", "same", "C", "B")))
    assert ruled["A"] == "B" and ruled["C"] == "C", "C would meet A, kept apart from it, through B"


def test_resolve_names_follows_rulings_and_drops_settled_questions():
    events = {"Hasakah prison blast": 1, "Hasakah prison explosion": 1}
    open_question = resolve_names(events, {}, [])
    assert {(n.name, n.candidate) for n in open_question.possible_matches} == {("Hasakah prison explosion", "Hasakah prison blast")}
    merged = resolve_names(events, {}, [], rulings(("event", "same", "Hasakah prison explosion", "Hasakah prison blast")))
    assert set(merged.events.values()) == {"Hasakah prison blast"} and merged.possible_matches == []
    apart = resolve_names(events, {}, [], rulings(("event", "apart", "Hasakah prison explosion", "Hasakah prison blast")))
    assert len(set(apart.events.values())) == 2 and apart.possible_matches == []


def test_groups_and_places_take_their_own_rulings():
    names = resolve_names({"E": 2}, {"SDF fighters": 1, "Kurdish forces": 1}, [],
                          rulings(("group", "same", "Kurdish forces", "SDF fighters"), ("place", "same", "Hasaka", "Al-Hasakah")),
                          places={"Hasaka": 1, "Al-Hasakah": 1})
    assert names.groups["Kurdish forces"] == "SDF fighters"
    assert names.places["Hasaka"] == "Al-Hasakah"
    assert names.events == {"E": "E"}


NAME = st.sampled_from(["a", "b", "c", "d", "e"])


@given(st.dictionaries(NAME, NAME, min_size=1), st.lists(st.tuples(st.sampled_from(["same", "apart"]), NAME, NAME), max_size=6))
def test_no_two_names_kept_apart_end_up_together(resolved, steps):
    resolved = {**resolved, **{c: c for c in resolved.values()}}
    ruled = rulings(*(("event", rule, a, b) for rule, a, b in steps if a != b))
    result = apply_rulings("event", resolved, {}, ruled)
    apart = kept_apart("event", ruled)
    assert set(result) == set(resolved)
    for x in result:
        for y in result:
            if apart(x, y):
                assert result[x] != result[y], (x, y, result)
