"""Quote verification cost: imports with a verified quote on every claim, and hostile quote sizes.

Realistic data: a ~5 KB article built from the seed article's sentences, and
claims whose quotes are sentences cut from it (curly quotes, dashes, the
figure inside), each checked against the article and read for its figure. Each
figure is printed beside a baseline measured in the same run:

- importing N claims with quotes, against importing the same N claims without;
- finding a 1,000-character quote in a 1 MB article, against ``str.find`` of
  the raw quote in the raw text (no folding, no spans);
- refusing a quote that is not in the 1 MB article (the closest-passage search);
- refusing a 100,000-character quote.

Usage::

    .venv/bin/python benchmarks/quotes.py --claims 20000

Not a test: times are never asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from pathlib import Path

from ledger import open_ledger
from ledger.errors import InputError, LedgerError
from ledger.provenance import quotes

SEED = (Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt").read_text(encoding="utf-8")
SENTENCES = [s.strip() for s in re.split(r"(?<=[.!?])\s+", SEED) if len(s.split()) >= 6]


def _article(size: int, rng: random.Random) -> str:
    """Seed sentences in a shuffled order, paragraphs every few, until ``size`` characters."""
    out, length = [], 0
    while length < size:
        sentence = rng.choice(SENTENCES)
        out.append(sentence + ("\n\n" if rng.random() < 0.25 else " "))
        length += len(out[-1])
    return "".join(out)[:size]


def _claims(n: int, article: str, rng: random.Random, with_quotes: bool) -> list[str]:
    """Claim lines whose quotes are passages of the article holding a figure."""
    figures = [(m.start(), m.group()) for m in re.finditer(r"\b\d[\d,]*\b", article)]
    lines = []
    for i in range(n):
        start, figure = rng.choice(figures)
        row = {"event": f"Ghweran prison attack {i % 50}", "metric": "killed", "value": figure.replace(",", ""),
               "said_by": "SOHR", "via": ["Al Jazeera"], "doc": 1, "as_of": "2022-01-22"}
        if with_quotes:
            begin = max(0, article.rfind(" ", 0, max(0, start - rng.randint(10, 60))) + 1)
            end = article.find(" ", start + len(figure) + rng.randint(5, 60))
            row["quote"] = article[begin:end if end > 0 else len(article)]
        lines.append(json.dumps(row, ensure_ascii=False))
    return lines


def _import_seconds(lines: list[str], article: str, workdir: Path, name: str) -> float:
    book = open_ledger(f"sqlite:///{workdir / name}", user="bench")
    book.add_source("Syrian Observatory for Human Rights", aliases=["SOHR"], kind="ngo")
    book.add_source("Al Jazeera", kind="media")
    from datetime import date

    book.add_document("Al Jazeera", date(2022, 1, 22), text=article)
    _forget_documents()
    start = time.perf_counter()
    result = book.import_records(iter(lines), "jsonl", name)
    elapsed = time.perf_counter() - start
    assert result.claims == len(lines)
    return elapsed


def _forget_documents() -> None:
    """Start cold: drop the normalised documents kept by an earlier call (absent in older code)."""
    prepared = getattr(quotes, "_prepared", None)
    if prepared is not None:
        prepared.cache_clear()


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    article = _article(5_000, rng)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        bare = _import_seconds(_claims(args.claims, article, random.Random(1), False), article, workdir, "bare.db")
        quoted = _import_seconds(_claims(args.claims, article, random.Random(1), True), article, workdir, "quoted.db")
    print(f"import {args.claims:,} claims into a ledger with one 5 KB article:")
    print(f"  without quotes            {bare:7.2f} s")
    print(f"  a verified quote on each  {quoted:7.2f} s   ({quoted / bare:.2f}x)")

    big = _article(1_000_000, rng)
    needle = big[500_000:501_000]
    needle = needle[needle.find(" ") + 1:needle.rfind(" ")]
    raw = _timed(lambda: big.find(needle))
    _forget_documents()
    first = _timed(lambda: quotes.verify_quote(needle, big))
    again = _timed(lambda: quotes.verify_quote(needle, big))
    print("a 1,000-character quote in a 1 MB article:")
    print(f"  str.find, raw text        {raw * 1000:7.1f} ms")
    print(f"  verify_quote, first time  {first * 1000:7.1f} ms   ({first / max(raw, 1e-9):.0f}x: the article is normalised)")
    print(f"  verify_quote, again       {again * 1000:7.1f} ms   ({again / max(raw, 1e-9):.0f}x)")

    absent = needle.replace("e", "x")

    def refuse(quote: str, text: str) -> None:
        try:
            quotes.verify_quote(quote, text)
        except InputError:
            return
        raise SystemExit("expected a refusal")

    missing = _timed(lambda: refuse(absent, big))
    print(f"  a quote not in it, refused with the closest passage   {missing * 1000:7.1f} ms")
    huge = "5 dead. " * 12_500

    def overlong() -> None:
        book = open_ledger("sqlite://", user="bench")
        book.add_source("SOHR", kind="ngo")
        from ledger import ClaimInput, parse_quantity

        try:
            book.add_claim(ClaimInput(event="A", metric="killed", value=parse_quantity("5"), said_by="SOHR", quote=huge))
        except LedgerError:
            return
        raise SystemExit("expected a refusal")

    print(f"a 100,000-character quote, refused (opening an in-memory ledger included)   {_timed(overlong) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
