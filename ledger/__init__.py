"""ledger: a claim and source-attribution fact ledger for figures that disagree."""

__version__ = "0.1.0"
