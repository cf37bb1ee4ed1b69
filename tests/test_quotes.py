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
    for i, ch in enumerate(text.translate(str.maketrans(_FOLD))):
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
@given(st.text(st.sampled_from(list("ab Z\n\t\u00a0\u2003ßİ“”–—‘’«`'\"-"))))
def test_the_fast_normalisation_is_the_character_by_character_one(text):
    assert normalise_for_match(text) == _slow_normalise(text)


def test_a_document_is_normalised_once_for_all_its_claims(monkeypatch):
    from ledger.provenance import quotes

    quotes._prepared.cache_clear()
    calls = []
    real = quotes._normalise_document

    def counting(text):
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(quotes, "_normalise_document", counting)
    for sentence in ("28 members of the Syrian Democratic Forces", "5 civilians in the Ghweran neighborhood") * 50:
        verify_quote(sentence, SEED)
    assert calls.count(len(SEED)) == 1  # the 100 quotes themselves are normalised, the article once


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_passage_of_the_article_is_found_where_its_words_are(data):
    start = data.draw(st.integers(0, len(SEED) - 40))
    end = data.draw(st.integers(start + 12, min(len(SEED), start + 400)))
    passage = SEED[start:end]
    # Long enough to verify once cleaned: '” organizati' is two pieces as cut, one word without its quote mark.
    assume(len(_norm(clean_quote(passage)).split()) >= 2)
    found = verify_quote(passage, SEED)
    assert _norm(SEED[found.start:found.end]) == _norm(clean_quote(passage))
    # the first occurrence: where the passage's words stand, or an earlier copy of them
    assert found.start <= SEED.find(clean_quote(passage), start)


def test_an_overlong_quote_is_refused_in_one_line_and_nothing_is_written(seeded):
    import sqlite3

    with sqlite3.connect("ledger.db") as conn:
        before = list(conn.iterdump())
    result = seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "5", "-s", "SOHR", "--quote", "5 dead. " * 1300, code=2)
    assert result.stderr.startswith("error: --quote: '5 dead. 5 dead.") and "over the 10,000 a quote may hold" in result.stderr
    assert result.stderr.count("\n") == 1
    with sqlite3.connect("ledger.db") as conn:
        assert list(conn.iterdump()) == before


# --- bounded cost, and the rules verify_quote states --------------------------


def _clean_by_repeated_strips(quote: str) -> str:
    """The definition clean_quote keeps, in a loop that is quadratic on '" " " " …'."""
    from ledger.provenance.quotes import _OUTER_MARKS

    while True:
        cleaned = quote.strip().strip(_OUTER_MARKS)
        if cleaned == quote:
            return cleaned
        quote = cleaned


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list(" \n\t\u00a0\u3000\u2028\u0085\"“”'‘’`«»ab-–"))))
def test_clean_quote_strips_what_repeated_strips_would(quote):
    assert clean_quote(quote) == _clean_by_repeated_strips(quote)


def test_clean_quote_strips_every_kind_of_whitespace():
    import sys

    spaces = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert clean_quote(spaces + "“5 dead”" + spaces) == "5 dead"


SEED_FILE = Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt"


def test_a_quote_in_a_script_without_spaces_counts_its_characters_as_words():
    text = "据叙利亚人权观察站称，七十八人在哈塞克监狱袭击中死亡。"
    found = verify_quote("七十八人在哈塞克监狱袭击中死亡", text)
    assert text[found.start:found.end] == "七十八人在哈塞克监狱袭击中死亡"
    with pytest.raises(InputError, match="too short to verify"):
        verify_quote("死亡", text)


def test_a_quote_over_the_cap_is_refused_before_any_search_even_where_it_occurs():
    from ledger.provenance.quotes import MAX_QUOTE_CHARS

    document = SEED * 4
    quote = document[: MAX_QUOTE_CHARS + 1]
    assert find_quote(quote, document) is not None
    with pytest.raises(InputError) as err:
        verify_quote(quote, document)
    assert err.value.field == "quote"
    assert err.value.problem == f"is {MAX_QUOTE_CHARS + 1:,} characters long, over the {MAX_QUOTE_CHARS:,} a quote may hold"
    assert len(err.value.value) <= 80 and "\n" not in str(err.value)


def test_a_quote_longer_than_the_document_is_refused_as_such():
    with pytest.raises(InputError) as err:
        verify_quote(SEED + " And then some more words that were never written.", SEED)
    assert err.value.problem == f"is longer than the document's whole text ({len(SEED):,} characters)"
    assert err.value.value.endswith("…") and len(err.value.value) == 80


def test_claim_add_refuses_a_quote_longer_than_its_document_in_one_line(seeded):
    import sqlite3

    seeded.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22", "--file", str(SEED_FILE))
    with sqlite3.connect("ledger.db") as conn:
        before = list(conn.iterdump())
    result = seeded.run("claim", "add", "-e", "A", "-m", "killed", "--value", "5", "-s", "SOHR", "--doc", "1",
                        "--quote", SEED + " 5 dead.", code=2)
    assert result.stderr.startswith("error: --quote: ")
    assert f"is longer than the document's whole text ({len(SEED):,} characters)" in result.stderr
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 300
    with sqlite3.connect("ledger.db") as conn:
        assert list(conn.iterdump()) == before


def test_a_long_quote_is_never_aligned_by_rapidfuzz_whole(monkeypatch):
    """rapidfuzz's partial alignment of a needle over 64 characters grows faster than its length squared."""
    import rapidfuzz.fuzz

    needles = []
    real = rapidfuzz.fuzz.partial_ratio_alignment

    def recording(needle, hay, *args, **kwargs):
        needles.append(len(needle))
        return real(needle, hay, *args, **kwargs)

    monkeypatch.setattr(rapidfuzz.fuzz, "partial_ratio_alignment", recording)
    quote = SEED[400:1400].replace("Syrian", "Sirian")
    with pytest.raises(InputError, match="does not occur"):
        verify_quote(quote, SEED)
    with pytest.raises(InputError, match="does not occur"):
        verify_quote("the killing of 30 members of the Syrian Democratic Forces", SEED)
    assert needles and max(needles) <= 64


def _repetitive_article(size: int) -> str:
    """The seed's sentences again and again in a shuffled order: every sentence occurs many times."""
    import random

    rng = random.Random(3)
    sentences = [s for s in SEED.replace("\n", " ").split(". ") if len(s.split()) > 5]
    out = []
    while sum(map(len, out)) < size:
        out.append(rng.choice(sentences) + ". ")
    return "".join(out)


@pytest.mark.parametrize("length", [200, 1_500, 6_000])
def test_the_closest_passage_of_a_long_quote_is_the_passage_it_was_cut_from(length):
    from rapidfuzz import fuzz

    article = _repetitive_article(60_000)
    start = article.index(" ", 30_000) + 1
    passage = article[start:start + length]
    words = passage.split(" ")
    words[len(words) // 2] = "seventy"
    quote = " ".join(words)
    assert find_quote(quote, article) is None
    found, begin, end, score = closest_passage(quote, article)
    assert article[begin:end] == found
    # as close as the passage it was cut from, and starting with its words (there, or at an earlier copy)
    assert score >= fuzz.ratio(_norm(quote), _norm(passage)) - 0.5
    assert found[:60] == passage[:60] and begin <= start


def test_hits_inside_casefold_expansions_cost_one_linear_pass_not_a_search_each():
    """'ß ß ß … s s': every hit of 's s' but the last starts inside an 'ß' (→ 'ss')."""
    import sys

    text = "ß " * 3_000 + "s s"
    finds = []

    def count(frame, event, arg):
        if event == "c_call" and getattr(arg, "__name__", "") == "find":
            finds.append(1)

    find_quote("warm the cache", text)
    sys.setprofile(count)
    try:
        found = find_quote("s s", text)
    finally:
        sys.setprofile(None)
    assert found == QuoteMatch(len(text) - 3, len(text))
    assert len(finds) <= 10


def _first_aligned_by_brute_force(text: str, quote: str) -> QuoteMatch | None:
    """The definition: the first span of ``text`` whose normalised form is the quote's, starting and ending on whole characters."""
    hay, index = normalise_for_match(text)
    needle = _norm(clean_quote(quote))
    for i in range(len(hay) - len(needle) + 1):
        j = i + len(needle)
        if hay[i:j] == needle and (i == 0 or index[i - 1] != index[i]) and (j == len(hay) or index[j - 1] != index[j]):
            return QuoteMatch(index[i], index[j - 1] + 1)
    return None


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.sampled_from(list("sSßẞ ﬀf")), max_size=80), quote=st.text(st.sampled_from(list("sf ")), min_size=1, max_size=8))
def test_the_linear_pass_finds_what_the_definition_finds(text, quote):
    from ledger.provenance import quotes

    assume(clean_quote(quote))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(quotes, "_SKIPS_BEFORE_LINEAR", 0)  # the linear pass from the first hit on
        assert find_quote(quote, text) == _first_aligned_by_brute_force(text, quote)
    assert find_quote(quote, text) == _first_aligned_by_brute_force(text, quote)


_retypings = {'"': "“”„«»", "'": "‘’`", "-": "–—‐−", " ": ["\n", "  ", "\t", "\u00a0", " \n "]}
_doc_alphabet = st.sampled_from(list("abcdeXYZ0123456789 .,“”\"'’–—-\n"))


@settings(max_examples=300, deadline=None)
@given(text=st.text(_doc_alphabet, min_size=8, max_size=300), data=st.data())
def test_any_passage_of_a_document_retyped_is_verified_at_its_first_span(text, data):
    from ledger.provenance.quotes import MIN_QUOTE_CHARS

    i = data.draw(st.integers(0, len(text) - MIN_QUOTE_CHARS))
    j = data.draw(st.integers(i + MIN_QUOTE_CHARS, len(text)))
    passage = text[i:j]
    quote = "".join(data.draw(st.sampled_from([ch, *_retypings.get(ch, ())])) for ch in passage)
    try:
        found = verify_quote(quote, text)
    except InputError as refused:  # the only refusals a passage of the document may get
        needle = _norm(clean_quote(quote))
        assert refused.problem == "is empty" and not needle or "too short to verify" in refused.problem and (
            len(needle) < MIN_QUOTE_CHARS or len(needle.split()) < 2)
        return
    assert found == _first_aligned_by_brute_force(text, quote)
    # no later than where the passage's own words stand
    assert found.start <= i + passage.find(clean_quote(passage))


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=_alphabet, max_size=400), quote=st.text(alphabet=_alphabet, min_size=65, max_size=300))
def test_the_closest_passage_of_a_long_quote_is_a_span_of_the_text(text, quote):
    passage, start, end, score = closest_passage(quote, text)
    assert text[start:end] == passage
    assert 0.0 <= score <= 100.0


def test_documents_cited_in_turn_are_each_normalised_once(monkeypatch):
    from ledger.provenance import quotes

    documents = [f"Report {n}: " + SEED for n in range(50)]
    quotes._prepared.cache_clear()
    calls = []
    real = quotes._normalise_document
    monkeypatch.setattr(quotes, "_normalise_document", lambda text: calls.append(text) or real(text))
    for _ in range(4):
        for document in documents:
            verify_quote("5 civilians in the Ghweran neighborhood", document)
    assert sum(1 for text in calls if text in documents) == 50  # each document once; the rest are the quote's


def test_documents_past_the_budget_are_let_go_the_least_recently_used_first(monkeypatch):
    from ledger.provenance import quotes

    documents = [f"Report {n}: " + SEED for n in range(5)]
    quotes._prepared.cache_clear()
    monkeypatch.setattr(quotes._prepared, "budget", 3 * len(documents[0]))
    calls = []
    real = quotes._normalise_document
    monkeypatch.setattr(quotes, "_normalise_document", lambda text: calls.append(text) or real(text))
    for document in documents[:3] * 2:
        find_quote("Ghweran", document)
    assert [documents.index(t) for t in calls if t in documents] == [0, 1, 2]
    find_quote("Ghweran", documents[3])  # over the budget: 0, the least recently used, goes
    find_quote("Ghweran", documents[2])
    find_quote("Ghweran", documents[0])
    assert [documents.index(t) for t in calls if t in documents] == [0, 1, 2, 3, 0]


def test_an_import_normalises_each_document_once(seeded, monkeypatch, tmp_path):
    import json

    from ledger.provenance import quotes

    for n in range(6):
        path = tmp_path / f"article-{n}.txt"
        path.write_text(f"Report {n}: " + SEED, encoding="utf-8")
        seeded.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22", "--file", str(path))
    rows = [{"event": "Ghweran prison attack", "metric": "killed", "value": "5", "said_by": "SOHR", "doc": 1 + k % 6,
             "quote": "5 civilians in the Ghweran neighborhood", "as_of": f"2022-01-{1 + k % 28:02d}"} for k in range(60)]
    data = tmp_path / "claims.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    quotes._prepared.cache_clear()
    calls = []
    real = quotes._normalise_document
    monkeypatch.setattr(quotes, "_normalise_document", lambda text: calls.append(len(text)) or real(text))
    seeded.run("import", str(data))
    assert len(seeded.json("claim", "list")) == 60
    assert sorted(n for n in calls if n > len(SEED)) == [len(SEED) + 10] * 6  # six articles cited in turn, each once
