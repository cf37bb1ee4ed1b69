"""Storage: the only package that talks to the database.

``engine`` opens a URL and brings its schema up to date; ``tables`` builds the
SQLModel tables from the field descriptions in ``ledger.model.fields``;
``store`` reads and writes records, each write with its history entry;
``readers`` streams claims fast; ``importer`` and ``writers`` record files in
bulk; ``verify`` replays the history against the tables; ``audit`` gathers one
claim's provenance. Callers get plain ``ledger.model`` records, never rows or
sessions.
"""

from ledger.storage.engine import DEFAULT_URL, SCHEMA_REVISION
from ledger.storage.rows import (
    claim_payload,
    default_user,
    document_payload,
    entry_from_row,
    event_key,
    name_key,
    now_utc,
    source_payload,
)
from ledger.storage.store import Store, open_store

__all__ = [
    "DEFAULT_URL", "SCHEMA_REVISION", "Store", "open_store", "claim_payload", "default_user", "document_payload",
    "entry_from_row", "event_key", "name_key", "now_utc", "source_payload",
]
