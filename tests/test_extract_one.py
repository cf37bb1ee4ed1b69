"""ledger.extract on the indefinite article as a count of one person ("killing four militants and a soldier"), as a
coder records it: proposed only when an act or a list with a counted figure counts it; never a speaker, an
actor, a thing, or one of a figure already counted. Each case is a short sentence."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.extract import extract
from ledger.extract.persons import NOTE, PERSONS
from ledger.figures import parse_quantity
from ledger.figures.mentions import states

PUBLISHED = date(2020, 1, 17)


def _figures(sentence: str) -> list[tuple[str, int, str | None, str | None]]:
    return [(c.text, c.low, c.metric, c.group) for c in extract(sentence, PUBLISHED)]


def _ones(sentence: str) -> list[tuple[str, int, str | None, str | None]]:
    return [(c.text, c.low, c.metric, c.group) for c in extract(sentence, PUBLISHED) if c.text.casefold() in ("a", "an")]


# -- proposed -------------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, expected", [
    # in a list with a counted figure
    ("Troops retook the base, killing four militants and a soldier, residents say.",
     [("four", 4, "killed", "militants"), ("a", 1, "killed", "soldier")]),
    ("According to the United States military, a U.S. soldier, an Iraqi soldier, and three Iraqi police officers "
     "were wounded in the blast.",
     [("a", 1, "injured", "U.S. soldier"), ("an", 1, "injured", "Iraqi soldier"),
      ("three", 3, "injured", "Iraqi police officers")]),
    ("Two civilians and a police officer were killed in the blast.",
     [("Two", 2, "killed", "civilians"), ("a", 1, "killed", "police officer")]),
    ("The strike killed three fighters and a senior commander.",
     [("three", 3, "killed", "fighters"), ("a", 1, "killed", "senior commander")]),
    ("Police arrested two men and a suspect.", [("two", 2, "arrested", "men"), ("a", 1, "arrested", "suspect")]),
    # the subject of a passive act
    ("A soldier was killed in the attack.", [("A", 1, "killed", "soldier")]),
    ("A civilian was wounded by shrapnel.", [("A", 1, "injured", "civilian")]),
    ("A Somali journalist was shot dead on Friday.", [("A", 1, "killed", "Somali journalist")]),
    ("A child died in the fire.", [("A", 1, "killed", "child")]),
    ("An aid worker has been kidnapped near the border.", [("An", 1, "abducted", "aid worker")]),
    ("A suspect was arrested at the scene.", [("A", 1, "arrested", "suspect")]),
    ("A 20-year-old man was also seriously injured.", [("A", 1, "injured", "20-year-old man")]),
    ("A soldier was among the dead, officials said.", [("A", 1, "killed", "soldier")]),
    ("Five died and a child was injured.", [("Five", 5, "killed", None), ("a", 1, "injured", "child")]),
    ("An official was killed while a journalist was wounded.",
     [("An", 1, "killed", "official"), ("a", 1, "injured", "journalist")]),
    ("“A soldier was killed,” the army said.", [("A", 1, "killed", "soldier")]),
    # the object of an act
    ("The blast killed a policeman.", [("a", 1, "killed", "policeman")]),
    ("Gunmen wounded an Afghan police officer on Monday.", [("an", 1, "injured", "Afghan police officer")]),
    ("Security forces arrested a suspect in Mosul.", [("a", 1, "arrested", "suspect")]),
    ("The militants kidnapped a teacher and a doctor.",
     [("a", 1, "abducted", "teacher"), ("a", 1, "abducted", "doctor")]),
    ("The bomb killed a soldier and two others.", [("a", 1, "killed", "soldier"), ("two", 2, "killed", "others")]),
    ("Israeli troops shot and killed a Palestinian man.", [("a", 1, "killed", "Palestinian man")]),
    ("Militants attacked a police post, killing a policeman, police said.", [("a", 1, "killed", "policeman")]),
    ("A soldier, a civilian and a police officer were killed.",
     [("A", 1, "killed", "soldier"), ("a", 1, "killed", "civilian"), ("a", 1, "killed", "police officer")]),
])
def test_an_article_counted_by_an_act_is_one_person(sentence, expected):
    assert _figures(sentence) == expected


def test_the_article_is_the_figure_and_its_value_reads_as_one_in_the_quote():
    sentence = ("According to the United States military, a U.S. soldier, an Iraqi soldier, and three Iraqi police "
                "officers were wounded in the blast.")
    found = [c for c in extract(sentence, PUBLISHED) if c.text in ("a", "an")]
    assert [(c.text, c.value, c.low, c.high) for c in found] == [("a", "a soldier", 1, 1), ("an", "a soldier", 1, 1)]
    assert [sentence[c.span[0]:c.span[1]] for c in found] == ["a", "an"]
    assert all(NOTE in c.notes for c in found)
    assert all(states(c.quote, parse_quantity(c.value, c.metric), c.metric) for c in found)
    assert all(c.speaker == "the United States military" for c in found)


@pytest.mark.parametrize("noun", sorted(PERSONS))
def test_every_person_noun_gives_a_value_the_grammar_reads_as_one(noun):
    found = [c for c in extract(f"The attack killed a {noun}.", PUBLISHED) if c.text == "a"]
    assert [(c.low, c.high, c.metric, c.group) for c in found] == [(1, 1, "killed", noun)]
    value = parse_quantity(found[0].value)
    assert (value.low, value.high) == (1, 1)


# -- not proposed ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    # a speaker
    "Two people were killed, a police officer said.",
    "Two were killed and a police officer said the toll could rise.",
    "According to a medic, two people died.",
    "A military source told AFP that 12 were killed.",
    "A police officer said six people were wounded.",
    "A hospital doctor who treated them said four civilians died.",
    # the actor
    "A suicide bomber killed a high-ranking police chief and two other police officers.",
    "A soldier killed two militants near the base.",
    "A policeman arrested three suspects.",
    "Two gunmen and a soldier killed three villagers.",
    "Three soldiers were killed by a militant.",
    "Three militants were killed in a clash with a soldier.",
    "The attackers, led by a commander, killed three soldiers.",
    # governed by a preposition
    "The family of a journalist was kidnapped.",
    "Relatives of a soldier killed in 2019 protested.",
    # one of a figure already counted
    "Local sources said five government soldiers were killed, including a military commander.",
    "Five soldiers were killed, including a commander and a medic.",
    "Twelve people died, among them a child.",
    "Three were detained, including a suspect.",
    "The victims include a soldier.",
    # things, events, measures
    "The militants attacked a base and a compound.",
    "Seven children died during a coalition air strike.",
    "The army said in a statement that 15 militants were killed.",
    "Two soldiers were killed in an airstrike on a compound.",
    "Troops destroyed a soldier training camp.",
    "Credible intelligence led the forces to an al Qaeda fighter safe house, where troops found two insurgents.",
    "Coalition forces killed several militants at a compound containing a mosque and a religious school.",
    # no act counts it
    "The bomber, dressed as a police officer, walked up and detonated the bomb.",
    "A soldier guarding the gate saw the car.",
    "A woman who lost two sons spoke to reporters.",
    "He is a doctor at the hospital.",
    "A soldier and three civilians fought off the attack.",
    "A journalist visited the camp where 40 people were killed.",
    "Three people were killed and a soldier wounded.",
    # a soldier's, a plural, a group
    "A soldier's body was found after two were killed.",
    "The blast killed a dozen soldiers.",
    "The blast killed a group of soldiers.",
    "Militants freed a number of prisoners.",
    "Two soldiers and a dog were killed.",
    "A Palestinian was killed.",
    "The group released a video showing a hostage.",
    "Gunmen killed a police officer's son.",
])
def test_an_article_no_act_counts_proposes_nothing(sentence):
    assert _ones(sentence) == []
    assert not any(NOTE in c.notes for c in extract(sentence, PUBLISHED))


def test_a_dropped_article_leaves_the_other_figures_as_they_were():
    sentence = "Two people were killed and a police officer said that 40 were wounded."
    assert _figures(sentence) == [("Two", 2, "killed", "people"), ("40", 40, "injured", None)]


def test_an_initialism_is_one_word_of_a_group():
    assert _figures("Two U.S. soldiers were killed.") == [("Two", 2, "killed", "U.S. soldiers")]
    assert _figures("Two soldiers were killed near the U.S. embassy.") == [("Two", 2, "killed", "soldiers")]
