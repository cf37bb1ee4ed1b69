"""What the tables should hold, replayed from the history, and how they differ from what they do hold.

``chain`` proves the history itself intact; this module turns an intact
history into the state each subject (``claim:2``, ``source:5``) should have
and names, field by field, where the stored rows disagree with it.

Pure: stdlib only, no database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ledger.errors import InputError
from ledger.provenance.chain import ChainProblem, Entry, canonical_json

_ADD_SUFFIX = ".add"


def replay(entries: Iterable[Entry]) -> dict[str, dict]:
    """The state each subject should have now, by folding its history in order.

    Payload conventions (storage writes entries this way):

    - ``source.add``, ``document.add``, ``claim.add`` (any ``*.add``): the
      record's full canonical dict (for a claim: its fields, ``value`` as a
      Quantity dict, dates as ISO strings); the state becomes that dict.
    - ``claim.correct``: ``{"value": {…quantity dict…}, "reason": str | None}``
      when the figure changed: the old ``value`` is appended to the state's
      ``corrections`` list (oldest first, as in ``Claim.corrections``) and
      ``value`` replaced; ``quote_states_figure``, when present, replaces the
      quote's check. Any other fields corrected are in ``changes`` (field →
      new value, as the claim's add payload holds it) and replace the state's.
    - ``claim.retract``: ``{"reason": str}``; sets ``retracted`` True and
      ``retraction_reason``. ``claim.restore`` sets ``retracted`` False.
    - ``*.edit`` (``source.edit``): ``changes`` replace the state's fields.
    - ``*.remove`` (``document.remove``): the subject has no state any more.
    - ``source.merge``, subject the source merged away (``source:ID``):
      ``{"from": name, "into": name}``; sets ``merged_into`` to the ``into`` name.

    Other actions leave state unchanged. A change to a subject with no
    ``*.add`` starts from an empty state, so :func:`compare_state` still
    reports the row.
    """
    state: dict[str, dict] = {}
    loads = json.loads
    for e in entries:
        action = e.action
        payload = loads(e.payload)
        if action.endswith(_ADD_SUFFIX):
            state[e.subject] = payload if isinstance(payload, dict) else {"value": payload}
        elif action == "claim.correct":
            current = state.setdefault(e.subject, {})
            if "value" in payload:
                current.setdefault("corrections", []).append(current.get("value"))
                current["value"] = payload["value"]
            if "quote_states_figure" in payload:  # a new figure may or may not be the one the quote states
                current["quote_states_figure"] = payload["quote_states_figure"]
            _apply_changes(current, payload)
        elif action.endswith(".edit"):
            _apply_changes(state.setdefault(e.subject, {}), payload)
        elif action.endswith(".remove"):
            state.pop(e.subject, None)
        elif action == "claim.restore":
            current = state.setdefault(e.subject, {})
            current["retracted"] = False
            current["retraction_reason"] = None
        elif action == "claim.retract":
            current = state.setdefault(e.subject, {})
            current["retracted"] = True
            current["retraction_reason"] = payload.get("reason")
        elif action == "source.merge":
            state.setdefault(e.subject, {})["merged_into"] = payload.get("into")
    return state


def _apply_changes(current: dict, payload: dict) -> None:
    changes = payload.get("changes")
    if isinstance(changes, dict):
        current.update(changes)
        current["edited"] = True  # a state recorded by hash only (``add_sha256``) is then compared field by field


def _subject_order(subject: str) -> tuple[str, int, str]:
    """Sort ``claim:2`` before ``claim:10``."""
    kind, _, ident = subject.partition(":")
    return (kind, int(ident), "") if ident.isdigit() else (kind, -1, ident)


def _subject_label(subject: str) -> str:
    kind, _, ident = subject.partition(":")
    return f"{kind} {ident}" if ident else subject


def _show(value: object) -> str:
    """A field value as a person reads it: a quantity by its words, the rest as JSON."""
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return value["text"]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return _show(to_dict())
    if isinstance(value, str):
        return value
    return canonical_json(value)


def _same(a: object, b: object) -> bool:
    # Compared as canonical JSON, so a tuple equals a list, a date its ISO
    # string and a Quantity its dict: the row and the history may hold either.
    if a == b and type(a) is type(b):
        return True
    try:
        return canonical_json(a) == canonical_json(b)
    except (TypeError, InputError):
        return False


def compare_state(expected: dict[str, dict], actual: dict[str, dict]) -> list[ChainProblem]:
    """Differences between the replayed history (``expected``) and the stored rows (``actual``).

    - ``row-altered``: a field present in both differs; fields only one side
      has are not compared (storage may keep derived columns, the history may
      carry fields storage does not), so storage should pass every column it
      has;
    - ``row-unrecorded``: a row no history entry created;
    - ``row-missing``: a subject the history has but no row.

    Problems come sorted by subject (``claim:2`` before ``claim:10``), fields
    alphabetically.
    """
    problems: list[ChainProblem] = []
    for subject in sorted(expected.keys() | actual.keys(), key=_subject_order):
        label = _subject_label(subject)
        if subject not in actual:
            problems.append(ChainProblem(None, "row-missing", f"{label}: in the history but not in the tables (deleted?)"))
            continue
        if subject not in expected:
            problems.append(ChainProblem(None, "row-unrecorded", f"{label}: in the tables but never recorded in the history"))
            continue
        want, have = expected[subject], actual[subject]
        for field in sorted(want.keys() & have.keys()):
            if not _same(have[field], want[field]):
                for name, stored, recorded in _differences(field, have[field], want[field]):
                    problems.append(
                        ChainProblem(None, "row-altered", f'{label}: stored {name} "{_show(stored)}" differs from history ("{_show(recorded)}")')
                    )
    return problems


def _differences(field: str, stored: object, recorded: object) -> list[tuple[str, object, object]]:
    """The parts of a field that differ, named ``value.low``: a figure's words can stay while its bounds change.

    A figure whose words changed is shown whole, by its words, as a reader
    would compare it.
    """
    if isinstance(stored, dict) and isinstance(recorded, dict) and _same(stored.get("text"), recorded.get("text")):
        parts = [
            (f"{field}.{key}", stored.get(key), recorded.get(key))
            for key in sorted(stored.keys() | recorded.keys()) if not _same(stored.get(key), recorded.get(key))
        ]
        if parts:
            return parts
    return [(field, stored, recorded)]

