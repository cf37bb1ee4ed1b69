"""The pipeline: sentences → figure phrases → metric, group, attribution and date for each → candidates.

Pure: plain strings in, :class:`Candidate` records out; nothing is recorded.
Each candidate's quote is its whole sentence, so it is found verbatim in the
document. A figure's speaker is the attribution of its own sentence (the
nearest before it, else the first after it: "…, the Iraq military said");
a sentence with none takes the last indirect attribution of the same
paragraph ("The observatory said that … . It added that …"), or the direct one
whose quotation it continues. Otherwise the figure has no speaker: the
outlet states it itself. An article that an act or a list counts as one
person ("killing four militants and a soldier") is a figure too
(``ledger.extract.persons``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ledger.extract.attribution import attributions
from ledger.extract.metrics import (aside_after, group_after, included_in, is_back_reference, listed_after,
                                    listed_before, metric_after_aside, nearest_metric)
from ledger.extract.persons import COUNTED, LISTED, LISTED_AFTER, LISTED_BEFORE, NOTE, counted_ones
from ledger.extract.phrases import Phrase, figure_phrases
from ledger.extract.records import Attribution, Candidate, Sentence, StatedDate
from ledger.extract.sentences import split_sentences
from ledger.extract.when import stated_dates

EXTRACTOR = "ledger-rules"
VERSION = "1"


def extract(text: str, published: date | None = None) -> list[Candidate]:
    """Every candidate claim in ``text``, in the order the figures appear; dates resolved against ``published``."""
    candidates: list[Candidate] = []
    previous: Attribution | None = None
    carried: Attribution | None = None  # the attribution a later sentence of the same paragraph may inherit
    paragraph = -1
    for sentence in split_sentences(text):
        if sentence.paragraph != paragraph:
            paragraph, carried = sentence.paragraph, None
        found = attributions(sentence.text, sentence.start, previous)
        inherited = carried if carried and (not carried.direct or sentence.text[:1] in "“\"«") else None
        candidates += _candidates(sentence, figure_phrases(sentence.text), found, inherited, published)
        if found:
            previous = found[-1][1]
            carried = previous
    return candidates


def _speakers(found: list[tuple[int, Attribution]]) -> list[tuple[int, Attribution]]:
    """The attributions that name a figure's speaker: those another one only relays are left out."""
    kept = []
    for k, (position, attribution) in enumerate(found):
        later = found[k + 1][1] if k + 1 < len(found) else None
        if later is not None and attribution.speaker in later.relays:
            continue
        kept.append((position, attribution))
    return kept


def _attribution_for(phrase: Phrase, found: list[tuple[int, Attribution]], inherited: Attribution | None):
    before = [a for position, a in found if position < phrase.start]
    if before:
        return before[-1], None
    after = [a for position, a in found if position >= phrase.end]
    if after:
        return after[0], None
    if inherited is not None:
        return inherited, "speaker carried from an earlier sentence of the paragraph"
    return None, None


def _candidates(sentence: Sentence, phrases: list[Phrase], found, inherited, published) -> list[Candidate]:
    """The sentence's candidates, with the articles that count one person (``ledger.extract.persons``): one that no
    act counts stands only if a list shares a counted metric with it; the sentence is read again without those
    that do not, until all stand, so that no dropped article changes what the other figures read."""
    ones = counted_ones(sentence.text, phrases, [a for _, a in found], sentence.start)
    merged = sorted([*phrases, *ones], key=lambda p: p.start)
    while merged:
        out = _proposals(sentence, merged, found, inherited, published)
        kept = [p for p, c in zip(merged, out) if not p.person or (c.metric in COUNTED and (
            p.act is not None or any(note in c.notes for note in LISTED)))]
        if len(kept) == len(merged):
            return out
        merged = kept
    return []


def _proposals(sentence: Sentence, phrases: list[Phrase], found, inherited, published) -> list[Candidate]:
    speakers = _speakers(found)
    dates = stated_dates(sentence.text, published, sentence.start)
    out: list[Candidate] = []
    metrics: list[str | None] = []
    follows: list[bool] = []  # whether the figure's metric word follows it, so a group listed before shares it
    groups: list[str | None] = []
    for k, phrase in enumerate(phrases):
        notes: list[str] = []
        prev_end = phrases[k - 1].end if k else 0
        next_start = phrases[k + 1].start if k + 1 < len(phrases) else len(sentence.text)
        metric, _, after = nearest_metric(sentence.text, phrase.start, phrase.end, prev_end, next_start)
        listed = k > 0 and listed_after(sentence.text, prev_end, phrase.start)
        included = k > 0 and included_in(sentence.text, prev_end, phrase.start) is not None
        if phrase.remainder:
            metric = phrase.remainder
        elif phrase.act is not None:
            metric, after = phrase.act, phrase.act_follows
        elif metric is None and listed and metrics[-1] is not None:
            metric = metrics[-1]
            notes.append(LISTED_BEFORE)
        group = _group(sentence.text, phrase, groups, listed or included)
        if phrase.person:
            notes.append(NOTE)
        attribution, note = _attribution_for(phrase, speakers, inherited)
        if note:
            notes.append(note)
        metrics.append(metric)
        follows.append(after and not phrase.remainder)
        groups.append(group)
        out.append(Candidate(
            text=sentence.text[phrase.start:phrase.end], span=(sentence.start + phrase.start, sentence.start + phrase.end),
            value=phrase.value, low=phrase.low, high=phrase.high, quote=sentence.text,
            quote_span=(sentence.start, sentence.end), metric=metric, group=group, attribution=attribution,
            date=_nearest_date(dates, sentence.start + phrase.start), notes=tuple(notes)))
    _share_through_asides(sentence.text, phrases, metrics, follows, out)
    _share_backwards(sentence.text, phrases, metrics, follows, out)
    return out


def _share_through_asides(sentence: str, phrases: list[Phrase], metrics: list[str | None], follows: list[bool],
                          out: list[Candidate]) -> None:
    """ "Five people, including two children, were killed": a figure with no metric before an aside that names part
    of its group takes the metric word after the aside; "12 people were killed, including three children": the
    figures in the aside with none take the metric of the figure they are part of."""
    for k, phrase in enumerate(phrases):
        limit = phrases[k + 1].start if k + 1 < len(phrases) else len(sentence)
        aside = aside_after(sentence, phrase.end, limit)
        if aside is None:
            continue
        last = k  # the aside's last figure: "including two children and three women"
        if k + 1 < len(phrases) and included_in(sentence, phrase.end, phrases[k + 1].start) is not None:
            last = k + 1
            while last + 1 < len(phrases) and listed_after(sentence, phrases[last].end, phrases[last + 1].start):
                last += 1
        if metrics[k] is None:
            metric = metric_after_aside(sentence, phrases[last].end if last > k else aside[1], aside[0])
            if metric is not None:
                metrics[k], follows[k] = metric, True
                out[k] = replace(out[k], metric=metric, notes=(*out[k].notes, "metric named after the aside"))
        for j in range(k + 1, last + 1):
            if metrics[j] is None and metrics[k] is not None:
                metrics[j] = metrics[k]
                out[j] = replace(out[j], metric=metrics[j], notes=(*out[j].notes, "metric of the figure it is part of"))


def _share_backwards(sentence: str, phrases: list[Phrase], metrics: list[str | None], follows: list[bool],
                     out: list[Candidate]) -> None:
    """ "Six soldiers and 19 militants were killed": a figure with no metric listed before one whose metric word
    follows the list takes it. A lone comma joins only inside a longer list ("Six soldiers, three police and 19
    militants"), and ", and" only after a comma ("…, three police, and 19 militants"): two groups so joined are
    two clauses more often than one list ("Six soldiers fought, and 19 militants were killed")."""
    shared = [False] * len(phrases)
    for k in range(len(phrases) - 2, -1, -1):
        if metrics[k] is not None or not follows[k + 1] or phrases[k].remainder:
            continue
        joint = listed_before(sentence, (phrases[k].start, phrases[k].end), (phrases[k + 1].start, phrases[k + 1].end))
        in_list = k > 0 and listed_before(sentence, (phrases[k - 1].start, phrases[k - 1].end),
                                          (phrases[k].start, phrases[k].end)) == ","
        if joint == "and" or (joint == "," and shared[k + 1]) or (joint == ", and" and in_list):
            metrics[k], follows[k], shared[k] = metrics[k + 1], True, True
            out[k] = replace(out[k], metric=metrics[k], notes=(*out[k].notes, LISTED_AFTER))


def _group(sentence: str, phrase: Phrase, groups: list[str | None], listed: bool) -> str | None:
    if phrase.remainder:  # "all the fugitives were arrested": the words between "all" and the verb
        words = sentence[phrase.start:phrase.end].split()[1:-1]
        words = [w for w in words if w.casefold() not in ("the", "of", "were", "was", "have", "had", "been", "are")]
        return " ".join(words) or None
    group = group_after(sentence, phrase.end)
    if is_back_reference(group) and groups and (listed or group is not None):
        return groups[-1]
    return group


def _nearest_date(dates: list[StatedDate], position: int) -> StatedDate | None:
    if not dates:
        return None
    return min(dates, key=lambda d: min(abs(d.span[0] - position), abs(d.span[1] - position)))
