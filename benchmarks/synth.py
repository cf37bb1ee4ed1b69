"""Realistic synthetic claims for the scale benchmark, written as a `ledger import` JSONL file.

Deterministic for a seed. Shaped like a conflict monitor's data, not like a
uniform table: thousands of events (one per ~40 claims) named after places
with transliteration variants ("Kafr Nabouda" / "Kafr Nabuda"), several
metrics and groups per event, hundreds of sources with aliases and spelling
variants (case, spacing, acronyms), every value kind, as-of dates and periods,
relays, documents with article text shared by several claims (so sums of
parts are derived), most claims quoting their document verbatim (so the import
checks every quote against an article, the path users pay for), and
retractions.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta

CLAIMS_PER_EVENT = 40
ONSETS = ["k", "b", "d", "gh", "h", "j", "m", "n", "q", "r", "s", "sh", "t", "z", "kh", "dh"]
VOWELS = ["a", "i", "u", "ou", "ee", "ay"]
KINDS = ["market bombing", "prison attack", "airstrike", "shelling", "ambush", "raid", "clashes", "drone strike"]
METRICS = [("killed", 0.45), ("injured", 0.2), ("dead", 0.05), ("arrested", 0.1), ("displaced", 0.1), ("missing", 0.1)]
GROUPS = [None, None, None, "civilians", "children", "SDF fighters", "ISIS fighters", "government forces", "police"]
SOURCE_KINDS = ["ngo", "media", "government", "armed-group", "person", "anonymous", "other"]
WORDS = ["Syrian", "Kurdish", "Iraqi", "Northern", "Independent", "National", "Regional", "Free", "United", "Civil"]
BODIES = ["Observatory", "Network", "News Agency", "Defence", "Monitor", "Press", "Council", "Centre", "Committee", "Radio"]
FIELDS = ["Human Rights", "Documentation", "Civil Defence", "Media", "Justice", "Relief", "Peace", "Truth"]


def _place(rng: random.Random) -> str:
    words = []
    for _ in range(rng.choice((1, 2, 2))):
        word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(rng.choice((2, 3))))
        words.append(word.capitalize())
    return " ".join(words)


def _variant(name: str, rng: random.Random) -> str:
    """A spelling a second source might use: transliteration, case or word order."""
    roll = rng.random()
    if roll < 0.4:
        return name.replace("ou", "u").replace("ee", "i")
    if roll < 0.7:
        return name.lower()
    return "  ".join(name.split())


def sources(n_sources: int, rng: random.Random) -> list[dict]:
    out, seen = [], set()
    while len(out) < n_sources:
        name = f"{rng.choice(WORDS)} {rng.choice(BODIES)} for {rng.choice(FIELDS)} {len(out) + 1}"
        if name in seen:
            continue
        seen.add(name)
        aliases = []
        if rng.random() < 0.6:
            aliases.append("".join(w[0] for w in name.split() if w[0].isupper()) + str(len(out) + 1))
        if rng.random() < 0.3:
            aliases.append(name.replace(" for ", " of "))
        out.append({"record": "source", "name": name, "kind": rng.choice(SOURCE_KINDS), "aliases": aliases,
                    "affiliation": None, "grade": rng.choice(["A", "B", "C", "D", "E", "F", None])})
    return out


def _spoken(src: dict, rng: random.Random) -> str:
    """How a row names a source: its name, an alias, or a case/spacing variant."""
    roll = rng.random()
    if roll < 0.25 and src["aliases"]:
        return rng.choice(src["aliases"])
    if roll < 0.35:
        return src["name"].upper()
    if roll < 0.4:
        return " " + src["name"].replace(" ", "  ") + " "
    return src["name"]


def _value(true: int, rng: random.Random) -> str:
    roll = rng.random()
    noisy = max(0, true + rng.randint(-max(1, true // 10), max(1, true // 10)))
    if roll < 0.45:
        return str(noisy)
    if roll < 0.55:
        return f"more than {max(0, noisy - rng.randint(1, 5))}"
    if roll < 0.62:
        return f"at least {noisy}"
    if roll < 0.72:
        return f"between {max(0, noisy - 3)} and {noisy + 4}"
    if roll < 0.82:
        return f"about {noisy:,}"
    if roll < 0.88:
        return f"up to {noisy + 5}"
    if roll < 0.94:
        return "dozens" if 24 <= true < 100 else ("hundreds" if 200 <= true < 1000 else str(noisy))
    return "several" if true < 10 else f"nearly {noisy + 1}"


# Paragraphs around the quoted sentences, so a document reads (and costs to search) like an article.
FILLER = [
    "Residents described hours of heavy gunfire and explosions, and said families had fled towards the villages "
    "to the south, many of them on foot and with only what they could carry.",
    "Humanitarian organisations warned that hospitals in the area were running short of fuel and medicine, and "
    "that the roads used to evacuate the wounded had been cut for most of the day.",
    "The figures could not be independently verified. Communication networks in the region have been intermittent "
    "since the fighting began, and access for journalists remains restricted.",
    "Local officials said a committee had been formed to count the victims and identify the dead, and that the "
    "names would be published once families had been informed.",
    "Observers noted that earlier tolls from the same area had been revised several times as rescuers reached "
    "collapsed buildings and as the wounded died in hospital.",
]
DOC_SHARE = 0.8  # claims that cite a document, quoting it verbatim
RUN = 25  # consecutive claims from one document


def generate(n_claims: int, seed: int = 1, quotes: bool = True) -> Iterator[dict]:
    """The JSONL records: sources, then documents (article text holding their claims' sentences), then claims.

    Every claim is drawn from its own generator (seeded by its index), so the sentences each document quotes
    are worked out in a first pass, the documents written with them, and the claims drawn again identically.
    A document's claims come in runs of ``RUN`` (an article's figures recorded together), the runs of
    different documents interleaved. ``quotes=False`` leaves documents and claims without quotes or text
    (for tests that need the file's size, not the quote checks).
    """
    rng = random.Random(seed)
    n_events = max(10, n_claims // CLAIMS_PER_EVENT)
    srcs = sources(max(20, min(400, n_claims // 50)), rng)
    yield from srcs
    n_docs = max(5, n_claims // 50)
    first_day = date(2019, 1, 1)
    docs = []
    for i in range(1, n_docs + 1):
        outlet = rng.choice(srcs)
        day = first_day + timedelta(days=rng.randrange(1500))
        docs.append((i, outlet, day))
    events = []
    used_names = set()
    while len(events) < n_events:
        place = _place(rng)
        name = f"{place} {rng.choice(KINDS)} {rng.randrange(2015, 2025)}"
        if name in used_names:
            continue
        used_names.add(name)
        metrics = rng.sample([m for m, _ in METRICS], 2)
        groups = rng.sample(GROUPS, 3)
        truth = {(m, g): rng.choice((rng.randint(1, 12), rng.randint(10, 120), rng.randint(100, 2000))) for m in metrics for g in groups}
        day = first_day + timedelta(days=rng.randrange(1500))
        events.append((name, list(truth.items()), day, place))
    sentences: dict[int, list[str]] = {}
    for i in range(n_claims if quotes else 0):
        row = _claim(i, seed, events, srcs, docs, n_docs)
        if "doc" in row:
            sentences.setdefault(row["doc"], []).append(row["quote"])
    for i, outlet, day in docs:
        said = sentences.get(i, [])
        paragraphs = [f"{outlet['name']} reported on {day.isoformat()}."]
        for n, sentence in enumerate(said):
            paragraphs.append(sentence)
            if n % 3 == 2:
                paragraphs.append(FILLER[(i + n) % len(FILLER)])
        paragraphs += FILLER[: max(1, 5 - len(said) // 3)]
        document = {"record": "document", "id": i, "outlet": outlet["name"], "published": day.isoformat(),
                    "url": f"https://example.org/{i}", "title": f"Report {i}", "text": "\n\n".join(paragraphs)}
        if not quotes:
            del document["text"]
        yield document
    sentences.clear()
    for i in range(n_claims):
        row = _claim(i, seed, events, srcs, docs, n_docs)
        if not quotes:
            row.pop("quote", None)
            row.pop("unverified_quote", None)
        yield row


def _claim(i: int, seed: int, events, srcs, docs, n_docs: int) -> dict:
    rng = random.Random(seed * 1_000_003 + i)
    name, keys, day, place = events[(i * 7919) % len(events)]  # spread each event's claims through the file
    (metric, group), true = rng.choice(keys)
    src = rng.choice(srcs)
    row: dict = {"event": name if rng.random() < 0.85 else _variant(name, rng), "metric": metric,
                 "value": _value(true, rng), "said_by": _spoken(src, rng)}
    if group:
        row["group"] = group if rng.random() < 0.9 else group.capitalize()
    roll = rng.random()
    if roll < 0.3:
        row["via"] = [_spoken(rng.choice(srcs), rng)]
    elif roll < 0.35:
        row["via"] = [_spoken(rng.choice(srcs), rng), _spoken(rng.choice(srcs), rng)]
    if rng.random() < DOC_SHARE:
        row["doc"] = docs[(i // RUN) % n_docs][0]
        # The sentence the document prints, quoted verbatim: it states the figure in the claim's own words.
        row["quote"] = (f"{src['name']} said that {row['value']} {group or 'people'} were {metric} in {place} "
                        f"(report {i}).")
    elif rng.random() < 0.2:
        row["quote"] = f"{row['value']} {group or 'people'} {metric} in {place}"
        row["unverified_quote"] = True
    roll = rng.random()
    end = day + timedelta(days=rng.randrange(30))
    if roll < 0.5:
        row["as_of"] = end.isoformat()
    elif roll < 0.8:
        row["period"] = f"{day.isoformat()}..{end.isoformat()}"
    elif "doc" not in row:
        row["published"] = end.isoformat()
    if rng.random() < 0.3:
        row["credibility"] = rng.randint(1, 6)
    if rng.random() < 0.3:
        row["location"] = place
    if rng.random() < 0.005:
        row["retracted"] = True
    return row


def write_jsonl(path, n_claims: int, seed: int = 1, quotes: bool = True) -> dict:
    """Write the file; return counts of each record kind."""
    counts = {"source": 0, "document": 0, "claim": 0, "retracted": 0}
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with open(path, "w", encoding="utf-8") as out:
        for record in generate(n_claims, seed, quotes):
            counts[record.get("record", "claim")] += 1
            counts["retracted"] += bool(record.get("retracted"))
            out.write(dumps(record) + "\n")
    return counts
