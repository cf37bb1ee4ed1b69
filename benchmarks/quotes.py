"""Quote verification cost: imports with a verified quote on every claim, and hostile quotes.

Realistic data: ~5 KB articles and a 1 MB article built from the seed
article's sentences, and quotes cut from them around a figure, retyped as
people paste them (straight quotes made curly, hyphens made dashes, line
breaks inside), so that the folding is exercised. Each figure is printed
beside a baseline measured in the same run:

- importing N claims with a quote each, against the same N claims without;
  once against one article, once against 50 articles cited in turn;
- finding, or failing to find, a quote in the 1 MB article, against
  ``str.find`` of the raw quote in the raw text (no folding, no spans);
- the hostile cases: a 10,000-character quote (the most a quote may hold) of
  the article's own words in another order, a 100,000-character quote, and a
  periodic quote in a text where casefolding expands every character.

Usage::

    .venv/bin/python benchmarks/quotes.py --claims 20000

To compare with an older version, run this same file with ``PYTHONPATH``
pointing at a checkout of it; a refusal that runs past ``--limit`` seconds
(120) is stopped and reported as such. Not a test: times are never asserted.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import tempfile
import time
from datetime import date
from pathlib import Path

from ledger import open_ledger
from ledger.errors import InputError
from ledger.provenance import quotes

SEED = (Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt").read_text(encoding="utf-8")
SENTENCES = [s.strip() for s in re.split(r"(?<=[.!?])\s+", SEED) if len(s.split()) >= 6]
ARTICLES = 50


def _article(size: int, rng: random.Random) -> str:
    """Seed sentences in a shuffled order, paragraphs every few, until ``size`` characters."""
    out, length = [], 0
    while length < size:
        sentence = rng.choice(SENTENCES)
        out.append(sentence + ("\n\n" if rng.random() < 0.25 else " "))
        length += len(out[-1])
    return "".join(out)[:size]


def _retyped(passage: str, rng: random.Random) -> str:
    """The passage as someone pasting it might send it: other quote marks and dashes, a line break."""
    swaps = {'"': "“", "“": '"', "”": '"', "'": "’", " - ": " – ", "-": "‑"}
    out = passage
    for plain, fancy in swaps.items():
        if rng.random() < 0.5:
            out = out.replace(plain, fancy)
    words = out.split(" ")
    if len(words) > 4 and rng.random() < 0.3:
        cut = rng.randrange(1, len(words) - 1)
        out = " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
    return out


def _claims(n: int, articles: list[str], rng: random.Random, with_quotes: bool) -> list[str]:
    """Claim lines citing the articles in turn, whose quotes are passages holding a figure."""
    figures = [[(m.start(), m.group()) for m in re.finditer(r"\b\d[\d,]*\b", a)] for a in articles]
    lines = []
    for i in range(n):
        which = i % len(articles)
        article = articles[which]
        start, figure = rng.choice(figures[which])
        row = {"event": f"Ghweran prison attack {i % 50}", "metric": "killed", "value": figure.replace(",", ""),
               "said_by": "SOHR", "via": ["Al Jazeera"], "doc": which + 1, "as_of": "2022-01-22"}
        if with_quotes:
            begin = max(0, article.rfind(" ", 0, max(0, start - rng.randint(10, 60))) + 1)
            end = article.find(" ", start + len(figure) + rng.randint(5, 60))
            row["quote"] = _retyped(article[begin:end if end > 0 else len(article)], rng)
        lines.append(json.dumps(row, ensure_ascii=False))
    return lines


def _import_seconds(lines: list[str], articles: list[str], workdir: Path, name: str) -> float:
    book = open_ledger(f"sqlite:///{workdir / name}", user="bench")
    book.add_source("Syrian Observatory for Human Rights", aliases=["SOHR"], kind="ngo")
    book.add_source("Al Jazeera", kind="media")
    for article in articles:
        book.add_document("Al Jazeera", date(2022, 1, 22), text=article)
    _forget_documents()
    start = time.perf_counter()
    result = book.import_records(iter(lines), "jsonl", name)
    elapsed = time.perf_counter() - start
    assert result.claims == len(lines)
    return elapsed


def _forget_documents() -> None:
    """Start cold: drop the normalised documents kept by an earlier call."""
    prepared = getattr(quotes, "_prepared", None)
    if prepared is not None:
        prepared.cache_clear()


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _refused(quote: str, text: str) -> float:
    """Seconds for verify_quote to refuse ``quote``; the figures are meaningless if it does not."""
    def call() -> None:
        try:
            quotes.verify_quote(quote, text)
        except InputError:
            return
        raise SystemExit(f"expected a refusal of {quote[:40]!r}")

    return _timed(call)


def _child(conn, measure) -> None:
    conn.send(measure())


def _bounded(measure, limit: float) -> float | None:
    """``measure()`` in a forked child (it inherits the kept documents), or None if it outlasts ``limit`` seconds."""
    parent, child = multiprocessing.Pipe()
    worker = multiprocessing.get_context("fork").Process(target=_child, args=(child, measure))
    worker.start()
    done = parent.poll(limit)
    result = parent.recv() if done else None
    if not done:
        worker.kill()
    worker.join()
    return result


def _imports(n: int) -> None:
    one = [_article(5_000, random.Random(7))]
    many = [_article(5_000, random.Random(100 + k)) for k in range(ARTICLES)]
    print(f"import {n:,} claims                                  without quotes   a quote on each   ratio")
    with tempfile.TemporaryDirectory() as tmp:
        for label, articles in (("citing one 5 KB article", one), (f"citing {ARTICLES} 5 KB articles in turn", many)):
            bare = _import_seconds(_claims(n, articles, random.Random(1), False), articles, Path(tmp), "bare.db")
            quoted = _import_seconds(_claims(n, articles, random.Random(1), True), articles, Path(tmp), "quoted.db")
            print(f"  {label:46s} {bare:9.2f} s   {quoted:11.2f} s   {quoted / bare:5.2f}x")
            (Path(tmp) / "bare.db").unlink()
            (Path(tmp) / "quoted.db").unlink()


def _row(label: str, text: str, quote: str, raw: str, *, refused: bool, limit: float) -> None:
    """One case: str.find of the raw quote in the raw text (the baseline), then the quote checked."""
    baseline = _timed(lambda: text.find(raw))
    if refused:
        seconds = _bounded(lambda: _refused(quote, text), limit)
    else:
        seconds = _timed(lambda: quotes.verify_quote(quote, text))
    _print_row(label, baseline, seconds, limit)


def _print_row(label: str, baseline: float, seconds: float | None, limit: float) -> None:
    if seconds is None:
        checked = f"> {limit:.0f} s, stopped"
    else:
        ratio = seconds / max(baseline, 1e-9)
        checked = f"{seconds * 1000:9.1f} ms " + (f"{ratio:9,.0f}x" if ratio >= 10 else f"{ratio:9.2f}x")
    print(f"  {label:62s} {baseline * 1000:8.2f} ms {checked}")


def _one_megabyte(limit: float) -> None:
    rng = random.Random(11)
    big = _article(1_000_000, rng)
    cut = big[500_000:501_200]
    raw = cut[cut.find(" ") + 1:][:1000].rsplit(" ", 1)[0]
    quote = _retyped(raw, rng)
    words = raw.split(" ")
    almost = " ".join(words[: len(words) // 2] + ["seventy"] + words[len(words) // 2 + 1:])
    unrelated = " ".join(rng.choice(SEED.split()) for _ in range(170))[:1000]
    shuffled = " ".join(rng.choice(big[:50_000].split()) for _ in range(2_000))[:10_000]
    huge = "5 dead. " * 12_500
    print(f"a 1 MB article {'str.find (baseline)':>67s} {'checked':>12s} {'ratio':>10s}")
    _forget_documents()
    _row("a 1,000-character quote, first claim (article normalised)", big, quote, raw, refused=False, limit=limit)
    _row("the same quote again (the article kept)", big, quote, raw, refused=False, limit=limit)
    _row("almost found: one word changed, refused with closest passage", big, almost, almost, refused=True, limit=limit)
    _row("not found: 1,000 characters of other words, refused", big, unrelated, unrelated, refused=True, limit=limit)
    _row("hostile: 10,000 characters of its words reordered, refused", big, shuffled, shuffled, refused=True, limit=limit)
    _row("hostile: a 100,000-character quote, refused", big, huge, huge, refused=True, limit=limit)
    expanding = "ß " * 500_000
    periodic = "s" + " ss" * 500 + " s"
    quotes.find_quote("first call normalises", expanding)
    print("a 1 MB text where casefolding expands every letter ('ß ß ß …'), normalised beforehand")
    baseline = _timed(lambda: expanding.find(periodic))
    _print_row("hostile: a periodic 1,500-character quote, hits inside each ß", baseline,
               _bounded(lambda: _timed(lambda: quotes.find_quote(periodic, expanding)), limit), limit)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds before a case is stopped (older versions)")
    args = parser.parse_args()
    print(f"ledger from {Path(quotes.__file__).parents[2]}")
    _imports(args.claims)
    _one_megabyte(args.limit)


if __name__ == "__main__":
    main()
