"""The same claim recorded twice is refused with the first one's id, unless --again says the source said it again.

A claim's identity (docs/python-api.md, "The same claim twice"): the event
(case and spacing ignored), metric, group, the figure's words, the source
(or a source merged into it), the relays in order, the document, the
publication date and time, the period or as-of date and time, the location,
the quote and its original words. Not: the credibility grade, the time it was
recorded. A retracted claim blocks nothing.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from ledger import ClaimInput, InputError, open_ledger, parse_quantity

BASE = ["claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "-g", "ISIS fighters", "--value", "45", "-s", "SOHR",
        "--via", "Al Jazeera", "--doc", "1", "--as-of", "2022-01-22", "--location", "Hasakah", "--quote", "45 fighters"]
ARTICLE = "Clashes continue. The observatory said 45 fighters were killed, and 45 fighters more were arrested."


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


@pytest.fixture
def ledger_file(cli, tmp_path):
    cli.run("source", "add", "Syrian Observatory for Human Rights", "--alias", "SOHR", "--kind", "ngo")
    cli.run("source", "add", "Al Jazeera", "--kind", "media")
    cli.run("source", "add", "Reuters", "--kind", "media")
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    cli.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22", "--file", str(tmp_path / "article.txt"))
    cli.run("doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-23", "--file", str(tmp_path / "article.txt"))
    assert cli.run(*BASE).stdout.strip() == "1"
    return tmp_path / "ledger.db"


def test_the_same_claim_again_is_refused_with_its_id_and_nothing_changes(cli, ledger_file):
    before = _dump(ledger_file)
    result = cli.run(*BASE, code=2)
    assert result.stderr == "error: claim: the same claim is already recorded as 1; give --again to record it a second time\n"
    assert result.stdout == ""
    assert _dump(ledger_file) == before


def test_again_records_it_and_the_first_id_is_still_the_one_named(cli, ledger_file):
    assert cli.run(*BASE, "--again").stdout.strip() == "2"
    assert cli.run(*BASE, code=2).stderr.startswith("error: claim: the same claim is already recorded as 1;")
    assert len(cli.json("claim", "list")) == 2
    assert cli.run("verify").stdout.startswith("ok:")


@pytest.mark.parametrize("variant", [
    ["-e", "GHWERAN   prison attack"],  # the event by its key, as `claim list --event` finds it
    ["-s", "syrian observatory for human rights"],  # a source by any of its names
    ["--credibility", "2"],  # the recorder's grading, not what was said
])
def test_a_rewording_that_means_the_same_claim_is_refused(cli, ledger_file, variant):
    assert cli.run(*_replace(BASE, variant), code=2).stderr.startswith("error: claim: the same claim is already recorded as 1;")


@pytest.mark.parametrize("variant", [
    ["-e", "Hasakah prison break"], ["-m", "injured"], ["-g", "SDF"], ["--value", "forty-five"], ["-s", "Reuters"],
    ["--via", "Reuters"], ["--doc", "2"], ["--published", "2022-01-23"], ["--as-of", "2022-01-21"],
    ["--as-of", "2022-01-22T14:05+03:00"], ["--location", "Qamishli"], ["--quote", "45 fighters more"],
    ["--quote-original", "45 مقاتلا"],
])
def test_any_field_of_the_identity_changed_is_a_new_claim(cli, ledger_file, variant):
    assert cli.run(*_replace(BASE, variant)).stdout.strip() == "2"


def test_without_a_group_via_or_period_is_a_new_claim_too(cli, ledger_file):
    bare = ["claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "--value", "45", "-s", "SOHR"]
    assert cli.run(*bare).stdout.strip() == "2"
    assert cli.run(*bare, code=2).stderr.startswith("error: claim: the same claim is already recorded as 2;")  # NULLs match NULLs
    assert cli.run(*bare, "--period", "2022-01-20..2022-01-22").stdout.strip() == "3"


def test_a_retracted_claim_blocks_nothing_and_a_corrected_one_reads_as_corrected(cli, ledger_file):
    cli.run("claim", "retract", "1", "--reason", "misattributed")
    assert cli.run(*BASE).stdout.strip() == "2"
    cli.run("claim", "correct", "2", "--value", "46")
    assert cli.run(*BASE).stdout.strip() == "3"  # 2 now says 46
    assert cli.run(*_replace(BASE, ["--value", "46"]), code=2).stderr.startswith("error: claim: the same claim is already recorded as 2;")


def test_a_claim_of_a_source_since_merged_blocks_the_same_claim_of_its_target(cli, ledger_file):
    cli.run("source", "add", "the observatory", "--kind", "ngo")
    bare = ["claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "--value", "45", "--via", "Reuters"]
    assert cli.run(*bare, "-s", "the observatory").stdout.strip() == "2"
    cli.run("source", "merge", "Reuters", "Al Jazeera")
    cli.run("source", "merge", "the observatory", "SOHR")
    result = cli.run(*bare[:-1], "Al Jazeera", "-s", "SOHR", code=2)
    assert result.stderr.startswith("error: claim: the same claim is already recorded as 2;")


def test_the_library_raises_with_the_id_and_records_with_again(tmp_path):
    book = open_ledger(f"sqlite:///{tmp_path / 'api.db'}")
    book.add_source("SOHR", kind="ngo")
    claim = ClaimInput(event="A", metric="killed", value=parse_quantity("more than 70"), said_by="SOHR",
                       published=date(2022, 1, 22))
    first = book.add_claim(claim)
    with pytest.raises(InputError) as refused:
        book.add_claim(claim)
    assert refused.value.existing_id == first.id and refused.value.exit_code == 2
    assert str(refused.value) == f"claim: the same claim is already recorded as {first.id}; give --again to record it a second time"
    assert book.add_claim(claim, again=True).id == first.id + 1
    assert book.verify().ok


def test_the_lookup_goes_through_an_index_not_a_scan(tmp_path):
    """Cheap at a million claims: the query that finds a duplicate reads the claim table by an index."""
    from sqlalchemy import event

    book = open_ledger(f"sqlite:///{tmp_path / 'api.db'}")
    book.add_source("SOHR", kind="ngo")
    seen: list[tuple[str, tuple]] = []
    event.listen(book.store.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, params, context, many: seen.append((statement, params)))
    book.add_claim(ClaimInput(event="A", metric="killed", value=parse_quantity("7"), said_by="SOHR"))
    lookups = [(sql, params) for sql, params in seen if "claim.event_key = ?" in sql and "said_by_id IN" in sql]
    assert len(lookups) == 1, [sql for sql, _ in seen]
    with sqlite3.connect(tmp_path / "api.db") as conn:
        plan = " / ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + lookups[0][0], lookups[0][1]))
    assert "SEARCH claim USING INDEX" in plan and "SCAN claim" not in plan, plan


def _add_the_same(url: str, worker: int, barrier, results) -> None:
    book = open_ledger(url, user=f"writer-{worker}")
    claim = ClaimInput(event="A", metric="killed", value=parse_quantity("78"), said_by="SOHR", location="Hasakah")
    barrier.wait(120)
    outcomes = []
    for _ in range(10):
        try:
            outcomes.append(("recorded", book.add_claim(claim).id))
        except Exception as exc:  # anything but the refusal fails the test, with what it was
            outcomes.append(("refused", exc.existing_id) if hasattr(exc, "existing_id") else ("failed", repr(exc)))
    results.put(outcomes)


def test_four_processes_recording_the_same_claim_at_once_record_it_once(tmp_path):
    """The check runs under the write lock: no two writers can both find no duplicate."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    open_ledger(url).add_source("SOHR", kind="ngo")
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_add_the_same, args=(url, w, barrier, results)) for w in range(4)]
    for proc in procs:
        proc.start()
    outcomes = [item for _ in procs for item in results.get(timeout=300)]
    for proc in procs:
        proc.join(60)
    assert sorted(outcomes) == [("recorded", 1)] + [("refused", 1)] * 39
    with sqlite3.connect(tmp_path / "ledger.db") as conn:
        assert conn.execute("SELECT count(*) FROM claim").fetchone() == (1,)


def _replace(args: list[str], variant: list[str]) -> list[str]:
    """``args`` with the option ``variant[0]`` set to ``variant[1]`` (added if absent)."""
    args = list(args)
    if variant[0] in args:
        args[args.index(variant[0]) + 1] = variant[1]
    else:
        args.extend(variant)
    return args
