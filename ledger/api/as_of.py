"""The ledger as it stood after history entry SEQ, for ``ledger report --at SEQ``.

Every change is a history entry, so the tables after entry SEQ are the
current rows, except for the subjects a later entry touched: those are
replayed from their entries up to SEQ (``provenance.replay``), and subjects
added later are left out. The result, with the history up to SEQ, is restored
into a throw-away SQLite ledger by the same restore as a whole-ledger import,
which verifies it (every row against its history) before anything is
reported: a state that could not be rebuilt exactly fails loudly rather than
giving another report.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from ledger.errors import InputError, LedgerError

# table -> how a row names the subject whose history it belongs to
_SUBJECT = {"source": ("source", "id"), "source_name": ("source", "source_id"), "document": ("document", "id"),
            "claim": ("claim", "id"), "claim_relay": ("claim", "claim_id"), "name_rule": ("name_rule", "id")}


@contextmanager
def ledger_as_of(ledger, seq: int) -> Iterator:
    """A temporary ``Ledger`` holding ``ledger`` as it stood after entry ``seq``; deleted on leaving."""
    from ledger.api import open_ledger

    head, _ = ledger.store.head()
    if not 1 <= seq <= head:
        raise InputError("--at", seq, "is not an entry of this ledger's history",
                         f"give a seq from 1 to {head} (`ledger log`)" if head else "the history is empty")
    with tempfile.TemporaryDirectory(prefix="ledger-at-") as folder:
        past = open_ledger(f"sqlite:///{Path(folder) / 'as-of.db'}", ledger.user)
        try:
            result = past.import_records(_lines(ledger.store, seq), "jsonl", f"<history up to entry {seq}>")
        except LedgerError as exc:
            raise LedgerError(f"--at {seq}: the ledger as it stood then could not be rebuilt and verified: {exc}") from None
        if not result.restored:
            raise LedgerError(f"--at {seq}: the ledger as it stood then could not be rebuilt")
        past.store.as_of_seq = seq  # the report's stamp says what it was made from
        try:
            yield past
        finally:
            past.store.engine.dispose()


def _lines(store, seq: int) -> Iterator[str]:
    from itertools import groupby

    from ledger.model.fields import TABLES
    from ledger.storage.readers import table_rows

    touched = _touched(store, seq)
    states = _states(store, seq, touched)
    names = _source_names(store, states)
    columns = {record.table: record.column_names for record in TABLES}
    with store.engine.connect() as conn:
        next_name_id = iter(range((conn.execute(text("SELECT max(id) FROM source_name")).scalar() or 0) + 1, 2**62))
    for table, rows in groupby(table_rows(store), key=lambda item: item[0]):
        kind, key = _SUBJECT.get(table, (None, None))
        seen = set()
        for _, values in rows:
            if table == "history":
                if values["seq"] <= seq:
                    yield _row(table, values)
                continue
            subject = f"{kind}:{values[key]}" if kind else None
            if subject is None or subject not in touched:
                yield _row(table, values)
            elif table in ("source", "document", "claim", "name_rule") and subject in states:
                seen.add(subject)
                yield from _rebuilt(table, values, states[subject], names, next_name_id)
        if table in ("source", "document", "claim", "name_rule"):  # removed since: not among today's rows
            for subject in sorted((s for s in states if s.startswith(kind + ":") and s not in seen), key=_number):
                current = dict.fromkeys(columns[table])
                current["id"] = _number(subject)
                yield from _rebuilt(table, current, states[subject], names, next_name_id)


def _number(subject: str) -> int:
    return int(subject.partition(":")[2])


def _row(table: str, values: dict) -> str:
    return json.dumps({"record": "row", "table": table, "values": values}, ensure_ascii=False) + "\n"


def _touched(store, seq: int) -> set[str]:
    """Every subject an entry after ``seq`` is about, bulk entries spread over theirs."""
    from ledger.storage.rows import entry_from_row
    from ledger.storage.verify import REPLAY_EXPANDERS

    touched = set()
    with store.engine.connect() as conn:
        for row in conn.execute(text("SELECT * FROM history WHERE seq > :seq ORDER BY seq"), {"seq": seq}):
            expander = REPLAY_EXPANDERS.get(row.action)
            if expander is None:
                touched.add(row.subject)
                continue
            entry = entry_from_row(row)
            touched.update(item.subject for item in expander(entry, json.loads(row.payload)))
    return touched


def _states(store, seq: int, touched: set[str]) -> dict[str, dict]:
    """The touched subjects as their entries up to ``seq`` leave them (none: added after ``seq``)."""
    from ledger.provenance.replay import replay
    from ledger.storage.rows import entry_from_row

    entries = []
    wanted = sorted(touched)
    with store.engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ", ".join(f":s{i}" for i in range(len(chunk)))
            rows = conn.execute(text(f"SELECT * FROM history WHERE seq <= :seq AND subject IN ({marks})"),
                                {"seq": seq, **{f"s{i}": s for i, s in enumerate(chunk)}})
            entries += [entry_from_row(r) for r in rows]
    entries.sort(key=lambda e: e.seq)
    states = replay(entries)
    for subject, state in states.items():
        if "add_sha256" in state:
            raise LedgerError(f"--at {seq}: {subject} was imported by hash only; its state at entry {seq} cannot be rebuilt")
    return states


def _source_names(store, states: dict[str, dict]) -> dict[str, int]:
    """Source name -> id, as names stood: a merge entry names its target by name."""
    names = {source.name: source.id for source in store.list_sources()}
    names.update({state["name"]: int(subject.split(":")[1]) for subject, state in states.items()
                  if subject.startswith("source:") and isinstance(state.get("name"), str)})
    return names


def _rebuilt(table: str, current: dict, state: dict, names: dict[str, int], next_name_id) -> Iterator[str]:
    """The row (and its name or relay rows) a replayed state stands for."""
    from ledger.storage.rows import event_key, name_key

    ident = current["id"]
    if table == "claim":
        value = state.get("value") or {}
        row = {column: state.get(column) for column in current}
        row.update(id=ident, event_key=event_key(state["event"]), group_name=state.get("group"),
                   value_text=value.get("text"), value_low=value.get("low"), value_high=value.get("high"),
                   value_kind=value.get("kind"), value_best=value.get("best"), retracted=bool(state.get("retracted")))
        yield _row("claim", row)
        for position, source_id in enumerate(state.get("via_ids") or []):
            yield _row("claim_relay", {"claim_id": ident, "position": position, "source_id": source_id})
    elif table == "source":
        merged = state.get("merged_into")
        yield _row("source", {"id": ident, "name": state["name"], "kind": state.get("kind"), "affiliation_id": state.get("affiliation_id"),
                              "grade": state.get("grade"), "merged_into_id": names.get(merged) if merged else None})
        for alias, is_alias in [(state["name"], False), *((a, True) for a in state.get("aliases") or [])]:
            yield _row("source_name", {"id": next(next_name_id), "source_id": ident, "name": alias, "name_key": name_key(alias),
                                       "is_alias": is_alias})
    else:  # document (its text is not in the history: the stored one, which verify checks by hash), name_rule
        yield _row(table, {**{column: state.get(column) for column in current}, "id": ident,
                           **({"text": current.get("text")} if table == "document" else {})})
