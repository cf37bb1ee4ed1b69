"""A report's text kept beside its results, so that the same report of an unchanged ledger is read, not made.

On a million claims the table of findings is 137 MB of wrapped text: decoding
the kept findings and laying them out again costs more than reading the claims
(docs/performance.md). All of a report's text but the chunk that holds its
stamp (when it was made, from which history entry) is the same whenever the
same results are written in the same format, so it is kept, compressed, with
the report's tally; the stamp's chunk is made anew each time. That chunk is a
table's last (the stamp and the summary) and a JSON report's first (the
opening, ``{"ledger": stamp, "findings": [``). CSV and newline-delimited JSON
carry the stamp on every row and are never kept.

Pure: the storage side is ``ledger.storage.kept_text``.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator

from ledger.reports.findings import Tally, json_opening, report_ending

# A report in these formats, of every event, is kept as text; its key is its format and --all.
TEXT_FORMATS = ("table", "markdown", "json")
_PIECE = 1 << 20  # the kept text is written in pieces of about this many characters, cut at a line's end


def text_key(fmt: str, event: str | None, show_all: bool) -> str | None:
    """What names a report's kept text (``table``, ``json --all``), or None for a report that is not kept."""
    if fmt not in TEXT_FORMATS or event is not None:
        return None
    return fmt + (" --all" if show_all else "")


def kept_chunks(fmt: str, chunks: Iterable[str]) -> Iterator[str]:
    """The chunks of a report (``merged_chunks``) that are kept: all but the one that holds the stamp."""
    chunks = iter(chunks)
    if fmt == "json":
        next(chunks, None)
        yield from chunks
        return
    held = None
    for chunk in chunks:
        if held is not None:
            yield held
        held = chunk


def encode_tally(tally: Tally) -> str:
    from ledger.reconcile.kept import notes_as_rows

    return json.dumps({"claims": tally.claims, "quantities": tally.quantities, "verdicts": list(tally.verdicts.items()),
                       "possible_matches": notes_as_rows(tally.possible_matches)}, ensure_ascii=False)


def decode_tally(text: str) -> Tally:
    """The tally ``encode_tally`` wrote; ValueError, KeyError or TypeError for anything else."""
    from ledger.reconcile.kept import notes_of_rows

    data = json.loads(text)
    verdicts = {str(verdict): int(count) for verdict, count in data["verdicts"]}
    return Tally(int(data["claims"]), int(data["quantities"]), verdicts, notes_of_rows(data["possible_matches"]))


def written_and_kept(fmt: str, chunks: Iterable[str], write: Callable[[str], object]) -> bytes:
    """Write a report's chunks as they come; return those ``kept_chunks`` keeps, compressed."""
    def written() -> Iterator[str]:
        for chunk in chunks:
            write(chunk)
            yield chunk

    from concurrent.futures import ThreadPoolExecutor

    compressor = zlib.compressobj(1)
    parts: list[bytes] = []
    with ThreadPoolExecutor(1) as pool:  # zlib compresses without the GIL while the next chunk is made
        pending = None
        for chunk in kept_chunks(fmt, written()):
            data = chunk.encode("utf-8")
            if pending is not None:
                parts.append(pending.result())
            pending = pool.submit(compressor.compress, data)
        if pending is not None:
            parts.append(pending.result())
    return b"".join(parts) + compressor.flush()


def stamped(fmt: str, pieces: Iterable[str], stamp, tally: Tally, width: int | None = None) -> Iterator[str]:
    """The report again from its kept text: the chunk ``kept_chunks`` left out made anew with ``stamp`` (fitted
    to ``width``, a terminal's)."""
    if fmt == "json":
        yield json_opening(stamp, bool(tally.verdicts))
    yield from pieces
    if fmt != "json":
        yield report_ending(stamp, tally, width)


def kept_pieces(blob: bytes) -> Iterator[str]:
    """The kept text in pieces cut at line ends (colour is added a piece at a time), decompressed as they are
    asked for: never the whole text at once. zlib.error or UnicodeDecodeError for a blob ``written_and_kept``
    did not make (raised by the first piece for most, by a later one for a blob cut short)."""
    import codecs

    inflate, decode = zlib.decompressobj(), codecs.getincrementaldecoder("utf-8")()
    rest = ""
    for start in range(0, len(blob), _PIECE // 8):
        rest += decode.decode(inflate.decompress(blob[start:start + _PIECE // 8]))
        cut = rest.rfind("\n") + 1
        if cut >= _PIECE:
            yield rest[:cut]
            rest = rest[cut:]
    rest += decode.decode(inflate.flush(), final=True)
    if not inflate.eof:
        raise zlib.error("the kept text is cut short")
    if rest:
        yield rest


def body_digest(fmt: str, chunks: Iterable[str]) -> str:
    """sha256 of the chunks of a report that ``kept_chunks`` keeps: what its kept text is checked against."""
    return text_digest(kept_chunks(fmt, chunks))


def text_digest(pieces: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(piece.encode("utf-8"))
    return digest.hexdigest()
