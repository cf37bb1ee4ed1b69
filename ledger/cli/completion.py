"""Tab completion of names from the ledger itself: events, metrics and sources as recorded.

``ledger --install-completion`` installs the shell's hook; these callbacks give
the values. A completion runs on every Tab, with no command yet parsed, so it
finds the ledger from ``--db`` on the line or ``LEDGER_DB``, reads only the
names, and never fails: a missing or unreadable ledger completes nothing.
"""

from __future__ import annotations

import os

import typer


def _ledger(ctx: typer.Context):
    from ledger.api import open_ledger
    from ledger.cli.app import db_url

    url = db_url(ctx.find_root().params.get("db") or os.environ.get("LEDGER_DB") or None) or "sqlite:///ledger.db"
    if url.startswith("sqlite:///") and not os.path.exists(url.removeprefix("sqlite:///")):
        return None  # opening would create the file: a Tab must not write anything
    return open_ledger(url)


def _matching(names, incomplete: str) -> list[str]:
    folded = incomplete.casefold()
    return sorted({name for name in names if name.casefold().startswith(folded)})


def _names(ctx: typer.Context, incomplete: str, read) -> list[str]:
    try:
        book = _ledger(ctx)
        return [] if book is None else _matching(read(book), incomplete)
    except Exception:  # noqa: BLE001  (whatever is wrong, a Tab shows nothing rather than a traceback)
        return []


def events(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, incomplete, lambda book: book.store.event_names())


def metrics(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, incomplete, lambda book: book.store.metric_names())


def sources(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, incomplete, lambda book: [name for s in book.list_sources() for name in (s.name, *s.aliases)])


_BY_OPTION = {"--event": events, "--metric": metrics, "--said-by": sources, "--source": sources, "--via": sources,
              "--published-by": sources, "--outlet": sources}


def offer_names(param) -> None:
    """Give an option that names an event, a metric or a source (on any command) the ledger's names on Tab,
    unless the command chose its own completion."""
    read = next((_BY_OPTION[opt] for opt in getattr(param, "opts", ()) if opt in _BY_OPTION), None)
    if read is None or param.param_type_name != "option" or getattr(param, "_custom_shell_complete", None):
        return
    from typer._click.shell_completion import CompletionItem

    param._custom_shell_complete = lambda ctx, _param, incomplete: [CompletionItem(name)
                                                                    for name in read(ctx, incomplete)]
