"""Verdicts in colour for people at a terminal; never in files, pipes, JSON or CSV, nor for anyone who set NO_COLOR."""

from __future__ import annotations

import re

import pytest

from ledger.cli import colour

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def demo(cli, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    cli.run("demo")
    return cli


def test_off_a_terminal_nothing_is_coloured(demo):
    assert not ANSI.search(demo.run("report").stdout)
    assert not ANSI.search(demo.run("verify").stdout)


def test_forced_colour_paints_the_verdicts_and_changes_nothing_else(demo, monkeypatch):
    plain = demo.run("report").stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    painted = demo.run("report").stdout
    assert "\x1b[31m\x1b[1mcontradiction\x1b[0m" in painted and "\x1b[33m" in painted
    assert ANSI.sub("", painted) == plain
    assert demo.run("verify").stdout.startswith("\x1b[32mok\x1b[0m: ")


def test_an_audit_paints_its_verdicts_as_the_report_does(demo, monkeypatch):
    plain = demo.run("audit", "3").stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    painted = demo.run("audit", "3").stdout
    assert "\x1b[33mdivergence\x1b[0m" in painted and ANSI.sub("", painted) == plain
    assert not ANSI.search(demo.run("audit", "3", "--json").stdout)
    monkeypatch.setenv("NO_COLOR", "1")
    assert demo.run("audit", "3").stdout == plain


@pytest.mark.parametrize("args", [("report", "--json"), ("report", "--format", "csv"), ("report", "--format", "markdown"),
                                  ("claim", "list", "--nl"), ("audit", "3", "--nl"), ("audit", "3", "--csv")])
def test_machine_formats_and_markdown_are_never_coloured(demo, monkeypatch, args):
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not ANSI.search(demo.run(*args).stdout)


def test_no_color_wins_over_force_color(demo, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ANSI.search(demo.run("report").stdout)


def test_an_empty_no_color_does_not_turn_colour_off(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert colour.wanted()


def test_only_a_verdict_that_starts_a_row_is_painted():
    text = "divergence     x  a reason naming a contradiction\n               agreement later in a cell\n"
    painted = colour.verdicts(text)
    assert painted.count("\x1b[") == 2 and ANSI.sub("", painted) == text
