"""What the extractor proposes: frozen records over plain strings and character spans."""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]  # [start, end) character offsets into the document's text


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True)
class Attribution:
    """Who said it, as written: "Reuters reported that a military source … stated" is the source, relayed by Reuters."""

    speaker: str
    span: Span  # the speaker's words
    verb: str
    relays: tuple[str, ...] = ()
    listener: str | None = None  # "told Al-Jazeera": who heard it first
    direct: bool = False  # it introduces a quotation in quote marks, and reaches no further than it


@dataclass(frozen=True)
class StatedDate:
    """A date as the article states it, and what it means against the published date."""

    text: str
    span: Span
    value: str  # ISO: 2022-01-20, a month 2025-11, a year 2021, or a period 2025-07-01..2025-12-17


@dataclass(frozen=True)
class Candidate:
    """One proposed claim: a figure phrase with its sentence (the quote), metric, group, speaker and date."""

    text: str  # the figure phrase as written: "more than 70", "all the fugitives were arrested"
    span: Span
    value: str  # what ``ledger quantity`` reads: the phrase itself, or "none" for "all … arrested"
    low: int
    high: int | None
    quote: str
    quote_span: Span
    metric: str | None = None
    group: str | None = None
    attribution: Attribution | None = None
    date: StatedDate | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def speaker(self) -> str | None:
        return self.attribution.speaker if self.attribution else None

    @property
    def relays(self) -> tuple[str, ...]:
        return self.attribution.relays if self.attribution else ()
