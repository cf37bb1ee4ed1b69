"""Shell completion: the hook installs from the root, and Tab offers the ledger's own names without writing anything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LEDGER = str(Path(sys.executable).parent / "ledger")


def _complete(words: str, cwd: Path, **env) -> list[str]:
    completing = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
                  "_LEDGER_COMPLETE": "complete_bash", **env}
    if "LEDGER_DB" not in env:
        completing.pop("LEDGER_DB", None)
    done = subprocess.run([LEDGER], env=completing, cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return [line for line in done.stdout.splitlines() if line]


def test_commands_and_options_complete(tmp_path):
    assert _complete("ledger cla", tmp_path) == ["claim"]
    assert _complete("ledger claim list --me", tmp_path) == ["--metric"]


def test_names_complete_from_the_ledger_on_the_line_or_in_ledger_db(cli, tmp_path):
    db = tmp_path / "names.db"
    cli.run("--db", str(db), "demo")
    assert _complete(f"ledger claim list --db {db} --event Gh", tmp_path) == ["Ghweran prison attack"]
    assert "Syrian Observatory for Human Rights" in _complete("ledger claim add --said-by S", tmp_path, LEDGER_DB=str(db))
    assert _complete("ledger claim list --metric ki", tmp_path, LEDGER_DB=str(db)) == ["killed"]


def test_a_tab_without_a_ledger_completes_nothing_and_creates_nothing(tmp_path):
    assert _complete("ledger claim list --event Gh", tmp_path) == []
    assert _complete(f"ledger claim list --db {tmp_path / 'new.db'} --event Gh", tmp_path) == []
    assert list(tmp_path.iterdir()) == []


def test_the_hook_is_offered_for_bash():
    # typer finds the shell among the process's ancestors (shellingham), not in $SHELL: run it from a bash,
    # kept alive by the `; true` (bash would exec a lone command), whatever started the test run
    shown = subprocess.run(["bash", "-c", f'"{LEDGER}" --show-completion; true'], capture_output=True, text=True, timeout=60,
                           env={**os.environ, "SHELL": "/bin/bash"})
    assert "_LEDGER_COMPLETE=complete_bash" in shown.stdout


def test_a_half_typed_global_option_completes_quietly(tmp_path):
    # the hoisting of --db after the command once failed the Tab with "needs a value" and a traceback
    assert _complete("ledger audit --db ", tmp_path) == []
    assert _complete("ledger report --by ", tmp_path) == []


def test_every_option_that_names_an_event_metric_or_source_completes_from_the_ledger(cli, tmp_path):
    db = tmp_path / "names.db"
    cli.run("--db", str(db), "demo")
    assert _complete("ledger report --event Gh", tmp_path, LEDGER_DB=str(db)) == ["Ghweran prison attack"]
    assert _complete(f"ledger quantity all --db {db} --metric ki", tmp_path) == ["killed"]
    assert "Syrian Democratic Forces" in _complete("ledger claim list --source Sy", tmp_path, LEDGER_DB=str(db))
