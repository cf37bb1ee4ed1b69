"""Reconciliation: claims grouped into quantities, parts summed, every discrepancy judged with a reason."""

from ledger.reconcile.records import (
    VERDICTS,
    QuantityKey,
    Figure,
    ClaimRow,
    claim_rows,
    Finding,
    NameNote,
    Report,
)
from ledger.reconcile.grouping import (
    METRIC_SYNONYMS,
    STOCK_METRICS,
    canonical_metric,
    Names,
    QuantityKeys,
    resolve_names,
    name_index,
)
from ledger.reconcile.reasons import display_names
from ledger.reconcile.reconciler import (
    PAIRWISE_LIMIT,
    finding_order,
    reconcile,
    reconcile_rows,
    share_of,
    Reconciler,
)

__all__ = [
    "VERDICTS",
    "METRIC_SYNONYMS",
    "STOCK_METRICS",
    "QuantityKey",
    "Figure",
    "ClaimRow",
    "claim_rows",
    "Finding",
    "NameNote",
    "Report",
    "display_names",
    "canonical_metric",
    "Names",
    "resolve_names",
    "name_index",
    "QuantityKeys",
    "PAIRWISE_LIMIT",
    "finding_order",
    "reconcile",
    "reconcile_rows",
    "share_of",
    "Reconciler",
]
