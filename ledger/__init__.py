"""ledger: a claim and source-attribution fact ledger for figures that disagree.

Use it from Python as from the CLI::

    from ledger import open_ledger, parse_quantity
    ledger = open_ledger("sqlite:///ledger.db")

The names below are loaded on first use, so ``import ledger`` (and so every
``ledger`` command's start-up) pays for none of the database libraries.
"""

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS = {
    "open_ledger": "ledger.api", "Ledger": "ledger.api",
    "Claim": "ledger.model", "ClaimInput": "ledger.model", "Document": "ledger.model", "Source": "ledger.model",
    "Period": "ledger.model",
    "Quantity": "ledger.figures", "parse_quantity": "ledger.figures",
    "parse_date": "ledger.dates", "parse_period": "ledger.dates",
    "LedgerError": "ledger.errors", "InputError": "ledger.errors", "NotFoundError": "ledger.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ledger' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
