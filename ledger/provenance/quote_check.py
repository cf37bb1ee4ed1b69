"""One claim's quote checked twice: is it in the document, and does it state the figure?

A claim may carry its quote in two languages: ``quote`` as recorded (often a
translation, as the seed article itself is from Arabic) and ``quote_original``
in the words the source spoke. The document is searched for the quote, then
for the original; whichever it holds is where the span points. The figure may
be stated in either: "٧٨ قتيلاً" states 78 as well as "78 dead".

Both ``claim add`` and ``import`` record claims through :func:`check_quote`,
so the two paths never disagree on what "verified" means.

Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger.errors import InputError
from ledger.figures import Quantity
from ledger.figures.mentions import states
# MAX_QUOTE_CHARS: a quote is the passage that states a figure, not the article; past it
# a quote is refused here first, so the error names --quote or --quote-original.
from ledger.provenance.quotes import MAX_QUOTE_CHARS, verify_quote


@dataclass(frozen=True)
class QuoteCheck:
    start: int | None = None  # the span in the document's text of whichever words it holds
    end: int | None = None
    verified: bool = False
    states_figure: bool | None = None  # None: no quote to judge


NO_QUOTE = QuoteCheck()


def states_figure(quote: str, original: str | None, value: Quantity, metric: str | None) -> bool:
    """Whether the quote, or its original words, state ``value``: what ``check_quote`` records, and a correction re-judges."""
    return states(quote, value, metric) or (bool(original) and states(original, value, metric))


def check_quote(quote: str | None, original: str | None, document_text: str | None, value: Quantity,
                metric: str | None, *, verify: bool = True) -> QuoteCheck:
    """The quote found in ``document_text`` (unless ``verify`` is off or there is no text) and judged against ``value``.

    Raises the quote's own :class:`~ledger.errors.InputError` (field
    ``quote``) when the document holds neither the quote nor its original.
    """
    if not quote:
        return NO_QUOTE
    for field, words in (("quote", quote), ("quote_original", original)):
        if words is not None and len(words) > MAX_QUOTE_CHARS:
            raise InputError(field, f"{words[:40]}…", f"is {len(words):,} characters long, over the {MAX_QUOTE_CHARS:,} a quote may hold",
                             "quote the sentences that state the figure; the document keeps the rest")
    figure = states_figure(quote, original, value, metric)
    if not verify or document_text is None:
        return QuoteCheck(states_figure=figure)
    try:
        match = verify_quote(quote, document_text)
    except InputError as refused:
        if not original:
            raise
        try:
            match = verify_quote(original, document_text)
        except InputError:
            hint = "; ".join(filter(None, [refused.hint, "the original words were not found either"]))
            raise InputError(refused.field, refused.value, refused.problem, hint) from None
    return QuoteCheck(match.start, match.end, True, figure)
