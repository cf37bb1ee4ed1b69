"""The researcher's rulings on event, group and place names: read, add, replace, and split claims off.

A mixin of :class:`ledger.storage.store.Store`. Each ruling is a ``name_rule``
row with a ``name_rule.add`` history entry holding the row; a ruling that a
new one overturns (a merge after a split, a second date for an event) is
deleted with a ``name_rule.remove`` entry, so the history tells both.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import Session

from ledger.errors import InputError
from ledger.names.normalisation import has_visible
from ledger.names.rulings import KINDS, RULES, Ruling, Rulings, ruling_key
from ledger.storage.tables import NameRuleRow

# Claim field each kind of name lives in.
CLAIM_FIELD = {"event": "event", "group": "group", "place": "location"}
# A new ruling of this rule overturns the earlier ones on the same name (and, for pairs, the same other name).
_OVERTURNS = {"same": ("apart",), "apart": ("same",), "date": ("date",), "place": ("place",), "within": ("within",)}
_PAIRS = ("same", "apart")


def rule_payload(row: NameRuleRow) -> dict:
    return {"kind": row.kind, "rule": row.rule, "name": row.name, "name_key": row.name_key, "other": row.other,
            "reason": row.reason}


class NameStore:
    """Rulings on names (methods of ``Store``)."""

    def name_rulings(self) -> Rulings:
        with Session(self.engine) as session:
            rows = session.execute(select(NameRuleRow).order_by(NameRuleRow.id)).scalars().all()
            return Rulings(tuple(Ruling(r.kind, r.rule, r.name, r.other) for r in rows))

    def add_ruling(self, kind: str, rule: str, name: str, other: str, reason: str | None = None) -> Ruling:
        """Record a ruling, overturning the earlier ones it contradicts, in one transaction."""
        return self.add_rulings([(kind, rule, name, other)], reason)[0]

    def add_rulings(self, items: Sequence[tuple[str, str, str, str]], reason: str | None = None) -> list[Ruling]:
        """``add_ruling`` for each ``(kind, rule, name, other)``: all or none."""
        with self._writing() as session:
            done = [self._add_ruling_in(session, *item, reason) for item in items]
            session.commit()
            return done

    def _add_ruling_in(self, session: Session, kind: str, rule: str, name: str, other: str, reason: str | None) -> Ruling:
        if kind not in KINDS or rule not in RULES:
            raise InputError("rule", f"{kind} {rule}", "is not a ruling", f"kinds: {', '.join(KINDS)}; rules: {', '.join(RULES)}")
        name, other = (name or "").strip(), (other or "").strip()
        if not has_visible(name):
            raise InputError("NAME", name, "is empty", f"give the {kind} name as recorded")
        if not has_visible(other):
            raise InputError("OTHER", other, "is empty", f"give the other {kind} name")
        if rule in ("same", "apart", "within") and ruling_key(name) == ruling_key(other):
            raise InputError("OTHER", other, f"is the same name as {name!r}", "give two different names")
        pair = {ruling_key(name), ruling_key(other)}
        for earlier in session.execute(select(NameRuleRow).where(
                NameRuleRow.kind == kind, NameRuleRow.rule.in_((rule, *_OVERTURNS[rule]))).order_by(NameRuleRow.id)).scalars():
            if rule in _PAIRS:
                hit = {earlier.name_key, ruling_key(earlier.other)} == pair
            else:
                hit = earlier.name_key == ruling_key(name)
            if not hit:
                continue
            same_direction = earlier.name_key == ruling_key(name) and ruling_key(earlier.other) == ruling_key(other)
            if earlier.rule == rule and (same_direction or rule == "apart"):
                raise InputError("NAME", name, f"is already ruled {rule} {other!r}", "nothing to change")
            session.delete(earlier)
            self.append_entry(session, "name_rule.remove", f"name_rule:{earlier.id}",
                              {"reason": f"overturned by {kind} {rule} {name!r} {other!r}"})
        row = NameRuleRow(kind=kind, rule=rule, name=name, name_key=ruling_key(name), other=other,
                          reason=reason if reason and reason.strip() else None)
        session.add(row)
        session.flush()
        self.append_entry(session, "name_rule.add", f"name_rule:{row.id}", rule_payload(row))
        return Ruling(kind, rule, name, other)

    def set_facts(self, kind: str, name: str, facts: dict[str, str | None], reason: str | None = None) -> list[Ruling]:
        """Rule each fact (``date``, ``place``, ``within``) of ``name``, None withdrawing it: all or none."""
        done = []
        with self._writing() as session:
            for rule, value in facts.items():
                if value is not None:
                    done.append(self._add_ruling_in(session, kind, rule, name, value, reason))
                    continue
                rows = session.execute(select(NameRuleRow).where(
                    NameRuleRow.kind == kind, NameRuleRow.rule == rule, NameRuleRow.name_key == ruling_key(name))).scalars().all()
                if not rows:
                    raise InputError("--clear", rule, f"is not set for {kind} {name!r}", "nothing to clear")
                for row in rows:
                    session.delete(row)
                    self.append_entry(session, "name_rule.remove", f"name_rule:{row.id}", {"reason": reason})
            session.commit()
        return done

    def split_claims(self, kind: str, claim_ids: Sequence[int], old_name: str, new_name: str, reason: str | None) -> Ruling:
        """Move the claims to ``new_name`` and rule it apart from ``old_name``: one transaction, one entry per claim."""
        new_name = (new_name or "").strip()
        if not has_visible(new_name):
            raise InputError("--as", new_name, "is empty", f"give the new {kind}'s name")
        if not claim_ids:
            raise InputError("--claim", "", "selects no claim", f"give --claim ID, or --from/--to dates that hold claims of this {kind}")
        why = f"split from {old_name!r}" + (f": {reason}" if reason and reason.strip() else "")
        with self._writing() as session:
            for claim_id in claim_ids:
                self._edit_claim_in(session, claim_id, {CLAIM_FIELD[kind]: new_name}, why, False)
            ruling = self._add_ruling_in(session, kind, "apart", new_name, old_name, reason)
            session.commit()
            return ruling
