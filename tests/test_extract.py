"""ledger.extract: the pure extractor's edge cases, and the seed's measured targets (docs/extraction.md)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from ledger.extract import extract, resolve_date, split_sentences
from ledger.extract.attribution import attributions
from ledger.extract.phrases import figure_phrases
from ledger.extract.scoring import same_name, score

ROOT = Path(__file__).resolve().parent.parent


def _one(text: str, published: date | None = None):
    found = extract(text, published)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


# -- sentences ----------------------------------------------------------------------


def test_sentences_keep_spans_into_the_text_and_pass_over_abbreviations():
    text = "“We will act,” said Adm. Brad Cooper. U.S. Central Command said 14 died.\n\nIt is located. .\nNext one"
    found = split_sentences(text)
    assert [s.text for s in found] == ["“We will act,” said Adm. Brad Cooper.", "U.S. Central Command said 14 died.",
                                       "It is located.", "Next one"]
    assert all(text[s.start:s.end] == s.text for s in found)
    assert [s.paragraph for s in found] == [0, 0, 2, 3]


def test_a_text_with_no_letters_has_no_sentences_and_no_candidates():
    assert split_sentences(" . \n\n ,") == []
    assert extract("") == []


# -- figure phrases -----------------------------------------------------------------


@pytest.mark.parametrize("sentence, phrase", [
    ("the death of more than 70 people", "more than 70"),
    ("dozens of them are still at large", "dozens"),
    ("the SDF arrested hundreds of ISIS prisoners", "hundreds"),
    ("10,000 ISIS fighters were still being held", "10,000"),
    ("nine staff from the school", "nine"),
    ("conducted nearly 80 operations", "nearly 80"),
    ("there were only six", "only six"),
    ("between 1,200 and 1,500 people fled", "between 1,200 and 1,500"),
])
def test_every_phrase_the_figure_grammar_reads_is_found_as_written(sentence, phrase):
    assert [sentence[p.start:p.end] for p in figure_phrases(sentence)] == [phrase]


@pytest.mark.parametrize("sentence", [
    "its defeat in Syria in March 2019",
    "since 2019, its cells continue",
    "— North Press Agency (@NPA_Arabic) January 21, 2022",
    "an estimated 60 miles west of Mosul",
    "one of the deadliest in Iraq in the past six months",
    "announced a three-day period of official mourning",
    "Al-Hasakah - # North_Press pic.twitter.com/2K2yiPRAHd",
])
def test_years_dates_measures_and_links_count_no_one(sentence):
    assert figure_phrases(sentence) == []


def test_a_year_before_a_counted_noun_is_a_figure():
    assert [p.low for p in figure_phrases("In all, 2000 families were displaced")] == [2000]


@pytest.mark.parametrize("sentence, phrase", [
    ("Gunmen killed a dozen soldiers at the checkpoint", "a dozen"),
    ("In March, 40 people were killed", "40"),
    ("On 3 January, 13 people were wounded", "13"),
])
def test_an_article_led_figure_and_one_after_a_dated_comma_are_found(sentence, phrase):
    assert [sentence[p.start:p.end] for p in figure_phrases(sentence)] == [phrase]


def test_an_article_that_counts_one_is_not_a_figure():
    assert figure_phrases("a military source said the road was closed") == []


def test_all_the_fugitives_were_arrested_states_none_at_large():
    found = _one('Mazloum Abdi tweeted, "The area was cordoned off, and all the fugitives were arrested."')
    assert (found.text, found.value, found.low, found.high, found.metric) == (
        "all the fugitives were arrested", "none", 0, 0, "at-large")
    assert found.group == "fugitives"


# -- metric and group ---------------------------------------------------------------


def test_a_list_of_figures_shares_the_metric_of_its_first():
    text = ("SOHR stated that the clashes led to the killing of 28 members of the SDF and allied forces, "
            "45 fighters from the organization, and 5 civilians in the neighborhood, where the prison that the "
            "organization attacked with the aim of releasing its detained members is located.")
    found = extract(text)
    assert [(c.text, c.metric, c.group) for c in found] == [
        ("28", "killed", "members of the SDF"), ("45", "killed", "fighters from the organization"),
        ("5", "killed", "civilians")]
    assert "metric of the figure listed before it" in found[2].notes


def test_the_nearest_metric_word_wins_and_a_pronoun_takes_the_group_before_it():
    found = extract("The observatory stated that the SDF arrested hundreds of ISIS prisoners, "
                    "while dozens of them are still at large.")
    assert [(c.metric, c.group) for c in found] == [("arrested", "ISIS prisoners"), ("at-large", "ISIS prisoners")]


@pytest.mark.parametrize("sentence, metric", [
    ("The guards said 14 prisoners escaped overnight.", "escaped"),
    ("Police said 16 attackers were killed in the raid.", "killed"),
    ("Officials said 20 detainees were released on Monday.", "released"),
    ("Troops rescued 9 hostages from the building.", "rescued"),
    ("The army said it held 300 prisoners at the base.", "held"),
    ("Medics said 7 people were martyred in the shelling.", "killed"),
])
def test_an_act_outweighs_a_noun_that_names_who_is_counted(sentence, metric):
    assert _one(sentence).metric == metric


def test_a_figure_with_no_metric_word_near_it_has_none():
    assert _one("The official said there were 40 in the square.").metric is None


# -- attribution --------------------------------------------------------------------


@pytest.mark.parametrize("sentence, speaker", [
    ("Local sources told Al-Jazeera that 70 died.", "Local sources"),
    ("In Washington, the US Department of Defense said 3 were hurt.", "the US Department of Defense"),
    ("The Commander-in-Chief of the SDF, Mazloum Abdi, tweeted that 12 were arrested.", "Mazloum Abdi"),
    ("At least 175 were killed, the Iraq military said.", "the Iraq military"),
    ("“We found 12 bodies,” said Adm. Brad Cooper, CENTCOM commander.", "Adm. Brad Cooper"),
    ("Official reports, following police action against the attackers, insist seven took part.", "Official reports"),
    ("Although a statement, issued by the TTK, insists there were only six.", "the TTK"),
    ("At least 12 people died, according to the health ministry.", "the health ministry"),
])
def test_the_speaker_as_written(sentence, speaker):
    assert _one(sentence).speaker == speaker


def test_names_that_contain_a_verb_of_saying_are_not_attributions():
    said = [a.speaker for _, a in attributions("Fighters of the Islamic State attacked; the Secretary of State left.")]
    assert said == []


def test_told_keeps_the_listener_apart_from_the_speaker():
    (_, found), = attributions("Local sources told Al-Jazeera in Syria that clashes continue.")
    assert (found.speaker, found.listener, found.relays) == ("Local sources", "Al-Jazeera", ())


@pytest.mark.parametrize("sentence, speaker, relays", [
    ("Reuters reported that a military source in the SDF stated that 40 were killed.",
     "a military source in the SDF", ("Reuters",)),
    ("The agency reported, citing a police officer, that 9 were wounded.", "a police officer", ("The agency",)),
    ("news agency Reuters are reporting the Afghan Taliban have also issued a statement on the 132 dead.",
     "the Afghan Taliban", ("Reuters",)),
])
def test_relays_stand_between_the_speaker_and_the_outlet(sentence, speaker, relays):
    found = _one(sentence)
    assert (found.speaker, found.relays) == (speaker, relays)


def test_he_said_is_the_speaker_before_it():
    found = extract("Colonel Ahmed Said told reporters the road was closed. He said 30 people were missing.")
    assert (found[0].speaker, found[0].metric) == ("Colonel Ahmed Said", "missing")


def test_a_sentence_with_no_attribution_takes_the_paragraphs_indirect_one_but_not_past_a_paragraph():
    text = ("The observatory said that clashes went on. At least 20 fighters were killed.\n\n"
            "Another 10 civilians were wounded.")
    first, second = extract(text)
    assert first.speaker == "The observatory" and first.notes == ("speaker carried from an earlier sentence of the paragraph",)
    assert second.speaker is None


def test_a_direct_quotation_vouches_for_nothing_after_it():
    text = "The statement carried by Reuters reads: “We condemn it.” The attack claimed the lives of 132 children."
    found = _one(text)
    assert (found.speaker, found.metric, found.group) == (None, "killed", "children")


# -- dates --------------------------------------------------------------------------


@pytest.mark.parametrize("words, published, meaning", [
    ("the day before yesterday, Thursday", "2022-01-22", "2022-01-20"),
    ("today, Saturday", "2022-01-22", "2022-01-22"),
    ("yesterday", "2022-03-01", "2022-02-28"),
    ("last year", "2022-01-22", "2021"),
    ("last December", "2022-01-22", "2021-12"),
    ("Last month", "2025-01-10", "2024-12"),
    ("since July", "2025-12-17", "2025-07-01..2025-12-17"),
    ("since July", "2025-03-02", "2024-07-01..2025-03-02"),
    ("over the last six months", "2025-12-17", "2025-06-17..2025-12-17"),
    ("in the past month", "2025-03-31", "2025-02-28..2025-03-31"),
    ("over the past year", "2024-02-29", "2023-02-28..2024-02-29"),
    ("Tuesday’s", "2014-12-18", "2014-12-16"),
    ("last Thursday", "2022-01-20", "2022-01-13"),
    ("March 2019", "2022-01-22", "2019-03"),
    ("January 21, 2022", "2022-01-22", "2022-01-21"),
    ("February 30, 2022", "2022-03-01", None),
    ("the third day", "2022-01-22", None),
])
def test_stated_dates_resolve_against_the_published_date(words, published, meaning):
    assert resolve_date(words, date.fromisoformat(published)) == meaning


def test_a_figure_takes_the_date_stated_nearest_it_and_none_without_a_published_date():
    text = "The observatory stated today, Saturday, that 28 were killed since March 2019."
    assert _one(text, date(2022, 1, 22)).date.value == "2022-01-22"
    assert _one(text).date is None


# -- scoring, and the seed's targets --------------------------------------------------


def test_names_match_when_one_holds_the_others_words():
    assert same_name("US Secretary of State Anthony Blinken", "Anthony Blinken")
    assert same_name("The observatory", "the observatory", "Syrian Observatory for Human Rights")
    assert same_name(None, None)
    assert not same_name("Reuters", None)
    assert not same_name("the Iraq military", "U.S. military sources")


def _seed_scores():
    gold = json.loads((ROOT / "seeds/gold/hasaka-prison-2022.gold.json").read_text(encoding="utf-8"))
    return score(gold, (ROOT / gold["article"]).read_text(encoding="utf-8"))


def test_the_seed_meets_the_targets_in_docs_extraction_md():
    scores = _seed_scores()
    assert scores["figures"].recall == 1.0
    assert scores["speakers"].recall >= 0.9
    for measure in ("figures", "speakers", "metrics"):
        assert scores[measure].precision >= 0.8, measure


@pytest.mark.parametrize("path", sorted((ROOT / "seeds/gold").glob("*.gold.json")), ids=lambda p: p.name)
def test_every_gold_span_is_its_text_and_a_whole_word(path):
    # found by the VOA gold: the "a" of "a soldier" spanned the "a" of "and", the text alone matching
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (ROOT / gold["article"]).read_text(encoding="utf-8")
    for figure in gold["figures"]:
        start, end = figure["span"]
        assert text[start:end] == figure["text"], figure
        assert not text[start - 1:start].isalnum() and not text[end:end + 1].isalnum(), figure
        q_start, q_end = figure["quote_span"]
        assert text[q_start:q_end] == figure["quote"] and q_start <= start < end <= q_end, figure


def test_a_scoring_that_would_pass_anything_fails_an_empty_proposal():
    gold = json.loads((ROOT / "seeds/gold/hasaka-prison-2022.gold.json").read_text(encoding="utf-8"))
    scores = score(gold, "Nothing here.")
    assert scores["figures"].recall == 0.0 and scores["figures"].precision is None


def test_the_extractor_imports_only_the_figure_grammar_the_standard_library_and_the_file_readers():
    import ast

    imported = {node.module for path in (ROOT / "ledger/extract").glob("*.py")
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for path in (ROOT / "ledger/extract").glob("*.py")
                 for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.Import) for alias in node.names}
    outside = {m for m in imported if m.split(".")[0] not in sys.stdlib_module_names and m != "__future__"
               and not m.startswith(("ledger.extract", "ledger.figures"))}
    outside -= {"bs4", "pypdf"}  # ledger.extract.files, inside the functions that read an HTML page or a PDF
    assert outside == set()
