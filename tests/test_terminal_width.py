"""Tables and text fit the terminal (``COLUMNS``), wrapped between words; without one, output is as it always was."""

from __future__ import annotations

import re
import shlex

import pytest

from ledger.reports.findings import QUANTITY_FLOOR, REASON_FLOOR, ReportText, Tally, fit, merged_chunks, report_chunks
from ledger.reports.render import LONGEST_WHOLE_WORD, fit_command, table

COMMANDS = [("report",), ("claim", "list"), ("doc", "list"), ("event", "list"), ("source", "list"), ("verify",),
            ("audit", "1"), ("audit", "5")]
# Where a line may break besides spaces: after the ".." of a date range (2022-01-20..2022-01-22).
WORDS = re.compile(r"\s+|(?<=\.\.)(?=\S)")


@pytest.fixture
def demo(cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the report's stamp the same at every run
    cli.run("demo")
    return cli


def _words(text: str) -> set[str]:
    return {word for word in WORDS.split(text) if word.strip("-")}  # a table's rule is no word


def _floor(header: str, cells: list[str], command: tuple) -> int:
    """The narrowest a column is made to fit: for the report its quantity and reason floors, elsewhere its
    header and padding, eight characters, or its longest word (up to ``LONGEST_WHOLE_WORD``)."""
    longest = max((len(word) for cell in cells for word in _words(cell)), default=0)
    if command == ("report",):
        return {"quantity": QUANTITY_FLOOR, "reason": REASON_FLOOR}.get(header, 10 ** 6)  # the others keep their widths
    return max(8, len(header) + 2, min(LONGEST_WHOLE_WORD, longest))


def _check_fits(text: str, width: int, command: tuple) -> None:
    """Every line fits ``width``; a table wider than that only when every column is at its floor (each at
    least its longest word, so no word is broken), a line of text only when it is one word (a hash)."""
    lines = text.splitlines()
    in_table = set()
    for r, rule in enumerate(lines):
        if not rule.startswith("-") or set(rule) != {"-", " "}:
            continue
        # a table ends at a blank line; the report's findings have one between them, and end with the legend
        end = next((i for i in range(r + 1, len(lines))
                    if (lines[i].startswith("Grades (") if command == ("report",) else not lines[i])), len(lines))
        in_table.update(range(r - 1, end))
        spans = [m.span() for m in re.finditer(r"-+", rule)]
        if len(rule) <= width:
            assert all(len(line) <= width for line in lines[r + 1:end]), (command, width, lines[r + 1:end])
            continue
        header = lines[r - 1]
        for start, stop in spans:
            cells = [line[start:stop].strip() for line in lines[r + 1:end]]
            name = header[start:stop].strip()
            assert stop - start <= _floor(name, cells, command), \
                f"{command} at {width}: {len(rule)} wide while column {name!r} ({stop - start}) is above its floor"
    for n, line in enumerate(lines):
        if n not in in_table and len(line) > width:
            assert len(line.split()) == 1, f"{command} at {width}: {line!r} is longer and more than one word"


@pytest.mark.parametrize("width", [60, 100])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_each_command_fits_the_terminal_and_breaks_no_word(demo, monkeypatch, command, width):
    piped = demo.run(*command).stdout  # no COLUMNS: every line as long as it needs
    whole = piped
    if command == ("report",):  # the file's table breaks words at hyphens (as textwrap does): take them from JSON
        findings = demo.json("report")["findings"]
        whole = " ".join(" ".join([f["reason"], *filter(None, f["quantity"].values())]) for f in findings)
    monkeypatch.setenv("COLUMNS", str(width))
    narrow = demo.run(*command).stdout
    _check_fits(narrow, width, command)
    assert _words(whole) <= _words(narrow), sorted(_words(whole) - _words(narrow))
    if max(map(len, piped.splitlines())) > width:
        assert max(map(len, narrow.splitlines())) < max(map(len, piped.splitlines())), "made no narrower"


def test_a_wide_terminal_gets_the_table_a_file_gets(demo, monkeypatch):
    piped = {command: demo.run(*command).stdout for command in COMMANDS}
    monkeypatch.setenv("COLUMNS", "1000")  # wider than the longest line
    for command in COMMANDS:
        assert demo.run(*command).stdout == piped[command], command


def test_the_report_fits_down_to_its_floors_then_grows_no_narrower(demo, monkeypatch):
    widths = {}
    for width in (100, 90, 60, 30):
        monkeypatch.setenv("COLUMNS", str(width))
        rule = next(line for line in demo.run("report").stdout.splitlines() if line.startswith("---"))
        widths[width] = [len(dashes) for dashes in rule.split()]
    assert sum(widths[100]) + 10 <= 100 and sum(widths[90]) + 10 <= 90
    assert widths[60] == widths[30] and widths[60][1:3] == [QUANTITY_FLOOR, REASON_FLOOR]


def test_markdown_keeps_each_finding_on_one_line_whatever_the_terminal(demo, monkeypatch):
    document = demo.run("report", "-f", "markdown").stdout
    monkeypatch.setenv("COLUMNS", "60")
    assert demo.run("report", "-f", "markdown").stdout == document
    findings = demo.json("report")["findings"]
    rows = [line for line in document.splitlines() if line.startswith(("| contradiction ", "| divergence "))]
    assert len(rows) == len(findings) and max(map(len, rows)) > 60
    assert all(f["reason"] in row for f, row in zip(findings, rows))  # each reason whole on its finding's line


def test_a_report_output_file_is_the_full_table_whatever_the_terminal(demo, monkeypatch, tmp_path):
    demo.run("report", "-o", str(tmp_path / "wide.txt"))
    monkeypatch.setenv("COLUMNS", "60")
    demo.run("report", "-o", str(tmp_path / "narrow.txt"))
    assert (tmp_path / "narrow.txt").read_text() == (tmp_path / "wide.txt").read_text()


def test_verify_still_finds_the_kept_report_sound_after_a_narrow_report(demo, monkeypatch):
    full = demo.run("report").stdout
    monkeypatch.setenv("COLUMNS", "60")
    narrow = demo.run("report").stdout  # laid out anew: neither the kept text nor kept in its place
    assert narrow != full and demo.run("verify").stdout.startswith("ok: ")
    monkeypatch.delenv("COLUMNS")
    assert _without_stamp(demo.run("report").stdout) == _without_stamp(full)


def _without_stamp(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("Made "))


# -- the core, directly ---------------------------------------------------------------------------------


def _seed_report():
    from ledger import open_ledger

    return open_ledger(existing=True).report(include_agreement=True)


def test_fit_narrows_quantity_and_reason_only_and_never_below_their_floors():
    widths = [13, 30, 72, 10, 11, 12]
    assert fit(widths, None) == widths and fit(widths, 400) == widths
    narrowed = fit(widths, 100)
    assert sum(narrowed) + 10 == 100 and narrowed[0::3] == widths[0::3] and narrowed[4:] == widths[4:]
    assert fit(widths, 40)[1:3] == [QUANTITY_FLOOR, REASON_FLOOR]
    assert fit([13, 9, 10, 10, 11, 12], 40) == [13, 9, 10, 10, 11, 12]  # narrower than the floors already


def test_shares_narrowed_apart_make_the_report_made_whole(demo):
    report = _seed_report()
    assert len(report.findings) >= 2
    for width in (60, 100, None):
        whole = "".join(report_chunks(report, "table", width=width))
        halves = [_share(report, report.findings[0::2], report.quantities), _share(report, report.findings[1::2], 0)]
        texts = [ReportText(half, "table", None, width) for half in halves]
        texts[0].widen(texts[1].widths)
        texts[1].widths = texts[0].widths
        tally = Tally.of(halves[0]) + Tally.of(halves[1])
        tally.possible_matches = report.possible_matches
        assert "".join(merged_chunks("table", [t.pieces() for t in texts], texts[0].widths, tally, None, width)) == whole


def _share(report, findings, quantities: int):
    from dataclasses import replace

    return replace(report, findings=findings, quantities=quantities)


def test_a_table_too_narrow_for_its_floors_keeps_words_whole():
    rows = [["1", "Syrian Observatory for Human Rights", "2022-01-20..2022-01-22"],
            ["2", "Mazloum Abdi", "as of 2022-01-22"]]
    text = table(rows, ["id", "path", "period"], width=20)
    assert {"Observatory", "2022-01-20..", "2022-01-22"} <= set(text.split())
    assert max(map(len, text.splitlines())) == 4 + 2 + len("Observatory") + 2 + len("2022-01-20..")
    fitting = table(rows, ["id", "path", "period"], width=40)
    assert max(map(len, fitting.splitlines())) <= 40 and "Observatory for" in fitting


def test_a_command_broken_to_fit_still_runs_as_one_pasted_whole():
    command = "ledger event merge 'ISIS attacks on Ghweran prison' 'Ghweran prison attack; the jail break'"
    lines = fit_command(command, 50, "  ")
    assert len(lines) > 1 and all(len(line) <= 50 for line in lines)
    assert all(line.endswith(" \\") for line in lines[:-1])
    assert shlex.split("".join(line[:-1] if line.endswith("\\") else line for line in lines)) == shlex.split(command)


def test_a_terminal_as_wide_as_the_kept_table_gets_the_kept_text_a_narrower_one_a_new_layout(demo, monkeypatch):
    from ledger.api import report as report_module

    demo.run("report")  # keeps its text
    laid_out = []
    original = report_module._write_one
    monkeypatch.setattr(report_module, "_write_one", lambda *args: laid_out.append(args[4]) or original(*args))
    widest = max(map(len, demo.run("report").stdout.splitlines()))
    assert laid_out == []  # a pipe: the kept text
    monkeypatch.setenv("COLUMNS", str(widest))
    demo.run("report")
    assert laid_out == []  # it fits: the kept text, not judged nor laid out again
    monkeypatch.setenv("COLUMNS", str(widest - 1))
    narrower = demo.run("report").stdout
    assert laid_out == [widest - 1] and max(map(len, narrower.splitlines())) < widest
