"""ledger.extract on real wire copy: datelines and relays, hard-wrapped text, dates stated without a year, groups
that end in a time. Each case was misread before the rule that reads it."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from ledger.extract import extract, resolve_date, split_sentences
from ledger.extract.metrics import group_after
from ledger.extract.when import stated_dates, weekday_conflict

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hasaka-prison-2022.txt"


def _one(text: str, published: date | None = None):
    found = extract(text, published)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


# -- attribution ----------------------------------------------------------------------


@pytest.mark.parametrize("sentence, speaker, relays", [
    ("BAGHDAD (Reuters) - Reuters reported that a police officer said 6 were killed.", "a police officer", ("Reuters",)),
    ("DAMASCUS, Jan 3 (AFP) — SANA said 5 were wounded.", "SANA", ()),
    ("SOHR, which relies on a network of sources inside Syria, said 40 were killed.", "SOHR", ()),
    ("A ministry official, whose name was withheld, said 8 were arrested.", "A ministry official", ()),
    ("According to what the official SANA agency reported, 12 were killed.", "the official SANA agency", ()),
    ("AFP quoted a police officer as saying that 6 were killed.", "a police officer", ("AFP",)),
    ("Quoting a security source, Reuters said 9 were killed.", "a security source", ("Reuters",)),
    ("BEIRUT (AFP) - Citing a medic, SANA said 4 were hurt.", "a medic", ("SANA",)),
    ("Reuters said, quoting a security source, that 9 were killed.", "a security source", ("Reuters",)),
    ("The ministry said in a statement carried by SANA that 15 were killed.", "The ministry", ("SANA",)),
    ("SOHR documented the deaths of 30 people.", "SOHR", ()),
    ("The Syrian Observatory for Human Rights (SOHR) said 40 were killed.", "The Syrian Observatory for Human Rights", ()),
])
def test_wire_copy_speakers_and_relays(sentence, speaker, relays):
    found = _one(sentence)
    assert (found.speaker, found.relays) == (speaker, relays)
    start, end = found.attribution.span
    assert sentence[start:end] == speaker  # the span points at the speaker's own words


def test_a_headline_in_capitals_before_a_parenthesis_is_no_dateline_unless_a_dash_follows():
    found = _one("The SDF (Kurdish-led) said 12 were arrested.")
    assert found.speaker == "The SDF"


# -- hard-wrapped text ----------------------------------------------------------------

WRAPPED = ("\ufeffBAGHDAD (Reuters) - Reuters reported on Monday that a police officer in the\r\n"
           "city said 6 people were killed when a bomb went off near the U.S.\r\n"
           "embassy. Another 12 were wounded.\r\n"
           "\r\n"
           "Clashes continue\r\n"
           "The observatory said that at least 20 fighters of the group were killed\r\n"
           "in the raid. It added that 3 civilians died.\r\n")


def test_a_hard_wrapped_crlf_text_is_read_in_whole_sentences_with_spans_into_it():
    found = split_sentences(WRAPPED)
    assert [" ".join(s.text.split()) for s in found] == [
        ("BAGHDAD (Reuters) - Reuters reported on Monday that a police officer in the city said 6 people were killed "
         "when a bomb went off near the U.S. embassy."),
        "Another 12 were wounded.", "Clashes continue",
        "The observatory said that at least 20 fighters of the group were killed in the raid.",
        "It added that 3 civilians died."]
    assert all(WRAPPED[s.start:s.end] == s.text for s in found)
    assert "\r\n" in found[0].text and not found[0].text.startswith("\ufeff")
    assert [s.paragraph for s in found] == [0, 0, 4, 4, 4]  # a blank line ends a paragraph, a wrapped line none


def test_a_candidate_from_wrapped_text_quotes_the_documents_own_characters():
    found = extract(WRAPPED, date(2022, 1, 22))
    assert [(c.text, c.speaker, c.relays, c.metric) for c in found] == [
        ("6", "a police officer in the city", ("Reuters",), "killed"),
        ("12", "a police officer in the city", ("Reuters",), "injured"),
        ("at least 20", "The observatory", (), "killed"), ("3", "The observatory", (), "killed")]
    assert all(WRAPPED[slice(*c.quote_span)] == c.quote and "\ufeff" not in c.quote for c in found)
    assert found[2].group == "fighters of the group" and found[0].date.value == "2022-01-17"


def test_a_byte_order_mark_is_no_part_of_a_sentence():
    (found,) = split_sentences("\ufeffSOHR said 28 were killed.")
    assert (found.start, found.text) == (1, "SOHR said 28 were killed.")


@pytest.mark.parametrize("text, sentences", [
    ("A short heading\nThe SDF said 3 were arrested.", 2),  # a short line is not wrapped
    ("Local sources told Al-Jazeera that the clashes, described as severe,\ncontinue.", 1),
    ("Local sources told Al-Jazeera that the clashes, described as severe, went\nOn and on.", 1),  # long line
    ("The fighting went on until the night when, local sources said,\n12 died.", 1),  # digit after
    ("“We will act,”\nsaid Adm. Brad Cooper.", 1),  # a closing quote, then lower case
    ("The SDF said 3 were arrested. Another line that is long enough to be wrapped\n\nA new paragraph.", 3),
    ("SOHR said 28 were killed.\r\nThe SDF said 3 were arrested.\r\n", 2),
])
def test_a_line_runs_on_only_where_it_reads_unfinished(text, sentences):
    found = split_sentences(text)
    assert len(found) == sentences, [s.text for s in found]
    assert all(text[s.start:s.end] == s.text and not s.text.endswith("\r") for s in found)


@pytest.mark.parametrize("width, newline", [(72, "\r\n"), (60, "\n"), (40, "\n")])
def test_the_seed_hard_wrapped_reads_as_the_seed(width, newline):
    text = SEED.read_text(encoding="utf-8")
    wrapped = "\ufeff" + newline.join(newline.join(textwrap.wrap(p, width)) if p.strip() else ""
                                      for p in text.split("\n"))
    assert wrapped.count("\n") > text.count("\n") * 2

    def read(found):
        return [(" ".join(c.text.split()), c.speaker, c.relays, c.metric, c.group, c.date and c.date.value)
                for c in found]

    found = extract(wrapped, date(2022, 1, 22))
    assert read(found) == read(extract(text, date(2022, 1, 22)))
    assert all(wrapped[slice(*c.quote_span)] == c.quote for c in found)


def test_extract_records_a_wrapped_crlf_text_file_and_its_quotes_verify(seeded, tmp_path):
    article = tmp_path / "wire.txt"
    article.write_bytes(WRAPPED.encode("utf-8"))
    seeded.run("extract", str(article), "--outlet", "Al Jazeera", "--published", "2022-01-22",
               "--event", "Ghweran prison attack", "--accept-all")
    claims = seeded.json("claim", "list")
    assert [c["value"]["text"] for c in claims] == ["6", "12", "at least 20", "3"]
    assert all(c["quote_verified"] for c in claims)
    quote = seeded.json("audit", str(claims[0]["id"]))["quote"]
    assert quote["verified"] and "the\r\ncity said 6 people" in quote["text"]


# -- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize("words, published, meaning", [
    ("In 2023", "2024-05-01", "2023"),
    ("during 2021", "2022-01-22", "2021"),
    ("On January 3", "2022-01-22", "2022-01-03"),
    ("on 3 January", "2022-01-22", "2022-01-03"),
    ("on 23 January", "2022-01-22", "2021-01-23"),  # after publication: the year before
    ("on the 3rd of January", "2022-01-22", "2022-01-03"),
    ("On February 29", "2022-03-01", None),
    ("In March", "2022-01-22", "2021-03"),
    ("in January", "2022-01-22", "2022-01"),
    ("two days ago", "2022-01-22", "2022-01-20"),
    ("three weeks ago", "2022-01-22", "2022-01-01"),
    ("a month ago", "2022-01-22", "2021-12"),
    ("the previous day", "2022-01-22", "2022-01-21"),
    ("the day before", "2022-01-22", "2022-01-21"),
    ("the day before yesterday", "2022-01-22", "2022-01-20"),
    ("on Tuesday, January 4", "2023-01-22", "2023-01-04"),
])
def test_dates_without_a_year_resolve_against_publication(words, published, meaning):
    assert resolve_date(words, date.fromisoformat(published)) == meaning


def test_may_the_verb_is_no_month():
    assert stated_dates("The toll may 3 times higher", date(2022, 1, 22)) == []


def test_a_weekday_that_contradicts_the_date_beside_it_is_noted_not_chosen():
    (stated,) = stated_dates("Police said on Tuesday, January 4 that 12 were killed.", date(2023, 1, 22))
    assert stated.value == "2023-01-04"  # January 4, 2023 was a Wednesday
    note = weekday_conflict(stated)
    assert note is not None and "Tuesday" in note and "Wednesday" in note
    (agrees,) = stated_dates("on Wednesday, January 4", date(2023, 1, 22))
    assert weekday_conflict(agrees) is None
    (relative,) = stated_dates("today, Friday", date(2022, 1, 22))  # a Saturday
    assert relative.value == "2022-01-22" and "Friday" in weekday_conflict(relative)


# -- groups ---------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, group", [
    ("Shelling killed 12 members of the regime forces yesterday.", "members of the regime forces"),
    ("Shelling killed 12 members of the regime forces on Monday.", "members of the regime forces"),
    ("Shelling killed 12 fighters last week.", "fighters"),
    ("Shelling killed 12 members of this group this morning.", "members of this group"),
    ("An explosion killed at least 34 people and wounded at least 217 the day before.", None),
    ("Gunmen killed 3 that same night.", None),
])
def test_a_time_after_the_figure_is_no_part_of_its_group(sentence, group):
    found = extract(sentence)
    assert found[-1].group == group


def test_a_group_over_a_line_break_reads_as_one_line():
    sentence = "SOHR said 28 members of the Syrian\r\nDemocratic Forces were killed."
    assert group_after(sentence, sentence.index("28") + 2) == "members of the Syrian Democratic Forces"
