"""Every command that can change a database, driven by hypothesis with hostile values for every parameter.

The commands and their parameters are enumerated from the typer app: a new
command must be classified (``WRITE``, or ``READ`` with arguments under which
it must change nothing), and a write command's every parameter, the global
``--db`` and ``--by`` included, needs a strategy in ``SPECS``, or a test fails
by name. Each example sets one or two parameters to odd values and the rest to
usual ones, and runs on a fresh copy of one template ledger, beside another
application's SQLite file and a text file. Properties:

* the command succeeds (exit 0), or fails with exit 1 or 2, no traceback, no
  standard output and exactly one ``error:`` line (``import`` adds one
  ``FILE:LINE: field: problem`` line per bad row);
* on failure every file is as it was (a dump of each ledger, the bytes of
  anything else) and no new ledger holds a record; on success only the
  command's own ledger, or the file it exports to, has changed;
* after success ``ledger verify`` exits 0 and what was accepted reads back
  exactly through the CLI (``source list --json``, ``doc list --json``,
  ``claim show --json``, ``log --json``), and no two sources share a name up
  to case, spacing and Unicode normal form.

``test_any_sequence_keeps_the_ledger_verifiable`` runs short sequences of
steps on one ledger; ``test_found_by_fuzzing`` keeps each failure found,
minimised to one command. Inputs are in tests/fuzz_inputs.py.
"""

from __future__ import annotations

import os
import hashlib
import json
import re
import shutil
import sqlite3
import tempfile
import unicodedata
from contextlib import closing
from pathlib import Path

import pytest
import typer.main
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import fuzz_inputs as fi
from ledger_copies import KEPT_ROWS
from ledger.cli import app

WRITE = {("source", "add"), ("source", "merge"), ("doc", "add"), ("claim", "add"), ("claim", "correct"),
         ("claim", "retract"), ("claim", "restore"), ("source", "edit"), ("doc", "remove"),
         *((kind, verb) for kind in ("event", "group", "place") for verb in ("merge", "alias", "split", "edit")), ("import",), ("demo",), ("export",), ("copy",), ("extract",),
         ("setting", "set"), ("setting", "unset")}  # export: `-o` may point at a database
# Each command that only reads, with arguments it runs with: test_read_commands_change_nothing holds it to that.
READ = {("source", "list"): ["--json"], ("doc", "list"): [], ("doc", "show"): ["1"], ("claim", "list"): ["--source", "SOHR"],
        ("claim", "show"): ["1"], ("quantity",): ["more than 70"], ("resolve",): ["Ghwayran prison attack"],
        ("report",): ["--all"], ("verify",): [], ("audit",): ["1"], ("log",): ["--since", "2"],
        ("event", "list"): ["--json"], ("group", "list"): [], ("place", "list"): ["--json"], ("setting", "list"): ["--csv"]}

SOURCE = fi.text(fi.KNOWN_SOURCES, fi.NEW_SOURCES)  # a known name, or one near it
NEW_SOURCE = fi.text(fi.NEW_SOURCES, fi.KNOWN_SOURCES)  # a new name, or one already taken
required, optional, text = fi.required, fi.optional, fi.text

# When a text was fetched: after every usual publication date, or odd (before one, or no date at all).
RETRIEVED = text(["2024-03-01", "2024-03-01T10:05+01:00", " 2025-01-01T00:00Z "], [*fi.ODD_DAYS, "2022-01-21", "2022-01-22T10:00Z"])
ARCHIVE_URL = text(["https://web.archive.org/web/20220122/https://www.aljazeera.net/news/2022/1/22/hasaka"], fi.ODD_URLS)

SPECS: dict[tuple[str, ...], dict[str, fi.Field]] = {
    ("source", "add"): {
        "name": required(NEW_SOURCE), "alias": fi.repeated(NEW_SOURCE), "affiliation": optional(SOURCE),
        "kind": optional(text(fi.KINDS, ["NGO", " ngo", "govt"])), "grade": optional(text(fi.GRADES, ["Z", "AB", "Ä", "ａ"])),
        "as_json": fi.FLAG,
    },
    ("source", "edit"): {
        "name": required(SOURCE), "alias": fi.repeated(NEW_SOURCE), "affiliation": optional(SOURCE),
        "kind": optional(text(fi.KINDS, ["NGO", " ngo", "govt"])), "grade": optional(text(fi.GRADES, ["Z", "AB", "Ä", "ａ"])),
        "clear": fi.Field(st.lists(st.sampled_from(["grade", "affiliation"]), max_size=1),
                          st.lists(fi.odd_text(["grade", "affiliation"], ["kind", "name"]), min_size=1, max_size=2)),
        "reason": optional(text(fi.REASONS)), "as_json": fi.FLAG,
    },
    ("doc", "remove"): {"document_id": required(text(["1", "2"], fi.ODD_IDS)), "reason": required(text(fi.REASONS))},
    ("source", "merge"): {"from_name": required(SOURCE), "into_name": required(SOURCE), "reason": optional(text(fi.REASONS))},
    ("doc", "add"): {
        "outlet": required(SOURCE), "published": required(fi.dates()), "url": optional(text(fi.URLS, fi.ODD_URLS)),
        "archive_url": optional(ARCHIVE_URL), "retrieved": optional(RETRIEVED),
        "title": optional(text(["Clashes continue in Hasaka"])), "file": fi.article_file(), "as_json": fi.FLAG,
    },
    ("claim", "add"): {
        "event": required(text(fi.EVENTS)), "metric": required(text(fi.METRICS)),
        "value": required(text(fi.FIGURES, fi.ODD_FIGURES)), "said_by": required(SOURCE),
        "group": optional(text(fi.GROUPS)), "via": fi.repeated(SOURCE), "doc": optional(text(["1"], fi.ODD_IDS)),
        "published": optional(fi.dates()), "as_of": optional(fi.dates()), "period": optional(text(fi.PERIODS, fi.ODD_PERIODS)),
        "location": optional(text(fi.PLACES)), "quote": optional(text(fi.QUOTES, fi.ODD_QUOTES)),
        "quote_original": fi.Field(st.just(fi.OMIT), fi.odd_text(fi.QUOTES)),  # alone it needs --quote: odd only
        "unverified_quote": fi.FLAG, "credibility": optional(text(fi.CREDIBILITY, fi.ODD_CREDIBILITY)),
        "create_sources": fi.FLAG, "again": fi.FLAG, "as_json": fi.FLAG,
    },
    ("claim", "correct"): {
        "claim_id": required(text(fi.IDS, fi.ODD_IDS)), "value": optional(text(fi.FIGURES, fi.ODD_FIGURES)),
        "event": optional(text(fi.EVENTS)), "metric": optional(text(fi.METRICS)), "group": optional(text(fi.GROUPS)),
        "said_by": optional(SOURCE), "via": fi.repeated(SOURCE), "doc": optional(text(["1"], fi.ODD_IDS)),
        "published": optional(fi.dates()), "as_of": optional(fi.dates()), "period": optional(text(fi.PERIODS, fi.ODD_PERIODS)),
        "location": optional(text(fi.PLACES)), "quote": optional(text(fi.QUOTES, fi.ODD_QUOTES)),
        "quote_original": fi.Field(st.just(fi.OMIT), fi.odd_text(fi.QUOTES)), "unverified_quote": fi.FLAG,
        "credibility": optional(text(fi.CREDIBILITY, fi.ODD_CREDIBILITY)),
        "clear": fi.Field(st.lists(st.sampled_from(["group", "via", "location", "credibility", "as-of"]), max_size=1),
                          st.lists(fi.odd_text(["group", "doc", "quote"], ["event", "value", "said-by"]), min_size=1, max_size=2)),
        "reason": optional(text(fi.REASONS)), "create_sources": fi.FLAG, "as_json": fi.FLAG,
    },
    ("claim", "retract"): {"claim_id": required(text(fi.IDS, fi.ODD_IDS)), "reason": required(text(fi.REASONS))},
    ("claim", "restore"): {"claim_id": required(text(fi.IDS, fi.ODD_IDS)), "reason": required(text(fi.REASONS))},
    ("import",): {
        "file": required(fi.import_file()), "fmt": optional(text(["csv", "jsonl"], ["CSV", "xml"])),
        "create_sources": fi.FLAG, "dry_run": fi.FLAG,
        "column_map": fi.Field(st.lists(st.sampled_from(["Figure=value", "Source=said_by", "notes=quote"]), max_size=1),
                               st.lists(fi.odd_text(["Figure=value"], ["Figure", "=value", "Figure=valeu"]), min_size=1, max_size=2)),
        "date_format": optional(text(["day-first", "month-first", "iso"], ["dmy", "DAY-FIRST"])),
    },
    ("demo",): {"db": fi.DEMO_DB, "seeds": fi.SEEDS, "fmt": optional(text(["table", "json", "csv", "markdown"])),
                "as_json": fi.FLAG, "as_csv": fi.FLAG, "as_nl": fi.FLAG},
    ("extract",): {
        "file": required(fi.Field(st.just(fi.Made("file", fi.SEED_TEXT.encode(), "article.txt")), fi.article_file().odd)),
        "doc": optional(text(["1"], fi.ODD_IDS)), "outlet": optional(SOURCE), "published": optional(fi.dates()),
        "title": optional(text(["Clashes continue in Hasaka"])), "url": optional(text(fi.URLS, fi.ODD_URLS)),
        "archive_url": optional(ARCHIVE_URL), "retrieved": optional(RETRIEVED),
        "event": optional(text(fi.EVENTS, ["", " "])), "accept_all": fi.FLAG, "review": fi.FLAG, "as_json": fi.FLAG,
        "as_csv": fi.FLAG, "as_nl": fi.FLAG,
    },
    ("setting", "set"): {
        "key": required(text(["reviewer.name", "reviewer.url", "review.url"], ["reviewer", "Reviewer.Name", "review.url "])),
        "value": required(text(["Example Fact Check", "https://example.org", "https://example.org/checks/{id}"],
                               [*fi.ODD_URLS, "https://example.org/{claim}", "https://example.org/{id}{", " "])),
    },
    ("setting", "unset"): {"key": required(text(["reviewer.name", "reviewer.url", "review.url"], ["reviewer", "url"]))},
    ("copy",): {"source": optional(fi.Field(st.just(fi.LEDGER), st.sampled_from(fi.DB_TROUBLE))),
                "target": required(fi.Field(st.just(fi.Made("fresh")), st.sampled_from([fi.LEDGER, *fi.DB_TROUBLE])))},
    ("export",): {
        "fmt": optional(text(["jsonl", "csv", "claimreview", "prov-json"])),
        "output": fi.Field(st.sampled_from([fi.OMIT, fi.Made("missing-file", name="out.jsonl"), fi.Made("notes")]),
                           st.one_of(st.just(fi.Made("fresh")), fi.PATH_TROUBLE)),
    },
}
# Names of each kind on the template's claims, and near or new ones.
NAMES = {"event": (fi.EVENTS, ["Ghweran prison break", "Hasakah clashes (2023)"]), "group": (fi.GROUPS, ["IS fighters", "civilians "]),
         "place": ([*fi.PLACES, "Syria"], ["Hasaka", "Syrie"])}


def _name_specs(kind: str) -> dict:
    usual, other = NAMES[kind]
    some = text(usual, other)
    reason = optional(text(fi.REASONS))
    edit = ({"date": optional(fi.dates()), "place": optional(text(fi.PLACES))} if kind == "event"
            else {"within": optional(text([*other, *usual]))})
    clear = ["date", "place"] if kind == "event" else ["within"]
    return {
        (kind, "merge"): {"from_name": required(some), "into_name": required(some), "reason": reason},
        (kind, "alias"): {"alias_name": required(text(other, usual)), "name": required(some), "reason": reason},
        (kind, "split"): {"name": required(some), "as_name": optional(text(other)), "claim": fi.repeated(text(fi.IDS, fi.ODD_IDS)),
                          "since": optional(fi.dates()), "until": optional(fi.dates()), "spelling": optional(text(usual, other)),
                          "reason": reason, "as_json": fi.FLAG},
        (kind, "edit"): {"name": required(some), **edit, "reason": reason,
                         "clear": fi.Field(st.lists(st.sampled_from(clear), max_size=1), st.lists(fi.odd_text(clear, ["name"]), min_size=1, max_size=2))},
    }


for _kind in NAMES:
    SPECS.update(_name_specs(_kind))

ROOT_SPEC = {"db": fi.ROOT_DB, "by": fi.Field(st.sampled_from([fi.OMIT, *fi.USERS]), fi.odd_text(fi.USERS)),
             "version": fi.Field(st.just(fi.OMIT), st.just(fi.OMIT)),  # prints and exits before any command: test_cli_errors
             "verbose": fi.Field(st.just(False), st.just(False)),  # adds stderr lines by design: test_cli_verbose
             # completion's own options install or print a shell hook and exit: tested in test_completion
             "install_completion": fi.Field(st.just(fi.OMIT), st.just(fi.OMIT)),
             "show_completion": fi.Field(st.just(fi.OMIT), st.just(fi.OMIT))}

# The template: a row in every table, a merged source, a corrected claim, a retracted one (3).
TEMPLATE_STEPS = [
    ["source", "add", "Al Jazeera", "--alias", "Al-Jazeera", "--kind", "media", "--grade", "B"],
    ["source", "add", "Syrian Observatory for Human Rights", "--alias", "SOHR", "--kind", "ngo"],
    ["source", "add", "Reuters", "--kind", "media", "--grade", "A"],
    ["source", "add", "local sources", "--kind", "anonymous", "--affiliation", "SOHR"],
    ["source", "add", "OSDH", "--kind", "ngo"],
    ["source", "add", "Ṣabāḥ News", "--kind", "media"],
    ["source", "merge", "OSDH", "SOHR", "--reason", "same organisation"],
    ["doc", "add", "--outlet", "Al Jazeera", "--published", "2022-01-22", "--file", str(fi.SEEDS_DIR / "hasaka-prison-2022.txt")],
    ["doc", "add", "--outlet", "Reuters", "--published", "2022-01-23", "--title", "cited by no claim"],
    ["claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "-g", "ISIS fighters", "--value", "45", "-s", "SOHR",
     "--via", "Reuters", "--doc", "1", "--quote", fi.QUOTE_IN_SEED],
    ["claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "--value", "more than 70", "-s", "local sources",
     "--period", "2022-01-20..2022-01-22", "--location", "Hasakah"],
    ["claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "--value", "40", "-s", "Reuters", "--as-of", "2022-01-22"],
    ["claim", "correct", "1", "--value", "47", "--reason", "SOHR update"],
    ["claim", "retract", "3", "--reason", "misread"],
    # another event, group and place, so that merges of names can succeed
    ["claim", "add", "-e", "Hasakah clashes", "-m", "killed", "-g", "civilians", "--value", "5", "-s", "SOHR", "--location", "Syria"],
]

RUNNER = CliRunner()
# No shrinking: an example has at most two odd values and its message shows the command line, while shrinking
# a failure would run the command hundreds of times. REPRODUCTIONS keeps each failure found, minimised by hand.
# LEDGER_FUZZ_EXAMPLES=500 explores further than the suite's default run.
FUZZ = settings(deadline=None, database=None, max_examples=int(os.environ.get("LEDGER_FUZZ_EXAMPLES", "15")), phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])
SLOW = {("demo",): 8}  # a demo builds and reports a whole ledger: fewer examples


def commands() -> dict[tuple[str, ...], object]:
    """Every leaf command of the app, by its path (``("claim", "add")``)."""
    found = {}

    def walk(command, path):
        if getattr(command, "commands", None):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
        else:
            found[path] = command

    walk(typer.main.get_command(app), ())
    return found


def invoke(*args: str):
    return RUNNER.invoke(app, list(args))


# -- coverage of the CLI ------------------------------------------------------------------


def test_every_command_is_classified_as_write_or_read():
    enumerated = set(commands())
    assert not WRITE & READ.keys()
    unclassified = enumerated - WRITE - READ.keys()
    assert not unclassified, f"classify these commands in WRITE or READ: {sorted(unclassified)}"
    assert WRITE | READ.keys() == enumerated, f"WRITE/READ name commands that do not exist: {sorted((WRITE | READ.keys()) - enumerated)}"


def test_every_write_command_and_parameter_has_a_strategy():
    assert set(SPECS) == WRITE, f"write commands without a fuzz spec: {sorted(WRITE - set(SPECS))}"
    for path, command in commands().items():
        if path in WRITE:
            names = {p.name for p in command.params}
            assert names == set(SPECS[path]), f"{' '.join(path)}: parameters without a strategy {sorted(names - set(SPECS[path]))}"
    assert {p.name for p in typer.main.get_command(app).params} == set(ROOT_SPEC)


# -- one example's world ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz-template")
    path = folder / "ledger.db"
    for step in TEMPLATE_STEPS:
        result = RUNNER.invoke(app, ["--db", str(path), "--by", "tester", *step], catch_exceptions=False)
        assert result.exit_code == 0, f"{step}: {result.output}"
    with closing(sqlite3.connect(folder / "foreign.db")) as conn:  # another application's file, with a `claim` table
        conn.executescript("CREATE TABLE claim (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO claim VALUES (1, 'theirs');"
                           "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);")
    return path


class World:
    """A copy of the template in its own folder, with a foreign database and a text file beside it."""

    def __init__(self, template: Path, base: Path):
        self.root = Path(tempfile.mkdtemp(dir=base))
        ledger = self.root / "ledger.db"
        with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(ledger)) as target:
            source.backup(target)
        shutil.copy(template.parent / "foreign.db", self.root / "foreign.db")
        (self.root / "notes.txt").write_text("my notes\n", encoding="utf-8")
        self.ws = fi.Workspace(self.root, ledger, self.root / "foreign.db", self.root / "notes.txt")

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def snapshot(self) -> dict[str, object]:
        """What must not change on failure: each ledger's dump, every other file's bytes."""
        state = {}
        for path in sorted(self.root.rglob("*")):
            if path.is_symlink() or not path.is_file() or path.name.endswith(("-wal", "-shm", "-journal")):
                continue
            state[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
            if path.name.endswith(".db") and path != self.ws.foreign:
                try:  # a ledger's bytes may change (a checkpoint) while its rows do not
                    state[path.name] = dump(path)
                except sqlite3.DatabaseError:  # not a database (yet): its bytes
                    pass
        return state


def dump(path: Path) -> list[str]:
    """A ledger's rows; not the report results kept beside them (derived: a report rewrites them)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return [line for line in conn.iterdump() if not line.startswith(KEPT_ROWS)]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-examples")


# -- building and running a command line --------------------------------------------------------


def build_argv(path: tuple[str, ...], values: dict, root_values: dict, ws: fi.Workspace, separate: bool) -> list[str]:
    """The command line for ``values`` (parameter name -> value), read off the click command's own parameters."""
    def resolve(value):
        return ws.path(value) if isinstance(value, fi.Made) else value

    argv = []
    for param in typer.main.get_command(app).params:
        value = root_values.get(param.name)
        if value is not fi.OMIT and value is not False:
            argv += [max(param.opts, key=len)] + ([] if getattr(param, "is_flag", False) else [resolve(value)])
    argv += list(path)
    positional = []
    for param in commands()[path].params:
        value = values.get(param.name)
        if value is fi.OMIT or value is False:
            continue
        if param.param_type_name == "argument":
            positional.append(resolve(value))
        elif getattr(param, "is_flag", False):
            argv.append(max(param.opts, key=len))
        elif param.multiple:
            for item in value:
                argv += [max(param.opts, key=len), resolve(item)]
        else:
            argv += [max(param.opts, key=len), resolve(value)]
    return argv + (["--"] if separate and positional else []) + positional


class Step:
    """One command run with its values, and the properties checked on its outcome."""

    def __init__(self, world: World, path, values, root_values, separate):
        self.world, self.ws, self.path, self.values, self.root = world, world.ws, path, values, root_values
        self.argv = build_argv(path, values, root_values, self.ws, separate)
        self.db = self.argv[1] if root_values["db"] is not fi.OMIT else None

    def read(self, *args: str):
        """A read through the CLI against the same ``--db``; it must succeed."""
        result = invoke(*(["--db", self.db] if self.db is not None else []), *args)
        assert result.exit_code == 0 and result.exception is None, f"{args}: {result.output}{result.exception!r}"
        return json.loads(result.stdout) if "--json" in args else result.stdout

    def run(self) -> None:
        before_state = self.world.snapshot()
        before = self.before()
        result = invoke(*self.argv)
        argv = " ".join(repr(a) if len(a) < 300 else repr(a[:300]) + "…" for a in self.argv)
        shown = f"ledger {argv}\n{result.output[:2000]}".replace(str(self.ws.root), "$W")
        assert result.exception is None or isinstance(result.exception, SystemExit), f"raised {result.exception!r}\n{shown}"
        assert "Traceback" not in result.output, f"a traceback\n{shown}"
        assert "s3cret-pw" not in result.output, f"a password is shown\n{shown}"
        after_state = self.world.snapshot()
        allowed = self.targets() if result.exit_code == 0 else set()
        changed = sorted(k for k in before_state if k not in allowed and after_state.get(k) != before_state[k])
        assert not changed, f"{changed} changed by {'a failed' if result.exit_code else 'this'} command\n{shown}"
        if result.exit_code != 0:
            self.check_failure(result, shown)
            recorded = sorted(k for k in after_state if k not in before_state and history_count(after_state, k))
            assert not recorded, f"a failed command left records in a new ledger {recorded}\n{shown}"
            return
        assert "error:" not in result.stderr, f"an error line on success\n{shown}"
        if self.path in (("demo",), ("copy",)):  # the read-back verifies the ledger built; --from may not be the root's
            READBACK[self.path](self, before, result, shown)
            return
        verified = invoke(*(["--db", self.db] if self.db is not None else []), "verify")
        assert verified.exit_code == 0 and verified.stdout.startswith("ok: "), f"verify fails after\n{shown}\n{verified.output}"
        self.check_names(shown)
        READBACK[self.path](self, before, result, shown)
        by, target = self.root["by"], TARGET_FILES.get(self.root["db"])
        if by and target and history_count(after_state, target) > history_count(before_state, target):
            entries = self.read("log", "--json")
            assert entries[0]["user"] == by, f"--by {by!r} reads back as {entries[0]['user']!r}\n{shown}"

    def targets(self) -> set[str]:
        """The files a successful command may change: the ledger it writes to, or the file it exports to."""
        demo_db = self.values.get("db")
        demo_db = self.root["db"] if demo_db is fi.OMIT else demo_db  # without its own --db, the demo fills the global one
        made = {("export",): self.values.get("output"), ("demo",): demo_db, ("copy",): self.values.get("target")}.get(
            self.path, self.root["db"])
        if made is fi.OMIT:
            return set()
        return {TARGET_FILES.get(made) or {"notes": "notes.txt", "missing-file": made.name}.get(made.kind, "")}

    def check_failure(self, result, shown: str) -> None:
        assert result.exit_code in (1, 2), f"exit {result.exit_code}\n{shown}"
        assert result.stdout == "", f"standard output on failure\n{shown}"
        lines = result.stderr.splitlines()
        assert lines and lines[0].startswith("error: "), f"no error line first\n{shown}"
        assert [l for l in result.output.splitlines() if "error:" in l] == lines[:1], f"more than one error line\n{shown}"
        if self.path == ("import",) and len(lines) > 1:
            file = self.argv[-1]
            file = file if file.isprintable() else repr(file)[1:-1]  # a newline in the name is shown escaped
            assert all(l.startswith(f"{file}:") for l in lines[1:]), f"row problems not one per line as FILE:LINE\n{shown}"
        else:
            assert len(lines) == 1, f"{len(lines)} lines on standard error\n{shown}"

    def before(self) -> dict:
        """What the read-back needs from before the command (the template copy may be the target)."""
        if self.path in (("demo",), ("export",)) or self.root["db"] not in (fi.LEDGER, fi.Made("ledger-url")):
            return {}
        state = {"sources": self.read("source", "list", "--json")}
        claim_id = self.values.get("claim_id")
        if claim_id is not None and claim_id.strip() in ("1", "2", "3"):
            state["claim"] = self.read("claim", "show", claim_id.strip(), "--json")
        if self.path == ("import",):
            state["claims"] = self.read("claim", "list", "--json")
        if self.path == ("doc", "add"):
            state["documents"] = self.read("doc", "list", "--json")
        return state

    def check_names(self, shown: str) -> None:
        """No two sources' names are the same name up to case, spacing and canonical Unicode form."""
        names = [n for s in self.read("source", "list", "--json") for n in (s["name"], *s["aliases"])]
        keys = [" ".join(unicodedata.normalize("NFC", n).casefold().split()) for n in names]
        twins = sorted({n for n, k in zip(names, keys, strict=True) if keys.count(k) > 1})
        assert not twins, f"names that are one name: {twins!r}\n{shown}"


TARGET_FILES = {fi.LEDGER: "ledger.db", fi.Made("ledger-url"): "ledger.db", fi.Made("fresh"): "fresh.db"}


def history_count(state: dict, name: str) -> int:
    """History entries in a snapshot's dump of ``name`` (0 for a file that is not a ledger)."""
    if not isinstance(state.get(name), list):
        return 0
    return sum(line.startswith('INSERT INTO "history"') for line in state[name])


# -- reading back what was accepted ---------------------------------------------------------------------


def same(expected: dict, got: dict, shown: str) -> None:
    """Each expected field reads back exactly; the message names the fields that do not."""
    wrong = {k: (expected[k], got.get(k)) for k in expected if got.get(k) != expected[k]}
    assert not wrong, "reads back differently (field: (given, shown)): " + repr(wrong)[:1500] + "\n" + shown


def key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def canonical(before: dict, name: str, created: dict | None = None) -> str:
    """The source name a name or alias stands for, as ``source list`` showed it before the command.

    ``created``: names recorded by this command (``--create-sources``) by their key; an unknown name joins it.
    """
    for source in before["sources"]:
        if key(name) in {key(n) for n in (source["name"], *source["aliases"])}:
            return source["name"]
    assert created is not None, f"{name!r} was accepted but names no source"
    return created.setdefault(key(name), name.strip())


def _source_add(step: Step, before: dict, result, shown: str) -> None:
    v = step.values
    sources = {s["id"]: s for s in step.read("source", "list", "--json")}
    printed = json.loads(result.stdout) if v["as_json"] else {"id": int(result.stdout)}
    new = sources[printed["id"]]
    if v["as_json"]:
        assert printed == new, f"--json printed {printed} but source list shows {new}\n{shown}"
    expected = {
        "name": v["name"].strip(), "kind": v["kind"] if v["kind"] is not None else "other",
        "aliases": distinct_aliases(v["name"], v["alias"]),
        "grade": v["grade"].strip().upper() if v["grade"] is not None else None,
        "affiliation": canonical(before, v["affiliation"]) if before and v["affiliation"] else None,
    }
    if not before:
        expected["affiliation"] = new["affiliation"]
    same(expected, new, shown)


def distinct_aliases(name: str, aliases: list[str]) -> list[str]:
    """The aliases that are other names: blank ones (nothing visible: spaces, a zero-width space, a control
    character), and those the same as the name or an earlier alias, dropped."""
    from ledger.names.normalisation import has_visible

    kept = {key(name): name}
    for alias in aliases:
        kept.setdefault(key(alias), alias.strip()) if has_visible(alias) else None
    return list(kept.values())[1:]


def _source_merge(step: Step, before: dict, result, shown: str) -> None:
    sources = {s["id"]: s for s in step.read("source", "list", "--json")}
    if not before:
        return
    by_name = {s["name"]: s for s in before["sources"]}
    merged, into = by_name[canonical(before, step.values["from_name"])], by_name[canonical(before, step.values["into_name"])]
    assert merged["id"] not in sources, f"source {merged['id']} is still listed after its merge\n{shown}"
    assert set(sources[into["id"]]["aliases"]) >= {merged["name"], *merged["aliases"]}, f"merged names missing\n{shown}"


def _doc_add(step: Step, before: dict, result, shown: str) -> None:
    v = step.values
    printed = json.loads(result.stdout) if v["as_json"] else {"id": int(result.stdout)}
    doc = {d["id"]: d for d in step.read("doc", "list", "--json")}[printed["id"]]
    if v["as_json"]:
        assert printed == doc, f"--json printed {printed} but doc list shows {doc}\n{shown}"
    file = v["file"]
    expected = {"published": v["published"].strip()[:10], "url": v["url"], "title": v["title"], "has_text": file is not None,
                "archive_url": v["archive_url"], "retrieved": _retrieved(v["retrieved"]), "replaced_by": None}
    if before:
        expected["outlet"] = canonical(before, v["outlet"])
        # The same address recorded before (in a sequence of steps) with another text: a new version of its newest.
        by_id = {d["id"]: d for d in before["documents"]}
        at_url = [d["id"] for d in before["documents"] if v["url"] is not None and v["url"].strip() and d["url"] == v["url"]]
        newest = max(at_url, default=None)
        while newest is not None and by_id[newest]["replaced_by"] is not None:
            newest = by_id[newest]["replaced_by"]
        expected["previous_id"] = newest
    if file is not None:
        expected["sha256"] = hashlib.sha256(Path(step.ws.path(file)).read_bytes()).hexdigest()
    same(expected, doc, shown)


def _retrieved(given: str | None) -> str | None:
    """``--retrieved`` as ``doc list`` shows it: the day, or the moment in UTC."""
    from datetime import datetime, timezone

    if given is None or len(given.strip()) == 10:
        return given and given.strip()
    return datetime.fromisoformat(given.strip().replace("Z", "+00:00")).astimezone(timezone.utc).isoformat()


def _claim_add(step: Step, before: dict, result, shown: str) -> None:
    v = step.values
    printed = json.loads(result.stdout) if v["as_json"] else {"id": int(result.stdout)}
    claim = step.read("claim", "show", str(printed["id"]), "--json")
    if v["as_json"]:
        assert printed == claim, f"--json printed {printed} but claim show shows {claim}\n{shown}"
    expected = {
        "event": v["event"].strip(), "metric": v["metric"].strip(), "group": v["group"].strip() if v["group"] else None,
        "value": v["value"], "location": v["location"].strip() if v["location"] else None, "quote": v["quote"],
        "quote_original": v["quote_original"],
        "credibility": int(float(v["credibility"])) if v["credibility"] is not None else None,
        "document_id": int(v["doc"]) if v["doc"] is not None else None,
    }
    if before:
        created = {} if v["create_sources"] else None
        expected["said_by"] = canonical(before, v["said_by"], created)
        expected["via"] = [canonical(before, name, created) for name in v["via"]]
    if v["published"] is not None:
        expected["published"] = v["published"].strip()[:10]
    if v["as_of"] is not None:
        expected["as_of"] = v["as_of"].strip()[:10]
    if v["period"] is not None:
        start, _, end = v["period"].partition("..")
        expected["period"] = {"start": start.strip(), "end": end.strip()}
    same(expected, {**claim, "value": claim["value"]["text"]}, shown)


# --clear NAME → the fields of `claim show --json` it empties.
CLEARED = {"group": {"group": None}, "via": {"via": []}, "location": {"location": None}, "credibility": {"credibility": None},
           "as-of": {"as_of": None, "period": None}}
# Follow from other fields: the document's outlet and date, where the quote sits and whether it holds.
DERIVED = {"outlet", "published", "published_at", "quote_span", "quote_verified", "quote_states_figure"}


def _claim_correct(step: Step, before: dict, result, shown: str) -> None:
    v = step.values
    claim_id = int(v["claim_id"].strip().lstrip("+"))
    after = step.read("claim", "show", str(claim_id), "--json")
    if v["as_json"]:
        assert json.loads(result.stdout) == after, f"--json printed something else than claim show\n{shown}"
    entry = step.read("log", "--json")[0]
    # a blank reason is no reason: kept as null, as `claim correct` without --reason
    reason = v["reason"] if v["reason"] is not None and v["reason"].strip() else None
    same({"action": "claim.correct", "reason": reason}, {"action": entry["action"], **entry["payload"]}, shown)
    expected: dict = {}
    for name in v["clear"]:
        expected.update(CLEARED.get(name.strip().lower(), {}))
    for field in ("event", "metric", "group"):
        if v[field] is not None:
            expected[field] = v[field].strip()
    if v["location"] is not None:  # a place name, stripped as event and group are; quotes are kept as typed
        expected["location"] = v["location"].strip()
    for field in ("quote", "quote_original"):
        if v[field] is not None:
            expected[field] = v[field]
    if v["credibility"] is not None:
        expected["credibility"] = int(float(v["credibility"]))
    if v["doc"] is not None:
        expected["document_id"] = int(v["doc"])
    if v["as_of"] is not None:
        expected["as_of"] = v["as_of"].strip()[:10]
    if v["value"] is not None:
        expected["value"] = v["value"]
    same(expected, {**after, "value": after["value"]["text"]}, shown)
    if "claim" not in before:
        return
    old = before["claim"]
    created = {} if v["create_sources"] else None
    if v["said_by"] is not None:
        expected["said_by"] = canonical(before, v["said_by"], created)
    if v["via"]:
        expected["via"] = [canonical(before, name, created) for name in v["via"]]
    value_changed = after["value"] != old["value"]
    assert after["corrections"] == old["corrections"] + ([old["value"]] if value_changed else []), f"corrections\n{shown}"
    touched = set(expected) | {"value", "corrections", "period", "as_of", "as_of_at"} if v["period"] or v["as_of"] else set(expected)
    same({k: val for k, val in old.items() if k not in touched | DERIVED | {"value", "corrections"}}, after, shown)
    same({k: val for k, val in expected.items() if k != "value"}, after, shown)


def _source_edit(step: Step, before: dict, result, shown: str) -> None:
    v = step.values
    sources = step.read("source", "list", "--json")
    edited = json.loads(result.stdout) if v["as_json"] else None
    if not before:
        return
    old = {s["name"]: s for s in before["sources"]}[canonical(before, v["name"])]
    new = {s["id"]: s for s in sources}[old["id"]]
    if edited is not None:
        assert edited == new, f"--json printed {edited} but source list shows {new}\n{shown}"
    expected = {"name": old["name"], "kind": v["kind"] if v["kind"] is not None else old["kind"],
                "aliases": old["aliases"] + distinct_aliases(old["name"], [*old["aliases"], *v["alias"]])[len(old["aliases"]):],
                "grade": v["grade"].strip().upper() if v["grade"] is not None else old["grade"],
                "affiliation": canonical(before, v["affiliation"]) if v["affiliation"] is not None else old["affiliation"]}
    for field in v["clear"]:
        expected[field.strip().lower()] = None
    same(expected, new, shown)
    entry = step.read("log", "--json")[0]
    same({"action": "source.edit", "subject": f"source:{old['id']}"}, entry, shown)


def _doc_remove(step: Step, before: dict, result, shown: str) -> None:
    doc_id = int(step.values["document_id"].strip().lstrip("+"))
    assert doc_id not in {d["id"] for d in step.read("doc", "list", "--json")}, f"document {doc_id} is still listed\n{shown}"
    assert all(c["document_id"] != doc_id for c in step.read("claim", "list", "--json")), f"a claim cited it\n{shown}"
    entry = step.read("log", "--json")[0]
    same({"action": "document.remove", "subject": f"document:{doc_id}", "reason": step.values["reason"]},
         {**entry, **entry["payload"]}, shown)


def _names(step: Step, kind: str) -> list[dict]:
    return step.read(kind, "list", "--json")


def _filed_together(views: list[dict], *names: str) -> bool:
    keys = {key(n) for n in names}
    return any(keys <= {key(v["name"]), *map(key, v["spellings"])} for v in views)


def _name_merge(step: Step, before: dict, result, shown: str) -> None:
    kind = step.path[0]
    v = step.values
    assert _filed_together(_names(step, kind), v["from_name"], v["into_name"]), f"merged names filed apart\n{shown}"
    same({"action": "name_rule.add"}, step.read("log", "--json")[0], shown)


def _name_alias(step: Step, before: dict, result, shown: str) -> None:
    entry = step.read("log", "--json")[0]
    same({"action": "name_rule.add", "rule": "same", "name": step.values["alias_name"].strip()}, {**entry, **entry["payload"]}, shown)


def _name_split(step: Step, before: dict, result, shown: str) -> None:
    kind, v = step.path[0], step.values
    views = _names(step, kind)
    if v["spelling"] is not None:
        assert not _filed_together(views, v["spelling"], v["name"]), f"the spelling is still filed with the name\n{shown}"
        return
    moved = json.loads(result.stdout)["claims"] if v["as_json"] else [int(i) for i in re.findall(r"\d+", result.stdout.split(" moved")[0])]
    field = {"event": "event", "group": "group", "place": "location"}[kind]
    for claim_id in moved:
        assert step.read("claim", "show", str(claim_id), "--json")[field] == v["as_name"].strip(), f"claim {claim_id} not moved\n{shown}"
    assert not _filed_together(views, v["as_name"], v["name"]), f"split names filed together\n{shown}"


def _name_edit(step: Step, before: dict, result, shown: str) -> None:
    kind, v = step.path[0], step.values
    view = next(x for x in _names(step, kind) if key(v["name"]) in {key(x["name"]), *map(key, x["spellings"])})
    expected = {fact: None for fact in v["clear"]}
    if kind == "event":
        if v["date"] is not None:
            expected["date"] = v["date"].strip()[:10]
        if v["place"] is not None:
            expected["place"] = v["place"].strip()
    elif v["within"] is not None:
        expected["within"] = v["within"].strip()
    same({k.strip().lower(): val for k, val in expected.items()}, view, shown)


def _claim_restore(step: Step, before: dict, result, shown: str) -> None:
    claim_id = int(step.values["claim_id"].strip().lstrip("+"))
    after = step.read("claim", "show", str(claim_id), "--json")
    same({"retracted": False}, after, shown)
    entry = step.read("log", "--json")[0]
    same({"action": "claim.restore", "reason": step.values["reason"]}, {"action": entry["action"], **entry["payload"]}, shown)
    if "claim" in before:
        assert before["claim"]["retracted"] is True, f"a claim that was not retracted was restored\n{shown}"
        same({k: val for k, val in before["claim"].items() if k != "retracted"}, after, shown)


def _claim_retract(step: Step, before: dict, result, shown: str) -> None:
    claim_id = int(step.values["claim_id"].strip().lstrip("+"))
    same({"retracted": True}, step.read("claim", "show", str(claim_id), "--json"), shown)
    entry = step.read("log", "--json")[0]
    same({"action": "claim.retract", "reason": step.values["reason"]}, {"action": entry["action"], **entry["payload"]}, shown)
    if "claim" in before:
        assert before["claim"]["retracted"] is False, f"a retracted claim was retracted again\n{shown}"


def _import(step: Step, before: dict, result, shown: str) -> None:
    v = step.values
    claims = step.read("claim", "list", "--json")
    if v["dry_run"]:
        assert result.stdout.startswith("would import "), f"dry run output\n{shown}"
        if before:
            assert claims == before["claims"], f"a dry run changed the claims\n{shown}"
        return
    found = re.match(r"imported (\d+) claims?(?: \(ids? (\d+)(?:–(\d+))?\))?", result.stdout)
    assert found, f"import's summary\n{shown}"
    count = int(found.group(1))
    held = re.search(r"; (\d+) claims? (?:[^;]*)already in the ledger", result.stdout)
    already = int(held.group(1)) if held else 0
    if not before:
        return
    new = claims[len(before["claims"]):]
    # "quantity" is derived from every claim's names (the commonest spelling names an event): new claims may rename it
    stored = [{k: v for k, v in c.items() if k != "quantity"} for c in claims[:len(before["claims"])]]
    assert stored == [{k: v for k, v in c.items() if k != "quantity"} for c in before["claims"]], \
        f"an import changed earlier claims\n{shown}"
    assert len(new) == count, f"import said {count} claims, {len(new)} are new\n{shown}"
    rows = expected_rows(Path(step.argv[-1]).read_bytes(), v["fmt"] or ("csv" if step.argv[-1].lower().endswith(".csv") else "jsonl"))
    assert len(rows) == count + already, f"the file holds {len(rows)} claim rows, import said {count} new and {already} held\n{shown}"
    if already:
        return  # which rows were the held ones is the importer's to say; the counts add up
    for row, claim in zip(rows, new, strict=True):
        value = str(row["value"]) if type(row["value"]) is int else row["value"]
        same({"event": row["event"].strip(), "metric": row["metric"].strip(), "value": value,
              "location": row.get("location") or None, "quote": row.get("quote") or None},
             {**claim, "value": claim["value"]["text"]}, shown)


def expected_rows(data: bytes, fmt: str) -> list[dict]:
    """The claim rows of an import file that was accepted, read here independently of ledger.transfer."""
    import csv
    import io

    text = data.decode("utf-8-sig")
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        return [{k.strip().replace("-", "_"): v for k, v in row.items() if v != ""} for row in reader if any(row.values())]
    rows = []
    for line in text.splitlines():
        if line.strip():
            data = json.loads(line)
            if data.get("record", "claim") == "claim":
                rows.append(data)
    return rows


def _demo(step: Step, before: dict, result, shown: str) -> None:
    assert result.stdout.strip(), f"demo printed no report\n{shown}"
    db = step.values["db"]
    if db is not fi.OMIT and db.kind in ("fresh", "missing-file"):
        target = ["--db", step.ws.path(db)]
        verified = invoke(*target, "verify")
        assert verified.exit_code == 0 and verified.stdout.startswith("ok: "), f"verify of the demo ledger\n{shown}\n{verified.output}"
        assert json.loads(invoke(*target, "claim", "list", "--json").stdout), f"the demo ledger holds no claims\n{shown}"


def _copy(step: Step, before: dict, result, shown: str) -> None:
    target = ["--db", step.ws.path(step.values["target"])]
    verified = invoke(*target, "verify")
    assert verified.exit_code == 0 and verified.stdout.startswith("ok: "), f"verify of the copy\n{shown}\n{verified.output}"
    source = step.values["source"]
    chosen = step.ws.path(source) if source is not fi.OMIT else step.db
    original = ["--db", chosen] if chosen is not None else []
    assert json.loads(invoke(*target, "claim", "list", "--json").stdout) == json.loads(
        invoke(*original, "claim", "list", "--json").stdout), f"the copy lists other claims\n{shown}"


def _export(step: Step, before: dict, result, shown: str) -> None:
    out = step.values["output"]
    fmt = step.values["fmt"] or "jsonl"
    if out is not fi.OMIT and out.kind == "devnull":
        return  # written to /dev/null: nothing to read back, and the ledger unchanged is checked by the caller
    text = result.stdout if out is fi.OMIT else Path(step.ws.path(out)).read_text(encoding="utf-8")
    if fmt == "jsonl":
        lines = [json.loads(line) for line in text.splitlines()]
        claims = step.read("claim", "list", "--json")
        assert len([l for l in lines if l.get("record", "claim") == "claim"]) == len(claims), f"export lost claims\n{shown}"


def _setting(step: Step, before: dict, result, shown: str) -> None:
    v = step.values
    listed = {row["key"]: row["value"] for row in step.read("setting", "list", "--json")}
    assert listed[v["key"]] == (v["value"].strip() if "value" in v else None), shown
    entry = step.read("log", "--json")[0]
    same({"action": "setting.set", "subject": f"setting:{v['key']}"}, entry, shown)


def _extract(step: Step, before: dict, result, shown: str) -> None:
    v = step.values
    if not (v["accept_all"] or v["review"]):  # candidates only: shown, nothing recorded (the caller checks the ledger)
        if v["as_json"]:
            assert isinstance(json.loads(result.stdout), list), shown
        if v["as_nl"]:
            assert all(isinstance(json.loads(line), dict) for line in result.stdout.splitlines()), shown
        return
    if not v["as_json"]:
        return
    printed = json.loads(result.stdout)
    if printed["document"] is not None and v["doc"] is None:  # made of FILE: --archive-url and --retrieved passed through
        doc = step.read("doc", "show", str(printed["document"]), "--json")
        same({"archive_url": v["archive_url"], "retrieved": _retrieved(v["retrieved"]), "url": v["url"]}, doc, shown)
    for item in printed["claims"]:
        claim = step.read("claim", "show", str(item["id"]), "--json")
        same({"event": v["event"].strip(), "document_id": printed["document"], "quote_verified": True}, claim, shown)
    marked = [e for e in step.read("log", "--json") if e["action"] == "claim.extracted"]
    assert {e["subject"] for e in marked} >= {f"claim:{item['id']}" for item in printed["claims"]}, shown


READBACK = {
    ("source", "add"): _source_add, ("source", "merge"): _source_merge, ("doc", "add"): _doc_add,
    ("claim", "add"): _claim_add, ("claim", "correct"): _claim_correct, ("claim", "retract"): _claim_retract,
    ("claim", "restore"): _claim_restore, ("source", "edit"): _source_edit, ("doc", "remove"): _doc_remove,
    **{(kind, verb): check for kind in NAMES for verb, check in
       (("merge", _name_merge), ("alias", _name_alias), ("split", _name_split), ("edit", _name_edit))},
    ("import",): _import, ("demo",): _demo, ("export",): _export, ("copy",): _copy, ("extract",): _extract,
    ("setting", "set"): _setting, ("setting", "unset"): _setting,
}


@pytest.mark.parametrize("path", sorted(READ), ids=" ".join)
def test_read_commands_change_nothing(template, base, path):
    """A command classified as reading runs, and leaves every file as it was: else it belongs in WRITE."""
    world = World(template, base)
    try:
        before = world.snapshot()
        result = invoke("--db", str(world.ws.ledger), *path, *READ[path])
        assert result.exit_code == 0 and result.exception is None, result.output
        assert world.snapshot() == before
    finally:
        world.close()


def test_every_write_command_has_a_readback():
    assert set(READBACK) == WRITE


# -- the properties ---------------------------------------------------------------------------


@st.composite
def step_values(draw, path: tuple[str, ...]):
    """A command's values: one or two parameters (the global ones included) odd, the others usual."""
    fields = {**SPECS[path], **{f"--{name} (global)": f for name, f in ROOT_SPEC.items()}}
    odd = draw(st.sets(st.sampled_from(sorted(fields)), max_size=2))
    drawn = {name: draw(f.odd if name in odd else f.usual) for name, f in fields.items()}
    values = {name: drawn[name] for name in SPECS[path]}
    root = {name: drawn[f"--{name} (global)"] for name in ROOT_SPEC}
    return path, values, root, draw(st.booleans())




@pytest.mark.parametrize("path", sorted(WRITE), ids=" ".join)
def test_write_command_fails_cleanly_or_reads_back(template, base, path):
    @settings(FUZZ, max_examples=SLOW.get(path, FUZZ.max_examples))
    @given(step_values(path))
    def check(drawn):
        world = World(template, base)
        try:
            Step(world, *drawn).run()
        finally:
            world.close()

    check()


@settings(FUZZ, max_examples=8)
@given(st.lists(st.sampled_from(sorted(WRITE)).flatmap(step_values), min_size=2, max_size=4))
def test_any_sequence_keeps_the_ledger_verifiable(template, base, steps):
    world = World(template, base)
    try:
        for drawn in steps:
            Step(world, *drawn).run()
        verified = invoke("--db", str(world.ws.ledger), "verify")
        assert verified.exit_code == 0, verified.output
    finally:
        world.close()


# -- the failures hypothesis found, each minimised to one command line ------------------------------


def case(path: tuple[str, ...], root: dict | None = None, **given):
    """A step with these values; every other parameter left off."""
    values = {p.name: False if getattr(p, "is_flag", False) else [] if p.multiple else fi.OMIT for p in commands()[path].params}
    assert given.keys() <= values.keys(), sorted(given.keys() - values.keys())
    return path, {**values, **given}, {"db": fi.LEDGER, "by": fi.OMIT, **(root or {})}, True


def seeds(edit: str, new: str) -> fi.Made:
    return fi.Made("seeds", fi.SEED_JSON.replace(edit, new).encode(), name="bad")


CLAIM = {"event": "A", "metric": "killed", "value": "5", "said_by": "SOHR"}
REPRODUCTIONS = {
    "source add: a lone surrogate, as a shell passes invalid UTF-8 ($'\\xff')": case(("source", "add"), name="\udcff"),
    "--by: a lone surrogate": case(("source", "add"), root={"by": "\udcff"}, name="New Source"),
    "claim correct: a lone surrogate in --reason": case(("claim", "correct"), claim_id="1", value="45", reason="\udcff"),
    "import: a lone surrogate escaped in JSON": case(("import",), file=fi.Made(
        "file", b'{"event":"A","metric":"killed","value":"5","said_by":"SOHR","location":"\\udcff"}', "rows.jsonl")),
    "doc add: a moment after 9999-12-31 in UTC": case(("doc", "add"), outlet="Reuters", published="9999-12-31T23:59-01:00"),
    "claim add: a moment before 0001-01-01 in UTC": case(("claim", "add"), **CLAIM, as_of="0001-01-01T00:30+01:00"),
    "import: a moment after 9999-12-31 in UTC": case(("import",), file=fi.Made(
        "file", b'{"event":"A","metric":"killed","value":"5","said_by":"SOHR","published":"9999-12-31T23:59-01:00"}', "rows.jsonl")),
    "doc add: a CRLF text is stored with LF (its sha256 is not the file's)": case(
        ("doc", "add"), outlet="Reuters", published="2022-01-22", file=fi.Made("file", b"45 killed\r\n", "a.txt")),
    "source add: an alias that is the name in another case": case(("source", "add"), name="New Source", alias=["new source"]),
    "source add: an alias of a control character alone, dropped as a blank one": case(
        ("source", "add"), name="Reuters\u200b", alias=["\x91", "NULL", "\u200b"], grade=" b "),
    "source add: an existing name in another Unicode normal form": case(("source", "add"), name=fi.nfd("Ṣabāḥ News")),
    "import: a source line whose aliases differ only by case": case(("import",), file=fi.Made(
        "file", b'{"record":"source","name":"Q","aliases":["q"]}', "rows.jsonl")),
    "import: a file name with a newline splits the error line": case(("import",), file=fi.Made(
        "file", b"event,metric,value,said_by,bogus\n", "rows\n.csv")),
    "export: --output a symlink loop": case(("export",), output=fi.Made("loop")),
    "demo: a seed file that is a list": case(("demo",), seeds=fi.Made("seeds", b"[]", name="bad")),
    "demo: a seed file without a document": case(("demo",), seeds=fi.Made("seeds", b"{}", name="bad")),
    "demo: a seed naming a missing text file": case(("demo",), seeds=seeds('"file": "hasaka-prison-2022.txt"', '"file": "missing.txt"')),
    "demo: a seed naming its text file by a number": case(("demo",), seeds=seeds('"file": "hasaka-prison-2022.txt"', '"file": 7')),
    "demo: a seed text that is not UTF-8": case(("demo",), seeds=fi.Made("seeds", fi.SEED_JSON.encode(), name="bad-text")),
    "demo: a bad figure in the last seed claim leaves a half-built ledger": case(
        ("demo",), db=fi.Made("fresh"), seeds=seeds('"value": "10,000"', '"value": "a lot of"')),
}


@pytest.mark.parametrize("name", sorted(REPRODUCTIONS))
def test_found_by_fuzzing(template, base, name):
    """Each failure the fuzzing found, as its smallest command: it must fail cleanly or read back."""
    world = World(template, base)
    try:
        Step(world, *REPRODUCTIONS[name]).run()
    finally:
        world.close()
