"""The fast reading of a quote's phrases (``figures/windows.py``) gives the answers of reading each phrase.

``stated_at`` reads phrases through ``windows.Phrases``, which settles most of
them without the grammar; ``_stated_at_reference`` reads every phrase with
``read_quantity``. Every test here holds the two equal: phrase by phrase, and
on the answer, over sentences built from the figure grammar's own vocabulary
and from the seed article.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.errors import InputError
from ledger.figures import parse_quantity
from ledger.figures import windows
from ledger.figures.mentions import MAX_PHRASE_WORDS, _stated_at_reference, _Words, stated_at
from ledger.figures.vocabulary import _COLLECTIVE, _NUMBER_WORDS, _PERIODS, _QUALIFIERS, _VAGUE_PLURAL

SEED = (Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt").read_text(encoding="utf-8")
SEED_SENTENCES = [s for s in re.split(r"(?<=[.!?])\s+|\n+", SEED) if s.strip()]

GRAMMAR_WORDS = sorted(windows._named_words())
INERT = ["people", "civilians", "said", "taybu", "killed", "report", "were", "fighters", "sources"]
NUMBERS = ["78", "5", "0", "1,500", "10", "000", "1.5", "10.000", "2.5k", "3rd", "70s", "5-10", "40–50", "~50",
           "-5", "1/2", "10%", "1,50", "13", "lakh", "٧٨", "½", "2019", "1MM", "3bn", "12,000,000,000,000"]
ODD = ["—", "...", "(", "-", "–", "&", "/", "%", "+", "<", ">=", "…", "`5", "5`", "don`t", "café", "straße", "\u200b5",
       "people's", "a.m.", "(SOHR)", "“Islamic", "State”", "[5]", "{x}", "?", "!", "\"", "'"]
LEADS = ["", "", "", "(", "“", "\"", "'", "«", "[", "‘"]
TRAILS = ["", "", "", ",", ".", ")", "”", "?", "!", "...", ":", ";", "]", "’", "»", "…", ".\"", "),"]
PHRASES = ["78", "more than 70", "at least 20", "nearly 200", "dozens", "hundreds", "between 40 and 50", "five",
           "seventy-eight", "about 1,500", "fewer than 10", "up to 300", "a dozen", "some 40", "3,000", "none",
           "no one", "a teacher", "all", "tens of thousands", "a few hundred", "1.2 million", "half a million",
           "40 to 50", "70 or more", "several", "one", "a pair", "between 1,200 and 1,500", "over 70", "zero"]
METRICS = st.sampled_from([None, "killed", "arrested", "at-large", "released", "held"])


def _decorated(word: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(st.sampled_from(LEADS), word, st.sampled_from(TRAILS)).map("".join)


WORD = st.one_of(
    _decorated(st.sampled_from(GRAMMAR_WORDS)),
    _decorated(st.sampled_from(INERT)),
    _decorated(st.sampled_from(NUMBERS)),
    _decorated(st.integers(0, 2500).map(str)),
    st.sampled_from(ODD),
    st.sampled_from(GRAMMAR_WORDS).map(str.upper),
)
SPACE = st.sampled_from([" ", " ", " ", "  ", "\n", "\t", "\u00a0"])


@st.composite
def sentences(draw, min_words: int = 1, max_words: int = 14) -> str:
    words = draw(st.lists(WORD, min_size=min_words, max_size=max_words))
    out = ""
    for k, word in enumerate(words):
        out += (draw(SPACE) if k else "") + word
    return out


def _same_readings(text: str, metric: str | None) -> None:
    fast, slow = windows.Phrases(text), _Words(text)
    assert fast.folded == slow.folded
    n = len(slow.folded)
    for i in range(n):
        for j in range(i, min(i + MAX_PHRASE_WORDS, n)):
            assert fast.reading(i, j, metric) == slow.reading(i, j, metric), (text, i, j)
        assert fast.longest(i, metric) == slow.longest(i, metric), (text, i)
        longest = slow.longest(i, metric)
        if longest is not None:
            j, found = longest
            assert fast.shortest(i, j, found, metric) == slow.shortest(i, j, found, metric)
    assert fast.spans == slow.spans


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=sentences(), metric=METRICS)
def test_every_phrase_reads_as_read_quantity_reads_it(text, metric):
    """Property: each phrase of up to six words reads the same, fast or one by one."""
    _same_readings(text, metric)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=sentences(0, 8), phrase=st.sampled_from(PHRASES), after=sentences(0, 8), metric=METRICS,
       other=st.sampled_from(PHRASES))
def test_stated_at_finds_what_the_reference_finds(before, phrase, after, metric, other):
    """Property: for a figure in the sentence and for one that may not be, the same span or the same None."""
    text = " ".join(p for p in (before, phrase, after) if p)
    for figure in (phrase, other):
        try:
            value = parse_quantity(figure, metric)
        except InputError:
            continue  # "all" needs a metric with a remainder
        assert stated_at(text, value, metric) == _stated_at_reference(text, value, metric), (text, figure)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(WORD, min_size=30, max_size=60), metric=METRICS)
def test_phrases_longer_than_a_figure_may_be_read_the_same(words, metric):
    """Texts over 200 characters: a phrase over ``MAX_TEXT`` reads as nothing, however its words would read."""
    text = " ".join(words)
    _same_readings(text, metric)


@pytest.mark.parametrize("text", [
    "5-" + "-".join(["people"] * 40),  # one word over 200 characters that would read as 5
    "killed: 5-" + "-".join(["people"] * 40) + " in all",
    "about 800 " + "people " * 40 + "were killed",
    " ".join(["more than 70"] * 30),
])
def test_a_phrase_over_200_characters_reads_as_nothing(text):
    _same_readings(text, None)


@pytest.mark.parametrize("sentence", SEED_SENTENCES)
def test_the_seed_article_sentences_read_the_same(sentence):
    for metric in (None, "killed", "at-large"):
        _same_readings(sentence, metric)
    for figure in ("28", "45", "5", "more than 70", "dozens", "78", "70", "a few", "none", "3,500", "one"):
        value = parse_quantity(figure)
        assert stated_at(sentence, value, "killed") == _stated_at_reference(sentence, value, "killed"), figure
    value = parse_quantity("none")
    assert stated_at(sentence, value, "at-large") == _stated_at_reference(sentence, value, "at-large")


TAIL_LEADS = ["5", "more than 70", "between 40 and", "a", "no", "dozens", "all", "78 people", "at least",
              "one", "5 people and", "about 800"]


@pytest.mark.parametrize("lead", TAIL_LEADS)
def test_every_word_of_the_grammar_after_an_inert_word(lead):
    """Each word the grammar names, right after an inert word and further on, in the phrases that take
    the shortcut: the shortcut reads them as the grammar does."""
    for word in GRAMMAR_WORDS:
        _same_readings(f"{lead} people {word} taybu", "arrested")
        _same_readings(f"{lead} {word}", None)


def test_inert_words_are_named_by_no_rule():
    named = windows._named_words()
    for word in ("more", "than", "dozens", "thousand", "and", "a", "per", "cent", "tens", "every", "minus", "k", "bn"):
        assert word in named and not windows._inert(word)
    for word in INERT:
        assert windows._inert(word), word
    for table in (_NUMBER_WORDS, _VAGUE_PLURAL, _PERIODS, _COLLECTIVE):
        assert not any(windows._inert(w) for w in table)
    assert not any(windows._inert(w) for phrases in _QUALIFIERS.values() for p in phrases for w in p.split())
    assert not windows._inert("quadrillion")  # a word of magnitude by its shape
    assert not windows._inert("x")  # a lone letter after a figure may be a unit


def test_a_phrase_that_needs_the_grammar_is_read_once_for_every_quote(monkeypatch):
    reads = []
    monkeypatch.setattr(windows, "_READINGS", {})
    real = windows._read

    def counting(norm, text, metric):
        reads.append(norm)
        return real(norm, text, metric)

    monkeypatch.setattr(windows, "_read", counting)
    for source in range(3):
        quote = f"Channel {source} said that 660 people were killed in Taybu (report {source})."
        assert stated_at(quote, parse_quantity("660"), "killed") == (quote.index("660"), quote.index("660") + 3)
    assert reads.count("660") == 1
    assert not any("people" in norm for norm in reads)  # everything after an inert word went unread


def test_the_caches_start_again_when_full(monkeypatch):
    monkeypatch.setattr(windows, "_KEPT", 3)
    for n in range(10):
        quote = f"Officials said {n} people and more than {n + 70} fighters were killed."
        value = parse_quantity(f"more than {n + 70}")
        assert stated_at(quote, value, "killed") == _stated_at_reference(quote, value, "killed")
    assert len(windows._READINGS) <= 3 and len(windows._WORDS) <= 3
