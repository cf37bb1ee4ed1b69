"""JSON Lines: reading records from a JSONL file and writing the JSONL export.

A JSONL file may hold ``{"record": "source", …}`` and ``{"record":
"document", …}`` lines before the claims; the export writes the sources (each
after the one it is affiliated with) and documents the claims refer to, so a
whole ledger round-trips into an empty one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ledger.model import Claim, Document, Source
from ledger.model.fields import TABLE_COLUMNS
from ledger.transfer.records import Record, RowError, RowRecord, claim_row
from ledger.transfer.rows import _Checker, _clean_claim, _parse_document, _parse_source, parse_claim


def read_jsonl(stream: Iterable[str], file: str) -> Iterator[Record | list[RowError]]:
    """Records (or each bad line's problems) from JSON Lines, in file order; blank lines skipped."""
    checker = _Checker(file)
    # The C scanner json.loads ends in, called directly: half the cost of a
    # short line. A line it does not read as one object starting at its first
    # character and followed only by the newline goes to json.loads, which
    # skips the whitespace or words the problem.
    scan = json.JSONDecoder().scan_once
    for line_no, text in enumerate(stream, start=1):
        try:
            data, end = scan(text, 0)
        except (StopIteration, ValueError, RecursionError):
            data, end = None, -1
        if end < 0 or (end != len(text) and not text[end:].isspace()):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                yield [RowError(file, line_no, "line", f"is not valid JSON ({exc.msg} at column {exc.colno})")]
                continue
            except RecursionError:  # '[[[[…' a hundred thousand deep: the decoder recurses per level
                yield [RowError(file, line_no, "line", "is not a JSON object ledger can read: nested too deeply")]
                continue
            except ValueError as exc:  # e.g. a number past int()'s 4,300 digits
                yield [RowError(file, line_no, "line", f"is not valid JSON ({exc})")]
                continue
        if type(data) is not dict:
            yield [RowError(file, line_no, "line", "is not a JSON object")]
            continue
        # More `"key":` in the text than keys in the object: a key given twice (json keeps the last silently),
        # or a string holding '":' — told apart by parsing the line again, keeping every pair.
        if text.count('":') + text.count('" :') > _key_count(data) and (repeated := _repeated_keys(text)):
            yield [RowError(file, line_no, key, "is given twice in the line: which value is meant cannot be told")
                   for key in repeated]
            continue
        if "\\u" in text and (broken := _lone_surrogates(data)):
            # "\udcff" escaped in JSON decodes to half a character: it could never be stored or matched
            yield [RowError(file, line_no, key, "holds a lone surrogate (\\ud800–\\udfff), which is not text") for key in broken]
            continue
        kind = data.get("record", "claim")
        if kind == "claim":
            yield _clean_claim(data, line_no, checker) or parse_claim(data, line_no, checker)
        elif kind == "source":
            yield _parse_source(data, line_no, checker)
        elif kind == "document":
            yield _parse_document(data, line_no, checker)
        elif kind == "row":
            yield _parse_row(data, line_no, file)
        else:
            yield [RowError(file, line_no, "record", f"{kind!r} is not a record kind; one of claim, source, document, row")]


def _key_count(data: dict) -> int:
    return len(data) + sum(_key_count(value) for value in data.values() if type(value) is dict)


def _repeated_keys(text: str) -> list[str]:
    repeated: list[str] = []

    def pairs(items: list[tuple]) -> dict:
        seen = set()
        for key, _ in items:
            if key in seen and key not in repeated:
                repeated.append(key)
            seen.add(key)
        return dict(items)

    json.loads(text, object_pairs_hook=pairs)
    return repeated


def _parse_row(data: dict, line: int, file: str) -> RowRecord | list[RowError]:
    table, values = data.get("table"), data.get("values")
    columns = TABLE_COLUMNS.get(table) if isinstance(table, str) else None
    if columns is None:
        return [RowError(file, line, "table", f"{table!r} is not a table of the ledger; one of {', '.join(TABLE_COLUMNS)}")]
    if not isinstance(values, dict) or not set(values) <= set(columns):
        stray = sorted(set(values) - set(columns)) if isinstance(values, dict) else []
        return [RowError(file, line, "values", f"{stray[0]!r} is not a column of {table}" if stray else "is not an object of columns")]
    return RowRecord(line, table, values)


def _lone_surrogates(data: dict) -> list[str]:
    """The keys whose value (or any text inside it) holds a lone surrogate; a key holding one is named itself."""
    def broken(value) -> bool:
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return True
            return False
        if isinstance(value, list):
            return any(broken(v) for v in value)
        if isinstance(value, dict):
            return any(broken(k) or broken(v) for k, v in value.items())
        return False

    return [repr(key)[1:-1] if broken(key) else key for key, value in data.items() if broken(key) or broken(value)]


def source_line(source: Source) -> dict:
    return {"record": "source", "name": source.name, "kind": source.kind, "aliases": list(source.aliases),
            "affiliation": source.affiliation, "grade": source.grade}


def document_line(doc: Document) -> dict:
    """A document as a JSONL line; ``archive_url``, ``retrieved`` and ``previous`` (the id of the version it
    replaces, an earlier line) only when set, so a ledger without versions exports as it always did."""
    from ledger.provenance.versions import retrieved_text

    line = {"record": "document", "id": doc.id, "outlet": doc.outlet, "published": doc.published.isoformat(),
            "url": doc.url, "title": doc.title, "text": doc.text}
    extra = {"archive_url": doc.archive_url, "retrieved": retrieved_text(doc.retrieved), "previous": doc.previous_id}
    return line | {k: v for k, v in extra.items() if v is not None}


def sources_in_dependency_order(sources: Iterable[Source]) -> list[Source]:
    """By name, but every source after the one it is affiliated with, so import can resolve it."""
    pending = sorted(sources, key=lambda s: s.name)
    done: set[str] = set()
    ordered: list[Source] = []
    while pending:
        ready = [s for s in pending if not s.affiliation or s.affiliation in done
                 or s.affiliation not in {p.name for p in pending}]
        if not ready:  # a cycle: cannot happen through the CLI; keep the rest as they are
            ready = pending
        ordered.extend(ready)
        done.update(s.name for s in ready)
        pending = [s for s in pending if s.name not in done]
    return ordered


_DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def jsonl_lines(sources: Iterable[Source], documents: Iterable[Document], claims: Iterable[Claim],
                rows: Iterable[tuple[str, dict]] = ()) -> Iterator[str]:
    """The JSONL export, line by line (each ends in ``\\n``): every table row (``record: row``: restored as it
    was by an import into an empty ledger, skipped by any other), then sources, documents and claims."""
    for table, values in rows:
        yield _DUMPS({"record": "row", "table": table, "values": values}) + "\n"
    for s in sources_in_dependency_order(sources):
        yield _DUMPS(source_line(s)) + "\n"
    for d in documents:
        yield _DUMPS(document_line(d)) + "\n"
    for c in claims:
        row = claim_row(c)
        yield _DUMPS({k: v for k, v in row.items() if v not in (None, [], False)}) + "\n"
