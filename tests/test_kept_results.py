"""Report results kept beside the ledger (``ledger.storage.kept``): a report re-judges only what changed, and
what it prints is always what a report judging everything again prints; ``verify`` rebuilds them to check."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import ClaimInput, open_ledger, parse_quantity
from ledger.api.ledger import Ledger

EVENTS = ["Ghweran prison attack", "Ghwayran prison attack", "Ghweran Prison Attack", "Hasaka prison break",
          "Sinaa prison siege", "Raqqa airstrike 2017"]
METRICS = ["killed", "dead", "wounded", "arrested", "at large", "held"]
GROUPS = [None, None, "SDF", "Syrian Democratic Forces", "ISIS fighters", "civilians", "Islamic State fighters"]
VALUES = ["45", "28", "5", "78", "more than 70", "about 70", "dozens", "at least 40", "100", "0",
          "all the fugitives were arrested", "between 60 and 80"]
SOURCES = ["SOHR", "Reuters", "local sources", "Kurdistan 24"]
PLACES = [None, None, "Hasakah", "Al-Hasakah", "Ghweran", "Sinaa"]
DAYS = [date(2022, 1, d) for d in (20, 21, 22, 23)]

claim_fields = st.fixed_dictionaries({
    "event": st.sampled_from(EVENTS), "metric": st.sampled_from(METRICS), "group": st.sampled_from(GROUPS),
    "value": st.sampled_from(VALUES), "said_by": st.sampled_from(SOURCES), "location": st.sampled_from(PLACES),
    "published": st.sampled_from(DAYS),
    # one source's group figures in one document are summed into a total (a derived figure)
    "document_id": st.sampled_from([None, 1, 1, 2]),
})
step = st.one_of(
    st.tuples(st.just("add"), claim_fields),
    st.tuples(st.just("add"), claim_fields),
    st.tuples(st.just("add many"), st.lists(claim_fields, min_size=2, max_size=6)),
    st.tuples(st.just("correct value"), st.integers(1, 12), st.sampled_from(VALUES)),
    st.tuples(st.just("correct event"), st.integers(1, 12), st.sampled_from(EVENTS)),
    st.tuples(st.just("correct group"), st.integers(1, 12), st.sampled_from(GROUPS)),
    st.tuples(st.just("retract"), st.integers(1, 12)),
    st.tuples(st.just("restore"), st.integers(1, 12)),
    st.tuples(st.just("alias"), st.sampled_from(SOURCES), st.sampled_from(["Syrian Observatory", "Reuters news"])),
    st.tuples(st.just("merge events"), st.sampled_from(EVENTS), st.sampled_from(EVENTS)),
)


def report(book: Ledger, kept: bool, fmt: str = "json", **options) -> str:
    from ledger.errors import InputError

    out = io.StringIO()
    try:
        book.write_report(out.write, fmt=fmt, kept=kept, **options)
    except InputError as refused:
        return f"refused: {refused}"
    return out.getvalue().rsplit("Made ", 1)[0] if fmt == "table" else out.getvalue()


def apply(book: Ledger, step) -> None:
    """One step a researcher might take; a step the ledger refuses (a retracted claim corrected…) changes nothing."""
    from ledger.errors import LedgerError

    kind, *args = step
    try:
        if kind == "add":
            book.add_claim(ClaimInput(**{**args[0], "value": parse_quantity(args[0]["value"])}), create_sources=True,
                           again=True)
        elif kind == "add many":
            for fields in args[0]:
                book.add_claim(ClaimInput(**{**fields, "value": parse_quantity(fields["value"])}), create_sources=True,
                               again=True)
        elif kind == "correct value":
            book.correct_claim(args[0], value=parse_quantity(args[1]), reason="update")
        elif kind == "correct event":
            book.correct_claim(args[0], event=args[1], reason="misfiled")
        elif kind == "correct group":
            book.correct_claim(args[0], group=args[1], reason="misread")
        elif kind == "retract":
            book.retract_claim(args[0], "misread")
        elif kind == "restore":
            book.restore_claim(args[0], "read again")
        elif kind == "alias":
            book.edit_source(args[0], aliases=[args[1]])
        elif kind == "merge events":
            book.merge_names("event", args[0], args[1])
    except LedgerError:
        pass


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(step, min_size=1, max_size=4), min_size=1, max_size=6))
def test_a_kept_report_is_the_report_rebuilt_from_scratch(rounds):
    """After every round of changes the report from kept results (updated, not rebuilt) equals a full rebuild,
    in every format, with agreements and for one event; and verify finds the kept results sound."""
    with tempfile.TemporaryDirectory() as folder:
        book = open_ledger(f"sqlite:///{Path(folder) / 'ledger.db'}", user="tester")
        for source in SOURCES:
            book.add_source(source, kind="media")
        for day in DAYS[1:3]:
            book.add_document("Reuters", day, title=f"Hasaka, {day}")
        for changes in rounds:
            for change in changes:
                apply(book, change)
            # JSON and tables twice: made (and their text kept), then read as kept
            assert report(book, kept=True) == report(book, kept=True) == report(book, kept=False)
            for _ in range(2):
                assert report(book, kept=True, fmt="table", include_agreement=True) == \
                    report(book, kept=False, fmt="table", include_agreement=True)
            assert report(book, kept=True, fmt="csv", event="Ghweran prison attack") == \
                report(book, kept=False, fmt="csv", event="Ghweran prison attack")
            assert book.verify().ok, book.verify().problems
            assert filed_by_kept_names(book) == filed_by_names_resolved_again(book) == filed_by_kept_rows(book)
        book.store.engine.dispose()


def filed_by_kept_names(book: Ledger) -> dict:
    from ledger.storage.kept import names_if_current

    live = any(not claim.retracted for claim in book.list_claims())
    assert (names_if_current(book.store, book.store.name_rulings()) is not None) == live  # the report just kept them
    book._keys = None
    return book.quantities(book.list_claims())


def filed_by_kept_rows(book: Ledger) -> dict:
    """What ``claim list`` files each claim under when it reads the kept name rows (``quick_listing``)."""
    from ledger.api import quick_listing

    listing = quick_listing(book.url)
    if listing is None:  # nothing kept: no live claims to report on
        assert all(claim.retracted for claim in book.list_claims())
        return filed_by_names_resolved_again(book)
    with listing:
        return {claim.id: listing.quantity_of(claim) for claim in listing.claims}


def filed_by_names_resolved_again(book: Ledger) -> dict:
    from ledger.reconcile import QuantityKeys

    counts, located = book.store.quantity_names()
    keys = QuantityKeys.of(counts, book.list_sources(), book.store.name_rulings(), located)
    return {claim.id: keys(claim) for claim in book.list_claims()}


def test_a_report_judges_only_the_events_changed_since_the_last(cli, monkeypatch):
    """Through the CLI, on either backend: an unchanged ledger's report judges nothing, a new claim re-judges
    its event alone, and each report reads as one judging everything (--rebuild) does."""
    from ledger.reconcile.reconciler import Reconciler

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    judged = []
    real = Reconciler.judged
    monkeypatch.setattr(Reconciler, "judged", lambda self, events: judged.append(sorted(set(events.values())))
                        or real(self, events))
    cli.run("demo")
    assert judged == [["Ghweran prison attack", "ISIS attacks on Ghweran prison", "ISIS detention in north-east Syria"]]
    judged.clear()
    unchanged = cli.run("report").stdout
    assert judged == []  # read from the kept results
    from ledger.storage import kept

    with monkeypatch.context() as patched:  # the same report again: its text as kept, no finding decoded
        patched.setattr(kept, "decoder", None)
        assert cli.run("report").stdout == unchanged
    cli.run("claim", "add", "-e", "Ghwayran prison attack", "-m", "dead", "--value", "150", "-s", "Al Jazeera",
            "--published", "2022-01-24")
    changed = cli.run("report").stdout
    assert judged == [["Ghweran prison attack"]]  # the new spelling's event, and only it
    assert changed != unchanged and "150" in changed
    assert cli.run("report", "--rebuild").stdout == changed
    assert cli.run("verify").stdout.startswith("ok:")


def test_a_report_does_not_wait_for_a_writer_to_keep_its_results(cli, isolated_db):
    """SQLite: another process holds the write lock (an import); the report prints at once and keeps nothing."""
    import sqlite3
    import time

    cli.run("demo")
    cli.run("claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "--value", "80", "-s", "SOHR")
    holder = sqlite3.connect(isolated_db.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        held = cli.run("report").stdout
        assert time.monotonic() - started < 10  # writers wait for one another up to a minute
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert cli.run("report").stdout.split("Made ")[0] == held.split("Made ")[0]


def test_kept_results_that_cannot_be_read_are_judged_again_not_failed_on(cli, isolated_db, monkeypatch):
    import sqlite3

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    cli.run("demo")
    expected = cli.run("report").stdout
    path = isolated_db.removeprefix("sqlite:///")
    for forged in ("UPDATE kept_event SET findings = X'00'", "UPDATE kept_report SET names = X'789c0300'",
                   "UPDATE kept_text SET text = X'00'", "UPDATE kept_text SET tally = 'x'"):
        with sqlite3.connect(path) as conn:
            conn.execute(forged)
            if not forged.startswith("UPDATE kept_text"):  # the kept text unread, the report reads those rows
                conn.execute("DELETE FROM kept_text")
        assert cli.run("report").stdout == expected
        assert cli.run("claim", "list").exit_code == 0
        assert cli.run("verify").stdout.startswith("ok:")  # judged again and kept anew by that report


def test_a_ledger_in_memory_brings_its_kept_results_up_to_date_as_a_file_does():
    """SQLite in memory is one database per thread: what counts the names alongside must not reach another one."""
    book = open_ledger("sqlite://", user="tester")
    for source in SOURCES:
        book.add_source(source, kind="media")
    first = [("add", {"event": event, "metric": "killed", "group": None, "value": value, "said_by": source,
                      "location": None, "published": DAYS[0], "document_id": None})
             for event, value, source in (("Ghweran prison attack", "45", "SOHR"), ("Ghweran prison attack", "78", "Reuters"),
                                          ("Raqqa airstrike 2017", "dozens", "SOHR"), ("Raqqa airstrike 2017", "100", "Reuters"))]
    for change in first:
        apply(book, change)
    assert report(book, kept=True, fmt="table") == report(book, kept=False, fmt="table")
    apply(book, ("add", {**first[0][1], "value": "more than 70", "said_by": "local sources"}))
    kept = report(book, kept=True, fmt="table")
    assert "5 (F6)" in kept and kept == report(book, kept=False, fmt="table")  # the new claim, in its finding
    assert book.verify().ok, book.verify().problems
