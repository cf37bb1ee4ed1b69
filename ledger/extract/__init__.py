"""Claim extraction: the figures an article states, with metric, group, speaker, relays, quote and date, proposed
for review. Pure functions over plain strings; recording is the library's business (``ledger.api.extraction``)."""

from ledger.extract.extractor import EXTRACTOR, VERSION, extract
from ledger.extract.records import Attribution, Candidate, Sentence, StatedDate
from ledger.extract.sentences import split_sentences
from ledger.extract.when import resolve_date

__all__ = ["EXTRACTOR", "VERSION", "Attribution", "Candidate", "Sentence", "StatedDate", "extract", "resolve_date",
           "split_sentences"]
