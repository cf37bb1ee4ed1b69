"""Every mistake at the command line is one ``error:`` line, and no output file can destroy data.

Usage errors (unknown option or command, missing or malformed argument) are enumerated from the app,
so a command added later is covered. Export is driven against a real ledger file next to its output.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from ledger.cli import app

TOO_BIG = str(2**63)  # one past SQLite's INTEGER and PostgreSQL's BIGINT
LARGEST = str(2**63 - 1)
BOXES = ("╭", "│", "╰")


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def assert_one_error_line(result, code: int = 2, naming: str | None = None) -> str:
    """The result is exactly one ``error: …`` line on stderr (nothing on stdout), and returns it."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and not any(box in result.output for box in BOXES), result.output
    assert result.stdout == "", result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    if naming is not None:
        assert lines[0].startswith(f"error: {naming}: "), lines[0]
    return lines[0]


def dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


@pytest.fixture
def ledger_file(cli, isolated_db) -> Path:
    """A ledger with a source, a document and two claims, in the working directory."""
    cli.run("source", "add", "SOHR", "--kind", "ngo")
    cli.run("doc", "add", "--outlet", "SOHR", "--published", "2022-01-22")
    cli.run("claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "--value", "45", "-s", "SOHR", "--doc", "1")
    cli.run("claim", "add", "-e", "Ghweran prison attack", "-m", "killed", "--value", "more than 70", "-s", "SOHR")
    return Path(isolated_db.removeprefix("sqlite:///"))


# -- export never destroys data --------------------------------------------------------


@pytest.mark.parametrize("spelling", ["ledger.db", "./sub/../ledger.db", "{abs}", "ledger.db-wal"])
def test_export_refuses_to_write_over_the_open_ledger(ledger_file, spelling):
    (ledger_file.parent / "sub").mkdir()
    before = dump(ledger_file)
    result = run("export", "-o", spelling.format(abs=ledger_file))
    assert "open ledger" in assert_one_error_line(result, naming="--output")
    assert dump(ledger_file) == before
    verified = run("verify").stdout
    assert verified.startswith("ok: ") and ", 2 claims, 1 document verified" in verified, verified


def test_export_refuses_a_link_to_the_open_ledger(ledger_file):
    os.link(ledger_file, ledger_file.parent / "hard.db")
    os.symlink(ledger_file, ledger_file.parent / "soft.jsonl")
    before = dump(ledger_file)
    for name in ("hard.db", "soft.jsonl"):
        assert_one_error_line(run("export", "-o", name), naming="--output")
    assert dump(ledger_file) == before


def test_export_refuses_to_write_over_any_sqlite_file(ledger_file):
    other = ledger_file.parent / "notes.txt"  # another application's database, whatever its name
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE note (body TEXT)")
        conn.execute("INSERT INTO note VALUES ('keep me')")
        conn.commit()
    before = other.read_bytes()
    line = assert_one_error_line(run("export", "-o", str(other)), naming="--output")
    assert "SQLite database" in line
    assert other.read_bytes() == before


@pytest.mark.parametrize("output, problem", [("sub", "is a folder"), ("missing/folder/x.jsonl", "does not exist")])
def test_export_to_a_folder_or_a_missing_folder_is_one_line(ledger_file, output, problem):
    (ledger_file.parent / "sub").mkdir()
    assert problem in assert_one_error_line(run("export", "-o", output), naming="--output")
    assert sorted(p.name for p in (ledger_file.parent / "sub").iterdir()) == []


def test_a_failed_export_leaves_the_existing_file_as_it_was_and_no_partial_file(ledger_file):
    # A stored date that does not parse stops the export after the sources and documents were written.
    with closing(sqlite3.connect(ledger_file)) as conn:
        conn.execute("UPDATE claim SET published = 'garbage' WHERE id = 2")
        conn.commit()
    out = ledger_file.parent / "out.jsonl"
    out.write_text("yesterday's export\n", encoding="utf-8")
    files = sorted(p.name for p in ledger_file.parent.iterdir())
    result = run("export", "-o", "out.jsonl")
    assert result.exit_code != 0
    assert out.read_text(encoding="utf-8") == "yesterday's export\n"
    assert sorted(p.name for p in ledger_file.parent.iterdir()) == files


def test_an_interrupted_export_leaves_the_existing_file_as_it_was(tmp_path):
    from ledger.api.export import write_export

    def interrupted():
        yield "first line\n"
        raise KeyboardInterrupt

    out = tmp_path / "out.jsonl"
    out.write_text("kept\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        write_export(interrupted(), out)
    assert out.read_text(encoding="utf-8") == "kept\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_export_replaces_a_text_file_whole_and_keeps_its_permissions(ledger_file):
    out = ledger_file.parent / "out.jsonl"
    out.write_text("old\n" * 1000, encoding="utf-8")
    out.chmod(0o640)
    assert run("export", "-o", "out.jsonl").exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line).get("record", "claim") for line in lines]
    assert [r for r in records if r != "row"] == ["source", "document", "claim", "claim"] and records[0] == "row"
    assert out.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in ledger_file.parent.iterdir() if not p.name.startswith("ledger.db")) == ["out.jsonl"]
    assert run("export", "-o", os.devnull).exit_code == 0  # not a regular file: written in place, not replaced


# -- ids out of range ------------------------------------------------------------------------


ID_CASES = [
    (("claim", "show"), (), "ID"),
    (("claim", "correct"), ("--value", "5"), "ID"),
    (("claim", "retract"), ("--reason", "x"), "ID"),
    (("audit",), (), "ID"),
]


@pytest.mark.parametrize("value", [TOO_BIG, "99999999999999999999999", "0", "-1", "abc", "1_0"])
@pytest.mark.parametrize("path, rest, field", ID_CASES, ids=lambda c: " ".join(c) if isinstance(c, tuple) else c)
def test_an_impossible_id_is_one_error_line_naming_the_argument(ledger_file, path, rest, field, value):
    before = dump(ledger_file)
    line = assert_one_error_line(run(*path, "--", value, *rest) if value.startswith("-") else run(*path, value, *rest),
                                 naming=field)
    assert value in line
    assert dump(ledger_file) == before


@pytest.mark.parametrize("path, rest, field", ID_CASES, ids=lambda c: " ".join(c) if isinstance(c, tuple) else c)
def test_the_largest_id_is_simply_not_in_the_ledger(ledger_file, path, rest, field):
    line = assert_one_error_line(run(*path, LARGEST, *rest), naming=field)
    assert "is not a claim in this ledger" in line


def test_the_id_field_in_errors_is_the_name_help_shows():
    commands = dict(_leaves(typer.main.get_command(app)))
    for path, _, field in ID_CASES:
        [argument] = [p for p in commands[path].params if p.param_type_name == "argument"]
        assert argument.metavar == field
        usage = next(line for line in run(*path, "--help").stdout.splitlines() if "Usage:" in line)
        assert usage.split()[-2:] == ["[OPTIONS]", field], usage


@pytest.mark.parametrize("value", [TOO_BIG, "0", "-3"])
def test_claim_add_refuses_an_impossible_document_id(ledger_file, value):
    before = dump(ledger_file)
    line = assert_one_error_line(run("claim", "add", "-e", "A", "-m", "killed", "--value", "5", "-s", "SOHR", f"--doc={value}"),
                                 naming="--doc")
    assert value in line
    assert dump(ledger_file) == before


def test_log_refuses_a_seq_past_the_largest(ledger_file):
    assert_one_error_line(run("log", "--since", TOO_BIG), naming="--since")
    assert run("log", "--since", LARGEST).exit_code == 0


@pytest.mark.parametrize("name, text", [
    ("rows.jsonl", '{"event": "A", "metric": "killed", "value": "5", "said_by": "SOHR", "doc": %s}\n' % TOO_BIG),
    ("rows.jsonl", '{"event": "A", "metric": "killed", "value": "5", "said_by": "SOHR", "doc": 0}\n'),
    ("rows.csv", f"event,metric,value,said_by,doc\nA,killed,5,SOHR,{TOO_BIG}\n"),
    ("rows.csv", "event,metric,value,said_by,doc\nA,killed,5,SOHR,-1\n"),
    ("rows.jsonl", '{"record": "document", "id": %s, "outlet": "SOHR", "published": "2022-01-22"}\n' % TOO_BIG),
])
def test_an_import_with_an_impossible_document_id_names_the_row(ledger_file, name, text):
    (ledger_file.parent / name).write_text(text, encoding="utf-8")
    before = dump(ledger_file)
    result = run("import", name)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    line = 2 if name.endswith(".csv") else 1
    assert any(row.startswith(f"{name}:{line}: ") and "is out of range" in row for row in result.output.splitlines()), result.output
    assert dump(ledger_file) == before


@pytest.mark.parametrize("name, text, problem", [
    ("rows.csv", "event,metric,value,said_by,credibility\nA,killed,5,SOHR,²\n", "credibility: '²' is not a whole number"),
    ("rows.csv", "event,metric,value,said_by,credibility\nA,killed,5,SOHR,--5\n", "credibility: '--5' is not a whole number"),
    ("rows.csv", f"event,metric,value,said_by,doc\nA,killed,5,SOHR,{'9' * 5000}\n", "doc: " + "9" * 40 + "… is out of range"),
    ("rows.jsonl", '{"event": "A", "metric": "killed", "value": "5", "said_by": "SOHR", "doc": %s}\n' % ("9" * 5000),
     "line: is not valid JSON"),
])
def test_an_import_with_a_malformed_number_names_the_row(ledger_file, name, text, problem):
    (ledger_file.parent / name).write_text(text, encoding="utf-8")
    result = run("import", name)
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    line = 2 if name.endswith(".csv") else 1
    assert any(row.startswith(f"{name}:{line}: {problem}") for row in result.output.splitlines()), result.output


def test_a_deeply_nested_json_line_is_that_lines_error(ledger_file):
    rows = ledger_file.parent / "rows.jsonl"
    rows.write_text('{"event": "A", "metric": "killed", "value": "5", "said_by": "SOHR"}\n' + "[" * 100_000 + "\n"
                    + '{"a":' * 100_000 + "\n", encoding="utf-8")
    before = dump(ledger_file)
    result = run("import", str(rows))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    problems = [line for line in result.output.splitlines() if line.startswith(f"{rows}:")]
    assert [p.split(": ", 1)[0] for p in problems] == [f"{rows}:2", f"{rows}:3"], result.output
    assert all("not a JSON object" in p and "nested" in p for p in problems), problems
    assert dump(ledger_file) == before


# -- usage errors: one line, enumerated ---------------------------------------------------


def _leaves(command, path=()):
    if getattr(command, "commands", None):
        for name, sub in command.commands.items():
            yield from _leaves(sub, (*path, name))
    else:
        yield path, command


def _groups(command, path=()):
    if getattr(command, "commands", None):
        yield path, command
        for name, sub in command.commands.items():
            yield from _groups(sub, (*path, name))


LEAVES = dict(_leaves(typer.main.get_command(app)))
GROUPS = dict(_groups(typer.main.get_command(app)))


def _label(param) -> str:
    if param.param_type_name == "argument":
        return param.metavar or param.name
    return max(param.opts, key=len)


@pytest.mark.parametrize("path", sorted(LEAVES) + sorted(GROUPS), ids=lambda p: " ".join(p) or "ledger")
def test_an_unknown_option_is_one_error_line_naming_it(path):
    line = assert_one_error_line(run(*path, "--no-such-option"), naming="--no-such-option")
    assert f"`{' '.join(('ledger', *path))} --help`" in line


REQUIRED = {path: [p for p in command.params if p.required] for path, command in LEAVES.items()}


@pytest.mark.parametrize("path", sorted(p for p, required in REQUIRED.items() if required), ids=" ".join)
def test_a_missing_required_parameter_is_one_error_line_naming_it(path):
    line = assert_one_error_line(run(*path))
    assert line.startswith(f"error: {_label(REQUIRED[path][0])}: "), line
    assert "missing" in line


def test_every_argument_is_named_in_help_as_errors_name_it():
    """An argument's metavar is what help shows and what every error about it starts with."""
    unnamed = [(" ".join(path), p.name) for path, command in LEAVES.items() for p in command.params
               if p.param_type_name == "argument" and not (p.metavar and p.metavar.isupper())]
    assert unnamed == []


@pytest.mark.parametrize("args, starts, says", [
    (("claim", "show", "abc"), "error: ID: ", "'abc' is not a whole number"),
    (("claim", "correct", "1", "--value"), "error: --value: ", "needs a value"),
    (("--db",), "error: --db: ", "needs a value"),
    (("clam",), "error: COMMAND: ", "did you mean 'claim'?"),
    (("claim", "shwo", "1"), "error: COMMAND: ", "did you mean 'show'?"),
    (("claim", "list", "--jsn"), "error: --jsn: ", "did you mean --json?"),
    (("claim", "show", "1", "2"), "error: ARGUMENTS: ", "'2' is more than the command takes"),
    (("-v",), "error: COMMAND: ", "is missing"),
])
def test_usage_errors_name_the_parameter_and_the_closest_choice(args, starts, says):
    line = assert_one_error_line(run(*args))
    assert line.startswith(starts) and says in line, line
    assert line.endswith(" --help`"), line


def test_bare_ledger_or_a_bare_group_prints_its_help_and_exits_0():
    # Asking for nothing is not a mistake (issue 13): git, llm and sqlite-utils print their help and succeed.
    result = CliRunner().invoke(app, [], prog_name="ledger")
    assert result.exit_code == 0 and result.stderr == ""
    assert "Usage: ledger [OPTIONS] COMMAND" in result.stdout and "Record who said what" in result.stdout
    group = CliRunner().invoke(app, ["claim"], prog_name="ledger")
    assert group.exit_code == 0 and "Usage: ledger claim [OPTIONS] COMMAND" in group.stdout


def test_version_and_report_json():
    from importlib.metadata import version

    result = CliRunner().invoke(app, ["--version"], prog_name="ledger")
    assert (result.exit_code, result.stdout) == (0, f"ledger {version('ledger')}\n")
    assert CliRunner().invoke(app, ["report", "--json"]).stdout == CliRunner().invoke(app, ["report", "-f", "json"]).stdout
    refused = CliRunner().invoke(app, ["report", "--json", "-f", "csv"])
    assert (refused.exit_code, refused.stderr) == (2, "error: --format: 'csv' conflicts with --json (the same as --format json); give one of them\n")


def test_resolve_refuses_a_blank_name(ledger_file):
    assert_one_error_line(run("resolve", " "), naming="NAME")
