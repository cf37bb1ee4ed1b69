"""Where the bulk import used to live; kept so ``ledger.storage.bulk.import_records`` still imports.

The import is ``ledger.storage.importer`` (rows reach the database through
``ledger.storage.writers``); the streaming readers are ``ledger.storage.readers``.
"""

from ledger.storage.importer import BATCH, ERROR_LIMIT, ImportRejected, ImportResult, import_records  # noqa: F401
