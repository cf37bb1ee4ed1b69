"""The README's Use section, run in order as a new user would paste it, on the ledger its main command leaves."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# It writes into the user's shell start-up file; tests/test_completion.py runs the hook it installs.
NOT_RUN_HERE = {"ledger --install-completion"}


def _use_commands() -> list[list[str]]:
    """Each `ledger …` command of the README's Use block, continuation lines joined, comments dropped,
    `a; b` split in two."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Use\n.*?```sh\n(.*?)```", readme, re.S).group(1)
    commands = []
    for line in block.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";")
        lexer.whitespace_split, lexer.commenters = True, "#"
        words, current = list(lexer), []
        for word in [*words, ";"]:
            if word == ";":
                if current:
                    commands.append(current)
                current = []
            else:
                current.append(word)
    return commands


def _main_command() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = re.search(r"## Set up\n.*?```sh\n(.*?)```", readme, re.S).group(1)
    return shlex.split(setup.splitlines()[0].split("&&")[-1].replace(".venv/bin/", ""))


def test_the_use_section_runs_in_order_on_the_main_commands_ledger(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("LEDGER_DB")  # as a new user: ./ledger.db in the checkout
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "page.txt").write_text("Clashes continued in Hasaka on Saturday; local sources put the dead at more "
                                       "than 70.\n", encoding="utf-8")
    (tmp_path / "sheet.csv").write_text("event,metric,Figure,Source,published\nGhweran prison attack,killed,more than 70,"
                                        "local sources,22/01/2022\n", encoding="utf-8")
    main = _main_command()
    assert main == ["ledger", "demo"]
    report = cli.run(*main[1:]).stdout
    assert "contradiction" in report and (tmp_path / "ledger.db").is_file()
    commands = _use_commands()
    assert len(commands) >= 20 and all(words[0] == "ledger" for words in commands)
    ran = []
    for words in commands:
        if " ".join(words) in NOT_RUN_HERE:
            continue
        review = "q\n" if "--review" in words else None
        result = cli.run(*words[1:], input=review)
        assert "Traceback" not in result.output, words
        ran.append(words[1])
    assert len(ran) == len(commands) - len(NOT_RUN_HERE)
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "reviews.json").stat().st_size > 0 and (tmp_path / "copy.db").is_file()
    assert cli.run("verify").stdout.startswith("ok: ")
    assert cli.run("--db", str(tmp_path / "copy.db"), "verify").stdout.startswith("ok: ")


def test_ci_runs_the_readmes_test_command_and_nothing_else():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = re.search(r"Run the whole test suite.*?```sh\n(.*?)\n```", readme, re.S).group(1)
    assert test_command == "scripts/test"
    ci = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if line.strip() and not line.startswith("#")]
    assert ci[-1] == 'exec scripts/test "$@"' and all(line.startswith(("set ", "cd ")) for line in ci[:-1])
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    for step in ("python3 -m venv .venv", "apt-get install", "chromium-driver", "postgresql",
                 "scripts/postgres-test-server start", "--postgres"):
        assert step in script, f"scripts/test no longer prepares: {step}"


def test_the_set_up_section_holds_exactly_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"```sh\n(.*?)\n```", setup, re.S) == [
        "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/ledger demo", "scripts/test"]
