"""The wording of findings: short source names, quoted figures, and the reason given for a pair."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ledger.model import Source
from ledger.figures import Quantity
from ledger.reconcile.judge import _ordered
from ledger.reconcile.records import Figure


def display_names(sources: Iterable[Source]) -> dict[str, str]:
    """Short names for reasons: an acronym alias (SOHR) reads better than the full name."""
    shown = {}
    for s in sources:
        acronyms = [a for a in s.aliases if a.isupper() and 2 <= len(a) <= 6]
        shown[s.name] = acronyms[0] if acronyms else s.name
    return shown


def _quoted(q: Quantity) -> str:
    label = q.interval_label()
    return f'"{q.text}"' if q.text == label else f'"{q.text}" ({label})'


def _derived_label(f: Figure) -> str:
    return f"{f.value.interval_label()} (= {' + '.join(f.part_labels)})"


class _Reasons:
    def __init__(self, shown: dict[str, str]):
        self.shown = shown
        self._quoted: dict[int, tuple[Quantity, str]] = {}  # by id; the figure is kept, so the id stays its own
        self._when: dict[date, str] = {}

    def quoted(self, q: Quantity) -> str:
        found = self._quoted.get(id(q))
        if found is None or found[0] is not q:
            found = self._quoted[id(q)] = (q, _quoted(q))
        return found[1]

    def name(self, source: str) -> str:
        return self.shown.get(source, source)

    def who(self, f: Figure, with_outlet: bool) -> str:
        shown, said_by = self.shown, f.said_by
        text = shown.get(said_by, said_by)
        if f.via:
            relays = [shown.get(h, h) for h in f.via if h != said_by]
            if relays:
                text += f" via {', '.join(relays)}"
        if with_outlet and f.outlet and f.outlet != said_by and f.outlet not in f.via:
            text += f" in {self.name(f.outlet)}"
        return text

    def figure(self, f: Figure, with_outlet: bool = False) -> str:
        who = self.who(f, with_outlet)
        if f.derived:
            return f"{who} total {_derived_label(f)}"
        text = f"{_possessive(who)} {self.quoted(f.value)}"
        if f.corrected_from:
            text += f" (corrected from {self.quoted(f.corrected_from[-1])})"
        if f.unstated:
            text += " (its quote does not state it)"
        return text

    def step(self, f: Figure, speaker: bool = False) -> str:
        """One step of a voice's revisions: the figure, who said it (when a voice has several speakers), a note if
        its quote does not state it, and its date."""
        who = f" ({self.who(f, False)})" if speaker else ""
        note = " (its quote does not state it)" if f.unstated else ""
        return f"{self.quoted(f.value)}{who}{note}{self.when(f)}"

    def relay(self, relayed: Figure, direct: Figure) -> str:
        """A relay that carried an origin's figure differently from the origin's own statement that day."""
        relays = ", ".join(self.name(h) for h in relayed.via if h != relayed.said_by) or self.name(relayed.outlet or "")
        origin = self.name(direct.said_by)
        return (f"{relays} carried {_possessive(self.name(relayed.said_by))} figure as {self.quoted(relayed.value)}"
                f"{self.when(relayed)}, but {_possessive(origin)} own statement says {self.quoted(direct.value)}"
                f"{self.when(direct)}: a misquote or a stale figure")

    def when(self, f: Figure) -> str:
        if not f.as_of:
            return ""
        key = (f.as_of, f.as_of_at)
        found = self._when.get(key)
        if found is None:
            # A time shows its own UTC day: 01:00 in Damascus on the 22nd is 22:00 UTC on the 21st.
            moment = f"{f.as_of_at:%Y-%m-%d %H:%M} UTC" if f.as_of_at is not None else f.as_of.isoformat()
            found = self._when[key] = f" as of {moment}"
        return found

    def pair(self, verdict: str, a: Figure, b: Figure, cumulative: bool) -> str:
        # Name the publishing outlet only when it tells the two figures apart.
        outlets = a.outlet != b.outlet
        fa, fb = self.figure(a, outlets), self.figure(b, outlets)
        order = _ordered(a, b) if cumulative else None
        if order is not None and verdict != "agreement":
            earlier, later = order
            fe, fl = (fa, fb) if earlier is a else (fb, fa)
            if verdict == "contradiction":
                return f"{fl}{self.when(later)} is below {fe}{self.when(earlier)}; a cumulative count cannot fall"
            if later.value.high is not None and later.value.high < earlier.value.low:  # apart, but within loose words' reach
                return (f"{fl}{self.when(later)} is below {fe}{self.when(earlier)}, but only by what loose wording "
                        f"allows; a cumulative count cannot fall")
            if later.value.low < earlier.value.low and earlier.value.kind == "exact":
                return (f"{fl}{self.when(later)} goes lower than the earlier firm {fe}{self.when(earlier)}: not impossible, "
                        f"as it still allows {earlier.value.low:,}, but a cumulative count cannot fall, so the later figure lags")
            return f"{fl}{self.when(later)} differs from the earlier {fe}{self.when(earlier)}"
        if verdict == "contradiction":
            return f"{fa} and {fb} cannot both be true: the intervals do not overlap"
        if verdict == "agreement":
            return f"{fa} and {fb} give the same figure"
        # Divergence: say which interval sits inside which when one does.
        if b.value.contains(a.value):
            return f"{fa} lies within {fb}, but the figures differ"
        if a.value.contains(b.value):
            return f"{fb} lies within {fa}, but the figures differ"
        if not a.value.overlaps(b.value):
            return f"{fa} and {fb} do not overlap, but only by what loose wording allows"
        return f"{fa} and {fb} overlap but differ"


def part_of(reasons: _Reasons, part: Figure, whole: Figure, part_key: tuple, whole_key: tuple) -> str:
    """Why a part's figure above its whole's is impossible: who said each, for what, when."""
    if part_key[3] != whole_key[3]:
        inner, outer = f"in {part_key[3]}", f"in {whole_key[3]}" if whole_key[3] else "for the whole event"
    else:
        inner, outer = f"for {part_key[2]}", f"for {whole_key[2]}" if whole_key[2] else "for all"
    return (f"{reasons.figure(part)} {inner}{reasons.when(part)} is above {reasons.figure(whole)} {outer}"
            f"{reasons.when(whole)}: a part cannot exceed its whole")


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")
