"""How the figure grammar refuses: one ``InputError`` line naming the field ``value``.

Owns the usual hint (what would be accepted) and the internal signal that no
rule matched, which ``parse_quantity`` turns into a refusal with a suggested fix.
"""

from __future__ import annotations

from ledger.errors import InputError

HINT = "e.g. '78', 'more than 70', 'between 40 and 50', 'dozens'"


class _Unreadable(Exception):
    """Internal: no rule matched; parse_quantity turns it into the InputError (with a suggestion)."""


def _fail(text: str, problem: str, hint: str | None = HINT) -> InputError:
    return InputError("value", text, problem, hint=hint)
