"""The library surface: ``open_ledger`` and the :class:`Ledger` it returns (see ``docs/python-api.md``)."""

from ledger.api.history import quick_listing, read_log
from ledger.api.ledger import Ledger, open_ledger
from ledger.storage.urls import mask_url  # a database URL as it may be shown: the password hidden

__all__ = ["Ledger", "mask_url", "open_ledger", "quick_listing", "read_log"]
