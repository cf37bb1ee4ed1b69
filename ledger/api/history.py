"""The history's newest (or oldest) entries, read as cheaply as the ledger allows: ``ledger log -n 10``."""

from __future__ import annotations

import os
from collections.abc import Iterator

from ledger.errors import InputError
from ledger.provenance.chain import Entry


def read_log(url: str | None = None, since: int = 0, limit: int | None = None,
             newest_first: bool = False, existing: bool = False) -> Iterator[Entry]:
    """What ``open_ledger(url).log(since, limit, newest_first)`` gives, without opening the ledger when one
    query on an up-to-date, writable SQLite file does it (``ledger.storage.quick_read``): the command then
    starts as fast as ``ledger --help``. Any other ledger is opened as usual (and made, if it is not there,
    unless ``existing``)."""
    from ledger.storage.quick_read import DEFAULT_URL, history_page

    if since < 0:
        raise InputError("--since", since, "is negative", "give a seq number, e.g. 0 for the whole history")
    if limit is not None and limit < 0:
        raise InputError("--limit", limit, "is negative", "give how many entries to show, e.g. 10")
    url = url if url is not None else os.environ.get("LEDGER_DB", DEFAULT_URL)
    if limit is not None:
        page = history_page(url, since, limit, newest_first)
        if page is not None:
            return iter(page)
    from ledger.api.ledger import open_ledger

    return open_ledger(url, existing=existing).log(since, limit=limit, newest_first=newest_first)


def quick_listing(url: str | None = None, limit: int | None = None, newest_first: bool = False):
    """``ledger claim list`` unfiltered, without opening the ledger, when it can be done so: a
    ``ledger.storage.quick_claims.QuickListing`` (``claims``, ``quantity_of(claim)``, ``close()``) of an
    up-to-date, writable SQLite file whose last report kept its names at its head; else None (then open the
    ledger: ``iter_claims`` and ``quantity_keys`` give the same)."""
    from ledger.storage.quick_claims import quick_listing as listing
    from ledger.storage.quick_read import DEFAULT_URL

    if limit is not None and limit < 0:
        raise InputError("--limit", limit, "is negative", "give how many claims to show, e.g. 10")
    return listing(url if url is not None else os.environ.get("LEDGER_DB", DEFAULT_URL), limit, newest_first)
