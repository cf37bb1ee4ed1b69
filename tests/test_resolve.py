"""Name resolution: normalisation, the index, and clustering observed names."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ledger.names.clustering as clustering_module
import ledger.names.neighbours as neighbours_module
from ledger.errors import InputError
from ledger.names import (
    MERGE_THRESHOLD,
    POSSIBLE_THRESHOLD,
    Candidate,
    NameIndex,
    Resolution,
    acronym,
    closest_names,
    cluster,
    fold_transliteration,
    normalise,
    possible_matches,
)

SOHR = "Syrian Observatory for Human Rights"
SDF = "Syrian Democratic Forces"
IS = "Islamic State"

ALIASES = {
    "SOHR": SOHR,
    "the observatory": SOHR,
    "ISIS": IS,
    "the organization": IS,
}

NAMES = [
    SDF,
    IS,
    SOHR,
    "civilians",
    "children",
    "Ghweran prison attack",
    "Hasakah prison attack",
    "Deir ez-Zor",
    "Hasaka",
    "Kurdish forces",
]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex(NAMES, ALIASES)


# ---------------------------------------------------------------- normalise


@pytest.mark.parametrize("variants", [
    ["Ghweran", "Ghwayran", "Ghuwayran", "Ghweiran", "Ghuwairan", "GHWERAN"],
    ["Hasaka", "Hasakah", "Al-Hasakah", "al Hasakah", "el-Hasakah", "Hassakeh", "Al‑Hasakah", "al-Ḥasakah"],
    ["Raqqa", "Raqqah", "ar-Raqqa", "Al-Raqqa"],
    ["SDF", "the SDF", "S.D.F.", "sdf", "The S.D.F"],
    ["Mazloum Abdi", "Mazlum Abdi", "MAZLOUM ABDI"],
    ["Der'a", "Der’a", "Dera", "DER`A"],
])
def test_normalise_makes_variants_equal(variants):
    forms = {normalise(v) for v in variants}
    assert len(forms) == 1, forms


def test_normalise_examples():
    assert normalise("Al-Hasakah") == "hasaka"
    assert normalise("Al-Hasakah", fold=False) == "hasakah"
    assert normalise("Ghuwayran") == "ghweran"
    assert normalise("Deir ez-Zor") == "der zor"  # sun-letter article dropped
    assert normalise("  The   Islamic  State ") == "islamic state"
    assert normalise("Qāmishlī") == "qamishli"
    assert normalise("Kurdish People’s Protection Units") == "kurdish peoples protection units"
    assert normalise("#Sinaa_Prison") == "sina prison"
    assert normalise("The") == "the"  # nothing but an article: kept
    assert normalise("") == ""


@pytest.mark.parametrize("a, b", [
    ("Hasaka", "Raqqa"),
    ("Deir", "Der'a"),
    ("Deir ez-Zor", "Der'a"),
    ("Homs", "Hama"),
    ("Kurdish", "Turkish"),
    ("civilians", "children"),
    ("ISIS", "ISIL"),
])
def test_normalise_keeps_unrelated_names_apart(a, b):
    assert normalise(a) != normalise(b)


@pytest.mark.parametrize("plain, folded", [
    ("jazeera", "jazira"),
    ("mazloum", "mazlum"),
    ("hassakeh", "hasaka"),
    ("raqqah", "raqa"),
    ("ghuwayran", "ghweran"),
    ("hussein", "husen"),
    ("husayn", "husen"),
    ("sayed", "sayed"),  # "ay" before a vowel is not a diphthong
])
def test_fold_transliteration(plain, folded):
    assert fold_transliteration(plain) == folded


@pytest.mark.parametrize("name, expected", [
    (SDF, "sdf"),
    ("Islamic State of Iraq and Syria", "isis"),
    ("Islamic State of Iraq and the Levant", "isil"),
    (SOHR, "sohr"),
    ("Hay'at Tahrir al-Sham", "hts"),
])
def test_acronym(name, expected):
    assert acronym(name) == expected


# ---------------------------------------------------------------- NameIndex


@pytest.mark.parametrize("query, canonical, status", [
    (SDF, SDF, "exact"),
    ("SOHR", SOHR, "alias"),
    ("the observatory", SOHR, "alias"),
    ("ISIS", IS, "alias"),
    ("the organization", IS, "alias"),
    ("The Organization", IS, "normalised"),
    ("the Organisation", IS, "fuzzy"),
    ("isis", IS, "normalised"),
    ("ISIS fighters", IS, "normalised"),  # head noun dropped
    ("fighters of ISIS", IS, "normalised"),
    ("syrian democratic forces", SDF, "normalised"),
    ("The Syrian Democratic Forces.", SDF, "normalised"),
    ("the observatory.", SOHR, "normalised"),
    ("SDF", SDF, "acronym"),
    ("the SDF", SDF, "acronym"),
    ("S.D.F.", SDF, "acronym"),
    ("SDF members", SDF, "acronym"),
    ("IS", IS, "acronym"),
    ("Islamic State of Iraq and Syria", IS, "acronym"),  # initials of the query = alias "ISIS"
    ("Al-Hasakah", "Hasaka", "normalised"),
    ("Hassakeh", "Hasaka", "normalised"),
    ("Ghwayran prison attack", "Ghweran prison attack", "normalised"),
    ("attack on Ghuwayran prison", "Ghweran prison attack", "normalised"),
    ("Ghwiran prison atack", "Ghweran prison attack", "fuzzy"),
    ("Syrian Democratic Force", SDF, "fuzzy"),
])
def test_resolve_merges(index, query, canonical, status):
    r = index.resolve(query)
    assert (r.canonical, r.status) == (canonical, status)
    assert r.merged
    assert r.score >= MERGE_THRESHOLD
    assert canonical not in [c.name for c in r.candidates]


def test_sdf_via_alias_takes_precedence_over_acronym():
    idx = NameIndex([SDF], {"SDF": SDF})
    assert idx.resolve("SDF").status == "alias"
    assert idx.resolve("the SDF").status == "normalised"
    assert idx.resolve("SDF fighters").status == "normalised"


def test_acronym_the_other_way_round():
    idx = NameIndex(["SOHR", "ISIS"])
    r = idx.resolve(SOHR)
    assert (r.canonical, r.status) == ("SOHR", "acronym")
    assert idx.resolve("Islamic State of Iraq and Syria").canonical == "ISIS"


@pytest.mark.parametrize("query, expected_candidate", [
    ("Raqqa prison attack", "Hasakah prison attack"),
    ("Ghweran prison siege", "Ghweran prison attack"),
    ("Turkish forces", "Kurdish forces"),
])
def test_weak_matches_are_possible_not_merged(index, query, expected_candidate):
    r = index.resolve(query)
    assert r.status == "possible"
    assert r.canonical is None and not r.merged
    assert POSSIBLE_THRESHOLD <= r.score
    assert r.candidates[0].name == expected_candidate
    assert r.candidates[0].reason.startswith("possible")


@pytest.mark.parametrize("query", ["Der'a", "xyz", "Aleppo", "ISIS prisoners"])
def test_unrelated_names_are_unknown(index, query):
    r = index.resolve(query)
    assert (r.canonical, r.status) == (None, "unknown")
    assert r.score < POSSIBLE_THRESHOLD
    assert len(r.candidates) == 3


def test_civilians_never_merge_with_children_or_sdf():
    idx = NameIndex(["children", SDF], {"SDF": SDF})
    r = idx.resolve("civilians")
    assert r.canonical is None and r.status == "unknown"
    assert NameIndex(["civilians"]).resolve("children").canonical is None
    assert NameIndex(["civilians"]).resolve("SDF").canonical is None


def test_candidates_are_runner_ups_by_score(index):
    for query in [SDF, "Ghweran prison siege", "Raqqa prison attack", "Der'a", "SDF"]:
        r = index.resolve(query)
        assert 1 <= len(r.candidates) <= 3
        scores = [c.score for c in r.candidates]
        assert scores == sorted(scores, reverse=True)
        assert r.canonical not in [c.name for c in r.candidates]
    r = index.resolve("Ghwayran prison attack")
    assert r.candidates[0] == Candidate(
        "Hasakah prison attack", r.candidates[0].score, r.candidates[0].reason
    )
    assert r.candidates[0].score > r.candidates[1].score


def test_ambiguous_spelling_is_not_guessed():
    idx = NameIndex(["Hasaka", "Hasakah"])
    assert idx.resolve("Hasakah").status == "exact"
    r = idx.resolve("HASAKEH")
    assert (r.canonical, r.status) == (None, "possible")
    assert [c.name for c in r.candidates] == ["Hasaka", "Hasakah"]


def test_fuzzy_picks_the_best_word_for_word_match_and_does_not_guess_ties():
    idx = NameIndex(["Hasaka prison battack", "Hasaka prisons attacks"])
    r = idx.resolve("Hasaka prison attack")
    assert (r.canonical, r.status) == ("Hasaka prisons attacks", "fuzzy")
    assert r.candidates[0].name == "Hasaka prison battack"
    assert r.candidates[0].score > r.score  # scored higher, but "battack" is another word
    tie = NameIndex(["Hasaka prisons", "Hasaka prisone"]).resolve("Hasaka prison")
    assert (tie.canonical, tie.status) == (None, "possible")
    assert [c.name for c in tie.candidates] == ["Hasaka prisone", "Hasaka prisons"]


def test_closest_for_did_you_mean(index):
    hints = index.closest("Ghwiran prison atack")
    assert hints[0].name == "Ghweran prison attack"
    assert all(h.score >= 50 for h in hints)
    assert index.closest("SDF")[0] == Candidate(SDF, 100.0, "acronym")
    assert len(index.closest("prison attack", limit=1)) == 1
    assert index.closest("qqqqq") == []
    assert index.closest("SDF", limit=0) == []


def test_closest_names():
    assert closest_names("medai", ["ngo", "media", "government"]) == ["media"]
    assert closest_names("Ghwayran", ["Ghweran", "Raqqa"], limit=1) == ["Ghweran"]
    assert closest_names("x", []) == []


def test_alias_targets_are_canonical_and_chains_followed():
    idx = NameIndex([], {"Daesh": "ISIS", "ISIS": IS})
    assert idx.names == (IS,)
    assert idx.resolve("Daesh").canonical == IS
    with pytest.raises(InputError):
        NameIndex([], {"a": "b", "b": "a"})


def test_import_is_light():
    code = "import sys, ledger.names; assert 'rapidfuzz' not in sys.modules and 'numpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- cluster

OBSERVED = (
    ["Ghweran prison attack"] * 5
    + ["Ghwayran prison attack"] * 7
    + ["attack on Ghuwayran prison"] * 2
    + ["Ghwiran prison atack"]
    + ["Hasakah prison attack", "Raqqa prison attack"] * 3
    + ["SDF", "the SDF", "S.D.F.", "SDF members", "Syrian Democratic Forces"]
    + ["ISIS", "ISIS fighters", "the organization", "Islamic State", "ISIS prisoners"]
    + ["civilians", "children", "Deir ez-Zor", "Der'a", "Hasaka", "Al-Hasakah", "Hassakeh"]
    + ["Ghweran prison siege"]
)


def test_cluster_maps_every_distinct_name():
    result = cluster(OBSERVED, ALIASES, known=[SDF])
    assert set(result) == set(OBSERVED)
    assert list(result) == sorted(result)
    canon = {n: r.canonical for n, r in result.items()}
    # the most common spelling names the cluster
    for n in ["Ghweran prison attack", "attack on Ghuwayran prison", "Ghwiran prison atack"]:
        assert canon[n] == "Ghwayran prison attack"
    assert result["Ghwayran prison attack"].status == "exact"
    assert result["Ghwiran prison atack"].status == "fuzzy"
    assert result["attack on Ghuwayran prison"].status == "normalised"
    # known names and alias targets win
    for n in ["SDF", "the SDF", "S.D.F.", "SDF members", SDF]:
        assert canon[n] == SDF
    for n in ["ISIS", "ISIS fighters", "the organization", IS]:
        assert canon[n] == IS
    assert canon["ISIS prisoners"] == "ISIS prisoners"
    # weak matches are their own clusters
    for n in ["Raqqa prison attack", "Hasakah prison attack", "Ghweran prison siege",
              "civilians", "children", "Deir ez-Zor", "Der'a"]:
        assert canon[n] == n
    assert len({canon["Hasaka"], canon["Al-Hasakah"], canon["Hassakeh"]}) == 1


def test_cluster_records_possible_matches():
    result = cluster(OBSERVED, ALIASES, known=[SDF])
    pairs = {(a, b) for a, b, _ in possible_matches(result)}
    assert ("Ghwayran prison attack", "Ghweran prison siege") in pairs
    assert ("Hasakah prison attack", "Raqqa prison attack") in pairs
    assert not any("Der'a" in p for p in pairs)
    scores = [s for _, _, s in possible_matches(result)]
    assert scores == sorted(scores, reverse=True)
    assert all(s >= POSSIBLE_THRESHOLD for s in scores)
    # recorded once, on the smaller cluster, which keeps its own name
    siege = result["Ghweran prison siege"]
    assert (siege.canonical, siege.status) == ("Ghweran prison siege", "possible")
    assert siege.candidates[0].name == "Ghwayran prison attack"
    assert siege.candidates[0].reason == "possible: no counterpart for 'siege'"
    assert not siege.merged
    assert result["Ghwayran prison attack"].status == "exact"
    assert [r.query for r in result.values() if r.status == "possible"] == [
        "Ghweran prison siege", "Hasakah prison attack", "Raqqa prison attack",
    ]  # Hasakah/Ghwayran: the same attack in fact, but no word-for-word match


def test_cluster_is_deterministic():
    expected = cluster(OBSERVED, ALIASES, known=[SDF])
    rng = random.Random(1)
    for _ in range(3):
        shuffled = OBSERVED[:]
        rng.shuffle(shuffled)
        got = cluster(shuffled, ALIASES, known=[SDF])
        assert got == expected
        assert list(got) == list(expected)


def test_cluster_resolves_each_distinct_name_once(monkeypatch):
    calls: list[str] = []
    real = clustering_module._forms
    monkeypatch.setattr(clustering_module, "_forms", lambda n: calls.append(n) or real(n))
    names = ["Ghweran"] * 1000 + ["Ghwayran"] * 500 + ["SOHR"] * 200
    result = cluster(names, ALIASES)
    observed = [c for c in calls if c in {"Ghweran", "Ghwayran"}]
    assert sorted(observed) == ["Ghwayran", "Ghweran"]
    assert result["Ghwayran"].canonical == "Ghweran"


def test_cluster_blocks_give_same_result_as_one_block(monkeypatch):
    names = [f"{w} prison attack" for w in ["Ghweran", "Ghwiran", "Ghwayran", "Raqqa", "Hasaka"]] * 2
    names += ["Hasakah", "Hasaka", "Hasake", "Qamishli", "Kamishli", "Kurdish forces", "Turkish forces"]
    expected = cluster(names)
    monkeypatch.setattr(neighbours_module, "CDIST_BLOCK_CELLS", 1)
    assert cluster(names) == expected
    assert expected["Kamishli"].canonical == expected["Qamishli"].canonical
    assert expected["Turkish forces"].canonical == "Turkish forces"


def test_cluster_empty_and_degenerate():
    assert cluster([]) == {}
    result = cluster(["", "!!!", "the"])
    assert {n: r.canonical for n, r in result.items()} == {"": "", "!!!": "!!!", "the": "the"}
    assert all(isinstance(r, Resolution) for r in result.values())


# ---------------------------------------------------------------- properties

NAMEISH = st.text(
    alphabet=st.sampled_from(list("aehiklnoqrsuwyzAEGHKLQ -'.’éā")), min_size=0, max_size=30
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), NAMEISH))
def test_normalise_is_idempotent(name):
    once = normalise(name)
    assert normalise(once) == once
    plain = normalise(name, fold=False)
    assert normalise(plain, fold=False) == plain
    assert fold_transliteration(fold_transliteration(plain)) == fold_transliteration(plain)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.text(min_size=1, max_size=20), NAMEISH.filter(bool)), min_size=1, max_size=12))
def test_every_name_resolves_to_itself(names):
    idx = NameIndex(names)
    for name in names:
        r = idx.resolve(name)
        assert (r.canonical, r.status, r.score) == (name, "exact", 100.0)
        assert name not in [c.name for c in r.candidates]
