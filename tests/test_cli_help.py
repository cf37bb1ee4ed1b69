"""Every command and option teaches: enumerated from the app, so a new command without help fails here."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from ledger.cli import app


def _commands(command, path=()):
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield path, command


COMMANDS = dict(_commands(typer.main.get_command(app)))


def test_the_app_has_the_commands_the_readme_uses():
    for path in [("claim", "add"), ("report",), ("audit",), ("verify",), ("import",), ("export",), ("demo",)]:
        assert path in COMMANDS


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_command_and_parameter_has_help(path):
    command = COMMANDS[path]
    assert command.help and command.help.strip(), f"ledger {' '.join(path)} has no docstring"
    undocumented = [p.name for p in command.params if not (getattr(p, "help", None) or "").strip()]
    assert undocumented == [], f"ledger {' '.join(path)}: parameters without help"
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    assert command.help.strip().splitlines()[0][:40] in " ".join(result.stdout.split())
    assert re.search(r"Examples?( \([^)]*\))?:\s+ledger ", command.help), f"ledger {' '.join(path)} --help shows no example"


@pytest.mark.parametrize("path", [(), ("claim",), *sorted(COMMANDS)], ids=lambda p: " ".join(p) or "ledger")
def test_help_shows_real_placeholders_not_python_types(path):
    # A flag stands alone; a value is named for what it is (--said-by SOURCE), never <str>, <bool> or <list[str]>.
    shown = CliRunner().invoke(app, [*path, "--help"], terminal_width=200).stdout
    assert "<" not in shown.replace("<stdin>", ""), shown
    assert "--help" in shown


def test_docstring_paragraphs_reflow_to_the_terminal(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    shown = cli.run("export", "--help").stdout
    # one paragraph of the docstring, written over three lines, is one line on a wide terminal
    assert "then the sources (with aliases), documents and claims: `ledger import` into an empty ledger" in shown


def test_small_answers_that_once_misled(cli):
    cli.make_empty()
    footer = cli.run("report").stdout.splitlines()[-2]
    assert "from an empty history" in footer and "--at" not in footer  # `--at 0` would be refused
    refused = cli.run("verify", "--head", "a" * 80, code=2)
    assert refused.stderr.startswith("error: --head: ") and "64 hex digits" in refused.stderr
    refused = cli.run("import", "/dev/null", code=2)
    assert refused.stderr == ("error: FILE: '/dev/null' has no .csv or .jsonl ending to tell its format by; "
                              "pass --format csv or --format jsonl\n")


def _lines_of(shown: str) -> list[str]:
    return [" ".join(line.strip("│ ").split()) for line in shown.splitlines()]


@pytest.mark.parametrize("path", [("doc",), ("claim",), ("event",), *sorted(COMMANDS)], ids=" ".join)
def test_every_prose_paragraph_of_help_is_one_line_on_a_wide_terminal(cli, monkeypatch, path):
    # A hard line break in a docstring once showed mid-sentence ("text hash,⏎ its versions"); a paragraph that
    # opens with an option ("--format html -o …") was taken for a list and kept its breaks.
    import inspect

    monkeypatch.setenv("COLUMNS", "1000")
    lines = _lines_of(cli.run(*path, "--help").stdout)
    group = typer.main.get_command(app)
    for name in path:
        group = group.commands[name]
    described = [group.callback.__doc__ or group.help] + [c.callback.__doc__ or c.help
                                                         for c in getattr(group, "commands", {}).values()]
    for doc in described:
        paragraphs = inspect.cleandoc(doc).split("\n\n")
        listed = getattr(group, "commands", None) is not None and doc is not described[0]
        for paragraph in paragraphs[:1] if listed else paragraphs:
            if any(line[:1].isspace() for line in paragraph.splitlines()[1:]) or paragraph.startswith(("- ", "* ")):
                continue  # examples and lists keep their lines
            if listed and len(paragraph) > 800:
                continue
            flat = " ".join(paragraph.split())
            assert any(flat in line for line in lines), f"{' '.join(path)}: {flat[:60]!r} is broken over lines"


def test_the_root_options_and_every_group_have_help():
    root = typer.main.get_command(app)
    undocumented = [p.name for p in root.params if not (getattr(p, "help", None) or "").strip()]
    assert undocumented == []
    shown = " ".join(CliRunner().invoke(app, ["--help"], terminal_width=200).stdout.split())
    for option in ("--db", "--by", "--verbose", "--version", "--install-completion"):
        assert option in shown
    groups = [name for name, command in root.commands.items() if hasattr(command, "commands")]
    assert groups and all((root.commands[name].help or "").strip() for name in groups)
