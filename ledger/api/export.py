"""Exporting a ledger: every format streamed as text chunks, from storage through the pure serialisers,
and written to a file whole or not at all, never over a database."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ledger.errors import InputError


def export_chunks(store, fmt: str, progress=None) -> Iterator[str]:
    """The export in ``fmt`` (one of :data:`ledger.transfer.EXPORT_FORMATS`), as text chunks to write in order;
    ``progress(done, total)`` as jsonl and csv write their claims, and as claimreview and prov-json read them
    (PROV reads them twice: the live ones to judge, then every one, retracted too)."""
    import json

    from ledger import transfer
    from ledger.storage import readers

    def claims():
        every = readers.iter_claims(store)
        return every if progress is None else readers.counted(every, progress, store.claim_count())

    if fmt == "csv":
        yield from transfer.csv_lines(claims())
        return
    if fmt == "jsonl":
        yield from transfer.jsonl_lines(store.list_sources(), store.list_documents(), claims(), readers.table_rows(store))
        return
    from ledger.reconcile import reconcile

    if fmt == "claimreview":  # before the report is made: a publisher's validator refuses reviews without them
        reviewer = claimreview_settings(store)
    claims, sources = readers.claims_for_report(store, progress)
    report = reconcile(claims, sources, include_agreement=True, rulings=store.name_rulings())
    documents = store.list_documents()
    if fmt == "claimreview":
        from datetime import date

        reviews = transfer.claim_reviews(
            report.findings, {c.id: c for c in claims}, {d.id: d for d in documents},
            {s.name: s.kind for s in sources}, date.today(), reviewer,
        )
        yield json.dumps(reviews, indent=2, ensure_ascii=False) + "\n"
        return
    from ledger.provenance.prov import to_prov_json

    every_claim = readers.list_claims(store, progress=progress)  # retracted ones too: PROV keeps them, marked
    doc = to_prov_json(sources, documents, every_claim, transfer.derived_totals(report.findings), readers.revisions(store))
    yield json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def claimreview_settings(store):
    """The reviewer of a ClaimReview export, from the ledger's settings; unset ones refused by name."""
    from ledger.storage.settings_store import read_settings
    from ledger.transfer.claimreview import Reviewer

    settings = read_settings(store)
    missing = [key for key in ("reviewer.name", "reviewer.url", "review.url") if key not in settings]
    if missing:
        examples = {"reviewer.name": "'Example Fact Check'", "reviewer.url": "https://example.org",
                    "review.url": "'https://example.org/checks/{id}'"}
        named = ", ".join(missing[:-1]) + " and " + missing[-1] if len(missing) > 1 else missing[0]
        raise InputError("--format", "claimreview", f"needs the setting{'s' if len(missing) > 1 else ''} {named}",
                         "; ".join(f"ledger setting set {key} {examples[key]}" for key in missing))
    return Reviewer(settings["reviewer.name"], settings["reviewer.url"], settings["review.url"])


_SQLITE_HEADER = b"SQLite format 3\x00"


def write_export(chunks: Iterable[str], path: Path, ledger_url: str | None = None) -> None:
    """Write ``chunks`` to the file ``path`` whole or not at all; never over a database.

    Refused with an ``InputError`` on ``--output``: the ledger at ``ledger_url``
    itself (by any path or link, or its ``-wal``/``-journal`` companions), any
    other SQLite file, a folder, a folder that does not exist. The text goes to
    a temporary file beside ``path`` that replaces it only once complete, so a
    failure or an interrupt leaves an existing file as it was and no partial
    file (a SIGKILL can leave the hidden ``.NAME.*.tmp``, never a half ``NAME``).
    A device or pipe (``/dev/stdout``) is written in place.
    """
    import os
    import tempfile

    try:
        _check_output(path, ledger_url)
    except (RuntimeError, OSError) as exc:  # a symlink loop, a path too long: cannot be followed to a file
        raise InputError("--output", str(path), f"cannot be written ({exc.__class__.__name__}: {exc})",
                         "give the path of a text file") from None
    if path.exists() and not path.is_file():
        with open(path, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
        return
    mode = path.stat().st_mode & 0o7777 if path.exists() else _default_mode()
    try:
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError("--output", str(path), f"cannot be written ({exc.strerror})",
                         "give a file in a folder you can write to") from None
    try:
        with open(fd, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:  # Ctrl-C included: the temporary file never outlives a failed export
        os.unlink(temp_name)
        raise


def _check_output(path: Path, ledger_url: str | None) -> None:
    shown = str(path)
    if path.is_dir():
        raise InputError("--output", shown, "is a folder", f"give a file name, e.g. {path / 'ledger.jsonl'}")
    if not path.parent.is_dir():
        raise InputError("--output", shown, "is in a folder that does not exist", "create the folder first")
    ledger_file = _sqlite_file(ledger_url)
    if ledger_file is not None and _same_file(path, ledger_file):
        raise InputError("--output", shown, "is the open ledger", "an export never writes over a ledger: give another file name")
    if not path.is_file():  # absent, or a device or pipe, which opening to peek could block on
        return
    try:
        with open(path, "rb") as existing:
            header = existing.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise InputError("--output", shown, f"cannot be read ({exc.strerror})", "give a file you can write to") from None
    if header == _SQLITE_HEADER:
        raise InputError("--output", shown, "is a SQLite database", "an export never writes over one: give another file name")


def _sqlite_file(url: str | None) -> Path | None:
    """The file a SQLite ledger URL opens, or None (PostgreSQL, in memory)."""
    if not url:
        return None
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # not a URL this ledger could have opened
        return None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):  # uri=true: file:path?mode=ro
        database = database[len("file:"):].split("?", 1)[0]
    return Path(database)


def _same_file(path: Path, ledger_file: Path) -> bool:
    """``path`` is the ledger's file or one of SQLite's companions to it, by name, link or resolved path."""
    import os

    companions = [ledger_file.with_name(ledger_file.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
    target = path.resolve()
    for companion in companions:
        if target == companion.resolve():
            return True
        try:
            if os.path.samefile(path, companion):
                return True
        except OSError:  # one of them does not exist
            pass
    return False


def _default_mode() -> int:
    """The permissions a newly created file gets (0o666 less the umask), as ``open`` would give it."""
    import os

    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
