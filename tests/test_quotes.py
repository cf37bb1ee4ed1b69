from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ledger.errors import InputError
from ledger.provenance.quotes import (
    QuoteMatch,
    clean_quote,
    closest_passage,
    find_quote,
    normalise_for_match,
    surrounding_sentence,
    verify_quote,
)

SEED = (Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt").read_text(encoding="utf-8")


def _norm(s: str) -> str:
    return normalise_for_match(s)[0]


# --- normalisation ---------------------------------------------------------


def test_normalise_folds_whitespace_quotes_dashes_and_case():
    norm, index = normalise_for_match("A  “Quote”\n\t‘x’ – — ‐ − ‑ «y»")
    assert norm == "a \"quote\" 'x' - - - - - \"y\""
    assert len(index) == len(norm)


def test_normalise_index_points_into_original():
    text = "Hello,\n\n  “World”"
    norm, index = normalise_for_match(text)
    for i, ch in enumerate(norm):
        original = text[index[i]]
        if ch == " ":
            assert original.isspace()
        elif ch == '"':
            assert original in "“”\""
        else:
            assert original.casefold() == ch


def test_normalise_casefold_expansion_maps_each_char_back():
    norm, index = normalise_for_match("Straße")
    assert norm == "strasse"
    assert index == [0, 1, 2, 3, 4, 4, 5]


def test_clean_quote_strips_nested_outer_marks():
    assert clean_quote("  “ 'The area' ”  ") == "The area"
    assert clean_quote('"Islamic State" organization') == 'Islamic State" organization'


# --- find_quote -------------------------------------------------------------


def _assert_span_matches(quote: str, text: str, m: QuoteMatch) -> None:
    assert 0 <= m.start < m.end <= len(text)
    assert _norm(text[m.start : m.end]) == _norm(clean_quote(quote))


def test_straight_quotes_match_curly_in_document():
    q = '45 fighters from the "Islamic State" organization'
    m = find_quote(q, SEED)
    assert m is not None
    assert SEED[m.start : m.end] == "45 fighters from the “Islamic State” organization"


def test_curly_quotes_match_straight_in_document():
    # The seed has Abdi's tweet in straight quotes.
    q = "tweeted, “The area around the prison was completely cordoned off"
    m = find_quote(q, SEED)
    assert m is not None
    assert SEED[m.start : m.end] == 'tweeted, "The area around the prison was completely cordoned off'


def test_outer_quotation_marks_are_not_part_of_the_passage():
    m = find_quote("“all the fugitives were arrested.”", SEED)
    assert m is not None
    assert SEED[m.start : m.end] == "all the fugitives were arrested."


def test_extra_whitespace_and_newlines_in_quote():
    q = "  killing of 28 members\n of the   Syrian\tDemocratic Forces  "
    m = find_quote(q, SEED)
    assert m is not None
    assert SEED[m.start : m.end] == "killing of 28 members of the Syrian Democratic Forces"


def test_whitespace_runs_in_document_match_single_space():
    text = "located. .\n\n\nThe arrival of reinforcements"
    m = find_quote(". . The arrival", text)
    assert m is not None
    assert text[m.start : m.end] == ". .\n\n\nThe arrival"


def test_en_dash_matches_hyphen():
    # The seed writes "Al-Hasakah - Orhan Karaman - # North_Press".
    m = find_quote("Al–Hasakah – Orhan Karaman", SEED)
    assert m is not None
    assert SEED[m.start : m.end] == "Al-Hasakah - Orhan Karaman"
    assert find_quote("Commander—in—Chief", SEED) is not None


def test_case_insensitive():
    m = find_quote("SYRIAN OBSERVATORY FOR HUMAN RIGHTS", SEED)
    assert m is not None
    assert SEED[m.start : m.end] == "Syrian Observatory for Human Rights"


def test_first_occurrence_is_returned():
    m = find_quote("Ghweran", SEED)
    assert m is not None
    assert m.start == SEED.index("Ghweran")


def test_absent_quote_is_none():
    assert find_quote("the killing of 30 members", SEED) is None


def test_match_does_not_start_inside_a_casefold_expansion():
    text = "ßs and s"
    m = find_quote("s", text)
    assert m is not None
    # "ß" folds to "ss": a hit on its second "s" would report the whole "ß".
    assert text[m.start : m.end] == "s"
    assert m.start == 1


@pytest.mark.parametrize("quote", ["", "   ", "“”", " \" ' "])
def test_empty_quote_is_refused(quote):
    with pytest.raises(InputError) as err:
        find_quote(quote, SEED)
    assert err.value.field == "quote"


# --- closest_passage / verify_quote ----------------------------------------


def test_closest_passage_maps_back_to_original_text():
    passage, start, end, score = closest_passage("the killing of 30 members of the Syrian Democratic Forces", SEED)
    assert SEED[start:end] == passage
    assert passage == "the killing of 28 members of the Syrian Democratic Forces"
    assert 85 < score < 100


def test_closest_passage_of_nothing():
    assert closest_passage("anything", "") == ("", 0, 0, 0.0)


def test_verify_quote_returns_span():
    m = verify_quote("5 civilians in the Ghweran neighborhood", SEED)
    assert SEED[m.start : m.end] == "5 civilians in the Ghweran neighborhood"


def test_wrong_quote_refused_with_closest_passage():
    with pytest.raises(InputError) as err:
        verify_quote("the killing of 30 members of the Syrian Democratic Forces", SEED)
    e = err.value
    assert e.field == "quote"
    assert e.problem == "does not occur in the document"
    assert e.hint.startswith("closest passage (")
    assert "“the killing of 28 members of the Syrian Democratic Forces”" in e.hint
    assert "does not occur in the document; closest passage" in str(e)


def test_long_closest_passage_is_truncated_to_one_line():
    quote = (
        "The Syrian Observatory for Human Rights said yesterday, Friday, that the ongoing clashes for the "
        "second day led to the killing of 29 members of the Syrian Democratic Forces and allied forces"
    )
    with pytest.raises(InputError) as err:
        verify_quote(quote, SEED)
    passage = err.value.hint.split("“", 1)[1].rstrip("”")
    assert len(passage) <= 120
    assert passage.endswith("…")
    assert "\n" not in passage


# --- surrounding_sentence ---------------------------------------------------


def test_surrounding_sentence_in_seed():
    m = find_quote("45 fighters", SEED)
    s = surrounding_sentence(SEED, m.start, m.end)
    assert s.startswith("The Syrian Observatory for Human Rights stated today, Saturday")
    assert s.endswith("is located.")


def test_surrounding_sentence_keeps_dots_inside_words_and_closing_quote():
    m = find_quote("all the fugitives were arrested", SEED)
    s = surrounding_sentence(SEED, m.start, m.end)
    assert s == (
        "The Commander-in-Chief of the Syrian Democratic Forces, Mazloum Abdi, tweeted, "
        '"The area around the prison was completely cordoned off, and all the fugitives were arrested."'
    )
    m = find_quote("pic.twitter.com", SEED)
    assert surrounding_sentence(SEED, m.start, m.end) == "Al-Hasakah - Orhan Karaman - # North_Press pic.twitter.com/2K2yiPRAHd"


def test_surrounding_sentence_first_sentence_and_multiple_sentences():
    m = find_quote("Local sources told Al-Jazeera", SEED)
    assert surrounding_sentence(SEED, m.start, m.end).endswith("after the Al-Hasakah events.")
    text = "One. Two words here. Three!"
    start = text.index("words")
    end = text.index("Three") + 3
    assert surrounding_sentence(text, start, end) == "Two words here. Three!"


def test_surrounding_sentence_when_span_ends_with_full_stop():
    text = "First one. Second one. Third one."
    start = text.index("Second")
    end = text.index("Third") - 1  # "Second one."
    assert surrounding_sentence(text, start, end) == "Second one."


# --- properties -------------------------------------------------------------

_alphabet = st.sampled_from(list("abcAB ß\n\t.“”\"'‘’–—-İΣσ ")) | st.characters()


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_alphabet, max_size=60), data=st.data())
def test_any_substring_is_found_at_an_equivalent_span(text, data):
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    sub = text[i:j]
    assume(clean_quote(sub))
    m = find_quote(sub, text)
    assert m is not None
    assert 0 <= m.start < m.end <= len(text)
    assert _norm(text[m.start : m.end]) == _norm(clean_quote(sub))


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=_alphabet, min_size=1, max_size=60), quote=st.text(alphabet=_alphabet, min_size=1, max_size=20))
def test_closest_passage_span_is_consistent(text, quote):
    passage, start, end, score = closest_passage(quote, text)
    assert text[start:end] == passage
    assert 0.0 <= score <= 100.0


# --- cost bounds and what a quote must be to prove anything ---------------------


@pytest.mark.parametrize("quote", ["78", "five", "5 men", "  “45”  ", "a b"])
def test_a_word_or_two_is_never_verified(quote):
    with pytest.raises(InputError, match="too short to verify"):
        verify_quote(quote, SEED)


def test_two_words_that_state_a_figure_are_enough():
    assert verify_quote("5 civilians", SEED) == find_quote("5 civilians", SEED)


def _slow_normalise(text: str) -> tuple[str, list[int]]:
    """The character-at-a-time definition the fast path must agree with."""
    from ledger.provenance.quotes import _FOLD

    out, index, in_space = [], [], False
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                index.append(i)
            in_space = True
            continue
        in_space = False
        low = ch.casefold()
        out.append(low)
        index.extend([i] * len(low))
    return "".join(out), index


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("ab Z\n\t\u00a0\u2003ßİ“”–"))))
def test_the_fast_normalisation_is_the_character_by_character_one(text):
    assert normalise_for_match(text) == _slow_normalise(text)


def test_a_document_is_normalised_once_for_all_its_claims(monkeypatch):
    from ledger.provenance import quotes

    quotes._prepared.cache_clear()
    calls = []
    real = quotes.normalise_for_match

    def counting(text):
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(quotes, "normalise_for_match", counting)
    for sentence in ("28 members of the Syrian Democratic Forces", "5 civilians in the Ghweran neighborhood") * 50:
        verify_quote(sentence, SEED)
    assert calls.count(len(SEED)) == 1  # the 100 quotes themselves are normalised, the article once


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_passage_of_the_article_is_found_where_its_words_are(data):
    start = data.draw(st.integers(0, len(SEED) - 40))
    end = data.draw(st.integers(start + 12, min(len(SEED), start + 400)))
    passage = SEED[start:end]
    assume(len(passage.split()) >= 2)
    found = verify_quote(passage, SEED)
    assert _norm(SEED[found.start:found.end]) == _norm(clean_quote(passage))
    # the first occurrence: where the passage's words stand, or an earlier copy of them
    assert found.start <= SEED.find(clean_quote(passage), start)


def test_an_overlong_quote_is_refused_in_one_line_and_nothing_is_written(seeded):
    import sqlite3

    with sqlite3.connect("ledger.db") as conn:
        before = list(conn.iterdump())
    result = seeded.run("claim", "add", "-e", "A", "-m", "killed", "-v", "5", "-s", "SOHR", "--quote", "5 dead. " * 1300, code=2)
    assert result.stderr.startswith("error: --quote: '5 dead. 5 dead.") and "over the 10,000 a quote may hold" in result.stderr
    assert result.stderr.count("\n") == 1
    with sqlite3.connect("ledger.db") as conn:
        assert list(conn.iterdump()) == before
