"""The document index kept in pieces (``quotes._Pieces``) and the ASCII path give what the full index gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from test_quotes import _slow_normalise as _full_index  # the character-at-a-time definition

from ledger.provenance import folding, quotes
from ledger.provenance.quotes import QuoteMatch, find_quote, normalise_for_match, verify_quote

ALPHABET = list("ab Z5\n\t\r\x0b\x1c\u00a0\u2003ßİ“”–—‘’«`'\".-")


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(ALPHABET)))
def test_the_index_in_pieces_maps_every_character_as_the_full_index(text):
    hay, index = folding._normalise_document(text)
    full_hay, full = _full_index(text)
    assert hay == full_hay
    assert len(index) == len(full)
    assert [index[k] for k in range(len(index))] == full
    assert [index[k] for k in range(-len(index), 0)] == full  # negative positions count from the end, as a list's
    assert folding._normalised(text) == hay


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("ab Z5\n\t\r  .-`'")), min_size=1))
def test_the_ascii_path_is_the_general_one(text):
    assert text.isascii()
    folded = folding._VARIANT.sub(lambda variant: folding._FOLD[variant.group()], text).casefold()
    hay, pieces = folding._normalise_run_by_run(folded)
    assert folding._normalise_ascii(text)[0] == hay
    assert folding._normalise_ascii(text)[1].as_list() == pieces.as_list() == _full_index(text)[1]


@settings(max_examples=200, deadline=None)
@given(before=st.text(st.sampled_from(ALPHABET), max_size=40), after=st.text(st.sampled_from(ALPHABET), max_size=40))
def test_a_quote_is_found_where_it_stands_in_any_spacing(before, after):
    passage = "more than  70\n\tpeople"
    text = f"{before} {passage} {after}"
    quotes._prepared.cache_clear()
    found = find_quote("more than 70 people", text)
    hay, index = _full_index(text)
    needle = _full_index("more than 70 people")[0]
    expected = None
    for i in range(len(hay) - len(needle) + 1):
        j = i + len(needle)
        if hay[i:j] == needle and (i == 0 or index[i - 1] != index[i]) and (j == len(hay) or index[j - 1] != index[j]):
            expected = QuoteMatch(index[i], index[j - 1] + 1)
            break
    assert found == expected


def test_the_same_document_again_is_not_looked_up(monkeypatch):
    quotes._prepared.cache_clear()
    text = "Officials said that more than 70 people were killed in the attack on Friday."
    first = verify_quote("more than 70 people were killed", text)
    monkeypatch.setattr(quotes._prepared, "_lock", None)  # the shortcut takes no lock: a lookup would fail here
    assert verify_quote("70 people were killed in the attack", text).start == first.start + len("more than ")
    assert normalise_for_match(text)[0] == quotes._prepared(text)[0]
