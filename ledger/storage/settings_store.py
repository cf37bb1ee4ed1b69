"""Reading and writing the ledger's settings (``ledger.settings``) as ``setting.set`` history entries."""

from __future__ import annotations

import json

from sqlalchemy import bindparam, text

from ledger.settings import SETTINGS, check_key, check_setting

ACTION = "setting.set"


def read_settings(store) -> dict[str, str]:
    """Every setting that has a value: the newest entry per key, through the history's subject index."""
    query = text("SELECT subject, payload FROM history WHERE subject IN :subjects AND action = :action ORDER BY seq")
    values: dict[str, str | None] = {}
    with store.engine.connect() as conn:
        rows = conn.execute(query.bindparams(bindparam("subjects", expanding=True)),
                            {"subjects": [f"setting:{key}" for key in SETTINGS], "action": ACTION})
        for subject, payload in rows:
            try:
                value = json.loads(payload).get("value")
            except (ValueError, AttributeError):
                continue  # an unreadable entry: `ledger verify` names it; a setting must not stop a report
            values[subject.removeprefix("setting:")] = value if isinstance(value, str) else None
    return {key: value for key, value in values.items() if value is not None}


def write_setting(store, key: str, value: str | None) -> str | None:
    """Set ``key`` to ``value`` (checked), or unset it with None; one history entry either way."""
    if value is None:
        check_key(key)
    else:
        value = check_setting(key, value)
    with store._writing() as session:
        store.append_entry(session, ACTION, f"setting:{key}", {"value": value})
        session.commit()
    return value
