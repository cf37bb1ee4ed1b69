"""-v means verbose, as users of other tools expect: which ledger, and how long; it never changes what is printed on stdout."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_names_the_ledger_and_the_time_on_stderr_only(cli, where):
    cli.run("demo")
    quiet = cli.run("log", "-n", "2")
    args = ("-v", "log", "-n", "2") if where == "before" else ("log", "-n", "2", "--verbose")
    loud = cli.run(*args)
    assert loud.stdout == quiet.stdout
    lines = loud.stderr.splitlines()
    assert lines[0].startswith("ledger: ") and "history head" in lines[0]
    assert lines[-1].startswith("ledger: ") and lines[-1].endswith(" s")


def test_v_is_no_longer_value(cli):
    cli.run("demo")
    result = cli.run("claim", "add", "-e", "A", "-m", "killed", "-v", "5", "-s", "SOHR", code=2)
    assert result.output.count("error:") == 1
