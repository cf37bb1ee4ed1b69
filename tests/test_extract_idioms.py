"""ledger.extract on news idioms first seen in the held-out VOA article: a figure listed before the one its metric
word follows, a death toll put at a figure, an act of attack counting its objects, abbreviated months, and a
trailing "…, residents say." Each case is a short sentence; the counter-cases must read as they did before."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.extract import extract
from ledger.extract.phrases import figure_phrases
from ledger.extract.when import stated_dates

PUBLISHED = date(2020, 1, 17)  # a Friday


def _metrics(sentence: str) -> list[tuple[str, str | None]]:
    return [(c.text, c.metric) for c in extract(sentence, PUBLISHED)]


# -- a figure listed before the one whose metric word follows -------------------------------------


@pytest.mark.parametrize("sentence, expected", [
    ("Six Somali government soldiers and 19 militants were killed when al-Shabab attacked a base.",
     [("Six", "killed"), ("19", "killed")]),
    ("Separately, one government soldier and four militants were killed in another al-Shabab attack.",
     [("one", "killed"), ("four", "killed")]),
    ("Six soldiers, three police officers and 19 militants were killed.",
     [("Six", "killed"), ("three", "killed"), ("19", "killed")]),
    ("Six soldiers, three police officers, and 19 militants were wounded.",
     [("Six", "injured"), ("three", "injured"), ("19", "injured")]),
])
def test_a_figure_listed_before_takes_the_metric_that_follows_the_list(sentence, expected):
    assert _metrics(sentence) == expected
    assert "metric of the figure listed after it" in extract(sentence, PUBLISHED)[0].notes


@pytest.mark.parametrize("sentence, expected", [
    ("Gunmen killed 5 and wounded 12.", [("5", "killed"), ("12", "injured")]),
    ("Reuters said 3 were killed and 40 wounded.", [("3", "killed"), ("40", "injured")]),
    ("Police arrested 6 suspects and 19 militants were killed.", [("6", "arrested"), ("19", "killed")]),
    # not across a verb, a clause, or the whole a part is taken from
    ("Six soldiers retreated and 19 militants were killed.", [("Six", None), ("19", "killed")]),
    ("Six soldiers fought, and 19 militants were killed.", [("Six", None), ("19", "killed")]),
    ("Six soldiers, who fought all night, and 19 militants were killed.", [("Six", None), ("19", "killed")]),
    ("Of the 20 people, 5 guards were killed.", [("20", None), ("5", "killed")]),
    # the metric word before the second figure is no list's: it stays forward only
    ("Six soldiers and 19 militants: 19 were killed.", [("Six", None), ("19", None), ("19", "killed")]),
])
def test_a_metric_is_not_shared_backwards_across_an_act_or_a_clause(sentence, expected):
    assert _metrics(sentence) == expected


# -- a death toll ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, figure", [
    ("The army, in a statement, put the death toll at four soldiers, with two others injured.", "four"),
    ("The attack raised the death toll to 30.", "30"),
    ("The death toll rose to 12.", "12"),
    ("The death toll from the blasts rose to 12.", "12"),
    ("The toll of the dead stood at 9.", "9"),
])
def test_a_figure_a_death_toll_is_put_at_is_killed(sentence, figure):
    assert (figure, "killed") in _metrics(sentence)


def test_a_death_toll_leaves_the_wounded_listed_after_it_injured():
    assert _metrics("The army put the death toll at four soldiers, with two others injured.") == \
        [("four", "killed"), ("two", "injured")]
    assert _metrics("The death toll rose to 12 and the wounded to 40.") == [("12", "killed"), ("40", "injured")]


# -- an act of attack counting its objects; events counted -----------------------------------------


@pytest.mark.parametrize("sentence, expected", [
    ("Six soldiers were killed when al-Shabab attacked two bases before dawn Friday.",
     [("Six", "killed"), ("two", "attacks")]),
    ("Gunmen attacked the two checkpoints and killed 5 soldiers.", [("two", "attacks"), ("5", "killed")]),
    ("The group carried out two attacks last week.", [("two", "attacks")]),
    ("Two attacks killed 12 people.", [("Two", "attacks"), ("12", "killed")]),
    ("5 people were killed in two attacks.", [("5", "killed"), ("two", "attacks")]),
    ("The coalition conducted 63 strikes in Syria.", [("63", "strikes")]),
])
def test_a_figure_an_act_of_attack_governs_counts_attacks(sentence, expected):
    assert _metrics(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("16 attackers were killed.", [("16", "killed")]),
    ("Troops rescued 9 hostages.", [("9", "rescued")]),
    ("Gunmen killed 16 soldiers in an attack.", [("16", "killed")]),
])
def test_who_is_counted_is_not_an_event(sentence, expected):
    assert _metrics(sentence) == expected


# -- abbreviated months ----------------------------------------------------------------------------


@pytest.mark.parametrize("words, value", [
    ("Jan. 5", "2020-01-05"),
    ("Sept. 12", "2019-09-12"),
    ("Dec 3", "2019-12-03"),
    ("Jan. 5, 2020", "2020-01-05"),
    ("Feb. 3, 2019", "2019-02-03"),
    ("Aug. 1", "2019-08-01"),
    ("Oct. 30", "2019-10-30"),
    ("Nov. 2", "2019-11-02"),
    ("on Friday, Jan. 3", "2020-01-03"),
    ("5 Jan 2020", "2020-01-05"),
])
def test_an_abbreviated_month_is_a_date(words, value):
    found = stated_dates(f"Gunmen struck {words} near the town.", PUBLISHED)
    assert [(d.text, d.value) for d in found] == [(words, value)]


def test_the_day_of_an_abbreviated_month_is_no_figure_and_dates_the_figures():
    found = extract("The militants killed three Americans in the Jan. 5 attack.", PUBLISHED)
    assert [(c.text, c.metric, c.date.value) for c in found] == [("three", "killed", "2020-01-05")]
    found = extract("On Jan. 5, 2020, gunmen killed 4 people.", PUBLISHED)
    assert [(c.text, c.date.value) for c in found] == [("4", "2020-01-05")]
    assert [p.value for p in figure_phrases("Troops left on Dec 3 and 40 people died.")] == ["40"]


def test_a_figure_after_an_abbreviated_month_that_is_no_day_is_kept():
    assert [p.value for p in figure_phrases("They fled in Jan. 40 people died.")] == ["40"]  # no day is the 40th
    assert stated_dates("They fled in Jan. 40 people died.", PUBLISHED) == []


# -- a trailing present-tense attribution ----------------------------------------------------------


@pytest.mark.parametrize("sentence, speaker", [
    ("Troops retook the base, killing four militants, residents say.", "residents"),
    ("Four soldiers were killed, officials say.", "officials"),
    ("Four soldiers were killed, the army says.", "the army"),
    ("Four soldiers were killed, officials say, and the town was shelled.", "officials"),
    ("Four soldiers were killed, police said.", "police"),
])
def test_a_trailing_present_tense_attribution_is_the_speaker(sentence, speaker):
    assert [c.speaker for c in extract(sentence, PUBLISHED)] == [speaker]


def test_a_trailing_attribution_wins_over_the_speaker_carried_from_an_earlier_sentence():
    text = ("Residents told VOA that the militants entered a camp near the town. "
            "Troops retook the base, killing four militants, residents say.")
    found = extract(text, PUBLISHED)
    assert [(c.text, c.speaker, c.notes) for c in found] == [("four", "residents", ())]
    text = ("The governor told VOA that the militants entered a camp. Troops killed four militants, officials say.")
    assert [c.speaker for c in extract(text, PUBLISHED)] == ["officials"]


@pytest.mark.parametrize("sentence", [
    "Four soldiers were killed, needless to say.",
    "Four soldiers were killed, whatever they would say.",
])
def test_say_after_to_or_a_modal_is_no_attribution(sentence):
    assert [c.speaker for c in extract(sentence, PUBLISHED)] == [None]


# -- an aside that names part of a figure's group ("including …", "among them …") ------------------


def _claims(sentence: str) -> list[tuple[str, str | None, str | None]]:
    return [(c.text, c.metric, c.group) for c in extract(sentence, PUBLISHED)]


@pytest.mark.parametrize("sentence, expected", [
    ("Five people, including two children, were killed, residents say.",
     [("Five", "killed", "people"), ("two", "killed", "children")]),
    ("At least 12 people, among them three women, were wounded.",
     [("At least 12", "injured", "people"), ("three", "injured", "women")]),
    ("Five people (including two children) were killed.",
     [("Five", "killed", "people"), ("two", "killed", "children")]),
    ("Five people — including two children — died.", [("Five", "killed", "people"), ("two", "killed", "children")]),
    ("Five people, including two children and three women, were reported killed.",
     [("Five", "killed", "people"), ("two", "killed", "children"), ("three", "killed", "women")]),
    ("Two soldiers, including a commander, were killed.", [("Two", "killed", "soldiers")]),
])
def test_a_figure_before_an_aside_takes_the_metric_after_it_and_so_do_the_figures_in_it(sentence, expected):
    assert _claims(sentence) == expected
    assert "metric named after the aside" in extract(sentence, PUBLISHED)[0].notes


@pytest.mark.parametrize("sentence, expected", [
    ("12 people were killed, including three children.", [("12", "killed", "people"), ("three", "killed", "children")]),
    ("The blast killed 12 people including three children.",
     [("12", "killed", "people"), ("three", "killed", "children")]),
    ("Twelve people were wounded, among them four children.",
     [("Twelve", "injured", "people"), ("four", "injured", "children")]),
])
def test_a_figure_in_an_aside_after_the_metric_takes_the_metric_of_the_figure_it_is_part_of(sentence, expected):
    assert _claims(sentence) == expected
    assert "metric of the figure it is part of" in extract(sentence, PUBLISHED)[1].notes


@pytest.mark.parametrize("sentence, expected", [
    # a figure in the aside keeps a metric of its own; the figure before keeps its own
    ("Police arrested 12 people, including two who were wounded.",
     [("12", "arrested", "people"), ("two", "injured", "people")]),
    ("Five people, including two children who were wounded, were killed.",
     [("Five", "killed", "people"), ("two", "injured", "children")]),
    # what follows the aside is no metric word of the figure's: a new clause, or none at all
    ("Five people, including two children, said gunmen attacked them.",
     [("Five", None, "people"), ("two", None, "children")]),
    ("In 12 villages, including three in the north, troops killed 20 people.",
     [("12", None, "villages"), ("three", None, "villages"), ("20", "killed", "people")]),
])
def test_an_aside_keeps_metrics_of_their_own_and_reaches_no_further_than_its_end(sentence, expected):
    assert _claims(sentence) == expected


# -- an irregular past form is a verb ---------------------------------------------------------------


@pytest.mark.parametrize("sentence, expected", [
    ("Six soldiers fought and 19 militants were killed.", [("Six", None, "soldiers"), ("19", "killed", "militants")]),
    ("Six soldiers took part and 19 militants were killed.",
     [("Six", None, "soldiers"), ("19", "killed", "militants")]),
    ("Six soldiers left and 19 militants were killed.", [("Six", None, "soldiers"), ("19", "killed", "militants")]),
    ("Four rockets hit the base and 12 soldiers were wounded.",
     [("Four", None, "rockets"), ("12", "injured", "soldiers")]),
    ("Six soldiers shot 19 militants.", [("Six", None, "soldiers"), ("19", None, "militants")]),
    ("12 people shot dead.", [("12", "killed", "people")]),
])
def test_an_irregular_past_form_ends_a_group_and_no_metric_is_shared_back_across_it(sentence, expected):
    assert _claims(sentence) == expected
    assert all("metric of the figure listed after it" not in c.notes for c in extract(sentence, PUBLISHED))


@pytest.mark.parametrize("sentence, group", [
    ("Two Met police officers were hurt.", "Met police officers"),  # a name, not "met"
    ("Six soldiers and 19 militants were killed.", "soldiers"),
])
def test_a_capitalised_irregular_form_and_a_plain_list_are_unchanged(sentence, group):
    found = extract(sentence, PUBLISHED)
    assert found[0].group == group and found[0].metric in ("injured", "killed")
