"""Storage: the only package that talks to the database.

``engine`` opens a URL and brings its schema up to date; ``tables`` builds the
SQLModel tables from the field descriptions in ``ledger.model.fields``;
``store`` reads and writes records, each write with its history entry;
``readers`` streams claims fast; ``importer`` and ``writers`` record files in
bulk; ``verify`` replays the history against the tables; ``audit`` gathers one
claim's provenance. Callers get plain ``ledger.model`` records, never rows or
sessions.

Nothing is re-exported here: importing ``ledger.storage.quick_read`` (the
log of a SQLite file, read with the standard library) must not load
SQLAlchemy. Import from the modules: ``ledger.storage.store.open_store``.
"""
