""""a soldier", "an Iraqi soldier": the indefinite article as a count of one person, where a casualty is counted.

A coder records "killing four militants and a soldier" as one soldier killed, but
the grammar reads a lone "a" as one only when a claim's own words are "a" (so
"a military source said" counts no one). The extractor proposes the article
when all of these hold:

- it is followed by at most three modifiers ("U.S.", "Iraqi", "police",
  "high-ranking") and a person noun of :data:`PERSONS`, singular, which ends the
  noun phrase ("an al Qaeda fighter safe house" is a house);
- an act counts it: it is the object of an act ("killing a soldier", "arrested
  a suspect"), the subject of a passive one ("a civilian was wounded", "a child
  died"), or it stands in a list with a figure whose metric is such an act ("four
  militants and a soldier", "a U.S. soldier, an Iraqi soldier, and three …
  were wounded"); the list is judged by the extractor (:data:`LISTED`);
- it is no speaker ("a police officer said", "according to a medic"), no
  actor ("a soldier killed two militants"), governed by no preposition ("the
  family of a journalist was kidnapped", "dressed as a police officer"), and in
  no aside that names part of a figure already counted ("five soldiers were
  killed, including a military commander").

The phrase is the article alone; its value is the article and the noun ("a
soldier"), which ``ledger quantity`` reads as one and finds in the quote.
"""

from __future__ import annotations

import re

from ledger.extract.metrics import _CUES
from ledger.extract.phrases import Phrase
from ledger.extract.records import Attribution

# Singular nouns for a person. Left out: nouns more often a speaker or an actor than a victim ("source",
# "spokesman", "witness", "bomber", "gunman", "attacker"), and titles that are also adjectives ("major", "general").
PERSONS = frozenset({
    "soldier", "civilian", "policeman", "policewoman", "officer", "child", "boy", "girl", "woman", "man",
    "fighter", "militant", "insurgent", "rebel", "jihadist", "militiaman", "journalist", "reporter", "photographer",
    "cameraman", "guard", "worker", "resident", "villager", "commander", "medic", "paramedic", "doctor", "nurse",
    "teacher", "student", "pupil", "farmer", "shepherd", "fisherman", "prisoner", "detainee", "inmate", "hostage",
    "pilot", "marine", "sailor", "airman", "trooper", "paratrooper", "serviceman", "servicewoman", "servicemember",
    "peacekeeper", "contractor", "official", "member", "suspect", "protester", "demonstrator", "passenger",
    "driver", "pedestrian", "worshipper", "pilgrim", "refugee", "migrant", "infant", "baby", "toddler", "teenager",
    "person", "tourist", "volunteer", "employee", "engineer", "diplomat", "lawmaker", "politician", "mayor",
    "governor", "judge", "lawyer", "activist", "cleric", "imam", "priest", "sergeant", "lieutenant", "colonel",
    "corporal", "captain",
})
# What a count of one may be counted as: casualties and acts done to people.
COUNTED = frozenset({"killed", "injured", "arrested", "abducted", "missing", "released", "rescued"})
# The notes of a figure that took its metric from a list: the one way an article counts that needs the others.
LISTED_BEFORE, LISTED_AFTER = "metric of the figure listed before it", "metric of the figure listed after it"
LISTED = (LISTED_BEFORE, LISTED_AFTER)
NOTE = "“a” counts one person"
_MODIFIERS_AT_MOST = 3
# Words that cannot stand between the article and its noun.
_NOT_MODIFIERS = frozenset({
    "the", "a", "an", "of", "and", "or", "but", "nor", "to", "in", "on", "at", "by", "with", "from", "for", "as",
    "that", "who", "which", "this", "these", "those", "his", "her", "their", "its", "our", "my", "your", "was",
    "were", "is", "are", "be", "been", "said", "says", "told", "group", "number", "total", "few", "couple", "lot",
    "dozen", "hundred", "thousand", "further", "pair",
})
# Words after the noun that show the noun phrase ended there: "a soldier was …", "a soldier and …", "a soldier in …".
_ENDS = frozenset({
    "was", "were", "is", "are", "has", "had", "have", "got", "and", "or", "who", "whom", "whose", "that", "in", "on",
    "at", "from", "near", "during", "after", "before", "while", "when", "by", "with", "as", "for", "inside",
    "outside", "among", "of", "died", "perished",
})
# Words after the noun that make it a speaker: "a police officer said".
_SPEECH = frozenset({"said", "says", "say", "told", "tells", "added", "adds", "reported", "reports", "stated",
                     "confirmed", "confirms", "announced", "claimed", "claims", "explained", "noted", "recalled",
                     "described", "insisted", "testified", "quoted", "speaking", "spoke", "who", "whose"})
# Acts whose object the article counts ("killing a soldier"): their metric is the cue's.
_ACTS = frozenset({
    "killing", "killed", "kill", "kills", "wounding", "wounded", "injuring", "injured", "injure", "arrested",
    "arrest", "detained", "detain", "captured", "capture", "abducted", "kidnapped", "executed", "rescued", "freed",
    "released",
})
# A passive act after the noun: an auxiliary, a few of these, then the act ("a soldier was also shot dead").
_AUXILIARIES = frozenset({"was", "were", "is", "are", "has", "have", "had", "got"})
_PASSIVE_LINKS = frozenset({"been", "being", "also", "reportedly", "later", "critically", "seriously", "badly",
                            "fatally", "slightly", "lightly", "allegedly", "shot", "found", "among", "the", "both",
                            "confirmed", "reported", "believed", "to", "be", "then", "subsequently"})
_INTRANSITIVE = frozenset({"died", "perished"})  # no auxiliary needed: "a child died"
_PASSIVE_REACH = 4  # words between the noun and the act, at most
# An aside naming part of a figure already counted, before the article in the same clause part.
_PART_OF = frozenset({"including", "among", "includes", "included", "notably", "mostly", "mainly", "such"})
_PREPOSITIONS = frozenset({"of", "with", "for", "to", "from", "by", "near", "at", "in", "on", "about", "against",
                           "like", "as", "than", "behind", "beside", "besides", "after", "before", "under", "over",
                           "into", "onto", "toward", "towards", "without", "via", "per", "between", "amid", "despite",
                           "upon", "through", "inside", "outside", "within"})
_CLOSING = ",;:.!?)”\"—–"
_OPENING = "(“\"—–‘"
_WORD = re.compile(r"\S+")


def counted_ones(sentence: str, phrases: list[Phrase], speakers: list[Attribution], base: int) -> list[Phrase]:
    """The articles of ``sentence`` that count one person, as phrases not overlapping ``phrases``. Those an act
    counts carry its metric (``act``); the others stand only if the extractor finds them listed with a figure
    counted so (their candidate then carries a note of :data:`LISTED`). ``speakers`` are the sentence's
    attributions, their spans offset by ``base``."""
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(sentence)]
    spoken = [(a.span[0] - base, a.span[1] - base) for a in speakers]
    found = []
    for i, (start, end, raw) in enumerate(words):
        quoted = len(raw) - len(raw.lstrip("“\"‘"))  # "“A soldier was killed,” he said."
        if _core(raw) not in ("a", "an") or _closes(raw) or raw[quoted:quoted + 1] in _OPENING or _governed(words, i):
            continue
        start += quoted
        noun = _noun_after(words, i)
        if noun is None:
            continue
        head = _core(words[noun][2])
        phrase_end = words[noun][0] + len(words[noun][2].rstrip(_CLOSING))
        if any(p.start < phrase_end and start < p.end for p in phrases) or \
                any(s < phrase_end and start < e for s, e in spoken) or _in_an_aside(words, i, phrases):
            continue
        after = _core(words[noun + 1][2]) if noun + 1 < len(words) and not _closes(words[noun][2]) else ""
        if after in _SPEECH:
            continue
        act, follows = _act_before(words, i), False
        if act is None and after:
            act, follows = _passive_after(words, noun + 1), True
        value = f"{'an' if head[0] in 'aeiou' else 'a'} {head}"
        found.append(Phrase(start, words[i][1], value, 1, 1, act=act, act_follows=follows and act is not None,
                            person=True))
    return found


def _governed(words: list[tuple[int, int, str]], i: int) -> bool:
    """Whether a preposition governs the article at ``i``: "the family of a journalist was kidnapped" counts the
    family, "dressed as a police officer" no one, "killed by a soldier" the soldier's victims."""
    return i > 0 and not _closes(words[i - 1][2]) and _core(words[i - 1][2]) in _PREPOSITIONS


def _core(raw: str) -> str:
    return raw.strip(_CLOSING + _OPENING + "’'").casefold()


def _closes(raw: str) -> bool:
    """Whether a word ends its phrase by the mark after it: "soldier,", "soldier." (not "U.S.", an abbreviation)."""
    if raw.endswith("."):
        return "." not in raw[:-1]
    return raw[-1:] in _CLOSING or raw.endswith(("’s", "'s"))


def _noun_after(words: list[tuple[int, int, str]], i: int) -> int | None:
    """The index of the person noun that ends the noun phrase after the article at ``i``, or None."""
    for j in range(i + 1, min(i + 2 + _MODIFIERS_AT_MOST, len(words))):
        raw = words[j][2]
        word = _core(raw)
        if raw[:1] in _OPENING or raw.endswith(("’s", "'s")):
            return None
        if word in PERSONS:
            while j + 1 < len(words) and not _closes(words[j][2]) and _core(words[j + 1][2]) in PERSONS:
                j += 1  # "a child soldier"
            ends = _closes(words[j][2]) or j + 1 == len(words) or _core(words[j + 1][2]) in _ENDS | _SPEECH
            return j if ends and not words[j][2].endswith(("’s", "'s")) else None
        if _closes(raw) or word in _NOT_MODIFIERS or word in _CUES or word.isdigit():
            return None
    return None


def _act_before(words: list[tuple[int, int, str]], i: int) -> str | None:
    """The metric of the act whose object the article at ``i`` heads: "killing a soldier"."""
    if i == 0 or _closes(words[i - 1][2]):
        return None
    word = _core(words[i - 1][2])
    return _CUES[word] if word in _ACTS and _CUES.get(word) in COUNTED else None


def _passive_after(words: list[tuple[int, int, str]], k: int) -> str | None:
    """The metric of the passive act that follows the noun phrase from word ``k``: "was killed", "died"."""
    if k >= len(words):
        return None
    first = _core(words[k][2])
    if first in _INTRANSITIVE:
        return _CUES[first]
    if first not in _AUXILIARIES or _closes(words[k][2]):
        return None
    for j in range(k + 1, min(k + 2 + _PASSIVE_REACH, len(words))):
        word = _core(words[j][2])
        cue = _CUES.get(word)
        if cue is not None and word not in ("held", "holding"):
            return cue if cue in COUNTED else None
        if word not in _PASSIVE_LINKS or _closes(words[j][2]):
            return None
    return None


def _in_an_aside(words: list[tuple[int, int, str]], i: int, phrases: list[Phrase]) -> bool:
    """Whether the article at ``i`` follows "including", "among" … in its clause part, no figure between:
    "five soldiers were killed, including a military commander" counts the commander among the five."""
    for j in range(i - 1, -1, -1):
        start, _, raw = words[j]
        if any(p.start <= start < p.end for p in phrases):
            return False
        if raw.endswith((";", ":")) or (raw.endswith(".") and "." not in raw[:-1]):
            return False  # the clause part ends here
        if _core(raw) in _PART_OF:
            return True
    return False
