"""Precision and recall of the extractor against a hand-checked gold file (``seeds/gold/*.gold.json``).

A proposed figure is right when its span overlaps a gold figure's span. For
speakers and metrics a proposal is right when its figure is right *and* its
speaker (or metric) is the gold one, so a figure found with the wrong speaker
counts against both precision and recall of speakers; a figure with no speaker
is right where the gold says the outlet states it itself. Names match when the
words of one hold the other's, articles and punctuation aside ("US Secretary
of State Anthony Blinken" is "Anthony Blinken"), or the gold's ``speaker_is``.
Relays are scored as (speaker, relay) pairs over every attribution in the
article, attributions by their span and speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ledger.extract.attribution import attributions
from ledger.extract.extractor import extract
from ledger.extract.records import Attribution, Candidate
from ledger.extract.sentences import split_sentences


@dataclass(frozen=True)
class Score:
    right: int  # gold items found
    proposed: int
    expected: int
    right_proposed: int | None = None  # proposals that are right, when it differs from ``right`` (attributions)

    @property
    def precision(self) -> float | None:
        right = self.right if self.right_proposed is None else self.right_proposed
        return right / self.proposed if self.proposed else None

    @property
    def recall(self) -> float | None:
        return self.right / self.expected if self.expected else None


MEASURES = ("figures", "speakers", "metrics", "relays", "attributions", "dates")


def _words(name: str | None) -> frozenset[str]:
    if not name:
        return frozenset()
    folded = re.sub(r"[^\w\s-]", " ", name.casefold()).replace("-", " ")
    return frozenset(w for w in folded.split() if w not in ("the", "a", "an", "of", "news", "agency"))


def same_name(found: str | None, gold: str | None, gold_is: str | None = None) -> bool:
    """Whether a proposed name is the gold one (either holds the other's words), or the source it stands for."""
    if not found or not gold:
        return not found and not gold
    mine = _words(found)
    return any(theirs and (mine <= theirs or theirs <= mine) for theirs in (_words(gold), _words(gold_is)))


def _overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def document_attributions(text: str) -> list[Attribution]:
    """Every attribution the extractor reads in ``text``, in order."""
    found, previous = [], None
    for sentence in split_sentences(text):
        for _, attribution in attributions(sentence.text, sentence.start, previous):
            found.append(attribution)
            previous = attribution
    return found


def score(gold: dict, text: str) -> dict[str, Score]:
    """Each measure of :data:`MEASURES` for one gold file against the extractor's proposals on ``text``."""
    published = date.fromisoformat(gold["published"]) if gold.get("published") else None
    proposed = extract(text, published)
    figures = gold["figures"]
    pairs = _pair(proposed, figures)
    right_speaker = sum(same_name(c.speaker, g["speaker"], g.get("speaker_is")) for c, g in pairs)
    right_metric = sum((c.metric or "").casefold() == (g["metric"] or "").casefold() for c, g in pairs)
    right_date = sum((c.date.value if c.date else None) == g.get("date") for c, g in pairs)
    found = document_attributions(text)
    expected_relays = {(a["speaker"], r, a.get("speaker_is")) for a in gold["attributions"] for r in a.get("relays", [])}
    expected_relays |= {(f["speaker"], r, f.get("speaker_is")) for f in figures for r in f.get("relays", [])}
    proposed_relays = [(a.speaker, r) for a in found for r in a.relays]
    right_relays = sum(any(same_name(s, gs, gi) and same_name(r, gr) for gs, gr, gi in expected_relays)
                       for s, r in proposed_relays)
    def stated(a: Attribution, g: dict) -> bool:  # an outer relay ("Reuters reported that …") is right too
        return _overlap(a.span, g["span"]) and (same_name(a.speaker, g["speaker"], g.get("speaker_is")) or
                                                any(same_name(a.speaker, r) for r in g.get("relays", [])))
    right_attributions = sum(any(stated(a, g) and same_name(a.speaker, g["speaker"], g.get("speaker_is"))
                                 for a in found) for g in gold["attributions"])
    right_proposed = sum(any(stated(a, g) for g in gold["attributions"]) for a in found)
    n, m = len(proposed), len(figures)
    return {
        "figures": Score(len(pairs), n, m),
        "speakers": Score(right_speaker, n, m),
        "metrics": Score(right_metric, n, m),
        "relays": Score(right_relays, len(proposed_relays), len(expected_relays)),
        "attributions": Score(right_attributions, len(found), len(gold["attributions"]), right_proposed),
        "dates": Score(right_date, n, m),
    }


def _pair(proposed: list[Candidate], figures: list[dict]) -> list[tuple[Candidate, dict]]:
    """Each gold figure with the first unpaired proposal overlapping it."""
    pairs, used = [], set()
    for g in figures:
        for k, c in enumerate(proposed):
            if k not in used and _overlap(c.span, g["span"]):
                pairs.append((c, g))
                used.add(k)
                break
    return pairs


def total(scores: list[dict[str, Score]]) -> dict[str, Score]:
    """The measures summed over articles (micro-averaged)."""
    def summed(m: str) -> Score:
        right_proposed = sum(s[m].right if s[m].right_proposed is None else s[m].right_proposed for s in scores)
        return Score(*(sum(getattr(s[m], f) for s in scores) for f in ("right", "proposed", "expected")), right_proposed)
    return {m: summed(m) for m in MEASURES}
