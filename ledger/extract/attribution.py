"""Who said it: the attributions of a sentence, with relays, as news copy writes them.

Forms read (verbs in :data:`_VERBS`):

- ``SPEAKER said (that) …`` and ``…, SPEAKER said.`` (or ``…, residents say.``): the speaker is the words
  before the verb back to the clause's start; an appositive wins over a title
  ("The Commander-in-Chief of the SDF, Mazloum Abdi, tweeted" → Mazloum Abdi) and
  a participle phrase is passed over ("Official reports, following police
  action, insist" → Official reports);
- ``“…,” said SPEAKER, TITLE.``: the speaker follows the verb;
- ``according to SPEAKER``;
- ``SPEAKER told LISTENER that …``: the listener is kept apart from the speaker;
- relays: ``R reported that S stated …`` (one attribution in the words another
  reports), ``a statement carried by R`` / ``quoted by R``, and ``R, citing S``;
  ``a statement issued by S`` names its author;
- ``he said`` / ``they said`` take the speaker before them;
- wire copy: a dateline ("BAGHDAD (Reuters) -", "DAMASCUS, Jan 3 (AFP) —") is
  passed over; a relative clause ("SOHR, which relies on …, said") is not the
  speaker; ``according to what S reported`` is S; ``R quoted S as saying``,
  ``Quoting S, R said`` and ``R said, quoting S,`` are S relayed by R; ``S said
  in a statement carried by R`` is S relayed by R; ``S documented``;
  a bracketed acronym after a name ("… for Human Rights (SOHR) said") is dropped.

A sentence may hold the line breaks of hard-wrapped text: they read as spaces,
names are given with single spaces, and spans still point into the document.

An attribution is *direct* when it introduces words in quote marks; it then
vouches for nothing after the quotation ends.
"""

from __future__ import annotations

import re

from ledger.extract.records import Attribution, Span

def _spaced(pattern: str) -> str:
    """A pattern whose spaces match any run of whitespace: in a hard-wrapped sentence a line break stands for one."""
    return pattern.replace(" ", r"\s+")


_VERBS = _spaced(
    r"said|says|say|stated|states|state|told|tells|tell|reported|reports|reporting|tweeted|tweets|announced|announces|"
    r"confirmed|confirms|added|adds|explained|insisted|insists|insist|noted|stressed|warned|wrote|writes|posted|"
    r"revealed|estimated|estimates|declared|reads|read|asserted|indicated|quoted|issued a statement|"
    r"issued statements|put the (?:death )?toll at|put the number at|documented"
)
_VERB = re.compile(_spaced(r"\b(?:(?:is|are|was|were|has been|have been)\s+)?") + rf"(?P<verb>{_VERBS})\b",
                   re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<who>[^,.;:“”\"]+)", re.IGNORECASE)
_CITING = re.compile(r",\s*(?:citing|quoting)\s+(?P<who>[^,.;:“”\"]+)", re.IGNORECASE)
# "Quoting a security source, Reuters said …": the source is the speaker, the clause's own subject its relay.
_QUOTING = re.compile(r"(?:^|[;:]\s*)(?:quoting|citing)\s+(?P<who>[^,.;:“”\"]+),", re.IGNORECASE)
# "AFP quoted a police officer as saying that …"
_QUOTED_AS_SAYING = re.compile(r"\s+(?P<who>[^,.;:“”\"]+?)\s+as\s+(?:saying|stating|telling\s+\S+)\b", re.IGNORECASE)
# "said in a statement carried by SANA that …": the relay named after the verb
_CARRIED_AFTER = re.compile(r"\s*,?\s*(?:in|on|via|through)\s+[^,.;:“”\"]{0,60}?\b(?:carried|published|quoted|cited|"
                            r"relayed|reported|broadcast|aired)\s+by\s+(?P<who>[^,.;:“”\"]+?)(?=\s+that\b|[,.;:]|$)",
                            re.IGNORECASE)
# "BAGHDAD (Reuters) -", "DAMASCUS, Jan 3 (AFP) —": a dateline, before the first clause
_CAPITALISED = r"[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){0,3}"
_PLACE = r"(?:[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){0,2}|[A-Z][a-z'’-]+)"  # BAGHDAD, NEW YORK, Beirut; not "The SDF"
_DATELINE = re.compile(rf"^\W*{_PLACE}(?:,\s*(?:[A-Z][a-z]+\.?\s+\d{{1,2}}|{_CAPITALISED}))?\s*"
                       rf"\((?:{_CAPITALISED}|[a-z]{{2,5}})\)\s*[-–—]+\s*")
_BRACKETED = re.compile(r"\s*\([^()]*\)$")  # "The Syrian Observatory for Human Rights (SOHR)"
_HARD_BOUNDARY = re.compile(r"[;:“”\"«»—–(]|\bthat\b|\bwhile\b|\balthough\b|\bwhereas\b|\bbut\b")
_LEADING = re.compile(_spaced(r"^(?:(?:and|but|also|so|then|meanwhile|however|moreover|while|although|as|news agency)"
                              r"\s+)+"), re.IGNORECASE)
_TRAILING = re.compile(_spaced(r"(?:\s+(?:have|has|had|also|have also|has also|had also|already|further|later|earlier|"
                               r"is|are|was|were|had been|has been|have been|again))+$"), re.IGNORECASE)
_AUTHOR = re.compile(_spaced(r"\b(?:issued|released|published|signed|posted|made)\s+by\s+(?P<who>.+)$|"
                             r"\b(?:claiming to be |said to be )?from\s+(?P<from>.+)$"), re.IGNORECASE)
_RELAYED_BY = re.compile(r"\b(?:carried|quoted|cited|relayed|reported|broadcast|aired)\s+by\s+(?P<who>[^,]+)",
                         re.IGNORECASE)
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "the source", "the sources", "the official", "the officials"}
_NOT_SPEAKERS = {"", "this", "that", "which", "who", "it", "there", "what", "a", "an", "the"}
_MAX_WORDS = 14


def _clean(name: str) -> str:
    name = _LEADING.sub("", name.strip(" ,"))
    name = _TRAILING.sub("", name).strip(" ,")
    return _BRACKETED.sub("", name) or name


def _segment_speaker(words: str, base: int) -> tuple[str, Span, tuple[str, ...]] | None:
    """The speaker in the words before a verb (back to the clause's start), its span, and any relays named."""
    relays = tuple(_clean(m.group("who")) for m in _RELAYED_BY.finditer(words))
    segments = [(m.start(), m.group(0)) for m in re.finditer(r"[^,]+", words)]
    for start, segment in reversed(segments):
        text = segment.strip()
        if not text:
            continue
        offset = base + start + segment.index(text)
        author = _AUTHOR.search(text)
        if author and (author.group("who") or (author.group("from") and re.search(r"\b(statement|message|claim|video|letter|post)", words, re.I))):
            who = author.group("who") or author.group("from")
            name = _clean(who)
            return name, (offset + text.index(who.strip()), offset + text.index(who.strip()) + len(who.strip())), relays
        first = text.split()[0]
        if first.endswith("ing") or first.casefold() in ("in", "on", "at", "after", "before", "during", "following",
                                                           "despite", "amid", "with", "for", "since", "speaking"):
            if segment is not segments[0][1]:
                continue  # "following police action": a participle or an adverbial, not the speaker
        if _RELAYED_BY.search(text):
            continue
        if first.casefold() in ("which", "who", "whose", "whom", "where") and segment is not segments[0][1]:
            continue  # "SOHR, which relies on sources inside Syria, said": a relative clause, not the speaker
        name = _clean(text)
        if name.casefold() in _NOT_SPEAKERS or len(name.split()) > _MAX_WORDS or name[:1].isdigit():
            return None
        begin = offset + text.index(name) if name in text else offset
        return name, (begin, begin + len(name)), relays
    return None


def attributions(sentence: str, base: int = 0, previous: Attribution | None = None) -> list[tuple[int, Attribution]]:
    """(position of the verb in the sentence, attribution) for each attribution in ``sentence``, in order.

    ``base`` shifts spans to document offsets; ``previous`` is the last speaker before this sentence, for "he said".
    Attributions that only relay another keep their place so a figure before them is not given the relayed one.
    """
    sentence = sentence.replace("\r", " ").replace("\n", " ")  # a hard-wrapped sentence; the same length, so spans hold
    found: list[tuple[int, Attribution]] = []
    dateline = _DATELINE.match(sentence)
    clause_start = dateline.end() if dateline else 0
    according = list(_ACCORDING.finditer(sentence))
    for match in _VERB.finditer(sentence):
        verb = match.group("verb").casefold()
        if not _is_verb(sentence, match) or any(m.start() <= match.start() < m.end() for m in according):
            continue
        if re.match(r"\s+by\b", sentence[match.end():]):
            continue  # "a statement reported by SANA": a relay or an author, read with the clause that names it
        inverted = _inverted(sentence, match)
        if inverted:
            found.append((match.start(), inverted(base)))
            clause_start = match.end()
            continue
        boundary = max([clause_start] + [m.end() for m in _HARD_BOUNDARY.finditer(sentence, 0, match.start())
                                         if m.group() != "(" or ")" not in sentence[m.end():match.start()]])
        words = sentence[boundary:match.start()]
        speaker = _segment_speaker(words, base + boundary)
        if speaker is None:
            continue
        name, span, relays = speaker
        if " ".join(name.split()).casefold() in _PRONOUNS:
            if previous is None:
                continue
            name, relays = previous.speaker, previous.relays
        chained = found[-1][1] if found and _follows(sentence, found[-1], boundary) else None
        if chained is not None:
            relays = (*relays, chained.speaker, *chained.relays)
        clause_start = match.end()
        quoted = _QUOTED_AS_SAYING.match(sentence, match.end()) if verb == "quoted" else None
        if quoted:  # "AFP quoted a police officer as saying": the officer speaks, AFP relays
            relays, clause_start = (name, *relays), quoted.end()
            name = _clean(quoted.group("who"))
            span = _span_of(name, sentence, quoted.start("who"), base)
        carried = _CARRIED_AFTER.match(sentence, match.end())
        if carried:
            relays = (*relays, _clean(carried.group("who")))
        listener = _listener(sentence, match) if verb in ("told", "tells", "tell") else None
        direct = bool(re.match(r"\s*[:,]?\s*[“\"«]", sentence[clause_start:])) or \
            sentence[:boundary].rstrip().endswith(("”", '"', "»"))
        found.append((match.start(), Attribution(name, span, verb, tuple(dict.fromkeys(relays)), listener, direct)))
    for match in according:
        who = match.group("who")
        if re.match(r"what\s", who, re.IGNORECASE):  # "according to what the official SANA agency reported"
            said = _VERB.search(who)
            who = who[:said.start()] if said else who
            who = who[4:]
        name = _clean(who)
        found.append((match.start(), Attribution(name, _span_of(name, sentence, match.start("who"), base),
                                                 "according to")))
    for match in _CITING.finditer(sentence):
        outer = [a for pos, a in found if pos < match.start()]
        if outer:
            name = _clean(match.group("who"))
            start = base + match.start("who")
            relays = (outer[-1].speaker, *outer[-1].relays)
            found.append((match.start(), Attribution(name, (start, start + len(name)), "citing", relays)))
    found = _quoting_first(sentence, found, base, dateline.end() if dateline else 0)
    return sorted(((position, _tidy(a)) for position, a in found), key=lambda item: item[0])


def _quoting_first(sentence: str, found: list[tuple[int, Attribution]], base: int,
                   start: int) -> list[tuple[int, Attribution]]:
    """ "Quoting a security source, Reuters said …" (from ``start``, after any dateline): the clause's attribution
    becomes the source's, relayed."""
    for match in _QUOTING.finditer(sentence[start:]):
        later = [k for k, (position, _) in enumerate(found) if position >= start + match.end()]
        if not later:
            continue
        position, outer = found[later[0]]
        name = _clean(match.group("who"))
        found[later[0]] = (position, Attribution(name, _span_of(name, sentence, start + match.start("who"), base),
                                                 outer.verb,
                                                 (outer.speaker, *outer.relays), outer.listener, outer.direct))
    return found


def _span_of(name: str, sentence: str, near: int, base: int) -> Span:
    """The span of ``name`` as it stands in ``sentence`` at or after ``near``, shifted by ``base``."""
    start = sentence.find(name, near)
    start = near if start < 0 else start
    return base + start, base + start + len(name)


def _tidy(attribution: Attribution) -> Attribution:
    """Names with the spaces of a wrapped line collapsed; the spans still point at the document's own characters."""
    def tidy(name: str) -> str:
        return " ".join(name.split())
    return Attribution(tidy(attribution.speaker), attribution.span, tidy(attribution.verb),
                       tuple(dict.fromkeys(tidy(r) for r in attribution.relays)),
                       tidy(attribution.listener) if attribution.listener else None, attribution.direct)


_NOUN_OR_VERB = {"reports", "states", "state", "estimates", "read", "reads", "tweets", "posted", "say", "tell"}


def _is_verb(sentence: str, match: re.Match) -> bool:
    """ "Islamic State", "the United States", "Official reports, …", "an estimated 60": not verbs of saying."""
    word = match.group("verb")
    if word[:1].isupper() and sentence[:match.start()].strip():
        return False  # a name: Islamic State, Secretary of State
    before = sentence[:match.start()].split()
    if before and before[-1].casefold() in ("a", "an", "the", "his", "her", "their", "its"):
        return False
    if word.casefold() in _NOUN_OR_VERB:
        return bool(re.match(r"\s*(?:that\b|:|[“\"«])", sentence[match.end():])) or _trailing_say(sentence, match)
    return True


_NOT_SAYERS = {"to", "would", "could", "might", "will", "can", "may", "should", "must", "did", "do", "does", "don't",
               "didn't", "not", "i", "we", "you"}


def _trailing_say(sentence: str, match: re.Match) -> bool:
    """ "…, residents say." / "…, officials say, …": a present-tense attribution after the words it vouches for;
    not "needless to say" nor "they would say"."""
    if match.group("verb").casefold() != "say" or not re.match(r"\s*(?:,|[.!?]+[\"'”’)]*\s*$)",
                                                                 sentence[match.end():]):
        return False
    before = sentence[:match.start()]
    if "," not in before:
        return False
    words = before[before.rindex(",") + 1:].split()
    return 0 < len(words) <= 6 and words[-1].casefold() not in _NOT_SAYERS


def _follows(sentence: str, earlier: tuple[int, Attribution], boundary: int) -> bool:
    """Whether a speaker starting at ``boundary`` is reported by the attribution ``earlier`` (its verb, then "that")."""
    position, attribution = earlier
    verb_end = position + len(re.match(rf"(?:\w+\s+)?{re.escape(attribution.verb)}", sentence[position:], re.I).group(0)) \
        if re.match(rf"(?:\w+\s+)?{re.escape(attribution.verb)}", sentence[position:], re.I) else position
    gap = sentence[verb_end:boundary]
    return bool(re.fullmatch(r"\s*(?:that)?\s*", gap, re.IGNORECASE)) or (
        attribution.verb in ("reporting", "reported", "reports") and not re.search(r"[.;:]", gap))


def _inverted(sentence: str, match: re.Match):
    """ '“…,” said Adm. Brad Cooper, CENTCOM commander.' → a maker of the attribution, or None."""
    if match.group("verb").casefold() not in ("said", "says", "added", "stated", "wrote", "explained", "tweeted"):
        return None
    before = sentence[:match.start()].rstrip()
    if not before.endswith((",", "”", '"', ",”", ',"')):
        return None
    after = re.match(r"\s+(?P<who>[A-Z][^,;]*?)(?=,|\.?\s*$)", sentence[match.end():])
    if after is None:
        return None
    name = after.group("who").strip()
    start = match.end() + after.start("who")
    return lambda base: Attribution(name, (base + start, base + start + len(name)), match.group("verb").casefold(),
                                    direct=True)


def _listener(sentence: str, match: re.Match) -> str | None:
    found = re.match(r"\s+(?P<who>[^,.;:]+?)(?=\s+(?:that|in|on|at|about)\b|[,.;:]|$)", sentence[match.end():])
    return found.group("who").strip() if found else None
