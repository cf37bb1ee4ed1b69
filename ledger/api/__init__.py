"""The library surface: ``open_ledger`` and the :class:`Ledger` it returns (see ``docs/python-api.md``)."""

from ledger.api.ledger import Ledger, open_ledger

__all__ = ["Ledger", "open_ledger"]
