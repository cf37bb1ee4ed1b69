"""Every command refuses bad input cleanly, and every table's tampering is caught by `ledger verify`.

Both lists are enumerated from the code: the commands from the typer app, the tables from the
storage layer's SQLModel metadata. A new command without a case in ``BAD_INPUT``, or a new table
without tamper and reorder edits in ``TAMPER``, fails a test by name.
Each case runs against a copy of one ledger seeded once per module through the CLI, on SQLite and,
in the PostgreSQL run, on the server, edited there with its own SQL (``ledger_copies.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import CliRunner

from ledger.cli import app
from ledger_copies import Edit, PostgresCopies, SQLiteCopies

SEED = Path(__file__).resolve().parent.parent / "seeds" / "hasaka-prison-2022.txt"
KILLED = ["--event", "Ghweran prison attack", "--metric", "killed"]

# Sources (aliases, an affiliation, a merge), a document with text, claims with relays, a period,
# an as-of date, a quote, a correction and a retraction: a row in every table, every history action.
SEED_STEPS = [
    ["source", "add", "Al Jazeera", "--alias", "Al-Jazeera", "--kind", "media", "--grade", "B"],
    ["source", "add", "Syrian Observatory for Human Rights", "--alias", "SOHR", "--kind", "ngo"],
    ["source", "add", "Reuters", "--kind", "media", "--grade", "A"],
    ["source", "add", "local sources", "--kind", "anonymous", "--affiliation", "SOHR"],
    ["source", "add", "OSDH", "--kind", "ngo"],
    ["source", "merge", "OSDH", "SOHR", "--reason", "same organisation"],
    ["doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22", "--file", str(SEED),
     "--url", "https://www.aljazeera.net/news/2022/1/22/hasaka", "--title", "Clashes continue in Hasaka"],
    ["claim", "add", *KILLED, "-g", "ISIS fighters", "--value", "45", "-s", "SOHR", "--via", "Reuters", "--doc", "1",
     "--credibility", "3", "--quote", "45 fighters from the “Islamic State” organization"],
    ["claim", "add", *KILLED, "--value", "more than 70", "-s", "local sources", "--via", "Reuters", "--via", "Al Jazeera",
     "--period", "2022-01-20..2022-01-22", "--location", "Hasakah"],
    ["claim", "add", *KILLED, "-g", "ISIS fighters", "--value", "40", "-s", "Reuters", "--as-of", "2022-01-22"],
    ["claim", "correct", "1", "--value", "47", "--reason", "SOHR update"],
    ["claim", "retract", "3", "--reason", "misread"],
    ["event", "edit", "Ghweran prison attack", "--date", "2022-01-20", "--place", "Hasakah"],
    ["report"],  # keeps its results beside the ledger (kept_report, kept_event, kept_name, kept_text)
]


@pytest.fixture(scope="module")
def template(tmp_path_factory, postgres) -> Path | None:
    """``SEED_STEPS`` run once per module; each case starts from a copy."""
    if postgres is not None:
        path, db = None, postgres.url
    else:
        path = tmp_path_factory.mktemp("template") / "ledger.db"
        db = str(path)
    runner = CliRunner()
    for step in SEED_STEPS:
        result = runner.invoke(app, ["--db", db, "--by", "tester", *step], catch_exceptions=False)
        assert result.exit_code == 0, f"{step}: {result.output}"
    return path


@pytest.fixture(scope="module")
def copies(template, postgres):
    """How this run lays the template down for a test and edits it behind the tool's back (ledger_copies.py)."""
    if postgres is None:
        yield SQLiteCopies(template)
        return
    kept = PostgresCopies(postgres)
    postgres.drop(postgres.url)  # the template's rows are kept in memory; the first test lays them down
    yield kept
    kept.close()


@pytest.fixture
def ledger_copy(copies, isolated_db):
    """This test's ledger (conftest's LEDGER_DB): the template laid down afresh."""
    copies.lay_down(isolated_db)
    return copies


def invoke(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), f"{args}: raised {result.exception!r}"
    assert "Traceback" not in result.output
    return result


def leaf_commands() -> set[tuple[str, ...]]:
    import typer.main

    found = set()

    def walk(command, path):
        if getattr(command, "commands", None):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
        else:
            found.add(path)

    walk(typer.main.get_command(app), ())
    return found


# -- bad input -----------------------------------------------------------------------


class Bad(NamedTuple):
    """A malformed invocation (after the command's path) and what its one ``error:`` line starts with.

    ``code`` 2 is bad input, 1 a failure. ``usage``: rejected by typer's parser before the command
    runs; it prints a Usage line and a boxed "Error" naming the field, not an ``error:`` line.
    ``before``: global options given ahead of the command.
    """

    args: tuple[str, ...]
    field: str
    code: int = 2
    usage: bool = False
    before: tuple[str, ...] = ()


CLAIM = ("-e", "A", "-m", "killed", "--value", "5", "-s", "SOHR")
# The test's own ledger, as a user names it: ./ledger.db on SQLite, its URL on PostgreSQL.
OPEN_LEDGER = "{open ledger}"
PUBLISHED = ("--outlet", "Al Jazeera", "--published", "2022-01-22")

BAD_INPUT: dict[tuple[str, ...], list[Bad]] = {
    ("quantity",): [Bad(("a lot of",), "TEXT")],
    ("resolve",): [Bad((), "NAME"), Bad((" ",), "NAME")],
    ("report",): [Bad(("--format", "xml"), "--format"), Bad(("--fail-on", "agreement"), "--fail-on"),
                  Bad(("--extracted", "both"), "--extracted"),
                  Bad(("--event", "nothing"), "--event"), Bad(("--format", "html"), "--format"),
                  Bad(("--output", "no-such-dir/report.html"), "--output"), Bad(("--at", "999"), "--at")],
    ("demo",): [Bad(("--format", "xml"), "--format"), Bad(("--db", OPEN_LEDGER), "--db"),
                Bad(("--seeds", "no-such-dir"), "--seeds"), Bad(("--json", "--format", "csv"), "--format")],
    ("verify",): [Bad(("--head", "xyz"), "--head")],
    ("audit",): [Bad(("99",), "ID"), Bad(("0",), "ID")],
    ("log",): [Bad(("--since", "-1"), "--since")],
    ("import",): [Bad(("missing.csv",), "FILE"), Bad(("latin1.csv",), "FILE"),
                  Bad(("rows.csv", "--format", "xml"), "--format"),
                  Bad(("rows.csv",), "1 problem in rows.csv"),  # then one line per row: rows.csv:2: said_by: …
                  Bad(("rows.csv", "--dry-run"), "1 problem in rows.csv"),
                  Bad(("rows.csv", "--map", "Figure"), "--map"), Bad(("rows.csv", "--date-format", "dmy"), "--date-format")],
    ("extract",): [Bad(("missing.txt",), "FILE"), Bad(("latin1.csv",), "FILE"), Bad(("rows.csv", "--accept-all"), "--event"),
                   Bad(("rows.csv", "--doc", "9"), "--doc"), Bad(("rows.csv", "--outlet", "Nobody"), "--outlet"),
                   Bad(("rows.csv", "--doc", "1", "--retrieved", "2022-01-23"), "--retrieved"),
                   Bad(("rows.csv", "-e", "A", "--accept-all", *PUBLISHED, "--retrieved", "2021-01-01"), "--retrieved"),
                   Bad(("rows.csv", "-e", "A", "--accept-all", *PUBLISHED, "--review"), "--review")],
    ("export",): [Bad(("--format", "xml"), "--format"), Bad(("--format", "claimreview"), "--format"),  # no reviewer set
                  Bad(("--output", "no-such-dir/out.jsonl"), "--output")],
    ("copy",): [Bad(("--to", OPEN_LEDGER), "--to"), Bad(("--to", ""), "--to"), Bad(("--to", "x.db", "--from", "empty.db"), "--from")],
    ("source", "add"): [Bad(("X", "--kind", "goverment"), "--kind"), Bad(("X", "--grade", "Z"), "--grade"),
                        Bad(("X", "--affiliation", "Nobody"), "--affiliation"), Bad(("X", "--alias", "sohr"), "--alias"),
                        Bad(("reuters",), "NAME"), Bad((" ",), "NAME")],
    ("source", "list"): [Bad(("--bogus",), "--bogus"),
                         Bad((), "--db: 'missing/dir/x.db' is not a ledger: there is no such file", before=("--db", "missing/dir/x.db"))],
    ("source", "merge"): [Bad(("Nobody", "SOHR"), "FROM"), Bad(("SOHR", "Nobody"), "INTO"), Bad(("OSDH", "SOHR"), "FROM")],
    ("doc", "add"): [Bad(("--outlet", "Al Jazeera", "--published", "22/01/2022"), "--published"),
                     Bad(("--outlet", "Al Jazira", "--published", "2022-01-22"), "--outlet"),
                     Bad((*PUBLISHED, "--file", "missing.txt"), "--file"),
                     Bad((*PUBLISHED, "--retrieved", "2022-02-30"), "--retrieved"),
                     Bad((*PUBLISHED, "--retrieved", "2022-01-21"), "--retrieved"),  # before it was published
                     Bad(("--outlet", "Al Jazeera", "--published", "2022-01-22", "--file", str(SEED),  # its text, recorded
                          "--url", "https://www.aljazeera.net/news/2022/1/22/hasaka"), "--url")],
    ("doc", "list"): [Bad(("--bogus",), "--bogus")],
    ("doc", "remove"): [Bad(("1", "--reason", "dup"), "ID"), Bad(("9", "--reason", "dup"), "ID"),
                        Bad(("1", "--reason", " "), "--reason")],
    ("source", "edit"): [Bad(("Nobody", "--grade", "B"), "NAME"), Bad(("SOHR", "--kind", "goverment"), "--kind"),
                         Bad(("SOHR", "--grade", "Z"), "--grade"), Bad(("SOHR",), "NAME"),
                         Bad(("SOHR", "--alias", "Reuters"), "--alias"), Bad(("SOHR", "--clear", "grad"), "--clear"),
                         Bad(("SOHR", "--affiliation", "OSDH"), "--affiliation"),
                         Bad(("SOHR", "--kind", "ngo"), "NAME")],  # already says that
    ("doc", "show"): [Bad(("0",), "ID"), Bad(("7",), "ID", code=2)],
    ("claim", "add"): [Bad((*CLAIM[:4], "--value", "a lot of", "-s", "SOHR"), "--value"),
                       Bad((*CLAIM[:6], "-s", "Nobody"), "--said-by"), Bad((*CLAIM, "--via", "Nobody"), "--via"),
                       Bad((*CLAIM, "--doc", "9"), "--doc"), Bad((*CLAIM, "--published", "2022-02-30"), "--published"),
                       Bad((*CLAIM, "--period", "2022-01-22..2022-01-20"), "--period"),
                       Bad((*CLAIM, "--credibility", "9"), "--credibility"), Bad(("-e", " ", *CLAIM[2:]), "--event"),
                       Bad((*CLAIM, "--location", " \n "), "--location"),
                       Bad((*CLAIM, "--doc", "1", "--quote", "nowhere in the text at all"), "--quote")],
    ("claim", "list"): [Bad(("--source", "Nobody"), "--source"), Bad(("--metric", "kiled"), "--metric"),
                        Bad(("--since", "2022-02-30"), "--since"), Bad(("--json", "--csv"), "--csv")],
    ("setting", "list"): [Bad(("--csv", "--nl"), "--nl")],
    ("setting", "set"): [Bad(("reviewer", "X"), "KEY"), Bad(("review.url", "https://example.org/"), "VALUE"),
                         Bad(("reviewer.url", "javascript:alert(1)"), "VALUE"), Bad(("reviewer.name", " "), "VALUE")],
    ("setting", "unset"): [Bad(("url",), "KEY")],
    ("claim", "show"): [Bad(("99",), "ID"), Bad(("x",), "ID")],
    ("claim", "correct"): [Bad(("99", "--value", "5"), "ID"), Bad(("1", "--value", "a lot of"), "--value"),
                           Bad(("3", "--value", "5"), "ID"),  # 3 is retracted
                           Bad(("1", "--said-by", "Nobody"), "--said-by"), Bad(("1", "--event", " "), "--event"),
                           Bad(("1", "--clear", "grup"), "--clear"), Bad(("1",), "ID"),
                           Bad(("1", "--doc", "1", "--quote", "nowhere in the text at all"), "--quote"),
                           Bad(("1", "--clear", "group", "--group", "x"), "--clear")],
    **{(kind, "list"): [Bad(("--bogus",), "--bogus")] for kind in ("event", "group", "place")},
    **{(kind, "merge"): [Bad(("Nothing here", name), "FROM"), Bad((name, "Nothing here"), "INTO"), Bad((name, name), "FROM"),
                         Bad((" ", name), "FROM")]
       for kind, name in (("event", "Ghweran prison attack"), ("group", "ISIS fighters"), ("place", "Hasakah"))},
    **{(kind, "alias"): [Bad(("x", "Nothing here"), "NAME"), Bad((name, name), "ALIAS"), Bad((" ", name), "NAME")]
       for kind, name in (("event", "Ghweran prison attack"), ("group", "ISIS fighters"), ("place", "Hasakah"))},
    **{(kind, "split"): [Bad(("Nothing here", "--as", "x", "--claim", "1"), "NAME"), Bad((name, "--claim", "1"), "--as"),
                         Bad((name, "--as", "x"), "--claim"), Bad((name, "--as", "x", "--claim", "3"), "--claim"),
                         Bad((name, "--as", "x", "--from", "2022-02-30"), "--from"),
                         Bad((name, "--spelling", "Nothing"), "--spelling")]
       for kind, name in (("event", "Ghweran prison attack"), ("group", "ISIS fighters"), ("place", "Hasakah"))},
    ("event", "edit"): [Bad(("Nothing here", "--date", "2022-01-20"), "NAME"), Bad(("Ghweran prison attack", "--date", "20/01/2022"), "--date"),
                        Bad(("Ghweran prison attack",), "NAME"), Bad(("Ghweran prison attack", "--clear", "dat"), "--clear"),
                        Bad(("Ghweran prison attack", "--date", "2022-01-20"), "NAME")],  # already ruled
    ("group", "edit"): [Bad(("Nothing here", "--within", "all"), "NAME"), Bad(("ISIS fighters", "--clear", "within"), "--clear"),
                        Bad(("ISIS fighters", "--within", "ISIS fighters"), "OTHER")],
    ("place", "edit"): [Bad(("Nothing here", "--within", "Syria"), "NAME"), Bad(("Hasakah",), "NAME")],
    ("claim", "restore"): [Bad(("99", "--reason", "x"), "ID"), Bad(("1", "--reason", "x"), "ID"),
                           Bad(("3", "--reason", " "), "--reason")],
    ("claim", "retract"): [Bad(("99", "--reason", "x"), "ID"), Bad(("3", "--reason", "x"), "ID"),
                           Bad(("1", "--reason", " "), "--reason")],
}


def test_every_command_has_a_bad_input_case():
    commands = leaf_commands()
    missing = sorted(" ".join(c) for c in commands - BAD_INPUT.keys())
    stale = sorted(" ".join(c) for c in BAD_INPUT.keys() - commands)
    assert not missing, f"commands without a BAD_INPUT case: {missing}"
    assert not stale, f"BAD_INPUT cases for commands that do not exist: {stale}"
    assert all(BAD_INPUT.values())


def _bad_cases():
    for path, cases in BAD_INPUT.items():
        for bad in cases:
            yield pytest.param(path, bad, id=" ".join((*bad.before, *path, *bad.args)))


@pytest.mark.parametrize("path, bad", list(_bad_cases()))
def test_bad_input_is_one_error_line_naming_the_field_and_leaves_the_ledger_unchanged(ledger_copy, isolated_db, path, bad):
    Path("rows.csv").write_text("event,metric,value,said_by\nA,killed,5,Nobody\n", encoding="utf-8")  # the test's folder
    Path("latin1.csv").write_bytes("event,metric,value,said_by\nA,tués,5,SOHR\n".encode("latin-1"))
    before = ledger_copy.dump()
    named = "ledger.db" if isinstance(ledger_copy, SQLiteCopies) else isolated_db
    result = invoke(*bad.before, *path, *(named if arg == OPEN_LEDGER else arg for arg in bad.args))
    assert result.exit_code == bad.code, result.output
    if bad.usage:
        assert result.output.startswith("Usage: ") and bad.field in result.output, result.output
    else:
        errors = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, result.output
        assert errors[0].startswith(f"error: {bad.field}"), errors[0]
    assert ledger_copy.dump() == before


# -- tampering -----------------------------------------------------------------------


def storage_tables() -> set[str]:
    import sqlmodel

    from ledger.storage import tables  # noqa: F401  (registers the tables on the metadata)

    return set(sqlmodel.SQLModel.metadata.tables) - {"alembic_version"}


def backdate_last_entry(conn) -> None:
    """Move the last history entry's time before its predecessor's and re-hash it, as a forger would."""
    from ledger.provenance import chain

    seq, _, user, action, subject, payload, prev = conn.execute(
        'SELECT seq, recorded_at, "user", action, subject, payload, prev_hash FROM history ORDER BY seq DESC LIMIT 1').fetchone()
    at = "2000-01-01T00:00:00+00:00"
    conn.execute("UPDATE history SET recorded_at = ?, hash = ? WHERE seq = ?",
                 (at, chain.entry_hash(seq, at, user, action, subject, payload, prev), seq))


FORGED_CLAIM = ("INSERT INTO claim (id, event, event_key, metric, value_text, value_low, value_high, value_kind, value_best, "
                "said_by_id, quote_verified, recorded_at, retracted) SELECT {id}, event, event_key, metric, '99', 99, 99, "
                "'exact', 99, said_by_id, false, recorded_at, false FROM claim WHERE id = 3")
FORGED_ENTRY = ('INSERT INTO history (seq, recorded_at, "user", action, subject, payload, prev_hash, hash) '
                "SELECT {seq}, recorded_at, \"user\", '{action}', '{subject}', '{payload}', hash, hash FROM history WHERE seq = 12")

def reorder_kept_text(conn) -> None:
    """The kept report text's lines in another order, compressed as the ledger compresses it."""
    import zlib

    blob = conn.execute("SELECT text FROM kept_text WHERE options = 'table'").fetchone()[0]
    lines = zlib.decompress(bytes(blob)).decode("utf-8").splitlines(keepends=True)
    conn.execute("UPDATE kept_text SET text = ? WHERE options = 'table'",
                 (zlib.compress("".join(reversed(lines)).encode("utf-8")),))


def forge_kept_finding(conn) -> None:
    """Add a contradiction to the kept report results, encoded as the ledger encodes them, as a forger would."""
    from ledger.reconcile.kept import decoder, encode_findings
    from ledger.reconcile.records import Finding, QuantityKey

    event, blob = conn.execute("SELECT event, findings FROM kept_event").fetchone()
    findings, places = decoder().findings(bytes(blob))
    forged = Finding(QuantityKey(event, "killed", None), "contradiction", "forged", (), (1, 2), None, 1.0)
    conn.execute("UPDATE kept_event SET findings = ? WHERE event = ?", (encode_findings([*findings, forged], places), event))


def forge_kept_names(conn) -> None:
    """File every event name under another canonical name in the kept names."""
    from dataclasses import replace

    from ledger.names.rulings import NO_RULINGS
    from ledger.reconcile.kept import decode_names, encode_names

    names, located, place_notes = decode_names(bytes(conn.execute("SELECT names FROM kept_report").fetchone()[0]), NO_RULINGS)
    forged = replace(names, events={n: "Forged" for n in names.events})
    conn.execute("UPDATE kept_report SET names = ?", (encode_names(forged, located, place_notes),))


# table -> [(edit, what verify's output must name)]. Each edit changes what a listing, report or audit shows.
TAMPER: dict[str, list[tuple[Edit, str]]] = {
    "source": [
        ("UPDATE source SET grade = 'C' WHERE id = 1", 'source 1: stored grade "C" differs from history ("B")'),
        ("UPDATE source SET merged_into_id = NULL WHERE id = 5", "source 5: stored merged_into"),
        ("DELETE FROM source WHERE id = 3", "source 3: in the history but not in the tables"),
        ("INSERT INTO source (id, name, kind) VALUES (6, 'Forged', 'ngo')", "source 6: in the tables but never recorded"),
    ],
    "source_name": [  # a source's own name row: see ONCE_HIDDEN
        ("UPDATE source_name SET name = 'AJ' WHERE id = 2", "source 1: stored aliases"),
        ("DELETE FROM source_name WHERE id = 4", "source 2: stored aliases"),
        ("INSERT INTO source_name (source_id, name, name_key, is_alias) VALUES (3, 'Pentagon', 'pentagon', true)",
         "source 3: stored aliases"),
    ],
    "document": [
        ("UPDATE document SET text = replace(text, '45 fighters', '55 fighters') WHERE id = 1",
         "document 1: stored text hashes to "),
        ("UPDATE document SET title = 'Forged' WHERE id = 1", "document 1: stored title"),
        ("DELETE FROM document WHERE id = 1", "document 1: in the history but not in the tables"),
        ("INSERT INTO document (id, outlet_id, published) VALUES (2, 1, '2022-01-23')", "document 2: in the tables but never recorded"),
        ("UPDATE document SET published_at = '2022-01-21T22:00:00+00:00' WHERE id = 1",
         'document 1: stored published_at "2022-01-21T22:00:00+00:00" differs from history ("null")'),
        # columns of revision 0005 (document versions): in the history only when set
        ("UPDATE document SET archive_url = 'https://archive.example/forged' WHERE id = 1",
         'document 1: stored archive_url "https://archive.example/forged" differs from history ("null")'),
        ("UPDATE document SET retrieved = '2022-01-23' WHERE id = 1", 'document 1: stored retrieved "2022-01-23" differs from history'),
        ("UPDATE document SET previous_id = 1 WHERE id = 1", 'document 1: stored previous_id "1" differs from history ("null")'),
    ],
    "claim": [
        ("UPDATE claim SET value_text = '60', value_low = 60, value_high = 60, value_best = 60 WHERE id = 1",
         'claim 1: stored value "60" differs from history ("47")'),
        ("UPDATE claim SET said_by_id = 1 WHERE id = 2", "claim 2: stored said_by_id"),
        ("UPDATE claim SET retracted = false WHERE id = 3", "claim 3: stored retracted"),
        ("DELETE FROM claim WHERE id = 2", "claim 2: in the history but not in the tables"),
        (FORGED_CLAIM.format(id=4), "claim 4: in the tables but never recorded"),
        # columns added by the second schema revision: in the history only when set
        ("UPDATE claim SET quote_states_figure = true WHERE id = 1",
         'claim 1: stored quote_states_figure "true" differs from history ("false")'),
        ("UPDATE claim SET published_at = '2022-01-22T05:00:00+00:00' WHERE id = 2",
         'claim 2: stored published_at "2022-01-22T05:00:00+00:00" differs from history ("null")'),
        ("UPDATE claim SET quote_original = 'forged' WHERE id = 1", 'claim 1: stored quote_original "forged"'),
    ],
    "claim_relay": [
        ("UPDATE claim_relay SET source_id = 1 WHERE claim_id = 1", 'claim 1: stored via_ids "[1]" differs from history ("[3]")'),
        ("DELETE FROM claim_relay WHERE claim_id = 2 AND position = 1", "claim 2: stored via_ids"),
        ("INSERT INTO claim_relay (claim_id, position, source_id) VALUES (3, 0, 1)", "claim 3: stored via_ids"),
    ],
    "history": [
        ("UPDATE history SET payload = replace(payload, '\"45\"', '\"46\"') WHERE seq = 8",
         "entry 8 (claim.add claim:1): contents do not match its hash"),
        ("UPDATE history SET \"user\" = 'mallory' WHERE seq = 11", "entry 11 (claim.correct claim:1): contents do not match"),
        ("DELETE FROM history WHERE seq = 9", "entry 9 missing before entry 10"),
        ("DELETE FROM history WHERE seq = 12", 'claim 3: stored retracted "true" differs from history ("false")'),
        (FORGED_ENTRY.format(seq=15, action="claim.retract", subject="claim:1", payload='{"reason":"forged"}'),
         "entry 15 (claim.retract claim:1)"),
    ],
    "name_rule": [  # 1: the event's date, 2: its place
        ("UPDATE name_rule SET other = '2022-01-21' WHERE id = 1", 'name_rule 1: stored other "2022-01-21" differs from history ("2022-01-20")'),
        ("UPDATE name_rule SET name_key = 'ghwayran prison attack' WHERE id = 1", "name_rule 1: stored name_key"),
        ("DELETE FROM name_rule WHERE id = 2", "name_rule 2: in the history but not in the tables"),
        ("INSERT INTO name_rule (id, kind, rule, name, name_key, other) VALUES (3, 'event', 'same', 'A', 'a', 'B')",
         "name_rule 3: in the tables but never recorded"),
    ],
}


class Hidden(NamedTuple):
    """An edit verify missed before issue 9, and a command whose output it changes."""

    table: str
    edit: Edit
    names: str
    shows: tuple[str, ...]


FORGED_CORRECTION = FORGED_ENTRY.format(
    seq=0, action="claim.correct", subject="claim:1",
    payload='{"previous":{"best":12,"high":12,"kind":"exact","low":12,"text":"12"}}')
# Edits that change a listing or the report, which verify did not see before issue 9.
ONCE_HIDDEN = [
    Hidden("source", "INSERT INTO source (id, name, kind) VALUES (0, 'Forged', 'ngo')",
           "source 0: in the tables with id 0, which the ledger never assigns", ("source", "list")),
    Hidden("source_name", "INSERT INTO source_name (source_id, name, name_key, is_alias) VALUES (3, 'Pentagon', 'pentagon', false)",
           'source 3: stored names "[["Reuters","reuters",false],["Pentagon","pentagon",false]]" differs from history',
           ("claim", "list", "--source", "Pentagon")),
    Hidden("source_name", "DELETE FROM source_name WHERE id = 5",
           'source 3: stored names "[]" differs from history ("[["Reuters","reuters",false]]")', ("claim", "list", "--source", "Reuters")),
    Hidden("source_name", "UPDATE source_name SET name_key = 'sohr' WHERE id = 5",
           'source 3: stored names "[["Reuters","sohr",false]]"', ("claim", "list", "--source", "Reuters")),
    Hidden("document", "INSERT INTO document (id, outlet_id, published, title) VALUES (0, 1, '2022-01-23', 'Forged')",
           "document 0: in the tables with id 0", ("doc", "list")),
    Hidden("claim", "UPDATE claim SET event_key = 'other event' WHERE id = 2",
           'claim 2: stored event_key "other event" differs from its event\'s key ("ghweran prison attack")',
           # the same claim again: refused as a duplicate before the edit, recorded after it
           ("claim", "add", *KILLED, "--value", "more than 70", "-s", "local sources", "--via", "Reuters", "--via", "Al Jazeera",
            "--period", "2022-01-20..2022-01-22", "--location", "Hasakah")),
    Hidden("claim", FORGED_CLAIM.format(id=0), "claim 0: in the tables with id 0", ("report", "--rebuild")),
    Hidden("claim", "UPDATE claim SET value_low = 80 WHERE id = 2",
           'claim 2: stored value.low "80" differs from history ("71")', ("claim", "show", "2", "--json")),
    Hidden("history", FORGED_CORRECTION, "entry 0 (claim.correct claim:1): seq 0 is not a position in the history", ("claim", "show", "1")),
    Hidden("history", backdate_last_entry,
           "entry 14 (name_rule.add name_rule:2): recorded at 2000-01-01T00:00:00+00:00, before the entry it follows", ("log",)),
]

KEPT = "kept report results for event 'Ghweran prison attack': "
TAMPER.update({
    "kept_event": [
        ("UPDATE kept_event SET claims = claims + 1", KEPT + "claims differ from a rebuild"),
        (forge_kept_finding, KEPT + "findings differ from a rebuild"),
        ("DELETE FROM kept_event", KEPT + "missing, though 2 live claims are about it"),
        ("INSERT INTO kept_event SELECT 'Forged raid', claims, quantities, findings FROM kept_event",
         "kept report results for event 'Forged raid': kept, but no live claim is about it"),
        ("UPDATE kept_event SET findings = (SELECT names FROM kept_report)", KEPT + "cannot be read"),
    ],
    "kept_report": [(forge_kept_names, "kept report results: the event names kept differ")],
    "kept_text": [
        ("UPDATE kept_text SET tally = replace(tally, '\"claims\": 2', '\"claims\": 9')",
         "kept report text 'table': differs from the report made again from a rebuild"),
        ("UPDATE kept_text SET text = substr(text, 1, 3)", "kept report text 'table': cannot be read"),
        ("INSERT INTO kept_text SELECT 'csv', text, tally, layout FROM kept_text", "kept report text 'csv': not the text of any report"),
        ("UPDATE kept_text SET layout = '{}'", "kept report text 'table': its layout is not the table's"),  # no findings: none
    ],
    "kept_name": [
        ("UPDATE kept_name SET canonical = 'Forged raid' WHERE kind = 'event'",
         "kept report results: the event name 'Ghweran prison attack' is filed under 'Forged raid' in the kept name rows"),
        ("DELETE FROM kept_name WHERE kind = 'group'",
         "kept report results: the group name 'ISIS fighters' is missing from the kept name rows"),
        ("INSERT INTO kept_name (kind, written, canonical) VALUES ('event', 'Forged raid', 'Ghweran prison attack')",
         "kept report results: the event name 'Forged raid' is in the kept name rows (filed under 'Ghweran prison attack')"),
    ],
})

# Rows moved to other places: ids or positions swapped, as a forger reordering a table would.
REORDERED: dict[str, list[tuple[Edit, str]]] = {
    "source": [("UPDATE source SET id = 100 WHERE id = 1; UPDATE source SET id = 1 WHERE id = 3; UPDATE source SET id = 3 WHERE id = 100",
                'source 1: stored name "Reuters" differs from history ("Al Jazeera")')],
    "source_name": [("UPDATE source_name SET id = 100 WHERE id = 1; UPDATE source_name SET id = 1 WHERE id = 2; "
                     "UPDATE source_name SET id = 2 WHERE id = 100", "source 1: stored names")],
    "document": [("UPDATE document SET id = 2 WHERE id = 1", "document 1: in the history but not in the tables")],
    "claim": [("UPDATE claim SET id = 100 WHERE id = 1; UPDATE claim SET id = 1 WHERE id = 2; UPDATE claim SET id = 2 WHERE id = 100",
               "claim 1: stored ")],
    "claim_relay": [("UPDATE claim_relay SET position = 9 WHERE claim_id = 2 AND position = 0; "
                     "UPDATE claim_relay SET position = 0 WHERE claim_id = 2 AND position = 1; "
                     "UPDATE claim_relay SET position = 1 WHERE claim_id = 2 AND position = 9",
                     'claim 2: stored via_ids "[1,3]" differs from history ("[3,1]")')],
    "name_rule": [("UPDATE name_rule SET id = 100 WHERE id = 1; UPDATE name_rule SET id = 1 WHERE id = 2; "
                   "UPDATE name_rule SET id = 2 WHERE id = 100", "name_rule 1: stored other")],
    "kept_event": [("UPDATE kept_event SET event = 'Ghweran Prison Attack'",
                    "kept report results for event 'Ghweran Prison Attack': kept, but no live claim is about it")],
    "kept_report": [("UPDATE kept_report SET names = (SELECT findings FROM kept_event)",
                     "kept report results: the names kept cannot be read")],
    "kept_text": [(reorder_kept_text, "kept report text 'table': differs from the report made again from a rebuild")],
    "kept_name": [("UPDATE kept_name SET kind = 'group' WHERE kind = 'event'",
                   "kept report results: the event name 'Ghweran prison attack' is missing from the kept name rows")],
    "history": [("UPDATE history SET seq = 100 WHERE seq = 10; UPDATE history SET seq = 10 WHERE seq = 11; "
                 "UPDATE history SET seq = 11 WHERE seq = 100", "entry 10 (claim.correct claim:1): contents do not match its hash")],
}
for hidden in ONCE_HIDDEN:
    TAMPER[hidden.table].append((hidden.edit, hidden.names))
for table, edits in REORDERED.items():
    TAMPER[table].extend(edits)


def _label(edit: Edit) -> str:
    return edit if isinstance(edit, str) else edit.__name__


def test_every_table_has_tamper_and_reorder_cases():
    tables = storage_tables()
    assert not tables - TAMPER.keys(), f"tables without a TAMPER edit: {sorted(tables - TAMPER.keys())}"
    assert not TAMPER.keys() - tables, f"TAMPER names tables that do not exist: {sorted(TAMPER.keys() - tables)}"
    assert REORDERED.keys() == tables, f"tables without a reordering: {sorted(tables - REORDERED.keys())}"


def test_untampered_copy_verifies(ledger_copy):
    assert invoke("verify").stdout.startswith("ok: 14 entries, 3 claims, 1 document verified; head ")


@pytest.mark.parametrize("table, edit, names", [
    pytest.param(table, edit, names, id=f"{table}: {_label(edit)[:70]}") for table, edits in TAMPER.items() for edit, names in edits
])
def test_verify_catches_each_tampering_and_names_its_subject(ledger_copy, table, edit, names):
    ledger_copy.edit(edit)
    result = invoke("verify")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith(names) for line in lines[:-1]), result.stdout
    assert lines[-1].startswith("FAILED: ")


@pytest.mark.parametrize("hidden", [pytest.param(h, id=f"{h.table}: {_label(h.edit)[:70]}") for h in ONCE_HIDDEN])
def test_once_hidden_edits_change_what_users_see(ledger_copy, hidden):
    """Each edit verify used to miss matters: a listing, the report or the log shows it."""
    shown = invoke(*hidden.shows).output
    ledger_copy.edit(hidden.edit)
    assert invoke(*hidden.shows).output != shown, f"the edit is not visible through `ledger {' '.join(hidden.shows)}`"


# SQLite keeps any value in any column: a forger's blob in a text column, a number in a date column, text in
# a boolean. PostgreSQL refuses such edits, so these run on SQLite alone (conftest's SQLITE_MECHANICS).
MISTYPED: list[tuple[str, str]] = [
    ("UPDATE claim SET value_text = CAST(value_text AS BLOB) WHERE id = 1", "claim 1: stored value_text is blob X'3437'"),
    ("UPDATE claim SET published = 20220122 WHERE id = 2", "claim 2: stored published is integer 20220122"),
    ("UPDATE claim SET period_start = 20220120 WHERE id = 2", "claim 2: stored period_start is integer 20220120"),
    ("UPDATE claim SET retracted = 'yes' WHERE id = 3", "claim 3: stored retracted is text 'yes'"),
    ("UPDATE claim SET value_low = 70.5 WHERE id = 2", "claim 2: stored value_low is real 70.5"),
    ("UPDATE claim SET said_by_id = 'x' WHERE id = 3", "claim 3: stored said_by_id is text 'x'"),
    ("UPDATE source SET name = CAST(name AS BLOB) WHERE id = 1", "source 1: stored name is blob"),
    ("UPDATE source_name SET is_alias = 'no' WHERE id = 2", "source_name 2: stored is_alias is text 'no'"),
    ("UPDATE document SET text = CAST(text AS BLOB) WHERE id = 1", "document 1: stored text is blob X'"),
    ("UPDATE claim_relay SET source_id = 3.5 WHERE claim_id = 1", "claim_relay 1/0: stored source_id is real 3.5"),
    ("UPDATE name_rule SET other = X'00' WHERE id = 1", "name_rule 1: stored other is blob X'00'"),
    ("UPDATE history SET recorded_at = 5 WHERE seq = 3", "entry 3 (source.add source:3): recorded_at '5' is not"),
]
READS = [("verify",), ("report",), ("audit", "1"), ("claim", "list"), ("claim", "show", "2"), ("source", "list"),
         ("doc", "list"), ("log",), ("export",)]


@pytest.mark.parametrize("edit, names", [pytest.param(edit, names, id=edit[:70]) for edit, names in MISTYPED])
def test_verify_names_a_value_of_a_type_the_ledger_never_writes(ledger_copy, edit, names):
    ledger_copy.edit(edit)
    result = invoke("verify")
    assert result.exit_code == 1, result.output
    assert any(line.startswith(names) for line in result.stdout.splitlines()), result.stdout
    assert all(len(line) < 400 for line in result.stdout.splitlines()), "a stored value is shown whole"


@pytest.mark.parametrize("edit", [pytest.param(edit, id=edit[:70]) for edit, _ in MISTYPED])
def test_reads_of_a_mistyped_ledger_answer_or_fail_in_one_line(ledger_copy, edit):
    """No traceback: each read either answers or says in one line what failed and that verify names the rows."""
    ledger_copy.edit(edit)
    for args in READS:
        result = invoke(*args)
        assert result.exit_code in (0, 1), f"{args}: {result.output}"
        if result.exit_code == 1 and args != ("verify",):
            errors = [line for line in result.stderr.splitlines() if line]
            assert len(errors) == 1 and errors[0].startswith("error: "), f"{args}: {result.stderr}"
