"""Progress on long commands: the library reports it; the CLI shows a bar on a terminal only."""

from __future__ import annotations

import io


def test_verify_reports_progress_up_to_every_entry_and_row(cli):
    from ledger import open_ledger
    from ledger.storage import verify as verifying

    cli.run("demo")
    seen = []
    book = open_ledger()
    real = verifying.verify
    result = real(book.store, batch=5, progress=lambda done, total: seen.append((done, total)))  # batches of 5: many reports
    assert result.ok and len(seen) > 5
    total = 23 + 11 + 1 + 11 + 0  # history entries, sources, documents, claims, rulings
    assert {t for _, t in seen} == {total} and seen[-1][0] == total
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert book.verify(progress=lambda done, total: seen.append((done, total))).ok and seen[-1] == (total, total)


def test_the_bar_is_drawn_on_a_terminal_only(cli, monkeypatch):
    from ledger.cli import progress as bars

    quiet = bars.TerminalProgress("verifying", "rows")  # the test runner's stderr is not a terminal
    quiet(5, 10)
    assert quiet.bar is None
    cli.make_empty()
    assert cli.run("verify").stderr == ""  # and through the CLI nothing but the result is printed

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(bars.sys, "stderr", screen)
    monkeypatch.setattr(bars.TerminalProgress, "DELAY", 0.0)
    with bars.TerminalProgress("verifying", "rows") as bar:
        bar(5, 10)
        assert bar.bar is not None
        bar(10, 10)
        assert bar.bar is None  # done: gone before the command prints its result
        bar(10, 10)
        assert bar.bar is None
    assert "verifying" in screen.getvalue()


def test_report_and_export_report_progress_up_to_every_claim_they_read(cli):
    from ledger import open_ledger

    cli.run("demo")
    cli.run("claim", "retract", "11", "--reason", "a test")
    book = open_ledger()
    seen = []
    book.forget_kept_results()  # demo's report kept its results: the next would read only one event's claims
    book.write_report(lambda chunk: None, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (10, 10)  # the live claims: a report does not read retracted ones
    seen.clear()
    book.write_report(lambda chunk: None, progress=lambda done, total: seen.append((done, total)), kept=False)
    assert seen[-1] == (10, 10)
    seen.clear()
    exported = "".join(book.export("csv", progress=lambda done, total: seen.append((done, total))))
    assert seen[-1] == (11, 11) and exported.count("\n") == 12
    assert cli.run("report").stderr == "" and cli.run("export", "-f", "csv").stderr == ""  # no terminal: no bar


def test_the_slow_exports_and_the_html_page_report_progress_too(cli, tmp_path):
    # claimreview (92 s), prov-json (54 s) and the html page (45 s) at 300,000 claims were silent
    from ledger import open_ledger

    cli.run("demo")
    cli.run("setting", "set", "reviewer.name", "Example Fact Check")
    cli.run("setting", "set", "reviewer.url", "https://example.org")
    cli.run("setting", "set", "review.url", "https://example.org/checks/{id}")
    cli.run("claim", "retract", "11", "--reason", "a test")
    book = open_ledger()
    seen = []
    "".join(book.export("claimreview", progress=lambda done, total: seen.append((done, total))))
    assert seen[-1] == (10, 10)
    seen.clear()
    "".join(book.export("prov-json", progress=lambda done, total: seen.append((done, total))))
    assert (10, 10) in seen and seen[-1] == (11, 11)  # the live claims to judge, then every one, retracted too
    seen.clear()
    book.forget_kept_results()  # or the page's report reads only the events changed since the last one
    book.write_report(lambda chunk: None, fmt="html", progress=lambda done, total: seen.append((done, total)))
    assert (10, 10) in seen and seen[-1][0] == seen[-1][1] > 0  # the claims read, then those the page shows


def test_a_second_pass_gets_a_bar_of_its_own(monkeypatch):
    from ledger.cli import progress as bars

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(bars.sys, "stderr", Terminal())
    monkeypatch.setattr(bars.TerminalProgress, "DELAY", 0.0)
    with bars.TerminalProgress("exporting", "claims") as bar:
        bar(10, 10)
        bar(3, 20)
        assert bar.bar is not None and bar.enabled  # the second read of an export is shown too
    assert bar.bar is None and not bar.enabled
