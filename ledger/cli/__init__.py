"""The command-line face of ledger (``ledger.cli.app``): one module per noun, all thin over ``ledger.api``."""

from ledger.cli.app import app, db_url, main, new_app, settings

__all__ = ["app", "db_url", "main", "new_app", "settings"]
