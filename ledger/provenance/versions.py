"""Versions of a document: the same address fetched again with another text, each version linked to the one it replaces.

A page is edited after publication (a toll raised, a quote withdrawn); a
claim read from it must keep pointing at the text it was read from. So a
document is never rewritten: the new text is a new document whose
``previous_id`` names the version it replaces, and claims keep their
``document_id``. The links form one chain per address, oldest first; these
functions read it from plain ``{id: previous_id}`` links, with no database.

When a document is the same as what the address already holds, and when it is
a new version, is decided once, by :func:`version_of`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from ledger.dates import moment_of, moment_text
from ledger.errors import InputError


def retrieved_text(value: date | datetime | None) -> str | None:
    """When a text was fetched, as stored: ``2024-03-01``, or a moment in UTC ``2024-03-01T10:05:00+00:00``."""
    if value is None:
        return None
    return moment_text(value) if isinstance(value, datetime) else value.isoformat()


def retrieved_of(text: str | None) -> date | datetime | None:
    """The stored text back to a day or an aware moment; None for None or text that is neither."""
    if not text:
        return None
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    return moment_of(text)


def check_retrieved(field: str, retrieved: date | datetime | None, published: date, published_at: datetime | None) -> None:
    """A text cannot be fetched before it was published: moments compare when both are known, else days."""
    if retrieved is None:
        return
    if isinstance(retrieved, datetime) and published_at is not None:
        early = retrieved < published_at
    else:
        early = (retrieved.date() if isinstance(retrieved, datetime) else retrieved) < published
    if early:
        shown = retrieved_text(retrieved)
        raise InputError(field, shown, f"is before the document was published ({moment_text(published_at) or published.isoformat()})",
                         "give the day (or moment) the text was fetched")


@dataclass(frozen=True)
class Version:
    """What a new document is among those at its address: ``replaces`` the newest one, or is ``same_as`` it."""

    replaces: int | None = None
    same_as: int | None = None


def version_of(newest: tuple[int, str | None] | None, sha256: str | None) -> Version:
    """A new document against the newest version at its address (its id and text's sha256), or None when
    the address holds none: a first version, a new version replacing it, or the same text (no text on
    either side counts as the same: nothing shows it changed)."""
    if newest is None:
        return Version()
    newest_id, newest_sha = newest
    if newest_sha == sha256:
        return Version(same_as=newest_id)
    return Version(replaces=newest_id)


def later_versions(links: Mapping[int, int | None]) -> dict[int, int]:
    """Document id → the id of the version that replaces it (the lowest, should a file have made two)."""
    later: dict[int, int] = {}
    for document_id, previous in sorted(links.items()):
        if previous is not None and previous not in later:
            later[previous] = document_id
    return later


def chain_of(document_id: int, links: Mapping[int, int | None]) -> tuple[int, ...]:
    """Every version of the document's address, oldest first, the document among them.

    ``links``: document id → previous_id (ids without a previous may be left out). A loop, which only
    an edit behind the ledger's back could make, is cut where it closes.
    """
    older: list[int] = []
    seen = {document_id}
    current = links.get(document_id)
    while current is not None and current not in seen:
        older.append(current)
        seen.add(current)
        current = links.get(current)
    later, newer = later_versions(links), []
    current = later.get(document_id)
    while current is not None and current not in seen:
        newer.append(current)
        seen.add(current)
        current = later.get(current)
    return (*reversed(older), document_id, *newer)


def newest_of(document_id: int, links: Mapping[int, int | None]) -> int:
    """The newest version in the document's chain."""
    return chain_of(document_id, links)[-1]
