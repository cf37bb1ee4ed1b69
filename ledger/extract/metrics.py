"""What a figure counts: the metric word near it (killed, wounded, arrested, at large …) and the group after it.

The metric is the nearest metric word within a few words on either side of
the figure in its clause, never reaching past another figure, a comma, a
semicolon or the sentence's end; the nearer wins, and on a tie the word after
("119 terrorists detained"). Three forms bind tighter than nearness: a figure a
death toll is put at ("put the death toll at four", "the death toll rose to 12")
is killed; a figure an act of attack governs ("attacked two bases") counts that
act; a figure whose group names events ("two attacks", "63 strikes") counts the
events. A figure with none near it that stands in a list after another figure
("28 members …, 45 fighters …, and 5 civilians") takes that figure's metric, and
one listed before a figure whose metric word follows the list ("Six soldiers and
19 militants were killed") takes that one. The group is the noun phrase that
follows the figure ("ISIS fighters"); "of them" and a figure with no noun take the group of the figure
listed before it. An aside that names part of a figure's group ("Five people, including two children, were
killed", "12 people were killed, among them three women") is see-through: the figure before it takes the
metric word just after the aside, and a figure in it with none the metric of the figure it is part of. A
common irregular past form ("fought", "took", "fled") is a verb: it ends a group, and a figure before it
lists with none after it. Words of time end a group ("members of the regime forces
yesterday" is "members of the regime forces"), and a phrase of time alone ("the
day", "that night") is none.
"""

from __future__ import annotations

import re

from ledger.extract.when import WEEKDAYS

# Metric words as they appear in news copy → the metric the ledger files them under. Two-word cues first.
_CUES = {
    "at large": "at-large", "on the run": "at-large", "still missing": "missing",
    "claimed the lives": "killed", "lost their lives": "killed", "death toll": "killed",
    "killed": "killed", "kill": "killed", "kills": "killed", "killing": "killed", "dead": "killed", "died": "killed",
    "death": "killed", "deaths": "killed", "lives": "killed", "fatalities": "killed", "slain": "killed",
    "massacred": "killed", "executed": "killed", "toll": "killed", "bodies": "killed",
    "wounded": "injured", "wounding": "injured", "injured": "injured", "injure": "injured", "injuring": "injured",
    "injuries": "injured", "hurt": "injured", "casualties": "casualties",
    "arrested": "arrested", "arrest": "arrested", "arrests": "arrested", "detained": "arrested", "detain": "arrested",
    "detention": "arrested", "captured": "arrested", "capture": "arrested", "apprehended": "arrested",
    "recaptured": "arrested",
    "held": "held", "holding": "held", "imprisoned": "held", "detainees": "held", "prisoners": "held",
    "martyred": "killed", "perished": "killed",
    "escaped": "escaped", "escape": "escaped", "fled": "escaped", "fugitives": "at-large",
    "displaced": "displaced", "displacing": "displaced", "homeless": "displaced", "evacuated": "evacuated",
    "refugees": "displaced", "missing": "missing", "abducted": "abducted", "kidnapped": "abducted",
    "hostages": "abducted", "attackers": "attackers", "gunmen": "attackers", "assailants": "attackers",
    "bombers": "attackers", "operations": "operations", "raids": "operations", "strikes": "strikes",
    "airstrikes": "strikes", "attacks": "attacks", "attack": "attacks", "destroyed": "destroyed",
    "destroying": "destroyed", "demolished": "destroyed", "damaged": "damaged", "rescued": "rescued",
    "released": "released", "freed": "released",
}
# Nouns that name who is counted rather than what befell them: "14 prisoners escaped" is escaped, "20 detainees
# were released" released, "16 attackers were killed" killed. One of these is the metric only when no act is
# named after it in the clause, nor one that governs the figure directly before it ("rescued 9 hostages").
_WHO_NOUNS = {"prisoners", "detainees", "fugitives", "hostages", "attackers", "gunmen", "assailants", "bombers",
              "refugees", "bodies", "lives", "deaths", "fatalities", "casualties", "injuries", "raids", "strikes",
              "airstrikes", "attacks", "operations", "toll", "death toll"}
_GOVERNS = 2  # words before the figure at most, for an act to outweigh such a noun after it
# Nouns of events: a figure whose group ends in one counts the events, whatever befell people in the clause
# ("two attacks killed 12", "killed in two attacks").
_EVENTS = {"attacks": "attacks", "attack": "attacks", "strikes": "strikes", "airstrikes": "strikes",
           "raids": "operations", "operations": "operations"}
# Acts whose object a figure directly after them counts: "attacked two bases", "raided three villages".
_ACTS_ON = {"attacked": "attacks", "attacking": "attacks", "stormed": "attacks", "storming": "attacks",
            "raided": "operations", "raiding": "operations"}
_DETERMINERS = {"the", "its", "their", "his", "her", "all"}
# "the death toll rose to 12", "put the death toll at four": the words that link a toll to its figure.
_TOLL_LINKS = {"at", "to", "of", "reached", "hit", "topped", "passed", "is", "was", "stood", "stands", "now"}
_WINDOW = 8  # words either side
# An initialism ("U.S.", "U.N.") is one word, its periods no stop: "a U.S. soldier" is of the group "U.S. soldier".
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}(?=\s+[\w“\"(])|[\w’'-]+|[;:,.!?“”\"()—–]")
_GROUP_STOPS = {
    "were", "was", "are", "is", "have", "has", "had", "be", "been", "being", "in", "on", "at", "who", "that", "which",
    "while", "since", "during", "over", "after", "before", "when", "where", "to", "by", "with", "as", "for", "and",
    "but", "or", "said", "say", "says", "still", "reportedly", "took", "remain", "remained", "including",
}
# Irregular past forms common in conflict news, so verbs, not group words ("Six soldiers fought and …"). Only in lower
# case: "Met police", "Rose" are names. "wound" is left out: it is a noun as often.
_IRREGULAR_PAST = frozenset({
    "fought", "fled", "went", "came", "took", "gave", "said", "ran", "hid", "left", "held", "met", "stood", "sent",
    "sought", "shot", "struck", "told", "brought", "began", "broke", "drove", "fell", "got", "kept", "lost", "made",
    "rose", "saw", "sold", "spoke", "won", "wrote", "withdrew", "overran", "led", "lay", "laid", "hit", "fired", "set",
    "put", "cut", "beat", "bore", "threw", "swept", "slid", "sank", "spread", "split", "stuck", "tore", "woke", "wore",
})
# "Five people, including two children, were killed": words that open an aside naming part of a figure's group, the
# marks it may open with (and the one that closes it), and the words that may stand between its end and the metric
# word of the figure it interrupts ("…, were reported killed", "…, are feared dead", "…, were among the dead").
_INCLUSIONS = (("including",), ("among", "them", "were"), ("among", "them", "are"), ("among", "whom", "were"),
               ("among", "whom", "are"), ("among", "them"), ("among", "whom"))
_ASIDES = {",": (",",), "(": (")",), "—": ("—", "–"), "–": ("—", "–")}
_ASIDE_LINKS = {"were", "was", "are", "is", "have", "has", "had", "been", "be", "being", "all", "both", "also",
                "reportedly", "reported", "believed", "feared", "confirmed", "thought", "to", "now",
                "among", "the", "later"}
_PRONOUNS = {"them", "those", "these", "whom"}
# Words that say when, not who: a group stops before them ("… forces yesterday", "… fighters last week").
_WEEKDAYS = frozenset(WEEKDAYS)
_TIME_STOPS = {"yesterday", "today", "tonight", "tomorrow", "overnight", "ago", *_WEEKDAYS,
               *(f"{day}'s" for day in _WEEKDAYS), *(f"{day}’s" for day in _WEEKDAYS)}
# These say when only before a time ("last week", "this morning"); "members of this group" is a group.
_TIME_LEADS = {"last", "this", "next", "previous", "earlier", "later"}
# A group made only of these is a time ("the day", "that same night"), not who was counted.
_TIME_WORDS = {"the", "a", "that", "same", "following", "preceding", "day", "days", "night", "nights", "morning",
               "evening", "afternoon", "week", "weeks", "weekend", "month", "months", "year", "years", "hours"}


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(start + m.start(), start + m.end(), m.group(0).casefold()) for m in _TOKEN.finditer(text[start:end])]


def _cue_at(tokens: list[tuple[int, int, str]], k: int) -> tuple[str, int] | None:
    """The metric a cue starting at token k names, and how many tokens the cue takes."""
    for size in (3, 2, 1):
        words = " ".join(t[2] for t in tokens[k:k + size])
        if len(tokens[k:k + size]) == size and words in _CUES:
            return _CUES[words], size
    return None


def _is_stop(token: str) -> bool:
    return token in (";", ".", "!", "?", ":")


def _ends_clause(token: str) -> bool:
    return _is_stop(token) or token in (",", "—", "–", "(", ")")


def nearest_metric(sentence: str, start: int, end: int, prev_end: int,
                   next_start: int) -> tuple[str | None, int, bool]:
    """The metric named nearest the figure at [start, end), its distance in words and whether the word that
    names it follows the figure ((None, -1, False) when none).

    ``prev_end`` and ``next_start`` bound the search at the neighbouring figures.
    """
    before = _tokens(sentence, prev_end, start)
    after = _tokens(sentence, end, next_start)
    bound = _bound(sentence, before, end)
    if bound is not None:
        return bound
    best: tuple[int, int, str] | None = None  # (distance, side: 0 after / 1 before, metric)
    noun: tuple[int, int, str] | None = None  # the first who-noun after the figure, kept in case no act follows
    for k in range(min(_WINDOW, len(after))):
        if _ends_clause(after[k][2]):
            break
        cue = _cue_at(after, k)
        if cue and _is_who_noun(after, k, cue[1]):
            noun = noun or (k + 1, 0, cue[0])
        elif cue:
            best = (k + 1, 0, cue[0])
            break
    for distance, k in enumerate(range(len(before) - 1, max(-1, len(before) - 1 - _WINDOW), -1), start=1):
        if _ends_clause(before[k][2]):
            break
        cue = _cue_at(before, k)
        if cue and _is_who_noun(before, k, cue[1]):
            continue
        if cue and (best is None or (distance, 1) < best[:2]):
            best = (distance, 1, cue[0])
            break
    if noun is not None and (best is None or (best[1] == 1 and best[0] > _GOVERNS)):
        best = noun
    return (best[2], best[0], best[1] == 0) if best else (None, -1, False)


def _bound(sentence: str, before: list[tuple[int, int, str]], end: int) -> tuple[str, int, bool] | None:
    """The metric of a form that binds the figure tighter than nearness: a death toll put at it, an act of attack
    governing it, or a group that names events."""
    if before and before[-1][2] in _TOLL_LINKS and _toll_before(before):
        return "killed", 1, False
    k = len(before) - 1
    while k > 0 and before[k][2] in _DETERMINERS:
        k -= 1
    if k >= 0 and before[k][2] in _ACTS_ON:
        return _ACTS_ON[before[k][2]], len(before) - k, False
    group = group_after(sentence, end)
    last = group.split()[-1].casefold() if group else None
    if last in _EVENTS:
        return _EVENTS[last], len(group.split()), True
    return None


def _toll_before(before: list[tuple[int, int, str]]) -> bool:
    """Whether a death toll ("death toll", "toll of the dead") stands in the clause a few words before the figure,
    no other act between: "raised the death toll to 30", "the death toll from the blasts rose to 12"."""
    for k in range(len(before) - 1, max(-1, len(before) - 1 - _WINDOW), -1):
        word = before[k][2]
        if _ends_clause(word):
            return False
        if word == "toll":
            words = [t[2] for t in before[k + 1:k + 4]]
            return (k > 0 and before[k - 1][2] == "death") or words[:2] == ["of", "dead"] or \
                words[:3] == ["of", "the", "dead"]
        cue = _cue_at(before, k)
        if cue and not _is_who_noun(before, k, cue[1]) and word != "dead":
            return False
    return False


def _is_who_noun(tokens: list[tuple[int, int, str]], k: int, size: int) -> bool:
    return " ".join(t[2] for t in tokens[k:k + size]) in _WHO_NOUNS


def listed_after(sentence: str, prev_end: int, start: int) -> bool:
    """Whether the figure at ``start`` is the next item of a list after the figure ending at ``prev_end``."""
    between = _tokens(sentence, prev_end, start)
    if len(between) > 12 or any(_is_stop(t[2]) or _cue_at(between, k) for k, t in enumerate(between)):
        return False
    return bool(between) and between[-1][2] in (",", "and", "or")


def listed_before(sentence: str, earlier: tuple[int, int], later: tuple[int, int]) -> str | None:
    """The joint ("and", "," or ", and") by which the figure at ``earlier`` heads a group listed before the figure
    at ``later``, nothing else between them: no act, no clause ("Six Somali government soldiers and 19 militants
    were killed"); None when it is no such list. Both must name a group, and the earlier must not be what a part
    is taken from ("Of the 20 prisoners, 5 guards …")."""
    between = _tokens(sentence, earlier[1], later[0])
    words = [t[2] for t in between]
    joint = 0
    while joint < len(words) and words[len(words) - 1 - joint] in (",", "and"):
        joint += 1
    group = words[:len(words) - joint]
    if not group or len(group) > 8 or " ".join(words[len(group):]) not in ("and", ",", ", and"):
        return None
    if any(_ends_clause(w) or w in _GROUP_STOPS or _cue_at(between, k) or _is_verb(sentence, between[k])
           for k, w in enumerate(group)):
        return None
    if group[-1].endswith(("ed", "ing")):
        return None  # "soldiers retreated and": a verb before the joint, not a group
    leading = [t[2] for t in _tokens(sentence, 0, earlier[0])[-2:]]
    if any(w in ("of", "among", "from") for w in leading) or is_back_reference(group_after(sentence, later[1])):
        return None
    return " ".join(words[len(group):])


def group_after(sentence: str, end: int) -> str | None:
    """The noun phrase that follows a figure: "ISIS fighters", "members of the Syrian Democratic Forces"."""
    taken: list[tuple[int, int, str]] = []
    following = _tokens(sentence, end, len(sentence))[:8]
    for k, token in enumerate(following):
        word = token[2]
        if _ends_clause(word) or word in _GROUP_STOPS or word in _TIME_STOPS or _names_an_act(word) or \
                _is_verb(sentence, token):
            break
        if word in ("earlier", "later") or (word in _TIME_LEADS and k + 1 < len(following)
                                            and following[k + 1][2] in _TIME_WORDS | _WEEKDAYS):
            break
        taken.append(token)
    while taken and taken[-1][2] in ("of", "from", "the", "a", "an"):
        taken.pop()
    if not taken or all(t[2] in _TIME_WORDS for t in taken):
        return None
    if taken[0][2] == "of" and len(taken) > 1 and taken[1][2] in _PRONOUNS:
        return taken[1][2]
    if taken[0][2] == "of":
        taken = taken[1:]
    return " ".join(sentence[taken[0][0]:taken[-1][1]].split()) if taken else None  # a wrapped line's break is a space


def _names_an_act(word: str) -> bool:
    """A metric word that is a verb ("killed", "escaped"), which ends a group; "prisoners" does not."""
    return word in _CUES and (word.endswith(("ed", "ing")) or word in ("kill", "dead", "died", "hurt", "held"))


def is_back_reference(group: str | None) -> bool:
    return group is None or group.casefold() in _PRONOUNS


def _is_verb(sentence: str, token: tuple[int, int, str]) -> bool:
    """Whether the token is an irregular past form written in lower case ("fought"; not "Met", "Rose")."""
    return token[2] in _IRREGULAR_PAST and sentence[token[0]:token[1]].islower()


def aside_after(sentence: str, end: int, limit: int) -> tuple[str, int] | None:
    """The mark ("," "(" "—", or "" for none) and the end of the first words opening an aside that names part of
    the group of the figure ending at ``end`` ("Five people, including", "12 people were killed, among them"), no
    further than ``limit`` and within the sentence part; None when there is none."""
    tokens = _tokens(sentence, end, limit)[:18]
    words = [t[2] for t in tokens]
    for k, word in enumerate(words):
        if _is_stop(word):
            return None
        for lead in _INCLUSIONS:
            if tuple(words[k:k + len(lead)]) == lead:
                return (words[k - 1] if k and words[k - 1] in _ASIDES else ""), tokens[k + len(lead) - 1][1]
    return None


def included_in(sentence: str, prev_end: int, start: int) -> str | None:
    """The mark of the aside (see :func:`aside_after`) the figure at ``start`` heads, naming part of the group of
    the figure ending at ``prev_end``: "Five people, including two children"; None when it heads no such aside."""
    found = aside_after(sentence, prev_end, start)
    return found[0] if found and not sentence[found[1]:start].strip() else None


def metric_after_aside(sentence: str, end: int, mark: str) -> str | None:
    """The metric word just after the aside opened by ``mark``, read from ``end`` (its last figure's end, or its
    first words' when it has no figure): "…, including two children, were killed" is killed; None when the aside
    does not close within a few words or no metric word follows it directly."""
    if mark not in _ASIDES:
        return None
    tokens = _tokens(sentence, end, len(sentence))
    close = next((k for k, t in enumerate(tokens[:12]) if _ends_clause(t[2])), None)
    if close is None or tokens[close][2] not in _ASIDES[mark]:
        return None
    for k in range(close + 1, min(close + 1 + _WINDOW, len(tokens))):
        cue = _cue_at(tokens, k)
        if cue:
            return cue[0]
        if tokens[k][2] not in _ASIDE_LINKS:
            return None
    return None
