"""Every test gets its own ledger file; nothing touches a real ledger.db."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ledger.cli import app


@pytest.fixture(autouse=True)
def isolated_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB", url)
    monkeypatch.setenv("LEDGER_USER", "tester")
    monkeypatch.chdir(tmp_path)
    return url


class Ledger:
    """Drive the CLI as a user would: ``run("claim", "add", …)``."""

    def __init__(self):
        self.runner = CliRunner()

    def run(self, *args: str, ok: bool = True, code: int | None = None, input: bytes | str | None = None):
        result = self.runner.invoke(app, list(args), catch_exceptions=False, input=input)
        expected = code if code is not None else (0 if ok else None)
        if expected is not None:
            assert result.exit_code == expected, f"{args}: exit {result.exit_code}\n{result.output}"
        return result

    def json(self, *args: str):
        return json.loads(self.run(*args, "--json").stdout)


@pytest.fixture
def cli():
    return Ledger()


@pytest.fixture
def seeded(cli):
    """A ledger with the sources the seed article needs and its document."""
    cli.run("source", "add", "Al Jazeera", "--alias", "Al-Jazeera", "--kind", "media", "--grade", "B")
    cli.run("source", "add", "Syrian Observatory for Human Rights", "--alias", "SOHR", "--alias", "the observatory", "--kind", "ngo")
    cli.run("source", "add", "Syrian Democratic Forces", "--alias", "SDF", "--kind", "armed-group")
    cli.run("source", "add", "local sources", "--kind", "anonymous")
    cli.run("source", "add", "Mazloum Abdi", "--kind", "person", "--affiliation", "SDF")
    return cli
