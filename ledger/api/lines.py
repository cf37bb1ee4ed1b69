"""Text streams for imports: lines passed on while their sha256 is taken, and text chunks cut into lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator


def hashed_lines(lines: Iterable[str]) -> tuple[Iterator[str], Callable[[], str]]:
    """The lines, passed on, and a function giving the sha256 of those read so far (UTF-8)."""
    import hashlib

    sha = hashlib.sha256()

    def passed() -> Iterator[str]:
        for line in lines:
            sha.update(line.encode("utf-8", "surrogatepass"))
            yield line

    return passed(), sha.hexdigest


def as_lines(chunks: Iterable[str]) -> Iterator[str]:
    """Text chunks as lines, each with its newline: what the JSONL reader takes from a file."""
    pending = ""
    for chunk in chunks:
        pending += chunk
        *whole, pending = pending.split("\n")
        for line in whole:
            yield line + "\n"
    if pending:
        yield pending

