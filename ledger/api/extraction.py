"""Claims proposed from an article (``ledger.extract``), speakers matched to the ledger's sources, and the
accepted ones recorded with a verified quote and the extraction mark.

The extractor reads words; this module knows the ledger: a speaker as written
("The Syrian Observatory for Human Rights", "US Secretary of State Anthony
Blinken") is matched to a recorded source through the name resolution every
other command uses (``ledger.names``: aliases, normalisation, rapidfuzz), its
name alone tried when a title stands before it; a speaker matching none is
proposed as a new source. A figure with no speaker is the outlet's own. A
recorded claim's ``claim.extracted`` history entry names the extractor, its
version, the file and how the claim was accepted; the entry's user is who
accepted it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import date

from ledger.errors import InputError
from ledger.extract import EXTRACTOR, VERSION, Candidate, extract
from ledger.model import ClaimInput, Period

KNOWN, NEW, OUTLET = "known", "new", "outlet"


@dataclass(frozen=True)
class Proposal:
    """A candidate claim in the ledger's terms: who to record as its speaker and relays, and for what period."""

    number: int
    candidate: Candidate
    said_by: str | None  # a recorded source's name, the speaker as written (a new source), or the outlet
    said_by_is: str  # KNOWN, NEW or OUTLET
    via: tuple[str, ...] = ()
    new_sources: tuple[str, ...] = ()
    metric: str | None = None
    group: str | None = None
    period: Period | None = None
    recorded_as: int | None = None  # a live claim on the same document already stating this figure

    def to_dict(self) -> dict:
        c = self.candidate
        return {
            "number": self.number, "figure": c.text, "span": list(c.span), "value": c.value,
            "interval": [c.low, c.high], "metric": self.metric, "group": self.group,
            "speaker_as_written": c.speaker, "said_by": self.said_by, "said_by_is": self.said_by_is,
            "via": list(self.via), "new_sources": list(self.new_sources),
            "listener": c.attribution.listener if c.attribution else None,
            "date_as_written": c.date.text if c.date else None, "date": c.date.value if c.date else None,
            "period": self.period.label() if self.period else None,
            "quote": c.quote, "quote_span": list(c.quote_span), "notes": list(c.notes),
            "recorded_as": self.recorded_as,
        }


MAX_CHARACTERS = 2_000_000  # an article, with room to spare; past it a file is a dump or a book, read for minutes
_TEXT_BYTES = 4 * MAX_CHARACTERS + 3  # a character is at most 4 bytes in UTF-8 (+ a BOM): more cannot fit the limit
_PAGE_BYTES = 64_000_000  # an HTML page or PDF carries markup, fonts and images besides its text
_BOM = b"\xef\xbb\xbf"


def read_article(path) -> str:
    """An article file's text: plain UTF-8 text, an HTML page or a PDF with a text layer (``ledger.extract.files``),
    or one clear error: missing, a folder, empty, binary, not UTF-8, a PDF with no text, longer than
    ``MAX_CHARACTERS``. A file too large for that is refused before it is read whole."""
    from ledger.extract.files import HTML, PDF, TEXT, Unreadable, html_text, kind_of, pdf_text

    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size  # 0 for a device or pipe: the bounded read below decides then
            head = handle.read(1024)
            ceiling = _TEXT_BYTES if kind_of(path.name, head.removeprefix(_BOM)) == TEXT else _PAGE_BYTES
            if size > ceiling:
                raise _too_long(path, f"is {size:,} bytes")
            data = head + handle.read(ceiling + 1 - len(head))
            if len(data) > ceiling:
                raise _too_long(path, f"is more than {ceiling:,} bytes")
    except IsADirectoryError:
        raise InputError("FILE", str(path), "is a folder", "give an article's text file") from None
    except OSError as exc:
        raise InputError("FILE", str(path), f"cannot be read ({exc.strerror or exc.__class__.__name__})",
                         "give a readable UTF-8 text file") from None
    data = data.removeprefix(_BOM)  # Windows editors open UTF-8 with it; it is no part of the text quotes are found in
    if not data.strip():
        raise InputError("FILE", str(path), "is empty", "give a file holding the article's text")
    kind = kind_of(path.name, data)
    try:
        if kind == PDF:
            text = pdf_text(data)
        elif kind == HTML:
            text = html_text(data)
            if not text.strip():
                raise Unreadable("is an HTML page with no text")
        else:
            text = _plain_text(path, data)
    except Unreadable as exc:
        raise InputError("FILE", str(path), str(exc), "give the article as text, HTML or a PDF with a text layer") from None
    if len(text) > MAX_CHARACTERS:
        raise _too_long(path, f"has {len(text):,} characters")
    return text


def _plain_text(path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("FILE", str(path), "is UTF-16 text, not UTF-8", "save it as UTF-8, e.g. iconv -f utf-16 -t utf-8")
    if b"\x00" in data:
        raise InputError("FILE", str(path), "is binary, not text", "give the article as UTF-8 text, HTML or PDF")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("FILE", str(path), f"is not UTF-8 text (byte {exc.start})",
                         "save it as UTF-8, e.g. iconv -f latin1 -t utf-8") from None


def _too_long(path, size: str) -> InputError:
    return InputError("FILE", str(path), f"{size}, more than an article of at most {MAX_CHARACTERS:,} characters",
                      "give one article, or split the file")


def propose(ledger, text: str, published: date | None, outlet: str | None = None) -> list[Proposal]:
    """Every candidate in ``text`` as a proposal, speakers and relays matched to the ledger's sources.

    A listener other than ``outlet`` relays the figure ("Police told AFP" in a Reuters story: police → AFP →
    Reuters); reporters, the press and the outlet itself relay nothing."""
    index = _source_index(ledger.list_sources())
    proposals: list[Proposal] = []
    for number, candidate in enumerate(extract(text, published), start=1):
        new: list[str] = []
        if candidate.speaker is None:
            said_by, status = outlet, OUTLET
        else:
            said_by, status = _match(index, candidate.speaker)
            if status == NEW:
                said_by, status = _named_before(said_by, proposals) or (said_by, NEW)
            if status == NEW:
                new.append(said_by)
        via = []
        for relay in _relays(candidate, outlet):
            name, relay_status = _match(index, relay)
            if name in via or name == said_by or (outlet is not None and name.casefold() == outlet.casefold()):
                continue
            via.append(name)
            if relay_status == NEW:
                new.append(name)
        proposals.append(Proposal(number, candidate, said_by, status, tuple(via), tuple(dict.fromkeys(new)),
                                  candidate.metric, candidate.group, period_of(candidate.date.value if candidate.date else None, published)))
    return proposals


# Who a figure can be told to without it travelling further: a press audience, "us", or a body that hears it.
_AUDIENCE = re.compile(
    r"(?:(?:the|a|an|this|our|his|her|their)\s+)?(?:(?:local|foreign|western|international)\s+)?"
    r"(?:reporters?|journalists?|press|media|us|me|you|him|her|them|newspaper|agency|news agency|channel|station|"
    r"website|outlet|(?:news|press)\s+(?:conference|briefing)|briefing|parliament|lawmakers|legislators|congress|senate|"
    r"court|council|security council|crowd|supporters|audience|television|radio|state media|state television)", re.I)


def _relays(candidate: Candidate, outlet: str | None) -> list[str]:
    """The candidate's relays, from the speaker outwards: whoever heard it first (a named listener), then those
    that carried it."""
    listener = candidate.attribution.listener if candidate.attribution else None
    heard = listener is not None and not _AUDIENCE.fullmatch(listener.strip()) and listener[:1].isupper()
    if heard and outlet is not None and listener.casefold().removeprefix("the ") == outlet.casefold():
        heard = False
    return ([listener] if heard else []) + list(candidate.relays)


_ANONYMOUS_SINGULAR = {"source", "official", "witness", "eyewitness", "resident", "medic", "paramedic", "officer",
                       "activist", "diplomat", "doctor", "aide", "insider", "commander", "soldier", "fighter"}
_ANONYMOUS_PLURAL = {"sources", "officials", "witnesses", "eyewitnesses", "residents", "medics", "paramedics",
                     "officers", "activists", "diplomats", "doctors", "aides", "insiders", "commanders", "soldiers",
                     "fighters"}
_COUNTS = {"a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "some",
           "many", "few", "various", "numerous", "multiple", "other", "another", "more", "most", "dozens", "the"}


def is_anonymous(name: str) -> bool:
    """A speaker no one is named as: "a military source in the US-backed Syrian Democratic Forces", "two
    officials", "SDF officials", "the witness". Such a speaker belongs to no named source its words mention.
    "Senior official Farhad Shami" (a title before a name) and "Doctors Without Borders" are named."""
    words = [w.strip(",;:'\"“”") for w in name.split()]
    for position, word in enumerate(words):
        noun = word.casefold()
        if noun not in _ANONYMOUS_SINGULAR and noun not in _ANONYMOUS_PLURAL:
            continue
        after = words[position + 1:]
        if after and all(w[:1].isupper() for w in after):
            return False  # a title before a name, or a name holding the word
        return noun in _ANONYMOUS_PLURAL or words[0].casefold() in _COUNTS
    return False


_TITLES = {"secretary", "minister", "prime", "president", "commander", "commander-in-chief", "spokesman",
           "spokeswoman", "spokesperson", "general", "gen.", "adm.", "admiral", "col.", "colonel", "lt.", "maj.", "capt.",
           "brig.", "gov.", "governor", "mayor", "chief", "director", "head", "state", "of", "foreign", "defence",
           "defense", "interior", "us", "u.s.", "uk", "un", "deputy", "senior", "official", "mr.", "mrs.", "ms.", "dr."}


def _named_before(name: str, proposals: list[Proposal]) -> tuple[str, str] | None:
    """ "The observatory" after "The Syrian Observatory for Human Rights" in the same article is that speaker;
    "US Secretary of State Anthony Blinken", a new name, is recorded as "Anthony Blinken". An anonymous speaker
    ("the source") is only ever an earlier anonymous one, and keeps its words whole."""
    words = name.split()
    anonymous = is_anonymous(name)
    if words and words[0].casefold() == "the" and 1 < len(words) <= 3:
        wanted = {w.casefold() for w in words[1:]}
        for earlier in reversed(proposals):
            speaker = earlier.candidate.speaker or ""
            if earlier.said_by and wanted <= {w.casefold() for w in speaker.split()} and (not anonymous or is_anonymous(speaker)):
                return earlier.said_by, earlier.said_by_is
    if anonymous:
        return None
    tail: list[str] = []
    for word in reversed(words):
        if word.casefold() in _TITLES or not (word[:1].isupper() or word.startswith(("al-", "el-", "bin", "ibn"))):
            break
        tail.insert(0, word)
    # only a title strips: "Secretary of State Anthony Blinken", not "Syrian Observatory for Human Rights"
    if 2 <= len(tail) < len(words) and words[-len(tail) - 1].casefold() in _TITLES:
        return " ".join(tail), NEW
    return None


def _source_index(sources):
    from ledger.names import NameIndex

    names = [s.name for s in sources]
    aliases = {alias: s.name for s in sources for alias in s.aliases}
    return NameIndex(names, aliases)


def _match(index, written: str) -> tuple[str, str]:
    """A recorded source's name for the words as written, or the words themselves as a new source. The last
    words are tried alone ("US Secretary of State Anthony Blinken"), except for an anonymous speaker: "a military
    source in the Syrian Democratic Forces" is not the SDF."""
    words = written.split()
    tries = [written]
    if not is_anonymous(written):
        tries += [" ".join(words[-k:]) for k in (4, 3, 2) if len(words) > k and words[-k][:1].isupper()]
    for attempt in tries:
        found = index.resolve(attempt)
        if found.merged and found.canonical:
            return found.canonical, KNOWN
    return re.sub(r"^[Tt]he\s+(?=[A-Z])", "", written), NEW  # "the US Department of Defense" → its name


def period_of(value: str | None, published: date | None) -> Period | None:
    """A stated date as the period a claim covers: a day is "as of" it, a month or a year its whole span
    (up to publication when it is the current one), a period itself."""
    if not value:
        return None
    if ".." in value:
        start, end = value.split("..")
        return Period(date.fromisoformat(start), date.fromisoformat(end))
    if len(value) == 10:
        return Period(None, date.fromisoformat(value))
    if len(value) == 7:
        year, month = map(int, value.split("-"))
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
        return Period(first, min(date.fromordinal(last), published or date.max))
    year = int(value)
    return Period(date(year, 1, 1), min(date(year, 12, 31), published or date.max))


def record(ledger, proposal: Proposal, event: str, document_id: int, file_name: str, review: str):
    """Record one accepted proposal on document ``document_id``; new speakers become sources.

    Returns the claim. The quote is the figure's whole sentence, checked against the document's text.
    """
    from ledger.figures import parse_quantity

    if not proposal.metric:
        raise InputError("--metric", proposal.metric or "", f"is unknown for candidate {proposal.number}",
                         "edit it in --review and give the metric (killed, arrested …)")
    for name in proposal.new_sources:
        try:
            ledger.add_source(name, kind=_kind_of(name))
        except InputError:
            pass  # recorded meanwhile, under that name or an alias of it
    c = proposal.candidate
    claim = ClaimInput(event=event, metric=proposal.metric, value=parse_quantity(c.value, proposal.metric),
                       said_by=proposal.said_by, group=proposal.group, via=proposal.via, document_id=document_id,
                       period=proposal.period, quote=c.quote)
    mark = {"extractor": EXTRACTOR, "version": VERSION, "file": file_name, "review": review, "span": list(c.span)}
    return ledger.store.add_claim(claim, create_sources=True, extracted=mark)


def with_recorded(ledger, proposals: list[Proposal], document_id: int) -> list[Proposal]:
    """The proposals, each naming the live claim on document ``document_id`` that already states its figure:
    the same interval where that claim's quote holds the figure's words, or, for a claim recorded without a
    quote span, the same interval said by the same source. Run twice over one article, or after the claims
    were typed in by hand, extraction then proposes nothing twice."""
    from ledger.storage.readers import iter_claims

    citing = ledger.claims_citing(document_id)
    claims = list(iter_claims(ledger.store, claim_ids=citing, include_retracted=False)) if citing else []

    def same_figure(proposal: Proposal, claim) -> bool:
        c = proposal.candidate
        if (claim.value.low, claim.value.high) != (c.low, c.high):
            return False
        if claim.quote_span is not None:
            return claim.quote_span.start <= c.span[0] and c.span[1] <= claim.quote_span.end
        return proposal.said_by is not None and proposal.said_by == claim.said_by

    return [replace(p, recorded_as=next((claim.id for claim in claims if same_figure(p, claim)), None)) for p in proposals]


def _kind_of(name: str) -> str:
    return "anonymous" if is_anonymous(name) or re.search(r"\b(?:sources?|officials?|witness(?:es)?|residents?)\b", name, re.I) else "other"


def edited(proposal: Proposal, **changes) -> Proposal:
    """The proposal with the reviewer's changes (``metric``, ``group``, ``said_by``, ``via``, ``period``): an edited
    speaker or relay is recorded as given, a new source when the ledger has none of that name."""
    if "said_by" in changes and changes["said_by"] != proposal.said_by:
        changes.setdefault("said_by_is", NEW)
    said_by, via = changes.get("said_by", proposal.said_by), changes.get("via", proposal.via)
    changes["new_sources"] = tuple(n for n in proposal.new_sources if n == said_by or n in via)
    return replace(proposal, **changes)


def same_document(ledger, text: str, **given):
    """The recorded document holding ``text`` that nothing given says is another one: each of ``given``
    (``outlet``, ``published``, ``url``, ``title``, ``archive_url``, ``retrieved``) that is not None is the same
    on it. The first recorded if several; else None. Extracting an article again then records on it, and the
    claims it already holds are not recorded twice; the same text under another outlet is another document."""
    for document in ledger.store.documents_holding(text):
        if all(value is None or value == getattr(document, field) for field, value in given.items()):
            return document
    return None


def marks(ledger) -> dict[int, dict]:
    """Claim id → how it was extracted: ``extractor``, ``version``, ``file``, ``review``, ``span``, ``accepted_by``."""
    from ledger.storage.audit import extraction_marks

    return extraction_marks(ledger.store)
